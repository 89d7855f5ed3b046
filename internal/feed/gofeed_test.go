package feed

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestGofeedFixtures runs a handful of gofeed's own fixtures (testdata/gofeed,
// MIT) through Parse: golden output plus the facts each fixture is about.
func TestGofeedFixtures(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "gofeed", "*.*"))
	if err != nil {
		t.Fatal(err)
	}
	var n int
	for _, path := range files {
		name := filepath.Base(path)
		if strings.HasSuffix(name, ".golden.json") || name == "LICENSE" || name == "NOTICE" {
			continue
		}
		n++
		t.Run(name, func(t *testing.T) {
			body, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			pf, err := Parse(body, "", "https://gofeed.example/feeds/feed.xml", testNow)
			if err != nil {
				t.Fatal(err)
			}
			checkGolden(t, filepath.Join("gofeed", name), pf)
		})
	}
	if n < 10 {
		t.Fatalf("only %d gofeed fixtures found", n)
	}

	facts := []struct {
		file  string
		check func(t *testing.T, title, url, content string)
	}{
		{"rss_rss_channel_item_illegal_char.xml", func(t *testing.T, title, _, _ string) {
			if title != "abcd" {
				t.Errorf("title = %q", title)
			}
		}},
		{"rss_rss_channel_item_xml_base.xml", func(t *testing.T, _, url, _ string) {
			if url != "http://example.org/feeds/post/1" {
				t.Errorf("url = %q", url)
			}
		}},
		{"atom_entry_content_xml_base.xml", func(t *testing.T, _, _, content string) {
			if !strings.Contains(content, `href="http://example.com/test/test.html"`) {
				t.Errorf("content = %q", content)
			}
		}},
	}
	for _, f := range facts {
		t.Run("fact "+f.file, func(t *testing.T) {
			pf := mustParse(t, filepath.Join("gofeed", f.file), "", "https://gofeed.example/feeds/feed.xml")
			if len(pf.Items) != 1 {
				t.Fatalf("%d items", len(pf.Items))
			}
			it := pf.Items[0]
			f.check(t, it.Title, it.URL, it.Content)
		})
	}
}
