//go:build unix

package main

// Terminal injection through the TUI: the real binary runs in a
// pseudo-terminal against a hostile feed; every byte it writes for about
// three seconds (list, an opened article, the feed-errors view) is parsed.
// The TUI legitimately moves the cursor, so CR, BS and CSI sequences are its
// own; what must never appear is a sequence built from feed bytes (window
// title, clipboard write, DCS, hyperlink to a non-web URL), a raw C1 control,
// a BEL outside an OSC terminator, or a bidi override.

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/byline/byline/internal/sanitize"
	"github.com/creack/pty"
)

const ptyPayload = "A\x1b[31mRED\x1b[0m \x1b]0;TITLE\x07 \x1b]8;;http://evil.example/\x1b\\LINK\x1b]8;;\x1b\\ " +
	"\x1b]52;c;cHduZWQ=\x07 \x1bPqDCS\x1b\\ \u009b2J \x07BEL \x08BS \rCR \u202eRLO\u202c \u2066ISO\u2069 Z"

// ptyMarkers come only from the payload: inside an escape sequence they mean
// the feed's bytes reached the terminal as control.
var ptyMarkers = []string{"TITLE", "cHduZWQ", "evil.example", "DCS", "pwn"}

func ptyRefs(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r < 0x20 || (r >= 0x7f && r <= 0x9f) || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) {
			fmt.Fprintf(&b, "&#%d;", r)
			continue
		}
		switch r {
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '&':
			b.WriteString("&amp;")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func injectPTYServer(t *testing.T) *httptest.Server {
	t.Helper()
	var srv *httptest.Server
	mux := http.NewServeMux()
	mux.HandleFunc("/feed.xml", func(w http.ResponseWriter, r *http.Request) {
		p := ptyRefs(ptyPayload)
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprintf(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Feed %s</title><link>%s/</link>
<item><guid>1</guid><title>One %s</title><link>%s/a/1</link><author>x@example.org (%s)</author><pubDate>Mon, 23 Nov 2026 10:00:00 GMT</pubDate>
<description>Summary %s</description></item>
<item><guid>2</guid><title><![CDATA[Two %s]]></title><link>javascript:alert(1)</link><description>&lt;p&gt;Body %s&lt;/p&gt;</description></item>
</channel></rss>`, p, srv.URL, p, srv.URL, p, p, strings.ReplaceAll(ptyPayload, "]]>", ""), p)
	})
	mux.HandleFunc("/a/", func(w http.ResponseWriter, r *http.Request) {
		p := ptyRefs(ptyPayload)
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprintf(w, `<html><head><title>Page %s</title></head><body><article><h1>Page %s</h1>`, p, p)
		for i := 0; i < 5; i++ {
			fmt.Fprintf(w, `<p>Paragraph %d of the article, with enough words to be kept: %s and <a href="javascript:alert(1)">js</a> <a href="%s/ok">ok</a>.</p>`, i, p, srv.URL)
		}
		fmt.Fprintf(w, `<blockquote><p>“Quote %s,” she said.</p></blockquote></article></body></html>`, p)
	})
	srv = httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

// lockedBuffer collects the pseudo-terminal's output.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) Bytes() []byte {
	l.mu.Lock()
	defer l.mu.Unlock()
	return bytes.Clone(l.b.Bytes())
}

func TestTUIInjectionPTY(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and drives it in a pseudo-terminal")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "byline")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	env := []string{"HOME=" + dir, "TERM=xterm-256color", "COLORTERM=truecolor", "PATH=" + os.Getenv("PATH"), "LANG=C.UTF-8"}
	for _, k := range []string{"XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"} {
		env = append(env, k+"="+filepath.Join(dir, strings.ToLower(k)))
	}
	srv := injectPTYServer(t)
	for _, args := range [][]string{{"add", srv.URL + "/feed.xml"}, {"refresh"}} {
		cmd := exec.Command(bin, args...)
		cmd.Env = env
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("byline %v: %v\n%s", args, err, out)
		}
	}

	cmd := exec.Command(bin)
	cmd.Env = env
	tty, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 40, Cols: 120})
	if err != nil {
		t.Fatal(err)
	}
	defer tty.Close()
	var out lockedBuffer
	copied := make(chan struct{})
	go func() {
		io.Copy(&out, tty)
		close(copied)
	}()
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	guard := time.AfterFunc(60*time.Second, func() { cmd.Process.Kill() })
	defer guard.Stop()

	// Frames for about three seconds: the list, an opened article, the
	// feed-errors view; then ctrl+c.
	steps := []struct {
		keys  string
		pause time.Duration
	}{{"", 1200 * time.Millisecond}, {"\r", 1200 * time.Millisecond}, {"\x1b", 300 * time.Millisecond},
		{"j\r", 800 * time.Millisecond}, {"\x1b", 200 * time.Millisecond}, {"e", 300 * time.Millisecond}, {"\x03", 0}}
	for _, s := range steps {
		if s.keys != "" {
			tty.Write([]byte(s.keys))
		}
		time.Sleep(s.pause)
	}
	select {
	case <-exited:
	case <-time.After(10 * time.Second):
		t.Error("byline did not quit on ctrl+c")
		cmd.Process.Kill()
		<-exited
	}
	tty.Close()
	select {
	case <-copied:
	case <-time.After(2 * time.Second):
	}
	b := out.Bytes()
	if len(b) < 1000 {
		t.Fatalf("only %d bytes from the TUI: %q", len(b), b)
	}
	if !bytes.Contains(b, []byte("RED")) {
		t.Errorf("the hostile stories never showed (no payload text in %d bytes)", len(b))
	}
	t.Logf("%d bytes from the TUI; article shown: %v; hyperlinks: %d", len(b),
		bytes.Contains(b, []byte("Paragraph")), bytes.Count(b, []byte("\x1b]8;")))
	scanTUI(t, b)
}

// scanTUI parses the byte stream as a terminal would.
func scanTUI(t *testing.T, b []byte) {
	t.Helper()
	fail := func(i int, what string) {
		t.Errorf("%s at byte %d: %q", what, i, b[max(0, i-60):min(len(b), i+60)])
	}
	errs := 0
	for i := 0; i < len(b) && errs < 5; {
		c := b[i]
		if c == 0x1b {
			end, kind := escEnd(b, i)
			seq := string(b[i:end])
			for _, m := range ptyMarkers {
				if strings.Contains(seq, m) {
					fail(i, "feed bytes inside an escape sequence")
					errs++
				}
			}
			if kind == ']' {
				body := strings.TrimRight(strings.TrimSuffix(strings.TrimPrefix(seq, "\x1b]"), "\x1b\\"), "\x07")
				switch {
				case strings.HasPrefix(body, "52;"):
					fail(i, "OSC 52 clipboard write")
					errs++
				case strings.HasPrefix(body, "8;"):
					parts := strings.SplitN(body, ";", 3)
					if len(parts) == 3 && parts[2] != "" && !sanitize.IsWebURL(parts[2]) {
						fail(i, "hyperlink to "+parts[2])
						errs++
					}
				}
			}
			i = end
			continue
		}
		if c == 0x07 {
			fail(i, "BEL outside an OSC")
			errs++
		}
		r, size := utf8.DecodeRune(b[i:])
		if (r >= 0x80 && r <= 0x9f) || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) {
			fail(i, fmt.Sprintf("%U in the text", r))
			errs++
		}
		i += size
	}
}

// escEnd returns the end of the escape sequence starting at b[i] (ESC) and
// its introducer ('[', ']', 'P', … or 0 for a short sequence).
func escEnd(b []byte, i int) (int, byte) {
	j := i + 1
	if j >= len(b) {
		return j, 0
	}
	switch intro := b[j]; intro {
	case '[':
		j++
		for j < len(b) && b[j] >= 0x20 && b[j] <= 0x3f {
			j++
		}
		if j < len(b) && b[j] >= 0x40 && b[j] <= 0x7e {
			j++
		}
		return j, intro
	case ']', 'P', 'X', '^', '_':
		j++
		for j < len(b) {
			if b[j] == 0x07 && intro == ']' {
				return j + 1, intro
			}
			if b[j] == 0x1b && j+1 < len(b) && b[j+1] == '\\' {
				return j + 2, intro
			}
			j++
		}
		return j, intro
	}
	for j < len(b) && b[j] >= 0x20 && b[j] <= 0x2f {
		j++
	}
	if j < len(b) {
		j++
	}
	return j, 0
}
