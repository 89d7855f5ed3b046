package ui

import (
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/lipgloss/v2"
)

// Styles holds every lipgloss style of the UI, built once from the theme.
// In NoColor mode only attributes (bold, faint, reverse) are used, and
// selection and state are always also shown by symbols.
type Styles struct {
	Unread, Read, Selected, SelectedMark lipgloss.Style
	Feed, Date, Star                     lipgloss.Style
	Pane, PaneFocused, Separator         lipgloss.Style
	Status, StatusView, StatusErr, Hint  lipgloss.Style
	Title, Subtle, Accent, Error         lipgloss.Style
	Help                                 help.Styles
}

// NewStyles builds the styles for a dark or light background, or monochrome.
func NewStyles(dark, noColor bool) Styles {
	s := lipgloss.NewStyle
	if noColor {
		h := help.Styles{
			ShortKey: s().Bold(true), ShortDesc: s(), ShortSeparator: s(),
			FullKey: s().Bold(true), FullDesc: s(), FullSeparator: s(), Ellipsis: s(),
		}
		return Styles{
			Unread: s().Bold(true), Read: s(), Selected: s().Reverse(true), SelectedMark: s().Bold(true),
			Feed: s(), Date: s(), Star: s().Bold(true),
			Pane: s(), PaneFocused: s().Bold(true), Separator: s(),
			Status: s().Reverse(true), StatusView: s().Reverse(true).Bold(true),
			StatusErr: s().Reverse(true).Bold(true), Hint: s(),
			Title: s().Bold(true), Subtle: s(), Accent: s().Bold(true), Error: s().Bold(true),
			Help: h,
		}
	}
	ld := lipgloss.LightDark(dark)
	accent := ld(lipgloss.Color("#5A56E0"), lipgloss.Color("#9D8CFF"))
	subtle := ld(lipgloss.Color("#8A8A8A"), lipgloss.Color("#7A7A7A"))
	fg := ld(lipgloss.Color("#1A1A1A"), lipgloss.Color("#EEEEEE"))
	dim := ld(lipgloss.Color("#6B6B6B"), lipgloss.Color("#9A9A9A"))
	selBg := ld(lipgloss.Color("#DCDAFB"), lipgloss.Color("#3A3560"))
	barBg := ld(lipgloss.Color("#E4E4E4"), lipgloss.Color("#2A2A2A"))
	red := ld(lipgloss.Color("#C0392B"), lipgloss.Color("#FF6B6B"))
	gold := ld(lipgloss.Color("#B8860B"), lipgloss.Color("#F5C542"))
	return Styles{
		Unread:       s().Bold(true).Foreground(fg),
		Read:         s().Foreground(dim),
		Selected:     s().Background(selBg),
		SelectedMark: s().Foreground(accent).Bold(true),
		Feed:         s().Foreground(accent),
		Date:         s().Foreground(subtle),
		Star:         s().Foreground(gold),
		Pane:         s().Foreground(subtle),
		PaneFocused:  s().Foreground(accent).Bold(true),
		Separator:    s().Foreground(subtle),
		Status:       s().Background(barBg).Foreground(fg),
		StatusView:   s().Background(accent).Foreground(lipgloss.Color("#FFFFFF")).Bold(true),
		StatusErr:    s().Background(barBg).Foreground(red).Bold(true),
		Hint:         s().Foreground(subtle),
		Title:        s().Bold(true).Foreground(accent),
		Subtle:       s().Foreground(subtle),
		Accent:       s().Foreground(accent),
		Error:        s().Foreground(red),
		Help:         help.DefaultStyles(dark),
	}
}

// paint is a style reduced to its opening and closing sequences, for the
// hot path of drawing rows: concatenation instead of lipgloss.Style.Render.
type paint struct{ pre, post string }

func newPaint(st lipgloss.Style) paint {
	const mark = "\uE000" // private use: never in text handed to paint
	pre, post, ok := strings.Cut(st.Render(mark), mark)
	if !ok {
		return paint{}
	}
	return paint{pre: pre, post: post}
}

func (p paint) r(s string) string {
	if p.pre == "" || s == "" {
		return s
	}
	return p.pre + s + p.post
}

// rowPaints are the paints used for story rows and the status bar.
type rowPaints struct {
	unread, read, selected, selectedBold, mark paint
	accent, star, feed, date, subtle           paint
	status, statusView, statusErr, separator   paint
}

func newRowPaints(st Styles) rowPaints {
	return rowPaints{
		unread: newPaint(st.Unread), read: newPaint(st.Read),
		selected: newPaint(st.Selected), selectedBold: newPaint(st.Selected.Bold(true)),
		mark: newPaint(st.SelectedMark), accent: newPaint(st.Accent), star: newPaint(st.Star),
		feed: newPaint(st.Feed), date: newPaint(st.Date), subtle: newPaint(st.Subtle),
		status: newPaint(st.Status), statusView: newPaint(st.StatusView), statusErr: newPaint(st.StatusErr),
		separator: newPaint(st.Separator),
	}
}
