package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"
	"time"

	"github.com/byline/byline/internal/model"
)

func TestOpenFresh(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "byline.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := fi.Mode().Perm(); got != 0o600 {
		t.Errorf("mode = %v, want 0600", got)
	}
	if s.ReadOnly() {
		t.Error("a fresh store says it is read-only")
	}
	var v int
	if err := s.db.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&v); err != nil {
		t.Fatal(err)
	}
	if v != len(migrations) || v == 0 {
		t.Errorf("user_version = %d, want %d", v, len(migrations))
	}

	// Every pooled connection has the pragmas, not only the first.
	var conns []*sql.Conn
	for i := 0; i < 3; i++ {
		c, err := s.db.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, c)
		var fk, sync, busy int
		var mode string
		if err := c.QueryRowContext(ctx, `SELECT foreign_keys, synchronous, timeout, journal_mode
			FROM pragma_foreign_keys, pragma_synchronous, pragma_busy_timeout, pragma_journal_mode`).
			Scan(&fk, &sync, &busy, &mode); err != nil {
			t.Fatal(err)
		}
		if fk != 1 || sync != 1 || busy != busyTimeout || mode != "wal" {
			t.Errorf("conn %d: foreign_keys=%d synchronous=%d busy_timeout=%d journal_mode=%s",
				i, fk, sync, busy, mode)
		}
	}
	for _, c := range conns {
		c.Close()
	}
	if _, err := s.AddFeed(ctx, mkFeed("https://a.example/feed")); err != nil {
		t.Fatal(err)
	}
	// SQLite gives the WAL and shared-memory files the database's mode.
	for _, side := range []string{"-wal", "-shm"} {
		fi, err := os.Stat(path + side)
		if err != nil {
			t.Fatalf("%s: %v", side, err)
		}
		if got := fi.Mode().Perm(); got != 0o600 {
			t.Errorf("%s mode = %v, want 0600", side, got)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	// Reopening an up-to-date store migrates nothing and keeps the data.
	s, err = Open(ctx, path)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer s.Close()
	if _, err := s.FeedByURL(ctx, "https://a.example/feed"); err != nil {
		t.Errorf("after reopen: %v", err)
	}
}

func TestOpenMissingDir(t *testing.T) {
	_, err := Open(context.Background(), filepath.Join(t.TempDir(), "nope", "byline.db"))
	if err == nil {
		t.Fatal("Open in a missing directory succeeded")
	}
}

func TestOpenNewerSchema(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "byline.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.ExecContext(ctx, `PRAGMA user_version = 999`); err != nil {
		t.Fatal(err)
	}
	s.Close()
	before := readFile(t, path)

	_, err = Open(ctx, path)
	if !errors.Is(err, ErrNewerSchema) {
		t.Fatalf("Open = %v, want ErrNewerSchema", err)
	}
	t.Logf("message: %v", err)
	if !bytes.Equal(readFile(t, path), before) {
		t.Error("Open changed the file of a newer schema")
	}
}

func TestOpenCorrupt(t *testing.T) {
	real := func() []byte {
		path := filepath.Join(t.TempDir(), "real.db")
		s, err := Open(context.Background(), path)
		if err != nil {
			t.Fatal(err)
		}
		s.Close()
		return readFile(t, path)
	}()
	// A valid header page followed by pages of noise.
	damaged := append([]byte(nil), real...)
	for i := 4096; i < len(damaged); i++ {
		damaged[i] = byte(i*7 + 3)
	}
	for name, content := range map[string][]byte{
		"text":          []byte("this is a newsboat urls file, not a database\n"),
		"short":         []byte("SQLite"),
		"header only":   real[:100],
		"garbage pages": damaged,
		"zeros":         make([]byte, 8192),
	} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "byline.db")
			if err := os.WriteFile(path, content, 0o600); err != nil {
				t.Fatal(err)
			}
			s, err := Open(context.Background(), path)
			if err == nil {
				s.Close()
			}
			if !errors.Is(err, ErrCorrupt) {
				t.Fatalf("Open = %v, want ErrCorrupt", err)
			}
			if !bytes.Equal(readFile(t, path), content) {
				t.Error("Open changed a corrupt file")
			}
		})
	}
}

// TestProbeLargeStore checks the cheap probe that replaces quick_check on
// stores above quickCheckMax, by claiming the files are that large.
func TestProbeLargeStore(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "byline.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if _, err := checkReadOnly(ctx, path, quickCheckMax+1, openRead); err != nil {
		t.Fatalf("sound store: %v", err)
	}
	b := readFile(t, path)
	for i := 4096; i < len(b); i++ {
		b[i] = byte(i*7 + 3)
	}
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := checkReadOnly(ctx, path, quickCheckMax+1, openRead); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("damaged store: %v, want ErrCorrupt", err)
	}
}

func TestLoadMigrations(t *testing.T) {
	if len(migrations) == 0 {
		t.Fatal("no embedded migrations")
	}
	for name, fsys := range map[string]fstest.MapFS{
		"gap":      {"migrations/001_a.sql": {}, "migrations/003_c.sql": {}},
		"bad name": {"migrations/init.sql": {}},
		"zero":     {"migrations/000_a.sql": {}},
	} {
		if _, err := loadMigrations(fsys); err == nil {
			t.Errorf("%s: loadMigrations succeeded", name)
		}
	}
	ms, err := loadMigrations(fstest.MapFS{
		"migrations/002_b.sql": {Data: []byte("B")}, "migrations/001_a.sql": {Data: []byte("A")},
	})
	if err != nil || len(ms) != 2 || ms[0].sql != "A" || ms[1].name != "b" {
		t.Errorf("loadMigrations = %+v, %v", ms, err)
	}
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestMigrateRefillsIndex opens a store whose index is the one of schema 2
// (unicode61 over title and body) and checks that migration 003 indexes
// every story again, with its cached article, for the new folded search.
func TestMigrateRefillsIndex(t *testing.T) {
	ctx := context.Background()
	s, path := openFile(t)
	f := addFeed(t, s, "https://a.example/feed")
	var stories []model.Story
	for i := range 600 { // more than one refill batch
		stories = append(stories, mkStory(fmt.Sprintf("k%d", i), fmt.Sprintf("Story %d Zürich", i), t0))
	}
	save(t, s, f.ID, t0, stories...)
	got, err := s.Stories(ctx, Query{Search: "story", Limit: 1000})
	if err != nil || len(got) != 600 {
		t.Fatalf("before: %d stories, %v", len(got), err)
	}
	if err := s.SaveArticle(ctx, got[0].ID, model.Article{Markdown: "the word wombat"}); err != nil {
		t.Fatal(err)
	}
	s = reopenAfter(t, s, path,
		`DROP TRIGGER stories_fts_delete`, `DROP TABLE story_fts`,
		`CREATE VIRTUAL TABLE story_fts USING fts5(title, body, content = '',
			contentless_delete = 1, detail = none, prefix = '1 2 3')`,
		`CREATE TRIGGER stories_fts_delete AFTER DELETE ON stories BEGIN
			DELETE FROM story_fts WHERE rowid = old.id; END`,
		`INSERT INTO story_fts (rowid, title, body) SELECT id, title, 'old' FROM stories`,
		`DROP TABLE fts_state`, `PRAGMA user_version = 2`)
	var v int
	s.db.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&v)
	if v != len(migrations) {
		t.Errorf("user_version = %d", v)
	}
	for q, want := range map[string]int{"zurich": 600, "ZÜRICH story 599": 1, "content": 600,
		"wombat": 1, "old": 0, "summary": 600} {
		got, err := s.Stories(ctx, Query{Search: q, Limit: 1000})
		if err != nil || len(got) != want {
			t.Errorf("search %q after migration: %d stories, %v; want %d", q, len(got), err, want)
		}
	}
}

// New stores get pageSize; an existing store keeps its own.
func TestPageSize(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := openTest(t)
	var ps int
	if err := s.db.QueryRowContext(ctx, `PRAGMA page_size`).Scan(&ps); err != nil || ps != pageSize {
		t.Errorf("new store page size %d, %v; want %d", ps, err, pageSize)
	}
	var mode string
	if err := s.db.QueryRowContext(ctx, `PRAGMA journal_mode`).Scan(&mode); err != nil || mode != "wal" {
		t.Errorf("journal mode %q, %v", mode, err)
	}
	old := filepath.Join(dir, "old.db")
	db, err := sql.Open("sqlite", "file:"+old)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`PRAGMA page_size = 4096; PRAGMA journal_mode = WAL; CREATE TABLE x(y)`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`DROP TABLE x`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	s2, err := Open(ctx, old)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if err := s2.db.QueryRowContext(ctx, `PRAGMA page_size`).Scan(&ps); err != nil || ps != 4096 {
		t.Errorf("existing store page size %d, %v; want 4096", ps, err)
	}
}

// TestMigrateRehashes gives every story of a schema-3 store a stale change
// hash and checks that migration 004 recomputes each from the stored fields:
// the hash a fetch of the same story computes, whatever its guid, link,
// categories and enclosures.
func TestMigrateRehashes(t *testing.T) {
	ctx := context.Background()
	s, path := openFile(t)
	f := addFeed(t, s, "https://a.example/feed")
	var stories []model.Story
	want := map[string]int64{}
	for i := range 300 { // more than one batch
		st := mkStory(fmt.Sprintf("k%d", i), fmt.Sprintf("Story %d", i), t0)
		switch i % 4 {
		case 1:
			st.GUID, st.URL = "", ""
		case 2:
			st.GUID, st.URL = "urn:other", st.Key
			st.Updated = t0.Add(time.Hour)
		case 3:
			st.Categories = []string{"a", "b"}
			st.Enclosures = []model.Enclosure{{URL: "https://a.example/x.mp3", Type: "audio/mpeg", Length: 9}}
		}
		p, err := prepare(&st)
		if err != nil {
			t.Fatal(err)
		}
		want[st.Key] = p.hash
		stories = append(stories, st)
	}
	save(t, s, f.ID, t0, stories...)
	s = reopenAfter(t, s, path, `UPDATE stories SET hash = 0`, `DROP TRIGGER stories_fts_delete`,
		`CREATE TRIGGER stories_fts_delete AFTER DELETE ON stories BEGIN
			DELETE FROM story_fts WHERE rowid = old.id; END`,
		`DROP TABLE fts_state`, `PRAGMA user_version = 3`)
	rows, err := s.db.QueryContext(ctx, `SELECT key, hash FROM stories`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var k string
		var h int64
		if err := rows.Scan(&k, &h); err != nil {
			t.Fatal(err)
		}
		if h != want[k] {
			t.Errorf("story %s: hash %x after migration, want %x", k, h, want[k])
		}
		n++
	}
	if n != len(want) {
		t.Errorf("%d stories, want %d", n, len(want))
	}
}

// openFile opens a new store in a file of the test's temp dir; the test
// closes it (reopenAfter does).
func openFile(t *testing.T) (*Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "byline.db")
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	return s, path
}

// reopenAfter runs stmts on s (taking it back to an older schema), closes
// it and opens path again, which runs the pending migrations; the new store
// is closed when the test ends.
func reopenAfter(t *testing.T, s *Store, path string, stmts ...string) *Store {
	t.Helper()
	for _, q := range stmts {
		if _, err := s.db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	s.Close()
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// A COMMIT that fails can leave SQLite's transaction open on the writer
// connection (here a deferred foreign key violation, which SQLite reports
// at COMMIT and keeps the transaction for); the next write must still work.
func TestWriteAfterFailedCommit(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	err := s.write(ctx, func(tx *sql.Tx) error {
		for _, q := range []string{`PRAGMA defer_foreign_keys = ON`,
			`INSERT INTO stories (feed_id, key, published, first_seen) VALUES (999999, 'k', 0, 0)`} {
			if _, err := tx.ExecContext(ctx, q); err != nil {
				return err
			}
		}
		return nil
	})
	if err == nil {
		t.Fatal("commit with a dangling foreign key succeeded")
	}
	if _, err := s.AddFeed(ctx, model.Feed{URL: "https://after.example/feed"}); err != nil {
		t.Fatalf("write after a failed commit: %v", err)
	}
	if n, _, err := s.CountStories(ctx, Query{}); err != nil || n != 0 {
		t.Errorf("%d stories after the failed commit, %v", n, err)
	}
}
