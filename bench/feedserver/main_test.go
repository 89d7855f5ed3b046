package main

import (
	"bytes"
	"compress/gzip"
	"encoding/xml"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func newTestServer(t *testing.T, feeds, items int) (*server, *httptest.Server) {
	t.Helper()
	s := newServer(feeds, items, 1, "")
	ts := httptest.NewServer(s.routes())
	t.Cleanup(ts.Close)
	s.base = ts.URL
	s.prerender()
	return s, ts
}

func get(t *testing.T, url string, hdr map[string]string) *http.Response {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	// A bare transport: no transparent gzip, so the test sees what was sent.
	resp, err := (&http.Transport{DisableCompression: true}).RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

func TestFeedsAreWellFormedAndDeterministic(t *testing.T) {
	_, ts := newTestServer(t, 4, 5)
	for f, want := range []string{"<rss", "<feed", "<rss", "<feed"} {
		t.Run(want, func(t *testing.T) {
			body, _ := io.ReadAll(get(t, ts.URL+"/feed/"+string(rune('0'+f)), nil).Body)
			if !bytes.Contains(body, []byte(want)) {
				t.Fatalf("feed %d: no %s", f, want)
			}
			d := xml.NewDecoder(bytes.NewReader(body))
			for {
				if _, err := d.Token(); err == io.EOF {
					break
				} else if err != nil {
					t.Fatalf("feed %d: %v", f, err)
				}
			}
			full := bytes.Contains(body, []byte("blockquote"))
			if full != isFull(f) {
				t.Errorf("feed %d: full body %v, want %v", f, full, isFull(f))
			}
			if isFull(f) && !bytes.Contains(body, []byte("she said")) && !bytes.Contains(body, []byte("said ")) {
				t.Errorf("feed %d: no direct speech", f)
			}
		})
	}
	_, ts2 := newTestServer(t, 4, 5)
	a, _ := io.ReadAll(get(t, ts.URL+"/feed/1", nil).Body)
	b, _ := io.ReadAll(get(t, ts2.URL+"/feed/1", nil).Body)
	if string(a) != strings.ReplaceAll(string(b), ts2.URL, ts.URL) {
		t.Error("same seed gave different feeds")
	}
}

func TestConditionalGetAndAdd(t *testing.T) {
	_, ts := newTestServer(t, 2, 3)
	r := get(t, ts.URL+"/feed/0", map[string]string{"Accept-Encoding": "gzip"})
	if r.StatusCode != 200 || r.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("status %d, encoding %q", r.StatusCode, r.Header.Get("Content-Encoding"))
	}
	zr, err := gzip.NewReader(r.Body)
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := io.ReadAll(zr); !bytes.Contains(b, []byte("<rss")) {
		t.Error("gzip body is not the feed")
	}
	etag, lm := r.Header.Get("ETag"), r.Header.Get("Last-Modified")
	for name, h := range map[string]map[string]string{
		"etag":          {"If-None-Match": etag},
		"strong etag":   {"If-None-Match": strings.TrimPrefix(etag, "W/")},
		"last-modified": {"If-Modified-Since": lm},
	} {
		if c := get(t, ts.URL+"/feed/0", h).StatusCode; c != 304 {
			t.Errorf("%s: status %d, want 304", name, c)
		}
	}
	if c := get(t, ts.URL+"/feed/0", map[string]string{"If-None-Match": `"other"`}).StatusCode; c != 200 {
		t.Errorf("other etag: status %d, want 200", c)
	}
	get(t, ts.URL+"/add?k=2", nil)
	r = get(t, ts.URL+"/feed/0", map[string]string{"If-None-Match": etag})
	if r.StatusCode != 200 || r.Header.Get("ETag") == etag {
		t.Fatalf("after /add: status %d etag %q", r.StatusCode, r.Header.Get("ETag"))
	}
	if c := get(t, ts.URL+"/feed/0", map[string]string{"If-Modified-Since": lm}).StatusCode; c != 200 {
		t.Errorf("after /add, old Last-Modified: status %d, want 200", c)
	}
	body, _ := io.ReadAll(r.Body)
	if n := bytes.Count(body, []byte("<item>")); n != 3 {
		t.Errorf("items per document %d, want 3 (the window)", n)
	}
	if !bytes.Contains(body, []byte("urn:byline-bench:0:4")) || bytes.Contains(body, []byte("urn:byline-bench:0:1<")) {
		t.Error("window does not hold the newest items")
	}
}

func TestPagesAndLists(t *testing.T) {
	_, ts := newTestServer(t, 3, 2)
	for path, want := range map[string]string{
		"/article/1/1": "cookie",
		"/opml":        "xmlUrl=\"" + ts.URL + "/feed/2\"",
		"/urls":        ts.URL + "/feed/2 \"bench\"",
		"/newest":      " ",
	} {
		r := get(t, ts.URL+path, nil)
		b, _ := io.ReadAll(r.Body)
		if r.StatusCode != 200 || !strings.Contains(string(b), want) {
			t.Errorf("%s: status %d, body lacks %q", path, r.StatusCode, want)
		}
	}
	if c := get(t, ts.URL+"/article/1/9", nil).StatusCode; c != 404 {
		t.Errorf("missing article: %d", c)
	}
}

func TestAcceptsGzip(t *testing.T) {
	for h, want := range map[string]bool{"": false, "gzip": true, "gzip;q=0": false, "br, gzip, deflate": true,
		"identity": false, "*": true, "deflate, gzip;q=0.5": true} {
		r := httptest.NewRequest("GET", "/", nil)
		r.Header.Set("Accept-Encoding", h)
		if got := acceptsGzip(r); got != want {
			t.Errorf("%q: %v, want %v", h, got, want)
		}
	}
}
