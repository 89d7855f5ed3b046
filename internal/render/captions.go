package render

import (
	"regexp"
	"sort"
	"strings"

	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
)

// markCaptions rewrites every caption paragraph "*Image: text*" as an image
// without a destination, "![Image: text]()". glamour styles emphasis the
// same everywhere, but canonical Markdown never holds images, so the image
// text style is free to give captions their own look (dim italic) wherever
// they sit: top level, in a quote or in a list. The rewrite edits only the
// two delimiters (and unbalanced brackets), so container markers on
// continuation lines stay intact.
func markCaptions(md string) string {
	return prepare(md, 0)
}

// edit replaces del bytes at offset at by ins.
type edit struct {
	at, del int
	ins     string
}

// prepare rewrites Markdown for glamour: captions become marked images (see
// markCaptions) and, when width > 0, top-level tables too wide for it become
// records (see tableRecords).
func prepare(md string, width int) string {
	doc, src := parse(md)
	var edits []edit
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		if t, ok := n.(*east.Table); ok && width > 0 && t.Parent() == doc {
			if e, ok := tableRecords(t, src, width); ok {
				edits = append(edits, e)
			}
			return ast.WalkSkipChildren, nil
		}
		if !isCaption(n, src) {
			return ast.WalkContinue, nil
		}
		lines := n.Lines()
		first, last := lines.At(0), lines.At(lines.Len()-1)
		start := first.Start
		for start < first.Stop && src[start] != '*' {
			start++
		}
		end := last.Stop - 1
		for end > start && src[end] != '*' {
			end--
		}
		if end <= start {
			return ast.WalkSkipChildren, nil
		}
		edits = append(edits, edit{start, 1, "!["}, edit{end, 1, "]()"})
		if !balanced(src[start+1 : end]) {
			for i := 0; i < lines.Len(); i++ {
				seg := lines.At(i)
				for p := max(seg.Start, start+1); p < min(seg.Stop, end); p++ {
					if (src[p] == '[' || src[p] == ']') && !escaped(src, p) {
						edits = append(edits, edit{p, 0, `\`})
					}
				}
			}
		}
		return ast.WalkSkipChildren, nil
	})
	if len(edits) == 0 {
		return string(src)
	}
	// Table edits cover whole tables and captions never sit inside one (a
	// caption is a paragraph), so edits never overlap.
	sort.SliceStable(edits, func(i, j int) bool { return edits[i].at < edits[j].at })
	var b strings.Builder
	b.Grow(len(src) + 4*len(edits))
	prev := 0
	for _, e := range edits {
		b.Write(src[prev:e.at])
		b.WriteString(e.ins)
		prev = e.at + e.del
	}
	b.Write(src[prev:])
	return b.String()
}

// balanced reports whether the unescaped brackets in s pair up, so that the
// text can stand as image text unchanged (links inside captions keep working).
func balanced(s []byte) bool {
	depth := 0
	for i, c := range s {
		if (c == '[' || c == ']') && escaped(s, i) {
			continue
		}
		switch c {
		case '[':
			depth++
		case ']':
			depth--
			if depth < 0 {
				return false
			}
		}
	}
	return depth == 0
}

// escaped reports whether s[i] follows an odd number of backslashes.
func escaped(s []byte, i int) bool {
	n := 0
	for j := i - 1; j >= 0 && s[j] == '\\'; j-- {
		n++
	}
	return n%2 == 1
}

// minColumn is the narrowest column, in cells, that glamour's table layout
// keeps readable; below it cells wrap letter by letter.
const minColumn = 10

// tableRecords turns a table that cannot give each column minColumn cells
// at width into one list per row of "**Header:** value" items, the
// Markdown twin of PlainText's records. Cells keep their inline Markdown.
func tableRecords(t *east.Table, src []byte, width int) (edit, bool) {
	cols := len(t.Alignments)
	if cols == 0 || cols*(minColumn+3) <= width-4 {
		return edit{}, false
	}
	var names []string
	var rows [][]string
	start, end := -1, -1
	for row := t.FirstChild(); row != nil; row = row.NextSibling() {
		var cells []string
		for c := row.FirstChild(); c != nil; c = c.NextSibling() {
			lines := c.Lines()
			if lines.Len() == 0 {
				cells = append(cells, "")
				continue
			}
			seg := lines.At(0)
			if start < 0 {
				start = seg.Start
			}
			end = max(end, seg.Stop)
			cells = append(cells, strings.TrimSpace(string(seg.Value(src))))
		}
		if _, ok := row.(*east.TableHeader); ok {
			names = cells
			continue
		}
		rows = append(rows, cells)
	}
	if start < 0 {
		return edit{}, false
	}
	for start > 0 && src[start-1] != '\n' {
		start--
	}
	for end < len(src) && src[end] != '\n' {
		end++
	}
	var b strings.Builder
	for n, cells := range rows {
		// One list per row; alternating bullet characters keep adjacent
		// lists apart (glamour drops hard line breaks, so no paragraphs).
		bullet := []string{"- ", "+ "}[n%2]
		var lines []string
		for i, c := range cells {
			if c == "" {
				continue
			}
			if i < len(names) && names[i] != "" {
				c = "**" + names[i] + ":** " + c
			} else {
				c = escapeBlockStart(c)
			}
			lines = append(lines, bullet+c)
		}
		if len(lines) == 0 {
			continue
		}
		if b.Len() > 0 {
			b.WriteString("\n\n")
		}
		b.WriteString(strings.Join(lines, "\n"))
	}
	if b.Len() == 0 {
		b.WriteString(strings.Join(names, " · "))
	}
	return edit{at: start, del: end - start, ins: b.String()}, true
}

var orderedStart = regexp.MustCompile(`^[0-9]{1,9}[.)]`)

// escapeBlockStart keeps a line of inline Markdown from starting a block
// (list item, quote, heading, rule) when it is placed at a line start.
func escapeBlockStart(s string) string {
	if m := orderedStart.FindString(s); m != "" {
		return m[:len(m)-1] + `\` + s[len(m)-1:]
	}
	if s != "" && strings.ContainsRune("-+*>#=_", rune(s[0])) {
		return `\` + s
	}
	return s
}
