package render

import (
	"regexp"
	"strings"

	"github.com/byline/byline/internal/model"
	"github.com/byline/byline/internal/sanitize"
)

// Document returns the canonical Markdown of an article, as printed to
// pipes:
//
//	# Title
//
//	*Author · Site · 2006-01-02*
//
//	<https://source.example/url>
//
//	**Note:** why a fallback was used
//
//	body…
//
// Lines whose parts are all missing are left out. Title, author, site and
// note are one-line cleaned and Markdown-escaped; the body is a.Markdown as
// extracted.
func Document(a model.Article) string {
	var blocks []string
	if t := sanitize.Line(a.Title, 0); t != "" {
		blocks = append(blocks, "# "+escapeMarkdown(t))
	}
	var meta []string
	for _, p := range []string{a.Author, a.Site} {
		if p = sanitize.Line(p, 0); p != "" {
			meta = append(meta, escapeMarkdown(p))
		}
	}
	if !a.Published.IsZero() {
		meta = append(meta, a.Published.Format("2006-01-02"))
	}
	if len(meta) > 0 {
		blocks = append(blocks, "*"+strings.Join(meta, " · ")+"*")
	}
	if u := sanitize.URL(a.URL); u != "" {
		// An autolink ends at the first "<", ">" or blank; sanitize.URL left
		// no blanks, and the angle brackets are percent-encoded.
		u = strings.NewReplacer("<", "%3C", ">", "%3E").Replace(u)
		blocks = append(blocks, "<"+u+">")
	}
	if n := sanitize.Line(a.Note, 0); n != "" {
		blocks = append(blocks, "**Note:** "+escapeMarkdown(n))
	}
	if body := strings.Trim(sanitize.Text(a.Markdown), "\n"); strings.TrimSpace(body) != "" {
		blocks = append(blocks, body)
	}
	if len(blocks) == 0 {
		return ""
	}
	return strings.Join(blocks, "\n\n") + "\n"
}

// entityLike matches what a Markdown parser would decode as a character
// reference.
var entityLike = regexp.MustCompile(`^&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});`)

// escapeMarkdown backslash-escapes what would turn one line of plain text
// into Markdown syntax: inline markers anywhere, character references, and
// block markers at the start ("1. ", "- ", "+ ", "> ", "=", "#") and a
// trailing run of "#" (a heading's closing sequence).
func escapeMarkdown(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '\\', '`', '*', '_', '[', ']', '<', '~':
			b.WriteByte('\\')
		case '&':
			if entityLike.MatchString(s[i:]) {
				b.WriteByte('\\')
			}
		case '#':
			// A heading's closing sequence is a run of "#" at the end.
			if i == 0 || strings.Trim(s[i:], "# ") == "" {
				b.WriteByte('\\')
			}
		case '-', '+', '=', '>':
			if i == 0 {
				b.WriteByte('\\')
			}
		case '.', ')':
			if isAllDigits(s[:i]) && i > 0 {
				b.WriteByte('\\')
			}
		}
		b.WriteByte(c)
	}
	return b.String()
}

func isAllDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
