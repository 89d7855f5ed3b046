package store

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/byline/byline/internal/model"
)

func TestAddFeed(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	f, err := s.AddFeed(ctx, model.Feed{URL: "https://a.example/feed", Title: "A",
		Tags: []string{" news", "tech", "news", ""}})
	if err != nil {
		t.Fatal(err)
	}
	if f.ID == 0 || !f.CreatedAt.Equal(t0) {
		t.Errorf("AddFeed = %+v", f)
	}
	got, err := s.Feed(ctx, f.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.URL != f.URL || got.Title != "A" || !slices.Equal(got.Tags, []string{"news", "tech"}) ||
		!got.CreatedAt.Equal(t0) {
		t.Errorf("Feed = %+v", got)
	}
	if _, err := s.AddFeed(ctx, model.Feed{URL: "https://a.example/feed"}); !errors.Is(err, ErrDuplicate) {
		t.Errorf("second AddFeed = %v, want ErrDuplicate", err)
	}
	if _, err := s.Feed(ctx, 999); !errors.Is(err, ErrNotFound) {
		t.Errorf("Feed(999) = %v, want ErrNotFound", err)
	}
	if _, err := s.FeedByURL(ctx, "https://nope.example/"); !errors.Is(err, ErrNotFound) {
		t.Errorf("FeedByURL = %v, want ErrNotFound", err)
	}
	byURL, err := s.FeedByURL(ctx, "https://a.example/feed")
	if err != nil || byURL.ID != f.ID {
		t.Errorf("FeedByURL = %+v, %v", byURL, err)
	}
}

// AddFeeds adds in one go what AddFeed adds one at a time, and counts the
// URLs already subscribed, in the store or earlier in the same list.
func TestAddFeeds(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	old := addFeed(t, s, "https://old.example/feed")
	added, existing, err := s.AddFeeds(ctx, []model.Feed{
		{URL: "https://a.example/feed", CustomTitle: "A", Tags: []string{"tech", " news", "tech"}},
		{URL: "https://old.example/feed", CustomTitle: "not this"},
		{URL: "https://b.example/feed"},
		{URL: "https://a.example/feed", CustomTitle: "nor this"},
	})
	if err != nil || added != 2 || existing != 2 {
		t.Fatalf("AddFeeds = %d added, %d existing, %v; want 2, 2", added, existing, err)
	}
	a, err := s.FeedByURL(ctx, "https://a.example/feed")
	if err != nil || a.CustomTitle != "A" || !slices.Equal(a.Tags, []string{"news", "tech"}) || !a.CreatedAt.Equal(t0) {
		t.Errorf("a = %+v, %v", a, err)
	}
	if o, err := s.Feed(ctx, old.ID); err != nil || o.CustomTitle != "" {
		t.Errorf("the feed already subscribed changed: %+v, %v", o, err)
	}
	feeds, err := s.Feeds(ctx)
	if err != nil || len(feeds) != 3 {
		t.Errorf("%d feeds, %v; want 3", len(feeds), err)
	}
}

func TestFeedsCountsAndTitles(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	a := addFeed(t, s, "https://a.example/feed", "tech")
	b := addFeed(t, s, "https://b.example/feed", "tech", "news")
	c := addFeed(t, s, "https://c.example/feed")
	save(t, s, a.ID, t0, mkStory("a1", "A1", t0), mkStory("a2", "A2", t0), mkStory("a3", "A3", t0))
	save(t, s, b.ID, t0, mkStory("b1", "B1", t0))
	all, _ := s.Stories(ctx, Query{FeedID: a.ID})
	if err := s.SetRead(ctx, ids(all[:2]), true); err != nil {
		t.Fatal(err)
	}
	if err := s.SetFeedTitle(ctx, c.ID, "0 first by custom title"); err != nil {
		t.Fatal(err)
	}
	if err := s.SetFeedTitle(ctx, 999, "x"); !errors.Is(err, ErrNotFound) {
		t.Errorf("SetFeedTitle(999) = %v", err)
	}

	feeds, err := s.Feeds(ctx)
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		id            int64
		title         string
		total, unread int
		tags          []string
	}
	want := []row{
		{c.ID, "0 first by custom title", 0, 0, nil},
		{a.ID, "Title of https://a.example/feed", 3, 1, []string{"tech"}},
		{b.ID, "Title of https://b.example/feed", 1, 1, []string{"news", "tech"}},
	}
	if len(feeds) != len(want) {
		t.Fatalf("Feeds = %d feeds, want %d", len(feeds), len(want))
	}
	for i, w := range want {
		f := feeds[i]
		if f.ID != w.id || f.DisplayTitle() != w.title || f.StoryCount != w.total ||
			f.UnreadCount != w.unread || !slices.Equal(f.Tags, w.tags) {
			t.Errorf("feed %d = %+v, want %+v", i, f, w)
		}
	}

	tags, err := s.Tags(ctx)
	if err != nil {
		t.Fatal(err)
	}
	wantTags := []TagCount{{"news", 1, 1}, {"tech", 2, 2}}
	if !slices.Equal(tags, wantTags) {
		t.Errorf("Tags = %+v, want %+v", tags, wantTags)
	}

	if err := s.SetFeedTags(ctx, b.ID, []string{"x"}); err != nil {
		t.Fatal(err)
	}
	if err := s.SetFeedTags(ctx, 999, []string{"x"}); !errors.Is(err, ErrNotFound) {
		t.Errorf("SetFeedTags(999) = %v", err)
	}
	tags, _ = s.Tags(ctx)
	wantTags = []TagCount{{"tech", 1, 1}, {"x", 1, 1}}
	if !slices.Equal(tags, wantTags) {
		t.Errorf("Tags after retag = %+v, want %+v", tags, wantTags)
	}
}

func TestRemoveFeedCascades(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	a := addFeed(t, s, "https://a.example/feed", "tech")
	b := addFeed(t, s, "https://b.example/feed")
	save(t, s, a.ID, t0, mkStory("a1", "zebra one", t0), mkStory("a2", "zebra two", t0))
	save(t, s, b.ID, t0, mkStory("b1", "zebra three", t0))
	if _, err := s.IndexPending(ctx); err != nil { // so the cascade has entries to delete
		t.Fatal(err)
	}
	st, _ := s.Stories(ctx, Query{FeedID: a.ID})
	if err := s.SaveArticle(ctx, st[0].ID, model.Article{Markdown: "cached body"}); err != nil {
		t.Fatal(err)
	}

	if err := s.RemoveFeed(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.RemoveFeed(ctx, a.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("second RemoveFeed = %v, want ErrNotFound", err)
	}
	count := func(q string) int {
		var n int
		if err := s.db.QueryRowContext(ctx, q).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := count(`SELECT count(*) FROM stories`); n != 1 {
		t.Errorf("stories left = %d, want 1", n)
	}
	if n := count(`SELECT count(*) FROM articles`); n != 0 {
		t.Errorf("articles left = %d, want 0", n)
	}
	if n := count(`SELECT count(*) FROM feed_tags`); n != 0 {
		t.Errorf("tags left = %d, want 0", n)
	}
	if n := count(`SELECT count(*) FROM story_fts WHERE story_fts MATCH 'zebra'`); n != 1 {
		t.Errorf("index entries for zebra = %d, want 1", n)
	}
	if _, err := s.Article(ctx, st[0].ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("Article of removed story = %v", err)
	}
}

func TestSaveFetchFeedState(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	f := addFeed(t, s, "https://a.example/feed")
	other := addFeed(t, s, "https://taken.example/feed")
	t1, t2, t3 := t0.Add(time.Hour), t0.Add(2*time.Hour), t0.Add(3*time.Hour)

	steps := []struct {
		name  string
		r     FetchResult
		check func(model.Feed) bool
	}{
		{"200 sets validators and titles", FetchResult{Status: 200, ETag: `"v1"`, LastModified: "lm1",
			Title: "Feed A", SiteURL: "https://a.example/", FetchedAt: t1, Stories: []model.Story{mkStory("k", "K", t0)}},
			func(g model.Feed) bool {
				return g.ETag == `"v1"` && g.LastModified == "lm1" && g.Title == "Feed A" &&
					g.SiteURL == "https://a.example/" && g.LastFetch.Equal(t1) && g.LastStatus == 200
			}},
		{"304 keeps validators and titles", FetchResult{Status: 304, FetchedAt: t2},
			func(g model.Feed) bool {
				return g.ETag == `"v1"` && g.LastModified == "lm1" && g.Title == "Feed A" &&
					g.LastFetch.Equal(t2) && g.LastStatus == 304 && g.LastError == ""
			}},
		{"error keeps validators", FetchResult{Status: 503, Err: "status 503", RetryAfter: t3, FetchedAt: t3},
			func(g model.Feed) bool {
				return g.ETag == `"v1"` && g.LastError == "status 503" && g.RetryAfter.Equal(t3) && g.LastStatus == 503
			}},
		{"200 without validators clears them", FetchResult{Status: 200, FetchedAt: t3, Stories: []model.Story{}},
			func(g model.Feed) bool {
				return g.ETag == "" && g.LastModified == "" && g.LastError == "" && g.RetryAfter.IsZero()
			}},
		{"permanent redirect moves", FetchResult{Status: 200, NewURL: "https://a.example/new", FetchedAt: t3},
			func(g model.Feed) bool { return g.URL == "https://a.example/new" }},
		{"redirect onto a subscribed url keeps url", FetchResult{Status: 200, NewURL: other.URL, FetchedAt: t3},
			func(g model.Feed) bool { return g.URL == "https://a.example/new" }},
		{"gone", FetchResult{Status: 410, Err: "gone", Dead: true, FetchedAt: t3},
			func(g model.Feed) bool { return g.Dead && g.LastStatus == 410 }},
	}
	for _, step := range steps {
		step.r.FeedID = f.ID
		if _, err := s.SaveFetch(ctx, step.r); err != nil {
			t.Fatalf("%s: %v", step.name, err)
		}
		g, err := s.Feed(ctx, f.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !step.check(g) {
			t.Errorf("%s: feed = %+v", step.name, g)
		}
	}
	if _, err := s.SaveFetch(ctx, FetchResult{FeedID: 999, Status: 304}); !errors.Is(err, ErrNotFound) {
		t.Errorf("SaveFetch(unknown feed) = %v, want ErrNotFound", err)
	}
}
