package feed

import (
	"bytes"
	"fmt"
	"hash/fnv"
	"html"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"

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
	for i, d := range generatedFeeds(2000) {
		docs[fmt.Sprintf("generated/%04d", i)] = d
	}
	for i, sn := range genRSSSyntax {
		docs[fmt.Sprintf("snippet/rss/%02d", i)] = []byte(`<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" ` +
			`xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:media="http://search.yahoo.com/mrss/" ` +
			`xmlns:itunes="http://www.itunes.com/DTDs/PodCast-1.0.dtd"><channel><title>t</title><link>/x</link><item><guid>g</guid>` +
			sn + `</item></channel></rss>`)
	}
	for i, sn := range genAtomSyntax {
		docs[fmt.Sprintf("snippet/atom/%02d", i)] = []byte(`<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><entry><id>i</id>` +
			sn + `</entry></feed>`)
	}
	docs["generated/large"] = largeFeed(50)
	// The same shapes in other encodings, escapes included: Windows-1252 as
	// declared, and UTF-16 with a BOM.
	for i, d := range generatedFeeds(300) {
		if cp, err := charmap.Windows1252.NewEncoder().Bytes(bytes.ReplaceAll(d, []byte(`encoding="UTF-8"`), []byte(`encoding="windows-1252"`))); err == nil {
			docs[fmt.Sprintf("encoded/cp1252/%03d", i)] = cp
		}
		u16, _ := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().Bytes(d)
		docs[fmt.Sprintf("encoded/utf16/%03d", i)] = u16
	}
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
	if gen < 600 {
		t.Errorf("fast path took only %d of the generated feeds", gen)
	}
	enc := 0
	for name := range accepted {
		if strings.HasPrefix(name, "encoded/") {
			enc++
		}
	}
	if enc < 100 {
		t.Errorf("fast path took only %d of the re-encoded feeds", enc)
	}
	t.Logf("fast path took %d of %d documents (%d generated, %d re-encoded)", len(accepted), len(docs), gen, enc)
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
	for _, s := range append(genTexts, "abcdefgh\x1fijklmnop", "0123456\xef\xbf\xbe", "\xef\xbf", "\u00e9\u00e9\u00e9\u00e9\x7f",
		"&#x1F;&#9;&#xFFFE;&#12345678901;&#X41;", "18446744073709551616", "ffffffffffffffff", "&#4294967296;") {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if hasIllegalChar(b) != hasIllegalCharSlow(b) {
			t.Fatalf("hasIllegalChar(%q) = %v", b, hasIllegalChar(b))
		}
		illegalRef := false
		for _, m := range illegalCharRef.FindAllSubmatch(b, -1) {
			n, err := strconv.ParseUint(string(m[2]), 10, 32)
			if len(m[1]) > 0 {
				n, err = strconv.ParseUint(string(m[1]), 16, 32)
			}
			illegalRef = illegalRef || err != nil || !isXMLChar(n)
		}
		if hasIllegalCharRef(b) != illegalRef {
			t.Fatalf("hasIllegalCharRef(%q) = %v", b, !illegalRef)
		}
		for _, base := range []int{10, 16} {
			digits := len(b) > 0
			for _, c := range b {
				digits = digits && isDigit(c, base)
			}
			if digits {
				want, err := strconv.ParseUint(string(b), base, 64)
				if got, ok := refValue(b, base); ok != (err == nil) || ok && got != want {
					t.Fatalf("refValue(%q, %d) = %d %v, ParseUint %d %v", b, base, got, ok, want, err)
				}
			}
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

// FuzzLineAndEntities holds the shortcuts to what they stand in for:
// line to sanitize.Line, gfDecodeEntities to gofeed's DecodeEntities.
func FuzzLineAndEntities(f *testing.F) {
	for _, s := range append(genTexts, "plain title", " lead", "trail ", "dou  ble", "&lt;&gt;&amp;&quot;&apos;&#39;&ltx;&lt", "&amp &lt;;") {
		f.Add(s, 0)
	}
	f.Add("exactly ten", 10)
	f.Fuzz(func(t *testing.T, s string, max int) {
		max %= 600
		if got, want := line(s, max), sanitize.Line(s, max); got != want {
			t.Fatalf("line(%q, %d) = %q, sanitize.Line = %q", s, max, got, want)
		}
		if got, want := gfDecodeEntities(s), decodeEntitiesOracle(s); got != want {
			t.Fatalf("gfDecodeEntities(%q) = %q, gofeed = %q", s, got, want)
		}
	})
}

// decodeEntitiesOracle is gofeed v1.4.2's DecodeEntities verbatim.
func decodeEntitiesOracle(str string) string {
	idx := strings.IndexByte(str, '&')
	if idx == -1 {
		return str
	}
	var buf bytes.Buffer
	data := []byte(str)
	for len(data) > 0 {
		idx := bytes.IndexByte(data, '&')
		if idx == -1 {
			buf.Write(data)
			break
		}
		buf.Write(data[:idx])
		data = data[idx:]
		window := data
		if len(window) > maxEntityLen {
			window = window[:maxEntityLen]
		}
		end := bytes.IndexByte(window, ';')
		if end == -1 && len(window) == len(data) {
			buf.Write(data)
			break
		}
		if end == -1 || bytes.ContainsAny(data[1:end], " \t\r\n") {
			buf.WriteByte('&')
			data = data[1:]
			continue
		}
		span := string(data[:end+1])
		dec := html.UnescapeString(span)
		if dec == html.UnescapeString(span[:len(span)-1])+";" {
			buf.WriteByte('&')
			data = data[1:]
			continue
		}
		buf.WriteString(dec)
		data = data[end+1:]
	}
	return buf.String()
}

// FuzzFastPathFields puts arbitrary strings, unescaped, into the fields of
// an RSS and an Atom template, so the fuzzer explores text, markup,
// entities, CDATA and attributes inside documents that otherwise parse.
func FuzzFastPathFields(f *testing.F) {
	for i, s := range genTexts {
		f.Add(s, pick(rand.New(rand.NewPCG(uint64(i), 1)), genLinks), genTexts[(i+5)%len(genTexts)], genDates[i%len(genDates)])
	}
	f.Add("t", "/l", "<p>b</p>", "html")
	f.Fuzz(func(t *testing.T, text, link, body, attr string) {
		rss := `<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">` +
			`<channel><title>` + text + `</title><link>` + link + `</link><item xml:base="` + attr + `"><title>` + text + `</title><link>` + link +
			`</link><guid>` + link + `</guid><description>` + body + `</description><content:encoded>` + body + `</content:encoded><dc:creator>` +
			text + `</dc:creator><dc:date>` + attr + `</dc:date><pubDate>` + attr + `</pubDate><enclosure url="` + link + `" type="` + attr +
			`" length="` + attr + `"/><category>` + text + `</category><author>` + text + `</author></item></channel></rss>`
		atom := `<feed xmlns="http://www.w3.org/2005/Atom"><title type="` + attr + `">` + text + `</title><link href="` + link + `"/>` +
			`<entry xml:base="` + link + `"><id>` + link + `</id><title type="` + attr + `">` + text + `</title><summary>` + body +
			`</summary><content type="` + attr + `">` + body + `</content><link rel="` + attr + `" href="` + link + `"/><author><name>` + text +
			`</name><email>` + attr + `</email></author><category term="` + text + `" label="` + attr + `"/><updated>` + attr +
			`</updated><published>` + text + `</published></entry></feed>`
		checkSamePaths(t, "rss", []byte(rss), "")
		checkSamePaths(t, "atom", []byte(atom), "")
	})
}
