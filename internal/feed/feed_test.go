package feed

import (
	"github.com/byline/byline/internal/golden"

	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/byline/byline/internal/model"
)

// testNow is the fixed clock for every parse in these tests.
var testNow = time.Date(2026, 7, 1, 12, 0, 0, 0, time.UTC)

func readFixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func mustParse(t *testing.T, name, contentType, feedURL string) model.ParsedFeed {
	t.Helper()
	pf, err := Parse(readFixture(t, name), contentType, feedURL, testNow)
	if err != nil {
		t.Fatalf("Parse(%s): %v", name, err)
	}
	return pf
}

// TestGolden parses each fixture and compares the result, as indented JSON,
// with testdata/NAME.golden.json (regenerate with -update).
func TestGolden(t *testing.T) {
	tests := []struct{ file, contentType, url string }{
		{"rss2_content.xml", "application/rss+xml", "https://example.org/feed.xml"},
		{"atom_base.xml", "application/atom+xml", "https://blog.example.com/atom.xml"},
		{"jsonfeed11.json", "application/feed+json", "https://json.example.org/feed.json"},
		{"iso8859_1.xml", "text/xml", "https://latin.example.org/rss"},
		{"cp1252_decl.xml", "text/xml", "https://cp.example.org/rss"},
		{"cp1252_nodecl.xml", "text/xml; charset=windows-1252", "https://cp.example.org/rss"},
		{"utf8_bom.xml", "", "https://bom.example.org/rss"},
		{"illegal_chars.xml", "", "https://illegal.example.org/rss"},
		{"invalid_utf8.xml", "", "https://bad.example.org/rss"},
		{"dates.xml", "", "https://d.example.org/rss"},
		{"dup_guid.xml", "", "https://dup.example.org/rss"},
		{"bad_links.xml", "", "https://links.example.org/a/b/rss"},
		{"escapes.xml", "", "https://esc.example.org/rss"},
		{"escapes_refs.xml", "", "https://esc.example.org/rss"},
		{"escapes_json.json", "application/json", "https://j.example.org/feed.json"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			pf := mustParse(t, tt.file, tt.contentType, tt.url)
			checkGolden(t, tt.file, pf)
		})
	}
}

type goldenItem struct {
	Key, GUID, URL, Title, Author string
	Published, Updated            string
	Summary, Content              string            `json:",omitempty"`
	Categories                    []string          `json:",omitempty"`
	Enclosures                    []model.Enclosure `json:",omitempty"`
}

// goldenView keeps the fields Parse sets, with times as RFC 3339.
func goldenView(pf model.ParsedFeed) any {
	items := []goldenItem{}
	for _, it := range pf.Items {
		g := goldenItem{Key: it.Key, GUID: it.GUID, URL: it.URL, Title: it.Title, Author: it.Author,
			Published: it.Published.Format(time.RFC3339), Summary: it.Summary, Content: it.Content,
			Categories: it.Categories, Enclosures: it.Enclosures}
		if !it.Updated.IsZero() {
			g.Updated = it.Updated.Format(time.RFC3339)
		}
		items = append(items, g)
	}
	return struct {
		Title, SiteURL, Description string
		Items                       []goldenItem
	}{pf.Title, pf.SiteURL, pf.Description, items}
}

func checkGolden(t *testing.T, name string, pf model.ParsedFeed) {
	t.Helper()
	got, err := json.MarshalIndent(goldenView(pf), "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	golden.Check(t, filepath.Join("testdata", strings.TrimSuffix(name, filepath.Ext(name))+".golden.json"), string(got))
}

func TestRSSContent(t *testing.T) {
	pf := mustParse(t, "rss2_content.xml", "", "https://example.org/feed.xml")
	if pf.Title != "Example & Co News" || pf.SiteURL != "https://example.org/" || pf.Description != "All the news" {
		t.Errorf("feed = %q %q %q", pf.Title, pf.SiteURL, pf.Description)
	}
	if len(pf.Items) != 2 {
		t.Fatalf("%d items", len(pf.Items))
	}
	first := pf.Items[0]
	checks := map[string][2]string{
		"Key":     {first.Key, "urn:example:1"},
		"URL":     {first.URL, "https://example.org/posts/1"},
		"Title":   {first.Title, "First post & more"},
		"Author":  {first.Author, "Ann Writer"},
		"Summary": {first.Summary, "Short summary"},
		"Content": {first.Content, "<p>Full <b>body</b> of the first post.</p>"},
		"Enc":     {first.Enclosures[0].URL, "https://cdn.example.org/ep1.mp3"},
	}
	for field, c := range checks {
		if c[0] != c[1] {
			t.Errorf("%s = %q, want %q", field, c[0], c[1])
		}
	}
	if !first.Published.Equal(time.Date(2006, 1, 2, 15, 4, 5, 0, time.UTC)) {
		t.Errorf("Published = %v", first.Published)
	}
	if strings.Join(first.Categories, ",") != "Go,News" || first.Enclosures[0].Length != 12345 {
		t.Errorf("categories %v enclosures %+v", first.Categories, first.Enclosures)
	}
	second := pf.Items[1]
	if second.Content != "" || second.Summary != "<p>Only a description, but a long HTML one.</p>" || second.Key != "https://example.org/posts/2" {
		t.Errorf("second = %+v", second)
	}
}

func TestAtomBase(t *testing.T) {
	pf := mustParse(t, "atom_base.xml", "", "https://blog.example.com/atom.xml")
	if pf.Title != "Atom Blog" || pf.SiteURL != "https://blog.example.com/" {
		t.Errorf("feed = %q %q", pf.Title, pf.SiteURL)
	}
	if got := pf.Items[0].URL; got != "https://blog.example.com/2024/05/hello.html" {
		t.Errorf("xml:base link = %q", got)
	}
	if got := pf.Items[1]; !got.Published.Equal(time.Date(2024, 4, 1, 0, 0, 0, 0, time.UTC)) || got.URL != "https://other.example.net/abs" {
		t.Errorf("updated-only entry = %v %q", got.Published, got.URL)
	}
	if !strings.Contains(pf.Items[1].Content, "XHTML body") {
		t.Errorf("xhtml content = %q", pf.Items[1].Content)
	}
}

func TestCharsets(t *testing.T) {
	tests := []struct {
		file, contentType, wantFeed, wantItem string
	}{
		{"iso8859_1.xml", "", "Café crème", "Naïve résumé ©"},
		{"iso8859_1.xml", "text/xml; charset=utf-8", "Café crème", "Naïve résumé ©"},
		{"cp1252_decl.xml", "", "“Smart” quotes — €5", "It’s … fine"},
		{"cp1252_nodecl.xml", "text/xml; charset=windows-1252", "“Smart” quotes — €5", "It’s … fine"},
		{"cp1252_nodecl.xml", "text/xml", "“Smart” quotes — €5", "It’s … fine"}, // sniffed
		{"utf8_bom.xml", "", "BOM über", "日本語"},
	}
	for _, tt := range tests {
		t.Run(tt.file+" "+tt.contentType, func(t *testing.T) {
			pf := mustParse(t, tt.file, tt.contentType, "https://x.example/rss")
			if pf.Title != tt.wantFeed || pf.Items[0].Title != tt.wantItem {
				t.Errorf("got %q / %q, want %q / %q", pf.Title, pf.Items[0].Title, tt.wantFeed, tt.wantItem)
			}
		})
	}
}

func TestCleanEscapesKeepsMarkup(t *testing.T) {
	tests := map[string]string{
		"esc before tag":     "<a>x\x1b</a>",
		"csi before tag":     "<a>x\x1b[</a>",
		"osc before tag":     "<a>x\x1b]0;t</a><b>y</b>",
		"osc at cdata end":   "<a><![CDATA[x\x1b]]]></a>",
		"esc in attribute":   "<a t=\"\x1b[1m\">x</a>",
		"unterminated tag":   "<a>x\x1b[1m<b",
		"unterminated cdata": "<a><![CDATA[x\x1b[1m",
	}
	for name, in := range tests {
		t.Run(name, func(t *testing.T) {
			out := string(stripIllegalXML(cleanEscapes([]byte(in))))
			if strings.ContainsRune(out, 0x1b) {
				t.Errorf("ESC survived: %q", out)
			}
			if strings.Count(out, "<") != strings.Count(in, "<") || strings.Count(out, ">") < strings.Count(in, ">")-strings.Count(in, "\x1b]") {
				t.Errorf("markup changed: %q -> %q", in, out)
			}
		})
	}
	if got := string(cleanEscapes([]byte("<t>a\x1b[31mred\x1b[0m</t>"))); got != "<t>ared</t>" {
		t.Errorf("cleanEscapes = %q", got)
	}
}

func TestCharsetEdgeCases(t *testing.T) {
	utf16 := func(s string) []byte {
		out := []byte{0xff, 0xfe}
		for _, r := range s {
			out = append(out, byte(r), byte(r>>8))
		}
		return out
	}
	tests := []struct {
		name, contentType string
		body              []byte
		want              string
	}{
		{"latin1 declared but utf-8 bytes", "", []byte(`<?xml version="1.0" encoding="ISO-8859-1"?><rss version="2.0"><channel><title>Café crème</title></channel></rss>`), "Café crème"},
		{"utf-8 header but latin1 bytes", "text/xml; charset=UTF-8", []byte("<rss version=\"2.0\"><channel><title>Caf\xe9</title></channel></rss>"), "Café"},
		{"utf-8 with some bad bytes", "text/xml; charset=UTF-8", []byte("<rss version=\"2.0\"><channel><title>Caf\xe9 \xc3\xa9</title></channel></rss>"), "Caf\uFFFD é"},
		{"undeclared latin1 bytes", "", []byte("<rss version=\"2.0\"><channel><title>Caf\xe9 \x93q\x94</title></channel></rss>"), "Café “q”"},
		{"utf-16le bom", "", utf16(`<?xml version="1.0" encoding="UTF-16"?><rss version="2.0"><channel><title>Ünï</title></channel></rss>`), "Ünï"},
		{"koi8-r declared", "", append([]byte(`<?xml version="1.0" encoding="KOI8-R"?><rss version="2.0"><channel><title>`), append([]byte{0xf0, 0xd2, 0xc9, 0xd7, 0xc5, 0xd4}, `</title></channel></rss>`...)...), "Привет"},
		{"unknown label", "", []byte(`<?xml version="1.0" encoding="x-made-up"?><rss version="2.0"><channel><title>ok é</title></channel></rss>`), "ok é"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pf, err := Parse(tt.body, tt.contentType, "https://c.example/rss", testNow)
			if err != nil {
				t.Fatal(err)
			}
			if pf.Title != tt.want {
				t.Errorf("title = %q, want %q", pf.Title, tt.want)
			}
		})
	}
}

func TestIllegalAndInvalid(t *testing.T) {
	pf := mustParse(t, "illegal_chars.xml", "", "https://illegal.example.org/rss")
	if pf.Title != "Bad chars" || pf.Items[0].Title != "Verticaltab and red" {
		t.Errorf("got %q / %q", pf.Title, pf.Items[0].Title)
	}
	pf = mustParse(t, "invalid_utf8.xml", "", "https://bad.example.org/rss")
	if pf.Title != "Broken \uFFFD bytes été" || pf.Items[0].Title != "Item \uFFFD cut" {
		t.Errorf("got %q / %q", pf.Title, pf.Items[0].Title)
	}
}

func TestDates(t *testing.T) {
	pf := mustParse(t, "dates.xml", "", "https://d.example.org/rss")
	want := map[string]time.Time{
		"Missing":     testNow,
		"Garbage":     testNow,
		"Future":      testNow,
		"Near future": time.Date(2026, 7, 2, 12, 0, 0, 0, time.UTC),
		"Far past":    time.Date(1994, 1, 1, 0, 0, 0, 0, time.UTC),
	}
	if len(pf.Items) != len(want) {
		t.Fatalf("%d items", len(pf.Items))
	}
	for _, it := range pf.Items {
		if !it.Published.Equal(want[it.Title]) {
			t.Errorf("%s: Published = %v, want %v", it.Title, it.Published, want[it.Title])
		}
	}
}

func TestKeysAndDuplicates(t *testing.T) {
	pf := mustParse(t, "dup_guid.xml", "", "https://dup.example.org/rss")
	var got []string
	for _, it := range pf.Items {
		got = append(got, it.Title)
	}
	if strings.Join(got, "|") != "First|No guid|Neither guid nor link|Neither guid nor link" {
		t.Errorf("items = %q", got)
	}
	if pf.Items[0].Key != "same" || pf.Items[1].Key != "https://dup.example.org/3" {
		t.Errorf("keys = %q %q", pf.Items[0].Key, pf.Items[1].Key)
	}
	h1, h2 := pf.Items[2].Key, pf.Items[3].Key
	if len(h1) != 64 || len(h2) != 64 || h1 == h2 {
		t.Errorf("hash keys = %q %q", h1, h2)
	}
}

func TestBadLinks(t *testing.T) {
	pf := mustParse(t, "bad_links.xml", "", "https://links.example.org/a/b/rss")
	if pf.SiteURL != "" {
		t.Errorf("SiteURL = %q", pf.SiteURL)
	}
	wantURL := []string{"", "", "https://links.example.org/a/up/x.html?a=1&b=2", "https://links.example.org/from-guid"}
	for i, it := range pf.Items {
		if it.URL != wantURL[i] {
			t.Errorf("%s: URL = %q, want %q", it.Title, it.URL, wantURL[i])
		}
		if len(it.Enclosures) != 0 {
			t.Errorf("%s: enclosures %+v", it.Title, it.Enclosures)
		}
	}
}

// TestNoEscapesSurvive checks that no terminal control survives any field,
// whatever form it arrived in.
func TestNoEscapesSurvive(t *testing.T) {
	for _, f := range []struct{ file, url string }{
		{"escapes.xml", "https://esc.example.org/rss"},
		{"escapes_refs.xml", "https://esc.example.org/rss"},
		{"escapes_json.json", "https://j.example.org/feed.json"},
		{"jsonfeed11.json", "https://json.example.org/feed.json"},
		{"illegal_chars.xml", "https://i.example.org/rss"},
	} {
		t.Run(f.file, func(t *testing.T) {
			pf := mustParse(t, f.file, "", f.url)
			if len(pf.Items) == 0 {
				t.Fatal("no items")
			}
			fields := []string{pf.Title, pf.Description, pf.SiteURL}
			for _, it := range pf.Items {
				fields = append(fields, it.Key, it.GUID, it.URL, it.Title, it.Author, it.Summary, it.Content)
				fields = append(fields, it.Categories...)
			}
			for _, s := range fields {
				if bad := controlIn(s); bad != "" {
					t.Errorf("field %q contains %s", s, bad)
				}
			}
		})
	}
}

func controlIn(s string) string {
	for _, r := range s {
		if (r < 0x20 && r != '\n' && r != '\t') || (r >= 0x7f && r <= 0x9f) || (r >= 0x202a && r <= 0x202e) {
			return "control " + string(rune('0'+r%10))
		}
	}
	for _, ref := range []string{"&#27;", "&#x1b;", "&#x1B;", "&amp;#27;", "&#155;", "&#x9b;"} {
		if strings.Contains(s, ref) {
			return "reference " + ref
		}
	}
	return ""
}

func TestEscapeTitles(t *testing.T) {
	tests := []struct {
		file string
		want []string
	}{
		// Raw ESC bytes: text runs holding them are cleaned before parsing,
		// so whole sequences go.
		{"escapes.xml", []string{"Raw red", "Ref [31mred[0m ›31m", "Double red", "CDATA red [1m", "C1 csi and bidi"}},
		// References only: &#27; cannot be represented in XML and is dropped
		// before parsing, leaving its harmless tail; double-encoded ones decode
		// to ESC in the title and lose the whole sequence; &#155; is U+203A by
		// HTML's Windows-1252 rule.
		{"escapes_refs.xml", []string{"Ref [31mred[0m ›31m", "Double red", "Triple [31mred", "CDATA [1mx [2my", "C1 csi and bidi"}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			pf := mustParse(t, tt.file, "", "https://esc.example.org/rss")
			if len(pf.Items) != len(tt.want) {
				t.Fatalf("%d items", len(pf.Items))
			}
			for i, it := range pf.Items {
				if it.Title != tt.want[i] {
					t.Errorf("item %d title = %q, want %q", i, it.Title, tt.want[i])
				}
			}
		})
	}
}

func TestHostileDocuments(t *testing.T) {
	deep := "<rss version=\"2.0\"><channel><item><title>x</title><ext:a xmlns:ext=\"http://x\">" +
		strings.Repeat("<ext:a>", MaxDepth+10) + "</ext:a></item></channel></rss>"
	laughs := `<?xml version="1.0"?>
<!DOCTYPE rss [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
]>
<rss version="2.0"><channel><title>&lol2;</title></channel></rss>`
	tests := []struct {
		name, doc, msg string
		kind           error
	}{
		{"too deep", deep, "nested deeper than 10000 levels", nil},
		{"billion laughs", laughs, "entity expansion refused", nil},
		{"html page", "<!DOCTYPE html><html><body>hi</body></html>", "not a feed", ErrNotFeed},
		{"empty", "  \n", "not a feed", ErrNotFeed},
		{"broken json", `{"version": "https://jsonfeed.org/version/1", "items": [`, "parse feed https://h.example/f:", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.doc), "", "https://h.example/f", testNow)
			if err == nil || !strings.Contains(err.Error(), tt.msg) || !strings.HasPrefix(err.Error(), "parse feed https://h.example/f: ") {
				t.Fatalf("err = %v, want %q", err, tt.msg)
			}
			if tt.kind != nil && !errors.Is(err, tt.kind) {
				t.Errorf("err = %v, want errors.Is %v", err, tt.kind)
			}
		})
	}
	t.Run("doctype without entities ok", func(t *testing.T) {
		doc := `<?xml version="1.0"?><!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "http://my.netscape.com/publish/formats/rss-0.91.dtd">
<rss version="0.91"><channel><title>Old</title><item><title>i</title><link>https://o.example/1</link></item></channel></rss>`
		pf, err := Parse([]byte(doc), "", "https://o.example/rss", testNow)
		if err != nil || pf.Title != "Old" || len(pf.Items) != 1 {
			t.Fatalf("pf = %+v, err = %v", pf, err)
		}
	})
	t.Run("many stray end tags", func(t *testing.T) {
		doc := "<rss version=\"2.0\"><channel><item><title>x</title><ext:a xmlns:ext=\"http://x\">" +
			strings.Repeat("<ext:a>", MaxDepth-10) + strings.Repeat("</nope>", 200000) +
			strings.Repeat("</ext:a>", MaxDepth-10) + "</ext:a></item></channel></rss>"
		if err := checkDepth([]byte(doc), MaxDepth); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("deep but allowed", func(t *testing.T) {
		doc := "<rss version=\"2.0\"><channel><item><title>x</title><ext:a xmlns:ext=\"http://x\">" +
			strings.Repeat("<ext:a>", MaxDepth-10) + strings.Repeat("</ext:a>", MaxDepth-10) + "</ext:a></item></channel></rss>"
		if _, err := Parse([]byte(doc), "", "https://o.example/rss", testNow); err != nil {
			t.Fatal(err)
		}
	})
}
