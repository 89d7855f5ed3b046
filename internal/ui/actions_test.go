package ui

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
)

func TestMarkAllReadAndUndo(t *testing.T) {
	h := newHarness(t, 300, plainOpts()).start(80, 24)
	h.lib.read[299] = true
	h.keys("M")
	h.contains("marked 299 read")
	h.contains("0 unread")
	if row, _ := h.m.list.at(0); !row.Read {
		t.Fatal("visible rows not reloaded after M")
	}
	h.keys("u")
	h.contains("299 unread")
	if h.lib.read[300] || !h.lib.read[299] {
		t.Fatal("undo did not restore exactly the changed stories")
	}
	h.keys("u")
	h.contains("nothing to undo")
}

func TestToggleReadAndStar(t *testing.T) {
	h := newHarness(t, 10, plainOpts()).start(80, 24)
	h.keys("m")
	if !h.lib.read[10] {
		t.Fatal("m did not mark read")
	}
	h.contains("9 unread")
	h.keys("m", "s")
	if h.lib.read[10] || !h.lib.starred[10] {
		t.Fatalf("m/s: read %v starred %v", h.lib.read[10], h.lib.starred[10])
	}
	h.contains("★")
}

func TestBackgroundRefreshShowsNewStoriesAndErrors(t *testing.T) {
	h := newHarness(t, 100, plainOpts()).start(120, 30)
	h.ref.newPerFeed = 2
	h.ref.failing = map[int64]error{3: errors.New("fetch https://feed3.example/rss: status 500")}
	h.keys("j", "j") // on Story 98
	h.keys("R")
	if h.m.refreshing {
		t.Fatal("refresh still marked running after it finished")
	}
	h.contains("Story 108") // 4 feeds × 2 new
	h.contains("refreshed: 8 new, 1 feeds failed")
	if s, _ := h.m.list.at(h.m.list.cursor); s.ID != 98 {
		t.Errorf("cursor moved off its story: now on %d", s.ID)
	}
	h.keys("e")
	h.contains("Feed errors")
	h.contains("Feed 3 — fetch https://feed3.example/rss: status 500")
	h.keys("esc")
	h.keys("r")
	if got := h.ref.refreshed[len(h.ref.refreshed)-1]; !slices.Equal(got, []int64{98%5 + 1}) {
		t.Errorf("r refreshed %v, want the selected story's feed", got)
	}
}

func TestRefreshEventsReloadCoalesced(t *testing.T) {
	h := newHarness(t, 100, plainOpts()).start(80, 24)
	h.m.refreshing = true
	counts := h.lib.countCalls.Load()
	// Three events arrive while the first reload is still in flight.
	var held []tea.Cmd
	for range 3 {
		held = append(held, h.sendHold(refreshProgressedMsg{RefreshEvent{FeedID: 1, New: 1, Done: 1, Total: 5}}))
	}
	if !h.m.list.dirty {
		t.Fatal("events during a reload did not coalesce")
	}
	for _, c := range held {
		h.run(c)
	}
	if got := h.lib.countCalls.Load() - counts; got != 2 {
		t.Errorf("%d reloads for 3 events, want 2", got)
	}
}

func TestSearchFilterUnreadStarredViews(t *testing.T) {
	h := newHarness(t, 200, plainOpts()).start(80, 24)
	h.keys("/")
	h.typeText("story 12")
	h.keys("enter")
	h.contains("search: story 12")
	h.contains("Story 129")
	h.lacks("Story 200")
	h.keys("esc")
	h.contains(" all ")
	h.keys("f") // picker: All, Unread, Starred, Tags, #odd, Feeds, Feed 1…
	h.contains("Feed 3")
	h.keys("G", "k", "enter")
	h.contains("feed: Feed 4")
	if h.m.list.q.FeedID != 4 {
		t.Fatalf("filter picked %+v", h.m.list.q)
	}
	h.keys("U")
	h.contains("feed: Feed 4 · unread")
	h.keys("S")
	h.contains("starred")
	h.contains("no starred stories")
	h.keys("S")
	h.contains(" all ")
}

// TestSearchSaysWhatItIndexes: while a search waits for a big index
// backlog, the list says so instead of "loading…"; a small backlog, or a
// list that is not a search, says nothing of it.
func TestSearchSaysWhatItIndexes(t *testing.T) {
	lib := newFakeLib(200)
	lib.pending = 105000
	h := newHarnessWith(t, lib, plainOpts()).start(100, 24)
	// search delivers the query's messages except the count, which a real
	// search sends only once the index has caught up; it returns the count.
	search := func(q string) tea.Cmd {
		t.Helper()
		h.keys("/")
		for range 20 {
			h.send(tea.KeyPressMsg{Code: tea.KeyBackspace})
		}
		h.typeText(q)
		msg := h.sendHold(tea.KeyPressMsg{Code: tea.KeyEnter})()
		batch, ok := msg.(tea.BatchMsg)
		if !ok {
			batch = tea.BatchMsg{func() tea.Msg { return msg }}
		}
		var count tea.Cmd
		for _, c := range batch {
			if c == nil {
				continue
			}
			switch m := c().(type) {
			case countedMsg:
				count = func() tea.Msg { return m }
			case nil:
			default:
				h.send(m)
			}
		}
		if count == nil {
			t.Fatal("no count asked for")
		}
		if h.m.list.counted {
			t.Fatal("the list was counted before the count landed")
		}
		return count
	}
	count := search("story 12")
	h.contains("indexing about 105,000 new stories for search…")
	h.lacks("loading…")
	h.checkFrame()
	h.run(count)
	h.contains("Story 129") // the count landed: the notice is gone
	h.lacks("indexing about")

	lib.mu.Lock()
	lib.pending = indexNoticeMin - 1
	lib.mu.Unlock()
	count = search("story 13")
	h.contains("loading…")
	h.lacks("indexing about")
	h.run(count)
	h.contains("Story 139")

	if got, _ := IndexNotice(2000); got != "indexing about 2,000 new stories for search…" {
		t.Errorf("IndexNotice(2000) = %q", got)
	}
	for n, want := range map[int]string{0: "0", 999: "999", 1000: "1,000", 105000: "105,000", 1234567: "1,234,567", -4500: "-4,500"} {
		if got := groupDigits(n); got != want {
			t.Errorf("groupDigits(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestPipeRunsCommandWithArticleOnStdin(t *testing.T) {
	o := plainOpts()
	o.PipeCommand = "wc -w"
	h := newHarness(t, 10, o).start(80, 24)
	h.keys("|")
	h.contains("open a story first")
	h.keys("enter", "|")
	h.contains("Pipe article to: wc -w")
	for range 5 {
		h.send(tea.KeyPressMsg{Code: tea.KeyBackspace})
	}
	h.typeText(`tee '/tmp/a file.md' "x;rm -rf ~"`)
	h.keys("enter")
	if len(h.execs) != 1 {
		t.Fatalf("%d commands run", len(h.execs))
	}
	c := h.execs[0]
	if want := []string{"tee", "/tmp/a file.md", "x;rm -rf ~"}; !slices.Equal(c.Args, want) {
		t.Fatalf("argv %q, want %q", c.Args, want)
	}
	in, _ := readAll(c.Stdin)
	if !strings.HasPrefix(in, "# Story 10\n\nCode "+storyCode(10)+". Full text of story 10") {
		t.Errorf("stdin = %.60q", in)
	}
}

func TestBrowserGetsURLAsOneArgumentOnlyForWebLinks(t *testing.T) {
	o := plainOpts()
	o.Browser = "firefox --new-tab"
	h := newHarness(t, 10, o).start(80, 24)
	h.lib.urls[9] = "https://example.com/a b;$(touch x)"
	h.lib.urls[8] = "javascript:alert(1)"
	h.m.list.reload()
	h.run(h.m.loadList())
	h.keys("o")
	h.keys("j", "o")
	h.keys("j", "o")
	h.contains("no http(s) link")
	if len(h.execs) != 2 {
		t.Fatalf("%d browser runs, want 2", len(h.execs))
	}
	if want := []string{"firefox", "--new-tab", "https://example.com/10"}; !slices.Equal(h.execs[0].Args, want) {
		t.Errorf("argv %q", h.execs[0].Args)
	}
	if got := h.execs[1].Args; len(got) != 3 || got[2] != "https://example.com/a%20b;$(touch%20x)" {
		t.Errorf("argv %q", got)
	}
}

func TestCopyLink(t *testing.T) {
	h := newHarness(t, 3, plainOpts()).start(80, 24)
	_, cmd := h.m.Update(keyMsg("y"))
	if cmd == nil {
		t.Fatal("y returned no command")
	}
	h.run(cmd)
	h.contains("link copied (OSC 52): https://example.com/3")
}

func TestWelcomeAddAndImport(t *testing.T) {
	lib := newFakeLib(0)
	lib.noFeeds = true
	h := newHarnessWith(t, lib, plainOpts()).start(80, 24)
	h.contains("Welcome to byline")
	h.contains("https://news.ycombinator.com/rss")
	h.keys("a")
	h.typeText("example.org")
	h.keys("enter")
	if !slices.Equal(h.ref.subscribed, []string{"example.org"}) {
		t.Fatalf("subscribed %v", h.ref.subscribed)
	}
	h.lacks("Welcome")
	h.contains("subscribed to Subscribed (10 stories)")

	lib2 := newFakeLib(0)
	lib2.noFeeds = true
	h2 := newHarnessWith(t, lib2, plainOpts()).start(80, 24)
	h2.keys("i")
	h2.typeText("~/feeds.opml")
	h2.keys("enter")
	home, _ := os.UserHomeDir()
	if !slices.Equal(h2.ref.imported, []string{filepath.Join(home, "feeds.opml")}) {
		t.Fatalf("imported %v", h2.ref.imported)
	}
	h2.contains("imported 3 feeds")

	lib3 := newFakeLib(0)
	lib3.noFeeds = true
	h3 := newHarnessWith(t, lib3, plainOpts()).start(80, 24)
	h3.keys("enter")
	if len(h3.ref.subscribed) != 2 {
		t.Fatalf("starter subscribed %v", h3.ref.subscribed)
	}
}

func TestMouseClickAndWheel(t *testing.T) {
	h := newHarness(t, 500, plainOpts()).start(160, 16)
	side, _, _ := h.m.paneWidths()
	h.send(tea.MouseClickMsg{X: side + 5, Y: 4, Button: tea.MouseLeft})
	if h.m.list.cursor != 4 {
		t.Fatalf("click: cursor %d", h.m.list.cursor)
	}
	h.send(tea.MouseWheelMsg{X: side + 5, Y: 4, Button: tea.MouseWheelDown})
	if h.m.list.offset != 3 {
		t.Fatalf("wheel: offset %d", h.m.list.offset)
	}
	h.keys("enter")
	h.send(tea.MouseWheelMsg{X: 150, Y: 10, Button: tea.MouseWheelDown})
	if h.m.reader.vp.YOffset() != 3 {
		t.Fatalf("wheel over reader: offset %d", h.m.reader.vp.YOffset())
	}
}

func TestCtrlCQuitsEverywhere(t *testing.T) {
	h := newHarness(t, 5, plainOpts()).start(80, 24)
	h.keys("/")
	h.keys("ctrl+c")
	if !h.quit {
		t.Fatal("ctrl+c in a prompt did not quit")
	}
}

func readAll(r interface{ Read([]byte) (int, error) }) (string, error) {
	var b strings.Builder
	buf := make([]byte, 4096)
	for {
		n, err := r.Read(buf)
		b.Write(buf[:n])
		if err != nil {
			return b.String(), nil
		}
	}
}

func TestRefreshKeepsTopCursorOnNewest(t *testing.T) {
	h := newHarness(t, 100, plainOpts()).start(80, 24)
	h.ref.newPerFeed = 1
	h.keys("R")
	if s, _ := h.m.list.at(h.m.list.cursor); h.m.list.cursor != 0 || s.ID != 105 {
		t.Fatalf("cursor %d on story %d, want the newest (105) at the top", h.m.list.cursor, s.ID)
	}
}

func TestMouseClickOpensSelectedRowAndPicksSidebarItem(t *testing.T) {
	h := newHarness(t, 50, plainOpts()).start(200, 30)
	side, _, _ := h.m.paneWidths()
	h.send(tea.MouseClickMsg{X: side + 5, Y: 2, Button: tea.MouseLeft})
	if h.m.reader.open() {
		t.Fatal("first click opened the story")
	}
	h.send(tea.MouseClickMsg{X: side + 5, Y: 2, Button: tea.MouseLeft})
	if h.m.reader.story.ID != 48 {
		t.Fatalf("second click opened %d, want 48", h.m.reader.story.ID)
	}
	h.send(tea.MouseClickMsg{X: 3, Y: 6, Button: tea.MouseLeft}) // "Feed 1" under "Feeds"
	if h.m.list.q.FeedID != 1 {
		t.Fatalf("sidebar click set query %+v", h.m.list.q)
	}
	h.contains("feed: Feed 1")
}

func TestPagerGetsRenderedArticle(t *testing.T) {
	o := plainOpts()
	o.PagerCommand = "less -R +g"
	h := newHarness(t, 5, o).start(80, 24)
	h.keys("v")
	h.contains("open a story first")
	h.keys("enter", "v")
	if len(h.execs) != 1 || !slices.Equal(h.execs[0].Args, []string{"less", "-R", "+g"}) {
		t.Fatalf("pager runs: %v", h.execs)
	}
	in, _ := readAll(h.execs[0].Stdin)
	if !strings.Contains(in, "│ We will not accept another delay") {
		t.Errorf("pager stdin is not the rendered article: %.80q", in)
	}
}

func TestThemeOverridesDetectedBackground(t *testing.T) {
	if m := newModel(t.Context(), newFakeLib(0), nil, Options{Dark: true, Theme: "light"}); m.dark {
		t.Error("theme light ignored")
	}
	if m := newModel(t.Context(), newFakeLib(0), nil, Options{Dark: false, Theme: "dark"}); !m.dark {
		t.Error("theme dark ignored")
	}
	if m := newModel(t.Context(), newFakeLib(0), nil, Options{Dark: true, Theme: "auto"}); !m.dark {
		t.Error("auto did not follow the detected background")
	}
}
