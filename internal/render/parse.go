// Package render turns an article's canonical Markdown into what byline
// prints: the Markdown document itself (pipes), wrapped plain text
// (--format text), the plain body for JSON, and glamour ANSI output for
// terminals. glamour enters the module only here.
package render

import (
	"bytes"
	"strings"

	"github.com/byline/byline/internal/model"
	"github.com/byline/byline/internal/sanitize"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// parse reads Markdown with the same extensions glamour enables (GFM and
// definition lists), so that every output sees the same structure. The
// source is cleaned first: no control sequence can reach any output.
func parse(md string) (ast.Node, []byte) {
	src := []byte(sanitize.Text(md))
	p := goldmark.New(goldmark.WithExtensions(extension.GFM, extension.DefinitionList)).Parser()
	return p.Parse(text.NewReader(src)), src
}

// rawLines returns the source text of a block's lines, joined by newlines,
// without container markers such as "> ".
func rawLines(n ast.Node, src []byte) string {
	lines := n.Lines()
	var b strings.Builder
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		if i > 0 {
			b.WriteByte('\n')
		}
		b.Write(bytes.TrimRight(seg.Value(src), "\r\n"))
	}
	return b.String()
}

// isCaption reports whether a paragraph is a caption or credit line
// (model.IsCaptionLine), wherever it sits (top level, quote, list).
func isCaption(n ast.Node, src []byte) bool {
	if n.Kind() != ast.KindParagraph {
		return false
	}
	return model.IsCaptionLine(rawLines(n, src))
}

// segmentText decodes a text segment as an HTML renderer would: backslash
// escapes and character references resolved, in one pass, so that an escaped
// "\\&amp;" stays literal.
func segmentText(v []byte) string {
	if bytes.IndexByte(v, '&') < 0 && bytes.IndexByte(v, '\\') < 0 {
		return string(v)
	}
	var b strings.Builder
	start := 0
	flush := func(end int) {
		chunk := v[start:end]
		if bytes.IndexByte(chunk, '&') >= 0 {
			chunk = util.ResolveEntityNames(util.ResolveNumericReferences(chunk))
		}
		b.Write(chunk)
	}
	for i := 0; i < len(v)-1; i++ {
		if v[i] == '\\' && util.IsPunct(v[i+1]) {
			flush(i)
			b.WriteByte(v[i+1])
			i++
			start = i + 1
		}
	}
	flush(len(v))
	return b.String()
}

// cleanOutput removes what must never reach a pipe: tabs become spaces,
// other C0 and C1 controls and DEL go, trailing blanks on each line go.
func cleanOutput(s string) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '\n':
			return r
		case r == '\t':
			return ' '
		case r < 0x20, r == 0x7f, r >= 0x80 && r <= 0x9f:
			return -1
		}
		return r
	}, s)
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.Join(lines, "\n")
}
