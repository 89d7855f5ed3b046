package ui

import (
	"errors"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
)

// TestReadOnlyStoreOpensWithoutMarking: on a library that cannot save
// changes, opening a story does not try to mark it read (each try would
// only put an error in the status bar), and the status bar says why.
func TestReadOnlyStoreOpensWithoutMarking(t *testing.T) {
	o := plainOpts()
	o.ReadOnly = true
	h := newHarness(t, 100, o).start(100, 24)
	h.contains("read-only store: you can read, but changes are not saved")
	h.keys("enter")
	h.contains("Full text of story 100")
	if h.lib.read[100] {
		t.Error("opening marked the story read on a read-only library")
	}
	h.contains("100 unread")
	// A key that would change the store says why it does nothing.
	for _, k := range []string{"m", "s", "M", "r", "R"} {
		h.m.info = ""
		h.keys(k)
		h.contains("read-only store")
	}
	if h.lib.read[100] || h.lib.starred[100] || len(h.ref.refreshed) != 0 {
		t.Errorf("a write reached the library: read %v, starred %v, refreshed %v",
			h.lib.read[100], h.lib.starred[100], h.ref.refreshed)
	}
}

func TestOpenShowsArticleAndMarksRead(t *testing.T) {
	h := newHarness(t, 100, plainOpts()).start(80, 24)
	h.keys("enter")
	if h.m.focus != focusReader || h.m.reader.story.ID != 100 {
		t.Fatalf("focus %v story %d", h.m.focus, h.m.reader.story.ID)
	}
	h.contains("Full text of story 100")
	h.contains("│ We will not accept another delay")
	if !h.lib.read[100] {
		t.Error("opening did not mark the story read")
	}
	h.contains("99 unread")
	h.keys("q")
	if h.m.focus != focusList {
		t.Fatal("q in the reader did not go back to the list")
	}
	h.keys("q")
	if !h.quit {
		t.Fatal("q in the list did not quit")
	}
}

func TestFeedContentFirstThenFullArticle(t *testing.T) {
	h := newHarness(t, 100, plainOpts()).start(80, 24)
	cmd := h.sendHold(keyMsg("enter"))
	// Run the feed-content command only: its text shows while the full
	// article loads, with the spinner line.
	batch := cmd().(tea.BatchMsg)
	h.send(batch[0]())
	h.contains("Feed summary of story 100")
	h.contains("fetching full article")
	h.send(batch[1]())
	h.contains("Full text of story 100")
	h.lacks("fetching full article")
	// c toggles back to the feed's own content without refetching.
	calls := h.ref.articleCalls.Load()
	h.keys("c")
	h.contains("Feed summary of story 100")
	h.keys("c")
	h.contains("Full text of story 100")
	if h.ref.articleCalls.Load() != calls {
		t.Error("c refetched the article")
	}
}

func TestNextPrevFollowInReader(t *testing.T) {
	h := newHarness(t, 500, plainOpts()).start(160, 48)
	h.keys("enter", "n", "n")
	if got := h.m.reader.story.ID; got != 498 {
		t.Fatalf("after n n reader shows %d, want 498", got)
	}
	h.contains("Full text of story 498")
	if !h.lib.read[499] || !h.lib.read[498] {
		t.Error("n did not mark stories read as it went")
	}
	h.keys("p")
	if got := h.m.reader.story.ID; got != 499 || h.m.list.cursor != 1 {
		t.Fatalf("after p: story %d cursor %d", got, h.m.list.cursor)
	}
}

func TestNextPrevUnreadAcrossPages(t *testing.T) {
	h := newHarness(t, 1000, plainOpts()).start(80, 24)
	// Everything read except story 1000 (index 0) and 400 (index 600, on page 3).
	for id := int64(1); id < 1000; id++ {
		if id != 400 {
			h.lib.read[id] = true
		}
	}
	h.send(tea.WindowSizeMsg{Width: 80, Height: 24})
	h.m.list.reload()
	h.run(h.m.loadList())
	h.keys("N")
	if h.m.list.cursor != 600 {
		t.Fatalf("N: cursor %d, want 600", h.m.list.cursor)
	}
	if h.m.reader.open() {
		t.Fatal("N in the list opened a story")
	}
	h.keys("enter")
	h.contains("Full text of story 400")
	h.keys("P")
	if got := h.m.reader.story.ID; got != 1000 {
		t.Fatalf("P opened %d, want 1000", got)
	}
	h.keys("N")
	h.contains("no more unread stories")
}

func TestSpaceScrollsThenMovesToNextUnread(t *testing.T) {
	h := newHarness(t, 50, plainOpts()).start(80, 24)
	h.lib.read[49] = true
	h.m.list.reload()
	h.run(h.m.loadList())
	h.keys("enter") // story 50
	h.keys("space")
	if h.m.reader.story.ID != 50 || h.m.reader.vp.YOffset() == 0 {
		t.Fatalf("space did not scroll: story %d offset %d", h.m.reader.story.ID, h.m.reader.vp.YOffset())
	}
	for range 10 {
		if h.m.reader.vp.AtBottom() {
			break
		}
		h.keys("space")
	}
	if h.m.reader.story.ID != 50 {
		t.Fatal("left the story before its end")
	}
	h.keys("space")
	if got := h.m.reader.story.ID; got != 48 {
		t.Fatalf("space at end opened %d, want 48 (49 is read)", got)
	}
}

func TestStaleArticleResultDropped(t *testing.T) {
	h := newHarness(t, 50, plainOpts()).start(80, 24)
	first := h.sendHold(keyMsg("enter")) // story 50: replies held back
	h.keys("n")                          // story 49, fully loaded
	h.contains("Full text of story 49")
	h.run(first) // the late replies for story 50 arrive
	h.contains("Full text of story 49")
	h.lacks("story 50")
	r := h.m.reader
	if r.story.ID != 49 || r.fullArt == nil || r.fullArt.Title != "Story 49" ||
		r.feedArt == nil || r.feedArt.Title != "Story 49" {
		t.Fatalf("stale reply replaced the article: story %d, %+v", r.story.ID, r.fullArt)
	}
	h.send(tea.WindowSizeMsg{Width: 90, Height: 24}) // re-render from the model's Markdown
	h.contains("Full text of story 49")
}

func TestResizeRerendersWithoutRefetch(t *testing.T) {
	var widths []int
	o := plainOpts()
	o.Render = func(md string, w int, d, n bool) (string, error) {
		widths = append(widths, w)
		return testRender(md, w, d, n)
	}
	h := newHarness(t, 50, o).start(80, 24)
	h.keys("enter")
	calls, feedCalls := h.ref.articleCalls.Load(), h.ref.feedCalls.Load()
	h.send(tea.WindowSizeMsg{Width: 60, Height: 20})
	h.checkFrame()
	h.send(tea.WindowSizeMsg{Width: 200, Height: 50})
	h.checkFrame()
	h.contains("Full text of story 50")
	if h.ref.articleCalls.Load() != calls || h.ref.feedCalls.Load() != feedCalls {
		t.Fatalf("resize refetched: %d→%d article calls", calls, h.ref.articleCalls.Load())
	}
	if widths[len(widths)-2] != 58 {
		t.Errorf("render widths %v: want 58 for a 60-column narrow pane", widths)
	}
	n := len(widths)
	h.send(tea.WindowSizeMsg{Width: 60, Height: 20}) // back to a width already rendered
	if len(widths) != n {
		t.Errorf("re-rendered a cached width: %v", widths)
	}
	for _, l := range strings.Split(h.screen(), "\n") {
		if strings.Contains(l, "More reporting") && len([]rune(l)) > 60 {
			t.Errorf("line wider than pane: %q", l)
		}
	}
}

func TestArticleErrorKeepsFeedContent(t *testing.T) {
	h := newHarness(t, 10, plainOpts()).start(80, 24)
	h.ref.articleErr = errors.New("fetch https://example.com/10: status 404")
	h.keys("enter")
	h.contains("Feed summary of story 10")
	h.contains("full article unavailable")
}

func TestDefaultRendererIsGlamour(t *testing.T) {
	o := plainOpts()
	o.Render, o.Document = nil, nil
	h := newHarness(t, 10, o).start(80, 24)
	h.keys("enter")
	h.contains("We will not accept another delay")
	h.contains("Story 10")
	h.checkFrame()
}

func TestNextUnreadFarAwayKeepsMemoryBounded(t *testing.T) {
	lib := newFakeLib(100_000)
	for id := int64(2); id <= 100_000; id++ {
		lib.read[id] = true
	}
	h := newHarnessWith(t, lib, plainOpts()).start(80, 24)
	maxHeld := 0
	cmd := h.sendHold(keyMsg("N"))
	// Drive the scan one page at a time, watching the pages held.
	for cmd != nil {
		msg := cmd()
		if b, ok := msg.(tea.BatchMsg); ok {
			for _, c := range b {
				h.run(c)
			}
			break
		}
		_, cmd = h.m.Update(msg)
		maxHeld = max(maxHeld, len(h.m.list.pages))
	}
	if h.m.list.cursor != 99_999 {
		t.Fatalf("N: cursor %d, want 99999", h.m.list.cursor)
	}
	if maxHeld > maxPages+1 || len(h.m.list.pages) > maxPages+1 {
		t.Errorf("held %d pages during the scan (now %d), want ≤ %d", maxHeld, len(h.m.list.pages), maxPages+1)
	}
}

func TestKeyCancelsPendingSeek(t *testing.T) {
	lib := newFakeLib(1000)
	for id := int64(2); id <= 1000; id++ {
		lib.read[id] = true
	}
	h := newHarnessWith(t, lib, plainOpts()).start(80, 24)
	pending := h.sendHold(keyMsg("N")) // the scan waits for page 1
	h.keys("j", "j")
	h.run(pending)
	if h.m.list.cursor != 2 {
		t.Fatalf("a late page moved the cursor to %d", h.m.list.cursor)
	}
}

func TestArticleAndFeedContentBothFailing(t *testing.T) {
	h := newHarness(t, 10, plainOpts()).start(80, 24)
	h.ref.articleErr = errors.New("fetch https://example.com/10: status 500")
	h.ref.feedErr = errors.New("story 10: not found")
	h.keys("enter")
	h.lacks("loading…")
	h.contains("✗ fetch https://example.com/10: status 500")
}

func TestFailedStaleRenderIsDropped(t *testing.T) {
	h := newHarness(t, 10, plainOpts()).start(80, 24)
	h.keys("enter")
	before := h.m.reader.cache[h.m.reader.shownKey]
	h.send(renderedMsg{key: "10|full|40", err: errors.New("boom")})
	if _, ok := h.m.reader.cache["10|full|40"]; ok {
		t.Error("failed render for a width not shown was cached")
	}
	if h.m.reader.cache[h.m.reader.shownKey] != before {
		t.Error("shown render changed")
	}
	h.lacks("render: boom")
}

func TestFeedContentPreferenceSkipsFullFetch(t *testing.T) {
	h := newHarness(t, 10, plainOpts()).start(80, 24)
	h.keys("enter", "c")
	h.contains("Feed summary of story 10")
	calls := h.ref.articleCalls.Load()
	h.keys("n")
	h.contains("Feed summary of story 9")
	if h.ref.articleCalls.Load() != calls {
		t.Error("fetched the full article although feed content was chosen")
	}
	h.keys("c")
	h.contains("Full text of story 9")
	if h.ref.articleCalls.Load() != calls+1 {
		t.Error("c did not fetch the full article")
	}
}

func TestRefetchBypassesCacheAndRendersNewText(t *testing.T) {
	h := newHarness(t, 5, plainOpts()).start(120, 40)
	h.keys("ctrl+r")
	h.contains("open a story first")
	h.keys("enter")
	h.contains("delayed for three years.")
	h.lacks("Edition")
	h.send(tea.KeyPressMsg{Code: 'r', Mod: tea.ModCtrl})
	if got := h.ref.refetchCalls.Load(); got != 1 {
		t.Fatalf("%d refetches, want 1", got)
	}
	h.contains("Edition 1.")
	h.contains("article fetched again")
	h.send(tea.KeyPressMsg{Code: 'r', Mod: tea.ModCtrl})
	h.contains("Edition 2.")
}

func TestRefetchFailureKeepsText(t *testing.T) {
	h := newHarness(t, 5, plainOpts()).start(120, 40)
	h.keys("enter")
	h.ref.articleErr = errors.New("fetch https://example.com/5: status 503")
	h.send(tea.KeyPressMsg{Code: 'r', Mod: tea.ModCtrl})
	h.contains("status 503")
	h.contains("delayed for three years.")
	h.lacks("full article unavailable")
}
