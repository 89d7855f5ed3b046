package ui

import (
	"errors"
	"io"
	"os/exec"

	"github.com/charmbracelet/x/term"
)

// foreground is a command run with the TUI suspended; it implements
// tea.ExecCommand. With pause set it waits, after the command exits, for a
// key on the terminal before the TUI comes back, so that the output of a
// filter such as wc stays on screen until the user has read it (as in
// newsboat and ranger).
type foreground struct {
	cmd    *exec.Cmd
	pause  bool
	prompt string // printed before the wait, already styled
	in     io.Reader
	out    io.Writer
}

// SetStdin implements tea.ExecCommand. A preset stdin (the article) is kept;
// the terminal is remembered for the wait.
func (f *foreground) SetStdin(r io.Reader) {
	f.in = r
	if f.cmd.Stdin == nil {
		f.cmd.Stdin = r
	}
}

// SetStdout implements tea.ExecCommand.
func (f *foreground) SetStdout(w io.Writer) {
	f.out = w
	if f.cmd.Stdout == nil {
		f.cmd.Stdout = w
	}
}

// SetStderr implements tea.ExecCommand.
func (f *foreground) SetStderr(w io.Writer) {
	if f.cmd.Stderr == nil {
		f.cmd.Stderr = w
	}
}

// Run implements tea.ExecCommand: it runs the command, then waits for a key
// when asked to. The command's own error is returned, so that a non-zero
// exit status reaches the status bar.
func (f *foreground) Run() error {
	err := f.cmd.Run()
	var exit *exec.ExitError
	// A command that did not start printed nothing: its error is enough.
	if f.pause && (err == nil || errors.As(err, &exit)) {
		waitKey(f.in, f.out, f.prompt)
	}
	return err
}

// waitKey prints prompt and waits for one key press on the terminal in.
// Without a terminal to read from nobody can answer, so it returns at once.
func waitKey(in io.Reader, out io.Writer, prompt string) {
	t, ok := in.(term.File)
	if !ok || !term.IsTerminal(t.Fd()) {
		return
	}
	if out != nil {
		_, _ = io.WriteString(out, "\r\n"+prompt)
	}
	// Raw mode so that any key answers, not only enter. One read takes a
	// whole key: a terminal writes an escape sequence in one go, so none of
	// it is left over for the TUI.
	if st, err := term.MakeRaw(t.Fd()); err == nil {
		defer func() { _ = term.Restore(t.Fd(), st) }()
	}
	buf := make([]byte, 64)
	_, _ = t.Read(buf)
	if out != nil {
		_, _ = io.WriteString(out, "\r\n")
	}
}
