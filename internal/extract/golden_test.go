package extract

import (
	"github.com/byline/byline/internal/golden"

	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/byline/byline/internal/model"
)

// goldenDoc renders the fields of a that the golden files pin down.
func goldenDoc(a model.Article) string {
	var b strings.Builder
	b.WriteString("Title: " + a.Title + "\n")
	b.WriteString("Author: " + a.Author + "\n")
	b.WriteString("Site: " + a.Site + "\n")
	if !a.Published.IsZero() {
		b.WriteString("Published: " + a.Published.UTC().Format(time.RFC3339) + "\n")
	}
	b.WriteString("Image: " + a.ImageURL + "\n")
	b.WriteString("ImageCaption: " + a.ImageCaption + "\n")
	b.WriteString("---\n")
	b.WriteString(a.Markdown + "\n")
	return b.String()
}

func TestGolden(t *testing.T) {
	pages, err := filepath.Glob("testdata/*.html")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range pages {
		name := strings.TrimSuffix(filepath.Base(p), ".html")
		if strings.HasPrefix(name, "feed_") {
			continue
		}
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			a, err := Extract(src, "text/html; charset=utf-8", "https://news.example.com/2026/"+name, Options{})
			if err != nil {
				t.Fatalf("Extract: %v", err)
			}
			if a.Source != model.SourceExtracted || !a.ExtractedAt.IsZero() {
				t.Errorf("Source %q ExtractedAt %v", a.Source, a.ExtractedAt)
			}
			golden.Check(t, strings.TrimSuffix(p, ".html")+".golden.md", goldenDoc(a))
		})
	}
}

func TestGoldenFromHTML(t *testing.T) {
	pages, _ := filepath.Glob("testdata/feed_*.html")
	if len(pages) == 0 {
		t.Fatal("no feed fixtures")
	}
	for _, p := range pages {
		t.Run(filepath.Base(p), func(t *testing.T) {
			src, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			got := FromHTML(string(src), "https://news.example.com/feed") + "\n"
			golden.Check(t, strings.TrimSuffix(p, ".html")+".golden.md", got)
		})
	}
}
