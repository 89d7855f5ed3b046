package subs

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/byline/byline/internal/model"
)

func parseFile(t *testing.T, name string) ([]Subscription, []Skipped) {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	subs, skipped, err := Parse(f)
	if err != nil {
		t.Fatalf("Parse(%s): %v", name, err)
	}
	return subs, skipped
}

func TestParseOPML1(t *testing.T) {
	subs, skipped := parseFile(t, "opml1.opml")
	want := []Subscription{
		{URL: "https://go.dev/blog/feed.atom", Title: "The Go Blog", Tags: []string{"Go", "Tech"}},
		{URL: "https://lwn.net/headlines/rss", Title: "LWN", Tags: []string{"Tech"}},
		{URL: "https://cafe.example.org/rss?a=1&b=2", Title: "Café & News"},
	}
	if !reflect.DeepEqual(subs, want) {
		t.Errorf("subs = %#v\nwant %#v", subs, want)
	}
	if len(skipped) != 0 {
		t.Errorf("skipped = %+v", skipped)
	}
}

func TestParseOPML2(t *testing.T) {
	subs, skipped := parseFile(t, "opml2.opml")
	want := []Subscription{
		{URL: "https://example.org/feed.xml", Title: "Example Custom", Tags: []string{"News", "Reading"}},
		{URL: "http://wire.example.net/rss", Title: "World Wire", Tags: []string{"News", "World"}},
		{URL: "https://untagged.example.com/atom", Title: "Untitled", Tags: []string{"Deep", "Misc", "Other"}},
		{URL: "https://esc.example.com/rss", Title: "Esc[31m title"},
	}
	if !reflect.DeepEqual(subs, want) {
		t.Errorf("subs = %#v\nwant %#v", subs, want)
	}
	wantSkipped := []Skipped{
		{Line: 10, Entry: "javascript:alert(1)", Reason: "not an absolute http or https url"},
		{Line: 17, Entry: "file:///home/me/feed.xml", Reason: "local files are not supported"},
	}
	if !reflect.DeepEqual(skipped, wantSkipped) {
		t.Errorf("skipped = %+v\nwant %+v", skipped, wantSkipped)
	}
}

func TestParseOPMLLatin1(t *testing.T) {
	doc := "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<opml version=\"1.0\"><body>" +
		"<outline text=\"Caf\xe9\"><outline text=\"Cr\xe8me\x01 br\xfbl\xe9e\" xmlUrl=\"https://l.example/rss\"/></outline></body></opml>"
	subs, _, err := Parse(strings.NewReader(doc))
	if err != nil {
		t.Fatal(err)
	}
	want := []Subscription{{URL: "https://l.example/rss", Title: "Crème brûlée", Tags: []string{"Café"}}}
	if !reflect.DeepEqual(subs, want) {
		t.Errorf("subs = %#v", subs)
	}
}

func TestParseURLs(t *testing.T) {
	subs, skipped := parseFile(t, "urls")
	want := []Subscription{
		{URL: "https://example.org/feed.xml", Title: "My Example", Tags: []string{"extra", "news", "tech stuff"}},
		{URL: "http://plain.example.net/rss"},
		{URL: "https://hidden.example.com/atom", Tags: []string{"secret", "tech"}},
		{URL: "https://quoted.example.org/feed?x=1#frag", Tags: []string{`tag "quoted"`}},
	}
	if !reflect.DeepEqual(subs, want) {
		t.Errorf("subs = %#v\nwant %#v", subs, want)
	}
	wantLines := map[int]string{6: "exec:", 7: "filter:", 8: "command", 9: "query", 10: "local files", 11: "not an absolute"}
	if len(skipped) != len(wantLines) {
		t.Fatalf("skipped = %+v", skipped)
	}
	for _, s := range skipped {
		if !strings.Contains(s.Reason, wantLines[s.Line]) {
			t.Errorf("line %d (%q): reason %q, want it to mention %q", s.Line, s.Entry, s.Reason, wantLines[s.Line])
		}
	}
	if skipped[0].Entry != "exec:~/bin/gen-feed.sh" {
		t.Errorf("entry = %q", skipped[0].Entry)
	}
}

func TestTokenize(t *testing.T) {
	tests := map[string][]string{
		`a b  c`:               {"a", "b", "c"},
		`a "b c" d`:            {"a", "b c", "d"},
		`a "x \"y\" \\ z"`:     {"a", `x "y" \ z`},
		`a # comment "x"`:      {"a"},
		`http://x/#frag tag`:   {"http://x/#frag", "tag"},
		`# whole line`:         nil,
		`a "unterminated tag`:  {"a", "unterminated tag"},
		"a\t\"~Title here\"\r": {"a", "~Title here"},
		`""`:                   {""},
	}
	for in, want := range tests {
		if got := tokenize(in); !reflect.DeepEqual(got, want) {
			t.Errorf("tokenize(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := map[string]string{
		"broken xml": `<opml version="2.0"><body><outline text="a" xmlUrl="https://x.example/"`,
		"not opml":   `<rss version="2.0"><channel/></rss>`,
		"too deep":   "<opml><body>" + strings.Repeat(`<outline text="f">`, maxNesting+1) + "</body></opml>",
	}
	for name, doc := range tests {
		t.Run(name, func(t *testing.T) {
			_, _, err := Parse(strings.NewReader(doc))
			if err == nil || !strings.HasPrefix(err.Error(), "parse opml: ") {
				t.Errorf("err = %v", err)
			}
		})
	}
	t.Run("read error", func(t *testing.T) {
		_, _, err := Parse(errReader{})
		if !errors.Is(err, errBoom) {
			t.Errorf("err = %v", err)
		}
	})
}

var errBoom = errors.New("boom")

type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, errBoom }

func TestWriteOPMLRoundTrip(t *testing.T) {
	feeds := []model.Feed{
		{URL: "https://example.org/feed.xml", Title: "Example", CustomTitle: "My <Example> & \"Co\"", Tags: []string{"news", "tech stuff"}},
		{URL: "https://b.example.net/rss?a=1&b=2", Title: "B's feed", SiteURL: "https://b.example.net/"},
		{URL: "https://c.example.com/atom", Tags: []string{"news"}},
		{URL: "https://d.example.com/rss", Title: "Tab\there\nand line", Tags: []string{"a/b", "ünï"}},
		{URL: "https://e.example.com/rss", Title: "Esc\x1b[31m red", Tags: []string{"x\x1b]0;t\x07y"}},
	}
	var buf bytes.Buffer
	if err := WriteOPML(&buf, feeds); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, bad := range []string{"\x1b", "<Example>", `"Co"`, "&b=2"} {
		if strings.Contains(out, bad) {
			t.Errorf("output contains unescaped %q:\n%s", bad, out)
		}
	}
	if !strings.Contains(out, `<opml version="2.0">`) || strings.Count(out, `xmlUrl="https://example.org/feed.xml"`) != 2 {
		t.Errorf("unexpected OPML:\n%s", out)
	}
	got, skipped, err := Parse(&buf)
	if err != nil || len(skipped) != 0 {
		t.Fatalf("re-parse: %v %+v", err, skipped)
	}
	want := map[string]Subscription{
		"https://example.org/feed.xml":      {URL: "https://example.org/feed.xml", Title: `My <Example> & "Co"`, Tags: []string{"news", "tech stuff"}},
		"https://b.example.net/rss?a=1&b=2": {URL: "https://b.example.net/rss?a=1&b=2", Title: "B's feed"},
		"https://c.example.com/atom":        {URL: "https://c.example.com/atom", Tags: []string{"news"}},
		"https://d.example.com/rss":         {URL: "https://d.example.com/rss", Title: "Tab here and line", Tags: []string{"a/b", "ünï"}},
		"https://e.example.com/rss":         {URL: "https://e.example.com/rss", Title: "Esc red", Tags: []string{"xy"}},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d subscriptions: %+v", len(got), got)
	}
	for _, s := range got {
		if !reflect.DeepEqual(s, want[s.URL]) {
			t.Errorf("round trip %s:\n got %#v\nwant %#v", s.URL, s, want[s.URL])
		}
	}
}

func TestWriteOPMLEmpty(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteOPML(&buf, nil); err != nil {
		t.Fatal(err)
	}
	subs, skipped, err := Parse(&buf)
	if err != nil || len(subs) != 0 || len(skipped) != 0 {
		t.Errorf("subs %v skipped %v err %v", subs, skipped, err)
	}
}
