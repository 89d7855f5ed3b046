package feed

import (
	"html"
	"math/bits"
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
// and protocol-relative URLs are resolved. origin is its "scheme://host"
// when it is a plain http(s) URL, for quickResolve.
type baseURL struct {
	u      *url.URL
	origin string
}

func parseBase(feedURL string) *baseURL {
	u, err := url.Parse(strings.TrimSpace(feedURL))
	if err != nil || !u.IsAbs() {
		return &baseURL{}
	}
	b := &baseURL{u: u}
	if (u.Scheme == "http" || u.Scheme == "https") && u.User == nil && u.Opaque == "" &&
		u.Host != "" && hostLen(u.Host) == len(u.Host) {
		b.origin = u.Scheme + "://" + u.Host
	}
	return b
}

// resolve makes ref absolute against the feed URL and returns it through
// sanitize.URL: "" for javascript:, file:, data: and anything unresolvable.
func resolve(b *baseURL, ref string) string {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return ""
	}
	if s, ok := quickResolve(b, ref); ok {
		return s
	}
	if b.u != nil {
		if r, err := url.Parse(ref); err == nil {
			ref = b.u.ResolveReference(r).String()
		}
	}
	return sanitize.URL(ref)
}

// quickResolve is resolve for the usual link, without parsing it twice and
// copying it: an absolute http(s) URL, or a path from the root when the feed
// URL is a plain http(s) URL, spelled so that url.Parse, ResolveReference
// and String give it back byte for byte (a plain host, no dot segments,
// well-formed escapes) and sanitize.URL passes it unchanged (printable
// ASCII, no character references). ok is false for anything else;
// FuzzQuickResolve holds it to the long way.
func quickResolve(b *baseURL, ref string) (string, bool) {
	var rest string
	switch {
	case strings.HasPrefix(ref, "https://"):
		rest = ref[len("https://"):]
	case strings.HasPrefix(ref, "http://"):
		rest = ref[len("http://"):]
	case ref[0] == '/' && (len(ref) == 1 || ref[1] != '/') && b.origin != "":
		if !plainPathQuery(ref) {
			return "", false
		}
		return b.origin + ref, true
	default:
		return "", false
	}
	h := hostLen(rest)
	rest = rest[h:]
	if h == 0 || len(rest) > 1 && rest[0] == '/' && rest[1] == '/' || !plainPathQuery(rest) {
		return "", false
	}
	return ref, true
}

// hostLen is the length of the plain host (letters, digits, dots and
// hyphens, then an optional numeric port) s starts with, 0 if none.
func hostLen(s string) int {
	i := 0
	for i < len(s) && (isAlnum(s[i]) || s[i] == '.' || s[i] == '-') {
		i++
	}
	if i == 0 || i == len(s) || s[i] != ':' {
		return i
	}
	j := i + 1
	for j < len(s) && s[j] >= '0' && s[j] <= '9' {
		j++
	}
	if j == i+1 {
		return 0
	}
	return j
}

func isAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c|0x20 >= 'a' && c|0x20 <= 'z'
}

// pathChars are the bytes a path keeps through url.Parse and String
// (unreserved, sub-delims, ':', '@', '/'), besides "%XX" escapes.
var pathChars = func() (t [256]bool) {
	for c := 0; c < 256; c++ {
		t[c] = isAlnum(byte(c)) || strings.IndexByte("-._~!$&'()*+,;=:@/", byte(c)) >= 0
	}
	return t
}()

// plainPathQuery reports whether s, empty or starting with '/', '?' or
// '#', is a path without dot segments, then an optional query of printable
// ASCII and an optional fragment of path bytes, with no character reference
// for sanitize to look at (the one '#' is where one would start).
func plainPathQuery(s string) bool {
	if s != "" && s[0] != '/' && s[0] != '?' && s[0] != '#' {
		return false
	}
	i, seg := 0, 0
	for ; i < len(s) && s[i] != '?' && s[i] != '#'; i++ {
		c := s[i]
		switch {
		case c == '/':
			if dotSegment(s[seg:i]) {
				return false
			}
			seg = i + 1
		case c == '%':
			if i+2 >= len(s) || !isHex(s[i+1]) || !isHex(s[i+2]) {
				return false
			}
			i += 2
		case !pathChars[c]:
			return false
		}
	}
	if dotSegment(s[seg:i]) {
		return false
	}
	if i < len(s) && s[i] == '?' {
		for i++; i < len(s) && s[i] != '#'; i++ {
			if s[i] <= ' ' || s[i] >= 0x7f {
				return false
			}
		}
	}
	if i == len(s) {
		return true
	}
	// A fragment: not empty (String drops an empty one), and not after
	// '&' or "&amp;", where sanitize would read a character reference.
	if i+1 == len(s) || i > 0 && (s[i-1] == '&' || s[i-1] == ';') {
		return false
	}
	for i++; i < len(s); i++ {
		switch c := s[i]; {
		case c == '%':
			if i+2 >= len(s) || !isHex(s[i+1]) || !isHex(s[i+2]) {
				return false
			}
			i += 2
		case !pathChars[c] && c != '?':
			return false
		}
	}
	return true
}

func dotSegment(seg string) bool { return seg == "." || seg == ".." }

func isHex(c byte) bool { return c >= '0' && c <= '9' || c|0x20 >= 'a' && c|0x20 <= 'f' }

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
		if i+8 <= len(s) {
			m := unprintable(word8(s, i))
			if m == 0 {
				i += 8
				continue
			}
			i += bits.TrailingZeros64(m) >> 3 // the first flagged byte is a true one
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

// plainURI reports whether url.Parse reads s and String spells it back
// unchanged, for the usual shapes: a plain absolute http(s) URL, a path
// from the root, or an opaque URI such as urn:… or tag:…, all without
// character references. FuzzPlainURI holds it to that.
func plainURI(s string) bool {
	if s == "" {
		return false
	}
	if s[0] == '/' {
		return (len(s) == 1 || s[1] != '/') && plainPathQuery(s)
	}
	i := 0
	for i < len(s) && (s[i] >= 'a' && s[i] <= 'z' || i > 0 && (s[i] >= '0' && s[i] <= '9' || s[i] == '+' || s[i] == '-' || s[i] == '.')) {
		i++
	}
	if i == 0 || i == len(s) || s[i] != ':' {
		return false
	}
	scheme, rest := s[:i], s[i+1:]
	if strings.HasPrefix(rest, "//") {
		if scheme != "http" && scheme != "https" {
			return false
		}
		rest = rest[2:]
		h := hostLen(rest)
		rest = rest[h:]
		return h > 0 && !strings.HasPrefix(rest, "//") && plainPathQuery(rest)
	}
	if rest == "" || rest[0] == '/' {
		return false
	}
	for i := 0; i < len(rest); i++ {
		if c := rest[i]; !pathChars[c] || c == '&' {
			return false
		}
	}
	return true
}
