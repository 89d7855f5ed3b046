package fetch

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

func newServer(t *testing.T, h http.HandlerFunc) *httptest.Server {
	t.Helper()
	s := httptest.NewServer(h)
	t.Cleanup(s.Close)
	return s
}

func get(t *testing.T, c *Client, url string) (*Response, error) {
	t.Helper()
	return c.Get(context.Background(), Request{URL: url})
}

func TestGetOK(t *testing.T) {
	var gotUA, gotAE, gotAccept string
	s := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		gotUA, gotAE, gotAccept = r.UserAgent(), r.Header.Get("Accept-Encoding"), r.Header.Get("Accept")
		w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
		w.Header().Set("ETag", `"v1"`)
		w.Header().Set("Last-Modified", "Mon, 02 Jan 2006 15:04:05 GMT")
		fmt.Fprint(w, "<rss/>")
	})
	c := New(Options{UserAgent: "byline/1.0 (+https://example.org)"})
	resp, err := c.Get(context.Background(), Request{URL: s.URL + "/feed", Accept: "application/rss+xml"})
	if err != nil {
		t.Fatal(err)
	}
	if string(resp.Body) != "<rss/>" || resp.Status != 200 || resp.NotModified {
		t.Errorf("resp = %+v", resp)
	}
	if resp.ETag != `"v1"` || resp.LastModified != "Mon, 02 Jan 2006 15:04:05 GMT" {
		t.Errorf("validators = %q %q", resp.ETag, resp.LastModified)
	}
	if resp.ContentType != "application/rss+xml; charset=utf-8" || resp.URL != s.URL+"/feed" || resp.PermanentURL != "" {
		t.Errorf("resp = %+v", resp)
	}
	if gotUA != "byline/1.0 (+https://example.org)" || gotAE != "gzip, deflate" || gotAccept != "application/rss+xml" {
		t.Errorf("headers: UA %q, AE %q, Accept %q", gotUA, gotAE, gotAccept)
	}
}

func TestDefaultUserAgent(t *testing.T) {
	var ua string
	s := newServer(t, func(w http.ResponseWriter, r *http.Request) { ua = r.UserAgent() })
	if _, err := get(t, New(Options{}), s.URL); err != nil {
		t.Fatal(err)
	}
	if ua != "byline" {
		t.Errorf("UA = %q", ua)
	}
}

func TestNotModified(t *testing.T) {
	var inm, ims string
	s := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		inm, ims = r.Header.Get("If-None-Match"), r.Header.Get("If-Modified-Since")
		if inm == `"v1"` {
			w.Header().Set("ETag", `"v1"`)
			w.WriteHeader(http.StatusNotModified)
			return
		}
		fmt.Fprint(w, "fresh")
	})
	c := New(Options{})
	resp, err := c.Get(context.Background(), Request{URL: s.URL, ETag: `"v1"`, LastModified: "Mon, 02 Jan 2006 15:04:05 GMT"})
	if err != nil {
		t.Fatal(err)
	}
	if !resp.NotModified || resp.Status != 304 || resp.Body != nil || resp.ETag != `"v1"` {
		t.Errorf("resp = %+v", resp)
	}
	if ims != "Mon, 02 Jan 2006 15:04:05 GMT" {
		t.Errorf("If-Modified-Since = %q", ims)
	}
	resp, err = c.Get(context.Background(), Request{URL: s.URL, ETag: `"old"`})
	if err != nil || resp.NotModified || string(resp.Body) != "fresh" {
		t.Errorf("resp = %+v, %v", resp, err)
	}
}

func TestStatusErrors(t *testing.T) {
	for _, code := range []int{404, 500, 410, 403} {
		t.Run(fmt.Sprint(code), func(t *testing.T) {
			s := newServer(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Retry-After", "120") // ignored outside 429/503
				w.WriteHeader(code)
			})
			_, err := get(t, New(Options{}), s.URL+"/feed")
			var se *StatusError
			if !errors.As(err, &se) || se.Code != code || se.URL != s.URL+"/feed" || !se.RetryAfter.IsZero() {
				t.Fatalf("err = %#v", err)
			}
			want := fmt.Sprintf("fetch %s/feed: status %d %s", s.URL, code, strings.ToLower(http.StatusText(code)))
			if err.Error() != want {
				t.Errorf("message = %q, want %q", err.Error(), want)
			}
		})
	}
}

func TestRetryAfter(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	tests := []struct {
		name   string
		code   int
		header string
		want   time.Time
	}{
		{"seconds", 429, "120", now.Add(2 * time.Minute)},
		{"date", 503, now.Add(time.Hour).Format(http.TimeFormat), now.Add(time.Hour)},
		{"negative", 429, "-5", time.Time{}},
		{"past date", 503, now.Add(-time.Hour).Format(http.TimeFormat), time.Time{}},
		{"absurd seconds", 429, "999999999999", now.Add(7 * 24 * time.Hour)},
		{"absurd date", 503, now.AddDate(5, 0, 0).Format(http.TimeFormat), now.Add(7 * 24 * time.Hour)},
		{"garbage", 429, "soon", time.Time{}},
		{"missing", 503, "", time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newServer(t, func(w http.ResponseWriter, r *http.Request) {
				if tt.header != "" {
					w.Header().Set("Retry-After", tt.header)
				}
				w.WriteHeader(tt.code)
			})
			c := New(Options{})
			c.now = func() time.Time { return now }
			_, err := get(t, c, s.URL)
			var se *StatusError
			if !errors.As(err, &se) || se.Code != tt.code {
				t.Fatalf("err = %v", err)
			}
			if !se.RetryAfter.Equal(tt.want) {
				t.Errorf("RetryAfter = %v, want %v", se.RetryAfter, tt.want)
			}
		})
	}
}

func TestRedirects(t *testing.T) {
	s := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/p1":
			http.Redirect(w, r, "/p2", http.StatusMovedPermanently)
		case "/p2":
			http.Redirect(w, r, "/final", http.StatusPermanentRedirect)
		case "/t1":
			http.Redirect(w, r, "/p2", http.StatusFound)
		case "/t2":
			http.Redirect(w, r, "/final", http.StatusTemporaryRedirect)
		case "/loop-a":
			http.Redirect(w, r, "/loop-b", http.StatusFound)
		case "/loop-b":
			http.Redirect(w, r, "/loop-a", http.StatusFound)
		case "/file":
			http.Redirect(w, r, "file:///etc/passwd", http.StatusFound)
		case "/ftp":
			http.Redirect(w, r, "ftp://example.org/x", http.StatusMovedPermanently)
		case "/metadata":
			http.Redirect(w, r, "http://169.254.169.254/latest/meta-data/", http.StatusFound)
		case "/metadata6":
			http.Redirect(w, r, "http://[fe80::1]/", http.StatusFound)
		case "/final":
			fmt.Fprint(w, "ok")
		default:
			var n int
			if _, err := fmt.Sscanf(r.URL.Path, "/chain/%d", &n); err == nil {
				if n == 0 {
					fmt.Fprint(w, "ok")
					return
				}
				http.Redirect(w, r, fmt.Sprintf("/chain/%d", n-1), http.StatusFound)
				return
			}
			http.NotFound(w, r)
		}
	})
	ok := []struct {
		path, wantURL, wantPermanent string
	}{
		{"/p1", "/final", "/final"},
		{"/t1", "/final", ""},
		{"/t2", "/final", ""},
		{"/final", "/final", ""},
		{"/chain/10", "/chain/0", ""},
	}
	for _, tt := range ok {
		t.Run(tt.path, func(t *testing.T) {
			resp, err := get(t, New(Options{}), s.URL+tt.path)
			if err != nil {
				t.Fatal(err)
			}
			wantPerm := ""
			if tt.wantPermanent != "" {
				wantPerm = s.URL + tt.wantPermanent
			}
			if resp.URL != s.URL+tt.wantURL || resp.PermanentURL != wantPerm {
				t.Errorf("URL %q PermanentURL %q", resp.URL, resp.PermanentURL)
			}
		})
	}
	bad := []struct {
		path string
		kind error
		msg  string
	}{
		{"/loop-a", ErrTooManyRedirects, "redirect loop"},
		{"/chain/11", ErrTooManyRedirects, "stopped after 10 redirects"},
		{"/file", ErrScheme, `unsupported scheme "file"`},
		{"/ftp", ErrScheme, `unsupported scheme "ftp"`},
		{"/metadata", ErrForbiddenAddress, "169.254.169.254"},
		{"/metadata6", ErrForbiddenAddress, "fe80::1"},
	}
	for _, tt := range bad {
		t.Run(tt.path, func(t *testing.T) {
			_, err := get(t, New(Options{}), s.URL+tt.path)
			if !errors.Is(err, tt.kind) {
				t.Fatalf("err = %v, want %v", err, tt.kind)
			}
			checkMessage(t, err, s.URL+tt.path, tt.msg)
		})
	}
}

// checkMessage asserts the one-line, URL-naming, no-Go-chain error format.
func checkMessage(t *testing.T, err error, url, fragment string) {
	t.Helper()
	msg := err.Error()
	if !strings.HasPrefix(msg, "fetch "+url+": ") || !strings.Contains(msg, fragment) {
		t.Errorf("message = %q, want prefix %q and %q", msg, "fetch "+url+": ", fragment)
	}
	for _, raw := range []string{`Get "`, "dial tcp", "\n"} {
		if strings.Contains(msg, raw) {
			t.Errorf("message %q contains raw %q", msg, raw)
		}
	}
}

func TestInitialURLRules(t *testing.T) {
	tests := []struct {
		url  string
		kind error
	}{
		{"file:///etc/passwd", ErrScheme},
		{"ftp://example.org/feed", ErrScheme},
		{"http://169.254.169.254/latest/meta-data/", ErrForbiddenAddress},
		{"http://0.0.0.0:1/", ErrForbiddenAddress},
		{"http://[::ffff:169.254.1.1]/", ErrForbiddenAddress},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			_, err := get(t, New(Options{}), tt.url)
			if !errors.Is(err, tt.kind) {
				t.Fatalf("err = %v, want %v", err, tt.kind)
			}
		})
	}
}

func TestDialControl(t *testing.T) {
	tests := []struct {
		addr   string
		refuse bool
	}{
		{"169.254.169.254:80", true},
		{"169.254.0.1:443", true},
		{"[fe80::1]:80", true},
		{"0.0.0.0:80", true},
		{"[::]:80", true},
		{"127.0.0.1:80", false},
		{"[::1]:80", false},
		{"10.0.0.1:80", false},
		{"192.168.1.1:80", false},
		{"93.184.216.34:443", false},
	}
	for _, tt := range tests {
		err := dialControl("tcp", tt.addr, nil)
		if got := errors.Is(err, ErrForbiddenAddress); got != tt.refuse {
			t.Errorf("dialControl(%s) = %v, want refused %v", tt.addr, err, tt.refuse)
		}
	}
}

func gzipBytes(t *testing.T, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(b)
	zw.Close()
	return buf.Bytes()
}

func TestCompression(t *testing.T) {
	body := bytes.Repeat([]byte("<item>hello</item>\n"), 500)
	var zl, raw bytes.Buffer
	zw := zlib.NewWriter(&zl)
	zw.Write(body)
	zw.Close()
	fw, _ := flate.NewWriter(&raw, flate.DefaultCompression)
	fw.Write(body)
	fw.Close()
	tests := []struct {
		name, enc string
		data      []byte
	}{
		{"gzip", "gzip", gzipBytes(t, body)},
		{"deflate zlib", "deflate", zl.Bytes()},
		{"deflate raw", "deflate", raw.Bytes()},
		{"identity", "", body},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newServer(t, func(w http.ResponseWriter, r *http.Request) {
				if tt.enc != "" {
					w.Header().Set("Content-Encoding", tt.enc)
				}
				w.Write(tt.data)
			})
			resp, err := get(t, New(Options{}), s.URL)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(resp.Body, body) {
				t.Errorf("body mismatch: %d bytes", len(resp.Body))
			}
		})
	}
}

func TestTooLarge(t *testing.T) {
	// 64 gzip members of 1 MiB of zeros each: a valid multi-member stream
	// that inflates to 64 MiB from about 64 KiB.
	bomb := bytes.Repeat(gzipBytes(t, make([]byte, 1<<20)), 64)
	tests := []struct {
		name string
		max  int64
		h    http.HandlerFunc
		msg  string
	}{
		{"gzip bomb", 1 << 20, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Encoding", "gzip")
			w.Write(bomb)
		}, "too large (over 1 MiB)"},
		{"declared length over default cap", 0, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Length", fmt.Sprint(16<<20))
			w.WriteHeader(http.StatusOK)
		}, "too large (over 15 MiB)"},
		{"plain with length", 1 << 10, func(w http.ResponseWriter, r *http.Request) {
			w.Write(make([]byte, 2<<10))
		}, "too large (over 1 KiB)"},
		{"plain chunked", 1 << 10, func(w http.ResponseWriter, r *http.Request) {
			for range 4 {
				w.Write(make([]byte, 700))
				w.(http.Flusher).Flush()
			}
		}, "too large (over 1 KiB)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newServer(t, tt.h)
			_, err := get(t, New(Options{MaxBytes: tt.max}), s.URL)
			if !errors.Is(err, ErrTooLarge) {
				t.Fatalf("err = %v", err)
			}
			checkMessage(t, err, s.URL, tt.msg)
		})
	}
	t.Run("exactly at cap", func(t *testing.T) {
		s := newServer(t, func(w http.ResponseWriter, r *http.Request) { w.Write(make([]byte, 1<<10)) })
		resp, err := get(t, New(Options{MaxBytes: 1 << 10}), s.URL)
		if err != nil || len(resp.Body) != 1<<10 {
			t.Fatalf("err = %v", err)
		}
	})
}

func TestTruncatedBodies(t *testing.T) {
	full := gzipBytes(t, bytes.Repeat([]byte("some feed text "), 2000))
	cut := full[:len(full)-30]
	tests := []struct {
		name string
		h    http.HandlerFunc
		msg  string
	}{
		{"truncated gzip", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Encoding", "gzip")
			w.Write(cut)
		}, "truncated gzip body"},
		{"invalid gzip", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Encoding", "gzip")
			w.Write([]byte("this is not gzip at all"))
		}, "invalid gzip body"},
		{"early eof", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Length", "1000")
			w.Write([]byte("only a bit"))
		}, "connection closed before the response was complete"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newServer(t, tt.h)
			resp, err := get(t, New(Options{}), s.URL)
			if err == nil {
				t.Fatalf("got %d bytes, want error", len(resp.Body))
			}
			checkMessage(t, err, s.URL, tt.msg)
		})
	}
}

func TestSlowBodyHitsDeadline(t *testing.T) {
	s := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("<rss>"))
		for {
			w.(http.Flusher).Flush()
			select {
			case <-r.Context().Done():
				return
			case <-time.After(10 * time.Millisecond):
				w.Write([]byte("."))
			}
		}
	})
	c := New(Options{Timeout: 300 * time.Millisecond})
	done := make(chan error, 1)
	go func() { _, err := get(t, c, s.URL); done <- err }()
	select {
	case err := <-done:
		if !errors.Is(err, ErrTimeout) {
			t.Fatalf("err = %v, want ErrTimeout", err)
		}
		checkMessage(t, err, s.URL, "timed out after 300ms")
	case <-time.After(30 * time.Second): // hang guard only
		t.Fatal("Get did not return")
	}
}

func TestConnectionRefusedMessage(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + l.Addr().String() + "/feed"
	l.Close()
	_, err = get(t, New(Options{}), url)
	if err == nil {
		t.Fatal("want error")
	}
	checkMessage(t, err, url, "connection refused")
}

func TestPerHostCap(t *testing.T) {
	var inFlight, peak, total atomic.Int32
	s := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		n := inFlight.Add(1)
		defer inFlight.Add(-1)
		total.Add(1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		time.Sleep(5 * time.Millisecond) // widen the window for overlap
		fmt.Fprint(w, "ok")
	})
	c := New(Options{PerHost: 2})
	var wg sync.WaitGroup
	for range 30 {
		wg.Go(func() {
			if _, err := get(t, c, s.URL); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if p := peak.Load(); p > 2 {
		t.Errorf("peak concurrency %d, want <= 2", p)
	}
	if total.Load() != 30 {
		t.Errorf("served %d requests", total.Load())
	}
}

func TestWaitForSlotRespectsContext(t *testing.T) {
	release := make(chan struct{})
	s := newServer(t, func(w http.ResponseWriter, r *http.Request) { <-release })
	c := New(Options{PerHost: 1})
	go get(t, c, s.URL)
	// Wait until the first request holds the slot.
	for {
		c.mu.Lock()
		sem := c.hosts[strings.TrimPrefix(s.URL, "http://")]
		c.mu.Unlock()
		if len(sem) == 1 {
			break
		}
		time.Sleep(time.Millisecond)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := c.Get(ctx, Request{URL: s.URL})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	ctx, cancel = context.WithTimeout(context.Background(), time.Millisecond)
	defer cancel()
	_, err = c.Get(ctx, Request{URL: s.URL})
	close(release)
	if !errors.Is(err, ErrTimeout) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want ErrTimeout", err)
	}
}

func TestConnectionReuse(t *testing.T) {
	var conns atomic.Int32
	s := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "ok")
	}))
	s.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		if st == http.StateNew {
			conns.Add(1)
		}
	}
	s.Start()
	t.Cleanup(s.Close)
	c := New(Options{})
	var wg sync.WaitGroup
	for i := range 500 {
		wg.Go(func() {
			if _, err := get(t, c, fmt.Sprintf("%s/feed/%d", s.URL, i)); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if n := conns.Load(); n > 4 {
		t.Errorf("opened %d connections for 500 requests with PerHost 2", n)
	}
}

func TestFormatSize(t *testing.T) {
	for n, want := range map[int64]string{15 << 20: "15 MiB", 1 << 10: "1 KiB", 1536 << 10: "1.5 MiB", 100: "100 bytes"} {
		if got := formatSize(n); got != want {
			t.Errorf("formatSize(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestTLSUnknownAuthority(t *testing.T) {
	s := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	t.Cleanup(s.Close)
	_, err := get(t, New(Options{}), s.URL+"/feed")
	if err == nil {
		t.Fatal("want certificate error")
	}
	checkMessage(t, err, s.URL+"/feed", "tls: certificate signed by unknown authority")
}

func TestClassifyMessages(t *testing.T) {
	const u = "https://feeds.example/rss"
	wrap := func(err error) error {
		return &url.Error{Op: "Get", URL: u, Err: &net.OpError{Op: "dial", Net: "tcp", Err: err}}
	}
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"no such host", wrap(&net.DNSError{Err: "no such host", Name: "feeds.example", IsNotFound: true}), "fetch " + u + ": no such host"},
		{"dns failure", wrap(&net.DNSError{Err: "server misbehaving", Name: "feeds.example"}), "fetch " + u + ": dns lookup failed"},
		{"refused", wrap(os.NewSyscallError("connect", syscall.ECONNREFUSED)), "fetch " + u + ": connection refused"},
		{"reset", wrap(os.NewSyscallError("read", syscall.ECONNRESET)), "fetch " + u + ": connection reset by peer"},
		{"other", wrap(errors.New("Something Odd\nsecond line")), "fetch " + u + ": something odd"},
	}
	c := New(Options{})
	ctx := context.Background()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := c.classify(u, tt.err, ctx, ctx)
			if err.Error() != tt.want {
				t.Errorf("message = %q, want %q", err.Error(), tt.want)
			}
			if !errors.Is(err, tt.err) {
				t.Errorf("cause not wrapped")
			}
		})
	}
}

// BenchmarkGet500Feeds fetches 500 small gzip bodies from one loopback host
// with 16 callers, as a refresh of 500 feeds on one host would.
func BenchmarkGet500Feeds(b *testing.B) {
	body := bytes.Repeat([]byte("<item><title>x</title></item>\n"), 300)
	var zbuf bytes.Buffer
	zw := gzip.NewWriter(&zbuf)
	zw.Write(body)
	zw.Close()
	var conns atomic.Int32
	s := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", "gzip")
		w.Write(zbuf.Bytes())
	}))
	s.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		if st == http.StateNew {
			conns.Add(1)
		}
	}
	s.Start()
	defer s.Close()
	c := New(Options{})
	for b.Loop() {
		urls := make(chan string)
		var wg sync.WaitGroup
		for range 16 {
			wg.Go(func() {
				for u := range urls {
					if _, err := c.Get(context.Background(), Request{URL: u}); err != nil {
						b.Error(err)
					}
				}
			})
		}
		for i := range 500 {
			urls <- fmt.Sprintf("%s/feed/%d", s.URL, i)
		}
		close(urls)
		wg.Wait()
	}
	b.ReportMetric(float64(conns.Load()), "conns")
}
