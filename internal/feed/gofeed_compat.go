package feed

// Copies of the gofeed v1.4.2 helpers (github.com/mmcdole/gofeed, MIT; its
// licence is in LICENSE.gofeed beside this file) whose exact behaviour the fast path must
// reproduce; gofeed keeps them in an internal package. Dates are in
// gofeed_dates.go. The differential
// tests compare both paths, so an upgrade that changes them shows up there.

import (
	"bytes"
	"html"
	"net/url"
	"regexp"
	"strings"

	xhtml "golang.org/x/net/html"
)

const cdataStart, cdataEnd = "<![CDATA[", "]]>"

// gfStripCDATA is gofeed's StripCDATA: CDATA sections verbatim, entities
// decoded elsewhere.
func gfStripCDATA(str string) string {
	var buf strings.Builder
	curr := 0
	for curr < len(str) {
		start := indexAt(str, cdataStart, curr)
		if start == -1 {
			buf.WriteString(gfDecodeEntities(str[curr:]))
			return buf.String()
		}
		buf.WriteString(gfDecodeEntities(str[curr:start]))
		end := indexAt(str, cdataEnd, start+len(cdataStart))
		if end == -1 {
			buf.WriteString(gfDecodeEntities(str[start:]))
			return buf.String()
		}
		buf.WriteString(str[start+len(cdataStart) : end])
		curr = end + len(cdataEnd)
	}
	return buf.String()
}

func indexAt(str, substr string, start int) int {
	idx := strings.Index(str[start:], substr)
	if idx > -1 {
		idx += start
	}
	return idx
}

const maxEntityLen = 64

// gfDecodeEntities is gofeed's DecodeEntities: HTML entities decoded, a bare
// or unknown '&' kept.
func gfDecodeEntities(str string) string {
	if strings.IndexByte(str, '&') == -1 {
		return str
	}
	return string(appendEntities(make([]byte, 0, len(str)), []byte(str)))
}

// appendEntities appends data with its entities decoded as
// gfDecodeEntities decodes them.
func appendEntities(buf, data []byte) []byte {
	for len(data) > 0 {
		idx := bytes.IndexByte(data, '&')
		if idx == -1 {
			return append(buf, data...)
		}
		buf = append(buf, data[:idx]...)
		data = data[idx:]
		window := data
		if len(window) > maxEntityLen {
			window = window[:maxEntityLen]
		}
		end := bytes.IndexByte(window, ';')
		if end == -1 && len(window) == len(data) {
			return append(buf, data...)
		}
		if end == -1 || hasSpace(data[1:end]) {
			buf = append(buf, '&')
			data = data[1:]
			continue
		}
		if r, ok := commonEntity(data[1:end]); ok {
			buf = append(buf, r) // what the general case below decodes it to
			data = data[end+1:]
			continue
		}
		span := string(data[:end+1])
		dec := html.UnescapeString(span)
		if dec == html.UnescapeString(span[:len(span)-1])+";" {
			buf = append(buf, '&')
			data = data[1:]
			continue
		}
		buf = append(buf, dec...)
		data = data[end+1:]
	}
	return buf
}

// hasSpace reports whether b holds a space, tab, CR or LF.
func hasSpace(b []byte) bool {
	for _, c := range b {
		if c == ' ' || c == '\t' || c == '\r' || c == '\n' {
			return true
		}
	}
	return false
}

// commonEntity decodes the entities escaped HTML is made of, sparing
// appendEntities two html.UnescapeString calls each: the named ones markup
// needs and numeric references to printable ASCII.
func commonEntity(name []byte) (byte, bool) {
	switch string(name) {
	case "lt":
		return '<', true
	case "gt":
		return '>', true
	case "amp":
		return '&', true
	case "quot":
		return '"', true
	}
	if len(name) < 2 || len(name) > 4 || name[0] != '#' {
		return 0, false
	}
	v := 0
	for _, c := range name[1:] {
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + int(c-'0')
	}
	if v < 0x20 || v > 0x7e {
		return 0, false
	}
	return byte(v), true
}

var (
	emailNameRgx = regexp.MustCompile(`^([^@]+@[^\s]+)\s+\(([^@]+)\)$`)
	nameEmailRgx = regexp.MustCompile(`^([^@]+)\s+\(([^@]+@[^)]+)\)$`)
	nameOnlyRgx  = regexp.MustCompile(`^([^@()]+)$`)
	emailOnlyRgx = regexp.MustCompile(`^([^@()]+@[^@()]+)$`)
)

// gfNameAddress is gofeed's ParseNameAddress for RSS author strings.
func gfNameAddress(text string) (name, address string) {
	if text == "" {
		return
	}
	if strings.IndexByte(text, '@') < 0 && strings.IndexByte(text, '(') < 0 && strings.IndexByte(text, ')') < 0 {
		return text, "" // what nameOnlyRgx, the only one that can match, captures
	}
	return gfNameAddressRgx(text)
}

// gfNameAddressRgx is gofeed's ParseNameAddress as written: the regexps in
// turn. Tests hold gfNameAddress's shortcut to it.
func gfNameAddressRgx(text string) (name, address string) {
	if text == "" {
		return
	}
	if m := emailNameRgx.FindStringSubmatch(text); m != nil {
		return m[2], m[1]
	}
	if m := nameEmailRgx.FindStringSubmatch(text); m != nil {
		return m[1], m[2]
	}
	if m := nameOnlyRgx.FindStringSubmatch(text); m != nil {
		return m[1], ""
	}
	if m := emailOnlyRgx.FindStringSubmatch(text); m != nil {
		return "", m[1]
	}
	return
}

// gfBaseResolve is gofeed's XmlBaseResolveUrl.
func gfBaseResolve(b *url.URL, u string) (*url.URL, error) {
	relURL, err := url.Parse(strings.TrimLeft(u, " "))
	if err != nil {
		return nil, err
	}
	if b == nil {
		return relURL, nil
	}
	base := *b
	if base.Path != "" && u != "" && base.Path[len(base.Path)-1] != '/' {
		base.Path = base.Path + "/"
	}
	return base.ResolveReference(relURL), nil
}

// gfResolveIfBase is gofeed's ResolveURLIfBase.
func gfResolveIfBase(base *url.URL, s string) string {
	if base == nil || s == "" {
		return s
	}
	if abs, err := gfBaseResolve(base, s); err == nil && abs != nil {
		return abs.String()
	}
	return s
}

var htmlURIAttrs = map[string]bool{
	"action": true, "background": true, "cite": true, "codebase": true, "data": true, "href": true,
	"poster": true, "profile": true, "scheme": true, "src": true, "uri": true, "usemap": true,
}

// gfResolveHTML is gofeed's ResolveHTML: URI attributes made absolute
// against an xml:base.
func gfResolveHTML(base *url.URL, relHTML string) string {
	if base == nil {
		return relHTML
	}
	doc, err := xhtml.Parse(strings.NewReader(relHTML))
	if err != nil {
		return relHTML
	}
	var visit func(*xhtml.Node)
	visit = func(n *xhtml.Node) {
		if n.Type == xhtml.ElementNode {
			for i, a := range n.Attr {
				if htmlURIAttrs[a.Key] {
					if absVal, err := gfBaseResolve(base, a.Val); absVal != nil && err == nil {
						n.Attr[i].Val = absVal.String()
					}
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			visit(c)
		}
	}
	visit(doc)
	var w bytes.Buffer
	if err := xhtml.Render(&w, doc); err != nil {
		return relHTML
	}
	out := strings.TrimPrefix(w.String(), "<html><head></head><body>")
	return strings.TrimSuffix(out, "</body></html>")
}
