package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/byline/byline/internal/model"
)

var testNow = time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)

// fakeLib is an in-memory Library over n synthetic stories, generated on
// demand: index 0 is the newest, story ids run n..1.
type fakeLib struct {
	mu      sync.Mutex
	n       int
	nfeeds  int
	titles  map[int64]string // title overrides
	urls    map[int64]string
	read    map[int64]bool
	starred map[int64]bool
	feeds   []model.Feed // nil: nfeeds synthetic feeds
	noFeeds bool
	pending int // PendingIndex's answer

	storiesCalls atomic.Int64
	countCalls   atomic.Int64
}

func newFakeLib(n int) *fakeLib {
	return &fakeLib{n: n, nfeeds: 5, titles: map[int64]string{}, urls: map[int64]string{},
		read: map[int64]bool{}, starred: map[int64]bool{}}
}

func (f *fakeLib) story(i int) model.Story {
	id := int64(f.n - i)
	feed := id%int64(f.nfeeds) + 1
	t := f.titles[id]
	if t == "" {
		t = fmt.Sprintf("Story %d", id)
	}
	u := f.urls[id]
	if u == "" {
		u = fmt.Sprintf("https://example.com/%d", id)
	}
	return model.Story{
		ID: id, FeedID: feed, FeedTitle: fmt.Sprintf("Feed %d", feed), Title: t, URL: u,
		Published: testNow.Add(-time.Duration(i) * 7 * time.Minute),
		Read:      f.read[id], Starred: f.starred[id],
	}
}

func (f *fakeLib) match(s model.Story, q Query) bool {
	return (q.FeedID == 0 || s.FeedID == q.FeedID) && (!q.Unread || !s.Read) &&
		(!q.Starred || s.Starred) && (q.Tag == "" || q.Tag == "odd" && s.FeedID%2 == 1) &&
		(q.Search == "" || strings.Contains(strings.ToLower(s.Title), strings.ToLower(q.Search)))
}

func plain(q Query) bool {
	return q.FeedID == 0 && !q.Unread && !q.Starred && q.Tag == "" && q.Search == ""
}

func (f *fakeLib) Stories(_ context.Context, q Query) ([]model.Story, error) {
	f.storiesCalls.Add(1)
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []model.Story
	if plain(q) {
		for i := q.Offset; i < min(q.Offset+q.Limit, f.n); i++ {
			out = append(out, f.story(i))
		}
		return out, nil
	}
	k := 0
	for i := 0; i < f.n && len(out) < q.Limit; i++ {
		if s := f.story(i); f.match(s, q) {
			if k >= q.Offset {
				out = append(out, s)
			}
			k++
		}
	}
	return out, nil
}

func (f *fakeLib) CountStories(_ context.Context, q Query) (int, int, error) {
	f.countCalls.Add(1)
	f.mu.Lock()
	defer f.mu.Unlock()
	if plain(q) {
		unread := f.n
		for id, r := range f.read {
			if r && id >= 1 && id <= int64(f.n) {
				unread--
			}
		}
		return f.n, unread, nil
	}
	total, unread := 0, 0
	for i := 0; i < f.n; i++ {
		if s := f.story(i); f.match(s, q) {
			total++
			if !s.Read {
				unread++
			}
		}
	}
	return total, unread, nil
}

func (f *fakeLib) PendingIndex(context.Context) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.pending, nil
}

func (f *fakeLib) Story(_ context.Context, id int64) (model.Story, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if id < 1 || id > int64(f.n) {
		return model.Story{}, errors.New("not found")
	}
	return f.story(f.n - int(id)), nil
}

func (f *fakeLib) Feeds(context.Context) ([]model.Feed, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.noFeeds {
		return nil, nil
	}
	if f.feeds != nil {
		return f.feeds, nil
	}
	var out []model.Feed
	for i := 1; i <= f.nfeeds; i++ {
		out = append(out, model.Feed{ID: int64(i), Title: fmt.Sprintf("Feed %d", i),
			URL: fmt.Sprintf("https://feed%d.example/rss", i), StoryCount: f.n / f.nfeeds, UnreadCount: 3 * i})
	}
	return out, nil
}

func (f *fakeLib) Tags(context.Context) ([]Tag, error) {
	return []Tag{{Name: "odd", Feeds: 3, Unread: 9}}, nil
}

func (f *fakeLib) SetRead(_ context.Context, ids []int64, read bool) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, id := range ids {
		f.read[id] = read
	}
	return nil
}

func (f *fakeLib) SetStarred(_ context.Context, ids []int64, starred bool) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, id := range ids {
		f.starred[id] = starred
	}
	return nil
}

func (f *fakeLib) MarkAllRead(_ context.Context, q Query) ([]int64, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var ids []int64
	for i := 0; i < f.n; i++ {
		if s := f.story(i); f.match(s, q) && !s.Read {
			f.read[s.ID] = true
			ids = append(ids, s.ID)
		}
	}
	return ids, nil
}

// addNewest adds k stories at the top (as a refresh would).
func (f *fakeLib) addNewest(k int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.n += k
}

// fakeRef is an in-memory Refresher.
type fakeRef struct {
	lib          *fakeLib
	articleCalls atomic.Int64
	refetchCalls atomic.Int64 // Article calls with refetch set
	feedCalls    atomic.Int64
	subscribed   []string
	imported     []string
	refreshed    [][]int64
	// newPerFeed stories are added per refreshed feed; failing feeds error.
	newPerFeed int
	failing    map[int64]error
	articleErr error
	feedErr    error
	// delay slows Refresh (per feed) and Article, for manual runs.
	delay time.Duration
}

func (r *fakeRef) wait(ctx context.Context) {
	if r.delay > 0 {
		select {
		case <-time.After(r.delay):
		case <-ctx.Done():
		}
	}
}

func (r *fakeRef) Refresh(ctx context.Context, ids []int64, progress func(RefreshEvent)) error {
	r.refreshed = append(r.refreshed, ids)
	if ids == nil {
		for i := 1; i <= r.lib.nfeeds; i++ {
			ids = append(ids, int64(i))
		}
	}
	for i, id := range ids {
		r.wait(ctx)
		ev := RefreshEvent{FeedID: id, Feed: fmt.Sprintf("Feed %d", id), Done: i + 1, Total: len(ids)}
		if err := r.failing[id]; err != nil {
			ev.Err = err
		} else {
			ev.New = r.newPerFeed
			r.lib.addNewest(r.newPerFeed)
		}
		progress(ev)
	}
	return nil
}

func (r *fakeRef) Subscribe(_ context.Context, url string) (model.Feed, int, error) {
	r.subscribed = append(r.subscribed, url)
	r.lib.mu.Lock()
	r.lib.noFeeds = false
	r.lib.mu.Unlock()
	return model.Feed{ID: 1, URL: url, Title: "Subscribed"}, 10, nil
}

func (r *fakeRef) Import(_ context.Context, path string) (int, []string, error) {
	r.imported = append(r.imported, path)
	r.lib.mu.Lock()
	r.lib.noFeeds = false
	r.lib.mu.Unlock()
	return 3, nil, nil
}

func (r *fakeRef) Article(ctx context.Context, id int64, refetch bool) (model.Article, error) {
	r.articleCalls.Add(1)
	edition := ""
	if refetch {
		edition = fmt.Sprintf(" Edition %d.", r.refetchCalls.Add(1))
	}
	r.wait(ctx)
	if r.articleErr != nil {
		return model.Article{}, r.articleErr
	}
	return model.Article{
		Title: fmt.Sprintf("Story %d", id), Site: "Example", Author: "A. Writer",
		Source: model.SourceExtracted,
		Markdown: "Code " + storyCode(id) + ". " + fmt.Sprintf("Full text of story %d. The council met on Tuesday to discuss the "+
			"new bridge, which has been delayed for three years."+edition+"\n\n"+
			"> We will not accept another delay, said the mayor, speaking to reporters outside.\n\n"+
			"%s\n\nThe vote is expected next week.\n\n%s", id, model.CaptionLine("The bridge site — Photo: J. Doe"),
			strings.Repeat("More reporting follows in this long paragraph. ", 30)),
	}, nil
}

func (r *fakeRef) FeedArticle(_ context.Context, id int64) (model.Article, error) {
	r.feedCalls.Add(1)
	if r.feedErr != nil {
		return model.Article{}, r.feedErr
	}
	return model.Article{Title: fmt.Sprintf("Story %d", id), Source: model.SourceFeed,
		Markdown: fmt.Sprintf("Feed summary of story %d.", id)}, nil
}

// storyCode is a word unique to story id whose every letter differs from the
// codes of ids id±1 at the same position, so that a terminal diff renderer
// rewrites all of it when one story replaces its neighbour.
func storyCode(id int64) string {
	b := make([]byte, 6)
	for i := range b {
		b[i] = byte('A' + (id+int64(i)*7)%26)
	}
	return string(b)
}
