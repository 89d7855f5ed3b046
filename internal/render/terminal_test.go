package render

import (
	"fmt"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"

	"charm.land/glamour/v2/styles"
	"github.com/charmbracelet/x/ansi"
)

var allStyles = []Style{{Dark: true}, {Dark: false}, {NoColor: true}, {Dark: true, NoColor: true}}

func (s Style) String() string { return fmt.Sprintf("dark=%v,nocolor=%v", s.Dark, s.NoColor) }

const quoteDoc = `BEFORE.

> "We wanted the terminal to feel like a good paperback," said the lead
> developer, in a quote long enough to wrap at every width we test, which
> means it has to run on for quite a few words before it finally stops.
>
> A second quoted paragraph, also long enough to wrap over two or more lines at forty.

AFTER.

*Image: A terminal window showing a rendered article — Photo: J. Doe*

Some *emphasised* text that is not a caption.
`

func TestTerminalQuotesAndCaptions(t *testing.T) {
	for _, w := range []int{40, 80, 100} {
		for _, st := range allStyles {
			t.Run(fmt.Sprintf("%d/%v", w, st), func(t *testing.T) {
				out, err := Terminal(quoteDoc, w, st)
				if err != nil {
					t.Fatal(err)
				}
				plain := StripANSI(out)
				lines := strings.Split(plain, "\n")
				assertWidth(t, lines, w)

				in, quoted := false, 0
				for _, l := range lines {
					switch {
					case strings.Contains(l, "BEFORE"):
						in = true
						continue
					case strings.Contains(l, "AFTER"):
						in = false
					}
					if !in || strings.TrimSpace(l) == "" {
						continue
					}
					quoted++
					if !strings.HasPrefix(strings.TrimLeft(l, " "), quoteToken) {
						t.Errorf("quote line without bar: %q", l)
					}
				}
				if quoted < 4 {
					t.Errorf("only %d quote lines:\n%s", quoted, plain)
				}

				flat := strings.Join(strings.Fields(plain), " ")
				caption := "Image: A terminal window showing a rendered article — Photo: J. Doe"
				if st.NoColor {
					caption = "[" + caption + "]"
				}
				if !strings.Contains(flat, caption) {
					t.Errorf("caption %q missing:\n%s", caption, plain)
				}
			})
		}
	}
}

// TestTerminalCaptionStyle checks that a caption does not look like emphasis:
// glamour styles all emphasis alike, captions get their own colour.
func TestTerminalCaptionStyle(t *testing.T) {
	for _, st := range []Style{{Dark: true}, {Dark: false}} {
		out, err := Terminal(quoteDoc, 80, st)
		if err != nil {
			t.Fatal(err)
		}
		caption := sgrBefore(out, "Image: A terminal")
		emph := sgrBefore(out, "emphasised")
		if caption == "" || emph == "" {
			t.Fatalf("%v: no styling found (caption %q, emphasis %q)", st, caption, emph)
		}
		if caption == emph {
			t.Errorf("%v: caption styled like emphasis: %q", st, caption)
		}
		if !strings.Contains(caption, ";3m") && !strings.Contains(caption, "[3;") {
			t.Errorf("%v: caption not italic: %q", st, caption)
		}
		if strings.Contains(out, "\x1b]8;id=2166136261;") || strings.Contains(out, "\x1b]8;;\x07Image") {
			t.Errorf("%v: caption wrapped in an empty hyperlink", st)
		}
	}
}

var sgr = regexp.MustCompile("\x1b\\[[0-9;]*m")

// sgrBefore returns the last SGR sequence before the first occurrence of s.
func sgrBefore(out, s string) string {
	i := strings.Index(out, s)
	if i < 0 {
		return ""
	}
	m := sgr.FindAllString(out[:i], -1)
	if len(m) == 0 {
		return ""
	}
	return m[len(m)-1]
}

var osc8 = regexp.MustCompile("\x1b\\]8;[^\x07\x1b]*(\x07|\x1b\\\\)")

func TestTerminalNoColor(t *testing.T) {
	md, err := os.ReadFile("testdata/article.md")
	if err != nil {
		t.Fatal(err)
	}
	out, err := Terminal(string(md), 80, Style{NoColor: true})
	if err != nil {
		t.Fatal(err)
	}
	// Hyperlinks are not colour; anything else with ESC is.
	if rest := osc8.ReplaceAllString(out, ""); strings.ContainsRune(rest, 0x1b) {
		i := strings.IndexRune(rest, 0x1b)
		t.Errorf("escape sequence in no-colour output: %q", rest[max(0, i-20):min(len(rest), i+20)])
	}
	if !strings.Contains(out, quoteToken) {
		t.Error("no quote gutter in no-colour output")
	}
}

func TestTerminalHardCases(t *testing.T) {
	md, err := os.ReadFile("testdata/international.md")
	if err != nil {
		t.Fatal(err)
	}
	wide := "| " + strings.Repeat("wide column header | ", 14) + "\n|" + strings.Repeat("---|", 14) + "\n| " +
		strings.Repeat("cell text that is long | ", 14) + "\n"
	cases := map[string]string{
		"international":  string(md),
		"wide table":     wide,
		"long word":      strings.Repeat("x", 500),
		"long article":   longArticle(2000),
		"empty":          "",
		"code with tabs": "```\n\tif x {\n\t\t\treturn " + strings.Repeat("y", 150) + "\n\t}\n```\n",
		"deep quotes":    strings.Repeat("> ", 20) + "deep",
		"deep lists":     nestedList(15),
	}
	for name, md := range cases {
		for _, w := range []int{40, 80, 100} {
			for _, st := range []Style{{Dark: true}, {NoColor: true}} {
				out, err := Terminal(md, w, st)
				if err != nil {
					t.Errorf("%s %d %v: %v", name, w, st, err)
					continue
				}
				assertWidth(t, strings.Split(StripANSI(out), "\n"), w)
			}
		}
	}
}

func nestedList(depth int) string {
	var b strings.Builder
	for i := 0; i < depth; i++ {
		b.WriteString(strings.Repeat("  ", i) + "- level " + fmt.Sprint(i) + " with some words to wrap around\n")
	}
	return b.String()
}

func assertWidth(t *testing.T, lines []string, w int) {
	t.Helper()
	for _, l := range lines {
		if n := ansi.StringWidth(l); n > w {
			t.Errorf("line of %d cells at width %d: %q", n, w, l)
		}
	}
}

func TestTerminalWidthDefaultAndCap(t *testing.T) {
	md := strings.Repeat("word ", 200)
	for _, w := range []int{0, -5, 300} {
		out, err := Terminal(md, w, Style{Dark: true})
		if err != nil {
			t.Fatal(err)
		}
		maxW := 0
		for _, l := range strings.Split(StripANSI(out), "\n") {
			maxW = max(maxW, ansi.StringWidth(l))
		}
		if maxW > MaxWidth || maxW < MaxWidth-10 {
			t.Errorf("width %d: widest line %d, want about %d", w, maxW, MaxWidth)
		}
	}
}

// TestTerminalLeavesGlamourStylesAlone guards against writing through the
// pointers shared with glamour's package-level styles.
func TestTerminalLeavesGlamourStylesAlone(t *testing.T) {
	before := *styles.DarkStyleConfig.BlockQuote.IndentToken
	beforeLight := *styles.LightStyleConfig.BlockQuote.IndentToken
	beforeASCII := *styles.ASCIIStyleConfig.BlockQuote.IndentToken
	beforeImg := styles.DarkStyleConfig.ImageText.Format
	for _, st := range allStyles {
		if _, err := Terminal(quoteDoc, 60, st); err != nil {
			t.Fatal(err)
		}
	}
	if *styles.DarkStyleConfig.BlockQuote.IndentToken != before ||
		*styles.LightStyleConfig.BlockQuote.IndentToken != beforeLight ||
		*styles.ASCIIStyleConfig.BlockQuote.IndentToken != beforeASCII ||
		styles.DarkStyleConfig.ImageText.Format != beforeImg {
		t.Error("Terminal changed glamour's shared styles")
	}
}

func TestTerminalConcurrent(t *testing.T) {
	want, err := Terminal(quoteDoc, 70, Style{Dark: true})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan string, 8)
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got, err := Terminal(quoteDoc, 70, Style{Dark: true})
			if err != nil || got != want {
				errs <- fmt.Sprintf("concurrent render differs (err %v)", err)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

func TestMarkCaptions(t *testing.T) {
	tests := []struct{ in, want string }{
		{"*Image: plain*\n", "![Image: plain]()\n"},
		{"> *Image: in a quote*\n", "> ![Image: in a quote]()\n"},
		{"*Image: with [a link](https://x.example)*\n", "![Image: with [a link](https://x.example)]()\n"},
		{"*Image: unbalanced [ bracket*\n", "![Image: unbalanced \\[ bracket]()\n"},
		{"*Image: escaped \\] bracket*\n", "![Image: escaped \\] bracket]()\n"},
		{"*Image: a* and text\n", "*Image: a* and text\n"},
		{"**Image: bold**\n", "**Image: bold**\n"},
		{"text\n\n*Image: x*\n\nmore\n", "text\n\n![Image: x]()\n\nmore\n"},
	}
	for _, tt := range tests {
		if got := markCaptions(tt.in); got != tt.want {
			t.Errorf("markCaptions(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestStripANSI(t *testing.T) {
	if got := StripANSI("\x1b[1;31mred\x1b[m \x1b]8;;https://x\x07link\x1b]8;;\x07"); got != "red link" {
		t.Errorf("StripANSI = %q", got)
	}
}

func TestTerminalWideTableAsRecords(t *testing.T) {
	md := "Before.\n\n| " + strings.Repeat("Head | ", 6) + "\n|" + strings.Repeat("---|", 6) +
		"\n| alpha | *beta* | c \\| d | | e | f |\n| 1 | 2 | 3 | 4 | 5 | 6 |\n\nAfter.\n"
	out, err := Terminal(md, 40, Style{Dark: true})
	if err != nil {
		t.Fatal(err)
	}
	plain := StripANSI(out)
	for _, want := range []string{"Head: alpha", "Head: beta", "Head: c | d", "Head: 6", "After."} {
		if !strings.Contains(plain, want) {
			t.Errorf("records lack %q:\n%s", want, plain)
		}
	}
	if strings.Contains(plain, "─┼─") {
		t.Errorf("too-wide table kept as a grid at 40:\n%s", plain)
	}
	out, err = Terminal(md, 100, Style{Dark: true})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(StripANSI(out), "┼") {
		t.Errorf("table that fits became records at 100:\n%s", StripANSI(out))
	}
}

func TestEscapeBlockStart(t *testing.T) {
	tests := map[string]string{
		"1. x": `1\. x`, "12) y": `12\) y`, "- a": `\- a`, "> q": `\> q`, "# h": `\# h`,
		"plain": "plain", "": "", "2024 report": "2024 report",
	}
	for in, want := range tests {
		if got := escapeBlockStart(in); got != want {
			t.Errorf("escapeBlockStart(%q) = %q, want %q", in, got, want)
		}
	}
}
