package feed

import (
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/byline/byline/internal/sanitize"
)

// sharedCorpus is gofeed's full test corpus, checked out beside the repo in
// CI and on dev machines; tests that use it skip when it is absent.
const sharedCorpus = "../../../shared/corpus/feeds/gofeed-testdata"

// diffDocs gathers every document the differential tests compare on.
func diffDocs(t testing.TB) map[string][]byte {
	docs := map[string][]byte{}
	var paths []string
	for _, pattern := range []string{"testdata/*.*", "testdata/gofeed/*.*", sharedCorpus + "/*/*"} {
		m, _ := filepath.Glob(pattern)
		paths = append(paths, m...)
	}
	for _, p := range paths {
		if strings.HasSuffix(p, ".golden.json") || strings.HasSuffix(p, "LICENSE") || strings.HasSuffix(p, "NOTICE") {
			continue
		}
		b, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		docs[p] = b
	}
	for i, d := range generatedFeeds(400) {
		docs[fmt.Sprintf("generated/%03d", i)] = d
	}
	docs["generated/large"] = largeFeed(50)
	return docs
}

// checkSamePaths parses doc both ways; when the fast path accepts, its
// result must equal gofeed's.
func checkSamePaths(t testing.TB, name string, doc []byte, contentType string) (accepted bool) {
	t.Helper()
	const u = "https://diff.example/feeds/a/feed.xml"
	fast, ok, ferr := parse(doc, contentType, u, testNow, parseFastOnly)
	slow, _, serr := parse(doc, contentType, u, testNow, parseGofeed)
	if !ok {
		return false
	}
	if ferr != nil || serr != nil {
		t.Fatalf("%s: fast path accepted but errors: fast %v, gofeed %v", name, ferr, serr)
	}
	if !reflect.DeepEqual(fast, slow) {
		t.Errorf("%s: fast path differs from gofeed:\n%s", name, diffFeeds(fast, slow))
	}
	return true
}

func diffFeeds(a, b any) string {
	av, bv := fmt.Sprintf("%#v", a), fmt.Sprintf("%#v", b)
	i := 0
	for i < len(av) && i < len(bv) && av[i] == bv[i] {
		i++
	}
	from := max(0, i-200)
	return fmt.Sprintf("fast:   …%s\ngofeed: …%s", av[from:min(len(av), i+300)], bv[from:min(len(bv), i+300)])
}

func TestFastPathMatchesGofeed(t *testing.T) {
	docs := diffDocs(t)
	accepted := map[string]bool{}
	for name, doc := range docs {
		for _, ct := range []string{"", "text/xml; charset=windows-1252"} {
			if checkSamePaths(t, name, doc, ct) && ct == "" {
				accepted[name] = true
			}
		}
	}
	// The fast path must actually take the common shapes.
	for _, name := range []string{"testdata/rss2_content.xml", "testdata/dates.xml", "testdata/bad_links.xml",
		"testdata/escapes.xml", "testdata/iso8859_1.xml", "generated/large"} {
		if !accepted[name] {
			t.Errorf("fast path declined %s", name)
		}
	}
	gen := 0
	for name := range accepted {
		if strings.HasPrefix(name, "generated/") {
			gen++
		}
	}
	if gen < 120 {
		t.Errorf("fast path took only %d of the generated feeds", gen)
	}
	t.Logf("fast path took %d of %d documents (%d generated)", len(accepted), len(docs), gen)
}

func TestSharedCorpusPresent(t *testing.T) {
	if _, err := os.Stat(sharedCorpus); err != nil {
		t.Skip("shared gofeed corpus not checked out")
	}
}

// FuzzFastPathMatchesGofeed: the fast path never panics, and whenever it
// accepts a document its result equals gofeed's.
func FuzzFastPathMatchesGofeed(f *testing.F) {
	for _, doc := range diffDocs(f) {
		f.Add(doc)
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		if d, err := prepare(doc, ""); err == nil {
			fastParse(d) // no recover: a panic fails the fuzz run
		}
		checkSamePaths(t, "fuzz", doc, "")
		// Raw mutations mostly break the XML; also compare a generated feed
		// seeded by the input, so the fuzzer explores feed shapes too.
		h := fnv.New64a()
		h.Write(doc)
		r := rand.New(rand.NewPCG(h.Sum64(), uint64(len(doc))))
		gen := genRSS(r)
		if len(doc)%2 == 1 {
			gen = genAtom(r)
		}
		checkSamePaths(t, "generated from fuzz input", []byte(gen), "")
	})
}

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
		switch r.IntN(19) {
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
		switch r.IntN(14) {
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
		}
	}
	b.WriteString("</entry>\n")
}

// TestQuickParseDate checks the RFC 1123 shortcut against gofeed's full
// layout search over every weekday, month and zone spelling and a spread of
// valid and out-of-range numbers.
func TestQuickParseDate(t *testing.T) {
	days := []string{"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun", "Foo", "MON"}
	months := []string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "Xyz"}
	zones := []string{"GMT", "UTC", "EST", "EDT", "CST", "CDT", "MST", "MDT", "PST", "PDT", "CET", "BST", "XYZ", "UT", "Z", "GMTX"}
	nums := []string{"00", "01", "12", "23", "24", "29", "31", "59", "60", "99"}
	n := 0
	for i, day := range days {
		for j, mon := range months {
			for k, zone := range zones {
				dd, hh, mm := nums[(i+j)%len(nums)], nums[(j+k)%len(nums)], nums[(i+k)%len(nums)]
				for _, year := range []string{"2006", "1999", "0000", "9999"} {
					s := fmt.Sprintf("%s, %s %s %s %s:%s:%s %s", day, dd, mon, year, hh, mm, nums[k%len(nums)], zone)
					want, werr := gfParseDate(s)
					got, gerr := quickParseDate(s)
					if (werr == nil) != (gerr == nil) || !got.Equal(want) || got.Location().String() != want.Location().String() {
						t.Errorf("%q: quick %v %v, gofeed %v %v", s, got, gerr, want, werr)
					}
					n++
				}
			}
		}
	}
	for _, s := range genDates {
		want, werr := gfParseDate(s)
		got, gerr := quickParseDate(s)
		if (werr == nil) != (gerr == nil) || !got.Equal(want) {
			t.Errorf("%q: quick %v %v, gofeed %v %v", s, got, gerr, want, werr)
		}
	}
	t.Logf("%d dates compared", n)
}

// FuzzCleanText: whenever bodyText skips sanitize.Text, sanitize.Text would
// have returned the string unchanged.
func FuzzCleanText(f *testing.F) {
	for _, s := range append(genTexts, "plain", "tab\tnl\n", "\u200e rtl \u200f", "\u00a0\u00ff", "\ufffd", "&#", "#&", "\x7f", "\u009b", "\u2066", "\ufff9") {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if isCleanText(s) {
			if got := sanitize.Text(s); got != s {
				t.Fatalf("isCleanText(%q) but sanitize.Text = %q", s, got)
			}
		}
		if bodyText(s) != sanitize.Text(s) {
			t.Fatalf("bodyText(%q) differs", s)
		}
	})
}

// FuzzScanChecks holds the word-at-a-time scans to their byte-by-byte
// definitions.
func FuzzScanChecks(f *testing.F) {
	for _, s := range append(genTexts, "abcdefgh\x1fijklmnop", "0123456\xef\xbf\xbe", "\xef\xbf", "\u00e9\u00e9\u00e9\u00e9\x7f") {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if hasIllegalChar(b) != hasIllegalCharSlow(b) {
			t.Fatalf("hasIllegalChar(%q) = %v", b, hasIllegalChar(b))
		}
		for i := 0; i+8 <= len(b); i++ {
			want := true
			for _, c := range b[i : i+8] {
				want = want && c >= 0x20 && c <= 0x7e
			}
			if printable(word8b(b, i)) != want {
				t.Fatalf("printable(%q) = %v", b[i:i+8], !want)
			}
		}
	})
}

// hasIllegalCharSlow is hasIllegalChar byte by byte, for tests.
func hasIllegalCharSlow(b []byte) bool {
	for i, c := range b {
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
			return true
		}
		if c == 0xef && i+2 < len(b) && b[i+1] == 0xbf && (b[i+2] == 0xbe || b[i+2] == 0xbf) {
			return true
		}
	}
	return false
}
