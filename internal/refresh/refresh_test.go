package refresh

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/byline/byline/internal/fetch"
	"github.com/byline/byline/internal/model"
	"github.com/byline/byline/internal/store"
)

const rssTmpl = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
<title>Test Feed %[1]d</title><link>http://example.com/</link>
%[2]s
</channel></rss>`

func item(i int, body string) string {
	return fmt.Sprintf(`<item><title>Story %d</title><link>/story/%d</link><guid>g-%d</guid>
<pubDate>Mon, 02 Nov 2026 10:%02d:00 GMT</pubDate><description>Summary %d</description>%s</item>`, i, i, i, i%60, i, body)
}

func newRefresher(t *testing.T) (*Refresher, *store.Store) {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "byline.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	c := fetch.New(fetch.Options{Timeout: 3 * time.Second, MaxBytes: 1 << 20, PerHost: 2})
	return &Refresher{Store: st, Client: c, Workers: 4}, st
}

func TestRefreshConditionalAndDedupe(t *testing.T) {
	var hits, full atomic.Int32
	items := 3
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		etag := fmt.Sprintf(`"v%d"`, items)
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		full.Add(1)
		var b strings.Builder
		for i := 1; i <= items; i++ {
			b.WriteString(item(i, ""))
		}
		w.Header().Set("ETag", etag)
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprintf(w, rssTmpl, 1, b.String())
	}))
	defer srv.Close()
	r, st := newRefresher(t)
	ctx := context.Background()
	f, n, err := r.Subscribe(ctx, srv.URL+"/feed.xml", []string{"news"})
	if err != nil || n != 3 {
		t.Fatalf("subscribe: %d stories, %v", n, err)
	}
	stories, _ := st.Stories(ctx, store.Query{})
	if len(stories) != 3 || stories[0].URL != srv.URL+"/story/3" {
		t.Fatalf("stories %+v", stories)
	}
	if err := st.SetStarred(ctx, []int64{stories[0].ID}, true); err != nil {
		t.Fatal(err)
	}
	if err := st.SetRead(ctx, []int64{stories[1].ID}, true); err != nil {
		t.Fatal(err)
	}
	feeds, _ := st.Feeds(ctx)
	res := r.Refresh(ctx, feeds, nil)
	if res[0].Status != StatusNotModified || full.Load() != 1 {
		t.Fatalf("second fetch: %+v, full bodies %d", res[0], full.Load())
	}
	items = 5
	feeds, _ = st.Feeds(ctx)
	res = r.Refresh(ctx, feeds, nil)
	if res[0].Status != StatusUpdated || res[0].New != 2 {
		t.Fatalf("third fetch: %+v", res[0])
	}
	all, _ := st.Stories(ctx, store.Query{})
	if len(all) != 5 {
		t.Fatalf("%d stories after re-fetch, want 5", len(all))
	}
	total, unread, _ := st.CountStories(ctx, store.Query{FeedID: f.ID})
	if total != 5 || unread != 4 {
		t.Fatalf("counts %d/%d: read state lost?", total, unread)
	}
	starred, _ := st.Stories(ctx, store.Query{Starred: true})
	if len(starred) != 1 || starred[0].ID != stories[0].ID {
		t.Fatalf("starred state lost: %+v", starred)
	}
}

func TestOneBadFeedDoesNotStopOthers(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/good":
			fmt.Fprintf(w, rssTmpl, 1, item(1, ""))
		case "/gone":
			w.WriteHeader(http.StatusGone)
		case "/busy":
			w.Header().Set("Retry-After", "3600")
			w.WriteHeader(http.StatusServiceUnavailable)
		case "/html":
			fmt.Fprint(w, "<html><body>not a feed</body></html>")
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	r, st := newRefresher(t)
	ctx := context.Background()
	for _, p := range []string{"/good", "/gone", "/busy", "/html", "/missing"} {
		if _, err := st.AddFeed(ctx, model.Feed{URL: srv.URL + p}); err != nil {
			t.Fatal(err)
		}
	}
	feeds, _ := st.Feeds(ctx)
	byURL := map[string]Result{}
	for _, res := range r.Refresh(ctx, feeds, nil) {
		byURL[strings.TrimPrefix(res.URL, srv.URL)] = res
	}
	if byURL["/good"].Status != StatusUpdated || byURL["/good"].New != 1 {
		t.Errorf("good: %+v", byURL["/good"])
	}
	if byURL["/gone"].Status != StatusDead {
		t.Errorf("gone: %+v", byURL["/gone"])
	}
	for _, p := range []string{"/busy", "/html", "/missing"} {
		if byURL[p].Status != StatusError || byURL[p].Err == nil {
			t.Errorf("%s: %+v", p, byURL[p])
		}
	}
	// The second round: the dead feed is not polled, the busy one waits.
	feeds, _ = st.Feeds(ctx)
	for _, res := range r.Refresh(ctx, feeds, nil) {
		switch strings.TrimPrefix(res.URL, srv.URL) {
		case "/gone":
			if res.Status != StatusDead {
				t.Errorf("gone polled again: %+v", res)
			}
		case "/busy":
			if res.Status != StatusSkipped {
				t.Errorf("busy not skipped: %+v", res)
			}
		}
	}
	for _, f := range feeds {
		if strings.HasSuffix(f.URL, "/missing") && !strings.Contains(f.LastError, "404") {
			t.Errorf("last error of missing feed: %q", f.LastError)
		}
	}
}

func TestPermanentRedirectUpdatesURL(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/old" {
			http.Redirect(w, r, "/new", http.StatusMovedPermanently)
			return
		}
		fmt.Fprintf(w, rssTmpl, 1, item(1, ""))
	}))
	defer srv.Close()
	r, st := newRefresher(t)
	ctx := context.Background()
	if _, err := st.AddFeed(ctx, model.Feed{URL: srv.URL + "/old"}); err != nil {
		t.Fatal(err)
	}
	feeds, _ := st.Feeds(ctx)
	r.Refresh(ctx, feeds, nil)
	feeds, _ = st.Feeds(ctx)
	if feeds[0].URL != srv.URL+"/new" {
		t.Fatalf("feed URL %q after a 301", feeds[0].URL)
	}
}

func TestSubscribeDiscovers(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/":
			fmt.Fprint(w, `<html><head><link rel="alternate" type="application/rss+xml" href="/feeds/main.xml"></head><body>hi</body></html>`)
		case "/feeds/main.xml":
			fmt.Fprintf(w, rssTmpl, 1, item(1, "")+item(2, ""))
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	r, _ := newRefresher(t)
	f, n, err := r.Subscribe(context.Background(), srv.URL+"/", nil)
	if err != nil || f.URL != srv.URL+"/feeds/main.xml" || n != 2 {
		t.Fatalf("got %+v, %d, %v", f, n, err)
	}
	if _, _, err := r.Subscribe(context.Background(), srv.URL+"/feeds/main.xml", nil); err == nil {
		t.Fatal("a second subscription to the same feed must fail")
	}
}

func TestArticleExtractsAndCaches(t *testing.T) {
	var pageHits atomic.Int32
	page := `<html><head><title>Big news</title></head><body><nav>Home | World | Sport</nav><article><h1>Big news</h1>` +
		strings.Repeat(`<p>The council met on Tuesday to discuss the proposal in detail, and members spoke at length about the budget and its consequences for the town.</p>`, 12) +
		`<p>“We will not back down,” the mayor said. “This is our town.”</p></article><footer>Share this</footer></body></html>`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/feed":
			fmt.Fprintf(w, rssTmpl, 1, item(1, ""))
		case "/story/1":
			pageHits.Add(1)
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, page)
		}
	}))
	defer srv.Close()
	r, st := newRefresher(t)
	ctx := context.Background()
	stories := subscribeOne(t, r, st, srv.URL+"/feed")
	a, err := r.Article(ctx, stories[0].ID, false)
	if err != nil || a.Source != model.SourceExtracted {
		t.Fatalf("article %+v, %v", a, err)
	}
	if !strings.Contains(a.Markdown, "> “We will not back down,” the mayor said.") {
		t.Errorf("direct speech not set apart:\n%s", a.Markdown)
	}
	if strings.Contains(a.Markdown, "Share this") {
		t.Errorf("furniture in the article:\n%s", a.Markdown)
	}
	if _, err := r.Article(ctx, stories[0].ID, false); err != nil || pageHits.Load() != 1 {
		t.Fatalf("second open fetched again (%d hits), %v", pageHits.Load(), err)
	}
	if _, err := r.Article(ctx, stories[0].ID, true); err != nil || pageHits.Load() != 2 {
		t.Fatalf("refetch did not fetch (%d hits), %v", pageHits.Load(), err)
	}
}

// TestArticleShownWhenCacheFails: a store that cannot take the article (a
// read-only store, a full disk; here a trigger refuses it) still lets the
// reader read it; it is just not cached.
func TestArticleShownWhenCacheFails(t *testing.T) {
	body := strings.Repeat("<p>The council met on Tuesday and spoke at length about the budget for the town.</p>", 30)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, rssTmpl, 1, item(1, "<content:encoded><![CDATA["+body+"]]></content:encoded>"))
	}))
	defer srv.Close()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "byline.db")
	st, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	r := &Refresher{Store: st, Client: fetch.New(fetch.Options{Timeout: 3 * time.Second})}
	stories := subscribeOne(t, r, st, srv.URL+"/feed")
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`CREATE TRIGGER refuse BEFORE INSERT ON articles BEGIN SELECT RAISE(FAIL, 'disk full'); END`); err != nil {
		t.Fatal(err)
	}
	a, err := r.Article(ctx, stories[0].ID, false)
	if err != nil || !strings.Contains(a.Markdown, "The council met on Tuesday") {
		t.Fatalf("article %.80q, %v; want it shown", a.Markdown, err)
	}
	if _, err := st.Article(ctx, stories[0].ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("cached after all: %v", err)
	}
}

func TestArticleFallsBackToFeedContent(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/feed" {
			fmt.Fprintf(w, rssTmpl, 1, item(1, "<content:encoded><![CDATA[<p>Short feed body.</p>]]></content:encoded>"))
			return
		}
		w.Header().Set("Content-Type", "application/pdf")
		w.Write([]byte("%PDF-1.7 binary"))
	}))
	defer srv.Close()
	r, st := newRefresher(t)
	ctx := context.Background()
	stories := subscribeOne(t, r, st, srv.URL+"/feed")
	a, err := r.Article(ctx, stories[0].ID, false)
	if err != nil || !strings.Contains(a.Markdown, "Short feed body.") || a.Note == "" {
		t.Fatalf("fallback article %+v, %v", a, err)
	}
	if _, err := st.Article(ctx, stories[0].ID); err == nil {
		t.Fatal("a fallback must not be cached")
	}
}

func TestInterleaveHosts(t *testing.T) {
	feeds := []model.Feed{{URL: "http://a/1"}, {URL: "http://a/2"}, {URL: "http://a/3"}, {URL: "http://b/1"}, {URL: "http://c/1"}}
	got := fmt.Sprint(interleaveHosts(feeds))
	if got != "[0 3 4 1 2]" {
		t.Fatalf("order %s", got)
	}
}

// Slow servers step aside: with one worker, six feeds that drip until the
// deadline are all in flight at once instead of one after another.
func TestSlowFeedsStepAside(t *testing.T) {
	var inFlight, peak atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := inFlight.Add(1)
		defer inFlight.Add(-1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		<-r.Context().Done() // never answers: the client's deadline ends it
	}))
	defer srv.Close()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "byline.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for i := range 6 {
		if _, err := st.AddFeed(ctx, model.Feed{URL: fmt.Sprintf("%s/slow/%d", srv.URL, i)}); err != nil {
			t.Fatal(err)
		}
	}
	r := &Refresher{Store: st, Workers: 1, StepAside: 20 * time.Millisecond,
		Client: fetch.New(fetch.Options{Timeout: 2 * time.Second, PerHost: 8})}
	feeds, _ := st.Feeds(ctx)
	for _, res := range r.Refresh(ctx, feeds, nil) {
		if res.Status != StatusError {
			t.Errorf("%s: %s", res.URL, res.Status)
		}
	}
	if peak.Load() != 6 {
		t.Fatalf("at most %d slow feeds were in flight together, want all 6", peak.Load())
	}
}

// A refetch of an unchanged page is one conditional request answered 304.
func TestRefetchIsConditional(t *testing.T) {
	var full, notMod atomic.Int32
	page := `<html><body><article><h1>Quiet news</h1>` +
		strings.Repeat(`<p>The committee met again on Thursday and agreed to publish its findings in the spring, after a long review.</p>`, 10) +
		`</article></body></html>`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/feed" {
			fmt.Fprintf(w, rssTmpl, 1, item(1, ""))
			return
		}
		if r.Header.Get("If-None-Match") == `"p1"` {
			notMod.Add(1)
			w.WriteHeader(http.StatusNotModified)
			return
		}
		full.Add(1)
		w.Header().Set("ETag", `"p1"`)
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, page)
	}))
	defer srv.Close()
	r, st := newRefresher(t)
	ctx := context.Background()
	stories := subscribeOne(t, r, st, srv.URL+"/feed")
	first, err := r.Article(ctx, stories[0].ID, false)
	if err != nil || first.Source != model.SourceExtracted || first.ETag != `"p1"` {
		t.Fatalf("first: %+v %v", first, err)
	}
	again, err := r.Article(ctx, stories[0].ID, true)
	if err != nil || again.Markdown != first.Markdown {
		t.Fatalf("refetch: %+v %v", again, err)
	}
	if full.Load() != 1 || notMod.Load() != 1 {
		t.Fatalf("%d full fetches and %d 304s, want 1 and 1", full.Load(), notMod.Load())
	}
}

// subscribeOne subscribes r to feedURL and returns the stored stories.
func subscribeOne(t *testing.T, r *Refresher, st *store.Store, feedURL string) []model.Story {
	t.Helper()
	if _, _, err := r.Subscribe(context.Background(), feedURL, nil); err != nil {
		t.Fatal(err)
	}
	stories, err := st.Stories(context.Background(), store.Query{})
	if err != nil || len(stories) == 0 {
		t.Fatalf("no stories after subscribing: %v", err)
	}
	return stories
}
