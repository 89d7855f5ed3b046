package extract

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// checkOutput fails on invalid UTF-8 or any C0 control but \n and \t (ESC
// included) in s.
func checkOutput(t *testing.T, what, s string) {
	t.Helper()
	if !utf8.ValidString(s) {
		t.Fatalf("%s: invalid UTF-8: %q", what, s)
	}
	for _, r := range s {
		if (r < 0x20 && r != '\n' && r != '\t') || r == 0x7f || (r >= 0x80 && r <= 0x9f) {
			t.Fatalf("%s: control character %U in %q", what, r, s)
		}
	}
}

func FuzzExtract(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.html")
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b, "text/html")
		}
	}
	f.Add([]byte("<p>\x1b[31mred\x1b[0m &#27;[2J “quoted,” she said. “More.”</p>"), "text/html; charset=windows-1252")
	f.Add([]byte("<blockquote><p>a</p>— b</blockquote><figure><figcaption>c</figcaption></figure>"), "")
	f.Fuzz(func(t *testing.T, page []byte, ct string) {
		a, err := Extract(page, ct, "https://fuzz.example/a", Options{MaxElements: 5000})
		if err != nil {
			return
		}
		for name, s := range map[string]string{"title": a.Title, "author": a.Author, "site": a.Site, "caption": a.ImageCaption, "body": a.Markdown, "url": a.ImageURL} {
			checkOutput(t, name, s)
		}
		if strings.ContainsAny(a.Title, "\n\t") {
			t.Fatalf("title not one line: %q", a.Title)
		}
		checkOutput(t, "plain", PlainText(a.Markdown))
		checkOutput(t, "fromhtml", FromHTML(string(page), "https://fuzz.example/"))
	})
}

func FuzzIsDirectSpeech(f *testing.F) {
	for _, s := range []string{
		`“We heard the residents loud and clear,” said Priya Nand. “This is their government.”`,
		`“Open by Default,” a report the council commissioned, found that half had been refused.`,
		"«\u00a0Nous avons attendu ce moment\u00a0», a confié la directrice.",
		`„Diese Brücke verbindet zwei Stadtteile“, sagte sie.`,
		`「ずっと待っていました」と女性は話した。`,
		`'Twas the city's clerks who didn't sleep.`,
		`‚Endlich‘ stand auf einem Schild.`,
		"", "“", "\"\"", "'a'", "«»",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		share := QuotedShare(s)
		if share < 0 || share > 1 || share != share {
			t.Fatalf("QuotedShare(%q) = %v", s, share)
		}
		if IsDirectSpeech(s) && share < DirectSpeechThreshold {
			t.Fatalf("IsDirectSpeech(%q) true with share %v", s, share)
		}
	})
}
