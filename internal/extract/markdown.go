package extract

import (
	nurl "net/url"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"

	"github.com/byline/byline/internal/sanitize"
)

// converter writes canonical Markdown from an article DOM.
type converter struct {
	base        *nurl.URL
	title       string
	author      string
	blocks      []string
	root        *html.Node
	bodyTexts   []string // normalized plain text of body paragraphs, for pull-quote dedupe
	collected   bool
	seenPull    map[string]bool // pull quotes already written
	seenCaption map[string]bool
	captions    map[string]string
	inQuote     int
	// afterLabel is set after a furniture label ("Related", "Don't miss"):
	// the link-dense blocks that follow it are its list.
	afterLabel bool
	lead       bool // no body block written yet (duplicate-title check)
}

func newConverter(base *nurl.URL) *converter {
	return &converter{base: base, seenPull: map[string]bool{}, seenCaption: map[string]bool{}, captions: map[string]string{}, lead: true}
}

// convert renders root and returns the sanitized Markdown body.
func (c *converter) convert(root *html.Node) string {
	// Controls out of the text first, so that Markdown escaping sees the
	// text as it will be printed: "x\x1b](y" must not become an unescaped
	// "](" once the escape is dropped at the end.
	walk(root, func(n *html.Node) bool {
		if n.Type == html.TextNode {
			n.Data = sanitize.Text(n.Data)
		}
		return true
	})
	c.root = root
	c.blocks = c.children(root)
	md := strings.Join(c.blocks, "\n\n")
	return sanitize.Text(md)
}

// captionFor returns the caption seen for the image at url, if any.
func (c *converter) captionFor(url string) string { return c.captions[url] }

// collectBodyText records the text of every paragraph that is not a pull
// quote, so a pull quote repeating body text can be dropped.
func (c *converter) collectBodyText(root *html.Node) {
	walk(root, func(n *html.Node) bool {
		if n.Type != html.ElementNode {
			return true
		}
		if attr(n, markAttr) == markPullQuote {
			return false
		}
		if n.Data == "p" || n.Data == "li" || n.Data == "blockquote" {
			c.bodyTexts = append(c.bodyTexts, quoteKey(textContent(n)))
			return false
		}
		return true
	})
}

// quoteKey normalizes text for duplicate detection: letters and digits only,
// lower case.
func quoteKey(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if isWordRune(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

var blockTags = map[string]bool{
	"p": true, "div": true, "section": true, "article": true, "main": true, "header": true,
	"footer": true, "aside": true, "nav": true, "h1": true, "h2": true, "h3": true, "h4": true,
	"h5": true, "h6": true, "ul": true, "ol": true, "li": true, "dl": true, "dt": true, "dd": true,
	"blockquote": true, "pre": true, "table": true, "figure": true, "figcaption": true, "hr": true,
	"form": true, "fieldset": true, "details": true, "summary": true, "address": true, "center": true,
	"tr": true, "td": true, "th": true, "tbody": true, "thead": true, "tfoot": true, "caption": true,
	"hgroup": true, "body": true, "html": true, "picture": false,
}

// isBlock reports whether n starts a block of its own.
func isBlock(n *html.Node) bool {
	return n.Type == html.ElementNode && blockTags[n.Data]
}

// children renders the children of n as blocks, gathering runs of inline
// content into paragraphs.
func (c *converter) children(n *html.Node) []string {
	var out []string
	var run []*html.Node
	flush := func() {
		if len(run) == 0 {
			return
		}
		out = c.appendPara(out, run, nil)
		run = run[:0]
	}
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		if ch.Type == html.CommentNode || ch.Type == html.DoctypeNode {
			continue
		}
		if ch.Type == html.ElementNode && isFurniture(ch) {
			continue
		}
		if isBlock(ch) {
			flush()
			out = append(out, c.block(ch)...)
			continue
		}
		if ch.Type == html.ElementNode && hasBlockDescendant(ch) {
			// An inline element wrapping paragraphs or headings (a <span>
			// or <font> around the whole text): its blocks stay blocks.
			flush()
			out = append(out, c.children(ch)...)
			continue
		}
		run = append(run, ch)
	}
	flush()
	return out
}

// block renders one block element.
func (c *converter) block(n *html.Node) []string {
	if c.afterLabel && isElem(n, "ul", "ol", "div", "section", "p", "table") {
		if linkDensity(n) > 0.6 {
			return nil
		}
	}
	switch m := attr(n, markAttr); m {
	case markCaption, markCredit:
		if !hasBlockContent(n) || len(textContent(n)) < 300 {
			return c.captionBlock(n)
		}
	case markPullQuote:
		return c.pullQuote(n)
	}
	switch n.Data {
	case "p", "dt", "dd", "summary", "address":
		return c.appendPara(nil, childNodes(n), n)
	case "h1", "h2", "h3", "h4", "h5", "h6":
		return c.heading(n)
	case "ul", "ol":
		return c.list(n)
	case "blockquote":
		return c.blockquote(n)
	case "pre":
		return c.pre(n)
	case "table":
		return c.table(n)
	case "figure":
		return c.figure(n)
	case "figcaption", "caption":
		return c.captionBlock(n)
	case "hr":
		return []string{"---"}
	}
	return c.children(n)
}

func childNodes(n *html.Node) []*html.Node {
	var out []*html.Node
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		out = append(out, ch)
	}
	return out
}

func hasBlockContent(n *html.Node) bool {
	return findFirst(n, func(c *html.Node) bool {
		return c != n && isElem(c, "p", "div", "ul", "ol", "table") && len(textContent(c)) > 200
	}) != nil
}

// appendPara renders inline nodes as one paragraph and applies the paragraph
// rules: furniture text dropped, credit lines become captions, direct speech
// becomes a block quote, a leading copy of the title is dropped.
func (c *converter) appendPara(out []string, nodes []*html.Node, host *html.Node) []string {
	var b strings.Builder
	var alts []string
	for _, n := range nodes {
		c.inline(n, &b, &alts)
	}
	md := finishPara(b.String())
	if md == "" {
		// A block holding only images: a meaningful alt text is its caption.
		for _, a := range alts {
			if meaningfulAlt(a, c.title) {
				out = c.appendCaption(out, a)
			}
		}
		return out
	}
	if lines := strings.Split(md, "  \n"); len(lines) > 1 && c.inQuote == 0 && proseLines(lines) {
		// Paragraphs separated by a single <br>: each line is a paragraph
		// of its own, so speech and captions are judged line by line.
		for _, l := range lines {
			out = c.classify(out, l, nil, nil)
		}
		return out
	}
	return c.classify(out, md, nodes, host)
}

// proseLines reports whether every line reads as a paragraph of prose: at
// least eight words, ending like a sentence. Verse and addresses, whose
// lines are short, keep their line breaks.
func proseLines(lines []string) bool {
	for _, l := range lines {
		p := strings.TrimSpace(plainInline(l))
		if len(strings.Fields(p)) < 8 {
			return false
		}
		r, _ := utf8.DecodeLastRuneInString(p)
		if !strings.ContainsRune(".!?…:\"”»」』)", r) {
			return false
		}
	}
	return true
}

// classify applies the paragraph rules to one rendered paragraph.
func (c *converter) classify(out []string, md string, nodes []*html.Node, host *html.Node) []string {
	plain := plainInline(md)
	if c.afterLabel && nodesLinkDensity(nodes) > 0.6 {
		return out
	}
	c.afterLabel = false
	switch {
	case isFurnitureText(plain):
		c.afterLabel = true
		return out
	case c.inQuote == 0 && !hasLetter(plain):
		return out // a bare count or number left over from a widget
	case isDateLine(plain), isMetaLine(plain), isShoutedLink(nodes, plain):
		return out
	case isLinkRun(nodes):
		return out
	case isCreditLine(plain), isCaptionBeforeCredit(host, plain):
		return c.appendCaption(out, plain)
	case c.lead && (sameText(plain, c.title) || isBylineText(plain, c.author)):
		return out
	}
	c.lead = false
	if c.inQuote == 0 && IsDirectSpeech(plain) {
		md = quoteLines(md)
	}
	return append(out, md)
}

// hasBlockDescendant reports whether an element holds block content.
func hasBlockDescendant(n *html.Node) bool {
	return findFirst(n, func(x *html.Node) bool { return x != n && isBlock(x) }) != nil
}
