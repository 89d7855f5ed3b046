package render

import (
	"sort"
	"strings"

	"github.com/yuin/goldmark/ast"
)

// markCaptions rewrites every caption paragraph "*Image: text*" as an image
// without a destination, "![Image: text]()". glamour styles emphasis the
// same everywhere, but canonical Markdown never holds images, so the image
// text style is free to give captions their own look (dim italic) wherever
// they sit: top level, in a quote or in a list. The rewrite edits only the
// two delimiters (and unbalanced brackets), so container markers on
// continuation lines stay intact.
func markCaptions(md string) string {
	doc, src := parse(md)
	type edit struct {
		at, del int
		ins     string
	}
	var edits []edit
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering || !isCaption(n, src) {
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
