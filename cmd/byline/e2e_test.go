//go:build unix

package main

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/vt"
	"github.com/creack/pty"
	"golang.org/x/sys/unix"
)

// buildByline compiles the real binary once per test run.
func buildByline(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "byline")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// isolatedEnv returns an environment whose XDG directories live under dir.
func isolatedEnv(dir string) []string {
	env := []string{"HOME=" + dir, "TERM=xterm-256color", "PATH=" + os.Getenv("PATH"), "LANG=C.UTF-8"}
	for _, k := range []string{"XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"} {
		env = append(env, k+"="+filepath.Join(dir, strings.ToLower(k)))
	}
	return env
}

// e2eServer serves one feed of two stories and their article pages.
func e2eServer(t *testing.T) *httptest.Server {
	t.Helper()
	page := func(title, quote string) string {
		return `<html><head><title>` + title + `</title></head><body><nav>Home · World · Sport</nav><article><h1>` + title + `</h1>` +
			strings.Repeat(`<p>The council met on Tuesday evening to debate the proposal, and members spoke at length about its cost to the town and its people.</p>`, 4) +
			`<p>` + quote + `</p></article><footer>Share this story</footer></body></html>`
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/feed.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprint(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Town Gazette</title><link>/</link>
<item><title>Harbour plan approved</title><link>/a/1</link><guid>1</guid><pubDate>Mon, 23 Nov 2026 10:00:00 GMT</pubDate><description>Short summary one.</description></item>
<item><title>Bridge repairs delayed</title><link>/a/2</link><guid>2</guid><pubDate>Mon, 23 Nov 2026 09:00:00 GMT</pubDate><description>Short summary two.</description></item>
</channel></rss>`)
	})
	mux.HandleFunc("/a/1", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, page("Harbour plan approved", "“We finally have a harbour we can be proud of,” the mayor said."))
	})
	mux.HandleFunc("/a/2", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, page("Bridge repairs delayed", "“Nobody told us the bridge would stay shut,” said a shopkeeper."))
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

// screen is a terminal emulator fed by the program's pseudo-terminal.
type screen struct {
	mu  sync.Mutex
	emu *vt.Emulator
	raw bytes.Buffer
}

func (s *screen) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.raw.Write(p)
	return s.emu.Write(p)
}

func (s *screen) text() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.emu.String()
}

func (s *screen) rawText() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.raw.String()
}

// waitFor polls the screen until cond holds; a hang guard, not a timing claim.
func (s *screen) waitFor(t *testing.T, what string, cond func(screen string) bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if cond(s.text()) {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("waiting for %s; the screen shows:\n%s", what, s.text())
}

func contains(sub string) func(string) bool {
	return func(s string) bool { return strings.Contains(s, sub) }
}

func TestTUIEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and drives the binary")
	}
	bin := buildByline(t)
	srv := e2eServer(t)
	dir := t.TempDir()
	env := isolatedEnv(dir)

	urls := filepath.Join(dir, "urls")
	if err := os.WriteFile(urls, []byte(srv.URL+"/feed.xml news\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	imp := exec.Command(bin, "import", urls)
	imp.Env = env
	if out, err := imp.CombinedOutput(); err != nil {
		t.Fatalf("import: %v\n%s", err, out)
	}

	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Skipf("no pseudo-terminal here: %v", err)
	}
	defer ptmx.Close()
	if err := pty.Setsize(ptmx, &pty.Winsize{Rows: 50, Cols: 120}); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin)
	cmd.Env = env
	cmd.Stdin, cmd.Stdout, cmd.Stderr = tty, tty, tty
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	scr := &screen{emu: vt.NewEmulator(120, 50)}
	go io.Copy(scr, ptmx)       // what byline draws
	go io.Copy(ptmx, scr.emu)   // the emulator's replies to terminal queries
	done := make(chan error, 1) // the process, once it exits
	go func() { done <- cmd.Wait() }()
	defer func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
		}
	}()
	send := func(keys string) {
		if _, err := ptmx.Write([]byte(keys)); err != nil {
			t.Fatalf("send %q: %v", keys, err)
		}
	}

	// Start: the imported feed is listed with no stories yet; refresh all.
	scr.waitFor(t, "the interface", contains("help"))
	send("R")
	scr.waitFor(t, "the refreshed stories", func(s string) bool {
		return strings.Contains(s, "Harbour plan approved") && strings.Contains(s, "Bridge repairs delayed")
	})

	// Open the first story: the full article, with the quote set apart.
	send("\r")
	scr.waitFor(t, "the full article with its quote", contains("▎“We finally have a harbour"))
	if strings.Contains(scr.text(), "Share this story") {
		t.Errorf("page furniture on screen:\n%s", scr.text())
	}

	// n: the next story, directly in the article pane.
	send("n")
	scr.waitFor(t, "the next article", contains("Nobody told us the bridge"))

	// |: pipe the article's Markdown to wc -w; its count reaches the terminal.
	send("|")
	scr.waitFor(t, "the pipe prompt", contains("Pipe"))
	send("\x15wc -w\r") // ctrl+u clears the default command
	count := regexp.MustCompile(`[\r\n][ \t]*(\d+)[ \t]*\r?\n`)
	deadline := time.Now().Add(20 * time.Second)
	for !count.MatchString(ansi.Strip(scr.rawText())) {
		if time.Now().After(deadline) {
			raw := scr.rawText()
			i := strings.LastIndex(raw, "\x1b[?1049l")
			t.Fatalf("no word count from wc; raw output after leaving the alternate screen:\n%q\nscreen:\n%s", raw[max(0, i-100):], scr.text())
		}
		if strings.Contains(scr.text(), "press enter") {
			send("\r")
		}
		time.Sleep(50 * time.Millisecond)
	}
	if n := count.FindStringSubmatch(ansi.Strip(scr.rawText()))[1]; n == "0" {
		t.Errorf("wc counted no words: the article did not reach its stdin")
	}
	// The interface comes back after the command.
	if strings.Contains(scr.text(), "press enter") {
		send("\r")
	}
	scr.waitFor(t, "the interface after the pipe", contains("Nobody told us the bridge"))

	// Quit: q goes back, then quits.
	for i := 0; i < 4 && cmd.ProcessState == nil; i++ {
		send("q")
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("byline exited with %v", err)
			}
			i = 4
		case <-time.After(time.Second):
		}
	}
	if cmd.ProcessState == nil {
		t.Fatalf("byline did not quit; screen:\n%s", scr.text())
	}

	// The terminal is restored: alternate screen left, cursor shown, and the
	// line discipline back in canonical mode with echo. The reader may still
	// be copying the last bytes the process wrote, so wait for them.
	restored := func(raw string) bool {
		left := strings.LastIndex(raw, "\x1b[?1049l")
		return left > strings.LastIndex(raw, "\x1b[?1049h") && strings.Contains(raw[left:], "\x1b[?25h")
	}
	for deadline := time.Now().Add(10 * time.Second); !restored(scr.rawText()) && time.Now().Before(deadline); {
		time.Sleep(50 * time.Millisecond)
	}
	if !restored(scr.rawText()) {
		t.Errorf("alternate screen not left or cursor not shown at exit: %q", tail(scr.rawText(), 300))
	}
	tio, err := unix.IoctlGetTermios(int(tty.Fd()), unix.TCGETS)
	if err != nil {
		t.Fatal(err)
	}
	if tio.Lflag&unix.ICANON == 0 || tio.Lflag&unix.ECHO == 0 {
		t.Errorf("terminal left in raw mode (lflag %#x)", tio.Lflag)
	}
}

func tail(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}
