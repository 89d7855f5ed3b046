package iostreams

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"syscall"
)

// DefaultPager is the pager used when neither the caller nor $PAGER names one.
const DefaultPager = "less -R"

type pagerProc struct {
	cmd   *exec.Cmd
	stdin io.WriteCloser
}

// StartPager starts a pager and points Out at its standard input. It does
// nothing when stdout is not a terminal, when a pager already runs, or when
// the pager is "cat" or empty. cmd names the pager; "" means $PAGER, else
// DefaultPager. The command is split into words (no shell is run) and gets
// LESS=FRX when LESS is unset, so output shorter than a screen exits at once.
func (s *IOStreams) StartPager(cmd string) error {
	if !s.stdoutTTY || s.pager != nil {
		return nil
	}
	if cmd == "" {
		cmd = s.getenv("PAGER")
	}
	if strings.TrimSpace(cmd) == "" {
		cmd = DefaultPager
	}
	argv, err := SplitWords(cmd)
	if err != nil {
		return fmt.Errorf("pager %q: %w", cmd, err)
	}
	if len(argv) == 0 || argv[0] == "cat" {
		return nil
	}
	c := exec.Command(argv[0], argv[1:]...)
	c.Env = os.Environ()
	if s.getenv("LESS") == "" {
		c.Env = append(c.Env, "LESS=FRX")
	}
	if s.getenv("LV") == "" {
		c.Env = append(c.Env, "LV=-c")
	}
	c.Stdout = s.Out
	c.Stderr = s.ErrOut
	in, err := c.StdinPipe()
	if err != nil {
		return fmt.Errorf("pager %s: %w", argv[0], err)
	}
	if err := c.Start(); err != nil {
		return fmt.Errorf("start pager %s: %w", argv[0], err)
	}
	s.pager = &pagerProc{cmd: c, stdin: in}
	s.origOut = s.Out
	s.Out = &pagerWriter{w: in}
	return nil
}

// StopPager closes the pager's input, waits for the user to leave it and
// restores Out. A pager that exited early or failed is not byline's error.
func (s *IOStreams) StopPager() {
	if s.pager == nil {
		return
	}
	_ = s.pager.stdin.Close()
	_ = s.pager.cmd.Wait()
	s.Out = s.origOut
	s.pager, s.origOut = nil, nil
}

// pagerWriter is Out while a pager runs. Once the pager is gone every write
// fails with an error that IsEPIPE recognises, so the caller stops quietly.
type pagerWriter struct {
	w io.Writer
}

func (p *pagerWriter) Write(b []byte) (int, error) {
	n, err := p.w.Write(b)
	if err != nil && (IsEPIPE(err) || errors.Is(err, os.ErrClosed)) {
		return n, fmt.Errorf("write to pager: %w", syscall.EPIPE)
	}
	return n, err
}

// IsEPIPE reports whether err means the reader of our output went away: a
// closed pipe (byline list | head) or a pager the user quit. Commands treat it
// as success and stop writing.
func IsEPIPE(err error) bool {
	return err != nil && (errors.Is(err, syscall.EPIPE) || errors.Is(err, io.ErrClosedPipe))
}

// SplitWords splits a command line into words the way a POSIX shell would
// for a simple command, without running one: blanks separate words, single
// quotes keep everything literal, double quotes keep blanks and allow \" \\
// \$ \` escapes, and a backslash outside quotes escapes the next character.
// No expansion of any kind happens.
func SplitWords(s string) ([]string, error) {
	var (
		words   []string
		cur     strings.Builder
		inWord  bool
		r       = []rune(s)
		i       int
		isBlank = func(c rune) bool { return c == ' ' || c == '\t' || c == '\n' }
	)
	for i < len(r) {
		c := r[i]
		switch {
		case isBlank(c):
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
			i++
		case c == '\\':
			inWord = true
			if i+1 < len(r) {
				if r[i+1] != '\n' { // backslash-newline is a line continuation
					cur.WriteRune(r[i+1])
				}
				i += 2
			} else {
				cur.WriteRune(c)
				i++
			}
		case c == '\'':
			inWord = true
			end := indexRune(r, i+1, '\'')
			if end < 0 {
				return nil, errors.New("unterminated single quote")
			}
			cur.WriteString(string(r[i+1 : end]))
			i = end + 1
		case c == '"':
			inWord = true
			i++
			closed := false
			for i < len(r) {
				if r[i] == '"' {
					closed = true
					i++
					break
				}
				if r[i] == '\\' && i+1 < len(r) && strings.ContainsRune("\"\\$`\n", r[i+1]) {
					if r[i+1] != '\n' {
						cur.WriteRune(r[i+1])
					}
					i += 2
					continue
				}
				cur.WriteRune(r[i])
				i++
			}
			if !closed {
				return nil, errors.New("unterminated double quote")
			}
		default:
			inWord = true
			cur.WriteRune(c)
			i++
		}
	}
	if inWord {
		words = append(words, cur.String())
	}
	return words, nil
}

func indexRune(r []rune, from int, c rune) int {
	for i := from; i < len(r); i++ {
		if r[i] == c {
			return i
		}
	}
	return -1
}
