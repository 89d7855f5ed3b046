package feed

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// generatedFeeds builds RSS and Atom documents mixing the features the fast
// path handles with ones it must decline.
func generatedFeeds(n int) [][]byte {
	r := rand.New(rand.NewPCG(1, 2))
	out := make([][]byte, 0, n)
	for i := range n {
		if i%2 == 0 {
			out = append(out, []byte(genRSS(r)))
		} else {
			out = append(out, []byte(genAtom(r)))
		}
	}
	return out
}

var genTexts = []string{
	"Plain title", "Fish &amp; chips", "&lt;b&gt;bold&lt;/b&gt; claim", "Caf&#233; &#x263A;", "nbsp&nbsp;here",
	"<![CDATA[<p>CDATA <b>body</b> & more</p>]]>", "  padded  ", "", "Tom &amp;amp; Jerry", "&unknown; entity",
	"esc \x1b[31mred\x1b[0m", "ref &#27;[31mred", "double &amp;#27;[1mx", "c1 \u009b31m", "bidi \u202etxet",
	"<p>Inline <a href=\"/rel/link\">link</a></p>", "a ]] b", "line\r\nbreak", "<!-- comment --> after", "&#0;",
	"&#x110000; big", "&#xD800; surrogate", "&amp", "<div><p>wrapped</p></div>", "&lt;div&gt;escaped div&lt;/div&gt;",
	"5 &lt; 6 &gt; 4", "quote &quot;q&quot; &apos;a&apos;", "<![CDATA[a]]> mid <![CDATA[b]]>", "tab\there", "日本語",
	"<em>x</em>", "AT&T", "a&b;c", "&#x1F600;", "<?pi x?>text", "<![CDATA[unterminated",
}

var genLinks = []string{
	"https://example.org/posts/1", "/relative/path", "relative", "//proto.example/x", "javascript:alert(1)",
	"https://example.org/a b", " https://example.org/space", "", "http://[::1", "mailto:a@example.org",
	"https://example.org/q?a=1&amp;b=2", "../up",
}

var genDates = []string{
	"Mon, 02 Jan 2006 15:04:05 GMT", "Mon, 02 Jan 2006 15:04:05 -0700", "2006-01-02T15:04:05Z",
	"2024-05-01T10:00:00+02:00", "garbage", "", "Fri, 01 Jan 2999 00:00:00 GMT", "2026-07-02",
	"Tue, 10 Jun 2003 04:00:00 EST", "0001-01-01T00:00:00Z",
}

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

func genRSS(r *rand.Rand) string {
	var b strings.Builder
	if r.IntN(3) > 0 {
		b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	}
	if r.IntN(10) == 0 {
		b.WriteString("<!-- leading comment -->\n<?xml-stylesheet href=\"s.xsl\"?>\n")
	}
	b.WriteString(`<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/"`)
	b.WriteString(` xmlns:atom="http://www.w3.org/2005/Atom" xmlns:media="http://search.yahoo.com/mrss/"`)
	switch r.IntN(12) {
	case 0:
		b.WriteString(` xmlns:itunes="http://www.itunes.com/DTDs/PodCast-1.0.dtd"`)
	case 1:
		b.WriteString(` xmlns:dc2="http://purl.org/dc/elements/1.1/"`)
	case 2:
		b.WriteString(` xml:base="https://base.example/dir/"`)
	case 3:
		b.WriteString(` xmlns="http://backend.userland.com/rss2"`)
	}
	b.WriteString(">\n<channel>\n")
	if r.IntN(5) > 0 {
		fmt.Fprintf(&b, "<title>%s</title>\n", pick(r, genTexts))
	}
	if r.IntN(4) > 0 {
		fmt.Fprintf(&b, "<link>%s</link>\n", pick(r, genLinks))
	}
	if r.IntN(3) == 0 {
		b.WriteString(`<atom:link href="https://example.org/feed.xml" rel="self" type="application/rss+xml"/>` + "\n")
	}
	if r.IntN(4) > 0 {
		fmt.Fprintf(&b, "<description>%s</description>\n", pick(r, genTexts))
	}
	if r.IntN(8) == 0 {
		b.WriteString("<dc:title>DC title</dc:title>\n")
	}
	if r.IntN(6) == 0 {
		b.WriteString("<image><url>https://example.org/i.png</url><title>i</title></image>\n")
	}
	for range r.IntN(6) {
		genRSSItem(&b, r)
	}
	b.WriteString("</channel>\n</rss>\n")
	if r.IntN(10) == 0 {
		b.WriteString("trailing junk <x>")
	}
	return b.String()
}

func genRSSItem(b *strings.Builder, r *rand.Rand) {
	tag := "item"
	if r.IntN(15) == 0 {
		tag = "Item"
	}
	b.WriteString("<" + tag)
	if r.IntN(8) == 0 {
		b.WriteString(` xml:base="http://item.example/base/"`)
	}
	b.WriteString(">")
	for range 1 + r.IntN(9) {
		switch r.IntN(24) {
		case 0, 1:
			fmt.Fprintf(b, "<title>%s</title>", pick(r, genTexts))
		case 2:
			fmt.Fprintf(b, "<link>%s</link>", pick(r, genLinks))
		case 3:
			fmt.Fprintf(b, "<guid isPermaLink=\"false\">%s</guid>", pick(r, append(genLinks, "urn:x:1", "id-7")))
		case 4:
			fmt.Fprintf(b, "<description>%s</description>", pick(r, genTexts))
		case 5:
			fmt.Fprintf(b, "<content:encoded>%s</content:encoded>", pick(r, genTexts))
		case 6:
			fmt.Fprintf(b, "<pubDate>%s</pubDate>", pick(r, genDates))
		case 7:
			fmt.Fprintf(b, "<dc:date>%s</dc:date>", pick(r, genDates))
		case 8:
			fmt.Fprintf(b, "<author>%s</author>", pick(r, []string{"ann@example.org (Ann)", "Bob", "c@example.org", "Dee (d@example.org)", ""}))
		case 9:
			fmt.Fprintf(b, "<dc:creator>%s</dc:creator>", pick(r, []string{"Eve &amp; Co", "<![CDATA[Fay]]>", "", "Gus\r\nH"}))
		case 10:
			fmt.Fprintf(b, "<category>%s</category>", pick(r, []string{"Go", "go", "News &amp; more", ""}))
		case 11:
			fmt.Fprintf(b, `<enclosure url="%s" length="%s" type="audio/mpeg"/>`, pick(r, []string{"/ep.mp3", "https://cdn.example/e&amp;1.mp3", ""}), pick(r, []string{"123", "-5", "x", ""}))
		case 12:
			b.WriteString(`<media:content url="https://example.org/m.jpg" medium="image"><media:title>m</media:title></media:content>`)
		case 13:
			b.WriteString("<!-- c --><comments>https://example.org/c</comments>")
		case 14:
			fmt.Fprintf(b, `<link href="%s"/>`, pick(r, genLinks))
		case 15:
			b.WriteString(pick(r, []string{"<itunes:author>It</itunes:author>", "<itunes:summary>S</itunes:summary>",
				"<atom:updated>2024-01-01T00:00:00Z</atom:updated>", "<atom:link href=\"/x\"/>", "<dc:subject>Sub</dc:subject>",
				"<dc2:creator>Other</dc2:creator>", "<dc:description>DC desc</dc:description>", "<dc:title>DC t</dc:title>"}))
		case 16:
			fmt.Fprintf(b, "<Title>%s</Title>", pick(r, genTexts))
		case 17:
			b.WriteString(pick(r, []string{"<source url=\"https://s.example/\">S</source>", "<empty/>", "<x:y xmlns:x=\"http://x\">z</x:y>",
				"<title a='1' b=\"2\">attrs</title>", "<title>unclosed", "<description><p>raw <b>html</b></p></description>"}))
		case 18:
			b.WriteString("\n  ")
		default:
			b.WriteString(pick(r, genRSSSyntax))
		}
	}
	b.WriteString("</" + tag + ">\n")
}

func genAtom(r *rand.Rand) string {
	var b strings.Builder
	if r.IntN(2) == 0 {
		b.WriteString(`<?xml version="1.0" encoding="utf-8"?>` + "\n")
	}
	b.WriteString(`<feed xmlns="http://www.w3.org/2005/Atom"`)
	switch r.IntN(8) {
	case 0:
		b.WriteString(` xml:base="https://blog.example/sub/"`)
	case 1:
		b.WriteString(` xml:lang="en" xmlns:media="http://search.yahoo.com/mrss/"`)
	case 2:
		b.WriteString(` xml:base="/rel/"`)
	}
	b.WriteString(">\n")
	if r.IntN(5) > 0 {
		fmt.Fprintf(&b, "<title%s>%s</title>\n", pick(r, genAtomTypes), pick(r, genTexts))
	}
	if r.IntN(3) > 0 {
		fmt.Fprintf(&b, "<subtitle>%s</subtitle>\n", pick(r, genTexts))
	}
	for range r.IntN(3) {
		fmt.Fprintf(&b, `<link rel="%s" href="%s"/>`+"\n", pick(r, []string{"alternate", "self", ""}), pick(r, genLinks))
	}
	b.WriteString("<author><name>Feed Author</name></author>\n<id>urn:feed</id>\n<updated>2024-01-01T00:00:00Z</updated>\n")
	for range r.IntN(6) {
		genAtomEntry(&b, r)
	}
	b.WriteString("</feed>\n")
	return b.String()
}

var genAtomTypes = []string{"", "", ` type="text"`, ` type="html"`, ` type="xhtml"`, ` type="text/plain"`, ` type="TEXT"`, ` type="HTML"`, ` mode="escaped"`, ` type="image/png"`}

func genAtomEntry(b *strings.Builder, r *rand.Rand) {
	b.WriteString("<entry")
	if r.IntN(6) == 0 {
		b.WriteString(` xml:base="` + pick(r, []string{"https://entry.example/x/", "/e/", "e/"}) + `"`)
	}
	b.WriteString(">")
	for range 1 + r.IntN(9) {
		switch r.IntN(18) {
		case 0, 1:
			fmt.Fprintf(b, "<title%s>%s</title>", pick(r, genAtomTypes), pick(r, genTexts))
		case 2:
			fmt.Fprintf(b, "<id>%s</id>", pick(r, append(genLinks, "urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a", "tag:x.example,2024:1", " spaced ")))
		case 3:
			fmt.Fprintf(b, `<link rel="%s" href="%s" type="text/html"/>`, pick(r, []string{"alternate", "self", "", "enclosure", "related", "replies"}), pick(r, genLinks))
		case 4:
			fmt.Fprintf(b, "<summary%s>%s</summary>", pick(r, genAtomTypes), pick(r, genTexts))
		case 5:
			fmt.Fprintf(b, "<content%s>%s</content>", pick(r, genAtomTypes), pick(r, genTexts))
		case 6:
			fmt.Fprintf(b, "<published>%s</published>", pick(r, genDates))
		case 7:
			fmt.Fprintf(b, "<updated>%s</updated>", pick(r, genDates))
		case 8:
			fmt.Fprintf(b, "<author><name>%s</name><email>%s</email><uri>/me</uri></author>", pick(r, []string{"Ann", "", "B &amp; C", "<![CDATA[D]]>"}), pick(r, []string{"a@example.org", ""}))
		case 9:
			fmt.Fprintf(b, `<category term="%s" label="%s"/>`, pick(r, []string{"t1", "T1", ""}), pick(r, []string{"", "Label", "l &amp; m"}))
		case 10:
			fmt.Fprintf(b, `<link rel="enclosure" href="%s" length="%s" type="audio/ogg"/>`, pick(r, genLinks), pick(r, []string{"10", "", "big"}))
		case 11:
			b.WriteString(pick(r, []string{"<media:thumbnail url=\"x\"/>", "<contributor><name>C</name></contributor>", "<rights>r</rights>",
				"<source><title>S</title></source>", "<issued>2004-01-01T00:00:00Z</issued>", "<modified>2004-01-01T00:00:00Z</modified>"}))
		case 12:
			fmt.Fprintf(b, `<content type="html" xml:base="%s">%s</content>`, pick(r, []string{"https://c.example/d/", "sub/"}), pick(r, []string{
				"&lt;a href=&quot;rel.html&quot;&gt;x&lt;/a&gt;", "<![CDATA[<img src=\"i.png\">]]>", "&lt;p&gt;plain&lt;/p&gt;"}))
		case 13:
			b.WriteString("\n")
		default:
			b.WriteString(pick(r, genAtomSyntax))
		}
	}
	b.WriteString("</entry>\n")
}

// genRSSSyntax and genAtomSyntax are item children in the less usual
// spellings the fast path still accepts, and a few it must decline.
var genRSSSyntax = []string{
	`<dc:creator xmlns:dc="http://purl.org/dc/elements/1.1/">Inline NS</dc:creator>`,
	`<c:encoded xmlns:c="http://purl.org/rss/1.0/modules/content/">Alt prefix</c:encoded>`,
	`<content:Encoded>Case</content:Encoded>`, `<encoded>no ns</encoded>`,
	`<PubDate>Mon, 02 Jan 2006 15:04:05 GMT</PubDate>`, `<GUID>g</GUID>`, `<LINK>/l</LINK>`,
	"<title >spaced</title >", "<link\n>/nl</link\n>", `<enclosure url='/single.mp3' length='1' type='audio/mpeg' />`,
	`<enclosure url="/e.mp3" length=" 7 " type="a&amp;b&#x41;&#65;"></enclosure>`, `<enclosure url="/x.mp3"><child/>text</enclosure>`,
	`<title><![CDATA[x]]>tail &amp; more</title>`, `<link xml:base="http://lb.example/x/">rel</link>`,
	`<dc:creator><![CDATA[ cd ]]></dc:creator>`, `<dc:creator>a<!--c-->b</dc:creator>`, `<dc:creator>a <b>x</b></dc:creator>`,
	"<title/>", "<description/>", "<?pi data?>", `<dc:date>Mon, 02 Jan 2006 15:04:05 GMT</dc:date>`,
	`<x:link xmlns:x="http://www.w3.org/2005/Atom" href="/al"/>`, `<author>a@b.c (Name &amp; Co)</author>`,
	`<guid xml:base="http://g.example/">rel-guid</guid>`, `<category domain="d">C</category>`,
	`<link href="/h" xml:base="http://hb.example/p"/>`, `<dc:author>DC Author</dc:author>`, `<dc:creator>&#233;&lt;x&gt;&amp;amp;</dc:creator>`,
	`<dc:date>not a date</dc:date>`, `<dc:subject>Go</dc:subject>`, `<description>&lt;p&gt;a&lt;/p&gt;&#8217;s</description>`,
	`<title>1 &lt; 2</title>`, `<link>https://example.org/?a=1&amp;amp;b</link>`, `<media:group><media:content url="u"/></media:group>`,
	`<title xmlns:foo="http://foo.example/">ns on title</title>`, `<foo:bar xmlns:foo="http://purl.org/dc/elements/1.1/">dc via foo</foo:bar>`,
	`<foo:creator xmlns:foo="http://purl.org/dc/elements/1.1/">Foo Creator</foo:creator>`, `<title a:b="1" xmlns:a="http://a/">pa</title>`,
	"<description>\r\n<![CDATA[\r\ncr]]>\r\n</description>", `<itunes:keywords>k</itunes:keywords>`, `<item><title>nested</title></item>`,
}

var genAtomSyntax = []string{
	`<Title>Up</Title>`, `<link href='/single'/>`, `<link rel="ALTERNATE" href="/caps"/>`, `<link href="/norel"/>`,
	`<author><NAME>n</NAME><email>e@x</email></author>`, `<author><name type="html">&lt;b&gt;N&lt;/b&gt;</name></author>`,
	`<author xml:base="http://ab.example/"><name>x</name><uri>rel</uri></author>`, `<content type="text/html">&lt;p&gt;th&lt;/p&gt;</content>`,
	`<content src="http://x.example/src"/>`, `<a:title xmlns:a="http://www.w3.org/2005/Atom">prefixed</a:title>`,
	`<summary type="html"><![CDATA[<a href="rel">x</a>]]></summary>`, `<id xml:base="http://idb.example/">rel-id</id>`,
	`<published>Mon, 02 Jan 2006 15:04:05 GMT</published>`, `<content type="html">&lt;div&gt;&lt;p&gt;escaped div&lt;/p&gt;&lt;/div&gt;</content>`,
	`<content type="html"><p>naked <a href="x">markup</a></p></content>`, `<content type="html"><DIV>naked div</DIV></content>`,
	`<title type="html">&lt;a href="t"&gt;l&lt;/a&gt;</title>`, `<author><name>A</name></author><author><name>B</name><email>b@x</email></author>`,
	`<category term="t" label="L" scheme="http://s/"/>`, `<category term="only"></category>`, `<link rel="enclosure" href="/e.mp3" length="5"/>`,
	`<updated>2024-02-30T00:00:00Z</updated>`, `<published/>`, `<summary/>`, `<x:y xmlns:x="http://x.example/"><x:z/></x:y>`,
	`<title xml:base="http://tb.example/" type="html">&lt;img src="i.png"&gt;</title>`, `<content type="text/plain" xml:base="http://cb.example/">&lt;a href=&quot;x&quot;&gt;</content>`,
	`<link rel="self" href="http://[bad"/>`, `<id>  urn:spaces  </id>`, `<content type="html" mode="escaped">&lt;b&gt;</content>`,
}
