package feed

import (
	"bytes"
	"encoding/json"
	"mime"
	"net/url"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/byline/byline/internal/sanitize"
)

// feedTypes are the <link rel="alternate" type=…> values that announce a feed.
var feedTypes = map[string]bool{
	"application/rss+xml":   true,
	"application/atom+xml":  true,
	"application/feed+json": true,
	"application/json":      true,
	"application/rdf+xml":   true,
}

// Discover returns the feed URLs a page announces with <link rel="alternate">,
// absolute, deduplicated, in document order. A <base href> is honoured.
func Discover(page []byte, pageURL string) []string {
	base, _ := url.Parse(pageURL)
	z := html.NewTokenizer(bytes.NewReader(page))
	var out []string
	seen := map[string]bool{}
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return out
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			continue
		}
		name, hasAttr := z.TagName()
		a := atom.Lookup(name)
		if a == atom.Body {
			return out // feeds are announced in <head>; stop early on big pages
		}
		if !hasAttr || (a != atom.Link && a != atom.Base) {
			continue
		}
		attrs := map[string]string{}
		for {
			k, v, more := z.TagAttr()
			attrs[string(k)] = string(v)
			if !more {
				break
			}
		}
		if a == atom.Base {
			if b, err := url.Parse(strings.TrimSpace(attrs["href"])); err == nil && base != nil {
				base = base.ResolveReference(b)
			}
			continue
		}
		if !hasToken(attrs["rel"], "alternate") || !feedTypes[mediaType(attrs["type"])] {
			continue
		}
		href := strings.TrimSpace(attrs["href"])
		if href == "" {
			continue
		}
		if base != nil {
			if r, err := url.Parse(href); err == nil {
				href = base.ResolveReference(r).String()
			}
		}
		if u := sanitize.URL(href); u != "" && !seen[u] {
			seen[u] = true
			out = append(out, u)
		}
	}
}

func hasToken(list, tok string) bool {
	for _, f := range strings.Fields(strings.ToLower(list)) {
		if f == tok {
			return true
		}
	}
	return false
}

func mediaType(ct string) string {
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return strings.ToLower(strings.TrimSpace(ct))
	}
	return mt
}

// candidateNames are the conventional feed locations tried when a page
// announces none.
var candidateNames = []string{"feed", "rss", "rss.xml", "atom.xml", "feed.xml", "index.xml", "feed.json"}

// CandidatePaths returns conventional feed URLs to try for a site: each name
// under the site root first (article pages are the usual input), then under
// the page's directory when it is not the root (blogs living in /blog/). It returns nil for anything but an absolute http(s) URL.
func CandidatePaths(pageURL string) []string {
	u, err := url.Parse(strings.TrimSpace(pageURL))
	if err != nil || sanitize.URL(pageURL) == "" {
		return nil
	}
	dirs := []*url.URL{{Scheme: u.Scheme, Host: u.Host, Path: "/"}}
	if dir := u.Path[:strings.LastIndex(u.Path, "/")+1]; dir != "" && dir != "/" {
		dirs = append(dirs, &url.URL{Scheme: u.Scheme, Host: u.Host, Path: dir})
	}
	var out []string
	seen := map[string]bool{}
	for _, d := range dirs {
		for _, n := range candidateNames {
			s := d.ResolveReference(&url.URL{Path: n}).String()
			if !seen[s] {
				seen[s] = true
				out = append(out, s)
			}
		}
	}
	return out
}

// IsFeed reports whether body looks like a feed: an XML document whose root
// is rss, feed or rdf:RDF, or a JSON object whose "version" names JSON Feed.
// It reads only the start of the document.
func IsFeed(body []byte, contentType string) bool {
	b := bytes.TrimPrefix(body, utf8BOM)
	if bytes.HasPrefix(b, utf16LEBOM) || bytes.HasPrefix(b, utf16BEBOM) {
		b = toUTF8(b[:min(len(b), 8192)], contentType)
	}
	b = bytes.TrimLeft(b, " \t\r\n")
	if len(b) == 0 {
		return false
	}
	if b[0] == '{' {
		return isJSONFeed(b)
	}
	head := b[:min(len(b), 4096)]
	for len(head) > 0 {
		i := bytes.IndexByte(head, '<')
		if i < 0 || i+1 >= len(head) {
			return false
		}
		head = head[i+1:]
		switch {
		case bytes.HasPrefix(head, []byte("?")), bytes.HasPrefix(head, []byte("!")):
			continue // declaration, comment, doctype
		}
		name, _ := tagName(head, 0)
		n := strings.ToLower(string(name))
		return n == "rss" || n == "feed" || n == "rdf:rdf" || n == "rdf" || strings.HasSuffix(n, ":rdf")
	}
	return false
}

func isJSONFeed(b []byte) bool {
	var v struct {
		Version string `json:"version"`
	}
	dec := json.NewDecoder(bytes.NewReader(b[:min(len(b), 1<<20)]))
	if err := dec.Decode(&v); err != nil {
		// A large feed cut at 1 MiB fails to decode; look for the version key.
		i := bytes.Index(b, []byte(`"version"`))
		return i >= 0 && bytes.Contains(b[i:min(len(b), i+100)], []byte("jsonfeed.org/version/"))
	}
	return strings.Contains(v.Version, "jsonfeed.org/version/")
}
