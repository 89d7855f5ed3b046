package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/byline/byline/internal/model"
	"github.com/byline/byline/internal/store"
)

func feedServer(t *testing.T) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n, ok := strings.CutPrefix(r.URL.Path, "/feed/")
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprintf(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Feed %s</title>
<item><title>First story of %s</title><link>/s/%s/1</link><guid>%s-1</guid><pubDate>Mon, 23 Nov 2026 10:00:00 GMT</pubDate>
<description>&lt;p&gt;“We will rebuild,” the mayor said.&lt;/p&gt;</description></item>
<item><title>Second story of %s</title><link>/s/%s/2</link><guid>%s-2</guid><pubDate>Mon, 23 Nov 2026 09:00:00 GMT</pubDate></item>
</channel></rss>`, n, n, n, n, n, n, n)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestAddListMarkShow(t *testing.T) {
	srv := feedServer(t)
	e := newTestEnv(t)
	if code := e.run(t, "add", srv.URL+"/feed/a", "--tag", "news"); code != 0 {
		t.Fatalf("add: %d %s", code, e.err.String())
	}
	if !strings.Contains(e.out.String(), "2 stories") {
		t.Fatalf("add says %q", e.out.String())
	}
	e.run(t, "list")
	lines := strings.Split(strings.TrimSpace(e.out.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("list: %q", e.out.String())
	}
	cols := strings.Split(lines[0], "\t")
	if len(cols) != 6 || cols[1] != "Feed a" || cols[2] != "2026-11-23T10:00:00Z" || cols[3] != "unread" ||
		cols[4] != "First story of a" || cols[5] != srv.URL+"/s/a/1" {
		t.Fatalf("columns %q", cols)
	}
	if strings.ContainsRune(e.out.String(), 0x1b) {
		t.Fatal("escape bytes in piped list")
	}
	id := cols[0]
	if code := e.run(t, "mark", id, "--read"); code != 0 {
		t.Fatalf("mark: %s", e.err.String())
	}
	e.run(t, "list", "--unread")
	if strings.Contains(e.out.String(), "First story") || !strings.Contains(e.out.String(), "Second story") {
		t.Fatalf("unread list %q", e.out.String())
	}
	e.run(t, "mark", id, "--star")
	e.run(t, "list", "--starred", "--json")
	var starred []storyJSON
	if err := json.Unmarshal(e.out.Bytes(), &starred); err != nil || len(starred) != 1 || !starred[0].Starred || !starred[0].Read {
		t.Fatalf("starred json %q %v", e.out.String(), err)
	}
	e.run(t, "mark", "--all-read")
	e.run(t, "list", "--unread")
	if e.out.Len() != 0 {
		t.Fatalf("after --all-read: %q", e.out.String())
	}
	// show: the story page does not exist (404), so the feed's content is
	// used, and the quote is still set apart.
	if code := e.run(t, "show", id); code != 0 {
		t.Fatalf("show: %s", e.err.String())
	}
	if !strings.HasPrefix(e.out.String(), "# First story of a") || !strings.Contains(e.out.String(), "> “We will rebuild,” the mayor said.") {
		t.Fatalf("show markdown:\n%s", e.out.String())
	}
	e.run(t, "show", id, "--format", "json")
	var a articleJSON
	if err := json.Unmarshal(e.out.Bytes(), &a); err != nil || a.Title != "First story of a" || !strings.Contains(a.Text, "We will rebuild") ||
		strings.Contains(a.Text, "First story of a") {
		t.Fatalf("show json %+v %v", a, err)
	}
	e.run(t, "show", id, "--format", "text")
	if !strings.Contains(e.out.String(), "│ “We will rebuild,”") {
		t.Fatalf("show text:\n%s", e.out.String())
	}
	if code := e.run(t, "show", "999"); code != 1 || !strings.Contains(errText(e), "no story 999") {
		t.Fatalf("show 999: %d", code)
	}
}

func errText(e *testEnv) string { return e.err.String() + e.lastErr }

func TestExportImportRoundTrip(t *testing.T) {
	srv := feedServer(t)
	e := newTestEnv(t)
	e.run(t, "add", srv.URL+"/feed/a", "--tag", "news", "--tag", "local")
	e.run(t, "add", srv.URL+"/feed/b")
	urls := filepath.Join(t.TempDir(), "urls")
	os.WriteFile(urls, []byte(srv.URL+"/feed/c tech \"~Renamed C\"\nexec:rm -rf / bad\n"), 0o600)
	if code := e.run(t, "import", urls); code != 0 || !strings.Contains(e.err.String(), "skipped line 2") {
		t.Fatalf("import: %d %s", code, e.err.String())
	}
	e.run(t, "export")
	opml := e.out.String()
	e.run(t, "feeds")
	before := feedSet(e.out.String())

	e2 := newTestEnv(t)
	e2.in.WriteString(opml)
	if code := e2.run(t, "import", "-"); code != 0 {
		t.Fatalf("import -: %s", e2.err.String())
	}
	e2.run(t, "feeds")
	after := feedSet(e2.out.String())
	if before != after {
		t.Fatalf("round trip changed subscriptions:\nbefore %s\nafter  %s", before, after)
	}
}

// TestImportRefresh: import --refresh fetches exactly the file's feeds, new
// or already subscribed, and leaves the others alone.
func TestImportRefresh(t *testing.T) {
	srv := feedServer(t)
	e := newTestEnv(t)
	if code := e.run(t, "import", "--json", "-"); code != 2 {
		t.Fatalf("--json without --refresh: exit %d", code)
	}
	// y is subscribed and not in the file: it must not be fetched. z is
	// subscribed and in the file: it is fetched.
	e.in.WriteString(srv.URL + "/feed/y\n" + srv.URL + "/feed/z\n")
	e.run(t, "import", "-")
	urls := filepath.Join(t.TempDir(), "urls")
	os.WriteFile(urls, []byte(srv.URL+"/feed/a\n"+srv.URL+"/feed/b news\n"+srv.URL+"/feed/z\n"+srv.URL+"/gone\n"), 0o600)
	if code := e.run(t, "import", "--refresh", "--json", urls); code != 0 {
		t.Fatalf("import --refresh: %d %s", code, e.err.String())
	}
	if !strings.Contains(e.err.String(), "imported 3 feeds (1 already subscribed)") ||
		!strings.Contains(e.err.String(), "refreshed 4 feeds") || !strings.Contains(e.err.String(), "6 new stories, 3 updated") ||
		!strings.Contains(e.err.String(), "1 failed") {
		t.Fatalf("stderr: %s", e.err.String())
	}
	var got []string
	dec := json.NewDecoder(strings.NewReader(e.out.String()))
	for {
		var r refreshJSON
		if err := dec.Decode(&r); err != nil {
			break
		}
		got = append(got, strings.TrimPrefix(r.URL, srv.URL)+" "+r.Status)
	}
	if len(got) != 4 {
		t.Fatalf("json results %q", got)
	}
	e.run(t, "list")
	if n := strings.Count(e.out.String(), "\n"); n != 6 || strings.Contains(e.out.String(), "story of y") {
		t.Fatalf("list after import --refresh: %d stories\n%s", n, e.out.String())
	}
	// Without --refresh nothing is fetched.
	e2 := newTestEnv(t)
	e2.run(t, "import", urls)
	if !strings.Contains(e2.err.String(), "run byline refresh") {
		t.Fatalf("plain import says %q", e2.err.String())
	}
	e2.run(t, "list")
	if e2.out.Len() != 0 {
		t.Fatalf("plain import fetched: %q", e2.out.String())
	}
}

// feedSet reduces piped `feeds` output to URL, title and tags per feed.
func feedSet(out string) string {
	var rows []string
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		c := strings.Split(l, "\t")
		rows = append(rows, c[2]+" "+c[1]+" ["+c[3]+"]")
	}
	return strings.Join(rows, "; ")
}

// TestUIRefreshIndexes checks that the interface's refresh leaves nothing
// for a search to index: it indexes new stories in the background once the
// refresh is done.
func TestUIRefreshIndexes(t *testing.T) {
	srv := feedServer(t)
	e := newTestEnv(t)
	ctx := context.Background()
	r, err := e.f.Refresher(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Store.AddFeed(ctx, model.Feed{URL: srv.URL + "/feed/a"}); err != nil {
		t.Fatal(err)
	}
	ix := newIndexer(ctx, r.Store)
	defer ix.stop()
	if err := (uiRefresher{r: r, f: e.f, ix: ix}).Refresh(ctx, nil, nil); err != nil {
		t.Fatal(err)
	}
	ix.wg.Wait() // the background run the refresh started
	if pending, err := r.Store.HasPending(ctx); err != nil || pending {
		t.Fatalf("stories still wait for the index after the refresh's background run (%v)", err)
	}
	if n, _, _ := r.Store.CountStories(ctx, store.Query{}); n != 2 {
		t.Fatalf("%d stories stored, want 2", n)
	}
}

// TestListSearchSaysWhatItIndexes: on a terminal, a search that first has
// to index a big backlog says so on stderr and erases the line before the
// list; in a pipe it prints nothing of it, and a search with nothing left
// to index says nothing either.
func TestListSearchSaysWhatItIndexes(t *testing.T) {
	ctx := context.Background()
	for _, tty := range []bool{true, false} {
		e := newTestEnv(t)
		e.f.IO.SetStdoutTTY(tty)
		e.f.IO.SetStderrTTY(tty)
		st, err := e.f.Store(ctx)
		if err != nil {
			t.Fatal(err)
		}
		fd, err := st.AddFeed(ctx, model.Feed{URL: "https://a.example/feed"})
		if err != nil {
			t.Fatal(err)
		}
		now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
		var stories []model.Story
		for i := range 2500 {
			stories = append(stories, model.Story{Key: fmt.Sprintf("k%d", i),
				Title: fmt.Sprintf("Okapi %d", i), Published: now.Add(-time.Duration(i) * time.Minute)})
		}
		if _, err := st.SaveFetch(ctx, store.FetchResult{FeedID: fd.ID, Status: 200, FetchedAt: now, Stories: stories}); err != nil {
			t.Fatal(err)
		}
		if code := e.run(t, "list", "--search", "okapi 7", "--limit", "3"); code != 0 {
			t.Fatalf("list --search: exit %d: %s", code, errText(e))
		}
		notice := "indexing about 2,500 new stories for search"
		if got := e.err.String(); tty != strings.Contains(got, notice) {
			t.Errorf("tty=%v: stderr %q; want the notice only on a terminal", tty, got)
		} else if tty && !strings.HasSuffix(got, "\r") {
			t.Errorf("the notice was not erased: %q", got)
		}
		if !strings.Contains(e.out.String(), "Okapi 7") {
			t.Errorf("tty=%v: no result in %q", tty, e.out.String())
		}
		e.run(t, "list", "--search", "okapi 8", "--limit", "3")
		if strings.Contains(e.err.String(), "indexing") {
			t.Errorf("tty=%v: a search with nothing to index said %q", tty, e.err.String())
		}
	}
}
