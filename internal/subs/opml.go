package subs

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"slices"
	"strings"

	"golang.org/x/net/html/charset"

	"github.com/byline/byline/internal/model"
	"github.com/byline/byline/internal/sanitize"
)

// maxNesting bounds outline nesting; real folder trees are a few levels deep.
const maxNesting = 100

// parseOPML reads OPML 1.0 or 2.0. Outlines with an xmlUrl are feeds; other
// outlines are folders whose titles become the tags of the feeds inside.
// A category attribute ("/a/b,c") adds tags too.
func parseOPML(data []byte) ([]Subscription, []Skipped, error) {
	d := xml.NewDecoder(bytes.NewReader(dropIllegalXML(data)))
	d.Strict = false // tolerate &nbsp; and friends in titles
	d.CharsetReader = charset.NewReaderLabel
	var c collector
	var skipped []Skipped
	var folders []string // one entry per open outline; "" for feeds
	sawOPML := false
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			line, _ := d.InputPos()
			return nil, nil, fmt.Errorf("parse opml: line %d: %s", line, sanitize.Line(err.Error(), 200))
		}
		switch t := tok.(type) {
		case xml.StartElement:
			name := strings.ToLower(t.Name.Local)
			if name == "opml" {
				sawOPML = true
			}
			if name != "outline" {
				continue
			}
			if len(folders) >= maxNesting {
				return nil, nil, fmt.Errorf("parse opml: outlines nested deeper than %d levels", maxNesting)
			}
			a := attrs(t)
			title := a["title"]
			if title == "" {
				title = a["text"]
			}
			feedURL, ok := a["xmlurl"]
			if !ok {
				folders = append(folders, title)
				continue
			}
			folders = append(folders, "")
			url, reason := checkURL(feedURL)
			if reason != "" {
				line, _ := d.InputPos()
				skipped = append(skipped, Skipped{Line: line, Entry: sanitize.Line(feedURL, 200), Reason: reason})
				continue
			}
			tags := append(categoryTags(a["category"]), folders...)
			c.add(url, title, tags)
		case xml.EndElement:
			if strings.EqualFold(t.Name.Local, "outline") && len(folders) > 0 {
				folders = folders[:len(folders)-1]
			}
		}
	}
	if !sawOPML {
		return nil, nil, fmt.Errorf("parse opml: no <opml> root element")
	}
	return c.subs, skipped, nil
}

// attrs maps lowercased attribute names to values (OPML exporters disagree
// on xmlUrl's case).
func attrs(t xml.StartElement) map[string]string {
	m := make(map[string]string, len(t.Attr))
	for _, a := range t.Attr {
		m[strings.ToLower(a.Name.Local)] = a.Value
	}
	return m
}

func categoryTags(cat string) []string {
	var tags []string
	for _, path := range strings.Split(cat, ",") {
		for _, part := range strings.Split(path, "/") {
			if part = strings.TrimSpace(part); part != "" {
				tags = append(tags, part)
			}
		}
	}
	return tags
}

// WriteOPML writes feeds as OPML 2.0: a folder outline per tag holding its
// feeds (a feed with two tags appears in both; Parse merges it back), then
// the untagged feeds at the top level.
func WriteOPML(w io.Writer, feeds []model.Feed) error {
	var b bytes.Buffer
	b.WriteString(xml.Header)
	b.WriteString("<opml version=\"2.0\">\n  <head>\n    <title>byline subscriptions</title>\n  </head>\n  <body>\n")
	byTag := map[string][]model.Feed{}
	var tags []string
	var untagged []model.Feed
	for _, f := range feeds {
		ft := normTags(f.Tags)
		if len(ft) == 0 {
			untagged = append(untagged, f)
		}
		for _, t := range ft {
			if _, ok := byTag[t]; !ok {
				tags = append(tags, t)
			}
			byTag[t] = append(byTag[t], f)
		}
	}
	slices.Sort(tags)
	for _, t := range tags {
		fmt.Fprintf(&b, "    <outline text=\"%s\" title=\"%s\">\n", esc(t), esc(t))
		for _, f := range byTag[t] {
			writeFeed(&b, f, "      ")
		}
		b.WriteString("    </outline>\n")
	}
	for _, f := range untagged {
		writeFeed(&b, f, "    ")
	}
	b.WriteString("  </body>\n</opml>\n")
	_, err := w.Write(b.Bytes())
	if err != nil {
		return fmt.Errorf("write opml: %w", err)
	}
	return nil
}

func writeFeed(b *bytes.Buffer, f model.Feed, indent string) {
	url := sanitize.URL(f.URL)
	if url == "" {
		return
	}
	title := sanitize.Line(f.CustomTitle, 0)
	if title == "" {
		title = sanitize.Line(f.Title, 0)
	}
	text := title
	if text == "" {
		text = url // OPML requires text
	}
	fmt.Fprintf(b, "%s<outline type=\"rss\" text=\"%s\"", indent, esc(text))
	if title != "" {
		fmt.Fprintf(b, " title=\"%s\"", esc(title))
	}
	fmt.Fprintf(b, " xmlUrl=\"%s\"", esc(url))
	if site := sanitize.URL(f.SiteURL); site != "" {
		fmt.Fprintf(b, " htmlUrl=\"%s\"", esc(site))
	}
	b.WriteString("/>\n")
}

// esc escapes s for an XML attribute value.
func esc(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}
