package ui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	"github.com/charmbracelet/x/ansi"

	"github.com/byline/byline/internal/sanitize"
)

// pickerTitle is the title line of the narrow filter picker.
func (m *Model) pickerTitle() string {
	k := m.keys
	title := m.st.Title.Render(" Filter by feed or tag")
	hint := m.st.Subtle.Render(fmt.Sprintf("  %s pick · %s back", k.Open.Help().Key, k.Back.Help().Key))
	return fit(title+hint, m.w)
}

// viewLabel names the current view for the status bar.
func (m *Model) viewLabel() string {
	q := m.list.q
	var label string
	switch {
	case q.Search != "":
		label = "search: " + sanitize.Line(q.Search, 40)
	case q.FeedID != 0:
		label = "feed: " + m.feedName(q.FeedID)
	case q.Tag != "":
		label = "tag: #" + sanitize.Line(q.Tag, 40)
	case q.Starred:
		label = "starred"
	default:
		label = "all"
	}
	if q.Unread {
		label += " · unread"
	}
	return label
}

func (m *Model) feedName(id int64) string {
	for _, f := range m.feeds {
		if f.ID == id {
			return sanitize.Line(f.DisplayTitle(), 40)
		}
	}
	return fmt.Sprintf("#%d", id)
}

func (m *Model) statusLine() string {
	st, pt := m.st, &m.pt
	if m.promptKind != promptNone {
		return fit(st.Accent.Render(m.promptLabel())+m.prompt.View(), m.w)
	}
	left := pt.statusView.r(" " + m.viewLabel() + " ")
	var parts []string
	if m.list.counted {
		pos := ""
		if m.list.total > 0 {
			pos = fmt.Sprintf("%d/", m.list.cursor+1)
		}
		parts = append(parts, fmt.Sprintf("%s%d stories · %d unread", pos, m.list.total, m.list.unread))
	}
	if m.refreshing {
		prog := m.spinner() + " refreshing"
		if m.refreshTotal > 0 {
			prog += fmt.Sprintf(" %d/%d", m.refreshDone, m.refreshTotal)
		}
		if m.refreshNew > 0 {
			prog += fmt.Sprintf(" +%d", m.refreshNew)
		}
		parts = append(parts, prog)
	}
	if m.busy != "" {
		parts = append(parts, m.spinner()+" "+sanitize.Line(m.busy, 80))
	}
	mid := pt.status.r(" " + strings.Join(parts, " · ") + " ")
	msg, paint := " "+m.hints(), pt.status
	switch {
	case m.lastErr != "":
		msg, paint = " ✗ "+sanitize.Line(m.lastErr, 200), pt.statusErr
	case m.info != "":
		msg = " " + sanitize.Line(m.info, 200)
	}
	right := pt.status.r(" " + m.keys.Help.Help().Key + " help ")
	fillW := m.w - ansi.StringWidth(left+mid+right)
	if msg != " "+m.hints() && ansi.StringWidth(msg) > fillW {
		// A message (a copied URL, an error) matters more than the counts.
		mid = ""
		fillW = m.w - ansi.StringWidth(left+right)
	}
	if fillW < 0 {
		return fit(left+mid, m.w)
	}
	return left + mid + paint.r(fit(msg, fillW)) + right
}

// hints are a few key hints for the focused pane, from the KeyMap in use.
func (m *Model) hints() string {
	k := m.keys
	bs := []key.Binding{k.Open, k.Search, k.Filter, k.Refresh, k.MarkAll}
	switch {
	case m.page != pageMain:
		bs = []key.Binding{k.Back}
	case m.focus == focusReader:
		bs = []key.Binding{k.Next, k.NextUnread, k.Content, k.Browser, k.Back}
	case m.focus == focusSidebar:
		bs = []key.Binding{k.Open, k.Back}
	}
	var out []string
	for _, b := range bs {
		if b.Enabled() && len(b.Keys()) > 0 {
			out = append(out, b.Help().Key+" "+b.Help().Desc)
		}
	}
	return strings.Join(out, " · ")
}
