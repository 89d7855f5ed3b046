package render

import (
	"github.com/byline/byline/internal/golden"

	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
)

// goldenWidth is the PlainText width of the golden files.
const goldenWidth = 60

func TestGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/*.md")
	if err != nil || len(files) == 0 {
		t.Fatalf("no test documents: %v", err)
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".md")
		md, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		t.Run(name+"/text", func(t *testing.T) {
			golden.Check(t, "testdata/"+name+".text.golden.txt", PlainText(string(md), goldenWidth))
		})
		t.Run(name+"/body", func(t *testing.T) {
			golden.Check(t, "testdata/"+name+".body.golden.txt", BodyText(string(md)))
		})
	}
}

func TestPlainTextWidth(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.md")
	for _, f := range files {
		md, _ := os.ReadFile(f)
		for _, w := range []int{20, 40, 60, 80} {
			out := PlainText(string(md), w)
			for _, l := range strings.Split(out, "\n") {
				if isCodeLine(string(md), l) {
					continue // code blocks are never wrapped
				}
				if n := ansi.StringWidth(l); n > w {
					t.Errorf("%s at %d: line of %d cells: %q", f, w, n, l)
				}
			}
		}
	}
}

// isCodeLine reports whether l is the rendering of a line of a code block in
// md (code keeps its text verbatim and is indented by four spaces).
func isCodeLine(md, l string) bool {
	s := strings.TrimSpace(l)
	for _, ml := range strings.Split(md, "\n") {
		ml = strings.TrimSpace(ml)
		if ml == s && (strings.HasPrefix(l, "    ") || strings.Contains(l, "│     ")) {
			return true
		}
	}
	return false
}

func TestPlainTextDefaultWidth(t *testing.T) {
	md := strings.Repeat("word ", 100)
	if PlainText(md, 0) != PlainText(md, DefaultWidth) {
		t.Error("width 0 is not the default width")
	}
	for _, l := range strings.Split(PlainText(md, 0), "\n") {
		if len(l) > DefaultWidth {
			t.Errorf("line longer than %d: %q", DefaultWidth, l)
		}
	}
}

func TestPlainTextQuotes(t *testing.T) {
	md := "Intro.\n\n> " + strings.Repeat("quoted words go here ", 12) + "\n>\n> > " +
		strings.Repeat("nested words ", 10) + "\n\nOutro."
	out := PlainText(md, 40)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	quoted, nested := 0, 0
	for _, l := range lines {
		if l == "Intro." || l == "" || l == "Outro." {
			continue
		}
		quoted++
		if !strings.HasPrefix(l, "│") {
			t.Errorf("quote line without bar: %q", l)
		}
		if strings.Contains(l, "nested") {
			nested++
			if !strings.HasPrefix(l, "│ │ ") {
				t.Errorf("nested quote line without double bar: %q", l)
			}
		}
	}
	if quoted < 6 || nested < 2 {
		t.Errorf("quote not rendered as expected:\n%s", out)
	}
}

func TestCaptions(t *testing.T) {
	md := "Para one.\n\n*Image: A cat on a mat — Photo: Someone*\n\nPara two.\n\n> *Image: quoted caption*\n\n*Image: x* and more text.\n"
	text := PlainText(md, 80)
	if !strings.Contains(text, "\n[Image: A cat on a mat — Photo: Someone]\n") {
		t.Errorf("caption not on its own line in brackets:\n%s", text)
	}
	if !strings.Contains(text, "│ [Image: quoted caption]") {
		t.Errorf("caption in quote:\n%s", text)
	}
	body := BodyText(md)
	if strings.Contains(body, "cat on a mat") || strings.Contains(body, "quoted caption") {
		t.Errorf("BodyText kept a caption:\n%s", body)
	}
	if !strings.Contains(body, "Image: x and more text.") {
		t.Errorf("BodyText dropped a paragraph that is not a caption:\n%s", body)
	}
	if want := "Para one.\n\nPara two.\n\nImage: x and more text.\n"; body != want {
		t.Errorf("BodyText = %q, want %q", body, want)
	}
}

func TestBodyText(t *testing.T) {
	md := "## Heading\n\nFirst *paragraph* with a [link](https://example.com)\nsoft-wrapped.\n\n" +
		"> Quoted **text**.\n\n- item one\n- item two\n\n1. first\n2. second\n\n![alt](https://example.com/i.png)\n"
	want := "Heading\n\nFirst paragraph with a link soft-wrapped.\n\nQuoted text.\n\n" +
		"item one\nitem two\n\n1. first\n2. second\n"
	if got := BodyText(md); got != want {
		t.Errorf("BodyText =\n%q\nwant\n%q", got, want)
	}
	if got := BodyText("Title\n\n- \n- \n- x\n"); got != "Title\n\nx\n" {
		t.Errorf("empty list items: BodyText = %q", got)
	}
	if got := BodyText(""); got != "" {
		t.Errorf("BodyText(\"\") = %q", got)
	}
}

func TestNoControlBytes(t *testing.T) {
	md := "Title \x1b[31mred\x1b[0m and \x1b]8;;http://evil\x07link\x1b]8;;\x07 \x07bell\x00nul\r\n" +
		"tab\there &#27;[2J &#x9b;31m\n\n```\ncode\twith tab \x1b[1m\n```\n"
	for name, out := range map[string]string{
		"PlainText": PlainText(md, 40),
		"BodyText":  BodyText(md),
	} {
		if !utf8.ValidString(out) {
			t.Errorf("%s: invalid UTF-8", name)
		}
		for _, r := range out {
			if r != '\n' && (r < 0x20 || r == 0x7f || (r >= 0x80 && r <= 0x9f)) {
				t.Errorf("%s: control %U in %q", name, r, out)
			}
		}
		if !strings.Contains(out, "red") || !strings.Contains(out, "bell") {
			t.Errorf("%s: text lost: %q", name, out)
		}
	}
}

func TestWrap(t *testing.T) {
	tests := []struct {
		in    string
		width int
		want  []string
	}{
		{"a b c", 10, []string{"a b c"}},
		{"aaa bbb ccc", 7, []string{"aaa bbb", "ccc"}},
		{"  spaced    out  ", 20, []string{"spaced out"}},
		{"abcdefghij", 4, []string{"abcd", "efgh", "ij"}},
		{"x abcdefghij", 4, []string{"x", "abcd", "efgh", "ij"}},
		{"日本語の文章", 6, []string{"日本語", "の文章"}},
		{"ab 日本語", 6, []string{"ab 日", "本語"}},
		{"서울에서도 마찬가지입니다", 14, []string{"서울에서도", "마찬가지입니다"}},
		{"👍🏽👍🏽👍🏽", 4, []string{"👍🏽👍🏽", "👍🏽"}},
		{"", 10, []string{""}},
	}
	for _, tt := range tests {
		got := wrap(tt.in, tt.width)
		if strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("wrap(%q, %d) = %q, want %q", tt.in, tt.width, got, tt.want)
		}
	}
}
