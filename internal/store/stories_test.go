package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/byline/byline/internal/model"
)

func TestSaveFetchDedupeKeepsState(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	f := addFeed(t, s, "https://a.example/feed")
	s1, s2, s3 := mkStory("k1", "One", t0.Add(-3*time.Hour)), mkStory("k2", "Two", t0.Add(-2*time.Hour)),
		mkStory("k3", "Three", t0.Add(-time.Hour))
	s1.Categories = []string{"go", "db"}
	s1.Enclosures = []model.Enclosure{{URL: "https://a.example/a.mp3", Type: "audio/mpeg", Length: 42}}
	if n := save(t, s, f.ID, t0, s1, s2, s3); n != 3 {
		t.Fatalf("first fetch inserted %d, want 3", n)
	}
	before, _ := s.Stories(ctx, Query{})
	byKey := map[string]model.Story{}
	for _, st := range before {
		byKey[st.Key] = st
	}
	if err := s.SetRead(ctx, []int64{byKey["k1"].ID}, true); err != nil {
		t.Fatal(err)
	}
	if err := s.SetStarred(ctx, []int64{byKey["k2"].ID}, true); err != nil {
		t.Fatal(err)
	}

	// Second fetch, an hour later: k1 unchanged, k2 retitled with a new
	// body and a bogus new Published, k3 dropped out, k4 new, k4 twice.
	later := t0.Add(time.Hour)
	s2b := mkStory("k2", "Two, corrected", t0.Add(5*time.Hour))
	s2b.Content = "<p>rewritten quokka paragraph</p>"
	s4 := mkStory("k4", "Four", time.Time{})
	if n := save(t, s, f.ID, later, s1, s2b, s4, s4); n != 1 {
		t.Fatalf("second fetch inserted %d, want 1", n)
	}
	// The same fetch again changes nothing.
	if n := save(t, s, f.ID, later.Add(time.Hour), s1, s2b, s4); n != 0 {
		t.Fatalf("third fetch inserted %d, want 0", n)
	}

	after, err := s.Stories(ctx, Query{})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := keys(after), []string{"k4", "k3", "k2", "k1"}; !slices.Equal(got, want) {
		t.Fatalf("keys newest first = %v, want %v", got, want)
	}
	got := map[string]model.Story{}
	for _, st := range after {
		got[st.Key] = st
	}
	k1, k2, k3, k4 := got["k1"], got["k2"], got["k3"], got["k4"]
	if k1.ID != byKey["k1"].ID || !k1.Read || !k1.FirstSeen.Equal(t0) {
		t.Errorf("k1 lost its state: %+v", k1)
	}
	if !slices.Equal(k1.Categories, s1.Categories) || !slices.Equal(k1.Enclosures, s1.Enclosures) {
		t.Errorf("k1 lists = %v %v", k1.Categories, k1.Enclosures)
	}
	if k1.GUID != "k1" || k1.URL != "https://example.com/k1" || k1.Author != "ann" {
		t.Errorf("k1 fields = %+v", k1)
	}
	if k2.Title != "Two, corrected" || !k2.Starred || k2.Read || !k2.FirstSeen.Equal(t0) ||
		!k2.Published.Equal(t0.Add(-2*time.Hour)) {
		t.Errorf("k2 = %+v", k2)
	}
	if k3.ID != byKey["k3"].ID {
		t.Errorf("k3 (dropped from the feed) = %+v", k3)
	}
	if !k4.Published.Equal(later) || !k4.FirstSeen.Equal(later) {
		t.Errorf("k4 Published = %v, FirstSeen = %v, want both %v", k4.Published, k4.FirstSeen, later)
	}
	if k4.FeedTitle != "Title of https://a.example/feed" {
		t.Errorf("FeedTitle = %q", k4.FeedTitle)
	}
	for _, st := range after {
		if st.Summary != "" || st.Content != "" {
			t.Errorf("list row %s carries bodies", st.Key)
		}
	}

	full, err := s.Story(ctx, k2.ID)
	if err != nil {
		t.Fatal(err)
	}
	if full.Content != s2b.Content || full.Summary != s2b.Summary || full.FeedTitle == "" {
		t.Errorf("Story = %+v", full)
	}
	if _, err := s.Story(ctx, 9999); !errors.Is(err, ErrNotFound) {
		t.Errorf("Story(9999) = %v", err)
	}

	// The index follows the update: new words in, old ones out.
	if st, _ := s.Stories(ctx, Query{Search: "quokka"}); len(st) != 1 || st[0].Key != "k2" {
		t.Errorf("search quokka = %v", keys(st))
	}
	if st, _ := s.Stories(ctx, Query{Search: "content of Two"}); len(st) != 0 {
		t.Errorf("search for replaced content = %v", keys(st))
	}
}

func TestSaveFetchLargeText(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	f := addFeed(t, s, "https://a.example/feed")
	st := mkStory("big", "Big", t0)
	st.Content = "<p>" + stringsRepeat("a long paragraph of compressible words ", 200) + "ümlaut</p>"
	st.Summary = string([]byte{0xff, 0xfe, 'x'}) // not UTF-8: stored and returned as given
	save(t, s, f.ID, t0, st)
	list, _ := s.Stories(ctx, Query{})
	got, err := s.Story(ctx, list[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Content != st.Content || got.Summary != st.Summary {
		t.Errorf("bodies did not round trip: %d/%d bytes", len(got.Content), len(got.Summary))
	}
	if n := save(t, s, f.ID, t0, st); n != 0 {
		t.Errorf("re-save inserted %d", n)
	}
	if r, _ := s.Stories(ctx, Query{Search: "ümlaut"}); len(r) != 1 {
		t.Errorf("search in compressed content = %d results", len(r))
	}
}

func stringsRepeat(s string, n int) string {
	b := make([]byte, 0, len(s)*n)
	for i := 0; i < n; i++ {
		b = append(b, s...)
	}
	return string(b)
}

// fixture builds three feeds: a (tag tech, 4 stories), b (tags tech+news,
// 3 stories), c (untagged, 2 stories); published one hour apart.
func fixture(t *testing.T) (*Store, map[string]int64) {
	t.Helper()
	s := openTest(t)
	a := addFeed(t, s, "https://a.example/feed", "tech")
	b := addFeed(t, s, "https://b.example/feed", "tech", "news")
	c := addFeed(t, s, "https://c.example/feed")
	at := func(h int) time.Time { return t0.Add(time.Duration(h) * time.Hour) }
	save(t, s, a.ID, t0, mkStory("a1", "alpha golang", at(1)), mkStory("a2", "alpha rust", at(4)),
		mkStory("a3", "alpha sqlite", at(7)), mkStory("a4", "alpha zig", at(9)))
	save(t, s, b.ID, t0, mkStory("b1", "beta golang", at(2)), mkStory("b2", "beta sqlite", at(5)),
		mkStory("b3", "beta python", at(8)))
	save(t, s, c.ID, t0, mkStory("c1", "gamma golang", at(3)), mkStory("c2", "gamma ocaml", at(6)))
	m := map[string]int64{"feed:a": a.ID, "feed:b": b.ID, "feed:c": c.ID}
	all, err := s.Stories(context.Background(), Query{})
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range all {
		m[st.Key] = st.ID
	}
	ctx := context.Background()
	if err := s.SetRead(ctx, []int64{m["a1"], m["b2"], m["c2"]}, true); err != nil {
		t.Fatal(err)
	}
	if err := s.SetStarred(ctx, []int64{m["a2"], m["b2"]}, true); err != nil {
		t.Fatal(err)
	}
	// Tests that run the list SQL directly need the stories indexed.
	if _, err := s.IndexPending(ctx); err != nil {
		t.Fatal(err)
	}
	return s, m
}

func TestQueryFilters(t *testing.T) {
	ctx := context.Background()
	s, m := fixture(t)
	tests := []struct {
		name   string
		q      Query
		want   []string
		unread int
	}{
		{"all newest first", Query{}, []string{"a4", "b3", "a3", "c2", "b2", "a2", "c1", "b1", "a1"}, 6},
		{"feed", Query{FeedID: m["feed:a"]}, []string{"a4", "a3", "a2", "a1"}, 3},
		{"tag", Query{Tag: "tech"}, []string{"a4", "b3", "a3", "b2", "a2", "b1", "a1"}, 5},
		{"tag news", Query{Tag: "news"}, []string{"b3", "b2", "b1"}, 2},
		{"unknown tag", Query{Tag: "nope"}, nil, 0},
		{"unread", Query{Unread: true}, []string{"a4", "b3", "a3", "a2", "c1", "b1"}, 6},
		{"starred", Query{Starred: true}, []string{"b2", "a2"}, 1},
		{"since", Query{Since: t0.Add(7 * time.Hour)}, []string{"a4", "b3", "a3"}, 3},
		{"feed unread", Query{FeedID: m["feed:b"], Unread: true}, []string{"b3", "b1"}, 2},
		{"limit", Query{Limit: 2}, []string{"a4", "b3"}, 6},
		{"limit offset", Query{Limit: 3, Offset: 3}, []string{"c2", "b2", "a2"}, 6},
		{"offset only", Query{Offset: 7}, []string{"b1", "a1"}, 6},
		{"offset past end", Query{Limit: 5, Offset: 50}, nil, 6},
		{"search", Query{Search: "golang"}, []string{"c1", "b1", "a1"}, 2},
		{"search prefix", Query{Search: "gol"}, []string{"c1", "b1", "a1"}, 2},
		{"search two words", Query{Search: "beta sql"}, []string{"b2"}, 0},
		{"search case", Query{Search: "ALPHA Zig"}, []string{"a4"}, 1},
		{"search body", Query{Search: "content of gamma"}, []string{"c2", "c1"}, 1},
		{"search and tag", Query{Search: "golang", Tag: "news"}, []string{"b1"}, 1},
		{"search unread", Query{Search: "sqlite", Unread: true}, []string{"a3"}, 1},
		{"search no match", Query{Search: "haskell"}, nil, 0},
		{"search markup is not text", Query{Search: "div class"}, nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.Stories(ctx, tt.q)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(keys(got), tt.want) && !(len(got) == 0 && len(tt.want) == 0) {
				t.Errorf("Stories = %v, want %v", keys(got), tt.want)
			}
			cq := tt.q
			cq.Limit, cq.Offset = 0, 0
			all, _ := s.Stories(ctx, cq)
			total, unread, err := s.CountStories(ctx, tt.q)
			if err != nil {
				t.Fatal(err)
			}
			if total != len(all) || unread != tt.unread {
				t.Errorf("CountStories = %d, %d; want %d, %d", total, unread, len(all), tt.unread)
			}
		})
	}
}

func TestSearchHostileInput(t *testing.T) {
	ctx := context.Background()
	s, _ := fixture(t)
	for _, q := range []string{`"`, `*`, `NEAR(`, `-x`, `AND(`, `golang"`, `"golang`, `go*lang`,
		`title:alpha`, `^alpha`, `alpha OR`, `NOT alpha`, `(`, `)`, `{title}: x`, `'`, `\`,
		`alpha AND`, `+`, `NEAR(alpha beta, 2)`, `"" *"`, "\x00", "alpha\u200bbeta", `:`, `*alpha`,
		"x\u19b0y", "日本語 x\u19b0y", "\u19b0"} {
		if _, err := s.Stories(ctx, Query{Search: q}); err != nil {
			t.Errorf("Stories(Search %q): %v", q, err)
		}
		if _, _, err := s.CountStories(ctx, Query{Search: q}); err != nil {
			t.Errorf("CountStories(Search %q): %v", q, err)
		}
		if _, err := s.MarkAllRead(ctx, Query{Search: q, Starred: true, Unread: true, FeedID: -1}); err != nil {
			t.Errorf("MarkAllRead(Search %q): %v", q, err)
		}
	}
	// Syntax characters around a word still find the word.
	for _, q := range []string{`"golang"`, `-golang`, `golang*`, `(golang)`, `golang:`} {
		if got, _ := s.Stories(ctx, Query{Search: q}); len(got) != 3 {
			t.Errorf("Search %q = %v, want the 3 golang stories", q, keys(got))
		}
	}
	// Keywords are plain words.
	if got, _ := s.Stories(ctx, Query{Search: "alpha OR beta"}); len(got) != 0 {
		t.Errorf("Search alpha OR beta = %v, want none (OR is a word)", keys(got))
	}
	// Input without a single word matches nothing rather than everything.
	if got, _ := s.Stories(ctx, Query{Search: `"*"`}); len(got) != 0 {
		t.Errorf("Search of punctuation = %v", keys(got))
	}
}

func TestFTSQuery(t *testing.T) {
	tests := map[string]string{
		"golang":      `"golang"*`,
		"Go  lang":    `"go" "lang"*`,
		"go go":       `"go"`,
		"in on":       `"in" "on"`,
		`"a" OR b*`:   `"a" "or" "b"`,
		`NEAR(x, 2)`:  `"near" "x" "2"`,
		"e-mail":      `"e" "mail"*`,
		"ÜNÏCÖDÉ 日本語": `"unicode" "日本語"*`,
		"Ἀθῆναι café": `"αθηναι" "cafe"*`,
		"x\u19b0y":    "\"x\u19b0y\"*",
		`"*-()^:{}`:   ``,
		"":            ``,
	}
	for in, want := range tests {
		if got := ftsQuery(in); got != want {
			t.Errorf("ftsQuery(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestIndexWords(t *testing.T) {
	w := newWords()
	d := indexDoc{
		title:   "Café owner: “We’re Open”",
		summary: "<p>The café is <b>open</b> again &amp; busy.</p>",
		content: "<p>The CAFÉ is open again, said the owner. <script>var x = 1;</script></p>",
		article: "> We're open, she said.",
	}
	got := d.text(w)
	want := "cafe owner we re open the is again busy said she"
	if got != want {
		t.Errorf("text = %q\nwant  %q", got, want)
	}
	// The scratch space is reset between documents.
	if got := (indexDoc{title: "Owner"}).text(w); got != "owner" {
		t.Errorf("second text = %q", got)
	}
	// A hostile "word" is cut at maxWord bytes on a rune boundary, the same
	// way for the index and the query.
	long := strings.Repeat("é", 200)
	got = (indexDoc{title: long}).text(w)
	if len(got) > maxWord || !utf8.ValidString(got) || got != strings.Repeat("e", maxWord) {
		t.Errorf("long word indexed as %d bytes %q", len(got), got[:min(len(got), 20)])
	}
	long = strings.Repeat("日", 100)
	got = (indexDoc{title: long}).text(w)
	if len(got) > maxWord || !utf8.ValidString(got) || len(got) != 126 {
		t.Errorf("long CJK word indexed as %d bytes", len(got))
	}
	if q := ftsQuery(long); q != `"`+got+`"*` {
		t.Errorf("query of the long word = %q", q)
	}
}

func TestWordsHTML(t *testing.T) {
	tests := map[string]string{
		"plain words":               "plain words",
		"<p>Hello <b>world</b></p>": "hello world",
		"a<br>b":                    "a b",
		"wo<i>rd</i>":               "wo rd",
		`<a href="https://x.example/q">link</a> &amp; more`: "link more",
		"<script>var x = 1;</script>after":                  "after",
		"<STYLE>p{}</sTyLe>text":                            "text",
		"<script>never closed":                              "",
		"fish &lt;chips&gt; caf&eacute;":                    "fish chips cafe",
		"broken <tag":                                       "broken",
		"a &amp;b":                                          "a b",
	}
	w := newWords()
	for in, want := range tests {
		w.reset()
		w.addHTML(in)
		if got := string(w.out); got != want {
			t.Errorf("addHTML(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMarkAllReadAndUndo(t *testing.T) {
	ctx := context.Background()
	s, m := fixture(t)
	changed, err := s.MarkAllRead(ctx, Query{Tag: "tech"})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(changed)
	want := []int64{m["a2"], m["a3"], m["a4"], m["b1"], m["b3"]}
	slices.Sort(want)
	if !slices.Equal(changed, want) {
		t.Errorf("MarkAllRead changed %v, want %v", changed, want)
	}
	if _, unread, _ := s.CountStories(ctx, Query{}); unread != 1 {
		t.Errorf("unread after mark all = %d, want 1 (c1)", unread)
	}
	if err := s.SetRead(ctx, changed, false); err != nil {
		t.Fatal(err)
	}
	if _, unread, _ := s.CountStories(ctx, Query{}); unread != 6 {
		t.Errorf("unread after undo = %d, want 6", unread)
	}
	again, err := s.MarkAllRead(ctx, Query{FeedID: m["feed:c"], Limit: 1})
	if err != nil || len(again) != 1 || again[0] != m["c1"] {
		t.Errorf("MarkAllRead(feed c) = %v, %v", again, err)
	}
}

func TestSetReadManyIDs(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	f := addFeed(t, s, "https://a.example/feed")
	const n = 1234 // more than two chunks
	batch := make([]model.Story, n)
	for i := range batch {
		batch[i] = mkStory(fmt.Sprint("k", i), fmt.Sprint("story ", i), t0.Add(time.Duration(i)*time.Minute))
	}
	if got := save(t, s, f.ID, t0, batch...); got != n {
		t.Fatalf("inserted %d", got)
	}
	all, _ := s.Stories(ctx, Query{})
	idList := append(ids(all), 999999) // unknown ids are ignored
	if err := s.SetRead(ctx, idList, true); err != nil {
		t.Fatal(err)
	}
	if total, unread, _ := s.CountStories(ctx, Query{}); total != n || unread != 0 {
		t.Errorf("counts = %d, %d", total, unread)
	}
	if err := s.SetStarred(ctx, idList[:700], true); err != nil {
		t.Fatal(err)
	}
	if total, _, _ := s.CountStories(ctx, Query{Starred: true}); total != 700 {
		t.Errorf("starred = %d, want 700", total)
	}
	if err := s.SetRead(ctx, nil, true); err != nil {
		t.Errorf("SetRead(nil) = %v", err)
	}
}

func TestArticleCache(t *testing.T) {
	ctx := context.Background()
	s, m := fixture(t)
	id := m["c2"]
	if _, err := s.Article(ctx, id); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Article before save = %v, want ErrNotFound", err)
	}
	a := model.Article{
		URL: "https://c.example/2", Title: "Gamma two", Author: "Bo", Site: "C",
		Published: t0, ImageURL: "https://c.example/i.jpg", ImageCaption: "a cat",
		Markdown: "Body with the word platypus.\n\n> a quote\n\n" + stringsRepeat("more text ", 100),
		Source:   model.SourceExtracted, ExtractedAt: t0.Add(time.Minute),
	}
	if err := s.SaveArticle(ctx, id, a); err != nil {
		t.Fatal(err)
	}
	got, err := s.Article(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(got) != fmt.Sprint(a) || !got.Published.Equal(a.Published) {
		t.Errorf("Article = %+v\nwant %+v", got, a)
	}
	if r, _ := s.Stories(ctx, Query{Search: "platypus"}); len(r) != 1 || r[0].ID != id {
		t.Errorf("search article text = %v", keys(r))
	}
	// The story's own text is still searchable, and a re-fetch that changes
	// the story keeps the article text in the index.
	if r, _ := s.Stories(ctx, Query{Search: "gamma ocaml"}); len(r) != 1 {
		t.Errorf("search story text after article = %v", keys(r))
	}
	changed := mkStory("c2", "gamma ocaml revised", t0)
	save(t, s, m["feed:c"], t0, changed)
	if r, _ := s.Stories(ctx, Query{Search: "platypus revised"}); len(r) != 1 {
		t.Errorf("search after re-fetch = %v", keys(r))
	}

	a.Markdown, a.Source, a.Note = "short", model.SourceFallback, "page blocked"
	if err := s.SaveArticle(ctx, id, a); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Article(ctx, id); got.Markdown != "short" || got.Note != "page blocked" {
		t.Errorf("replaced Article = %+v", got)
	}
	if r, _ := s.Stories(ctx, Query{Search: "platypus"}); len(r) != 0 {
		t.Errorf("old article text still indexed: %v", keys(r))
	}
	if err := s.SaveArticle(ctx, 99999, a); !errors.Is(err, ErrNotFound) {
		t.Errorf("SaveArticle(unknown) = %v, want ErrNotFound", err)
	}
}

// TestUpsertUnprepared covers a story that another writer changed between
// prepareStories' read and the write transaction: upsert packs it itself.
func TestUpsertUnprepared(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	f := addFeed(t, s, "https://a.example/feed")
	save(t, s, f.ID, t0, mkStory("old", "old title", t0))
	fresh, changed := mkStory("new", "fresh wombat", t0), mkStory("old", "changed numbat", t0)
	err := s.write(ctx, func(tx *sql.Tx) error {
		u, err := newUpserter(ctx, tx, f.ID, t0.Unix())
		if err != nil {
			return err
		}
		defer u.close()
		for _, st := range []*model.Story{&fresh, &changed} {
			p, err := prepare(st)
			if err != nil {
				return err
			}
			if _, err := u.upsert(ctx, st, &p); err != nil {
				return err
			}
		}
		return u.applyIndex(ctx, *u.index)
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, word := range []string{"wombat", "numbat"} {
		got, err := s.Stories(ctx, Query{Search: word})
		if err != nil || len(got) != 1 {
			t.Fatalf("search %s = %v, %v", word, keys(got), err)
		}
		full, err := s.Story(ctx, got[0].ID)
		if err != nil || full.Content == "" || full.Content != mkStory(full.Key, full.Title, t0).Content {
			t.Errorf("story %s = %+v, %v", full.Key, full, err)
		}
	}
}

// TestUpsertStaleFresh: a story prepared as new whose key was stored between
// prepareStories and the write (another process, or the same key twice in one
// feed) takes the update path: one row, the new text indexed, state kept.
func TestUpsertStaleFresh(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	f := addFeed(t, s, "https://a.example/feed")
	first := mkStory("k", "first aardvark", t0)
	second := mkStory("k", "second okapi", t0)
	preps, err := s.prepareStories(ctx, f.ID, []model.Story{second})
	if err != nil || !preps[0].fresh {
		t.Fatalf("prepareStories: fresh=%v, %v", preps[0].fresh, err)
	}
	save(t, s, f.ID, t0, first)
	got, _ := s.Stories(ctx, Query{})
	if err := s.SetStarred(ctx, ids(got), true); err != nil {
		t.Fatal(err)
	}
	req := &saveReq{r: FetchResult{FeedID: f.ID, Status: 200, FetchedAt: t0, Stories: []model.Story{second}},
		preps: preps, done: make(chan bool, 1)}
	s.commit(ctx, req)
	if req.err != nil || req.inserted != 0 {
		t.Fatalf("stale fresh save: inserted %d, %v", req.inserted, req.err)
	}
	all, _ := s.Stories(ctx, Query{})
	if len(all) != 1 || all[0].Title != "second okapi" || !all[0].Starred {
		t.Fatalf("stories = %+v", all)
	}
	for word, want := range map[string]int{"okapi": 1, "aardvark": 0} {
		if r, _ := s.Stories(ctx, Query{Search: word}); len(r) != want {
			t.Errorf("search %s: %d stories, want %d", word, len(r), want)
		}
	}
	// The same key twice in one fetch: one row, the last version wins.
	n := save(t, s, f.ID, t0, mkStory("d", "dup one", t0), mkStory("d", "dup two", t0))
	if r, _ := s.Stories(ctx, Query{Search: "dup"}); n != 1 || len(r) != 1 || r[0].Title != "dup two" {
		t.Errorf("duplicate key: inserted %d, stories %+v", n, r)
	}
}

// TestWordsSet checks the hash set against a map, across resets and growth:
// documents of up to 5,000 distinct words, many repeated.
func TestWordsSet(t *testing.T) {
	w := newWords()
	for doc := range 300 {
		n := 1 + doc*doc%5000
		var b strings.Builder
		for i := range 2 * n {
			fmt.Fprintf(&b, "W%dx%d ", (i*7919)%n, doc%3)
		}
		seen := map[string]bool{}
		var want []string
		for _, f := range strings.Fields(strings.ToLower(b.String())) {
			if !seen[f] {
				seen[f] = true
				want = append(want, f)
			}
		}
		got := (indexDoc{title: b.String()}).text(w)
		if got != strings.Join(want, " ") {
			t.Fatalf("doc %d (%d words): got %d bytes, want %d", doc, n, len(got), len(strings.Join(want, " ")))
		}
	}
}
