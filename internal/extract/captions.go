package extract

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"

	"github.com/byline/byline/internal/model"
	"github.com/byline/byline/internal/sanitize"
)

// allCaptions reports whether every block is a caption line (a list used
// as a gallery).
func allCaptions(blocks []string) bool {
	for _, b := range blocks {
		if !model.IsCaptionLine(b) {
			return false
		}
	}
	return true
}

// figure renders a figure: its caption (and credit) as one caption line, and
// any non-image content it wraps (a quote with its attribution, a table).
func (c *converter) figure(n *html.Node) []string {
	var caption, credit []string
	var content []*html.Node
	hasMedia := false
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		switch {
		case isElem(ch, "figcaption"):
			caption = append(caption, captionText(ch))
		case attr(ch, markAttr) == markCredit:
			credit = append(credit, captionText(ch))
		case attr(ch, markAttr) == markCaption:
			caption = append(caption, captionText(ch))
		case isElem(ch, "img", "picture", "video", "audio", "iframe", "svg", "object", "embed", "source"):
			hasMedia = true
		case ch.Type == html.ElementNode && findFirst(ch, func(x *html.Node) bool { return isElem(x, "img", "picture", "video") }) != nil &&
			len(strings.TrimSpace(textContent(ch))) == 0:
			hasMedia = true
		default:
			content = append(content, ch)
		}
	}
	var out []string
	if len(content) > 0 {
		if !hasMedia && len(caption) > 0 && findFirst(n, func(x *html.Node) bool { return isElem(x, "blockquote") }) != nil {
			// A quote with its attribution in the figcaption.
			c.inQuote++
			var blocks []string
			var run []*html.Node
			for _, ch := range content {
				if isBlock(ch) {
					blocks = c.appendPara(blocks, run, nil)
					run = nil
					blocks = append(blocks, c.children(ch)...)
				} else {
					run = append(run, ch)
				}
			}
			blocks = c.appendPara(blocks, run, nil)
			c.inQuote--
			blocks = append(blocks, escapeText(strings.Join(caption, " ")))
			return []string{quoteLines(strings.Join(blocks, "\n\n"))}
		}
		var run []*html.Node
		for _, ch := range content {
			if isBlock(ch) {
				out = c.appendPara(out, run, nil)
				run = nil
				out = append(out, c.block(ch)...)
			} else {
				run = append(run, ch)
			}
		}
		out = c.appendPara(out, run, nil)
	}
	text := strings.Join(nonEmpty(caption), " ")
	if cr := strings.Join(nonEmpty(credit), " "); cr != "" {
		if text == "" {
			text = cr
		} else if !strings.Contains(text, cr) {
			text += " — " + cr
		}
	}
	if text == "" {
		if img := findFirst(n, func(x *html.Node) bool { return isElem(x, "img") }); img != nil && meaningfulAlt(attr(img, "alt"), c.title) {
			text = cleanSpace(attr(img, "alt"))
		}
	}
	if text != "" {
		if img := findFirst(n, func(x *html.Node) bool { return isElem(x, "img") }); img != nil {
			if u := sanitize.URL(resolve(c.base, attr(img, "src"))); u != "" {
				c.captions[u] = text
			}
		}
		out = c.appendCaption(out, text)
	}
	return out
}

// appendCaption appends a caption line for text unless the same caption was
// already written (galleries and responsive markup repeat them).
func (c *converter) appendCaption(out []string, text string) []string {
	k := quoteKey(text)
	if k == "" || c.seenCaption[k] {
		return out
	}
	c.seenCaption[k] = true
	return append(out, model.CaptionLine(escapeCaption(text)))
}

// isCaptionBeforeCredit reports a short paragraph followed directly by a
// credit line ("Natalie Naccache | Bloomberg | Getty Images"): together they
// are an image caption, set as text because the page had no <figcaption>.
func isCaptionBeforeCredit(host *html.Node, plain string) bool {
	if host == nil || len(plain) > 300 || IsDirectSpeech(plain) {
		return false
	}
	next := nextElement(host)
	if next == nil || findFirst(host, func(x *html.Node) bool { return isElem(x, "a") }) != nil {
		return false
	}
	if findFirst(next, func(x *html.Node) bool { return isElem(x, "figure", "figcaption", "img", "picture", "p") && x != next }) != nil ||
		isElem(next, "figure", "figcaption") {
		return false // the credit belongs to that image, not to this paragraph
	}
	t := cleanSpace(textContent(next))
	return len(t) <= 100 && isCreditLine(t)
}

func nonEmpty(ss []string) []string {
	var out []string
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// captionBlock renders a caption or credit element as one caption line.
func (c *converter) captionBlock(n *html.Node) []string {
	return c.appendCaption(nil, captionText(n))
}

// captionText is the text of a caption element, with a credit marked inside
// it set apart as "caption — credit".
func captionText(n *html.Node) string {
	var text, credit strings.Builder
	walk(n, func(x *html.Node) bool {
		if x != n && x.Type == html.ElementNode && attr(x, markAttr) == markCredit {
			credit.WriteString(" " + textContent(x))
			return false
		}
		if x.Type == html.TextNode {
			text.WriteString(x.Data)
		}
		return !isElem(x, "script", "style")
	})
	t, cr := cleanSpace(text.String()), cleanSpace(credit.String())
	switch {
	case cr == "":
		return t
	case t == "":
		return cr
	}
	return t + " — " + cr
}

// meaningfulAlt reports whether an image's alt text says something: a few
// words, not a file name, not a generic label, not the title again.
func meaningfulAlt(alt, title string) bool {
	alt = cleanSpace(alt)
	if utf8.RuneCountInString(alt) < 12 || len(strings.Fields(alt)) < 3 || sameText(alt, title) {
		return false
	}
	l := strings.ToLower(alt)
	for _, ext := range []string{".jpg", ".jpeg", ".png", ".gif", ".webp", ".svg"} {
		if strings.Contains(l, ext) {
			return false
		}
	}
	return true
}

// escapeCaption escapes caption text for use inside *…* emphasis.
func escapeCaption(s string) string {
	return escapeText(cleanSpace(s))
}
