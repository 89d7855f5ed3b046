// Package extract turns a web page into a reader-mode model.Article whose body
// is byline's canonical Markdown (see docs/extraction.md). It is pure: no
// network, no database. go-readability finds the article; byline's own passes
// then remove page furniture, classify quotes and captions and write Markdown.
package extract

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"
	nurl "net/url"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	readability "codeberg.org/readeck/go-readability/v2"
	"golang.org/x/net/html"
	"golang.org/x/net/html/charset"

	"github.com/byline/byline/internal/model"
	"github.com/byline/byline/internal/sanitize"
)

// DefaultMaxElements is the element limit used when Options.MaxElements is 0.
const DefaultMaxElements = 100_000

// maxDepth is the deepest element nesting kept: real articles stay far below
// it, and deeper subtrees (hostile or broken pages) are pruned so that no
// recursive pass can blow up.
const maxDepth = 256

// Options tunes Extract.
type Options struct {
	MaxElements int // refuse pages with more elements than this; default 100k
}

// Errors returned by Extract. Callers fall back to the feed's content on any
// error; these let them say why.
var (
	ErrNotHTML  = errors.New("not an HTML page")
	ErrTooLarge = errors.New("page has too many elements")
	ErrNoBody   = errors.New("no article body found")
)

// Extract finds the article in page (raw bytes as fetched, contentType from the
// HTTP header, pageURL the final URL) and returns it with a canonical Markdown
// body. Every string is sanitized. Source is model.SourceExtracted and
// ExtractedAt is left zero for the caller to set.
func Extract(page []byte, contentType, pageURL string, o Options) (a model.Article, err error) {
	defer func() {
		if r := recover(); r != nil {
			a, err = model.Article{}, fmt.Errorf("extract %s: internal error: %v", pageURL, r)
		}
	}()
	if o.MaxElements <= 0 {
		o.MaxElements = DefaultMaxElements
	}
	doc, err := parsePage(page, contentType, o.MaxElements)
	if err != nil {
		return model.Article{}, fmt.Errorf("extract %s: %w", pageURL, err)
	}
	base, _ := nurl.Parse(pageURL)
	if base != nil && base.Scheme == "" {
		base = nil
	}
	if b := baseHref(doc, base); b != nil {
		base = b
	}
	meta := readMeta(doc)
	prepare(doc)

	p := readability.NewParser()
	p.KeepClasses = true // the Markdown pass reads class names (captions, pull quotes)
	p.MaxElemsToParse = o.MaxElements
	ra, err := p.ParseAndMutate(doc, base)
	if err != nil {
		return model.Article{}, fmt.Errorf("extract %s: %w", pageURL, err)
	}
	if ra.Node == nil {
		return model.Article{}, fmt.Errorf("extract %s: %w", pageURL, ErrNoBody)
	}
	title := sanitize.Line(cleanSpace(ra.Title()), 0)
	if title == "" {
		title = sanitize.Line(cleanSpace(meta.title), 0)
	}
	c := newConverter(base)
	c.title = title
	c.author = cleanSpace(ra.Byline())
	md := c.convert(ra.Node)
	if !hasBodyText(md) {
		return model.Article{}, fmt.Errorf("extract %s: %w", pageURL, ErrNoBody)
	}
	a = model.Article{
		URL:      sanitize.URL(pageURL),
		Title:    title,
		Author:   sanitize.Line(cleanSpace(ra.Byline()), 0),
		Site:     sanitize.Line(cleanSpace(ra.SiteName()), 0),
		ImageURL: sanitize.URL(resolve(base, ra.ImageURL())),
		Markdown: md,
		Source:   model.SourceExtracted,
	}
	if t, err := ra.PublishedTime(); err == nil {
		a.Published = t
	} else if !meta.published.IsZero() {
		a.Published = meta.published
	}
	if a.ImageURL != "" {
		a.ImageCaption = sanitize.Line(c.captionFor(a.ImageURL), 0)
	}
	return a, nil
}

// parsePage decodes page to UTF-8 (Content-Type, BOM, then <meta> charset) and
// parses it, refusing binary input and pages beyond maxElems elements. Nesting
// deeper than maxDepth is pruned.
func parsePage(page []byte, contentType string, maxElems int) (*html.Node, error) {
	if looksBinary(page) {
		return nil, ErrNotHTML
	}
	body, err := decode(page, contentType)
	if err != nil {
		return nil, err
	}
	if n := countStartTags(body, maxElems); n > maxElems {
		return nil, fmt.Errorf("%w: more than %d", ErrTooLarge, maxElems)
	}
	doc, err := html.Parse(bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("parse: %w", err)
	}
	pruneDepth(doc, maxDepth)
	return doc, nil
}

// decode converts page to UTF-8. A charset named in the Content-Type header
// wins; without one, a page that is valid UTF-8 is taken as UTF-8 even when a
// <meta> tag says otherwise (saved and re-served pages keep stale meta tags,
// and non-ASCII text in a legacy charset is almost never valid UTF-8); else
// the BOM, <meta> and content sniffing decide.
func decode(page []byte, contentType string) ([]byte, error) {
	if _, params, err := mime.ParseMediaType(contentType); err != nil || params["charset"] == "" {
		if utf8.Valid(page) {
			return page, nil
		}
	}
	r, err := charset.NewReader(bytes.NewReader(page), contentType)
	if err != nil {
		return page, nil
	}
	body, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("decode: %w", err)
	}
	return body, nil
}

// looksBinary reports whether b is clearly not text: a PDF or image magic
// number, or NUL bytes near the start.
func looksBinary(b []byte) bool {
	head := b[:min(len(b), 1024)]
	for _, magic := range []string{"%PDF", "\x89PNG", "GIF8", "\xff\xd8\xff", "PK\x03\x04", "\x1f\x8b"} {
		if bytes.HasPrefix(head, []byte(magic)) {
			return true
		}
	}
	return bytes.Count(head, []byte{0}) > 8
}

// countStartTags counts "<" followed by a letter: every start tag, plus
// the odd one inside a script or comment, so it errs on the safe side. A
// byte scan costs far less than tokenizing, and checking before html.Parse
// keeps hostile pages from costing a full tree.
func countStartTags(body []byte, limit int) int {
	n := 0
	for i := 0; i+1 < len(body); i++ {
		if body[i] == '<' && isASCIILetter(body[i+1]) {
			n++
			if n > limit {
				return n
			}
		}
	}
	return n
}

// pruneDepth removes the children of every element at depth max, iteratively
// so that the pass itself cannot recurse too deep.
func pruneDepth(doc *html.Node, max int) {
	type item struct {
		n *html.Node
		d int
	}
	stack := []item{{doc, 0}}
	for len(stack) > 0 {
		it := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if it.d >= max {
			for c := it.n.FirstChild; c != nil; {
				next := c.NextSibling
				it.n.RemoveChild(c)
				c = next
			}
			continue
		}
		for c := it.n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.ElementNode {
				stack = append(stack, item{c, it.d + 1})
			}
		}
	}
}

// baseHref returns the document's <base href> resolved against page, if any.
func baseHref(doc *html.Node, page *nurl.URL) *nurl.URL {
	b := findFirst(doc, func(n *html.Node) bool {
		return n.Type == html.ElementNode && n.Data == "base" && attr(n, "href") != ""
	})
	if b == nil {
		return nil
	}
	u, err := nurl.Parse(strings.TrimSpace(attr(b, "href")))
	if err != nil {
		return nil
	}
	if page != nil {
		u = page.ResolveReference(u)
	}
	if u.Scheme == "" || u.Host == "" {
		return nil
	}
	return u
}

// pageMeta is metadata read from the whole page before readability mutates it.
type pageMeta struct {
	title     string
	published time.Time
}

func readMeta(doc *html.Node) pageMeta {
	var m pageMeta
	walk(doc, func(n *html.Node) bool {
		if n.Type != html.ElementNode {
			return true
		}
		switch n.Data {
		case "title":
			if m.title == "" {
				m.title = textContent(n)
			}
		case "meta":
			prop := strings.ToLower(attr(n, "property") + attr(n, "name") + attr(n, "itemprop"))
			if m.published.IsZero() && (prop == "article:published_time" || prop == "datepublished") {
				if t, err := time.Parse(time.RFC3339, strings.TrimSpace(attr(n, "content"))); err == nil {
					m.published = t
				}
			}
		case "body":
			return false
		}
		return true
	})
	return m
}

// hasBodyText reports whether md holds a block with letters or digits that is
// not a caption line: a body made only of captions is no article.
func hasBodyText(md string) bool {
	for _, b := range strings.Split(md, "\n\n") {
		if model.IsCaptionLine(b) {
			continue
		}
		for _, r := range b {
			if unicode.IsLetter(r) || unicode.IsDigit(r) {
				return true
			}
		}
	}
	return false
}
