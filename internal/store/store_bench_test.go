package store

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/byline/byline/internal/model"
)

// Benchmark corpus: made-up words drawn with a Zipf distribution, which is
// roughly how words are distributed in real prose (so compression and the
// index behave about as they would on real feeds).
type corpus struct {
	rnd   *rand.Rand
	zipf  *rand.Zipf
	words []string
}

func newCorpus(seed uint64) *corpus {
	rnd := rand.New(rand.NewPCG(seed, 1))
	syll := []string{"ka", "lo", "mi", "ne", "ru", "sa", "to", "vi", "ber", "con", "dis", "ex",
		"gra", "ion", "ment", "pre", "qua", "str", "tal", "und", "wor", "zy", "ph", "ough"}
	c := &corpus{rnd: rnd, zipf: rand.NewZipf(rnd, 1.1, 2, 19999)}
	seen := map[string]bool{}
	for len(c.words) < 20000 {
		var b strings.Builder
		for n := 1 + rnd.IntN(4); n > 0; n-- {
			b.WriteString(syll[rnd.IntN(len(syll))])
		}
		if w := b.String(); !seen[w] {
			seen[w] = true
			c.words = append(c.words, w)
		}
	}
	return c
}

func (c *corpus) sentence(n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(c.words[c.zipf.Uint64()])
	}
	return b.String()
}

// story returns a story with 1–3 KB of HTML content and a short summary.
func (c *corpus) story(key string, published time.Time) model.Story {
	var body strings.Builder
	target := 1000 + c.rnd.IntN(2000)
	for body.Len() < target {
		body.WriteString("<p>" + c.sentence(15+c.rnd.IntN(30)) + ".</p>\n")
		if c.rnd.IntN(4) == 0 {
			body.WriteString(`<p><a href="https://example.com/` + c.words[c.rnd.IntN(5000)] + `">` +
				c.sentence(3) + "</a></p>\n")
		}
	}
	return model.Story{
		Key: "https://example.com/posts/" + key, GUID: "https://example.com/posts/" + key,
		URL: "https://example.com/posts/" + key, Title: c.sentence(4 + c.rnd.IntN(6)),
		Author: c.sentence(2), Published: published,
		Summary: "<p>" + c.sentence(25) + "</p>", Content: body.String(),
		Categories: []string{c.words[c.rnd.IntN(50)]},
	}
}

const (
	benchFeeds   = 500
	benchStories = 100_000
)

type benchDB struct {
	once  sync.Once
	dir   string
	path  string
	err   error
	build time.Duration
	bytes int64
}

var big benchDB // shared by the benchmarks below; removed by TestMain

func TestMain(m *testing.M) {
	code := m.Run()
	if big.dir != "" {
		os.RemoveAll(big.dir)
	}
	os.Exit(code)
}

// bigStore opens the 100k-story fixture (500 feeds × 200 stories, every
// third story read, every 50th starred), building it once per run.
func bigStore(b *testing.B) *Store {
	b.Helper()
	ctx := context.Background()
	big.once.Do(func() {
		big.dir, big.err = os.MkdirTemp("", "byline-store-bench")
		if big.err != nil {
			return
		}
		big.path = filepath.Join(big.dir, "byline.db")
		start := time.Now()
		big.err = buildBig(ctx, big.path)
		big.build = time.Since(start)
		if fi, err := os.Stat(big.path); err == nil {
			big.bytes = fi.Size()
		}
	})
	if big.err != nil {
		b.Fatal(big.err)
	}
	s, err := Open(ctx, big.path)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}

func buildBig(ctx context.Context, path string) error {
	s, err := Open(ctx, path)
	if err != nil {
		return err
	}
	defer s.Close()
	c := newCorpus(42)
	feedIDs := make([]int64, benchFeeds)
	for i := range feedIDs {
		f, err := s.AddFeed(ctx, model.Feed{URL: fmt.Sprintf("https://feed%d.example/rss", i),
			Title: c.sentence(3), Tags: []string{fmt.Sprint("tag", i%10)}})
		if err != nil {
			return err
		}
		feedIDs[i] = f.ID
	}
	// One transaction through the same upsert path as SaveFetch.
	err = s.write(ctx, func(tx *sql.Tx) error {
		u, err := newUpserter(ctx, tx, 0, t0.Unix())
		if err != nil {
			return err
		}
		defer u.close()
		for i := 0; i < benchStories; i++ {
			u.feedID = feedIDs[i%benchFeeds]
			st := c.story(fmt.Sprint(i), t0.Add(time.Duration(i)*time.Minute))
			p, err := prepare(&st)
			if err != nil {
				return err
			}
			if _, err := u.upsert(ctx, &st, &p); err != nil {
				return err
			}
		}
		if err := u.applyIndex(ctx, *u.index); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE stories SET read = 1 WHERE id % 3 = 0`)
		if err == nil {
			_, err = tx.ExecContext(ctx, `UPDATE stories SET starred = 1 WHERE id % 50 = 0`)
		}
		return err
	})
	if err != nil {
		return err
	}
	// The refresh path leaves new stories for the index's catch-up.
	if _, err := s.IndexPending(ctx); err != nil {
		return err
	}
	_, err = s.db.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`)
	return err
}

// BenchmarkBuild100k reports the size of the 100k fixture, per table and
// index, next to newsboat's cache holding the same stories.
func BenchmarkBuild100k(b *testing.B) {
	s := bigStore(b)
	for b.Loop() {
	}
	b.ReportMetric(float64(big.build.Milliseconds()), "build-ms")
	b.ReportMetric(float64(big.bytes)/benchStories, "bytes/story")
	b.ReportMetric(float64(big.bytes)/(1<<20), "MiB")
	rows, err := s.db.Query(`SELECT name, sum(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC`)
	if err != nil {
		b.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var name string
		var size int64
		if err := rows.Scan(&name, &size); err != nil {
			b.Fatal(err)
		}
		b.Logf("%-28s %7.1f MiB %6.0f B/story", name, float64(size)/(1<<20), float64(size)/benchStories)
	}
	nb, err := newsboatSize(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(nb)/benchStories, "newsboat-bytes/story")
}

// newsboatSize builds newsboat's cache.db schema (rss_feed, rss_item and its
// indexes, as in newsboat's cache.cpp) holding the fixture's stories, with
// the content column holding the story body as newsboat keeps it, and
// returns its size.
func newsboatSize(dir string) (int64, error) {
	path := filepath.Join(dir, "cache.db")
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		return 0, err
	}
	defer db.Close()
	const schema = `
	CREATE TABLE rss_feed (rssurl VARCHAR(1024) PRIMARY KEY NOT NULL, url VARCHAR(1024) NOT NULL,
		title VARCHAR(1024) NOT NULL, lastmodified INTEGER(11) NOT NULL DEFAULT 0,
		is_rtl INTEGER(1) NOT NULL DEFAULT 0, etag VARCHAR(128) NOT NULL DEFAULT "");
	CREATE TABLE rss_item (id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, guid VARCHAR(64) NOT NULL,
		title VARCHAR(1024) NOT NULL, author VARCHAR(1024) NOT NULL, url VARCHAR(1024) NOT NULL,
		feedurl VARCHAR(1024) NOT NULL, pubDate INTEGER NOT NULL, content VARCHAR(65535) NOT NULL,
		unread INTEGER(1) NOT NULL, enclosure_url VARCHAR(1024), enclosure_type VARCHAR(1024),
		enqueued INTEGER(1) NOT NULL DEFAULT 0, flags VARCHAR(52), deleted INTEGER(1) NOT NULL DEFAULT 0,
		base VARCHAR(128) NOT NULL DEFAULT "", content_mime_type VARCHAR(255) NOT NULL DEFAULT "",
		enclosure_description VARCHAR(1024) NOT NULL DEFAULT "",
		enclosure_description_mime_type VARCHAR(128) NOT NULL DEFAULT "");
	CREATE INDEX idx_rssurl ON rss_feed(rssurl);
	CREATE INDEX idx_guid ON rss_item(guid);
	CREATE INDEX idx_feedurl ON rss_item(feedurl);
	CREATE INDEX idx_lastmodified ON rss_feed(lastmodified);
	CREATE INDEX idx_deleted ON rss_item(deleted);`
	if _, err := db.Exec(schema); err != nil {
		return 0, err
	}
	tx, err := db.Begin()
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	ins, err := tx.Prepare(`INSERT INTO rss_item (guid, title, author, url, feedurl, pubDate,
		content, unread, content_mime_type) VALUES (?, ?, ?, ?, ?, ?, ?, 1, 'text/html')`)
	if err != nil {
		return 0, err
	}
	c := newCorpus(42)
	for i := 0; i < benchFeeds; i++ {
		c.sentence(3) // keep the corpus in step with buildBig
	}
	for i := 0; i < benchStories; i++ {
		st := c.story(fmt.Sprint(i), t0.Add(time.Duration(i)*time.Minute))
		if _, err := ins.Exec(st.GUID, st.Title, st.Author, st.URL,
			fmt.Sprintf("https://feed%d.example/rss", i%benchFeeds), st.Published.Unix(), st.Content); err != nil {
			return 0, err
		}
	}
	if err := tx.Commit(); err != nil {
		return 0, err
	}
	fi, err := os.Stat(path)
	if err != nil {
		return 0, err
	}
	return fi.Size(), nil
}

// BenchmarkSaveFetch10k upserts 10,000 new stories into a fresh store the way
// a refresh does: 200 fetches of 50 stories, one transaction each.
func BenchmarkSaveFetch10k(b *testing.B) {
	ctx := context.Background()
	c := newCorpus(7)
	batches := make([][]model.Story, 200)
	for i := range batches {
		for j := 0; j < 50; j++ {
			batches[i] = append(batches[i], c.story(fmt.Sprint(i, "-", j), t0.Add(time.Duration(i*50+j)*time.Minute)))
		}
	}
	run := func(b *testing.B, refetch bool) {
		for b.Loop() {
			b.StopTimer()
			s := openTest(b)
			f := addFeed(b, s, "https://a.example/feed")
			if refetch {
				for _, batch := range batches {
					save(b, s, f.ID, t0, batch...)
				}
			}
			b.StartTimer()
			for _, batch := range batches {
				if _, err := s.SaveFetch(ctx, FetchResult{FeedID: f.ID, Status: 200, FetchedAt: t0, Stories: batch}); err != nil {
					b.Fatal(err)
				}
			}
		}
	}
	b.Run("new", func(b *testing.B) { run(b, false) })
	b.Run("unchanged", func(b *testing.B) { run(b, true) })
}

// BenchmarkIndexPending indexes 10,000 stories stored by SaveFetch: the
// catch-up that the first search after a refresh runs (index.go).
func BenchmarkIndexPending(b *testing.B) {
	ctx := context.Background()
	c := newCorpus(7)
	var batches [][]model.Story
	for i := range 200 {
		var batch []model.Story
		for j := 0; j < 50; j++ {
			batch = append(batch, c.story(fmt.Sprint(i, "-", j), t0.Add(time.Duration(i*50+j)*time.Minute)))
		}
		batches = append(batches, batch)
	}
	for b.Loop() {
		b.StopTimer()
		s := openTest(b)
		f := addFeed(b, s, "https://a.example/feed")
		for _, batch := range batches {
			save(b, s, f.ID, t0, slices.Clone(batch)...)
		}
		b.StartTimer()
		if n, err := s.IndexPending(ctx); err != nil || n != 10000 {
			b.Fatalf("IndexPending = %d, %v", n, err)
		}
	}
}

// BenchmarkSaveFetch304 is one feed's warm-refresh write (not modified).
func BenchmarkSaveFetch304(b *testing.B) {
	ctx := context.Background()
	s := openTest(b)
	f := addFeed(b, s, "https://a.example/feed")
	for b.Loop() {
		if _, err := s.SaveFetch(ctx, FetchResult{FeedID: f.ID, Status: 304, FetchedAt: t0}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkStories(b *testing.B) {
	ctx := context.Background()
	s := bigStore(b)
	for name, q := range map[string]Query{
		"page0":          {Limit: 50},
		"page-offset50k": {Limit: 50, Offset: 50_000},
		"unread":         {Unread: true, Limit: 50},
		"starred":        {Starred: true, Limit: 50},
		"feed":           {FeedID: 7, Limit: 50},
		"tag":            {Tag: "tag3", Limit: 50},
	} {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				st, err := s.Stories(ctx, q)
				if err != nil || len(st) != 50 {
					b.Fatalf("Stories = %d, %v", len(st), err)
				}
			}
		})
	}
}

func BenchmarkCountStories(b *testing.B) {
	ctx := context.Background()
	s := bigStore(b)
	for name, q := range map[string]Query{
		"all": {}, "feed": {FeedID: 7}, "tag": {Tag: "tag3"}, "starred": {Starred: true},
	} {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				if total, _, err := s.CountStories(ctx, q); err != nil || total == 0 {
					b.Fatalf("CountStories = %d, %v", total, err)
				}
			}
		})
	}
}

func BenchmarkSearch(b *testing.B) {
	ctx := context.Background()
	s := bigStore(b)
	c := newCorpus(42) // the fixture's vocabulary
	for name, words := range map[string]string{
		"common":    c.words[2],
		"rare":      c.words[15000],
		"two-words": c.words[3] + " " + c.words[40],
		"prefix":    c.words[300][:3],
		"no-match":  "xqxqxq",
	} {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				got, err := s.Stories(ctx, Query{Search: words, Limit: 50})
				if err != nil {
					b.Fatal(err)
				}
				if name == "common" && len(got) != 50 {
					b.Fatalf("common word %q found %d stories", words, len(got))
				}
			}
		})
	}
}

// BenchmarkOpen opens the 100k store: header check, read-only version check
// and probe, migration check.
func BenchmarkOpen(b *testing.B) {
	ctx := context.Background()
	bigStore(b)
	for b.Loop() {
		s, err := Open(ctx, big.path)
		if err != nil {
			b.Fatal(err)
		}
		s.Close()
	}
}

func BenchmarkFeeds(b *testing.B) {
	ctx := context.Background()
	s := bigStore(b)
	for b.Loop() {
		if f, err := s.Feeds(ctx); err != nil || len(f) != benchFeeds {
			b.Fatalf("Feeds = %d, %v", len(f), err)
		}
	}
}

// BenchmarkIndexText is the index text of one story with a feed-sized HTML
// body: the words step of every new story in a refresh.
func BenchmarkIndexText(b *testing.B) {
	docs := benchHTML(16)
	w := newWords()
	n := 0
	for _, d := range docs {
		n += len(d)
	}
	b.SetBytes(int64(n / len(docs)))
	i := 0
	for b.Loop() {
		d := indexDoc{title: "A title for the story", summary: "<p>A short summary of it.</p>", content: docs[i%len(docs)]}
		_ = d.text(w)
		i++
	}
}
