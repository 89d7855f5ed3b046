package render

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
	east "github.com/yuin/goldmark/extension/ast"
)

// table renders a GFM table as aligned columns separated by " | " with a
// dashed rule under the header. When the columns do not fit in width, each
// row becomes a record of "Header: value" lines instead: still readable,
// never cut. In body mode each row is one line, cells joined by " | ".
func (r *textRenderer) table(t *east.Table, width int) []string {
	var rows [][]string
	header := 0
	for row := t.FirstChild(); row != nil; row = row.NextSibling() {
		var cells []string
		for c := row.FirstChild(); c != nil; c = c.NextSibling() {
			var b strings.Builder
			r.inlineTo(&b, c, true)
			cells = append(cells, strings.Join(strings.Fields(b.String()), " "))
		}
		if _, ok := row.(*east.TableHeader); ok {
			header = len(rows) + 1
		}
		rows = append(rows, cells)
	}
	if len(rows) == 0 {
		return nil
	}
	if r.body {
		out := make([]string, 0, len(rows))
		for _, cells := range rows {
			if line := strings.Join(cells, " | "); strings.Trim(line, " |") != "" {
				out = append(out, line)
			}
		}
		return out
	}
	cols := 0
	for _, cells := range rows {
		cols = max(cols, len(cells))
	}
	widths := make([]int, cols)
	for _, cells := range rows {
		for i, c := range cells {
			widths[i] = max(widths[i], ansi.StringWidth(c))
		}
	}
	total := 3 * (cols - 1)
	for _, w := range widths {
		total += w
	}
	if total > width {
		return r.records(rows, header, width)
	}
	var out []string
	for i, cells := range rows {
		out = append(out, joinCells(cells, widths, " | "))
		if i+1 == header {
			rule := make([]string, cols)
			for j, w := range widths {
				rule[j] = strings.Repeat("-", w)
			}
			out = append(out, strings.Join(rule, "-+-"))
		}
	}
	return out
}

func joinCells(cells []string, widths []int, sep string) string {
	var b strings.Builder
	for i, w := range widths {
		if i > 0 {
			b.WriteString(sep)
		}
		c := ""
		if i < len(cells) {
			c = cells[i]
		}
		b.WriteString(c)
		b.WriteString(strings.Repeat(" ", w-ansi.StringWidth(c)))
	}
	return strings.TrimRight(b.String(), " ")
}

// records renders a too-wide table row by row, each cell labelled with its
// column header, a blank line between rows.
func (r *textRenderer) records(rows [][]string, header, width int) []string {
	var names []string
	if header > 0 {
		names = rows[header-1]
		rows = append(rows[:header-1:header-1], rows[header:]...)
	}
	var out []string
	for _, cells := range rows {
		if len(out) > 0 {
			out = append(out, "")
		}
		for i, c := range cells {
			label := ""
			if i < len(names) && names[i] != "" {
				label = names[i] + ": "
			}
			lines := wrap(label+c, max(width-2, 1))
			out = append(out, lines[0])
			out = append(out, indent(lines[1:], "  ")...)
		}
	}
	return out
}
