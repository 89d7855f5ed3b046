// Package feed turns feed documents (RSS 0.9x/1.0/2.0, Atom 0.3/1.0, JSON
// Feed 1.0/1.1) into model.ParsedFeed: charsets decoded, text sanitized,
// links resolved, dates normalised and a dedupe key on every item. It also
// discovers feeds linked from HTML pages. gofeed enters byline only here.
//
// RSS 2.0/0.9x and Atom 1.0 documents take a fast path (fast.go) that reads
// the bytes directly and yields exactly what gofeed would; anything it is
// not sure of goes to gofeed. Both feed the same normalising code (convert),
// and differential tests and a fuzz target hold the two paths equal.
package feed

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/byline/byline/internal/model"
	"github.com/byline/byline/internal/sanitize"
	"github.com/mmcdole/gofeed"
	jsonfeed "github.com/mmcdole/gofeed/json"
)

// ErrNotFeed means the document is not RSS, Atom or JSON Feed (often an HTML
// page: try Discover).
var ErrNotFeed = errors.New("not a feed")

// futureSlack is how far ahead of now a date may be before it is treated as
// bogus; feeds that schedule posts or get time zones wrong stay a bit ahead.
const futureSlack = 48 * time.Hour

// Parse parses a feed document fetched from feedURL. contentType is the
// response's Content-Type (for its charset); now replaces missing, bogus or
// far-future dates.
func Parse(body []byte, contentType, feedURL string, now time.Time) (model.ParsedFeed, error) {
	pf, _, err := parse(body, contentType, feedURL, now, parseAuto)
	return pf, err
}

// parser chooses the parse path; tests force one or the other.
type parser int

const (
	parseAuto     parser = iota // fast path, gofeed when it declines
	parseGofeed                 // gofeed only
	parseFastOnly               // fast path only: fast is false when it declines
)

func parse(body []byte, contentType, feedURL string, now time.Time, use parser) (pf model.ParsedFeed, fast bool, err error) {
	defer func() {
		if r := recover(); r != nil {
			pf, fast, err = model.ParsedFeed{}, false, fmt.Errorf("parse feed %s: parser crashed: %v", feedURL, r)
		}
	}()
	doc, err := decode(body, contentType)
	if err != nil {
		return model.ParsedFeed{}, false, fmt.Errorf("parse feed %s: %w", feedURL, err)
	}
	if use != parseGofeed && firstByte(doc) == '<' {
		if fd, ok := fastParseSafe(doc); ok {
			return convert(fd, feedURL, now), true, nil
		}
	}
	if use == parseFastOnly {
		return model.ParsedFeed{}, false, nil
	}
	if !isJSON(doc) {
		if err := checkDepth(doc, MaxDepth); err != nil {
			return model.ParsedFeed{}, false, fmt.Errorf("parse feed %s: %w", feedURL, err)
		}
	}
	parser := gofeed.NewParser()
	// byline never uses gofeed's item image; scanning every body's HTML for
	// one costs a quarter of the parse.
	parser.RSSTranslator = &gofeed.DefaultRSSTranslator{DisableContentImageScan: true}
	parser.KeepOriginalFeed = firstByte(doc) == '{' // to tell content_text from content_html
	gf, err := parser.Parse(bytes.NewReader(doc))
	if err != nil {
		if errors.Is(err, gofeed.ErrFeedTypeNotDetected) {
			return model.ParsedFeed{}, false, fmt.Errorf("parse feed %s: %w (no rss, atom or json feed found)", feedURL, ErrNotFeed)
		}
		return model.ParsedFeed{}, false, fmt.Errorf("parse feed %s: %s", feedURL, oneLine(err.Error()))
	}
	plainJSONText(gf)
	return convert(fromGofeed(gf), feedURL, now), false, nil
}

// fastParseSafe runs the fast path; a bug in it sends the document to
// gofeed rather than failing the feed.
func fastParseSafe(doc []byte) (fd feedData, ok bool) {
	defer func() {
		if r := recover(); r != nil {
			fd, ok = feedData{}, false
		}
	}()
	return fastParse(doc)
}

// plainJSONText turns JSON Feed's plain-text fields (content_text, summary)
// into HTML, since Story.Summary and Story.Content hold HTML.
func plainJSONText(gf *gofeed.Feed) {
	orig, ok := gf.OriginalFeed().(*jsonfeed.Feed)
	if !ok || len(orig.Items) != len(gf.Items) {
		return
	}
	for i, it := range gf.Items {
		o := orig.Items[i]
		if it == nil || o == nil {
			continue
		}
		if o.ContentHTML == "" && o.ContentText != "" {
			it.Content = textToHTML(o.ContentText)
		}
		if o.Summary != "" {
			it.Description = textToHTML(o.Summary)
		}
	}
}

// prepare decodes the document to UTF-8 and checks it is safe to hand to the
// parser.
func prepare(body []byte, contentType string) ([]byte, error) {
	doc, err := decode(body, contentType)
	if err != nil || isJSON(doc) {
		return doc, err
	}
	if err := checkDepth(doc, MaxDepth); err != nil {
		return nil, err
	}
	return doc, nil
}

// decode is prepare without the depth check, which the fast path does as it
// reads.
func decode(body []byte, contentType string) ([]byte, error) {
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, fmt.Errorf("%w (empty document)", ErrNotFeed)
	}
	doc := toUTF8(body, contentType)
	doc = stripIllegalXML(cleanEscapes(doc))
	if isJSON(doc) {
		return doc, nil // JSON: encoding/json caps nesting itself
	}
	if err := checkDoctype(doc); err != nil {
		return nil, err
	}
	return doc, nil
}

func isJSON(doc []byte) bool {
	first := firstByte(doc)
	return first == '{' || first == '['
}

func firstByte(b []byte) byte {
	b = bytes.TrimLeft(b, " \t\r\n")
	if len(b) == 0 {
		return 0
	}
	return b[0]
}

// feedData is what either parser extracts from a document, before
// sanitizing: the fields byline uses, as gofeed's translators produce them.
type feedData struct {
	title, link, description string
	items                    []itemData
}

type itemData struct {
	guid, title, description, content, link string
	links                                   []string
	people                                  []person
	published, updated                      time.Time // zero when missing or unparseable
	categories                              []string
	enclosures                              []enclosure
}

type person struct{ name, email string }

type enclosure struct{ url, typ, length string }

// fromGofeed copies the fields byline uses out of gofeed's result.
func fromGofeed(gf *gofeed.Feed) feedData {
	fd := feedData{title: gf.Title, link: gf.Link, description: gf.Description}
	fd.items = make([]itemData, 0, len(gf.Items))
	for _, it := range gf.Items {
		if it == nil {
			continue
		}
		d := itemData{guid: it.GUID, title: it.Title, description: it.Description, content: it.Content,
			link: it.Link, links: it.Links, categories: it.Categories}
		people := it.Authors
		if len(people) == 0 && it.Author != nil {
			people = []*gofeed.Person{it.Author}
		}
		for _, p := range people {
			if p != nil {
				d.people = append(d.people, person{name: p.Name, email: p.Email})
			}
		}
		if it.PublishedParsed != nil {
			d.published = *it.PublishedParsed
		}
		if it.UpdatedParsed != nil {
			d.updated = *it.UpdatedParsed
		}
		for _, e := range it.Enclosures {
			if e != nil {
				d.enclosures = append(d.enclosures, enclosure{url: e.URL, typ: e.Type, length: e.Length})
			}
		}
		fd.items = append(fd.items, d)
	}
	return fd
}

func convert(fd feedData, feedURL string, now time.Time) model.ParsedFeed {
	base := parseBase(feedURL)
	pf := model.ParsedFeed{
		Title:       plainLine(fd.title, 0),
		SiteURL:     resolve(base, fd.link),
		Description: plainLine(fd.description, 2000),
	}
	seen := make(map[string]bool, len(fd.items))
	pf.Items = make([]model.Story, 0, len(fd.items))
	for i := range fd.items {
		s := convertItem(&fd.items[i], base, now)
		if seen[s.Key] {
			continue
		}
		seen[s.Key] = true
		pf.Items = append(pf.Items, s)
	}
	if len(pf.Items) == 0 {
		pf.Items = nil
	}
	return pf
}

func convertItem(it *itemData, base *baseURL, now time.Time) model.Story {
	s := model.Story{
		GUID:    line(it.guid, 2000),
		Title:   plainLine(it.title, 0),
		Author:  author(it.people),
		Summary: bodyText(it.description),
		Content: bodyText(it.content),
	}
	s.URL = resolve(base, it.link)
	if s.URL == "" {
		for _, l := range it.links {
			if s.URL = resolve(base, l); s.URL != "" {
				break
			}
		}
	}
	if s.URL == "" && isPermalink(s.GUID) {
		s.URL = resolve(base, s.GUID)
	}
	s.Published, s.Updated = dates(it.published, it.updated, now)
	s.Key = key(s, it)
	s.Categories = categories(it.categories)
	for _, e := range it.enclosures {
		u := resolve(base, e.url)
		if u == "" {
			continue
		}
		n, _ := strconv.ParseInt(strings.TrimSpace(e.length), 10, 64)
		s.Enclosures = append(s.Enclosures, model.Enclosure{URL: u, Type: line(e.typ, 200), Length: max(n, 0)})
	}
	return s
}

// key is the item's dedupe key: guid, else link, else a hash of title and
// content.
func key(s model.Story, it *itemData) string {
	switch {
	case s.GUID != "":
		return s.GUID
	case s.URL != "":
		return s.URL
	}
	h := sha256.New()
	h.Write([]byte(it.title))
	h.Write([]byte{0})
	if it.content != "" {
		h.Write([]byte(it.content))
	} else {
		h.Write([]byte(it.description))
	}
	return hex.EncodeToString(h.Sum(nil))
}

func isPermalink(guid string) bool {
	return strings.HasPrefix(guid, "http://") || strings.HasPrefix(guid, "https://")
}

func author(people []person) string {
	var names []string
	for _, p := range people {
		n := plainLine(p.name, 200)
		if n == "" {
			n = plainLine(p.email, 200)
		}
		if n != "" {
			names = append(names, n)
		}
	}
	return line(strings.Join(names, ", "), 0)
}

// dates picks Published (falling back to Updated, then now) and Updated,
// replacing far-future values with now.
func dates(pub, upd time.Time, now time.Time) (published, updated time.Time) {
	limit := now.Add(futureSlack)
	valid := func(t time.Time) bool { return !t.IsZero() && t.Year() > 1 }
	if valid(upd) {
		updated = upd.UTC()
		if updated.After(limit) {
			updated = now
		}
	}
	switch {
	case valid(pub):
		published = pub.UTC()
	case !updated.IsZero():
		published = updated
	default:
		published = now
	}
	if published.After(limit) {
		published = now
	}
	return published, updated
}

func categories(in []string) []string {
	var out []string
	for _, c := range in {
		c = plainLine(c, 200)
		if c == "" || seenCategory(out, c) {
			continue
		}
		out = append(out, c)
	}
	return out
}

// seenCategory reports whether c lower-cased equals one of out lower-cased;
// feeds carry a handful of categories per item, so a scan beats a map.
func seenCategory(out []string, c string) bool {
	ascii := isASCIIString(c)
	for _, o := range out {
		if ascii && isASCIIString(o) {
			if asciiEqualFold(o, c) {
				return true
			}
			continue
		}
		//lint:ignore SA6005 gofeed's rule is equal in lower case; EqualFold would also merge "ſ" with "S"
		if strings.ToLower(o) == strings.ToLower(c) {
			return true
		}
	}
	return false
}

func isASCIIString(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

func asciiEqualFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if x >= 'A' && x <= 'Z' {
			x += 'a' - 'A'
		}
		if y >= 'A' && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

// oneLine makes a parser error fit the house style: one line, starting
// lowercase unless the first word is an acronym ("XML syntax error").
func oneLine(s string) string {
	s = sanitize.Line(s, 300)
	if len(s) > 1 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'a' && s[1] <= 'z' {
		s = strings.ToLower(s[:1]) + s[1:]
	}
	return s
}
