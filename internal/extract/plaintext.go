package extract

import (
	"strings"

	"github.com/byline/byline/internal/model"
)

var (
	linkRe      = lazyRegexp(`\[((?:[^\]\\]|\\.)*)\]\([^)\s]*\)`)
	fenceRe     = lazyRegexp("^`{3,}")
	listRe      = lazyRegexp(`^(\s*)([-*+]|\d{1,9}[.)])\s+`)
	headingRe   = lazyRegexp(`^#{1,6}\s+`)
	tableSepRe  = lazyRegexp(`^\|(\s*:?-{3,}:?\s*\|)+\s*$`)
	quotePrefix = lazyRegexp(`^(\s*>\s?)+`)
)

// PlainText reduces canonical Markdown to the article's plain text, for
// scoring and search: caption lines dropped, block quote, heading and list
// markers, emphasis, links and escapes removed; paragraphs separated by a
// blank line. It understands the Markdown this package writes.
func PlainText(md string) string {
	var paras []string
	var cur []string
	inFence := false
	flush := func() {
		if len(cur) > 0 {
			p := strings.Join(cur, "\n")
			if !model.IsCaptionLine(p) {
				paras = append(paras, p)
			}
			cur = cur[:0]
		}
	}
	for _, line := range strings.Split(md, "\n") {
		l := quotePrefix().ReplaceAllString(line, "")
		if fenceRe().MatchString(strings.TrimSpace(l)) {
			inFence = !inFence
			continue
		}
		if inFence {
			cur = append(cur, l)
			continue
		}
		l = strings.TrimSpace(l)
		if l == "" {
			flush()
			continue
		}
		if model.IsCaptionLine(l) {
			flush()
			continue
		}
		if tableSepRe().MatchString(l) || l == "---" {
			continue
		}
		l = headingRe().ReplaceAllString(l, "")
		l = listRe().ReplaceAllString(l, "")
		if model.IsCaptionLine(l) {
			continue
		}
		if strings.HasPrefix(l, "|") && strings.HasSuffix(l, "|") {
			l = strings.Join(strings.Fields(strings.ReplaceAll(strings.Trim(l, "|"), " | ", "  ")), " ")
		}
		cur = append(cur, plainInline(l))
	}
	flush()
	return strings.Join(paras, "\n\n")
}

// plainInline removes inline markup from one line or paragraph: links keep
// their text, emphasis and code markers go, backslash escapes are undone.
func plainInline(s string) string {
	if strings.Contains(s, "](") {
		s = linkRe().ReplaceAllString(s, "$1")
	}
	if !strings.ContainsAny(s, "\\*`~") {
		return strings.ReplaceAll(s, "  \n", "\n")
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		ch := s[i]
		switch {
		case ch == '\\' && i+1 < len(s) && isASCIIPunct(s[i+1]):
			b.WriteByte(s[i+1])
			i++
		case ch == '*' || ch == '`':
		case ch == '~' && i+1 < len(s) && s[i+1] == '~':
			i++
		default:
			b.WriteByte(ch)
		}
	}
	return strings.ReplaceAll(b.String(), "  \n", "\n")
}

func isASCIIPunct(c byte) bool {
	return (c >= '!' && c <= '/') || (c >= ':' && c <= '@') || (c >= '[' && c <= '`') || (c >= '{' && c <= '~')
}
