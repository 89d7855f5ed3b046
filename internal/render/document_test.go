package render

import (
	"strings"
	"testing"
	"time"

	"github.com/byline/byline/internal/model"
)

func TestDocument(t *testing.T) {
	pub := time.Date(2026, 3, 14, 23, 30, 0, 0, time.UTC)
	tests := []struct {
		name string
		a    model.Article
		want string
	}{
		{
			name: "full",
			a: model.Article{
				Title: "The Quiet Revolution", Author: "Jane Doe", Site: "Example News",
				Published: pub, URL: "https://example.com/a?b=1",
				Note:     "extraction failed; showing the feed's summary",
				Markdown: "Body paragraph.\n\n> A quote.\n",
			},
			want: "# The Quiet Revolution\n\n*Jane Doe · Example News · 2026-03-14*\n\n" +
				"<https://example.com/a?b=1>\n\n**Note:** extraction failed; showing the feed's summary\n\n" +
				"Body paragraph.\n\n> A quote.\n",
		},
		{
			name: "only some metadata",
			a:    model.Article{Title: "T", Site: "Site", Markdown: "Body."},
			want: "# T\n\n*Site*\n\nBody.\n",
		},
		{
			name: "date only, no note",
			a:    model.Article{Title: "T", Published: pub, URL: "https://x.example/"},
			want: "# T\n\n*2026-03-14*\n\n<https://x.example/>\n",
		},
		{
			name: "unsafe URL dropped",
			a:    model.Article{Title: "T", URL: "javascript:alert(1)", Markdown: "B"},
			want: "# T\n\nB\n",
		},
		{
			name: "title and author escaped",
			a:    model.Article{Title: "*Not* [a link](x) <b> & co &amp; #1 ##", Author: "Ann_Smith*"},
			want: "# \\*Not\\* \\[a link\\](x) \\<b> & co \\&amp; #1 \\#\\#\n\n*Ann\\_Smith\\**\n",
		},
		{
			name: "block markers at start escaped",
			a:    model.Article{Title: "1. First", Author: "- dash"},
			want: "# 1\\. First\n\n*\\- dash*\n",
		},
		{
			name: "controls removed from one-line fields",
			a:    model.Article{Title: "Red\x1b[31m title\nwith newline"},
			want: "# Red title with newline\n",
		},
		{name: "empty", a: model.Article{}, want: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Document(tt.a); got != tt.want {
				t.Errorf("Document() =\n%q\nwant\n%q", got, tt.want)
			}
		})
	}
}

// TestDocumentRoundTrip checks that escaping keeps titles and authors
// literal: what a Markdown reader shows is what the feed said.
func TestDocumentRoundTrip(t *testing.T) {
	titles := []string{
		"*Not* emphasis", "_under_ score", "[x](y) link", "<b>tag</b>", "AT&amp;T", "C# is #1 ##",
		"1. Not a list", "- nor this", "+ or this", "> not a quote", "= setext?", "`code`",
		"a \\ backslash", "~~gone~~", "2) paren", "!",
	}
	for _, title := range titles {
		a := model.Article{Title: title, Author: title}
		body := BodyText(Document(a))
		lines := strings.Split(strings.TrimRight(body, "\n"), "\n")
		if len(lines) != 3 || lines[0] != title || lines[2] != title {
			t.Errorf("title %q came back as %q", title, lines)
		}
	}
}
