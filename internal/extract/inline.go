package extract

import (
	nurl "net/url"
	"strings"
	"unicode"

	"golang.org/x/net/html"

	"github.com/byline/byline/internal/sanitize"
)

// skipInline are elements whose content never reaches the body.
var skipInline = map[string]bool{
	"script": true, "style": true, "noscript": true, "template": true, "svg": true, "button": true,
	"input": true, "select": true, "textarea": true, "iframe": true, "object": true, "embed": true,
	"video": true, "audio": true, "canvas": true, "head": true, "title": true, "meta": true, "link": true,
	"map": true, "source": true, "track": true,
}

// inline renders inline content of n into b. Image alt texts are collected
// in alts (a block of images alone may use one as its caption).
func (c *converter) inline(n *html.Node, b *strings.Builder, alts *[]string) {
	switch n.Type {
	case html.TextNode:
		b.WriteString(escapeText(collapse(cleanText(n.Data))))
		return
	case html.ElementNode:
	default:
		return
	}
	if skipInline[n.Data] || isFurniture(n) {
		return
	}
	switch n.Data {
	case "br":
		b.WriteString("  \n")
		return
	case "img":
		*alts = append(*alts, attr(n, "alt"))
		return
	case "a":
		inner := c.inlineChildren(n, alts)
		text := strings.TrimSpace(inner)
		if text == "" {
			return
		}
		u := linkURL(c.base, attr(n, "href"))
		if u == "" || strings.Contains(text, "](") {
			b.WriteString(inner)
			return
		}
		lead, trail := edges(inner)
		b.WriteString(lead + "[" + text + "](" + u + ")" + trail)
		return
	case "em", "i", "dfn":
		wrapInline(b, c.inlineChildren(n, alts), "*")
		return
	case "strong", "b":
		wrapInline(b, c.inlineChildren(n, alts), "**")
		return
	case "del", "s", "strike":
		wrapInline(b, c.inlineChildren(n, alts), "~~")
		return
	case "code", "kbd", "samp", "tt":
		t := collapse(cleanText(textContent(n)))
		if strings.TrimSpace(t) == "" {
			b.WriteString(t)
			return
		}
		fence := "`"
		for strings.Contains(t, fence) {
			fence += "`"
		}
		pad := ""
		if strings.HasPrefix(t, "`") || strings.HasSuffix(t, "`") {
			pad = " "
		}
		b.WriteString(fence + pad + t + pad + fence)
		return
	case "q":
		b.WriteString("“" + c.inlineChildren(n, alts) + "”")
		return
	}
	if isBlock(n) {
		// Block content inside inline context (broken markup): keep the words.
		b.WriteString(" " + c.inlineChildren(n, alts) + " ")
		return
	}
	b.WriteString(c.inlineChildren(n, alts))
}

func (c *converter) inlineChildren(n *html.Node, alts *[]string) string {
	var b strings.Builder
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		c.inline(ch, &b, alts)
	}
	return b.String()
}

// wrapInline writes s wrapped in marker, with surrounding spaces kept
// outside the markers so that the emphasis stays valid Markdown.
func wrapInline(b *strings.Builder, s, marker string) {
	t := strings.TrimSpace(s)
	if t == "" || strings.Trim(t, "*~") == "" {
		b.WriteString(s)
		return
	}
	if strings.HasPrefix(t, marker) && strings.HasSuffix(t, marker) {
		b.WriteString(s) // already wrapped (nested <b><strong>)
		return
	}
	lead, trail := edges(s)
	b.WriteString(lead + marker + t + marker + trail)
}

// edges returns s's leading and trailing whitespace (as one space each).
func edges(s string) (lead, trail string) {
	if strings.TrimLeftFunc(s, unicode.IsSpace) != s {
		lead = " "
	}
	if strings.TrimRightFunc(s, unicode.IsSpace) != s {
		trail = " "
	}
	return lead, trail
}

// linkURL resolves href and returns it in a form safe inside (…), or "" when
// it is not a web URL (javascript:, mailto:, a fragment on the same page).
func linkURL(base *nurl.URL, href string) string {
	href = strings.TrimSpace(href)
	if href == "" || strings.HasPrefix(href, "#") {
		return ""
	}
	u := sanitize.URL(resolve(base, href))
	if u == "" {
		return ""
	}
	return urlEscaper.Replace(u)
}

// urlEscaper keeps a URL from ending the Markdown link destination early.
var urlEscaper = strings.NewReplacer("(", "%28", ")", "%29", " ", "%20", "<", "%3C", ">", "%3E")

// collapse turns every run of ASCII whitespace into one space.
func collapse(s string) string {
	if !strings.ContainsAny(s, " \t\n\r\f") {
		return s
	}
	b := make([]byte, 0, len(s))
	space := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case ' ', '\t', '\n', '\r', '\f':
			if !space {
				b = append(b, ' ')
			}
			space = true
		default:
			space = false
			b = append(b, c)
		}
	}
	return string(b)
}

// escapeText escapes the characters that would start Markdown markup.
func escapeText(s string) string {
	if !strings.ContainsAny(s, "\\*_`[]<") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); i++ {
		switch ch := s[i]; ch {
		case '\\', '*', '_', '`', '[', ']':
			b.WriteByte('\\')
			b.WriteByte(ch)
		case '<':
			if i+1 < len(s) && (isASCIILetter(s[i+1]) || s[i+1] == '/' || s[i+1] == '!' || s[i+1] == '?') {
				b.WriteByte('\\')
			}
			b.WriteByte(ch)
		default:
			b.WriteByte(ch)
		}
	}
	return b.String()
}

func isASCIILetter(c byte) bool { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') }

// finishPara trims a paragraph's lines, collapses spaces and escapes what
// would read as a block marker at a line start (#, >, -, +, "1.").
func finishPara(s string) string {
	lines := strings.Split(s, "\n")
	out := lines[:0]
	for _, l := range lines {
		hard := strings.HasSuffix(l, "  ")
		l = strings.TrimSpace(collapse(l))
		if l == "" {
			continue
		}
		l = escapeLineStart(l)
		if hard {
			l += "  "
		}
		out = append(out, l)
	}
	if len(out) == 0 {
		return ""
	}
	out[len(out)-1] = strings.TrimRight(out[len(out)-1], " ")
	p := strings.Join(out, "\n")
	// Text ending in "!" right before a link would read as image syntax
	// "![text](url)". Any unescaped "[" here opens one of our links (text
	// brackets are escaped), so escaping every "![" is exact.
	if strings.Contains(p, "![") {
		p = strings.ReplaceAll(p, "![", "\\![")
	}
	return p
}

func escapeLineStart(l string) string {
	switch l[0] {
	case '#', '>', '=':
		return "\\" + l
	case '-', '+':
		if len(l) == 1 || l[1] == ' ' {
			return "\\" + l
		}
	}
	// "1. " or "1) " would start an ordered list.
	i := 0
	for i < len(l) && i < 9 && l[i] >= '0' && l[i] <= '9' {
		i++
	}
	if i > 0 && i+1 < len(l) && (l[i] == '.' || l[i] == ')') && l[i+1] == ' ' {
		return l[:i] + "\\" + l[i:]
	}
	if i > 0 && i+1 == len(l) && (l[i] == '.' || l[i] == ')') {
		return l[:i] + "\\" + l[i:]
	}
	return l
}
