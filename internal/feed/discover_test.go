package feed

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestDiscover(t *testing.T) {
	got := Discover(readFixture(t, "not_feed.html"), "https://site.example.org/blog/post.html")
	want := []string{
		"https://site.example.org/blog/feed.xml",
		"https://site.example.org/atom.xml",
		"https://site.example.org/feed.json",
		"https://site.example.org/api.json",
	}
	if !slices.Equal(got, want) {
		t.Errorf("Discover = %q\nwant %q", got, want)
	}
	if got := Discover([]byte("<html><head><title>none</title></head></html>"), "https://x.example/"); len(got) != 0 {
		t.Errorf("Discover(no links) = %q", got)
	}
	relative := `<link rel="alternate" type="application/atom+xml" href="../feed.atom">`
	if got := Discover([]byte(relative), "https://x.example/a/b/c"); !slices.Equal(got, []string{"https://x.example/a/feed.atom"}) {
		t.Errorf("Discover(relative) = %q", got)
	}
}

func TestCandidatePaths(t *testing.T) {
	got := CandidatePaths("https://example.org/blog/post.html?x=1")
	if len(got) != 14 || got[0] != "https://example.org/feed" || got[7] != "https://example.org/blog/feed" {
		t.Errorf("CandidatePaths = %q", got)
	}
	for _, want := range []string{"https://example.org/rss", "https://example.org/rss.xml", "https://example.org/atom.xml",
		"https://example.org/feed.xml", "https://example.org/index.xml", "https://example.org/feed.json"} {
		if !slices.Contains(got, want) {
			t.Errorf("missing %s", want)
		}
	}
	root := CandidatePaths("http://example.org")
	if len(root) != 7 || root[0] != "http://example.org/feed" {
		t.Errorf("CandidatePaths(root) = %q", root)
	}
	if got := CandidatePaths("javascript:alert(1)"); got != nil {
		t.Errorf("CandidatePaths(js) = %q", got)
	}
}

func TestIsFeed(t *testing.T) {
	tests := []struct {
		name, body string
		want       bool
	}{
		{"rss", `<?xml version="1.0"?><rss version="2.0"><channel/></rss>`, true},
		{"atom with comment", "\ufeff<?xml version='1.0'?>\n<!-- hi --><feed xmlns=\"http://www.w3.org/2005/Atom\"/>", true},
		{"rdf", `<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"></rdf:RDF>`, true},
		{"old rss doctype", `<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "x"><rss version="0.91"/>`, true},
		{"json feed", `{"version": "https://jsonfeed.org/version/1.1", "title": "x", "items": []}`, true},
		{"json other", `{"version": "2", "items": []}`, false},
		{"html", `<!DOCTYPE html><html><head></head></html>`, false},
		{"empty", ``, false},
		{"utf-16le", "\xff\xfe<\x00r\x00s\x00s\x00>\x00", true},
		{"text", `hello`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := IsFeed([]byte(tt.body), ""); got != tt.want {
				t.Errorf("IsFeed = %v, want %v", got, tt.want)
			}
		})
	}
	for _, f := range []string{"rss2_content.xml", "atom_base.xml", "jsonfeed11.json", "utf8_bom.xml"} {
		if !IsFeed(readFixture(t, f), "") {
			t.Errorf("IsFeed(%s) = false", f)
		}
	}
}

// largeFeed builds an RSS 2.0 document with n items carrying HTML bodies.
func largeFeed(n int) []byte {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="utf-8"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Big</title><link>https://big.example/</link>`)
	body := strings.Repeat("<p>Lorem ipsum dolor sit amet, <a href=\"/x\">consectetur</a> adipiscing elit &amp; more.</p>", 12)
	for i := range n {
		fmt.Fprintf(&b, "<item><title>Item %d &amp; friends</title><link>/posts/%d</link><guid>id-%d</guid>"+
			"<pubDate>Mon, 02 Jan 2006 15:04:05 GMT</pubDate><category>c%d</category><description>Summary %d</description>"+
			"<content:encoded><![CDATA[%s]]></content:encoded></item>\n", i, i, i, i%7, i, body)
	}
	b.WriteString("</channel></rss>")
	return []byte(b.String())
}

func TestLargeFeed(t *testing.T) {
	pf, err := Parse(largeFeed(2000), "", "https://big.example/rss", testNow)
	if err != nil {
		t.Fatal(err)
	}
	if len(pf.Items) != 2000 || pf.Items[1999].URL != "https://big.example/posts/1999" {
		t.Fatalf("%d items", len(pf.Items))
	}
}

func BenchmarkParseLarge(b *testing.B) {
	doc := largeFeed(2000)
	b.SetBytes(int64(len(doc)))
	now := time.Now()
	for b.Loop() {
		if _, err := Parse(doc, "application/rss+xml", "https://big.example/rss", now); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseLargeGofeed(b *testing.B) {
	doc := largeFeed(2000)
	b.SetBytes(int64(len(doc)))
	now := time.Now()
	for b.Loop() {
		if _, _, err := parse(doc, "application/rss+xml", "https://big.example/rss", now, parseGofeed); err != nil {
			b.Fatal(err)
		}
	}
}
