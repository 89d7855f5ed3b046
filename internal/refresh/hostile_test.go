package refresh_test

// Hostile server suite: every case is one httptest handler on loopback, run
// through refresh.Refresher over a real store, next to a well-behaved feed
// on the same server. Each case asserts a bounded time (a generous hang
// guard, never a tight timing), the error recorded on the feed, that the good
// feed is unaffected and that nothing is stored that should not be.

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/byline/byline/internal/fetch"
	"github.com/byline/byline/internal/model"
	"github.com/byline/byline/internal/refresh"
	"github.com/byline/byline/internal/store"
)

// Test limits: short, so that the whole suite stays fast.
const (
	testTimeout  = 2 * time.Second
	testMaxBytes = 1 << 20
	// hangGuard is the margin allowed past the deadline before a case is
	// declared hung. It is generous on purpose: CI machines are slow.
	hangGuard = 5 * time.Second
)

const goodRSS = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Good feed</title><link>http://good.example/</link>
<item><guid>g1</guid><title>Good one</title><link>http://good.example/1</link><description>first</description></item>
<item><guid>g2</guid><title>Good two</title><link>http://good.example/2</link><description>second</description></item>
<item><guid>g3</guid><title>Good three</title><link>http://good.example/3</link><description>third</description></item>
</channel></rss>
`

// hostileEnv is one store, one refresher and one loopback server serving
// /good (a valid feed) and the case's handler at /feed (and any other path).
type hostileEnv struct {
	st   *store.Store
	r    *refresh.Refresher
	srv  *httptest.Server
	stop chan struct{} // closed at cleanup: endless handlers return
	hits atomic.Int64  // requests to /feed
}

func newHostileEnv(t *testing.T, h http.HandlerFunc, maxBytes int64) *hostileEnv {
	t.Helper()
	e := &hostileEnv{stop: make(chan struct{})}
	mux := http.NewServeMux()
	mux.HandleFunc("/good", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprint(w, goodRSS)
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/feed" {
			e.hits.Add(1)
		}
		h(w, r)
	})
	e.srv = httptest.NewServer(mux)
	t.Cleanup(e.srv.Close)
	t.Cleanup(func() { close(e.stop) }) // runs before srv.Close
	if maxBytes == 0 {
		maxBytes = testMaxBytes
	}
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "byline.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	e.st = st
	e.r = &refresh.Refresher{
		Store:          st,
		Client:         fetch.New(fetch.Options{Timeout: testTimeout, DialTimeout: testTimeout, MaxBytes: maxBytes}),
		Workers:        4,
		ExtractTimeout: testTimeout,
	}
	return e
}

// add subscribes url directly in the store (no fetch).
func (e *hostileEnv) add(t *testing.T, url string) model.Feed {
	t.Helper()
	f, err := e.st.AddFeed(context.Background(), model.Feed{URL: url, CreatedAt: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func (e *hostileEnv) feed(t *testing.T, id int64) model.Feed {
	t.Helper()
	feeds, err := e.st.Feeds(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range feeds {
		if f.ID == id {
			return f
		}
	}
	t.Fatalf("feed %d not found", id)
	return model.Feed{}
}

func (e *hostileEnv) stories(t *testing.T, feedID int64) []model.Story {
	t.Helper()
	ss, err := e.st.Stories(context.Background(), store.Query{FeedID: feedID})
	if err != nil {
		t.Fatal(err)
	}
	return ss
}

// refresh refreshes feeds and fails the test when it takes longer than the
// per-request deadline plus the hang guard (plus extra for heavy cases).
func (e *hostileEnv) refresh(t *testing.T, extra time.Duration, feeds ...model.Feed) []refresh.Result {
	t.Helper()
	limit := testTimeout + hangGuard + extra
	ctx, cancel := context.WithTimeout(context.Background(), 3*limit)
	defer cancel()
	start := time.Now()
	res := e.r.Refresh(ctx, feeds, nil)
	if d := time.Since(start); d > limit {
		t.Errorf("Refresh took %s, want at most %s (deadline %s + guard)", d, limit, testTimeout)
	}
	return res
}

// checkGood asserts the well-behaved feed refreshed normally.
func (e *hostileEnv) checkGood(t *testing.T, good model.Feed, res refresh.Result) {
	t.Helper()
	if res.Status != refresh.StatusUpdated || res.Err != nil {
		t.Errorf("good feed: status %q, err %v", res.Status, res.Err)
	}
	f := e.feed(t, good.ID)
	if f.LastError != "" || f.Title != "Good feed" {
		t.Errorf("good feed: title %q, last error %q", f.Title, f.LastError)
	}
	if n := len(e.stories(t, good.ID)); n != 3 {
		t.Errorf("good feed: %d stories, want 3", n)
	}
}

func testdata(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "hostile", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// serve answers with body and content type.
func serve(body []byte, contentType string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if contentType != "" {
			w.Header().Set("Content-Type", contentType)
		}
		w.Write(body)
	}
}

func gzipBytes(t *testing.T, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	zw.Write(b)
	zw.Close()
	return buf.Bytes()
}

// drip writes one byte every interval until the client goes away or the
// test ends.
func (e *hostileEnv) drip(w http.ResponseWriter, r *http.Request, b byte, every time.Duration) {
	fl, _ := w.(http.Flusher)
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-e.stop:
			return
		case <-tick.C:
			if _, err := w.Write([]byte{b}); err != nil {
				return
			}
			if fl != nil {
				fl.Flush()
			}
		}
	}
}

type hostileCase struct {
	name     string
	handler  func(e *hostileEnv, t *testing.T) http.HandlerFunc
	maxBytes int64         // client cap, default testMaxBytes
	extra    time.Duration // added to the hang guard for heavy parse/store work
	status   string        // wanted refresh status of /feed
	errHas   string        // wanted substring of LastError; "" wants no error
	stories  int           // wanted stories of /feed; -1: not checked
	check    func(t *testing.T, e *hostileEnv, f model.Feed, ss []model.Story)
}

func fixed(h http.HandlerFunc) func(*hostileEnv, *testing.T) http.HandlerFunc {
	return func(*hostileEnv, *testing.T) http.HandlerFunc { return h }
}

func file(name, contentType string) func(*hostileEnv, *testing.T) http.HandlerFunc {
	return func(e *hostileEnv, t *testing.T) http.HandlerFunc { return serve(testdata(t, name), contentType) }
}

func runHostile(t *testing.T, cases []hostileCase) {
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var h http.HandlerFunc
			e := newHostileEnv(t, func(w http.ResponseWriter, r *http.Request) { h(w, r) }, tc.maxBytes)
			h = tc.handler(e, t)
			good := e.add(t, e.srv.URL+"/good")
			bad := e.add(t, e.srv.URL+"/feed")
			res := e.refresh(t, tc.extra, good, bad)
			e.checkGood(t, good, res[0])
			if res[1].Status != tc.status {
				t.Errorf("status %q, want %q (err %v)", res[1].Status, tc.status, res[1].Err)
			}
			f := e.feed(t, bad.ID)
			if tc.errHas == "" && f.LastError != "" {
				t.Errorf("last error %q, want none", f.LastError)
			}
			if tc.errHas != "" && !strings.Contains(f.LastError, tc.errHas) {
				t.Errorf("last error %q, want it to contain %q", f.LastError, tc.errHas)
			}
			if tc.errHas != "" && (res[1].Err == nil || !strings.Contains(res[1].Err.Error(), tc.errHas)) {
				t.Errorf("result error %v, want it to contain %q", res[1].Err, tc.errHas)
			}
			ss := e.stories(t, bad.ID)
			if tc.stories >= 0 && len(ss) != tc.stories {
				t.Errorf("%d stories stored, want %d", len(ss), tc.stories)
			}
			for _, s := range ss {
				checkStoryClean(t, s)
			}
			if tc.check != nil {
				tc.check(t, e, f, ss)
			}
		})
	}
}

// checkStoryClean asserts the invariants of every stored story: one-line
// fields clean and capped, URL http(s) or empty, Published set.
func checkStoryClean(t *testing.T, s model.Story) {
	t.Helper()
	for name, v := range map[string]string{"title": s.Title, "author": s.Author, "guid": s.GUID, "url": s.URL} {
		if !utf8.ValidString(v) {
			t.Errorf("story %d %s %q: invalid UTF-8", s.ID, name, v)
		}
		for _, r := range v {
			if r < 0x20 || r == 0x7f || (r >= 0x80 && r <= 0x9f) || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) {
				t.Errorf("story %d %s %q holds %U", s.ID, name, v, r)
				break
			}
		}
	}
	if n := utf8.RuneCountInString(s.Title); n > 500 {
		t.Errorf("story %d: title of %d runes", s.ID, n)
	}
	if s.URL != "" && !strings.HasPrefix(s.URL, "http://") && !strings.HasPrefix(s.URL, "https://") {
		t.Errorf("story %d: url %q", s.ID, s.URL)
	}
	if s.Published.IsZero() {
		t.Errorf("story %d: zero Published", s.ID)
	}
}

func TestHostileNetwork(t *testing.T) {
	bomb := gzipBytes(t, make([]byte, 20<<20)) // 20 MiB of zeros, ~20 KiB on the wire
	truncated := gzipBytes(t, []byte(goodRSS))
	truncated = truncated[:len(truncated)/2]
	cases := []hostileCase{
		{name: "slow drip of headers", status: refresh.StatusError, errHas: "timed out", stories: 0,
			handler: func(e *hostileEnv, t *testing.T) http.HandlerFunc {
				return func(w http.ResponseWriter, r *http.Request) {
					conn, buf, err := http.NewResponseController(w).Hijack()
					if err != nil {
						return
					}
					defer conn.Close()
					buf.WriteString("HTTP/1.1 200 OK\r\nX-Slow: ")
					buf.Flush()
					for i := 0; i < 600; i++ {
						select {
						case <-e.stop:
							return
						case <-time.After(100 * time.Millisecond):
						}
						if _, err := conn.Write([]byte("a")); err != nil {
							return
						}
					}
				}
			}},
		{name: "slow drip of body", status: refresh.StatusError, errHas: "timed out", stories: 0,
			handler: func(e *hostileEnv, t *testing.T) http.HandlerFunc {
				return func(w http.ResponseWriter, r *http.Request) {
					w.Header().Set("Content-Type", "application/rss+xml")
					w.Write([]byte(`<?xml version="1.0"?><rss version="2.0"><channel><title>`))
					e.drip(w, r, 'x', 50*time.Millisecond)
				}
			}},
		{name: "endless body", status: refresh.StatusError, errHas: "too large (over 1 MiB)", stories: 0,
			handler: func(e *hostileEnv, t *testing.T) http.HandlerFunc {
				return func(w http.ResponseWriter, r *http.Request) {
					chunk := bytes.Repeat([]byte("<item><title>x</title></item>\n"), 1000)
					w.Write([]byte(`<rss version="2.0"><channel>`))
					for {
						select {
						case <-e.stop:
							return
						default:
						}
						if _, err := w.Write(chunk); err != nil {
							return
						}
					}
				}
			}},
		{name: "body over the cap with content-length", status: refresh.StatusError, errHas: "too large (over 1 MiB)", stories: 0,
			handler: fixed(func(w http.ResponseWriter, r *http.Request) {
				body := bytes.Repeat([]byte("x"), 2<<20)
				w.Header().Set("Content-Length", fmt.Sprint(len(body)))
				w.Write(body)
			})},
		{name: "gzip bomb", status: refresh.StatusError, errHas: "too large (over 1 MiB)", stories: 0,
			handler: fixed(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Encoding", "gzip")
				w.Header().Set("Content-Type", "application/rss+xml")
				w.Write(bomb)
			})},
		{name: "redirect loop", status: refresh.StatusError, errHas: "redirect loop", stories: 0,
			handler: fixed(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path == "/feed" {
					http.Redirect(w, r, "/loop", http.StatusFound)
					return
				}
				http.Redirect(w, r, "/feed", http.StatusFound)
			})},
		{name: "endless redirect chain", status: refresh.StatusError, errHas: "stopped after 10 redirects", stories: 0,
			handler: fixed(func(w http.ResponseWriter, r *http.Request) {
				var n int
				fmt.Sscanf(r.URL.Query().Get("n"), "%d", &n)
				http.Redirect(w, r, fmt.Sprintf("/chain?n=%d", n+1), http.StatusFound)
			})},
		{name: "redirect to file", status: refresh.StatusError, errHas: `unsupported scheme "file"`, stories: 0,
			handler: fixed(func(w http.ResponseWriter, r *http.Request) {
				http.Redirect(w, r, "file:///etc/passwd", http.StatusFound)
			})},
		{name: "redirect to gopher", status: refresh.StatusError, errHas: `unsupported scheme "gopher"`, stories: 0,
			handler: fixed(func(w http.ResponseWriter, r *http.Request) {
				http.Redirect(w, r, "gopher://127.0.0.1:70/", http.StatusMovedPermanently)
			})},
		{name: "redirect to metadata address", status: refresh.StatusError,
			errHas: "refusing to connect to link-local or metadata address 169.254.169.254", stories: 0,
			handler: fixed(func(w http.ResponseWriter, r *http.Request) {
				// Never dialled: the client refuses the hop in CheckRedirect.
				http.Redirect(w, r, "http://169.254.169.254/latest/meta-data/iam/security-credentials/", http.StatusFound)
			})},
		{name: "redirect to mapped metadata address", status: refresh.StatusError,
			errHas: "refusing to connect to link-local or metadata address 169.254.169.254", stories: 0,
			handler: fixed(func(w http.ResponseWriter, r *http.Request) {
				http.Redirect(w, r, "http://[::ffff:169.254.169.254]/latest/meta-data/", http.StatusFound)
			})},
		{name: "redirect to ipv6 link-local", status: refresh.StatusError,
			errHas: "refusing to connect to link-local or metadata address fe80::1", stories: 0,
			handler: fixed(func(w http.ResponseWriter, r *http.Request) {
				http.Redirect(w, r, "http://[fe80::1]/", http.StatusFound)
			})},
		{name: "header holding an escape sequence", status: refresh.StatusError, errHas: "malformed mime header line", stories: 0,
			handler: fixed(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/rss+xml")
				w.Header().Set("Retry-After", "soon\x1b]0;TITLE\x07")
				w.Header().Set("X-Note", "\u009b2J")
				fmt.Fprint(w, goodRSS)
			}),
			check: func(t *testing.T, e *hostileEnv, f model.Feed, ss []model.Story) {
				if strings.ContainsAny(f.LastError, "\x1b\x07\u009b") {
					t.Errorf("raw control in last error %q", f.LastError)
				}
			}},
		{name: "500", status: refresh.StatusError, errHas: "status 500 internal server error", stories: 0,
			handler: fixed(func(w http.ResponseWriter, r *http.Request) { http.Error(w, "boom", 500) })},
		{name: "404", status: refresh.StatusError, errHas: "status 404 not found", stories: 0,
			handler: fixed(http.NotFound)},
		{name: "Expires 0", status: refresh.StatusUpdated, stories: 3,
			handler: fixed(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Expires", "0")
				w.Header().Set("Cache-Control", "no-cache, no-store, max-age=0")
				w.Header().Set("Content-Type", "application/rss+xml")
				fmt.Fprint(w, goodRSS)
			})},
		{name: "wrong content type", status: refresh.StatusUpdated, stories: 3,
			handler: fixed(serve([]byte(goodRSS), "image/png"))},
		{name: "html page where a feed should be", status: refresh.StatusError, errHas: "not a feed", stories: 0,
			handler: file("not_feed.html", "text/html; charset=utf-8")},
		{name: "empty body", status: refresh.StatusError, errHas: "not a feed (empty document)", stories: 0,
			handler: fixed(serve(nil, "application/rss+xml"))},
		{name: "early EOF", status: refresh.StatusError, errHas: "connection closed before the response was complete", stories: 0,
			handler: fixed(func(w http.ResponseWriter, r *http.Request) {
				conn, buf, err := http.NewResponseController(w).Hijack()
				if err != nil {
					return
				}
				defer conn.Close()
				fmt.Fprintf(buf, "HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nContent-Length: %d\r\n\r\n", len(goodRSS))
				buf.WriteString(goodRSS[:len(goodRSS)/2])
				buf.Flush()
			})},
		{name: "truncated gzip", status: refresh.StatusError, errHas: "truncated gzip body", stories: 0,
			handler: fixed(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Encoding", "gzip")
				w.Write(truncated)
			})},
		{name: "gzip header lies", status: refresh.StatusError, errHas: "invalid gzip body", stories: 0,
			handler: fixed(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Encoding", "gzip")
				fmt.Fprint(w, goodRSS)
			})},
		{name: "unknown content encoding", status: refresh.StatusError, errHas: `unsupported content encoding "br"`, stories: 0,
			handler: fixed(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Encoding", "br")
				fmt.Fprint(w, goodRSS)
			})},
	}
	runHostile(t, cases)
}

// TestHostileGone: 410 marks the feed dead; it is not polled again.
func TestHostileGone(t *testing.T) {
	t.Parallel()
	var h http.HandlerFunc = func(w http.ResponseWriter, r *http.Request) { http.Error(w, "gone", http.StatusGone) }
	e := newHostileEnv(t, func(w http.ResponseWriter, r *http.Request) { h(w, r) }, 0)
	good := e.add(t, e.srv.URL+"/good")
	bad := e.add(t, e.srv.URL+"/feed")
	res := e.refresh(t, 0, good, bad)
	e.checkGood(t, good, res[0])
	f := e.feed(t, bad.ID)
	if res[1].Status != refresh.StatusDead || !f.Dead || f.LastStatus != 410 || !strings.Contains(f.LastError, "status 410 gone") {
		t.Fatalf("first refresh: status %q, feed dead %v status %d error %q", res[1].Status, f.Dead, f.LastStatus, f.LastError)
	}
	res = e.refresh(t, 0, e.feed(t, good.ID), f)
	if res[1].Status != refresh.StatusDead || res[1].Err == nil || !strings.Contains(res[1].Err.Error(), "gone (410)") {
		t.Errorf("second refresh: %q %v", res[1].Status, res[1].Err)
	}
	if n := e.hits.Load(); n != 1 {
		t.Errorf("dead feed requested %d times, want 1", n)
	}
}

// TestHostileRetryAfter: 429 and 503 with Retry-After in seconds, as an HTTP
// date, absurd or broken. A usable value is recorded (capped at 7 days) and
// the feed is skipped, without a request, until then.
func TestHostileRetryAfter(t *testing.T) {
	const week = 7 * 24 * time.Hour
	cases := []struct {
		name    string
		code    int
		value   func(now time.Time) string
		want    func(now time.Time) time.Duration // wanted RetryAfter - now; 0: none
		skipped bool
	}{
		{"429 seconds", 429, func(time.Time) string { return "120" }, func(time.Time) time.Duration { return 120 * time.Second }, true},
		{"503 http date", 503, func(now time.Time) string { return now.Add(time.Hour).UTC().Format(http.TimeFormat) },
			func(time.Time) time.Duration { return time.Hour }, true},
		{"429 absurd seconds", 429, func(time.Time) string { return "99999999999999" }, func(time.Time) time.Duration { return week }, true},
		{"503 absurd date", 503, func(time.Time) string { return "Fri, 31 Dec 9999 23:59:59 GMT" }, func(time.Time) time.Duration { return week }, true},
		{"429 overflowing seconds", 429, func(time.Time) string { return "99999999999999999999999" }, func(time.Time) time.Duration { return 0 }, false},
		{"503 negative", 503, func(time.Time) string { return "-30" }, func(time.Time) time.Duration { return 0 }, false},
		{"429 past date", 429, func(time.Time) string { return "Mon, 01 Jan 1990 00:00:00 GMT" }, func(time.Time) time.Duration { return 0 }, false},
		{"503 garbage", 503, func(time.Time) string { return "soon, maybe" }, func(time.Time) time.Duration { return 0 }, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			now := time.Now()
			e := newHostileEnv(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Retry-After", tc.value(now))
				http.Error(w, "slow down", tc.code)
			}, 0)
			good := e.add(t, e.srv.URL+"/good")
			bad := e.add(t, e.srv.URL+"/feed")
			res := e.refresh(t, 0, good, bad)
			e.checkGood(t, good, res[0])
			f := e.feed(t, bad.ID)
			if res[1].Status != refresh.StatusError || !strings.Contains(f.LastError, fmt.Sprintf("status %d", tc.code)) {
				t.Errorf("status %q, last error %q", res[1].Status, f.LastError)
			}
			want := tc.want(now)
			switch {
			case want == 0 && !f.RetryAfter.IsZero():
				t.Errorf("RetryAfter = %s, want none", f.RetryAfter)
			case want != 0:
				got := f.RetryAfter.Sub(now)
				if got < want-time.Minute || got > want+time.Minute {
					t.Errorf("RetryAfter = now + %s, want now + %s", got, want)
				}
			}
			res = e.refresh(t, 0, f)
			if tc.skipped && res[0].Status != refresh.StatusSkipped {
				t.Errorf("second refresh: status %q, want skipped", res[0].Status)
			}
			wantHits := int64(2)
			if tc.skipped {
				wantHits = 1
			}
			if n := e.hits.Load(); n != wantHits {
				t.Errorf("%d requests, want %d", n, wantHits)
			}
			if len(e.stories(t, bad.ID)) != 0 {
				t.Error("stories stored")
			}
		})
	}
}

// TestHostileChangingETag: an ETag that changes on every response neither
// duplicates stories nor breaks the next refresh.
func TestHostileChangingETag(t *testing.T) {
	t.Parallel()
	var n atomic.Int64
	var mu sync.Mutex
	var seen []string
	e := newHostileEnv(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, r.Header.Get("If-None-Match"))
		mu.Unlock()
		w.Header().Set("ETag", fmt.Sprintf(`"v%d"`, n.Add(1)))
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprint(w, goodRSS)
	}, 0)
	bad := e.add(t, e.srv.URL+"/feed")
	for i := 0; i < 3; i++ {
		res := e.refresh(t, 0, e.feed(t, bad.ID))
		if res[0].Status != refresh.StatusUpdated {
			t.Fatalf("refresh %d: %q %v", i, res[0].Status, res[0].Err)
		}
		if i > 0 && res[0].New != 0 {
			t.Errorf("refresh %d: %d new stories, want 0", i, res[0].New)
		}
	}
	if ss := e.stories(t, bad.ID); len(ss) != 3 {
		t.Errorf("%d stories, want 3", len(ss))
	}
	if f := e.feed(t, bad.ID); f.ETag != `"v3"` {
		t.Errorf("etag %q", f.ETag)
	}
	mu.Lock()
	defer mu.Unlock()
	if strings.Join(seen, ",") != `,"v1","v2"` {
		t.Errorf("If-None-Match sent: %q", seen)
	}
}

func rssItems(n int, item func(i int) string) []byte {
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0"?><rss version="2.0"><channel><title>Many</title>`)
	for i := 0; i < n; i++ {
		b.WriteString(item(i))
	}
	b.WriteString("</channel></rss>")
	return b.Bytes()
}

func TestHostileFeedBodies(t *testing.T) {
	deep := func() []byte {
		var b bytes.Buffer
		b.WriteString(`<?xml version="1.0"?><rss version="2.0"><channel><title>Deep</title><item><guid>d</guid><title>`)
		b.Write(bytes.Repeat([]byte("<a>"), 300000))
		b.WriteString(`</title></item></channel></rss>`)
		return b.Bytes()
	}()
	hugeTitle := strings.Repeat("Long title ", 200000) // 2.2 MB
	bigTitle := []byte(`<?xml version="1.0"?><rss version="2.0"><channel><title>` + hugeTitle +
		`</title><item><guid>t</guid><title>` + hugeTitle + `</title><author>` + hugeTitle[:200000] + `</author></item></channel></rss>`)
	many := rssItems(20000, func(i int) string { return fmt.Sprintf("<item><guid>%d</guid><title>t%d</title></item>", i, i) })
	cases := []hostileCase{
		{name: "billion laughs", status: refresh.StatusError, errHas: "entity expansion refused", stories: 0,
			handler: file("billion_laughs.xml", "application/rss+xml")},
		{name: "300000 nested elements", status: refresh.StatusError, errHas: "nested deeper than 10000 levels", stories: 0,
			handler: fixed(serve(deep, "application/rss+xml"))},
		{name: "multi-megabyte title", maxBytes: 16 << 20, extra: 60 * time.Second, status: refresh.StatusUpdated, stories: 1,
			handler: fixed(serve(bigTitle, "application/rss+xml")),
			check: func(t *testing.T, e *hostileEnv, f model.Feed, ss []model.Story) {
				if n := utf8.RuneCountInString(f.Title); n > 500 || !strings.HasSuffix(f.Title, "…") {
					t.Errorf("feed title of %d runes", n)
				}
				if n := utf8.RuneCountInString(ss[0].Author); n > 500 {
					t.Errorf("author of %d runes", n)
				}
			}},
		{name: "20000 items", extra: 60 * time.Second, status: refresh.StatusUpdated, stories: 20000,
			handler: fixed(serve(many, "application/rss+xml"))},
		{name: "duplicate guids", status: refresh.StatusUpdated, stories: 2,
			handler: file("dup_guid.xml", "application/rss+xml"),
			check: func(t *testing.T, e *hostileEnv, f model.Feed, ss []model.Story) {
				titles := map[string]bool{}
				for _, s := range ss {
					titles[s.Title] = true
				}
				if !titles["First"] || !titles["Other"] {
					t.Errorf("titles %v, want the first of each guid", titles)
				}
			}},
		{name: "items with no guid and no link", status: refresh.StatusUpdated, stories: 3,
			handler: file("no_guid_no_link.xml", "application/rss+xml"),
			check: func(t *testing.T, e *hostileEnv, f model.Feed, ss []model.Story) {
				for _, s := range ss {
					if s.URL != "" || s.GUID != "" {
						t.Errorf("story %q: url %q guid %q", s.Title, s.URL, s.GUID)
					}
				}
			}},
		{name: "illegal XML characters", status: refresh.StatusUpdated, stories: 1,
			handler: file("illegal_chars.xml", "application/rss+xml"),
			check: func(t *testing.T, e *hostileEnv, f model.Feed, ss []model.Story) {
				if ss[0].Title != "abcd[31mef" {
					t.Errorf("title %q", ss[0].Title)
				}
			}},
		{name: "invalid UTF-8 declared UTF-8", status: refresh.StatusUpdated, stories: 1,
			handler: file("invalid_utf8_declared.xml", "application/rss+xml"),
			check: func(t *testing.T, e *hostileEnv, f model.Feed, ss []model.Story) {
				// U+FFFD, or the bytes read as Windows-1252: either way valid text.
				if got := ss[0].Title; got != "bad \uFFFD byte" && got != "bad ÿþ byte" {
					t.Errorf("title %q", got)
				}
			}},
		{name: "invalid UTF-8 undeclared", status: refresh.StatusUpdated, stories: 1,
			handler: file("invalid_utf8_undeclared.xml", "application/rss+xml"),
			check:   wantTitle("café crème")},
		{name: "ISO-8859-1 declared", status: refresh.StatusUpdated, stories: 1,
			handler: file("iso8859_1_decl.xml", "application/rss+xml"), check: wantTitle("café naïve £")},
		{name: "ISO-8859-1 in header only", status: refresh.StatusUpdated, stories: 1,
			handler: file("iso8859_1_nodecl.xml", "application/rss+xml; charset=ISO-8859-1"), check: wantTitle("café naïve £")},
		{name: "ISO-8859-1 undeclared", status: refresh.StatusUpdated, stories: 1,
			handler: file("iso8859_1_nodecl.xml", "application/rss+xml"), check: wantTitle("café naïve £")},
		{name: "Windows-1252 declared", status: refresh.StatusUpdated, stories: 1,
			handler: file("cp1252_decl.xml", "application/rss+xml"), check: wantTitle("“smart” € café")},
		{name: "Windows-1252 undeclared", status: refresh.StatusUpdated, stories: 1,
			handler: file("cp1252_nodecl.xml", "text/xml"), check: wantTitle("“smart” € café")},
		{name: "Windows-1252 declared, header says utf-8", status: refresh.StatusUpdated, stories: 1,
			handler: file("cp1252_decl.xml", "text/xml; charset=utf-8"), check: wantTitle("“smart” € café")},
		{name: "UTF-8 BOM", status: refresh.StatusUpdated, stories: 1,
			handler: file("utf8_bom.xml", "application/rss+xml"), check: wantTitle("Ünïcøde")},
		{name: "far future, far past and unparseable dates", status: refresh.StatusUpdated, stories: 4,
			handler: file("dates.xml", "application/rss+xml"),
			check: func(t *testing.T, e *hostileEnv, f model.Feed, ss []model.Story) {
				now := time.Now()
				for _, s := range ss {
					switch s.Title {
					case "Future", "Garbage", "None":
						if d := s.Published.Sub(now); d < -time.Minute || d > time.Minute {
							t.Errorf("%s: published %s, want now", s.Title, s.Published)
						}
					case "Past":
						if s.Published.Year() != 1900 {
							t.Errorf("past: published %s", s.Published)
						}
					}
				}
			}},
		{name: "relative, protocol-relative, javascript and file links", status: refresh.StatusUpdated, stories: 6,
			handler: file("links.xml", "application/rss+xml"),
			check: func(t *testing.T, e *hostileEnv, f model.Feed, ss []model.Story) {
				want := map[string]string{
					"Relative": e.srv.URL + "/post/1?a=b#c", "Protocol relative": "http://cdn.example/x",
					"Javascript": "", "File": "", "Data": "",
				}
				for _, s := range ss {
					if w, ok := want[s.Title]; ok && s.URL != w {
						t.Errorf("%s: url %q, want %q", s.Title, s.URL, w)
					}
					if s.Title == "Control" && strings.ContainsAny(s.URL, "\x1b\x07") {
						t.Errorf("control: url %q", s.URL)
					}
				}
			}},
	}
	runHostile(t, cases)
}

// binary is 64 KiB of bytes of every value, as in an image or an archive.
func binary() []byte {
	b := make([]byte, 64<<10)
	for i := range b {
		b[i] = byte(i * 7)
	}
	return b
}

func wantTitle(want string) func(t *testing.T, e *hostileEnv, f model.Feed, ss []model.Story) {
	return func(t *testing.T, e *hostileEnv, f model.Feed, ss []model.Story) {
		t.Helper()
		if len(ss) == 0 || ss[0].Title != want {
			t.Errorf("stories %+v, want title %q", ss, want)
		}
	}
}

// TestHostileArticles: a hostile story page makes Refresher.Article fall
// back to the feed's content with a Note, within bounds; the fallback is not
// cached.
func TestHostileArticles(t *testing.T) {
	deepPage := "<html><body>" + strings.Repeat("<div>", 150000) + "deep" + "</body></html>"
	wide := "<html><body><article>" + strings.Repeat("<p><a href=x>a</a> <b>b</b> <i>c</i></p>", 25000) + "</article></body></html>"
	cases := []struct {
		name    string
		handler func(e *hostileEnv) http.HandlerFunc
		noteHas string
	}{
		{"deep page", func(e *hostileEnv) http.HandlerFunc { return serve([]byte(deepPage), "text/html") }, "Could not get the full article"},
		{"wide page", func(e *hostileEnv) http.HandlerFunc { return serve([]byte(wide), "text/html") }, ""},
		{"pdf", func(e *hostileEnv) http.HandlerFunc {
			return serve([]byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n"), "application/pdf")
		}, "not a web page"},
		{"binary as html", func(e *hostileEnv) http.HandlerFunc { return serve(binary(), "text/html") }, "binary content"},
		{"binary without content type", func(e *hostileEnv) http.HandlerFunc {
			return func(w http.ResponseWriter, r *http.Request) {
				w.Header()["Content-Type"] = nil // no sniffing by net/http either
				w.Write(binary())
			}
		}, "not a web page"},
		{"slow page", func(e *hostileEnv) http.HandlerFunc {
			return func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "text/html")
				w.Write([]byte("<html><body><p>"))
				e.drip(w, r, 'x', 50*time.Millisecond)
			}
		}, "timed out"},
		{"redirect to a huge download", func(e *hostileEnv) http.HandlerFunc {
			return func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path == "/page" {
					http.Redirect(w, r, "/download.iso", http.StatusFound)
					return
				}
				w.Header().Set("Content-Type", "text/html")
				chunk := bytes.Repeat([]byte("<p>zzzz</p>"), 10000)
				for {
					select {
					case <-e.stop:
						return
					default:
					}
					if _, err := w.Write(chunk); err != nil {
						return
					}
				}
			}
		}, "too large"},
		{"redirect to metadata address", func(e *hostileEnv) http.HandlerFunc {
			return func(w http.ResponseWriter, r *http.Request) {
				http.Redirect(w, r, "http://169.254.169.254/latest/meta-data/", http.StatusFound)
			}
		}, "refusing to connect"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var h http.HandlerFunc
			e := newHostileEnv(t, func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path == "/feed" {
					w.Header().Set("Content-Type", "application/rss+xml")
					fmt.Fprintf(w, `<rss version="2.0"><channel><title>Articles</title><item><guid>a1</guid>
<title>Story</title><link>/page</link><description>Feed summary of the story.</description></item></channel></rss>`)
					return
				}
				h(w, r)
			}, 0)
			h = tc.handler(e)
			f := e.add(t, e.srv.URL+"/feed")
			if res := e.refresh(t, 0, f); res[0].Status != refresh.StatusUpdated {
				t.Fatalf("refresh: %q %v", res[0].Status, res[0].Err)
			}
			ss := e.stories(t, f.ID)
			if len(ss) != 1 {
				t.Fatalf("%d stories", len(ss))
			}
			ctx, cancel := context.WithTimeout(context.Background(), 4*(testTimeout+hangGuard))
			defer cancel()
			start := time.Now()
			a, err := e.r.Article(ctx, ss[0].ID, false)
			// Fetch deadline, then extraction deadline, then the guard.
			if d := time.Since(start); d > 2*testTimeout+hangGuard {
				t.Errorf("Article took %s", d)
			}
			if err != nil {
				t.Fatalf("Article: %v", err)
			}
			for _, r := range a.Markdown + a.Title + a.Note {
				if r < 0x20 && r != '\n' && r != '\t' || r == 0x7f || r >= 0x80 && r <= 0x9f {
					t.Errorf("article holds %U", r)
					break
				}
			}
			if tc.noteHas == "" { // the page may or may not extract; either is fine
				return
			}
			if a.Source == model.SourceExtracted || !strings.Contains(a.Markdown, "Feed summary of the story.") {
				t.Errorf("article source %q, markdown %.200q: want the feed's content", a.Source, a.Markdown)
			}
			if !strings.Contains(a.Note, tc.noteHas) {
				t.Errorf("note %q, want it to contain %q", a.Note, tc.noteHas)
			}
			if _, err := e.st.Article(context.Background(), ss[0].ID); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("fallback was cached: %v", err)
			}
		})
	}
}

// TestHostilePanicIsolated: a panic while one feed is processed becomes that
// feed's error; the other feeds refresh and the process goes on. (No known
// input makes the parser panic, and feed.Parse recovers by itself, so the
// panic is injected through the clock, which refreshOne reads per feed.)
func TestHostilePanicIsolated(t *testing.T) {
	t.Parallel()
	e := newHostileEnv(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprint(w, strings.ReplaceAll(goodRSS, "Good feed", "Feed "+r.URL.Path))
	}, 0)
	var calls atomic.Int64
	e.r.Workers = 1
	e.r.Now = func() time.Time {
		if calls.Add(1) == 2 {
			panic("injected")
		}
		return time.Now()
	}
	feeds := []model.Feed{e.add(t, e.srv.URL+"/a"), e.add(t, e.srv.URL+"/b"), e.add(t, e.srv.URL+"/c")}
	res := e.refresh(t, 0, feeds...)
	var crashed []int
	for i, r := range res {
		switch {
		case r.Status == refresh.StatusError && r.Err != nil && strings.Contains(r.Err.Error(), "internal error: injected"):
			crashed = append(crashed, i)
			if n := len(e.stories(t, feeds[i].ID)); n != 0 {
				t.Errorf("crashed feed has %d stories", n)
			}
		case r.Status == refresh.StatusUpdated:
			if n := len(e.stories(t, feeds[i].ID)); n != 3 {
				t.Errorf("feed %d: %d stories", i, n)
			}
		default:
			t.Errorf("feed %d: %s %v", i, r.Status, r.Err)
		}
	}
	if len(crashed) != 1 {
		t.Errorf("%d feeds crashed, want exactly 1", len(crashed))
	}
}

// TestHostileExtractTimeout: extraction that outlasts its bound gives up;
// the reader gets the feed's content and a Note saying why.
func TestHostileExtractTimeout(t *testing.T) {
	t.Parallel()
	page := "<html><body><article>" + strings.Repeat("<p>Some words of a paragraph, <b>bold</b> and <a href=/x>linked</a>.</p>", 10000) + "</article></body></html>"
	e := newHostileEnv(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/feed" {
			w.Header().Set("Content-Type", "application/rss+xml")
			fmt.Fprint(w, `<rss version="2.0"><channel><title>T</title><item><guid>a</guid><title>Story</title><link>/page</link><description>Feed summary of the story.</description></item></channel></rss>`)
			return
		}
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, page)
	}, 0)
	e.r.ExtractTimeout = time.Millisecond
	f := e.add(t, e.srv.URL+"/feed")
	e.refresh(t, 0, f)
	ss := e.stories(t, f.ID)
	if len(ss) != 1 {
		t.Fatalf("%d stories", len(ss))
	}
	start := time.Now()
	a, err := e.r.Article(context.Background(), ss[0].ID, false)
	if d := time.Since(start); d > testTimeout+hangGuard {
		t.Errorf("Article took %s", d)
	}
	if err != nil || !strings.Contains(a.Note, "gave up after 1ms") || !strings.Contains(a.Markdown, "Feed summary") {
		t.Errorf("err %v, note %q, markdown %.100q", err, a.Note, a.Markdown)
	}
}

// TestHostileSubscribe: `byline add` of a page whose feed links all lead
// nowhere useful (slow drip, javascript:, file:, the metadata address, an
// endless body) tries at most 20 candidates, each bounded by the deadline,
// then says the page has no feed; nothing is stored.
func TestHostileSubscribe(t *testing.T) {
	t.Parallel()
	var e *hostileEnv
	e = newHostileEnv(t, func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/page":
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprint(w, `<html><head>
<link rel="alternate" type="application/rss+xml" href="javascript:alert(1)">
<link rel="alternate" type="application/rss+xml" href="file:///etc/passwd">
<link rel="alternate" type="application/rss+xml" href="http://169.254.169.254/latest/meta-data/">
<link rel="alternate" type="application/rss+xml" href="/endless">`)
			for i := 0; i < 30; i++ {
				fmt.Fprintf(w, `<link rel="alternate" type="application/rss+xml" href="/slow/%d">`, i)
			}
			fmt.Fprint(w, `</head><body>no feed</body></html>`)
		case r.URL.Path == "/endless":
			for {
				select {
				case <-e.stop:
					return
				default:
				}
				if _, err := w.Write(bytes.Repeat([]byte("<rss>"), 10000)); err != nil {
					return
				}
			}
		case strings.HasPrefix(r.URL.Path, "/slow/"):
			e.hits.Add(1)
			w.Header().Set("Content-Type", "application/rss+xml")
			e.drip(w, r, 'x', 100*time.Millisecond)
		default:
			http.NotFound(w, r)
		}
	}, 0)
	e.r.Client = fetch.New(fetch.Options{Timeout: 300 * time.Millisecond, MaxBytes: testMaxBytes, PerHost: 4})
	start := time.Now()
	_, _, err := e.r.Subscribe(context.Background(), e.srv.URL+"/page", nil)
	d := time.Since(start)
	if err == nil || !strings.Contains(err.Error(), "is a web page with no feed") {
		t.Errorf("Subscribe: %v", err)
	}
	if d > 21*300*time.Millisecond+hangGuard {
		t.Errorf("Subscribe took %s", d)
	}
	if n := e.hits.Load(); n > 20 {
		t.Errorf("%d slow candidates tried, want at most 20", n)
	}
	if feeds, _ := e.st.Feeds(context.Background()); len(feeds) != 0 {
		t.Errorf("%d feeds stored", len(feeds))
	}
	t.Logf("gave up after %s (%d slow candidates tried): %v", d.Round(time.Millisecond), e.hits.Load(), err)
}
