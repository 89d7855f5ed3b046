package feed

import (
	"bytes"
	"errors"
	"fmt"
	"mime"
	"regexp"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html/charset"

	"github.com/byline/byline/internal/sanitize"
	"golang.org/x/text/encoding/unicode"
)

// MaxDepth bounds element nesting. gofeed parses extension elements
// recursively, so an unbounded document could exhaust the stack.
const MaxDepth = 10000

var (
	utf8BOM    = []byte{0xef, 0xbb, 0xbf}
	utf16LEBOM = []byte{0xff, 0xfe}
	utf16BEBOM = []byte{0xfe, 0xff}

	// prologEncoding finds the encoding pseudo-attribute of the XML
	// declaration; submatch 1 is the label.
	prologEncoding = regexp.MustCompile(`^\s*<\?xml[^>]*?\sencoding\s*=\s*["']([A-Za-z0-9._:-]+)["']`)
)

// toUTF8 decodes body to valid UTF-8. The charset comes from a BOM, else the
// XML declaration, else the Content-Type charset, else a sniff (valid UTF-8
// stays UTF-8, anything else is read as Windows-1252). The XML declaration
// is rewritten to say UTF-8 so the parser does not decode a second time.
func toUTF8(body []byte, contentType string) []byte {
	switch {
	case bytes.HasPrefix(body, utf8BOM):
		return rewriteProlog(bytes.ToValidUTF8(body[len(utf8BOM):], []byte("\uFFFD")))
	case bytes.HasPrefix(body, utf16LEBOM), bytes.HasPrefix(body, utf16BEBOM):
		out, err := unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM).NewDecoder().Bytes(body)
		if err == nil {
			return rewriteProlog(out)
		}
	}
	declared := ""
	head := body[:min(len(body), 512)]
	if m := prologEncoding.FindSubmatch(head); m != nil {
		declared = string(m[1])
	}
	header := ""
	if _, params, err := mime.ParseMediaType(contentType); err == nil {
		header = params["charset"]
	}
	valid := utf8.Valid(body)
	label := declared
	if label == "" {
		label = header
	}
	if isUTF8Label(label) && !valid && header != "" && !isUTF8Label(header) {
		// The declaration claims UTF-8 but the bytes disagree while the server
		// names another charset: trust the bytes and the server.
		label = header
	}
	if valid && isSingleByteLabel(label) && !isASCII(body) {
		// Valid multi-byte UTF-8 almost never arises from Latin text, while
		// CMSs that declare ISO-8859-1 and emit UTF-8 are common.
		label = "utf-8"
	}
	if label == "" || isUTF8Label(label) {
		if valid {
			return rewriteProlog(body)
		}
		if label == "" || !hasMultiByteUTF8(body) {
			// Undeclared, or "UTF-8" without a single UTF-8 sequence: the
			// bytes are Latin, almost always Windows-1252.
			label = "windows-1252"
		} else {
			return rewriteProlog(bytes.ToValidUTF8(body, []byte("\uFFFD")))
		}
	}
	enc, _ := charset.Lookup(label)
	if enc == nil {
		// Unknown label: fall back to the sniff.
		if valid {
			return rewriteProlog(body)
		}
		enc, _ = charset.Lookup("windows-1252")
	}
	out, err := enc.NewDecoder().Bytes(body)
	if err != nil {
		return rewriteProlog(bytes.ToValidUTF8(body, []byte("\uFFFD")))
	}
	return rewriteProlog(bytes.ToValidUTF8(out, []byte("\uFFFD")))
}

func isUTF8Label(l string) bool {
	l = strings.ToLower(strings.TrimSpace(l))
	return l == "utf-8" || l == "utf8" || l == "unicode-1-1-utf-8"
}

// isSingleByteLabel reports Latin-family single-byte charsets, the ones
// commonly declared by mistake for UTF-8 content.
func isSingleByteLabel(l string) bool {
	l = strings.ToLower(strings.TrimSpace(l))
	return strings.HasPrefix(l, "iso-8859-") || strings.HasPrefix(l, "iso8859") ||
		strings.HasPrefix(l, "windows-125") || strings.HasPrefix(l, "cp125") ||
		l == "latin1" || l == "l1" || l == "us-ascii" || l == "ascii"
}

// hasMultiByteUTF8 reports whether b holds at least one valid multi-byte
// UTF-8 sequence.
func hasMultiByteUTF8(b []byte) bool {
	for i := 0; i < len(b); {
		if b[i] < 0x80 {
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		if r != utf8.RuneError && size > 1 {
			return true
		}
		i += size
	}
	return false
}

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return false
		}
	}
	return true
}

// rewriteProlog makes an XML declaration say UTF-8, since the bytes now are.
func rewriteProlog(b []byte) []byte {
	head := b[:min(len(b), 512)]
	loc := prologEncoding.FindSubmatchIndex(head)
	if loc == nil || isUTF8Label(string(b[loc[2]:loc[3]])) {
		return b
	}
	out := make([]byte, 0, len(b))
	out = append(out, b[:loc[2]]...)
	out = append(out, "UTF-8"...)
	return append(out, b[loc[3]:]...)
}

// cleanEscapes runs sanitize.Text over each run of text between markup that
// holds a raw ESC, so a whole escape sequence goes instead of leaving "[31m"
// behind once stripIllegalXML drops the ESC. Working per run keeps a sequence
// from swallowing the '<' of the next tag.
var cdataOpen, cdataClose = []byte("<![CDATA["), []byte("]]>")

func cleanEscapes(b []byte) []byte {
	if bytes.IndexByte(b, 0x1b) < 0 {
		return b
	}
	out := make([]byte, 0, len(b))
	for len(b) > 0 {
		end := bytes.IndexByte(b, '<')
		if end < 0 {
			end = len(b)
		}
		run := b[:end]
		if bytes.IndexByte(run, 0x1b) >= 0 {
			run = []byte(sanitize.Text(string(run)))
		}
		out = append(out, run...)
		if end == len(b) {
			break
		}
		if rest := b[end:]; bytes.HasPrefix(rest, cdataOpen) {
			stop := bytes.Index(rest, cdataClose)
			if stop < 0 {
				stop = len(rest)
			}
			content := rest[len(cdataOpen):stop]
			if bytes.IndexByte(content, 0x1b) >= 0 {
				content = []byte(sanitize.Text(string(content)))
			}
			out = append(append(out, cdataOpen...), content...)
			b = rest[stop:]
			continue
		}
		next := bytes.IndexByte(b[end:], '>')
		if next < 0 {
			next = len(b) - end - 1
		}
		out = append(out, b[end:end+next+1]...)
		b = b[end+next+1:]
	}
	return out
}

// errEntities refuses documents whose DOCTYPE declares entities built from
// other entities: the billion-laughs shape. encoding/xml never expands them,
// but such a feed is hostile and its text would be garbage anyway.
var errEntities = errors.New("document declares nested entities (entity expansion refused)")

// checkDoctype inspects the DOCTYPE internal subset, if any, before the root.
func checkDoctype(b []byte) error {
	i := bytes.Index(b[:min(len(b), 4096)], []byte("<!DOCTYPE"))
	if i < 0 {
		return nil
	}
	rest := b[i:]
	open := bytes.IndexByte(rest, '[')
	end := bytes.IndexByte(rest, '>')
	if open < 0 || (end >= 0 && end < open) {
		return nil
	}
	close := bytes.Index(rest, []byte("]>"))
	if close < 0 {
		close = len(rest)
	}
	subset := rest[open:close]
	if len(subset) > 64<<10 {
		return errEntities
	}
	for _, decl := range bytes.Split(subset, []byte("<!ENTITY"))[1:] {
		if bytes.IndexByte(decl, '&') >= 0 || bytes.Contains(decl, []byte("%")) {
			return errEntities
		}
	}
	return nil
}

// checkDepth scans the markup and fails when elements nest deeper than max.
// End tags pop up to the matching name, as encoding/xml's non-strict mode
// closes unclosed children.
func checkDepth(b []byte, max int) error {
	var stack [][]byte
	open := map[string]int{} // names on the stack, so a stray end tag costs O(1)
	for i := 0; i < len(b); i++ {
		if b[i] != '<' {
			k := bytes.IndexByte(b[i:], '<')
			if k < 0 {
				break
			}
			i += k
		}
		if i+1 >= len(b) {
			continue
		}
		switch c := b[i+1]; {
		case bytes.HasPrefix(b[i:], []byte("<!--")):
			i = skipTo(b, i+4, "-->")
		case bytes.HasPrefix(b[i:], []byte("<![CDATA[")):
			i = skipTo(b, i+9, "]]>")
		case c == '!' || c == '?':
			i = skipTo(b, i+2, ">")
		case c == '/':
			name, end := tagName(b, i+2)
			i = skipTo(b, end, ">")
			if open[string(name)] == 0 {
				continue
			}
			for k := len(stack) - 1; k >= 0; k-- {
				open[string(stack[k])]--
				if bytes.Equal(stack[k], name) {
					stack = stack[:k]
					break
				}
			}
		default:
			name, end := tagName(b, i+1)
			if len(name) == 0 {
				continue
			}
			end, selfClosing := tagEnd(b, end)
			i = end
			if !selfClosing {
				stack = append(stack, name)
				open[string(name)]++
				if len(stack) > max {
					return fmt.Errorf("elements nested deeper than %d levels", max)
				}
			}
		}
	}
	return nil
}

func skipTo(b []byte, i int, marker string) int {
	if i > len(b) {
		return len(b)
	}
	j := bytes.Index(b[i:], []byte(marker))
	if j < 0 {
		return len(b)
	}
	return i + j + len(marker) - 1
}

func tagName(b []byte, i int) ([]byte, int) {
	j := i
	for j < len(b) {
		if c := b[j]; c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '/' || c == '>' {
			break
		}
		j++
	}
	return b[i:j], j
}

// tagEnd finds the '>' closing a start tag, skipping quoted attribute values.
func tagEnd(b []byte, i int) (int, bool) {
	var quote byte
	for ; i < len(b); i++ {
		switch c := b[i]; {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '>':
			return i, i > 0 && b[i-1] == '/'
		}
	}
	return len(b), false
}
