package extract

import (
	"strings"

	"golang.org/x/net/html"
)

// table renders a data table as a GFM table. Layout tables (one column, or
// holding block content such as paragraphs or other tables) are rendered as
// their content.
func (c *converter) table(n *html.Node) []string {
	rows := tableRows(n)
	if len(rows) == 0 {
		return nil
	}
	cols := 0
	for _, r := range rows {
		cols = max(cols, len(r))
	}
	layout := cols < 2 || findFirst(n, func(x *html.Node) bool {
		return x != n && isElem(x, "table", "p", "ul", "ol", "blockquote", "pre", "h1", "h2", "h3", "figure")
	}) != nil
	if layout {
		var out []string
		for _, r := range rows {
			for _, cell := range r {
				out = append(out, c.children(cell)...)
			}
		}
		return out
	}
	var lines []string
	for i, r := range rows {
		cells := make([]string, cols)
		for j := range cols {
			if j < len(r) {
				var b strings.Builder
				var alts []string
				for ch := r[j].FirstChild; ch != nil; ch = ch.NextSibling {
					c.inline(ch, &b, &alts)
				}
				cell := strings.ReplaceAll(finishPara(b.String()), "  \n", " ")
				cells[j] = strings.ReplaceAll(strings.ReplaceAll(cell, "\n", " "), "|", "\\|")
			}
		}
		lines = append(lines, "| "+strings.Join(cells, " | ")+" |")
		if i == 0 {
			lines = append(lines, "|"+strings.Repeat(" --- |", cols))
		}
	}
	c.lead = false
	return []string{strings.Join(lines, "\n")}
}

// tableRows returns the cells of each row of n (not of nested tables).
func tableRows(n *html.Node) [][]*html.Node {
	var rows [][]*html.Node
	var visit func(*html.Node)
	visit = func(p *html.Node) {
		for ch := p.FirstChild; ch != nil; ch = ch.NextSibling {
			switch {
			case isElem(ch, "thead", "tbody", "tfoot"):
				visit(ch)
			case isElem(ch, "tr"):
				var cells []*html.Node
				for td := ch.FirstChild; td != nil; td = td.NextSibling {
					if isElem(td, "td", "th") {
						cells = append(cells, td)
					}
				}
				if len(cells) > 0 {
					rows = append(rows, cells)
				}
			}
		}
	}
	visit(n)
	return rows
}
