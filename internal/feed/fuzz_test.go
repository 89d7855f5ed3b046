package feed

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/byline/byline/internal/model"
	"github.com/byline/byline/internal/sanitize"
)

// FuzzParse checks the invariants Parse promises on arbitrary input: no
// panic, every item keyed uniquely and dated, URLs web-only, no controls.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.*"))
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil && filepath.Ext(p) != ".html" {
			f.Add(b, "")
		}
	}
	f.Add([]byte(`<rss version="2.0"><channel><item><title>&#27;x</title></item></channel></rss>`), "text/xml; charset=windows-1252")
	f.Fuzz(func(t *testing.T, body []byte, contentType string) {
		pf, err := Parse(body, contentType, "https://fuzz.example/feed", testNow)
		if err != nil {
			return
		}
		if bad := controlIn(pf.Title); bad != "" {
			t.Fatalf("feed title %q: %s", pf.Title, bad)
		}
		keys := map[string]bool{}
		for _, it := range pf.Items {
			if it.Key == "" || keys[it.Key] {
				t.Fatalf("empty or duplicate key %q", it.Key)
			}
			keys[it.Key] = true
			if it.Published.IsZero() || it.Published.After(testNow.Add(futureSlack)) {
				t.Fatalf("Published = %v", it.Published)
			}
			for _, u := range append([]string{it.URL}, enclosureURLs(it.Enclosures)...) {
				if u != "" && !sanitize.IsWebURL(u) {
					t.Fatalf("URL %q", u)
				}
			}
			for _, s := range []string{it.Title, it.Author, it.Summary, it.Content, it.GUID} {
				if bad := controlIn(s); bad != "" {
					t.Fatalf("field %q: %s", s, bad)
				}
			}
		}
	})
}

func enclosureURLs(es []model.Enclosure) []string {
	var out []string
	for _, e := range es {
		out = append(out, e.URL)
	}
	return out
}
