//go:build linux || darwin

package ui

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/creack/pty"
)

// ptyRun runs this test binary as a byline helper (see TestMain) in a
// pseudo-terminal and collects everything it writes.
type ptyRun struct {
	t    *testing.T
	f    *os.File
	cmd  *exec.Cmd
	mu   sync.Mutex
	out  bytes.Buffer
	done chan error
	eof  chan struct{} // closed when the pty has been read to its end
}

func startPty(t *testing.T, mode, stateDir string) *ptyRun {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, "-test.run=^$")
	cmd.Env = append(os.Environ(), "BYLINE_UI_HELPER="+mode, "BYLINE_UI_STATE="+stateDir, "TERM=xterm-256color")
	f, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 30, Cols: 100})
	if err != nil {
		t.Skipf("no pty: %v", err)
	}
	r := &ptyRun{t: t, f: f, cmd: cmd, done: make(chan error, 1), eof: make(chan struct{})}
	go func() {
		defer close(r.eof)
		buf := make([]byte, 4096)
		for {
			n, err := f.Read(buf)
			r.mu.Lock()
			r.out.Write(buf[:n])
			r.mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	go func() { r.done <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = f.Close()
	})
	return r
}

func (r *ptyRun) output() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.out.String()
}

// waitFor waits until the output contains s; the deadline only guards
// against a hung child.
func (r *ptyRun) waitFor(s string) {
	r.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(r.output(), s) {
		if time.Now().After(deadline) {
			r.t.Fatalf("no %q in output:\n%q", s, r.output())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (r *ptyRun) send(s string) {
	if _, err := r.f.Write([]byte(s)); err != nil {
		r.t.Fatal(err)
	}
}

func (r *ptyRun) wait() error {
	r.t.Helper()
	guard := time.After(20 * time.Second)
	var err error
	select {
	case err = <-r.done:
	case <-guard:
		r.t.Fatalf("helper did not exit; output:\n%q", r.output())
	}
	select {
	case <-r.eof: // everything the child wrote has been read
	case <-guard:
		r.t.Fatalf("pty not drained; output:\n%q", r.output())
	}
	return err
}

// restored checks that after the last alternate-screen entry the terminal
// left the alternate screen and turned mouse reporting off.
func restored(t *testing.T, out string) {
	t.Helper()
	i := strings.LastIndex(out, "\x1b[?1049h")
	if i < 0 {
		t.Fatalf("never entered the alternate screen:\n%q", out)
	}
	tail := out[i:]
	for _, seq := range []string{"\x1b[?1049l", "\x1b[?1002l"} {
		if !strings.Contains(tail, seq) {
			t.Errorf("terminal not restored: no %q after the last alt-screen entry", seq)
		}
	}
}

func TestRunInTerminalQuits(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a subprocess")
	}
	r := startPty(t, "normal", t.TempDir())
	r.waitFor("Story 100000")
	if strings.Contains(r.output(), "\x1b]52") || strings.Contains(r.output(), "\x1b[2J with") {
		t.Error("escape sequences from a title reached the terminal")
	}
	r.send("q")
	if err := r.wait(); err != nil {
		t.Fatalf("exit: %v\n%q", err, r.output())
	}
	restored(t, r.output())
}

func TestRunInTerminalCtrlC(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a subprocess")
	}
	r := startPty(t, "normal", t.TempDir())
	r.waitFor("Story 100000")
	r.send("/") // ctrl+c quits even from a prompt
	r.waitFor("Search:")
	r.send("\x03")
	if err := r.wait(); err != nil {
		t.Fatalf("exit: %v", err)
	}
	restored(t, r.output())
}

// openFirstStory starts the helper in mode with a fresh state directory
// and opens the first story, which calls Options.Document.
func openFirstStory(t *testing.T, mode string) (r *ptyRun, stateDir string) {
	t.Helper()
	if testing.Short() {
		t.Skip("starts a subprocess")
	}
	stateDir = filepath.Join(t.TempDir(), "state")
	r = startPty(t, mode, stateDir)
	r.waitFor("Story 100000")
	r.send("\r")
	return r, stateDir
}

func TestRunInTerminalPanicIsLogged(t *testing.T) {
	r, dir := openFirstStory(t, "panic") // Options.Document panics
	err := r.wait()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 {
		t.Fatalf("exit: %v", err)
	}
	out := r.output()
	restored(t, out)
	if strings.Contains(out, "goroutine ") {
		t.Error("stack trace printed to the terminal")
	}
	logs, _ := filepath.Glob(filepath.Join(dir, "panic-*.log"))
	if len(logs) != 1 {
		t.Fatalf("panic logs: %v", logs)
	}
	if !strings.Contains(out, "details in "+logs[0]) {
		t.Errorf("no line naming %s in output", logs[0])
	}
	body, _ := os.ReadFile(logs[0])
	if !strings.Contains(string(body), "document exploded") || !strings.Contains(string(body), "goroutine") {
		t.Errorf("log lacks panic value or stack:\n%s", body)
	}
}

func TestRunInTerminalKeepsLogsOffScreen(t *testing.T) {
	r, dir := openFirstStory(t, "logs") // Options.Document logs
	r.waitFor("full article")
	r.send("q")
	r.send("q")
	if err := r.wait(); err != nil {
		t.Fatalf("exit: %v\n%q", err, r.output())
	}
	out := r.output()
	body, err := os.ReadFile(filepath.Join(dir, "byline.log"))
	if err != nil {
		t.Fatal(err)
	}
	for _, rec := range []string{"a slog record during the run", "a log record during the run"} {
		if strings.Contains(out, rec) {
			t.Errorf("%q reached the terminal", rec)
		}
		if !strings.Contains(string(body), rec) {
			t.Errorf("%q not in the log file:\n%s", rec, body)
		}
	}
}
