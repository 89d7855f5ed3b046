// Package iostreams wraps byline's standard streams. It is the only package
// that looks at file descriptors: everything else asks it whether stdout is a
// terminal, whether colour is on, how wide the terminal is, and where to write
// (Out may be a pager).
package iostreams

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/term"
)

// Colour modes accepted by SetColorMode.
const (
	ColorAuto   = "auto"
	ColorAlways = "always"
	ColorNever  = "never"
)

// Themes accepted by SetTheme.
const (
	ThemeAuto  = "auto"
	ThemeDark  = "dark"
	ThemeLight = "light"
)

// IOStreams holds byline's input and output streams and what is known about
// them. Build one with System (the real process streams) or Test (buffers).
type IOStreams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer

	// Getenv reads the environment; System uses os.Getenv, Test an empty map
	// that tests fill through SetEnv.
	Getenv func(string) string

	stdinTTY, stdoutTTY, stderrTTY bool
	stdoutFd                       uintptr
	hasFd                          bool // stdoutFd is a real descriptor to query for size

	colorMode string
	theme     string

	darkOnce sync.Once
	dark     bool

	pager      *pagerProc
	origOut    io.Writer
	progressMu sync.Mutex // guards progress: refresh workers report concurrently
	progress   *progress

	testEnv map[string]string
}

// System returns IOStreams bound to the process's stdin, stdout and stderr.
func System() *IOStreams {
	return &IOStreams{
		In:        os.Stdin,
		Out:       os.Stdout,
		ErrOut:    os.Stderr,
		Getenv:    os.Getenv,
		stdinTTY:  isTerminal(os.Stdin),
		stdoutTTY: isTerminal(os.Stdout),
		stderrTTY: isTerminal(os.Stderr),
		stdoutFd:  os.Stdout.Fd(),
		hasFd:     true,
		colorMode: ColorAuto,
		theme:     ThemeAuto,
	}
}

// Test returns IOStreams backed by buffers, with no terminal and an empty
// environment. Tests turn terminals on with SetStdoutTTY and friends.
func Test() (ios *IOStreams, in *bytes.Buffer, out *bytes.Buffer, errOut *bytes.Buffer) {
	in, out, errOut = &bytes.Buffer{}, &bytes.Buffer{}, &bytes.Buffer{}
	env := map[string]string{}
	ios = &IOStreams{
		In:        in,
		Out:       out,
		ErrOut:    errOut,
		Getenv:    func(k string) string { return env[k] },
		colorMode: ColorAuto,
		theme:     ThemeAuto,
	}
	ios.testEnv = env
	return ios, in, out, errOut
}

func isTerminal(f *os.File) bool {
	return term.IsTerminal(int(f.Fd()))
}

// SetEnv sets a variable in the environment seen by streams made by Test.
// On System streams it does nothing: the process environment is not ours.
func (s *IOStreams) SetEnv(key, value string) {
	if s.testEnv != nil {
		s.testEnv[key] = value
	}
}

// SetStdinTTY overrides whether stdin is treated as a terminal.
func (s *IOStreams) SetStdinTTY(v bool) { s.stdinTTY = v }

// SetStdoutTTY overrides whether stdout is treated as a terminal.
func (s *IOStreams) SetStdoutTTY(v bool) { s.stdoutTTY = v }

// SetStderrTTY overrides whether stderr is treated as a terminal.
func (s *IOStreams) SetStderrTTY(v bool) { s.stderrTTY = v }

// IsStdinTTY reports whether stdin is a terminal.
func (s *IOStreams) IsStdinTTY() bool { return s.stdinTTY }

// IsStdoutTTY reports whether stdout is a terminal. It stays true while a
// pager runs: output still ends up on the terminal.
func (s *IOStreams) IsStdoutTTY() bool { return s.stdoutTTY }

// IsStderrTTY reports whether stderr is a terminal.
func (s *IOStreams) IsStderrTTY() bool { return s.stderrTTY }

func (s *IOStreams) getenv(k string) string {
	if s.Getenv == nil {
		return ""
	}
	return s.Getenv(k)
}

// TerminalWidth returns the width of the terminal on stdout: the real size
// when stdout is a terminal, else $COLUMNS when it is a positive number,
// else 80.
func (s *IOStreams) TerminalWidth() int {
	w, _ := s.size()
	if w > 0 {
		return w
	}
	if n := s.envInt("COLUMNS"); n > 0 {
		return n
	}
	return 80
}

// TerminalHeight returns the height of the terminal on stdout: the real size,
// else $LINES, else 24.
func (s *IOStreams) TerminalHeight() int {
	_, h := s.size()
	if h > 0 {
		return h
	}
	if n := s.envInt("LINES"); n > 0 {
		return n
	}
	return 24
}

func (s *IOStreams) size() (int, int) {
	if !s.hasFd || !s.stdoutTTY {
		return 0, 0
	}
	w, h, err := term.GetSize(int(s.stdoutFd))
	if err != nil {
		return 0, 0
	}
	return w, h
}

func (s *IOStreams) envInt(k string) int {
	n, err := strconv.Atoi(strings.TrimSpace(s.getenv(k)))
	if err != nil || n <= 0 {
		return 0
	}
	return n
}

// SetColorMode sets the --color mode: "auto", "always" or "never".
func (s *IOStreams) SetColorMode(mode string) error {
	switch mode {
	case ColorAuto, ColorAlways, ColorNever:
		s.colorMode = mode
		return nil
	}
	return fmt.Errorf("invalid color mode %q: want auto, always or never", mode)
}

// ColorMode returns the current colour mode.
func (s *IOStreams) ColorMode() string {
	if s.colorMode == "" {
		return ColorAuto
	}
	return s.colorMode
}

// ColorEnabled reports whether output on stdout may carry colour: always in
// "always" mode; in "auto" mode only when stdout is a terminal, NO_COLOR is
// unset or empty and TERM is not "dumb".
func (s *IOStreams) ColorEnabled() bool {
	switch s.ColorMode() {
	case ColorAlways:
		return true
	case ColorNever:
		return false
	}
	return s.stdoutTTY && s.getenv("NO_COLOR") == "" && s.getenv("TERM") != "dumb"
}

// SetTheme sets the background theme: "dark", "light" or "auto" (decided
// from $COLORFGBG, dark when unknown).
func (s *IOStreams) SetTheme(theme string) error {
	switch theme {
	case ThemeAuto, ThemeDark, ThemeLight:
		s.theme = theme
		s.darkOnce = sync.Once{}
		return nil
	}
	return fmt.Errorf("invalid theme %q: want auto, dark or light", theme)
}

// IsDarkBackground reports whether the terminal background is dark. It never
// queries the terminal (the reply would race a running TUI for stdin): the
// theme decides, else $COLORFGBG, else dark. The answer is computed once.
func (s *IOStreams) IsDarkBackground() bool {
	s.darkOnce.Do(func() {
		switch s.theme {
		case ThemeDark:
			s.dark = true
		case ThemeLight:
			s.dark = false
		default:
			s.dark = darkFromColorFGBG(s.getenv("COLORFGBG"))
		}
	})
	return s.dark
}

// darkFromColorFGBG reads rxvt's "fg;bg" (or "fg;default;bg") variable. The
// background is the last field; ANSI colours 0–6 and 8 are dark, 7 and 9–15
// light. Anything unreadable means dark.
func darkFromColorFGBG(v string) bool {
	if v == "" {
		return true
	}
	parts := strings.Split(v, ";")
	bg, err := strconv.Atoi(strings.TrimSpace(parts[len(parts)-1]))
	if err != nil || bg < 0 {
		return true
	}
	return !(bg == 7 || (bg >= 9 && bg <= 15))
}
