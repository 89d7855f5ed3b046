package store

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/byline/byline/internal/model"
)

// Concurrent SaveFetch calls are committed together; a failing one (here a
// feed that does not exist) rolls back alone and the others are all stored.
func TestGroupCommitIsolatesFailures(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	const workers = 16
	ids := make([]int64, workers)
	for i := range ids {
		ids[i] = addFeed(t, s, fmt.Sprintf("https://g.example/%d", i)).ID
	}
	ids[5] = 999999 // no such feed
	errs := make([]error, workers)
	news := make([]int, workers)
	var wg sync.WaitGroup
	for i := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var stories []model.Story
			for j := range 20 {
				stories = append(stories, model.Story{Key: fmt.Sprint(j), Title: fmt.Sprintf("story %d of %d", j, i),
					Published: time.Unix(int64(1_800_000_000+i*100+j), 0)})
			}
			news[i], errs[i] = s.SaveFetch(ctx, FetchResult{FeedID: ids[i], Status: 200, Stories: stories})
		}()
	}
	wg.Wait()
	for i := range workers {
		if i == 5 {
			if errs[i] == nil {
				t.Errorf("saving to a missing feed succeeded")
			}
			continue
		}
		if errs[i] != nil || news[i] != 20 {
			t.Errorf("worker %d: %d new, %v", i, news[i], errs[i])
		}
	}
	total, _, err := s.CountStories(ctx, Query{})
	if err != nil || total != (workers-1)*20 {
		t.Fatalf("%d stories stored, want %d (%v)", total, (workers-1)*20, err)
	}
}

// A batch whose middle request fails is written again with a savepoint per
// request: the others are stored once each (stories, fetch state and index)
// and only the failing one reports an error.
func TestWriteBatchRetriesFailedRequest(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	a := addFeed(t, s, "https://a.example/feed")
	b := addFeed(t, s, "https://b.example/feed")
	var batch []*saveReq
	for i, id := range []int64{a.ID, 999999, b.ID} {
		var stories []model.Story
		for j := range 3 {
			stories = append(stories, mkStory(fmt.Sprintf("k%d", j), fmt.Sprintf("quokka %d-%d", i, j), t0))
		}
		p, err := s.PrepareFetch(ctx, FetchResult{FeedID: id, Status: 200, FetchedAt: t0, ETag: fmt.Sprint("e", i), Stories: stories})
		if err != nil {
			t.Fatal(err)
		}
		batch = append(batch, p.req)
	}
	s.writeBatch(ctx, batch)
	for i, req := range batch {
		if failed := i == 1; (req.err != nil) != failed || !failed && req.inserted != 3 {
			t.Errorf("request %d: %d new, %v", i, req.inserted, req.err)
		}
	}
	got, err := s.Stories(ctx, Query{Search: "quokka", Limit: 100})
	if err != nil || len(got) != 6 {
		t.Errorf("search: %d stories, %v; want 6", len(got), err)
	}
	for i, f := range []model.Feed{a, b} {
		f2, err := s.Feed(ctx, f.ID)
		if err != nil || f2.ETag != fmt.Sprint("e", 2*i) {
			t.Errorf("feed %d: etag %q, %v", f.ID, f2.ETag, err)
		}
	}
}
