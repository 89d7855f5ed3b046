package refresh

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/byline/byline/internal/fetch"
	"github.com/byline/byline/internal/model"
	"github.com/byline/byline/internal/store"
)

// benchFeeds serves n RSS feeds of m items each (half with full HTML bodies),
// with ETags so a second round is all 304s.
func benchFeeds(b *testing.B, n, m int) *httptest.Server {
	b.Helper()
	body := strings.Repeat(`<p>The council met on Tuesday to debate the harbour plan, and members spoke at length about its costs.</p>`, 20) +
		`<p>“We will not back down,” the mayor said. “This is our town.”</p>`
	docs := make([][]byte, n)
	for f := range n {
		var buf bytes.Buffer
		fmt.Fprintf(&buf, `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Feed %d</title><link>http://example.com/%d</link>`, f, f)
		for i := range m {
			fmt.Fprintf(&buf, `<item><title>Story %d of feed %d</title><link>http://example.com/%d/%d</link><guid>f%d-i%d</guid><pubDate>%s</pubDate><description>Summary of story %d.</description>`,
				i, f, f, i, f, i, time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(f*m+i)*time.Minute).Format(time.RFC1123Z), i)
			if f%2 == 0 {
				fmt.Fprintf(&buf, `<content:encoded><![CDATA[%s]]></content:encoded>`, body)
			}
			buf.WriteString(`</item>`)
		}
		buf.WriteString(`</channel></rss>`)
		docs[f] = buf.Bytes()
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var f int
		fmt.Sscanf(r.URL.Path, "/feed/%d", &f)
		etag := fmt.Sprintf(`"f%d"`, f)
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", etag)
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write(docs[f])
	}))
	b.Cleanup(srv.Close)
	return srv
}

func benchRefresher(b *testing.B, srv *httptest.Server, n int) (*Refresher, *store.Store) {
	b.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(b.TempDir(), "byline.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	for f := range n {
		if _, err := st.AddFeed(ctx, model.Feed{URL: fmt.Sprintf("%s/feed/%d", srv.URL, f)}); err != nil {
			b.Fatal(err)
		}
	}
	return &Refresher{Store: st, Client: fetch.New(fetch.Options{PerHost: benchPerHost}), Workers: 16}, st
}

// BenchmarkRefreshCold500x50 fetches 500 feeds of 50 stories into an empty
// store (25,000 stories) per op.
func BenchmarkRefreshCold500x50(b *testing.B) {
	srv := benchFeeds(b, 500, 50)
	for b.Loop() {
		b.StopTimer()
		r, st := benchRefresher(b, srv, 500)
		feeds, _ := st.Feeds(context.Background())
		b.StartTimer()
		for _, res := range r.Refresh(context.Background(), feeds, nil) {
			if res.Status != StatusUpdated {
				b.Fatalf("%+v", res)
			}
		}
	}
	b.ReportMetric(25000, "stories/op")
}

// BenchmarkRefreshWarm500 refreshes 500 unchanged feeds (all 304) per op.
func BenchmarkRefreshWarm500(b *testing.B) {
	srv := benchFeeds(b, 500, 50)
	r, st := benchRefresher(b, srv, 500)
	feeds, _ := st.Feeds(context.Background())
	r.Refresh(context.Background(), feeds, nil)
	feeds, _ = st.Feeds(context.Background())
	for b.Loop() {
		for _, res := range r.Refresh(context.Background(), feeds, nil) {
			if res.Status != StatusNotModified {
				b.Fatalf("%+v", res)
			}
		}
	}
}

var benchPerHost = 2 // the default per-host cap
