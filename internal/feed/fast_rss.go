package feed

import "net/url"

// nativeRSS reports the namespaces gofeed's RSS parser treats as RSS.
func nativeRSS(space string) bool {
	switch space {
	case "", nsRDF, nsRSS10, nsRSS09, nsRSS09Alt:
		return true
	}
	return false
}

// rss reads <rss>: one <channel>, no items outside it.
func (p *fastParser) rss(root *xtag, base *url.URL) (feedData, bool) {
	var fd feedData
	channels := 0
	for {
		el, space, mark, done, ok := p.child(root)
		if !ok {
			return feedData{}, false
		}
		if done {
			return fd, channels == 1
		}
		native, name := nativeRSS(space), string(lower(&p.lb, el.local))
		switch {
		case native && name == "channel":
			channels++
			if channels > 1 || el.empty {
				return feedData{}, false
			}
			if fd, ok = p.channel(&el, elemBase(base, &el)); !ok {
				return feedData{}, false
			}
		case native && name == "item":
			return feedData{}, false
		default:
			if _, ok := p.s.skip(&el); !ok {
				return feedData{}, false
			}
		}
		p.ns = p.ns[:mark]
	}
}

func (p *fastParser) channel(ch *xtag, base *url.URL) (feedData, bool) {
	var fd feedData
	var dcTitle, itunesSummary, atomLink bool
	for {
		el, space, mark, done, ok := p.child(ch)
		if !ok {
			return feedData{}, false
		}
		if done {
			break
		}
		elBase := elemBase(base, &el)
		if !nativeRSS(space) {
			local := string(el.local)
			switch space {
			case nsDC:
				dcTitle = dcTitle || local == "title"
			case nsITunes, nsITunesAlt:
				itunesSummary = itunesSummary || local == "summary"
			case nsAtom10, nsAtom03:
				atomLink = atomLink || local == "link"
			}
			if _, ok := p.s.skip(&el); !ok {
				return feedData{}, false
			}
			p.ns = p.ns[:mark]
			continue
		}
		switch string(lower(&p.lb, el.local)) {
		case "title":
			fd.title, ok = p.text(&el)
		case "description":
			fd.description, ok = p.text(&el)
		case "link":
			fd.link, ok = p.rssLink(&el, elBase)
		case "item":
			var it itemData
			if it, ok = p.item(&el, elBase); ok {
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
	// gofeed's translator falls back on these extensions when the RSS
	// element is empty; the fast path does not read them.
	if fd.title == "" && dcTitle || fd.description == "" && itunesSummary || fd.link == "" && atomLink {
		return feedData{}, false
	}
	return fd, true
}

// rssLink is gofeed's parseLink: the text, else the href attribute, against
// the xml:base in scope.
func (p *fastParser) rssLink(el *xtag, base *url.URL) (string, bool) {
	href := uriAttr(el, "href", base)
	u, ok := p.text(el)
	if u == "" && href != "" {
		u = href
	}
	return gfResolveIfBase(base, u), ok
}

// rssItem collects what gofeed's RSS translator reads for an item.
type rssItem struct {
	itemData
	author                                       string
	pubDate                                      date
	dcTitle, dcDesc, dcAuthor, dcCreator, dcDate []string
	dcSubject                                    []string
	itunesAuthor, itunesSummary                  bool
}

func (p *fastParser) item(el *xtag, base *url.URL) (itemData, bool) {
	var it rssItem
	if el.empty {
		return it.translate()
	}
	for {
		c, space, mark, done, ok := p.child(el)
		if !ok {
			return itemData{}, false
		}
		if done {
			break
		}
		if ok = p.itemChild(&it, &c, space, elemBase(base, &c)); !ok {
			return itemData{}, false
		}
		p.ns = p.ns[:mark]
	}
	return it.translate()
}

func (p *fastParser) itemChild(it *rssItem, c *xtag, space string, base *url.URL) bool {
	name := string(lower(&p.lb, c.local))
	var ok bool
	if name == "encoded" && space == nsContent {
		it.content, ok = p.text(c)
		return ok
	}
	if !nativeRSS(space) {
		return p.itemExtension(it, c, space)
	}
	switch name {
	case "title":
		it.title, ok = p.text(c)
	case "description":
		it.description, ok = p.text(c)
	case "link":
		var l string
		if l, ok = p.rssLink(c, base); ok {
			it.link = l
			it.links = append(it.links, l)
		}
	case "author":
		it.author, ok = p.text(c)
	case "pubdate":
		var s string
		if s, ok = p.text(c); ok {
			// gofeed keeps the last pubDate that parsed.
			if d := parseDate(s); d.set {
				it.pubDate = date{d.t.UTC(), true}
			}
		}
	case "guid":
		it.guid, ok = p.text(c)
	case "category":
		var s string
		if s, ok = p.text(c); ok {
			it.categories = append(it.categories, s)
		}
	case "enclosure":
		u, _ := attr(c, "url")
		n, _ := attr(c, "length")
		t, _ := attr(c, "type")
		it.enclosures = append(it.enclosures, enclosure{url: u, length: n, typ: t})
		_, ok = p.s.skip(c)
	default:
		_, ok = p.s.skip(c)
	}
	return ok
}

func (p *fastParser) itemExtension(it *rssItem, c *xtag, space string) bool {
	local := string(c.local)
	switch space {
	case nsDC:
		var list *[]string
		switch local {
		case "title":
			list = &it.dcTitle
		case "description":
			list = &it.dcDesc
		case "author":
			list = &it.dcAuthor
		case "creator":
			list = &it.dcCreator
		case "date":
			list = &it.dcDate
		case "subject":
			list = &it.dcSubject
		}
		if list != nil {
			v, ok := p.extValue(c)
			*list = append(*list, v)
			return ok
		}
	case nsITunes, nsITunesAlt:
		switch local {
		case "keywords":
			return false
		case "author":
			it.itunesAuthor = true
		case "summary":
			it.itunesSummary = true
		}
	case nsAtom10, nsAtom03:
		switch local {
		case "content", "summary", "published", "updated", "author", "category":
			return false
		}
	}
	_, ok := p.s.skip(c)
	return ok
}

// translate is gofeed's DefaultRSSTranslator for the fields byline uses.
func (it *rssItem) translate() (itemData, bool) {
	d := it.itemData
	if d.title == "" && len(it.dcTitle) > 0 {
		d.title = it.dcTitle[0]
	}
	if d.description == "" {
		switch {
		case len(it.dcDesc) > 0:
			d.description = it.dcDesc[0]
		case it.itunesSummary:
			return itemData{}, false
		}
	}
	dcDate := ""
	if len(it.dcDate) > 0 {
		dcDate = it.dcDate[0]
	}
	switch {
	case it.pubDate.set:
		d.published = it.pubDate.t
	case dcDate != "":
		d.published = parseDate(dcDate).t
	}
	if dcDate != "" {
		d.updated = parseDate(dcDate).t
	}
	author, hasAuthor := "", true
	switch {
	case it.author != "":
		author = it.author
	case len(it.dcAuthor) > 0:
		author = it.dcAuthor[0]
	case len(it.dcCreator) > 0:
		author = it.dcCreator[0]
	case it.itunesAuthor:
		return itemData{}, false
	default:
		hasAuthor = false
	}
	if hasAuthor {
		name, email := gfNameAddress(author)
		d.people = []person{{name: name, email: email}}
	}
	d.categories = append(d.categories, it.dcSubject...)
	return d, true
}
