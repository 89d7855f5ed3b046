package render

import (
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"
	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
)

// DefaultWidth is the PlainText width when the caller passes 0.
const DefaultWidth = 80

// minWidth keeps deeply nested quotes and lists readable on absurd widths.
const minWidth = 12

// PlainText renders Markdown as plain text for --format text: wrapped at
// width display cells (DefaultWidth when width <= 0), headings as plain lines
// (level 1 underlined with "=", level 2 with "-"), lists with "- " and
// "1. ", links as "text <url>" when the URL differs from the text, emphasis
// markers dropped, block quotes behind a "│ " bar on every line (nested:
// "│ │ "), captions as "[Image: …]" lines, code blocks indented four spaces
// and never wrapped, tables as aligned columns (or "Header: value" records
// when too wide). The output holds no escape or control byte but "\n".
func PlainText(md string, width int) string {
	if width <= 0 {
		width = DefaultWidth
	}
	doc, src := parse(md)
	r := &textRenderer{src: src}
	return finish(r.blocks(doc, width, false))
}

// BodyText renders Markdown as the plain article body of the JSON "text"
// field: one line per paragraph (hard line breaks kept), a blank line
// between blocks, headings and quote text as plain paragraphs, list items one
// per line (ordered ones keep their number), no captions or credits, no
// images, no link URLs, no Markdown syntax, no wrapping.
func BodyText(md string) string {
	doc, src := parse(md)
	r := &textRenderer{src: src, body: true}
	return finish(r.blocks(doc, 0, false))
}

func finish(lines []string) string {
	s := cleanOutput(strings.Join(lines, "\n"))
	s = strings.Trim(s, "\n")
	if s == "" {
		return ""
	}
	return s + "\n"
}

// textRenderer walks a goldmark tree into lines. In body mode (BodyText)
// width is 0 and nothing wraps.
type textRenderer struct {
	src  []byte
	body bool
}

// blocks renders the block children of n, a blank line between blocks
// unless tight (items of a tight list).
func (r *textRenderer) blocks(n ast.Node, width int, tight bool) []string {
	var out []string
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		lines := r.block(c, width)
		if len(lines) == 0 {
			continue
		}
		if len(out) > 0 && !tight {
			out = append(out, "")
		}
		out = append(out, lines...)
	}
	return out
}

func (r *textRenderer) block(n ast.Node, width int) []string {
	switch n := n.(type) {
	case *ast.Heading:
		return r.heading(n, width)
	case *ast.Paragraph:
		if isCaption(n, r.src) {
			if r.body {
				return nil
			}
			return r.fill("["+r.inline(n)+"]", width)
		}
		return r.fill(r.inline(n), width)
	case *ast.TextBlock:
		return r.fill(r.inline(n), width)
	case *ast.Blockquote:
		return r.quote(n, width)
	case *ast.List:
		return r.list(n, width)
	case *ast.FencedCodeBlock, *ast.CodeBlock:
		return r.code(n)
	case *ast.ThematicBreak:
		if r.body {
			return nil
		}
		return []string{"* * *"}
	case *ast.HTMLBlock:
		return nil // canonical Markdown carries no HTML; never print markup
	case *east.Table:
		return r.table(n, width)
	case *east.DefinitionList:
		return r.blocks(n, width, false)
	case *east.DefinitionTerm:
		return r.fill(r.inline(n), width)
	case *east.DefinitionDescription:
		return indent(r.blocks(n, width-4, true), "    ")
	}
	if n.HasChildren() {
		return r.blocks(n, width, false)
	}
	return nil
}

func (r *textRenderer) heading(n *ast.Heading, width int) []string {
	lines := r.fill(r.inline(n), width)
	if r.body || n.Level > 2 || len(lines) == 0 {
		return lines
	}
	w := 0
	for _, l := range lines {
		w = max(w, ansi.StringWidth(l))
	}
	mark := "="
	if n.Level == 2 {
		mark = "-"
	}
	return append(lines, strings.Repeat(mark, w))
}

func (r *textRenderer) quote(n *ast.Blockquote, width int) []string {
	if r.body {
		return r.blocks(n, 0, false)
	}
	inner := r.blocks(n, max(width-2, minWidth), false)
	for i, l := range inner {
		if l == "" {
			inner[i] = "│"
		} else {
			inner[i] = "│ " + l
		}
	}
	return inner
}

func (r *textRenderer) list(n *ast.List, width int) []string {
	var out []string
	num := n.Start
	for item := n.FirstChild(); item != nil; item = item.NextSibling() {
		marker := "- "
		if n.IsOrdered() {
			marker = strconv.Itoa(num) + ". "
			num++
		} else if r.body {
			marker = ""
		}
		w := 0
		if !r.body {
			w = max(width-len(marker), minWidth)
		}
		lines := r.blocks(item, w, n.IsTight)
		if len(lines) == 0 {
			if r.body {
				continue // an empty item says nothing in a plain body
			}
			lines = []string{""}
		}
		if len(out) > 0 && !n.IsTight {
			out = append(out, "")
		}
		pad := strings.Repeat(" ", len(marker))
		if r.body {
			pad = ""
		}
		out = append(out, marker+lines[0])
		out = append(out, indent(lines[1:], pad)...)
	}
	return out
}

func (r *textRenderer) code(n ast.Node) []string {
	raw := strings.TrimRight(strings.ReplaceAll(rawCode(n, r.src), "\t", "    "), "\n")
	if raw == "" {
		return nil
	}
	lines := strings.Split(raw, "\n")
	if r.body {
		return lines
	}
	return indent(lines, "    ")
}

func rawCode(n ast.Node, src []byte) string {
	var b strings.Builder
	lines := n.Lines()
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		b.Write(seg.Value(src))
	}
	return b.String()
}

// indent prefixes every non-empty line.
func indent(lines []string, prefix string) []string {
	for i, l := range lines {
		if l != "" {
			lines[i] = prefix + l
		}
	}
	return lines
}

// fill wraps inline text, keeping its hard line breaks. Width 0 means no
// wrapping (body mode): blanks are only collapsed.
func (r *textRenderer) fill(s string, width int) []string {
	var out []string
	for _, part := range strings.Split(s, "\n") {
		if width <= 0 {
			if f := strings.Join(strings.Fields(part), " "); f != "" {
				out = append(out, f)
			}
			continue
		}
		if strings.TrimSpace(part) == "" {
			continue
		}
		out = append(out, wrap(part, width)...)
	}
	return out
}
