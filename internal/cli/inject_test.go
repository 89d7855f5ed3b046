package cli

// Terminal injection: hostile feeds and pages carry escape sequences and
// controls in every field and every smuggling encoding; the bytes the CLI
// finally writes are scanned. Piped (stdout not a terminal): no escape, no
// control but newline and tab, anywhere, JSON strings included once decoded.
// On a terminal with colour: only SGR (ESC [ … m) and OSC 8 hyperlinks whose
// target is empty (the closer) or an http(s) URL.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/byline/byline/internal/iostreams"
	"github.com/byline/byline/internal/sanitize"
)

// payload holds every kind of sequence a hostile feed may try: SGR, a
// window title (OSC 0), a hyperlink (OSC 8), a clipboard write (OSC 52), a
// DCS, a C1 CSI, BEL, backspace, carriage return, bidi override and isolate,
// and a clear-screen.
const payload = "A\x1b[31mRED\x1b[0m \x1b]0;TITLE\x07 \x1b]8;;http://evil.example/\x1b\\LINK\x1b]8;;\x1b\\ " +
	"\x1b]52;c;cHduZWQ=\x07 \x1bPqDCS\x1b\\ \u009b2J \x07BEL \x08BS \rCR \u202eRLO\u202c \u2066ISO\u2069 \x1b[2J\x1b[H Z"

// encodings are the ways the payload is smuggled into XML text.
var encodings = map[string]func(string) string{
	"raw":   func(s string) string { return html.EscapeString(s) },
	"dec":   func(s string) string { return refs(s, "&#%d;") },
	"hex":   func(s string) string { return refs(s, "&#x%X;") },
	"amp":   func(s string) string { return refs(s, "&amp;#%d;") },
	"amp2":  func(s string) string { return refs(s, "&amp;amp;#x%x;") },
	"cdata": func(s string) string { return "<![CDATA[" + strings.ReplaceAll(s, "]]>", "") + "]]>" },
}

// refs replaces every control and bidi rune of s by a character reference.
func refs(s, format string) string {
	var b strings.Builder
	for _, r := range s {
		if r < 0x20 || (r >= 0x7f && r <= 0x9f) || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) {
			fmt.Fprintf(&b, format, r)
			continue
		}
		b.WriteString(html.EscapeString(string(r)))
	}
	return b.String()
}

// hostileRSS is an RSS feed with the payload, in one encoding per item, in
// the feed title, item titles, authors, categories, summaries, bodies, links
// and guids.
func hostileRSS(base string) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>
<title>` + encodings["dec"]("Feed "+payload) + `</title><link>` + base + `/</link>
<description>` + encodings["amp"](payload) + `</description>`)
	i := 0
	for _, name := range []string{"raw", "dec", "hex", "amp", "amp2", "cdata"} {
		enc := encodings[name]
		i++
		fmt.Fprintf(&b, `<item><guid isPermaLink="false">%s-%s</guid><title>%s %s</title><dc:creator>%s</dc:creator>
<category>%s</category><link>%s/page/%d?%s</link><description>%s</description>
<content:encoded>%s</content:encoded><pubDate>Mon, 23 Nov 2026 10:0%d:00 GMT</pubDate></item>
`, name, enc(payload), name, enc(payload), enc(payload), enc(payload), base, i, enc("q="+payload),
			html.EscapeString("<p>"+name+" summary "+html.EscapeString(payload)+"</p>"),
			enc("<p>"+name+" body "+payload+`</p><p><a href="javascript:alert(1)">js</a> <a href="`+base+"/x\x1b]52;c;aGk=\x07"+`">ctl</a></p>`), i)
	}
	// Links that must never become clickable or printable as such.
	fmt.Fprintf(&b, `<item><guid>links</guid><title>links</title><link>javascript:alert(document.cookie)</link>
<description>&lt;a href="file:///etc/passwd"&gt;f&lt;/a&gt; &lt;a href="data:text/html,x"&gt;d&lt;/a&gt;</description></item>`)
	b.WriteString("</channel></rss>\n")
	return b.String()
}

// hostileJSONFeed carries the payload as JSON \u escapes.
func hostileJSONFeed(base string) string {
	item := map[string]any{
		"id": "json-" + payload, "url": base + "/page/9", "title": "json " + payload,
		"content_html": "<p>json body " + payload + "</p>", "summary": payload,
		"authors": []map[string]string{{"name": payload}}, "tags": []string{payload},
		"date_published": "2026-11-23T09:00:00Z",
	}
	doc := map[string]any{"version": "https://jsonfeed.org/version/1.1", "title": "JSON " + payload,
		"home_page_url": base + "/", "items": []any{item}}
	b, _ := json.Marshal(doc)
	return string(b)
}

// hostilePage is a story page with the payload in its title, byline, body,
// quotes, captions and links.
func hostilePage(base string) string {
	e := html.EscapeString(payload)
	d := refs(payload, "&#%d;")
	return `<!doctype html><html><head><title>Page ` + e + `</title>
<meta property="og:site_name" content="` + d + `"><meta name="author" content="` + d + `"></head>
<body><article><h1>Page ` + d + `</h1><p class="byline">By ` + e + `</p>
<p>First paragraph of a long enough article ` + e + ` with more words to read so the extractor keeps it as text.</p>
<p>Second paragraph ` + d + ` also with words: the council met on Tuesday and agreed the plan for the bridge.</p>
<blockquote><p>“Quoted ` + e + `,” she said.</p></blockquote>
<figure><img src="/img.png" alt="` + d + `"><figcaption>Caption ` + e + `</figcaption></figure>
<p>Links: <a href="javascript:alert(1)">javascript</a>, <a href="file:///etc/passwd">file</a>,
<a href="` + base + `/ok">fine</a>, <a href="` + base + `/x&#27;]52;c;aGk=&#7;">control</a>.</p>
<pre><code>code ` + e + `</code></pre>
<p>Third paragraph with enough text to make this an article rather than a list of links, ` + d + `.</p>
</article></body></html>`
}

func newHostileFeedServer(t *testing.T) *httptest.Server {
	t.Helper()
	var srv *httptest.Server
	mux := http.NewServeMux()
	mux.HandleFunc("/rss", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
		fmt.Fprint(w, hostileRSS(srv.URL))
	})
	mux.HandleFunc("/json", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/feed+json")
		fmt.Fprint(w, hostileJSONFeed(srv.URL))
	})
	// /flaky is a feed once, then a broken document whose parse error
	// quotes hostile element names, so that LastError carries them.
	var flaky atomic.Int64
	mux.HandleFunc("/flaky", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		if flaky.Add(1) == 1 {
			fmt.Fprint(w, `<rss version="2.0"><channel><title>Flaky</title><item><guid>f1</guid><title>RED flaky</title></item></channel></rss>`)
			return
		}
		fmt.Fprint(w, "<rss version=\"2.0\"><channel><title>x</title><it\u009b2Jem\u202e>y</chan\u202enel></rss>")
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, hostilePage(srv.URL))
	})
	srv = httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

// injectEnv is byline in temporary XDG directories with buffer streams.
type injectEnv struct {
	f        *Factory
	ios      *iostreams.IOStreams
	out, err *bytes.Buffer
}

func newInjectEnv(t *testing.T, dir string, tty bool) *injectEnv {
	t.Helper()
	env := map[string]string{
		"HOME": dir, "XDG_CONFIG_HOME": dir + "/config", "XDG_DATA_HOME": dir + "/data",
		"XDG_CACHE_HOME": dir + "/cache", "XDG_STATE_HOME": dir + "/state",
	}
	ios, _, out, errOut := iostreams.Test()
	if tty {
		ios.SetStdoutTTY(true)
		ios.SetStderrTTY(true)
		ios.SetEnv("COLUMNS", "100")
		ios.SetEnv("LINES", "10000")
		ios.SetEnv("TERM", "xterm-256color")
	}
	f, err := NewFactory(ios, func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	f.Config.Pager = "cat" // never used: --no-pager, but never less either
	t.Cleanup(func() { f.Close() })
	return &injectEnv{f: f, ios: ios, out: out, err: errOut}
}

func (e *injectEnv) run(t *testing.T, args ...string) (stdout, stderr []byte) {
	t.Helper()
	e.out.Reset()
	e.err.Reset()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	err := Execute(ctx, e.f, args)
	if code := ExitCode(err); code != 0 {
		t.Errorf("byline %s: exit %d: %v (stderr %.300q)", strings.Join(args, " "), code, err, e.err.String())
	}
	return bytes.Clone(e.out.Bytes()), bytes.Clone(e.err.Bytes())
}

// badRune reports whether r may never reach a terminal as text.
func badRune(r rune) bool {
	return (r < 0x20 && r != '\n' && r != '\t') || r == 0x7f || (r >= 0x80 && r <= 0x9f) ||
		(r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069)
}

// checkPiped fails on any escape byte or control in b.
func checkPiped(t *testing.T, what string, b []byte) {
	t.Helper()
	if i := bytes.IndexByte(b, 0x1b); i >= 0 {
		t.Errorf("%s: ESC at byte %d: %q", what, i, context80(b, i))
		return
	}
	checkRunes(t, what, b)
}

func checkRunes(t *testing.T, what string, b []byte) {
	t.Helper()
	if !utf8.Valid(b) {
		t.Errorf("%s: invalid UTF-8", what)
	}
	for i, r := range string(b) {
		if badRune(r) {
			t.Errorf("%s: %U at byte %d: %q", what, r, i, context80(b, i))
			return
		}
	}
}

func context80(b []byte, i int) string {
	return string(b[max(0, i-40):min(len(b), i+40)])
}

// sgrSeq and osc8Seq are the only sequences allowed on a terminal.
var (
	sgrSeq  = regexp.MustCompile(`^\x1b\[[0-9;:]*m`)
	osc8Seq = regexp.MustCompile("^\x1b\\]8;([^;\x07\x1b]*);([^\x07\x1b]*)(?:\x07|\x1b\\\\)")
)

// checkTTY parses b as terminal output: SGR and OSC 8 to http(s) (or the
// empty closer) are skipped, anything else starting with ESC, and any
// control or bidi rune, fails.
func checkTTY(t *testing.T, what string, b []byte) {
	t.Helper()
	var text bytes.Buffer
	for i := 0; i < len(b); {
		if b[i] != 0x1b {
			text.WriteByte(b[i])
			i++
			continue
		}
		if m := sgrSeq.Find(b[i:]); m != nil {
			i += len(m)
			continue
		}
		if m := osc8Seq.FindSubmatch(b[i:]); m != nil {
			if u := string(m[2]); u != "" && !sanitize.IsWebURL(u) {
				t.Errorf("%s: hyperlink to %q", what, u)
			}
			i += len(m[0])
			continue
		}
		t.Errorf("%s: escape sequence other than SGR/OSC 8 at byte %d: %q", what, i, context80(b, i))
		return
	}
	checkRunes(t, what, text.Bytes())
}

// checkJSON decodes every JSON value in b (one document or a stream) and
// checks every string in it, as `jq -r` would print it.
func checkJSON(t *testing.T, what string, b []byte) {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(b))
	n := 0
	for dec.More() {
		var v any
		if err := dec.Decode(&v); err != nil {
			t.Errorf("%s: invalid JSON: %v", what, err)
			return
		}
		n++
		walkStrings(v, func(s string) { checkPiped(t, what+" (decoded string)", []byte(s)) })
	}
	if n == 0 {
		t.Errorf("%s: no JSON", what)
	}
}

func walkStrings(v any, fn func(string)) {
	switch x := v.(type) {
	case string:
		fn(x)
	case []any:
		for _, e := range x {
			walkStrings(e, fn)
		}
	case map[string]any:
		for k, e := range x {
			fn(k)
			walkStrings(e, fn)
		}
	}
}

// TestTerminalInjection runs every printing command against the hostile
// feeds, piped and on a colour terminal, and scans the bytes written.
func TestTerminalInjection(t *testing.T) {
	srv := newHostileFeedServer(t)
	t.Setenv("TERM", "xterm-256color") // colorprofile reads the process environment
	t.Setenv("COLORTERM", "truecolor")
	t.Setenv("NO_COLOR", "")
	dir := t.TempDir()

	// Subscribe and refresh piped; the same store then serves both modes.
	pipe := newInjectEnv(t, dir, false)
	for _, p := range []string{"/rss", "/json", "/flaky"} {
		out, errOut := pipe.run(t, "add", srv.URL+p)
		checkPiped(t, "add stdout", out)
		checkPiped(t, "add stderr", errOut)
	}
	out, errOut := pipe.run(t, "refresh", "--json")
	checkPiped(t, "refresh --json", out)
	checkJSON(t, "refresh --json", out)
	checkPiped(t, "refresh stderr", errOut)
	if !strings.Contains(string(errOut), "1 failed") {
		t.Errorf("refresh: want the flaky feed to fail: %q", errOut)
	}
	out, _ = pipe.run(t, "list", "--json")
	checkJSON(t, "list --json", out)
	var stories []storyJSON
	if err := json.Unmarshal(out, &stories); err != nil || len(stories) < 8 {
		t.Fatalf("list --json: %d stories, %v", len(stories), err)
	}
	pipe.f.Close()

	type cmd struct {
		args []string
		json bool
	}
	cmds := []cmd{
		{args: []string{"list"}}, {args: []string{"list", "--json"}, json: true},
		{args: []string{"feeds"}}, {args: []string{"feeds", "--json"}, json: true},
		{args: []string{"refresh"}}, {args: []string{"refresh", "--json"}, json: true},
		{args: []string{"read", srv.URL + "/page/read", "--no-pager"}},
		{args: []string{"read", srv.URL + "/page/read", "--format", "json"}, json: true},
		{args: []string{"read", srv.URL + "/page/read", "--format", "text"}},
		{args: []string{"read", srv.URL + "/page/read", "--format", "markdown"}},
	}
	for _, s := range stories {
		id := fmt.Sprint(s.ID)
		cmds = append(cmds,
			cmd{args: []string{"show", id, "--no-pager"}},
			cmd{args: []string{"show", id, "--format", "json"}, json: true},
			cmd{args: []string{"show", id, "--format", "text"}},
			cmd{args: []string{"show", id, "--format", "markdown", "--refetch"}},
		)
	}
	for _, mode := range []string{"piped", "tty"} {
		for _, c := range cmds {
			name := mode + " " + strings.Join(c.args, " ")
			t.Run(name, func(t *testing.T) {
				e := newInjectEnv(t, dir, mode == "tty")
				args := c.args
				if mode == "tty" {
					args = append([]string{"--color", "always"}, args...)
				}
				out, errOut := e.run(t, args...)
				if len(out) == 0 && (c.args[0] != "refresh" || c.json) {
					t.Errorf("no output")
				}
				if mode == "piped" {
					checkPiped(t, "stdout", out)
					checkPiped(t, "stderr", errOut)
				} else {
					checkTTY(t, "stdout", out)
					// The progress line redraws itself with CR; its text is
					// byline's own counts, control-filtered by iostreams.
					checkTTY(t, "stderr", bytes.ReplaceAll(errOut, []byte("\r"), nil))
				}
				if c.json {
					checkJSON(t, "stdout", out)
				}
				// Not vacuous: the payload's text survives and, on the
				// terminal, colour is really on.
				if (c.args[0] == "list" || c.args[0] == "feeds") && !bytes.Contains(out, []byte("RED")) {
					t.Errorf("payload text missing from %.200q", out)
				}
				explicit := strings.Contains(strings.Join(c.args, " "), "--format")
				if mode == "tty" && !c.json && !explicit && len(out) > 0 && !bytes.Contains(out, []byte("\x1b[")) {
					t.Errorf("no SGR on a colour terminal: %.200q", out)
				}
			})
		}
	}
}

// TestImportNeverExecutes: exec:, filter:, "|command", query: and file:
// entries of a newsboat urls file or an OPML file are reported, skipped and
// never run.
func TestImportNeverExecutes(t *testing.T) {
	dir := t.TempDir()
	marker := filepath.Join(dir, "xyz")
	marker2 := filepath.Join(os.TempDir(), fmt.Sprintf("byline-inject-%d", os.Getpid()))
	os.Remove(marker2)
	t.Cleanup(func() { os.Remove(marker2) })
	urls := strings.Join([]string{
		"# hostile urls file",
		`"exec:touch ` + marker + `" tag`,
		"exec:touch " + marker,
		`"filter:/bin/sh -c 'touch ` + marker + `':http://127.0.0.1:1/feed"`,
		`"|touch ` + marker + `"`,
		"|touch " + marker2,
		`"query:Unread:unread = \"yes\""`,
		"file:///etc/passwd",
		"javascript:alert(1)",
		"https://ok.example/feed.xml \"~Title \x1b]0;pwn\x07\" news",
		"",
	}, "\n")
	opml := `<?xml version="1.0"?><opml version="2.0"><head><title>x</title></head><body>
<outline text="a" xmlUrl="exec:touch ` + marker + `"/>
<outline text="b" xmlUrl="filter:touch ` + marker + `:http://127.0.0.1:1/"/>
<outline text="c" xmlUrl="|touch ` + marker2 + `"/>
<outline text="d" xmlUrl="file:///etc/passwd"/>
<outline text="e &#27;]0;pwn&#7;" xmlUrl="https://ok2.example/feed.xml"/>
</body></opml>`
	for _, tc := range []struct{ name, content string }{{"urls", urls}, {"opml", opml}} {
		t.Run(tc.name, func(t *testing.T) {
			e := newInjectEnv(t, t.TempDir(), false)
			file := filepath.Join(t.TempDir(), tc.name)
			if err := os.WriteFile(file, []byte(tc.content), 0o600); err != nil {
				t.Fatal(err)
			}
			out, errOut := e.run(t, "import", file)
			checkPiped(t, "import stdout", out)
			checkPiped(t, "import stderr", errOut)
			msg := string(errOut)
			for _, want := range []string{"exec:", "filter:", "|", "file:"} {
				if !strings.Contains(msg, "skipped") || !strings.Contains(msg, want) {
					t.Errorf("stderr does not report the %s entry: %q", want, msg)
				}
			}
			if !strings.Contains(msg, "imported 1 feeds") {
				t.Errorf("stderr %q, want one feed imported", msg)
			}
			out, _ = e.run(t, "feeds", "--json")
			var feeds []feedJSON
			if err := json.Unmarshal(out, &feeds); err != nil || len(feeds) != 1 || !strings.HasPrefix(feeds[0].URL, "https://ok") {
				t.Errorf("feeds after import: %s (%v)", out, err)
			}
			checkJSON(t, "feeds --json", out)
		})
	}
	// Nothing ran: give a stray child a moment, then look for its mark.
	time.Sleep(100 * time.Millisecond)
	for _, m := range []string{marker, marker2} {
		if _, err := os.Stat(m); err == nil {
			t.Errorf("%s exists: an import entry was executed", m)
		}
	}
}
