package store

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/byline/byline/internal/model"
)

// writeLoad runs rounds of the writes and reads a refresh and a reader do,
// with keys unique to worker.
func writeLoad(ctx context.Context, s *Store, feedID int64, worker string, rounds int) error {
	for i := 0; i < rounds; i++ {
		batch := make([]model.Story, 5)
		for j := range batch {
			key := fmt.Sprintf("%s-%d-%d", worker, i, j)
			batch[j] = mkStory(key, "story "+key, t0.Add(time.Duration(i*5+j)*time.Second))
		}
		if _, err := s.SaveFetch(ctx, FetchResult{FeedID: feedID, Status: 200, FetchedAt: t0, Stories: batch}); err != nil {
			return err
		}
		if _, err := s.SaveFetch(ctx, FetchResult{FeedID: feedID, Status: 304, FetchedAt: t0}); err != nil {
			return err
		}
		list, err := s.Stories(ctx, Query{FeedID: feedID, Limit: 3})
		if err != nil {
			return err
		}
		if err := s.SetRead(ctx, ids(list), true); err != nil {
			return err
		}
		if _, err := s.MarkAllRead(ctx, Query{Search: worker + " " + strconv.Itoa(i)}); err != nil {
			return err
		}
		if _, _, err := s.CountStories(ctx, Query{Unread: true}); err != nil {
			return err
		}
		if _, err := s.Feeds(ctx); err != nil {
			return err
		}
	}
	return nil
}

func TestConcurrentWriters(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	second, err := Open(ctx, s.path) // a second handle, as another process would have
	if err != nil {
		t.Fatal(err)
	}
	defer second.Close()

	const workers, rounds = 8, 40
	f := addFeed(t, s, "https://a.example/feed")
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := 0; w < workers; w++ {
		st := s
		if w%2 == 1 {
			st = second
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := writeLoad(ctx, st, f.ID, fmt.Sprint("w", w), rounds); err != nil {
				errs <- fmt.Errorf("worker %d: %w", w, err)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if total, _, err := s.CountStories(ctx, Query{}); err != nil || total != workers*rounds*5 {
		t.Errorf("stories = %d, %v; want %d", total, err, workers*rounds*5)
	}
}

const childEnv = "BYLINE_STORE_TEST_CHILD"

// TestChildProcess is the second byline process of TestTwoProcesses; it
// does nothing in a normal run.
func TestChildProcess(t *testing.T) {
	path := os.Getenv(childEnv)
	if path == "" {
		t.Skip("helper for TestTwoProcesses")
	}
	ctx := context.Background()
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	f, err := s.AddFeed(ctx, model.Feed{URL: "https://child.example/feed"})
	if err != nil {
		t.Fatal(err)
	}
	if err := writeLoad(ctx, s, f.ID, "child", 150); err != nil {
		t.Fatal(err)
	}
}

// TestTwoProcesses opens a brand-new file from two processes at once (both
// race to create and migrate it) and has both write and read until the child
// is done: neither may see "database is locked".
func TestTwoProcesses(t *testing.T) {
	if os.Getenv(childEnv) != "" {
		t.Skip("in the child")
	}
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "byline.db")
	cmd := exec.Command(os.Args[0], "-test.run=^TestChildProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(), childEnv+"="+path)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()

	s, err := Open(ctx, path)
	if err != nil {
		t.Fatalf("parent Open: %v", err)
	}
	defer s.Close()
	f, err := s.AddFeed(ctx, model.Feed{URL: "https://parent.example/feed"})
	if err != nil {
		t.Fatal(err)
	}
	rounds := 0
	var childErr error
loop:
	for {
		if err := writeLoad(ctx, s, f.ID, fmt.Sprint("parent", rounds), 1); err != nil {
			t.Fatalf("parent round %d: %v", rounds, err)
		}
		rounds++
		select {
		case childErr = <-done:
			break loop
		default:
		}
	}
	if childErr != nil {
		t.Fatalf("child: %v\n%s", childErr, out.String())
	}
	child, err := s.FeedByURL(ctx, "https://child.example/feed")
	if err != nil {
		t.Fatal(err)
	}
	if total, _, _ := s.CountStories(ctx, Query{FeedID: child.ID}); total != 150*5 {
		t.Errorf("child stories = %d, want %d", total, 150*5)
	}
	if total, _, _ := s.CountStories(ctx, Query{FeedID: f.ID}); total != rounds*5 {
		t.Errorf("parent stories = %d, want %d", total, rounds*5)
	}
	t.Logf("parent ran %d rounds while the child ran 150", rounds)
}
