package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"

	"github.com/byline/byline/internal/model"
)

// indexed counts the index entries matching an FTS5 query, read straight
// from story_fts (no catch-up).
func indexed(t *testing.T, s *Store, match string) int {
	t.Helper()
	var n int
	if err := s.db.QueryRowContext(context.Background(),
		`SELECT count(*) FROM story_fts WHERE story_fts MATCH ?`, match).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func search(t *testing.T, s *Store, q string) []string {
	t.Helper()
	got, err := s.Stories(context.Background(), Query{Search: q})
	if err != nil {
		t.Fatalf("search %q: %v", q, err)
	}
	return keys(got)
}

// TestIndexLater checks the index's boundary: a refresh stores new stories
// without indexing them, a search indexes them first, and every writer
// keeps "indexed" and "pending" apart.
func TestIndexLater(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	f := addFeed(t, s, "https://a.example/feed")
	var stories []model.Story
	for i := range 600 { // several read batches
		stories = append(stories, mkStory(fmt.Sprintf("k%d", i), fmt.Sprintf("Okapi %d", i), t0))
	}
	stories[7].Content = "<p>" + strings.Repeat("long body text with a narwhal ", 40) + "</p>" // packed
	save(t, s, f.ID, t0, stories...)
	if n := indexed(t, s, "okapi"); n != 0 {
		t.Fatalf("%d stories indexed by the refresh, want 0 (pending)", n)
	}
	all, _ := s.Stories(ctx, Query{})
	byKey := map[string]int64{}
	for _, st := range all {
		byKey[st.Key] = st.ID
	}
	// An article cached while its story is pending is indexed with it.
	if err := s.SaveArticle(ctx, byKey["k3"], model.Article{Markdown: "the wombat said"}); err != nil {
		t.Fatal(err)
	}
	// A pending story removed before the catch-up leaves nothing behind.
	if _, err := s.db.ExecContext(ctx, `DELETE FROM stories WHERE id = ?`, byKey["k5"]); err != nil {
		t.Fatal(err)
	}

	if got := search(t, s, "okapi"); len(got) != 599 {
		t.Errorf("search okapi: %d stories, want 599", len(got))
	}
	for q, want := range map[string]string{"wombat": "k3", "narwhal": "k7", "okapi 42": "k42"} {
		if got := search(t, s, q); len(got) != 1 || got[0] != want {
			t.Errorf("search %q = %v, want [%s]", q, got, want)
		}
	}
	if pending, err := s.HasPending(ctx); err != nil || pending {
		t.Errorf("pending after a search = %v, %v", pending, err)
	}

	// Indexed stories are re-indexed as they change, in the same transaction.
	changed := mkStory("k9", "Okapi 9 now a giraffe", t0)
	save(t, s, f.ID, t0, changed)
	if indexed(t, s, "giraffe") != 1 || indexed(t, s, `"9" okapi`) != 1 {
		t.Error("a changed story was not indexed again when written")
	}
	if err := s.SaveArticle(ctx, byKey["k10"], model.Article{Markdown: "a quokka"}); err != nil {
		t.Fatal(err)
	}
	if indexed(t, s, "quokka") != 1 {
		t.Error("an article of an indexed story was not indexed when saved")
	}

	// A new story that takes the id of deleted ones (SQLite reuses the
	// largest) is below the boundary, so it is indexed as it is written.
	last := byKey["k599"]
	if _, err := s.db.ExecContext(ctx, `DELETE FROM stories WHERE id = ?`, last); err != nil {
		t.Fatal(err)
	}
	if indexed(t, s, `"599"`) != 0 {
		t.Error("the delete trigger left the entry of an indexed story")
	}
	save(t, s, f.ID, t0, mkStory("reused", "Okapi pangolin", t0))
	got, _ := s.Stories(ctx, Query{FeedID: f.ID, Limit: 1})
	if len(got) == 0 || got[0].ID != last {
		t.Fatalf("the new story did not reuse id %d: %+v", last, got)
	}
	if indexed(t, s, "pangolin") != 1 {
		t.Error("a story stored with an id below the boundary was left unindexed")
	}

	// Later stories are pending again, and a damaged text does not stop
	// the catch-up: the story's title is still found.
	save(t, s, f.ID, t0, mkStory("late", "Okapi tapir", t0))
	if _, err := s.db.ExecContext(ctx, `UPDATE stories SET content = x'ff00' WHERE key = 'late'`); err != nil {
		t.Fatal(err)
	}
	if indexed(t, s, "tapir") != 0 {
		t.Error("a new story was indexed by the refresh")
	}
	if got := search(t, s, "tapir"); len(got) != 1 {
		t.Errorf("search tapir = %v", got)
	}
}

// TestIndexSomeBounded checks that one catch-up transaction indexes at most
// its limit, that IndexPending goes on until none is left, and that
// PendingEstimate follows the backlog.
func TestIndexSomeBounded(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	f := addFeed(t, s, "https://a.example/feed")
	var stories []model.Story
	pendingIs := func(want int) {
		t.Helper()
		if n, err := s.PendingEstimate(ctx); err != nil || n != want {
			t.Errorf("PendingEstimate = %d, %v; want %d", n, err, want)
		}
	}
	pendingIs(0) // an empty store
	for i := range 700 {
		stories = append(stories, mkStory(fmt.Sprintf("k%d", i), "Okapi", t0))
	}
	save(t, s, f.ID, t0, stories...)
	pendingIs(700)
	var n int
	var more bool
	err := s.write(ctx, func(tx *sql.Tx) error {
		var err error
		n, more, err = indexSome(ctx, tx, 300)
		return err
	})
	if err != nil || n != 300 || !more {
		t.Fatalf("indexSome(300) = %d, %v, %v", n, more, err)
	}
	if got := indexed(t, s, "okapi"); got != 300 {
		t.Errorf("%d indexed after one transaction, want 300", got)
	}
	pendingIs(400)
	if n, err := s.IndexPending(ctx); err != nil || n != 400 {
		t.Errorf("IndexPending = %d, %v; want 400", n, err)
	}
	if n, err := s.IndexPending(ctx); err != nil || n != 0 {
		t.Errorf("second IndexPending = %d, %v; want 0", n, err)
	}
	pendingIs(0)
	if got := indexed(t, s, "okapi"); got != 700 {
		t.Errorf("%d indexed, want 700", got)
	}
}

// TestSearchReadOnly: a store SQLite can only read (a read-only file or file
// system) cannot index its pending stories, and is searched as far as it is
// indexed instead of failing.
func TestSearchReadOnly(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	f := addFeed(t, s, "https://a.example/feed")
	save(t, s, f.ID, t0, mkStory("a", "Okapi one", t0), mkStory("b", "Okapi two", t0))
	if got := search(t, s, "okapi"); len(got) != 2 {
		t.Fatalf("search: %v", got)
	}
	save(t, s, f.ID, t0, mkStory("c", "Okapi three", t0)) // pending
	ro, err := sql.Open("sqlite", dsn(s.path, openRead))
	if err != nil {
		t.Fatal(err)
	}
	rw, rwc := s.db, s.wconn
	s.db, s.wconn = ro, nil
	defer func() {
		if s.wconn != nil {
			s.wconn.Close()
		}
		ro.Close()
		s.db, s.wconn = rw, rwc
	}()
	if _, err := s.IndexPending(ctx); !isReadOnly(err) {
		t.Fatalf("IndexPending on a read-only store: %v, want a read-only error", err)
	}
	if got := search(t, s, "okapi"); len(got) != 2 {
		t.Errorf("read-only search: %v, want the 2 indexed stories", got)
	}
}
