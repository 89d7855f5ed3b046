package feed

import (
	"bytes"
	"net/url"
	"strings"
	"time"
)

// The fast path reads RSS 2.0/0.9x and Atom 1.0 straight from the decoded
// bytes and produces the feedData gofeed's parsers and translators would,
// for a tenth of the work. Whenever a document holds something whose gofeed
// reading it does not reproduce exactly (RDF, Atom 0.3, a DOCTYPE, xhtml or
// base64 content, iTunes or Atom fields a translator would fall back on,
// unusual namespaces, markup encoding/xml reads leniently) it declines and
// Parse uses gofeed. The differential tests hold it to that.

const (
	nsAtom10    = "http://www.w3.org/2005/Atom"
	nsAtom03    = "http://purl.org/atom/ns#"
	nsContent   = "http://purl.org/rss/1.0/modules/content/"
	nsDC        = "http://purl.org/dc/elements/1.1/"
	nsITunes    = "http://www.itunes.com/DTDs/PodCast-1.0.dtd"
	nsITunesAlt = "http://example.com/DTDs/PodCast-1.0.dtd"
	nsXML       = "http://www.w3.org/XML/1998/namespace"
	nsRDF       = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
	nsRSS10     = "http://purl.org/rss/1.0/"
	nsRSS09     = "http://channel.netscape.com/rdf/simple/0.9/"
	nsRSS09Alt  = "http://my.netscape.com/rdf/simple/0.9/"

	// detectionPeek is how much of the document gofeed reads to find the
	// root element.
	detectionPeek = 4096
)

// knownPrefixes are the prefixes gofeed's translators look extensions up
// by. gofeed keys an extension in an unknown namespace by the prefix the
// feed declared for it, so one of these bound to another URI would still be
// read; such documents go to gofeed.
var knownPrefixes = map[string][2]string{
	"dc":      {nsDC, nsDC},
	"content": {nsContent, nsContent},
	"itunes":  {nsITunes, nsITunesAlt},
	"atom":    {nsAtom10, nsAtom03},
	"atom10":  {nsAtom10, nsAtom03},
	"atom03":  {nsAtom10, nsAtom03},
}

type nsBinding struct{ prefix, uri string }

type fastParser struct {
	s         scanner
	ns        []nsBinding
	defaultNS string
	t         xtag
	buf       []byte   // scratch for entities
	lb        [16]byte // scratch for lower
	links     []atomLink
}

// fastParse returns ok false when the document should go to gofeed.
func fastParse(doc []byte) (fd feedData, ok bool) {
	p := &fastParser{s: scanner{b: doc}}
	var root xtag
	if p.s.next(&root) != tokStart || root.empty || root.end > detectionPeek || len(root.prefix) != 0 {
		return feedData{}, false
	}
	for _, a := range root.attrs {
		if len(a.prefix) == 0 && string(a.local) == "xmlns" {
			p.defaultNS = strings.TrimSpace(attrValue(a.raw))
		}
	}
	if _, ok := p.openNS(&root, true); !ok {
		return feedData{}, false
	}
	base := elemBase(nil, &root)
	switch string(root.local) {
	case "rss":
		if p.defaultNS != "" {
			return feedData{}, false
		}
		fd, ok = p.rss(&root, base)
	case "feed":
		if p.defaultNS != "" && p.defaultNS != nsAtom10 {
			return feedData{}, false
		}
		fd, ok = p.atom(&root, base)
	}
	// The fast path kept nesting within its depth limit up to the root's end
	// tag; what follows is never parsed but checkDepth still reads it.
	if !ok || checkDepth(doc[p.s.i:], MaxDepth) != nil {
		return feedData{}, false
	}
	return fd, true
}

// child reads the next child of the element open; done is true at its end
// tag. The child's namespace declarations are in scope until p.ns is cut
// back to mark.
func (p *fastParser) child(open *xtag) (el xtag, space string, mark int, done, ok bool) {
	switch p.s.next(&p.t) {
	case tokEnd:
		if !bytes.Equal(p.t.local, open.local) || !bytes.Equal(p.t.prefix, open.prefix) {
			return el, "", 0, false, false
		}
		return el, "", 0, true, true
	case tokStart:
		el = p.t
		if mark, ok = p.openNS(&el, false); !ok {
			return el, "", 0, false, false
		}
		if space, ok = p.space(el.prefix); !ok {
			return el, "", 0, false, false
		}
		return el, space, mark, false, true
	}
	return el, "", 0, false, false
}

// openNS brings t's namespace declarations into scope.
func (p *fastParser) openNS(t *xtag, root bool) (mark int, ok bool) {
	mark = len(p.ns)
	others := false
	for _, a := range t.attrs {
		switch {
		case len(a.prefix) == 0 && string(a.local) == "xmlns":
			if !root {
				return mark, false // a nested default namespace changes what is native
			}
		case string(a.prefix) == "xmlns":
			prefix, uri := string(a.local), strings.TrimSpace(attrValue(a.raw))
			if uri == "" || uri == nsXML || prefix == "xml" || prefix == "xmlns" {
				return mark, false
			}
			if want, known := knownPrefixes[prefix]; known && uri != want[0] && uri != want[1] {
				return mark, false
			}
			p.ns = append(p.ns, nsBinding{prefix, uri})
		case string(a.prefix) == "xml" || len(a.prefix) == 0:
		default:
			others = true
		}
	}
	if others {
		for _, a := range t.attrs {
			if len(a.prefix) > 0 && string(a.prefix) != "xml" && string(a.prefix) != "xmlns" {
				if _, ok := p.space(a.prefix); !ok {
					return mark, false
				}
			}
		}
	}
	return mark, true
}

// space resolves an element prefix to its namespace URI.
func (p *fastParser) space(prefix []byte) (string, bool) {
	if len(prefix) == 0 {
		return p.defaultNS, true
	}
	for i := len(p.ns) - 1; i >= 0; i-- {
		if p.ns[i].prefix == string(prefix) {
			return p.ns[i].uri, true
		}
	}
	return "", false // undeclared: encoding/xml keeps the bare prefix
}

// inner skips the element t opened and returns its raw inner XML.
func (p *fastParser) inner(t *xtag) ([]byte, bool) {
	end, ok := p.s.skip(t)
	if !ok {
		return nil, false
	}
	return p.s.b[t.end:end], true
}

// text is gofeed's ParseText on the element t opened.
func (p *fastParser) text(t *xtag) (string, bool) {
	in, ok := p.inner(t)
	if !ok {
		return "", false
	}
	in = bytes.TrimSpace(in)
	if body, ok := soleCDATA(in); ok {
		return string(body), true // what gfStripCDATA returns, without its copy
	}
	if bytes.Contains(in, cdataOpen) {
		return gfStripCDATA(string(in)), true
	}
	return p.entities(in), true
}

// entities is gfDecodeEntities on raw bytes, decoding into p's scratch
// buffer so that only the result is copied.
func (p *fastParser) entities(in []byte) string {
	if bytes.IndexByte(in, '&') < 0 {
		return string(in)
	}
	p.buf = appendEntities(p.buf[:0], in)
	return string(p.buf)
}

// soleCDATA returns the content of b when b is exactly one CDATA section.
func soleCDATA(b []byte) ([]byte, bool) {
	if !bytes.HasPrefix(b, cdataOpen) || !bytes.HasSuffix(b, cdataEndB) || len(b) < len(cdataOpen)+len(cdataEndB) {
		return nil, false
	}
	body := b[len(cdataOpen) : len(b)-len(cdataEndB)]
	if bytes.Contains(body, cdataEndB) {
		return nil, false
	}
	return body, true
}

// extValue is the value gofeed gives an extension element: its own
// character data, decoded and trimmed. Child elements send the document to
// gofeed.
func (p *fastParser) extValue(t *xtag) (string, bool) {
	in, ok := p.inner(t)
	if !ok {
		return "", false
	}
	s, ok := decodeCharData(in)
	return strings.TrimSpace(s), ok
}

// attr is goxpp's Attribute: the first unprefixed attribute of that name,
// else the first prefixed one.
func attr(t *xtag, name string) (string, bool) {
	var fallback *xattr
	for i := range t.attrs {
		a := &t.attrs[i]
		if string(a.local) != name {
			continue
		}
		if len(a.prefix) == 0 {
			return attrValue(a.raw), true
		}
		if fallback == nil {
			fallback = a
		}
	}
	if fallback != nil {
		return attrValue(fallback.raw), true
	}
	return "", false
}

// lastAttr is what encoding/xml unmarshals into an `xml:"name,attr"` field:
// the last attribute with that local name, whatever its namespace.
func lastAttr(t *xtag, name string) string {
	for i := len(t.attrs) - 1; i >= 0; i-- {
		if string(t.attrs[i].local) == name {
			return attrValue(t.attrs[i].raw)
		}
	}
	return ""
}

// uriAttr is an href-like attribute after gofeed resolved it against the
// element's xml:base.
func uriAttr(t *xtag, name string, base *url.URL) string {
	v, ok := attr(t, name)
	if !ok {
		return ""
	}
	return gfResolveURI(base, v)
}

// gfResolveURI is v resolved against base by gfBaseResolve and spelled out
// again, v itself when that fails.
func gfResolveURI(base *url.URL, v string) string {
	if base == nil && plainURI(v) {
		return v // what url.Parse and String give back
	}
	if abs, err := gfBaseResolve(base, v); err == nil && abs != nil {
		return abs.String()
	}
	return v
}

// elemBase is goxpp's xml:base scoping: the element's own xml:base resolved
// against its parent's.
func elemBase(parent *url.URL, t *xtag) *url.URL {
	for i := range t.attrs {
		a := &t.attrs[i]
		if string(a.prefix) != "xml" || string(a.local) != "base" {
			continue
		}
		raw := attrValue(a.raw)
		if raw == "" {
			return parent
		}
		u, err := url.Parse(raw)
		if err != nil {
			return parent
		}
		if parent != nil {
			u = parent.ResolveReference(u)
		}
		return u
	}
	return parent
}

// lower is an ASCII-lowercased tag name, as gofeed matches names, in buf
// when b has capitals: switch on string(lower(…)) does not allocate.
func lower(buf *[16]byte, b []byte) []byte {
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			if len(b) > len(buf) {
				return bytes.ToLower(b)
			}
			n := copy(buf[:], b)
			for j := i; j < n; j++ {
				if c := buf[j]; c >= 'A' && c <= 'Z' {
					buf[j] = c + 'a' - 'A'
				}
			}
			return buf[:n]
		}
	}
	return b
}

// date is gofeed's parsed date: set is false when there was none or it did
// not parse.
type date struct {
	t   time.Time
	set bool
}

// parseDate is gofeed's parsed date as an instant: the fast path only
// hands dates to convert, which uses their instant, so the common shapes
// skip the layouts that fail before gofeed's first match (each failure
// allocates a time.ParseError). TestParseDateInstant holds it to
// quickParseDate.
func parseDate(s string) date {
	d := strings.TrimSpace(s)
	if t, ok := rfc1123UTC(d); ok {
		return date{t, true}
	}
	if len(d) >= 20 && d[4] == '-' && d[10] == 'T' {
		// gofeed's first layout, RFC 822, needs a space where RFC 3339 has
		// a digit: RFC 3339 is the first layout that can match.
		if t, err := time.Parse(time.RFC3339, d); err == nil {
			return date{t, true}
		}
	}
	t, err := quickParseDate(s)
	return date{t, err == nil}
}

var (
	shortDays   = [...]string{"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"}
	shortMonths = [...]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}
)

// rfc1123UTC reads "Mon, 02 Jan 2006 15:04:05 -0700" (gofeed's first match
// is time.RFC1123Z) and the same with GMT or UTC (time.RFC1123; GMT is
// pinned to offset 0) as the instant gofeed's date has, in UTC. It only
// takes years from 100 on, so the year convert checks is above 1 in any
// zone; anything else is left to quickParseDate.
func rfc1123UTC(d string) (time.Time, bool) {
	const shape = "Aaa, 00 Aaa 0000 00:00:00 "
	if len(d) != len(shape)+3 && len(d) != len(shape)+5 {
		return time.Time{}, false
	}
	for i := 0; i < len(shape); i++ {
		c := d[i]
		switch shape[i] {
		case 'A', 'a':
			// checked against the names below
		case '0':
			if c < '0' || c > '9' {
				return time.Time{}, false
			}
		default:
			if c != shape[i] {
				return time.Time{}, false
			}
		}
	}
	known := false
	for _, n := range shortDays {
		known = known || d[0:3] == n
	}
	month := 0
	for i, n := range shortMonths {
		if d[8:11] == n {
			month = i + 1
		}
	}
	if !known || month == 0 {
		return time.Time{}, false
	}
	num := func(i int) int { return int(d[i]-'0')*10 + int(d[i+1]-'0') }
	day, year := num(5), num(12)*100+num(14)
	hour, minute, sec := num(17), num(20), num(23)
	if year < 100 || day < 1 || day > daysIn(month, year) || hour > 23 || minute > 59 || sec > 59 {
		return time.Time{}, false
	}
	offset := 0
	switch zone := d[len(shape):]; {
	case zone == "GMT" || zone == "UTC":
	case len(zone) == 5 && (zone[0] == '+' || zone[0] == '-'):
		for _, c := range zone[1:] {
			if c < '0' || c > '9' {
				return time.Time{}, false
			}
		}
		zh, zm := num(len(shape)+1), num(len(shape)+3)
		if zh > 24 || zm > 60 {
			return time.Time{}, false
		}
		offset = (zh*60 + zm) * 60
		if zone[0] == '-' {
			offset = -offset
		}
	default:
		return time.Time{}, false
	}
	t := time.Date(year, time.Month(month), day, hour, minute, sec, 0, time.UTC)
	return t.Add(-time.Duration(offset) * time.Second), true
}

func daysIn(month, year int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// quickParseDate is gfParseDate without its slowest case: RSS's usual
// "Mon, 02 Jan 2006 15:04:05 GMT" fails every numeric-zone layout (over a
// hundred time.Parse calls) before a named-zone one matches. No numeric
// layout can end in a zone name, so for that exact shape the search starts
// at the named-zone layouts; TestQuickParseDate holds the two equal.
func quickParseDate(ds string) (time.Time, error) {
	d := strings.TrimSpace(ds)
	if !isRFC1123Named(d) {
		return gfParseDate(ds)
	}
	for _, f := range gfDateFormatsNamedZone {
		t, err := time.Parse(f, d)
		if err != nil {
			continue
		}
		if name, offset := t.Zone(); name != "" {
			if want, ok := gfZoneAbbrevs[name]; ok && want != offset {
				t = time.Date(t.Year(), t.Month(), t.Day(), t.Hour(),
					t.Minute(), t.Second(), t.Nanosecond(), time.FixedZone(name, want))
			}
		}
		return t, nil
	}
	return gfParseDate(ds)
}

// isRFC1123Named matches "Www, DD Mmm YYYY hh:mm:ss ZZZ" with a three-letter
// zone other than UT-like literals some numeric layouts spell out.
func isRFC1123Named(d string) bool {
	const shape = "Aaa, 00 Aaa 0000 00:00:00 AAA"
	if len(d) != len(shape) {
		return false
	}
	for i := 0; i < len(shape); i++ {
		c := d[i]
		switch shape[i] {
		case 'A':
			if c < 'A' || c > 'Z' {
				return false
			}
		case 'a':
			if c < 'a' || c > 'z' {
				return false
			}
		case '0':
			if c < '0' || c > '9' {
				return false
			}
		default:
			if c != shape[i] {
				return false
			}
		}
	}
	return true
}
