package render

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"
)

// longArticle builds an article of about words words: paragraphs with
// emphasis and links, a block quote every third paragraph, a caption every
// fifth, a heading every eighth.
func longArticle(words int) string {
	sentence := strings.Fields("The council met on Tuesday to discuss the *budget*, and the " +
		"[mayor](https://example.com/mayor) said the plan would change how the city works for years.")
	var b strings.Builder
	n, para := 0, 0
	for n < words {
		para++
		switch {
		case para%8 == 0:
			fmt.Fprintf(&b, "## Section %d\n\n", para/8)
		case para%5 == 0:
			b.WriteString("*Image: The council chamber during the vote — Photo: Staff*\n\n")
		}
		prefix := ""
		if para%3 == 0 {
			prefix = "> "
		}
		b.WriteString(prefix)
		for i := 0; i < 60 && n < words; i++ {
			b.WriteString(sentence[i%len(sentence)])
			b.WriteByte(' ')
			n++
			if i%12 == 11 {
				b.WriteString("\n" + prefix)
			}
		}
		b.WriteString("\n\n")
	}
	return b.String()
}

func TestLongArticleSize(t *testing.T) {
	md := longArticle(2000)
	if n := len(strings.Fields(md)); n < 2000 || n > 2300 {
		t.Fatalf("longArticle(2000) has %d words", n)
	}
	if !strings.Contains(md, "\n> ") || !strings.Contains(md, "*Image: ") {
		t.Fatal("longArticle lacks quotes or captions")
	}
}

func BenchmarkTerminal2000Words(b *testing.B) {
	md := longArticle(2000)
	b.SetBytes(int64(len(md)))
	for b.Loop() {
		if _, err := Terminal(md, 100, Style{Dark: true}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPlainText(b *testing.B) {
	md := longArticle(2000)
	b.SetBytes(int64(len(md)))
	for b.Loop() {
		PlainText(md, 80)
	}
}

func BenchmarkBodyText(b *testing.B) {
	md := longArticle(2000)
	b.SetBytes(int64(len(md)))
	for b.Loop() {
		BodyText(md)
	}
}

var fuzzSeeds = []string{
	"",
	"# Title\n\n*meta*\n\n> quote\n\n*Image: caption*\n",
	"> > nested\n>\n> *Image: [x*\n",
	"| a | b |\n|---|---|\n| 日本 | 👍🏽 |\n",
	"- a\n  - b\n    1. c\n",
	"```\n\tcode\x1b[31m\n```\n",
	"\x1b]8;;http://x\x07link\x1b]8;;\x07 &#27;[2J \u009b31m",
	"*Image: *",
	"![alt]()\n\n<div>html</div>\n",
	"Term\n: def\n",
	"\xff\xfe invalid utf8",
	"قال المتحدث \u202e reversed",
}

func FuzzPlainText(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s, 40)
	}
	f.Fuzz(func(t *testing.T, md string, width int) {
		width = width % 200
		for _, out := range []string{PlainText(md, width), BodyText(md)} {
			if !utf8.ValidString(out) {
				t.Fatalf("invalid UTF-8: %q", out)
			}
			for _, r := range out {
				if r != '\n' && (r < 0x20 || r == 0x7f || (r >= 0x80 && r <= 0x9f)) {
					t.Fatalf("control %U in output %q", r, out)
				}
			}
		}
	})
}

func FuzzTerminal(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s, 40, true, false)
	}
	f.Fuzz(func(t *testing.T, md string, width int, dark, noColor bool) {
		width = width % 200
		out, err := Terminal(md, width, Style{Dark: dark, NoColor: noColor})
		if err != nil {
			return // a recovered glamour panic is an acceptable result
		}
		if !utf8.ValidString(out) {
			t.Fatalf("invalid UTF-8 in %q", out)
		}
		// Only SGR and OSC 8 may appear: anything else (cursor movement,
		// clearing, titles) would be an injection through the renderer.
		rest := osc8.ReplaceAllString(sgr.ReplaceAllString(out, ""), "")
		for _, r := range rest {
			if r == 0x1b || r == 0x9b || r == 0x9d || (r < 0x20 && r != '\n') {
				t.Fatalf("control %U outside SGR/OSC 8 in %q", r, out)
			}
		}
	})
}
