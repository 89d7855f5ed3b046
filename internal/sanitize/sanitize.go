// Package sanitize is the one place that cleans untrusted text before byline
// stores or prints it. Every string that came from a feed, a page, an HTTP
// header or an import file passes through Line, Text or URL.
//
// It removes terminal control sequences (ESC/CSI/OSC/DCS/APC/PM/SOS, 7-bit and
// 8-bit forms), C0 controls except tab and newline, DEL, C1 controls, bidi
// overrides and isolates, and character references that would decode to any of
// those (&#27;, &#x9b;, &amp;#27; once decoded, …). It imports only the standard
// library so that every stage may use it.
package sanitize

import (
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// MaxLine is the default cap, in runes, for one-line fields such as titles.
const MaxLine = 500

// Line cleans a one-line field (title, author, feed name): controls and
// escape sequences removed, bidi controls removed, whitespace collapsed to
// single spaces, trimmed, and capped at max runes (MaxLine when max <= 0)
// with a trailing ellipsis when cut.
func Line(s string, max int) string {
	if max <= 0 {
		max = MaxLine
	}
	s = clean(s, false)
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) > max {
		r := []rune(s)
		// The cut may leave a partial reference ("&#233;" → "&#2") that now
		// decodes to a control: clean the cut text again.
		s = strings.TrimSpace(clean(string(r[:max-1]), false)) + "…"
	}
	return s
}

// Text cleans a multi-line body: tab and newline kept (CR LF and lone CR
// become LF), every other control, escape sequence and bidi override removed.
// Invalid UTF-8 is replaced by U+FFFD.
func Text(s string) string {
	return clean(s, true)
}

// URL returns s cleaned and trimmed when it is an absolute http or https URL
// with a host, and "" otherwise (javascript:, file:, data:, relative, …).
func URL(s string) string {
	s = strings.TrimSpace(clean(s, false))
	if s == "" || strings.ContainsAny(s, " \t\n") {
		s = strings.Join(strings.Fields(s), "%20")
	}
	if !IsWebURL(s) {
		return ""
	}
	return s
}

// IsWebURL reports whether s parses as an absolute http(s) URL with a host
// and holds no control characters.
func IsWebURL(s string) bool {
	for _, r := range s {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r <= 0x9f) || isBidi(r) {
			return false
		}
	}
	u, err := url.Parse(s)
	if err != nil {
		return false
	}
	scheme := strings.ToLower(u.Scheme)
	return (scheme == "http" || scheme == "https") && u.Host != "" && u.Opaque == ""
}

// charRef matches numeric character references, including those hidden behind
// one or more "&amp;" layers, so that they can be checked after decoding.
var charRef = regexp.MustCompile(`&(?:amp;)*#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,10}));?`)

// clean does the work of Line and Text. multiline keeps \n and \t.
// Controls go first, then references: removing a control or a reference must
// not join its neighbours into a new reference ("&#\x1b[m27;", "&&#27;#27;"),
// so when the result still holds one, references are replaced by U+FFFD instead.
func clean(s string, multiline bool) string {
	s = cleanRunes(s, multiline)
	if strings.Contains(s, "#") && strings.Contains(s, "&") {
		out := cleanRefs(s, multiline, "")
		if hasBadRef(out, multiline) {
			out = cleanRefs(s, multiline, "\uFFFD")
		}
		s = out
	}
	return s
}

// cleanRefs replaces the numeric character references of s that decode to a
// disallowed rune with repl.
func cleanRefs(s string, multiline bool, repl string) string {
	return charRef.ReplaceAllStringFunc(s, func(m string) string {
		if badRef(m, multiline) {
			return repl
		}
		return m
	})
}

func hasBadRef(s string, multiline bool) bool {
	for _, m := range charRef.FindAllString(s, -1) {
		if badRef(m, multiline) {
			return true
		}
	}
	return false
}

// badRef reports whether the reference m decodes to a disallowed rune.
func badRef(m string, multiline bool) bool {
	sub := charRef.FindStringSubmatch(m)
	var n uint64
	var err error
	if sub[1] != "" {
		n, err = strconv.ParseUint(sub[1], 16, 32)
	} else {
		n, err = strconv.ParseUint(sub[2], 10, 32)
	}
	return err != nil || n > utf8.MaxRune || disallowed(rune(n), multiline) || n == 0
}

// cleanRunes removes controls and escape sequences.
func cleanRunes(s string, multiline bool) string {
	if s == "" {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size <= 1 {
			b.WriteRune(utf8.RuneError)
			i++
			continue
		}
		switch {
		case r == 0x1b: // ESC: drop the whole sequence it introduces
			i = skipEscape(s, i+1)
			continue
		case r == 0x9b: // C1 CSI
			i = skipCSI(s, i+size)
			continue
		case r == 0x9d || r == 0x90 || r == 0x98 || r == 0x9e || r == 0x9f: // C1 OSC, DCS, SOS, PM, APC
			i = skipString(s, i+size)
			continue
		case r == '\r':
			if multiline {
				if i+1 < len(s) && s[i+1] == '\n' {
					i++
					continue
				}
				b.WriteByte('\n')
			} else {
				b.WriteByte(' ')
			}
		case r == '\n' || r == '\t':
			if multiline {
				b.WriteRune(r)
			} else {
				b.WriteByte(' ')
			}
		case disallowed(r, multiline):
			// dropped
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// disallowed reports whether r may never be printed. Bidi embedding and
// override controls are removed everywhere; isolates too. LRM/RLM stay in
// bodies, where RTL text needs them.
func disallowed(r rune, multiline bool) bool {
	switch {
	case r == '\n' || r == '\t':
		return !multiline
	case r < 0x20, r == 0x7f, r >= 0x80 && r <= 0x9f:
		return true
	case isBidi(r):
		return true
	case r == 0x200e || r == 0x200f || r == 0x061c: // LRM, RLM, ALM
		return !multiline
	case r == 0xfff9 || r == 0xfffa || r == 0xfffb: // interlinear annotation controls
		return true
	}
	return false
}

func isBidi(r rune) bool {
	return (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069)
}

// skipEscape returns the index after the escape sequence whose ESC byte
// precedes i.
func skipEscape(s string, i int) int {
	if i >= len(s) {
		return i
	}
	switch s[i] {
	case '[':
		return skipCSI(s, i+1)
	case ']', 'P', 'X', '^', '_': // OSC, DCS, SOS, PM, APC: a string until BEL or ST
		return skipString(s, i+1)
	}
	// Two-byte or nF sequences: intermediates 0x20–0x2f, then one final byte.
	for i < len(s) && s[i] >= 0x20 && s[i] <= 0x2f {
		i++
	}
	if i < len(s) && s[i] >= 0x30 && s[i] <= 0x7e {
		i++
	}
	return i
}

// skipCSI skips parameter and intermediate bytes and the final byte of a CSI
// sequence starting at i.
func skipCSI(s string, i int) int {
	for i < len(s) && s[i] >= 0x20 && s[i] <= 0x3f {
		i++
	}
	if i < len(s) && s[i] >= 0x40 && s[i] <= 0x7e {
		i++
	}
	return i
}

// skipString skips a control string up to and including its terminator (BEL,
// ESC \, or C1 ST). An unterminated string runs to the end of s: everything
// after an OSC opener would otherwise be read by the terminal as its payload.
// To keep honest text after a stray opener, the string also ends at a newline.
func skipString(s string, i int) int {
	for i < len(s) {
		switch {
		case s[i] == 0x07:
			return i + 1
		case s[i] == 0x1b:
			if i+1 < len(s) && s[i+1] == '\\' {
				return i + 2
			}
			return i + 1
		case s[i] == '\n':
			return i
		case strings.HasPrefix(s[i:], "\u009c"):
			return i + 2
		}
		i++
	}
	return i
}
