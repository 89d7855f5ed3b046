package iostreams

import (
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

var spinnerFrames = []rune("⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏")

const spinnerInterval = 100 * time.Millisecond

// progress is one \r-redrawn status line on ErrOut.
type progress struct {
	mu      sync.Mutex
	s       *IOStreams
	label   string
	text    string
	frame   int
	lastLen int // display cells of the last line drawn, to blank it out
	stop    chan struct{}
	done    chan struct{}
}

// StartProgress shows a spinner line "⠋ label text" on ErrOut, redrawn in
// place, until StopProgress. It shows nothing unless both stdout and stderr
// are terminals, so pipes and logs never see it. Calling it while a progress
// line runs replaces the label.
func (s *IOStreams) StartProgress(label string) {
	if !s.stdoutTTY || !s.stderrTTY {
		return
	}
	s.progressMu.Lock()
	defer s.progressMu.Unlock()
	if p := s.progress; p != nil {
		p.mu.Lock()
		p.label = label
		p.drawLocked()
		p.mu.Unlock()
		return
	}
	p := &progress{s: s, label: label, stop: make(chan struct{}), done: make(chan struct{})}
	s.progress = p
	p.mu.Lock()
	p.drawLocked()
	p.mu.Unlock()
	go p.spin()
}

// UpdateProgress changes the text after the label (for example
// "12/40 feeds, 1 failed, 3s") and redraws the line at once. It is safe to
// call from several goroutines, and does nothing when no progress line runs.
func (s *IOStreams) UpdateProgress(text string) {
	s.progressMu.Lock()
	defer s.progressMu.Unlock()
	p := s.progress
	if p == nil {
		return
	}
	p.mu.Lock()
	p.text = text
	p.drawLocked()
	p.mu.Unlock()
}

// StopProgress stops the spinner and erases its line.
func (s *IOStreams) StopProgress() {
	s.progressMu.Lock()
	defer s.progressMu.Unlock()
	p := s.progress
	if p == nil {
		return
	}
	close(p.stop)
	<-p.done
	p.mu.Lock()
	if p.lastLen > 0 {
		_, _ = s.ErrOut.Write([]byte("\r" + strings.Repeat(" ", p.lastLen) + "\r"))
	}
	p.mu.Unlock()
	s.progress = nil
}

func (p *progress) spin() {
	defer close(p.done)
	t := time.NewTicker(spinnerInterval)
	defer t.Stop()
	for {
		select {
		case <-p.stop:
			return
		case <-t.C:
			p.mu.Lock()
			p.frame = (p.frame + 1) % len(spinnerFrames)
			p.drawLocked()
			p.mu.Unlock()
		}
	}
}

// drawLocked redraws the line, cut to the terminal width so it never wraps
// (a wrapped line cannot be redrawn with \r), padded over the previous one.
func (p *progress) drawLocked() {
	line := string(spinnerFrames[p.frame]) + " " + p.label
	if p.text != "" {
		line += " " + p.text
	}
	line = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r <= 0x9f) {
			return -1
		}
		return r
	}, line)
	max := p.s.stderrWidth() - 1
	if n := utf8.RuneCountInString(line); n > max && max > 0 {
		line = string([]rune(line)[:max])
	}
	n := utf8.RuneCountInString(line)
	pad := ""
	if p.lastLen > n {
		pad = strings.Repeat(" ", p.lastLen-n)
	}
	_, _ = p.s.ErrOut.Write([]byte("\r" + line + pad))
	p.lastLen = n
}

func (s *IOStreams) stderrWidth() int {
	return s.TerminalWidth()
}
