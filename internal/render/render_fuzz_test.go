package render

import (
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/byline/byline/internal/model"
	"github.com/byline/byline/internal/sanitize"
)

// osc8Link captures the URI of every OSC 8 sequence (opener or closer).
var osc8Link = regexp.MustCompile("\x1b\\]8;[^;\x07\x1b]*;([^\x07\x1b]*)(?:\x07|\x1b\\\\)")

// FuzzDocumentTerminal renders a whole document built from hostile fields
// (title, author, site, note, URL and Markdown body) for a terminal: the
// only sequences allowed are SGR and OSC 8 hyperlinks to http(s) URLs (or
// closing ones); no other escape or control byte, no bidi override.
func FuzzDocumentTerminal(f *testing.F) {
	f.Add("Title \x1b]0;pwn\x07", "Au\u202ethor", "Site\u009b2J", "note \x07", "https://ok.example/a",
		"[x](javascript:alert(1)) <file:///etc/passwd> [y](http://a.example/) ![i](http://img/x.png)", 60)
	f.Add("&#27;[2J", "&amp;#27;", "", "", "javascript:alert(1)", "<javascript:alert(1)>\n\n[a](data:text/html,x)", 80)
	f.Add("t", "", "", "", "", "[z](http://ok.example/%1B%5D52) [q](<http://a b>) [r](HTTPS://OK.EXAMPLE)", 40)
	f.Add("t", "", "", "", "", "> quote\n\n*Image: caption*\n\n```\n\x1b[31mcode\n```\n\n| a | b |\n|---|---|\n| \x1b]52;c;aGk=\x07 | 2 |", 30)
	f.Fuzz(func(t *testing.T, title, author, site, note, u, md string, width int) {
		a := model.Article{Title: title, Author: author, Site: site, Note: note, URL: u, Markdown: md,
			Published: time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC)}
		doc := Document(a)
		out, err := Terminal(doc, width%200, Style{Dark: width%2 == 0})
		if err != nil {
			return
		}
		if !utf8.ValidString(out) {
			t.Fatalf("invalid UTF-8 in %q", out)
		}
		for _, m := range osc8Link.FindAllStringSubmatch(out, -1) {
			if m[1] != "" && !sanitize.IsWebURL(m[1]) {
				t.Fatalf("hyperlink to %q in %q", m[1], out)
			}
		}
		rest := osc8Link.ReplaceAllString(sgr.ReplaceAllString(out, ""), "")
		for _, r := range rest {
			if r == 0x1b || (r >= 0x80 && r <= 0x9f) || (r < 0x20 && r != '\n') || r == 0x7f ||
				(r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) {
				t.Fatalf("control %U outside SGR/OSC 8 in %q", r, out)
			}
		}
		if strings.Contains(rest, "\x1b") {
			t.Fatalf("escape left in %q", out)
		}
	})
}
