package ui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/viewport"

	"github.com/byline/byline/internal/model"
)

// reader is the article pane. It keeps the Markdown of what it shows and
// re-renders it when its width changes; rendered output is cached by
// (story, version, width), so a resize never refetches the article.
type reader struct {
	story   model.Story // light row of the open story; ID 0 when none
	req     int         // id of the current open request; older replies are stale
	feedArt *model.Article
	fullArt *model.Article
	fullErr error
	feedErr error
	// wantFull selects the extracted article over the feed's own content.
	wantFull    bool
	loadingFull bool
	refetching  bool // the full article is being fetched again (ctrl+r)

	md       string // Markdown document currently shown
	mdKey    string // story|version|hash of md: a refetched text renders anew
	shownKey string // render cache key of the viewport content
	cache    map[string]string
	vp       viewport.Model
	body     []string // fitted viewport lines, cached under bodyKey
	bodyKey  string
	width    int
	height   int
}

func newReader() reader {
	vp := viewport.New()
	vp.KeyMap = viewport.KeyMap{} // the UI's KeyMap drives scrolling
	vp.MouseWheelEnabled = false
	return reader{vp: vp, cache: map[string]string{}, wantFull: true}
}

func (r *reader) open() bool { return r.story.ID != 0 }

// shown returns the article version to display and its name.
func (r *reader) shown() (*model.Article, string) {
	switch {
	case r.wantFull && r.fullArt != nil:
		return r.fullArt, "full"
	case r.feedArt != nil:
		return r.feedArt, "feed"
	case r.fullArt != nil:
		return r.fullArt, "full"
	}
	return nil, ""
}

// renderWidth is the wrap width handed to the renderer: at most 100 columns,
// a comfortable line length.
func (r *reader) renderWidth() int { return max(min(r.width-2, 100), 10) }

func (r *reader) setSize(w, h int) {
	r.width, r.height = w, h
	r.vp.SetWidth(max(w, 1))
	r.vp.SetHeight(max(h-1, 1)) // one header line
}

func (r *reader) renderKey() string {
	return fmt.Sprintf("%s|%d", r.mdKey, r.renderWidth())
}

// apply shows rendered output for key, keeping the relative scroll position
// when only the width changed.
func (r *reader) apply(key, out string) {
	if len(r.cache) > 64 {
		clear(r.cache)
	}
	r.cache[key] = out
	if key != r.renderKey() {
		return
	}
	sameDoc := strings.HasPrefix(r.shownKey, r.mdKey+"|")
	ratio := 0.0
	if sameDoc && r.vp.TotalLineCount() > 0 {
		ratio = float64(r.vp.YOffset()) / float64(r.vp.TotalLineCount())
	}
	r.vp.SetContent(strings.TrimRight(out, "\n "))
	r.shownKey = key
	if sameDoc {
		r.vp.SetYOffset(int(ratio * float64(r.vp.TotalLineCount())))
	} else {
		r.vp.GotoTop()
	}
}

// header is the pane's first line: which version is shown and progress.
func (r *reader) header(spin string) string {
	if !r.open() {
		return ""
	}
	_, which := r.shown()
	var parts []string
	switch which {
	case "full":
		parts = append(parts, "full article")
	case "feed":
		parts = append(parts, "feed content")
	default:
		parts = append(parts, "loading")
	}
	if r.loadingFull {
		parts = append(parts, spin+" fetching full article")
	} else if r.fullErr != nil && r.wantFull {
		parts = append(parts, "full article unavailable")
	}
	if a, _ := r.shown(); a != nil && a.Note != "" {
		parts = append(parts, a.Note)
	}
	if r.vp.TotalLineCount() > r.vp.Height() {
		parts = append(parts, fmt.Sprintf("%d%%", int(r.vp.ScrollPercent()*100)))
	}
	return strings.Join(parts, " · ")
}
