package sanitize

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestLine(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"plain", "Hello world", "Hello world"},
		{"csi colour", "a\x1b[31mred\x1b[0m b", "ared b"},
		{"osc title bel", "x\x1b]0;pwned\x07y", "xy"},
		{"osc 8 link st", "\x1b]8;;http://evil\x1b\\click\x1b]8;;\x1b\\", "click"},
		{"osc 52 clipboard", "a\x1b]52;c;ZWNobyBoaQ==\x07b", "ab"},
		{"dcs", "a\x1bPq#0;2;0;0;0\x1b\\b", "ab"},
		{"c1 csi", "a\u009b31mb", "ab"},
		{"c1 osc", "a\u009d0;x\u009cb", "ab"},
		{"bel bs cr", "a\x07b\x08c\rd", "abc d"},
		{"bidi override", "abc\u202edef\u2066g\u2069", "abcdefg"},
		{"numeric ref", "a&#27;[31mb", "a[31mb"},
		{"hex ref", "a&#x1b;b&#X9B;c", "abc"},
		{"double escaped ref", "a&amp;#27;b", "ab"},
		{"harmless ref kept", "caf&#233;", "caf&#233;"},
		{"whitespace collapsed", "  a \n\t b  ", "a b"},
		{"del", "a\x7fb", "ab"},
		{"invalid utf8", "a\xffb", "a\ufffdb"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Line(tt.in, 0); got != tt.want {
				t.Errorf("Line(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestLineCap(t *testing.T) {
	got := Line(strings.Repeat("é", 2000), 100)
	if n := utf8.RuneCountInString(got); n != 100 || !strings.HasSuffix(got, "…") {
		t.Fatalf("len %d, %q", n, got[len(got)-8:])
	}
}

func TestText(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"keeps newlines and tabs", "a\n\tb", "a\n\tb"},
		{"crlf", "a\r\nb\rc", "a\nb\nc"},
		{"escape in body", "para\x1b[2Jone\n\x1b]0;t\x07two", "paraone\ntwo"},
		{"unterminated osc stops at newline", "a\x1b]0;junk\nrest", "a\nrest"},
		{"rlm kept in body", "\u200fשלום", "\u200fשלום"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Text(tt.in); got != tt.want {
				t.Errorf("Text(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestURL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://example.com/a?b=c", "https://example.com/a?b=c"},
		{" http://example.com/ ", "http://example.com/"},
		{"HTTPS://EXAMPLE.COM/", "HTTPS://EXAMPLE.COM/"},
		{"javascript:alert(1)", ""},
		{"file:///etc/passwd", ""},
		{"data:text/html,hi", ""},
		{"/relative/path", ""},
		{"//example.com/x", ""},
		{"http://exa\x1b[31mmple.com/", "http://example.com/"},
		{"http:evil", ""},
	}
	for _, tt := range tests {
		if got := URL(tt.in); got != tt.want {
			t.Errorf("URL(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
