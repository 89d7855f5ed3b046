package sanitize

import (
	"net/url"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

// fuzzSeeds are hostile strings in every smuggling form byline knows of.
var fuzzSeeds = []string{
	"",
	"plain title",
	"a\x1b[31mred\x1b[0m",
	"x\x1b]0;pwned\x07y",
	"\x1b]8;;http://evil\x1b\\click\x1b]8;;\x1b\\",
	"a\x1b]52;c;ZWNobyBoaQ==\x07b",
	"a\x1bPq#0;2;0;0;0\x1b\\b",
	"a\u009b31mb\u009d0;x\u009c",
	"a\x07b\x08c\rd\r\n",
	"abc\u202edef\u2066g\u2069\u200f",
	"a&#27;[31mb&#x1b;&#X9B;&amp;#27;&amp;amp;#x1B;",
	"&&#27;#27;",
	"&#\x1b[m27;",
	"&#&#8238;27;",
	"caf&#233; &#0; &#99999999999;",
	"a\xffb\xc0\x80",
	"\x1b",
	"\x1b[",
	"\x1b]",
	"\u009b",
	"<![CDATA[\x1b[2J]]>",
	`{"t":"\u001b[2J"}`,
	"javascript:alert(1)",
	"http://example.com/a b",
	"https://example.com/\x1b[31m",
	"//example.com/x",
	"http:///nohost",
	"HTTP://EXAMPLE.COM",
	"file:///etc/passwd",
	strings.Repeat("é", 600),
	strings.Repeat("a ", 400),
}

// disallowedOut reports the first rune that Line (multiline false) or Text
// (multiline true) must never output, or -1.
func disallowedOut(s string, multiline bool) rune {
	for _, r := range s {
		switch {
		case r == '\n' || r == '\t':
			if !multiline {
				return r
			}
		case r < 0x20, r == 0x7f, r >= 0x80 && r <= 0x9f:
			return r
		case (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069):
			return r
		case r == 0xfff9 || r == 0xfffa || r == 0xfffb:
			return r
		case !multiline && (r == 0x200e || r == 0x200f || r == 0x061c):
			return r
		}
	}
	return -1
}

// hiddenRef reports a numeric character reference in s (behind any number of
// "&amp;" layers) that would decode to a disallowed rune.
func hiddenRef(s string, multiline bool) string {
	for _, m := range charRef.FindAllStringSubmatch(s, -1) {
		var n uint64
		var err error
		if m[1] != "" {
			n, err = strconv.ParseUint(m[1], 16, 32)
		} else {
			n, err = strconv.ParseUint(m[2], 10, 32)
		}
		if err != nil || n == 0 || n > utf8.MaxRune || disallowedOut(string(rune(n)), multiline) >= 0 {
			return m[0]
		}
	}
	return ""
}

func FuzzLine(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s, 0)
		f.Add(s, 5)
	}
	f.Fuzz(func(t *testing.T, s string, max int) {
		if max > 1000 || max < -1 {
			max = 0
		}
		got := Line(s, max)
		if !utf8.ValidString(got) {
			t.Fatalf("Line(%q) = %q: invalid UTF-8", s, got)
		}
		if r := disallowedOut(got, false); r >= 0 {
			t.Fatalf("Line(%q) = %q holds %U", s, got, r)
		}
		if ref := hiddenRef(got, false); ref != "" {
			t.Fatalf("Line(%q) = %q holds reference %q", s, got, ref)
		}
		limit := max
		if limit <= 0 {
			limit = MaxLine
		}
		if n := utf8.RuneCountInString(got); n > limit {
			t.Fatalf("Line(%q, %d) has %d runes", s, max, n)
		}
		if again := Line(got, max); again != got {
			t.Fatalf("not idempotent: Line(%q) = %q, Line of that = %q", s, got, again)
		}
	})
}

func FuzzText(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Text(s)
		if !utf8.ValidString(got) {
			t.Fatalf("Text(%q) = %q: invalid UTF-8", s, got)
		}
		if r := disallowedOut(got, true); r >= 0 {
			t.Fatalf("Text(%q) = %q holds %U", s, got, r)
		}
		if ref := hiddenRef(got, true); ref != "" {
			t.Fatalf("Text(%q) = %q holds reference %q", s, got, ref)
		}
		if again := Text(got); again != got {
			t.Fatalf("not idempotent: Text(%q) = %q, Text of that = %q", s, got, again)
		}
	})
}

func FuzzURL(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := URL(s)
		if got == "" {
			return
		}
		if !IsWebURL(got) {
			t.Fatalf("URL(%q) = %q, which IsWebURL rejects", s, got)
		}
		u, err := url.Parse(got)
		if err != nil {
			t.Fatalf("URL(%q) = %q does not parse: %v", s, got, err)
		}
		if sc := strings.ToLower(u.Scheme); sc != "http" && sc != "https" || u.Host == "" {
			t.Fatalf("URL(%q) = %q: scheme %q host %q", s, got, u.Scheme, u.Host)
		}
		if strings.ContainsAny(got, " \t\r\n") {
			t.Fatalf("URL(%q) = %q holds whitespace", s, got)
		}
		if r := disallowedOut(got, false); r >= 0 {
			t.Fatalf("URL(%q) = %q holds %U", s, got, r)
		}
		if again := URL(got); again != got {
			t.Fatalf("not idempotent: URL(%q) = %q, URL of that = %q", s, got, again)
		}
	})
}
