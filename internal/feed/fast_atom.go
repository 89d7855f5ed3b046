package feed

import (
	"bytes"
	"net/url"
	"strings"
)

func nativeAtom(space string) bool {
	return space == "" || space == nsAtom10 || space == nsAtom03
}

type atomLink struct{ href, rel, typ, length string }

// atom reads an Atom 1.0 <feed>.
func (p *fastParser) atom(root *xtag, base *url.URL) (feedData, bool) {
	var fd feedData
	var links []atomLink
	for {
		el, space, mark, done, ok := p.child(root)
		if !ok {
			return feedData{}, false
		}
		if done {
			break
		}
		elBase := elemBase(base, &el)
		name := string(lower(&p.lb, el.local))
		if !nativeAtom(space) {
			name = ""
		}
		switch name {
		case "title":
			fd.title, ok = p.atomText(&el, elBase)
		case "subtitle", "tagline":
			fd.description, ok = p.atomText(&el, elBase)
		case "link":
			var l atomLink
			if l, ok = p.atomLink(&el, elBase); ok {
				links = append(links, l)
			}
		case "entry":
			var it itemData
			if it, ok = p.entry(&el, elBase); ok {
				fd.items = append(fd.items, it)
			}
		default:
			_, ok = p.s.skip(&el)
		}
		if !ok {
			return feedData{}, false
		}
		p.ns = p.ns[:mark]
	}
	for _, l := range links {
		if l.rel == "alternate" {
			fd.link = l.href
			break
		}
	}
	return fd, true
}

func (p *fastParser) atomLink(el *xtag, base *url.URL) (atomLink, bool) {
	l := atomLink{href: uriAttr(el, "href", base)}
	l.rel, _ = attr(el, "rel")
	if l.rel == "" {
		l.rel = "alternate"
	}
	if l.rel == "enclosure" { // the only links whose type and length are read
		l.typ, _ = attr(el, "type")
		l.length, _ = attr(el, "length")
	}
	_, ok := p.s.skip(el)
	return l, ok
}

// entry is gofeed's atom parseEntry plus DefaultAtomTranslator.
func (p *fastParser) entry(el *xtag, base *url.URL) (itemData, bool) {
	var it itemData
	var published, updated date
	if el.empty {
		return it, true
	}
	links := p.links[:0] // scratch: only the chosen hrefs outlive the entry
	defer func() { p.links = links[:0] }()
	for {
		c, space, mark, done, ok := p.child(el)
		if !ok {
			return itemData{}, false
		}
		if done {
			break
		}
		cBase := elemBase(base, &c)
		name := string(lower(&p.lb, c.local))
		if !nativeAtom(space) {
			name = ""
		}
		var s string
		switch name {
		case "title":
			it.title, ok = p.atomText(&c, cBase)
		case "id":
			it.guid, ok = p.atomText(&c, cBase)
		case "summary":
			it.description, ok = p.atomText(&c, cBase)
		case "content":
			it.content, ok = p.atomText(&c, cBase)
		case "updated", "modified":
			if s, ok = p.atomText(&c, cBase); ok {
				updated = parseDate(s)
			}
		case "published", "issued":
			if s, ok = p.atomText(&c, cBase); ok {
				published = parseDate(s)
			}
		case "link":
			var l atomLink
			if l, ok = p.atomLink(&c, cBase); ok {
				links = append(links, l)
			}
		case "author":
			var who person
			if who, ok = p.atomPerson(&c, cBase); ok {
				it.people = append(it.people, who)
			}
		case "category":
			term, _ := attr(&c, "term")
			label, _ := attr(&c, "label")
			if label != "" {
				term = label
			}
			it.categories = append(it.categories, term)
			_, ok = p.s.skip(&c)
		default:
			_, ok = p.s.skip(&c)
		}
		if !ok {
			return itemData{}, false
		}
		p.ns = p.ns[:mark]
	}
	if !published.set {
		published = updated
	}
	// gofeed's Atom parser stores dates in UTC (parseDateUTC); its RSS
	// translator leaves dc:date in its own zone, and dates() checks the year
	// in whatever zone it gets.
	it.published, it.updated = published.t.UTC(), updated.t.UTC()
	alternate := false
	for _, l := range links {
		if l.rel == "alternate" && !alternate {
			it.link, alternate = l.href, true
		}
		switch l.rel {
		case "", "alternate", "self":
			it.links = append(it.links, l.href)
		case "enclosure":
			it.enclosures = append(it.enclosures, enclosure{url: l.href, typ: l.typ, length: l.length})
		}
	}
	return it, true
}

// atomPerson is gofeed's parsePerson: children matched by name alone.
func (p *fastParser) atomPerson(el *xtag, base *url.URL) (person, bool) {
	var who person
	if el.empty {
		return who, true
	}
	for {
		var c xtag
		switch p.s.next(&c) {
		case tokEnd:
			if string(c.local) != string(el.local) || string(c.prefix) != string(el.prefix) {
				return person{}, false
			}
			return who, true
		case tokStart:
		default:
			return person{}, false
		}
		cBase := elemBase(base, &c)
		var ok bool
		switch string(lower(&p.lb, c.local)) {
		case "name":
			who.name, ok = p.atomText(&c, cBase)
		case "email":
			who.email, ok = p.atomText(&c, cBase)
		default:
			_, ok = p.s.skip(&c)
		}
		if !ok {
			return person{}, false
		}
	}
}

// atomText is gofeed's parseAtomText for the text types the fast path
// handles: text, text/*, and html without a wrapping <div>.
func (p *fastParser) atomText(el *xtag, base *url.URL) (string, bool) {
	typ := strings.ToLower(lastAttr(el, "type"))
	mode := strings.ToLower(lastAttr(el, "mode"))
	uriElem := false
	switch string(lower(&p.lb, el.local)) {
	case "icon", "id", "logo", "uri", "url":
		uriElem = true
	}
	plain := typ == "text" || strings.HasPrefix(typ, "text/") || typ == "" && mode == ""
	if strings.Contains(typ, "xhtml") || !plain && typ != "html" {
		return "", false // xhtml, base64, binary or unknown types
	}
	in, ok := p.inner(el)
	if !ok {
		return "", false
	}
	in = bytes.TrimSpace(in)
	var s string
	switch {
	case bytes.Contains(in, cdataOpen):
		s = gfStripCDATA(string(in))
		if typ == "html" {
			s = gfResolveHTML(base, s)
		}
	case plain:
		s = p.entities(in)
	default:
		if hasDivTag(in) {
			return "", false // gofeed unwraps a lone <div> through the HTML parser
		}
		s = gfResolveHTML(base, p.entities(in))
	}
	if uriElem {
		if base == nil && plainURI(s) {
			return s, true // what gfBaseResolve and String give back
		}
		if abs, err := gfBaseResolve(base, s); abs != nil && err == nil {
			s = abs.String()
		}
	}
	return s, true
}

// hasDivTag reports whether s holds "<div" in any letter case.
func hasDivTag(s []byte) bool {
	for {
		k := bytes.IndexByte(s, '<')
		if k < 0 || k+4 > len(s) {
			return false
		}
		if s[k+1]|0x20 == 'd' && s[k+2]|0x20 == 'i' && s[k+3]|0x20 == 'v' {
			return true
		}
		s = s[k+1:]
	}
}
