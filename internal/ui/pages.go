package ui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	"github.com/charmbracelet/x/ansi"

	"github.com/byline/byline/internal/sanitize"
)

// helpLines is the full key help, generated from the KeyMap in use.
func (m *Model) helpLines() []string {
	groups := m.keys.FullHelp()
	cols := make([][]string, len(groups))
	colW := 0
	for i, g := range groups {
		cols[i] = strings.Split(m.help.FullHelpView([][]key.Binding{g}), "\n")
		for _, l := range cols[i] {
			colW = max(colW, ansi.StringWidth(l))
		}
	}
	colW += 3
	perRow := max(min(len(cols), (m.w-2)/colW), 1)
	lines := []string{m.st.Title.Render(" byline · keys"), ""}
	for i := 0; i < len(cols); i += perRow {
		row := cols[i:min(i+perRow, len(cols))]
		height := 0
		for _, c := range row {
			height = max(height, len(c))
		}
		for y := range height {
			var b strings.Builder
			b.WriteString(" ")
			for _, c := range row {
				cell := ""
				if y < len(c) {
					cell = c[y]
				}
				b.WriteString(fit(cell, colW))
			}
			lines = append(lines, b.String())
		}
		lines = append(lines, "")
	}
	lines = append(lines, m.st.Subtle.Render(" "+m.keys.Back.Help().Key+" or ? to close"))
	return lines
}

func (m *Model) errorLines() []string {
	st := m.st
	lines := []string{st.Title.Render(" Feed errors"), ""}
	var rows []string
	for _, ev := range m.refreshErrs {
		rows = append(rows, fmt.Sprintf(" %s %s — %s", st.Error.Render("✗"),
			sanitize.Line(ev.Feed, 60), sanitize.Line(ev.Err.Error(), 300)))
	}
	seen := map[int64]bool{}
	for _, ev := range m.refreshErrs {
		seen[ev.FeedID] = true
	}
	for _, f := range m.feeds {
		if f.LastError != "" && !seen[f.ID] {
			rows = append(rows, fmt.Sprintf(" %s %s — %s", st.Error.Render("✗"),
				sanitize.Line(f.DisplayTitle(), 60), sanitize.Line(f.LastError, 300)))
		}
		if f.Dead && !seen[f.ID] && f.LastError == "" {
			rows = append(rows, fmt.Sprintf(" %s %s — gone (410), no longer polled", st.Error.Render("✗"),
				sanitize.Line(f.DisplayTitle(), 60)))
		}
	}
	if len(rows) == 0 {
		rows = []string{" No feed errors."}
	}
	m.errOffset = min(m.errOffset, max(len(rows)-1, 0))
	lines = append(lines, rows[m.errOffset:]...)
	lines = append(lines, "", st.Subtle.Render(fmt.Sprintf(" %s retry all · %s back",
		m.keys.RefreshAll.Help().Key, m.keys.Back.Help().Key)))
	return lines
}

func (m *Model) welcomeLines() []string {
	st, k := m.st, m.keys
	lines := []string{
		"",
		st.Title.Render("  Welcome to byline"),
		"",
		"  You have no feeds yet. Ways to start:",
		"",
		"  " + fit(st.Accent.Render(k.Add.Help().Key), 6) + " add a feed: paste a feed URL or just a site's address",
		"         (byline finds the site's feed for you)",
		"  " + fit(st.Accent.Render(k.Import.Help().Key), 6) + " import an OPML file or a newsboat urls file",
	}
	if len(m.o.Starter) > 0 {
		lines = append(lines, "  "+fit(st.Accent.Render(k.Starter.Help().Key), 6)+" subscribe to these starter feeds:")
		nameW := 0
		for _, s := range m.o.Starter {
			nameW = max(nameW, len([]rune(sanitize.Line(s.Name, 40))))
		}
		for _, s := range m.o.Starter {
			name := sanitize.Line(s.Name, 40)
			lines = append(lines, "           "+fit(name, nameW)+"  "+st.Subtle.Render(sanitize.Line(s.URL, 200)))
		}
	}
	lines = append(lines, "",
		fmt.Sprintf("  %s help · %s quit", st.Accent.Render(k.Help.Help().Key), st.Accent.Render(k.Quit.Help().Key)))
	return lines
}
