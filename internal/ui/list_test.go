package ui

import (
	"slices"
	"testing"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/byline/byline/internal/model"
)

func TestFirstFrameShowsNewestStories(t *testing.T) {
	h := newHarness(t, 100_000, Options{}).start(100, 30)
	h.contains("Story 100000")
	h.contains("Story 99972")
	h.lacks("Story 99971") // 29 rows visible
	h.contains("1/100000 stories · 100000 unread")
	h.checkFrame()
	if got := len(h.m.list.pages); got > 2 {
		t.Errorf("holding %d pages after first frame", got)
	}
}

func TestMovingLoadsPagesOnDemandAndBoundsMemory(t *testing.T) {
	h := newHarness(t, 100_000, Options{}).start(100, 30)
	h.keys("G")
	h.contains("Story 1")
	h.contains("100000/100000")
	for range 40 {
		h.keys("K") // unbound: no effect
	}
	h.keys("g")
	for range 3000 {
		h.send(keyMsg("j"))
	}
	if h.m.list.cursor != 3000 {
		t.Fatalf("cursor = %d, want 3000", h.m.list.cursor)
	}
	h.contains("Story 97000")
	if got := len(h.m.list.pages); got > maxPages {
		t.Errorf("holding %d pages, want ≤ %d", got, maxPages)
	}
	if calls := h.lib.storiesCalls.Load(); calls > 40 {
		t.Errorf("%d Stories calls for 3000 moves", calls)
	}
	h.checkFrame()
}

func TestPageKeys(t *testing.T) {
	h := newHarness(t, 1000, Options{}).start(80, 24)
	h.keys("pgdown")
	if h.m.list.cursor != 23 {
		t.Errorf("pgdown: cursor %d, want 23", h.m.list.cursor)
	}
	h.send(keyMsg("down"))
	if h.m.list.cursor != 24 {
		t.Errorf("down: cursor %d", h.m.list.cursor)
	}
	h.keys("k", "k")
	if h.m.list.cursor != 22 {
		t.Errorf("k: cursor %d", h.m.list.cursor)
	}
}

func TestKeyOverrides(t *testing.T) {
	h := newHarness(t, 50, Options{Keys: map[string][]string{"down": {"x"}, "Next_Unread": {"z"}}}).start(80, 24)
	h.keys("j")
	if h.m.list.cursor != 0 {
		t.Fatalf("j still bound after override")
	}
	h.keys("x")
	if h.m.list.cursor != 1 {
		t.Fatalf("x not bound to down")
	}
	h.keys("?")
	h.contains("x")
	h.contains("next unread")
	if _, unknown := DefaultKeyMap().WithOverrides(map[string][]string{"nope": {"y"}}); len(unknown) != 1 {
		t.Errorf("unknown action not reported: %v", unknown)
	}
}

func TestHelpScrollsWhenTooTall(t *testing.T) {
	h := newHarness(t, 5, plainOpts()).start(80, 24)
	h.keys("?")
	h.contains("↓ more")
	h.lacks("prompt: cancel")
	for range 10 {
		h.keys("j")
	}
	h.contains("prompt: cancel")
	h.contains("or ? to close")
	h.keys("?")
	h.contains("Story 5")
}

func TestSidebarToggleAndFocusCycle(t *testing.T) {
	h := newHarness(t, 100, plainOpts()).start(200, 30)
	h.contains("All stories")
	h.keys("t")
	h.lacks("All stories")
	if side, lw, _ := h.m.paneWidths(); side != 0 || lw < 80 {
		t.Errorf("hidden sidebar still takes space: side %d list %d", side, lw)
	}
	h.keys("t", "enter")
	if h.m.focus != focusReader {
		t.Fatal("enter did not focus the reader")
	}
	h.keys("tab")
	if h.m.focus != focusSidebar {
		t.Fatalf("tab from reader: focus %v, want sidebar", h.m.focus)
	}
	h.keys("tab")
	if h.m.focus != focusList {
		t.Fatalf("tab from sidebar: focus %v, want list", h.m.focus)
	}
	h.checkFrame()
}

func TestSidebarHiddenByDefaultBelowSidebarWidth(t *testing.T) {
	h := newHarness(t, 100, plainOpts()).start(160, 45)
	h.lacks("All stories")
	side, lw, rw := h.m.paneWidths()
	if side != 0 || lw < 60 || rw < 80 {
		t.Errorf("160 columns: side %d list %d reader %d", side, lw, rw)
	}
	h.keys("t")
	h.contains("All stories")
	h.send(tea.WindowSizeMsg{Width: 200, Height: 50})
	h.contains("All stories")
	h.keys("t")
	h.lacks("All stories")
	h.checkFrame()
}

func TestPaneWidthsAtCommonSizes(t *testing.T) {
	for _, w := range []int{120, 160, 200, 240, 300} {
		h := newHarness(t, 10, plainOpts()).start(w, 40)
		side, lw, rw := h.m.paneWidths()
		used := lw + 1 + rw
		if side > 0 {
			used += side + 1
		}
		if used != w {
			t.Errorf("%d columns: panes use %d (side %d list %d reader %d)", w, used, side, lw, rw)
		}
		if rw > maxArticleWidth || lw < 40 {
			t.Errorf("%d columns: list %d reader %d", w, lw, rw)
		}
		h.checkFrame()
	}
}

func TestRefreshInTagViewRefreshesTaggedFeeds(t *testing.T) {
	lib := newFakeLib(100)
	lib.feeds = []model.Feed{
		{ID: 1, Title: "One", Tags: []string{"odd"}},
		{ID: 2, Title: "Two"},
		{ID: 3, Title: "Three", Tags: []string{"news", "odd"}},
	}
	h := newHarnessWith(t, lib, plainOpts()).start(80, 24)
	h.m.setQuery(Query{Tag: "odd"})
	h.run(h.m.loadList())
	h.keys("r")
	if got := h.ref.refreshed[0]; !slices.Equal(got, []int64{1, 3}) {
		t.Fatalf("r in #odd refreshed %v", got)
	}
	h.contains("tag: #odd")
}

func TestEveryActionNameRebinds(t *testing.T) {
	names := ActionNames()
	if !slices.IsSorted(names) || len(names) < 35 {
		t.Fatalf("action names: %v", names)
	}
	for _, n := range names {
		k, unknown := DefaultKeyMap().WithOverrides(map[string][]string{n: {"f12"}})
		if len(unknown) > 0 {
			t.Errorf("%s reported unknown", n)
		}
		found := false
		for _, g := range append(k.FullHelp(), []key.Binding{k.Starter}) {
			for _, b := range g {
				if slices.Equal(b.Keys(), []string{"f12"}) {
					found = true
				}
			}
		}
		if !found {
			t.Errorf("%s did not rebind any binding shown in help", n)
		}
	}
}
