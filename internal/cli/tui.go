package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/byline/byline/internal/model"
	"github.com/byline/byline/internal/refresh"
	"github.com/byline/byline/internal/render"
	"github.com/byline/byline/internal/store"
	"github.com/byline/byline/internal/ui"
)

// starterFeeds are offered on the interface's welcome screen: well-known,
// public, general news feeds, shown by name and URL before subscribing.
var starterFeeds = []ui.StarterFeed{
	{Name: "BBC News — World", URL: "https://feeds.bbci.co.uk/news/world/rss.xml"},
	{Name: "The Guardian — World news", URL: "https://www.theguardian.com/world/rss"},
	{Name: "NPR News", URL: "https://feeds.npr.org/1001/rss.xml"},
	{Name: "Al Jazeera English", URL: "https://www.aljazeera.com/xml/rss/all.xml"},
	{Name: "Hacker News (front page)", URL: "https://hnrss.org/frontpage"},
}

// runTUI opens the interface on the store.
func runTUI(ctx context.Context, f *Factory) error {
	if !f.IO.IsStdoutTTY() || !f.IO.IsStdinTTY() {
		return usageErrorf("the interface needs a terminal; in scripts use byline list, show, refresh (see byline --help)")
	}
	r, err := f.Refresher(ctx)
	if err != nil {
		return err
	}
	c := f.Config
	opts := ui.Options{
		Keys: c.Keys, Theme: c.Theme, Dark: f.IO.IsDarkBackground(), NoColor: !f.IO.ColorEnabled(),
		PipeCommand: c.PipeCommand, Browser: c.Browser, PagerCommand: c.Pager,
		MarkReadOnOpen: c.MarkReadOnOpen, ReadOnly: r.Store.ReadOnly(), WideWidth: c.WideWidth, StateDir: f.stateDir(),
		Starter: starterFeeds,
		Render: func(md string, width int, dark, noColor bool) (string, error) {
			return render.Terminal(md, width, render.Style{Dark: dark, NoColor: noColor})
		},
		Document: render.Document,
	}
	ix := newIndexer(ctx, r.Store)
	defer ix.stop()
	// Stories a refresh outside the interface stored wait for the index;
	// index them once the interface has drawn its first screen, so that
	// a search does not have to.
	ix.start(time.Second)
	err = ui.Run(ctx, library{r.Store}, uiRefresher{r: r, f: f, ix: ix}, opts)
	if errors.Is(err, ui.ErrCrashed) {
		// ui.Run restored the terminal and named the crash log already.
		return &SilentError{Code: 1}
	}
	return err
}

// library adapts *store.Store to ui.Library.
type library struct{ st *store.Store }

func storeQuery(q ui.Query) store.Query {
	return store.Query{FeedID: q.FeedID, Tag: q.Tag, Unread: q.Unread, Starred: q.Starred,
		Search: q.Search, Limit: q.Limit, Offset: q.Offset}
}

func (l library) Stories(ctx context.Context, q ui.Query) ([]model.Story, error) {
	return l.st.Stories(ctx, storeQuery(q))
}

func (l library) CountStories(ctx context.Context, q ui.Query) (int, int, error) {
	return l.st.CountStories(ctx, storeQuery(q))
}

func (l library) Story(ctx context.Context, id int64) (model.Story, error) {
	return l.st.Story(ctx, id)
}
func (l library) Feeds(ctx context.Context) ([]model.Feed, error) { return l.st.Feeds(ctx) }

func (l library) Tags(ctx context.Context) ([]ui.Tag, error) {
	tags, err := l.st.Tags(ctx)
	out := make([]ui.Tag, 0, len(tags))
	for _, t := range tags {
		out = append(out, ui.Tag{Name: t.Name, Feeds: t.Feeds, Unread: t.Unread})
	}
	return out, err
}

func (l library) SetRead(ctx context.Context, ids []int64, read bool) error {
	return l.st.SetRead(ctx, ids, read)
}

func (l library) SetStarred(ctx context.Context, ids []int64, starred bool) error {
	return l.st.SetStarred(ctx, ids, starred)
}

func (l library) MarkAllRead(ctx context.Context, q ui.Query) ([]int64, error) {
	return l.st.MarkAllRead(ctx, storeQuery(q))
}

// PendingIndex implements ui.IndexBacklog.
func (l library) PendingIndex(ctx context.Context) (int, error) {
	return l.st.PendingEstimate(ctx)
}

// uiRefresher adapts *refresh.Refresher to ui.Refresher.
type uiRefresher struct {
	r  *refresh.Refresher
	f  *Factory
	ix *indexer
}

func (u uiRefresher) Refresh(ctx context.Context, ids []int64, progress func(ui.RefreshEvent)) error {
	feeds, err := u.r.Store.Feeds(ctx)
	if err != nil {
		return err
	}
	if ids != nil {
		want := map[int64]bool{}
		for _, id := range ids {
			want[id] = true
		}
		var sel []model.Feed
		for _, fd := range feeds {
			if want[fd.ID] {
				sel = append(sel, fd)
			}
		}
		feeds = sel
	}
	done := 0
	total := len(feeds)
	ch := make(chan refresh.Result)
	go func() {
		defer close(ch)
		u.r.Refresh(ctx, feeds, func(res refresh.Result) { ch <- res })
	}()
	for res := range ch {
		done++
		if progress != nil {
			ev := ui.RefreshEvent{FeedID: res.FeedID, Feed: res.Title, New: res.New, Done: done, Total: total}
			if res.Status == refresh.StatusError || res.Status == refresh.StatusDead {
				ev.Err = res.Err
			}
			progress(ev)
		}
	}
	// The refresh stores new stories without indexing them for search
	// (store/index.go). Index them now, beside the interface, so that a
	// search soon after does not wait for it.
	u.ix.start(0)
	return nil
}

// indexer runs the store's index catch-up beside the interface, one run at
// a time; stop cancels it and waits, so the store is never closed under it.
type indexer struct {
	ctx     context.Context
	cancel  context.CancelFunc
	st      *store.Store
	wg      sync.WaitGroup
	mu      sync.Mutex
	running bool
	again   bool
}

func newIndexer(ctx context.Context, st *store.Store) *indexer {
	ctx, cancel := context.WithCancel(ctx)
	return &indexer{ctx: ctx, cancel: cancel, st: st}
}

// start indexes the pending stories after delay; if a run is under way, it
// runs once more when that one ends.
func (x *indexer) start(delay time.Duration) {
	if x.st.ReadOnly() {
		return // it could not write the index; a search reads it as it is
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.running {
		x.again = true
		return
	}
	x.running = true
	x.wg.Go(func() {
		select {
		case <-time.After(delay):
		case <-x.ctx.Done():
		}
		for {
			if n, err := x.st.IndexPending(x.ctx); err != nil && x.ctx.Err() == nil {
				slog.Warn("index new stories", "indexed", n, "err", err)
			}
			x.mu.Lock()
			if !x.again || x.ctx.Err() != nil {
				x.running = false
				x.mu.Unlock()
				return
			}
			x.again = false
			x.mu.Unlock()
		}
	})
}

func (x *indexer) stop() {
	x.cancel()
	x.wg.Wait()
}

func (u uiRefresher) Subscribe(ctx context.Context, url string) (model.Feed, int, error) {
	return u.r.Subscribe(ctx, url, nil)
}

func (u uiRefresher) Import(ctx context.Context, path string) (int, []string, error) {
	file, err := os.Open(path)
	if err != nil {
		return 0, nil, fmt.Errorf("import: %w", err)
	}
	defer file.Close()
	// Report skipped entries through the return value, not stderr: the
	// interface owns the screen.
	var skipped []string
	added, _, _, err := importInto(ctx, u.r.Store, u.f.Now(), file, func(s string) { skipped = append(skipped, s) })
	return added, skipped, err
}

func (u uiRefresher) Article(ctx context.Context, id int64, refetch bool) (model.Article, error) {
	return u.r.Article(ctx, id, refetch)
}

func (u uiRefresher) FeedArticle(ctx context.Context, id int64) (model.Article, error) {
	return u.r.FeedArticle(ctx, id)
}
