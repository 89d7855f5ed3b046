package render

import (
	"strings"

	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
)

// inline returns the plain text of n's inline children: emphasis markers
// dropped, soft breaks as spaces, hard breaks as "\n". Outside body mode a
// link whose URL differs from its text is followed by " <url>".
func (r *textRenderer) inline(n ast.Node) string {
	var b strings.Builder
	r.inlineTo(&b, n, false)
	return b.String()
}

func (r *textRenderer) inlineTo(b *strings.Builder, n ast.Node, noLinks bool) {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		switch c := c.(type) {
		case *ast.Text:
			b.WriteString(segmentText(c.Segment.Value(r.src)))
			switch {
			case c.HardLineBreak():
				b.WriteByte('\n')
			case c.SoftLineBreak():
				b.WriteByte(' ')
			}
		case *ast.String:
			b.Write(c.Value)
		case *ast.CodeSpan:
			var cb strings.Builder
			for t := c.FirstChild(); t != nil; t = t.NextSibling() {
				if tx, ok := t.(*ast.Text); ok {
					cb.Write(tx.Segment.Value(r.src))
				}
			}
			b.WriteString(strings.ReplaceAll(cb.String(), "\n", " "))
		case *ast.Link:
			var lb strings.Builder
			r.inlineTo(&lb, c, true)
			label := lb.String()
			b.WriteString(label)
			if dest := string(c.Destination); !r.body && !noLinks && linkWorthShowing(dest, label) {
				b.WriteString(" <" + dest + ">")
			}
		case *ast.AutoLink:
			b.Write(c.URL(r.src))
		case *ast.Image:
			if r.body {
				continue
			}
			var ab strings.Builder
			r.inlineTo(&ab, c, true)
			if alt := strings.TrimSpace(ab.String()); alt != "" {
				b.WriteString("[" + alt + "]")
			}
		case *ast.RawHTML:
			// inline markup is never printed
		case *east.TaskCheckBox:
			if c.IsChecked {
				b.WriteString("[x] ")
			} else {
				b.WriteString("[ ] ")
			}
		default:
			r.inlineTo(b, c, noLinks)
		}
	}
}

// linkWorthShowing reports whether a link's URL adds something to its text:
// not for in-page anchors, relative links or URLs already spelled out.
func linkWorthShowing(dest, label string) bool {
	if !strings.HasPrefix(dest, "http://") && !strings.HasPrefix(dest, "https://") &&
		!strings.HasPrefix(dest, "mailto:") {
		return false
	}
	trim := func(s string) string {
		s = strings.TrimPrefix(strings.TrimPrefix(s, "https://"), "http://")
		s = strings.TrimPrefix(s, "mailto:")
		return strings.TrimSuffix(strings.TrimPrefix(s, "www."), "/")
	}
	return trim(dest) != trim(strings.TrimSpace(label))
}
