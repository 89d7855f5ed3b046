package ui

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/byline/byline/internal/model"
	"github.com/byline/byline/internal/sanitize"
)

// View implements tea.Model. It draws only what is visible.
func (m *Model) View() tea.View {
	var content string
	switch {
	case m.w <= 0 || m.h <= 0:
		content = "loading…"
	case m.h == 1:
		content = m.statusLine()
	default:
		lines := m.bodyLines()
		lines = append(lines, m.statusLine())
		content = strings.Join(lines, "\n")
	}
	v := tea.NewView(content)
	v.AltScreen = true
	v.MouseMode = tea.MouseModeCellMotion
	v.WindowTitle = "byline · " + m.viewLabel()
	return v
}

// bodyLines returns exactly paneHeight lines of exactly m.w cells.
func (m *Model) bodyLines() []string {
	h := m.paneHeight()
	switch m.page {
	case pageHelp:
		lines := m.helpLines()
		m.helpOffset = min(m.helpOffset, max(len(lines)-h, 0))
		lines = lines[m.helpOffset:]
		if len(lines) > h {
			lines = append(lines[:h-1], m.st.Subtle.Render(" ↓ more: "+m.keys.Down.Help().Key))
		}
		return fitLines(lines, m.w, h)
	case pageErrors:
		return fitLines(m.errorLines(), m.w, h)
	case pageWelcome:
		return fitLines(m.welcomeLines(), m.w, h)
	}
	if !m.wide() {
		switch m.focus {
		case focusReader:
			if m.reader.open() {
				return m.readerLines(m.w, h)
			}
		case focusSidebar:
			return append([]string{m.pickerTitle()}, m.sidebarLines(m.w, h-1)...)
		}
		return m.listLines(m.w, h)
	}
	side, lw, rw := m.paneWidths()
	var cols [][]string
	if m.sidebarShown() {
		cols = append(cols, m.sidebarLines(side, h))
	}
	cols = append(cols, m.listLines(lw, h), m.readerLines(rw, h))
	sep := m.pt.separator.r("│")
	out := make([]string, h)
	for y := range h {
		var b strings.Builder
		n := len(sep) * len(cols)
		for _, c := range cols {
			n += len(c[y])
		}
		b.Grow(n)
		for i, c := range cols {
			if i > 0 {
				b.WriteString(sep)
			}
			b.WriteString(c[y]) // panes draw lines of exactly their width
		}
		out[y] = b.String()
	}
	return out
}

// fit truncates or pads s to exactly w cells.
func fit(s string, w int) string {
	if w <= 0 {
		return ""
	}
	sw := ansi.StringWidth(s)
	if sw > w {
		s = ansi.Truncate(s, w, "…")
		sw = ansi.StringWidth(s)
	}
	return s + strings.Repeat(" ", max(w-sw, 0))
}

// fitLines pads or cuts lines to h lines of w cells.
func fitLines(lines []string, w, h int) []string {
	out := make([]string, h)
	for i := range out {
		if i < len(lines) {
			out[i] = fit(lines[i], w)
		} else {
			out[i] = strings.Repeat(" ", w)
		}
	}
	return out
}

func (m *Model) listLines(w, h int) []string {
	l := &m.list
	out := make([]string, h)
	switch {
	case !l.counted:
		notice, ok := IndexNotice(l.backlog)
		if !ok {
			notice = "loading…"
		}
		out[0] = m.st.Subtle.Render(" " + notice)
	case l.total == 0:
		out[0] = m.st.Subtle.Render(" " + m.emptyText())
	}
	blank := strings.Repeat(" ", w)
	for y := range h {
		switch i := l.offset + y; {
		case i < l.total:
			out[y] = m.row(i, w) // exactly w cells
		case out[y] != "":
			out[y] = fit(out[y], w)
		default:
			out[y] = blank
		}
	}
	return out
}

func (m *Model) emptyText() string {
	switch q := m.list.q; {
	case q.Search != "":
		return "no stories match “" + sanitize.Line(q.Search, 60) + "”"
	case q.Unread:
		return "no unread stories"
	case q.Starred:
		return "no starred stories (s stars one)"
	}
	return "no stories yet: R refreshes all feeds"
}

// rowKey identifies a drawn row: rows are cached, so that a key press
// redraws only the rows whose state changed.
type rowKey struct {
	id                      int64
	read, starred, selected bool
	width, feedW, gen       int   // list generation: a reload redraws
	minute                  int64 // relative dates age
}

// row draws story i on one line of exactly w cells.
func (m *Model) row(i, w int) string {
	l := &m.list
	s, ok := l.at(i)
	selected := i == l.cursor
	mark := " "
	if selected {
		mark = "▌"
		if m.o.NoColor {
			mark = ">"
		}
	}
	if !ok {
		return fit(mark+m.pt.subtle.r("  …"), w)
	}
	feedW := m.feedColumn(w)
	k := rowKey{id: s.ID, read: s.Read, starred: s.Starred, selected: selected, width: w, feedW: feedW,
		gen: l.gen, minute: m.now().Unix() / 60}
	if r, ok := m.rows[k]; ok {
		return r
	}
	if len(m.rows) > 4096 {
		clear(m.rows)
	}
	r := m.drawRow(s, mark, selected, w, feedW)
	m.rows[k] = r
	return r
}

// feedColumn is the width of the feed-name column in a list w cells wide:
// none when the list shows one feed, else about a quarter of the row, no
// wider than the longest feed name.
func (m *Model) feedColumn(w int) int {
	if m.list.q.FeedID != 0 || w < 40 {
		return 0
	}
	fw := min(max(w/4, 8), 24)
	if m.feedNameW > 0 {
		fw = min(fw, max(m.feedNameW, 8))
	}
	return fw
}

func (m *Model) drawRow(s model.Story, mark string, selected bool, w, feedW int) string {
	unread, star := " ", " "
	if !s.Read {
		unread = "●"
	}
	if s.Starred {
		star = "★"
	}
	date := fmt.Sprintf("%6s", relTime(m.now(), s.Published))
	title := sanitize.Line(s.Title, 300)
	if title == "" {
		title = "(untitled)"
	}
	fixed := 3 + 1 + 6 + 1 // marks, space, date, space
	if feedW > 0 {
		fixed += feedW + 1
	}
	titleW := max(w-fixed, 1)
	feed := ""
	if feedW > 0 {
		feed = fit(sanitize.Line(s.FeedTitle, 120), feedW) + " "
	}
	title = fit(title, titleW)
	pt := &m.pt
	if selected {
		ts := pt.selected
		if !s.Read {
			ts = pt.selectedBold
		}
		return pt.mark.r(mark) + ts.r(unread+star+" "+feed+date+" "+title)
	}
	ts := pt.read
	if !s.Read {
		ts = pt.unread
	}
	return mark + pt.accent.r(unread) + pt.star.r(star) + " " +
		pt.feed.r(feed) + pt.date.r(date) + " " + ts.r(title)
}

// relTime formats t relative to now in at most 6 cells.
func relTime(now, t time.Time) string {
	if t.IsZero() {
		return ""
	}
	d := now.Sub(t)
	switch {
	case d < time.Minute:
		return "now"
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d.Minutes()))
	case d < 24*time.Hour:
		return fmt.Sprintf("%dh", int(d.Hours()))
	case d < 7*24*time.Hour:
		return fmt.Sprintf("%dd", int(d.Hours()/24))
	case t.Year() == now.Year():
		return t.Format("Jan 2")
	}
	return t.Format("2006")
}

func (m *Model) readerLines(w, h int) []string {
	r := &m.reader
	if !r.open() {
		return fitLines([]string{"", m.st.Subtle.Render("  Select a story and press enter.")}, w, h)
	}
	head := r.header(m.spinner())
	if m.focus == focusReader {
		mark := "▌ "
		if m.o.NoColor {
			mark = "> "
		}
		head = m.st.PaneFocused.Render(mark + head)
	} else {
		head = m.st.Pane.Render("  " + head)
	}
	if r.vp.TotalLineCount() == 0 && !r.loadingFull && r.fullErr != nil && r.feedErr != nil {
		return fitLines([]string{head, "", m.st.Error.Render("  ✗ " + sanitize.Line(r.fullErr.Error(), 300))}, w, h)
	}
	if r.vp.TotalLineCount() == 0 {
		return fitLines([]string{head, "", m.st.Subtle.Render("  " + m.spinner() + " loading…")}, w, h)
	}
	// The fitted body is cached: most key presses do not touch the reader.
	key := fmt.Sprintf("%s|%d|%d|%d", r.shownKey, r.vp.YOffset(), w, h)
	if key != r.bodyKey {
		r.body = fitLines(strings.Split(r.vp.View(), "\n"), w, h-1)
		r.bodyKey = key
	}
	return append([]string{fit(head, w)}, r.body...)
}

func (m *Model) sidebarLines(w, h int) []string {
	s := &m.src
	key := fmt.Sprintf("%d|%d|%d|%v|%d|%d", s.version, s.cursor, s.offset, m.focus == focusSidebar, w, h)
	if key == s.drawnKey {
		return s.drawn
	}
	s.drawn, s.drawnKey = m.drawSidebar(w, h), key
	return s.drawn
}

func (m *Model) drawSidebar(w, h int) []string {
	s := &m.src
	out := make([]string, 0, h)
	for i := s.offset; i < len(s.items) && len(out) < h; i++ {
		it := s.items[i]
		if it.header {
			out = append(out, m.st.Title.Render(" "+it.label))
			continue
		}
		mark := " "
		if i == s.cursor {
			mark = "▌"
			if m.o.NoColor {
				mark = ">"
			}
		}
		detail := it.detail
		labelW := max(w-2-ansi.StringWidth(detail)-1, 1)
		line := fit(it.label, labelW) + " " + detail
		if i == s.cursor && m.focus == focusSidebar {
			out = append(out, m.st.SelectedMark.Render(mark)+m.st.Selected.Render(fit(" "+line, w-1)))
		} else if i == s.cursor {
			out = append(out, m.st.SelectedMark.Render(mark)+" "+line)
		} else {
			out = append(out, "  "+line)
		}
	}
	return fitLines(out, w, h)
}

// groupDigits writes n with thousands separators: 105000 → "105,000".
func groupDigits(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}
