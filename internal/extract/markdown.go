package extract

import (
	nurl "net/url"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"

	"github.com/byline/byline/internal/model"
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

// heading renders h1–h6; a leading heading equal to the title is dropped.
func (c *converter) heading(n *html.Node) []string {
	var b strings.Builder
	var alts []string
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		c.inline(ch, &b, &alts)
	}
	md := strings.ReplaceAll(finishPara(b.String()), "  \n", " ")
	md = strings.ReplaceAll(md, "\n", " ")
	if md == "" {
		return nil
	}
	plain := plainInline(md)
	if c.lead && sameText(plain, c.title) {
		return nil
	}
	c.afterLabel = false
	if isFurnitureText(plain) {
		c.afterLabel = true
		return nil
	}
	level := int(n.Data[1] - '0')
	md = strings.TrimPrefix(md, "\\#")
	return []string{strings.Repeat("#", level) + " " + md}
}

func nextElement(n *html.Node) *html.Node {
	for s := n.NextSibling; s != nil; s = s.NextSibling {
		if s.Type == html.ElementNode {
			return s
		}
	}
	return nil
}

// isLinkList reports a list of links (a "Related" or "Read more" list).
func isLinkList(n *html.Node) bool {
	if !isElem(n, "ul", "ol") {
		return false
	}
	return linkDensity(n) > 0.8
}

func sameText(a, b string) bool {
	if b == "" {
		return false
	}
	ka, kb := quoteKey(a), quoteKey(b)
	return ka != "" && ka == kb
}

// list renders ul/ol; a link list right after a "Related" heading is skipped
// by the heading, and the list itself when every item is furniture.
func (c *converter) list(n *html.Node) []string {
	if prev := prevElement(n); prev != nil && isFurnitureText(strings.TrimSpace(textContent(prev))) && isLinkList(n) {
		return nil
	}
	ordered := n.Data == "ol"
	start := 1
	if s, err := strconv.Atoi(attr(n, "start")); err == nil && s >= 0 && s < 1e6 {
		start = s
	}
	var items, lifted []string
	loose := false
	i := start
	for li := n.FirstChild; li != nil; li = li.NextSibling {
		if li.Type != html.ElementNode {
			continue
		}
		if isFurniture(li) {
			continue
		}
		var blocks []string
		if li.Data == "li" {
			c.inQuote++ // list items are never re-classified as speech
			blocks = c.children(li)
			c.inQuote--
		} else {
			blocks = c.block(li)
		}
		if len(blocks) == 0 {
			continue
		}
		if allCaptions(blocks) {
			lifted = append(lifted, blocks...)
			continue
		}
		marker := "- "
		if ordered {
			marker = strconv.Itoa(i) + ". "
			i++
		}
		if len(blocks) > 1 {
			loose = true
		}
		body := strings.Join(blocks, "\n\n")
		items = append(items, marker+indent(body, strings.Repeat(" ", len(marker))))
	}
	if len(items) == 0 {
		return lifted
	}
	c.lead = false
	sep := "\n"
	if loose {
		sep = "\n\n"
	}
	return append(lifted, strings.Join(items, sep))
}

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

// nodesLinkDensity is the share of the nodes' text inside links.
func nodesLinkDensity(nodes []*html.Node) float64 {
	t, l := 0, 0
	for _, n := range nodes {
		t += len(strings.TrimSpace(textContent(n)))
		if isElem(n, "a") {
			l += len(strings.TrimSpace(textContent(n)))
		} else {
			l += linkTextLen(n)
		}
	}
	if t == 0 {
		return 0
	}
	return float64(l) / float64(t)
}

// isLinkRun reports a paragraph that is only a run of three or more links
// (a tag cloud or a list of related stories set as one line).
func isLinkRun(nodes []*html.Node) bool {
	links := 0
	for _, n := range nodes {
		walk(n, func(x *html.Node) bool {
			if isElem(x, "a") {
				links++
				return false
			}
			return true
		})
	}
	return links >= 3 && nodesLinkDensity(nodes) > 0.8
}

func prevElement(n *html.Node) *html.Node {
	for s := n.PrevSibling; s != nil; s = s.PrevSibling {
		if s.Type == html.ElementNode {
			return s
		}
	}
	return nil
}

// indent prefixes every line but the first with pad (blank lines stay blank).
func indent(s, pad string) string {
	lines := strings.Split(s, "\n")
	for i := 1; i < len(lines); i++ {
		if lines[i] != "" {
			lines[i] = pad + lines[i]
		}
	}
	return strings.Join(lines, "\n")
}

// quoteLines prefixes every line with "> ".
func quoteLines(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if l == "" {
			lines[i] = ">"
		} else {
			lines[i] = "> " + l
		}
	}
	return strings.Join(lines, "\n")
}

// blockquote renders any <blockquote>, embeds included, as a block quote
// with its attribution inside.
func (c *converter) blockquote(n *html.Node) []string {
	c.inQuote++
	blocks := c.children(n)
	c.inQuote--
	if len(blocks) == 0 {
		return nil
	}
	c.lead = false
	return []string{quoteLines(strings.Join(blocks, "\n\n"))}
}

// pullQuote renders a pull quote once, where it stands, unless its text
// repeats a body paragraph.
func (c *converter) pullQuote(n *html.Node) []string {
	key := quoteKey(textContent(n))
	if key == "" || c.seenPull[key] {
		return nil
	}
	c.seenPull[key] = true
	if len(key) >= 12 {
		if !c.collected {
			c.collectBodyText(c.root)
			c.collected = true
		}
		for _, t := range c.bodyTexts {
			if strings.Contains(t, key) {
				return nil
			}
		}
	}
	return c.blockquote(n)
}

// pre renders a code block with a fence longer than any backtick run inside.
func (c *converter) pre(n *html.Node) []string {
	text := strings.Trim(cleanText(textContent(n)), "\n")
	if strings.TrimSpace(text) == "" {
		return nil
	}
	fence := "```"
	for strings.Contains(text, fence) {
		fence += "`"
	}
	c.lead = false
	return []string{fence + "\n" + text + "\n" + fence}
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
			for _, ch := range content {
				if isBlock(ch) {
					blocks = append(blocks, c.children(ch)...)
				} else {
					blocks = c.appendPara(blocks, []*html.Node{ch}, nil)
				}
			}
			c.inQuote--
			blocks = append(blocks, escapeText(strings.Join(caption, " ")))
			return []string{quoteLines(strings.Join(blocks, "\n\n"))}
		}
		for _, ch := range content {
			if isBlock(ch) {
				out = append(out, c.block(ch)...)
			} else if ch.Type == html.ElementNode {
				out = c.appendPara(out, []*html.Node{ch}, nil)
			}
		}
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

// isShoutedLink reports a paragraph that is one link in capitals: a
// promoted headline ("TAYLOR SWIFT CLEARED TO PERFORM …").
func isShoutedLink(nodes []*html.Node, plain string) bool {
	if len(plain) > 300 || len(strings.Fields(plain)) < 4 {
		return false
	}
	upper, letters := 0, 0
	for _, r := range plain {
		if unicode.IsLetter(r) {
			letters++
			if unicode.IsUpper(r) {
				upper++
			}
		}
	}
	return letters > 0 && float64(upper) >= 0.9*float64(letters) && nodesLinkDensity(nodes) > 0.9
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

// bylineRe matches a byline paragraph: "By Jane Doe", "Par …", "Von …".
var bylineRe = regexp.MustCompile(`(?i)^(by|par|von|por|di|door|av|af)\s+\S`)

// isBylineText reports a short byline paragraph near the top of the article.
func isBylineText(s, author string) bool {
	if len(strings.Fields(s)) > 10 {
		return false
	}
	if author != "" && (sameText(s, author) || sameText(s, "by "+author)) {
		return true
	}
	if !bylineRe.MatchString(s) || strings.ContainsAny(s, "!?") {
		return false
	}
	// After "By", a byline holds names: capitalised words and connectors.
	for _, w := range strings.Fields(s)[1:] {
		r, _ := utf8.DecodeRuneInString(w)
		if !unicode.IsUpper(r) && !nameConnectors[strings.ToLower(strings.Trim(w, ",&"))] {
			return false
		}
	}
	return true
}

var nameConnectors = map[string]bool{"": true, "and": true, "und": true, "et": true, "y": true, "e": true, "de": true,
	"da": true, "van": true, "von": true, "der": true, "del": true, "la": true, "le": true, "with": true, "in": true, "for": true, "bin": true, "al": true}

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

func hasLetter(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) {
			return true
		}
	}
	return false
}
