package store

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/byline/byline/internal/model"
)

// t0 is the fixed "now" of the tests.
var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func openTest(t testing.TB) *Store {
	t.Helper()
	s, err := Open(context.Background(), filepath.Join(t.TempDir(), "byline.db"))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	s.now = func() time.Time { return t0 }
	t.Cleanup(func() { s.Close() })
	return s
}

func addFeed(t testing.TB, s *Store, url string, tags ...string) model.Feed {
	t.Helper()
	f, err := s.AddFeed(context.Background(), model.Feed{URL: url, Title: "Title of " + url, Tags: tags})
	if err != nil {
		t.Fatalf("AddFeed(%s): %v", url, err)
	}
	return f
}

func mkFeed(url string) model.Feed { return model.Feed{URL: url} }

func mkStory(key, title string, published time.Time) model.Story {
	return model.Story{
		Key: key, GUID: key, URL: "https://example.com/" + key, Title: title, Author: "ann",
		Published: published, Summary: "<p>summary of " + title + "</p>",
		Content: "<div class=\"body\"><p>content of " + title + "</p></div>",
	}
}

func save(t testing.TB, s *Store, feedID int64, at time.Time, stories ...model.Story) int {
	t.Helper()
	n, err := s.SaveFetch(context.Background(), FetchResult{
		FeedID: feedID, Status: 200, FetchedAt: at, Stories: stories,
	})
	if err != nil {
		t.Fatalf("SaveFetch: %v", err)
	}
	return n
}

func ids(stories []model.Story) []int64 {
	out := make([]int64, len(stories))
	for i, st := range stories {
		out[i] = st.ID
	}
	return out
}

func keys(stories []model.Story) []string {
	out := make([]string, len(stories))
	for i, st := range stories {
		out[i] = st.Key
	}
	return out
}
