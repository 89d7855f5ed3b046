package feed

import (
	"html"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/byline/byline/internal/sanitize"
)

// plainLine makes a one-line display string from feed text that may hold
// HTML: tags stripped, entities decoded, then sanitize.Line. Decoding comes
// after stripping so "&lt;b&gt;" in a title stays visible text.
func plainLine(s string, max int) string {
	if strings.ContainsAny(s, "<&") {
		s = html.UnescapeString(stripTags(s))
	}
	return line(s, max)
}

// line is sanitize.Line, skipping its work for the usual title: printable
// ASCII, single spaces, no numeric reference, within max.
func line(s string, max int) string {
	if max <= 0 {
		max = sanitize.MaxLine
	}
	if len(s) > max || s == "" || s[0] == ' ' || s[len(s)-1] == ' ' || strings.Contains(s, "  ") ||
		strings.IndexByte(s, '&') >= 0 && strings.IndexByte(s, '#') >= 0 {
		return sanitize.Line(s, max)
	}
	i := 0
	for ; i+8 <= len(s); i += 8 {
		if !printable(word8(s, i)) {
			return sanitize.Line(s, max)
		}
	}
	for ; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return sanitize.Line(s, max)
		}
	}
	return s
}

// stripTags removes anything that looks like an HTML tag or comment.
func stripTags(s string) string {
	if !strings.Contains(s, "<") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '<' || i+1 >= len(s) || !isTagStart(s[i+1]) {
			b.WriteByte(c)
			continue
		}
		end := ">"
		if strings.HasPrefix(s[i:], "<!--") {
			end = "-->"
		}
		j := strings.Index(s[i+1:], end)
		if j < 0 {
			break // unterminated tag: drop the rest
		}
		if name, _, _ := strings.Cut(strings.TrimPrefix(s[i+1:i+1+j], "/"), " "); blockTags[strings.ToLower(name)] {
			b.WriteByte(' ')
		}
		i += j + len(end)
	}
	return b.String()
}

// blockTags separate words; other tags are stripped without a space so
// "<b>Bold</b>er" stays one word.
var blockTags = map[string]bool{
	"br": true, "br/": true, "p": true, "div": true, "li": true, "tr": true, "td": true, "th": true,
	"h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true, "hr": true, "hr/": true,
}

func isTagStart(c byte) bool {
	return c == '/' || c == '!' || c == '?' || (c|0x20 >= 'a' && c|0x20 <= 'z')
}

// baseURL is the feed URL, parsed once, against which relative item links
// and protocol-relative URLs are resolved.
type baseURL struct{ u *url.URL }

func parseBase(feedURL string) *baseURL {
	u, err := url.Parse(strings.TrimSpace(feedURL))
	if err != nil || !u.IsAbs() {
		return &baseURL{}
	}
	return &baseURL{u: u}
}

// resolve makes ref absolute against the feed URL and returns it through
// sanitize.URL: "" for javascript:, file:, data: and anything unresolvable.
func resolve(b *baseURL, ref string) string {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return ""
	}
	if b.u != nil {
		if r, err := url.Parse(ref); err == nil {
			ref = b.u.ResolveReference(r).String()
		}
	}
	return sanitize.URL(ref)
}

// textToHTML escapes plain text and makes a paragraph of each block
// separated by a blank line.
func textToHTML(s string) string {
	s = strings.ReplaceAll(strings.TrimSpace(s), "\r\n", "\n")
	var b strings.Builder
	for _, p := range strings.Split(s, "\n\n") {
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		b.WriteString("<p>")
		b.WriteString(strings.ReplaceAll(html.EscapeString(p), "\n", "<br>"))
		b.WriteString("</p>")
	}
	return b.String()
}

// bodyText is sanitize.Text, skipping its copy for the common body that
// holds nothing it would change: valid UTF-8 without controls (tab and LF
// aside), bidi or annotation controls, or numeric references.
func bodyText(s string) string {
	if isCleanText(s) {
		return s
	}
	return sanitize.Text(s)
}

// isCleanText reports whether sanitize.Text would return s unchanged;
// FuzzCleanText holds it to that.
func isCleanText(s string) bool {
	if strings.IndexByte(s, '&') >= 0 && strings.IndexByte(s, '#') >= 0 {
		return false // references: sanitize decides
	}
	for i := 0; i < len(s); {
		if i+8 <= len(s) && printable(word8(s, i)) {
			i += 8
			continue
		}
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 && c != '\n' && c != '\t' || c == 0x7f {
				return false
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || r <= 0x9f || r >= 0x202a && r <= 0x202e ||
			r >= 0x2066 && r <= 0x2069 || r >= 0xfff9 && r <= 0xfffb {
			return false
		}
		i += size
	}
	return true
}
