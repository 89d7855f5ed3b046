package store

import (
	"context"
	"database/sql"
	"html"
	"strings"
	"unicode"
	"unicode/utf8"
)

// ftsQuery turns the user's words into a safe FTS5 query: every word becomes a
// quoted token, all of them must match, and the last one matches as a prefix
// (search as you type). Words are split where FTS5's unicode61 tokenizer
// splits them (letters, numbers and private-use characters are token
// characters), so the user's quotes, stars, parentheses, minus signs and
// keywords (AND, NEAR) are never read as query syntax. It returns "" when the
// input holds no searchable word.
//
// SQLite's character tables are older than Go's: a few characters Go calls
// letters are separators to SQLite (U+19B0…, New Tai Lue vowels), which would
// make a quoted word two tokens, a phrase, and phrases are an error with
// detail=none. strict, the fallback when the first query fails, quotes every
// non-ASCII character on its own: a lone character is one token or none (an
// empty phrase, which FTS5 ignores), never a phrase.
func ftsQuery(words string, strict bool) string {
	toks := tokens(words)
	if strict {
		toks = splitNonASCII(toks)
	}
	if len(toks) == 0 {
		return ""
	}
	var b strings.Builder
	for i, t := range toks {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteByte('"')
		b.WriteString(t) // tokens never contain '"'
		b.WriteByte('"')
	}
	b.WriteByte('*')
	return b.String()
}

// tokens splits s the way unicode61 does with its default categories.
func tokens(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return !isTokenRune(r) })
}

// splitNonASCII splits every non-ASCII rune of toks into a token of its own.
func splitNonASCII(toks []string) []string {
	var out []string
	for _, t := range toks {
		start := 0
		for i, r := range t {
			if r < utf8.RuneSelf {
				continue
			}
			if start < i {
				out = append(out, t[start:i])
			}
			out = append(out, string(r))
			start = i + utf8.RuneLen(r)
		}
		if start < len(t) {
			out = append(out, t[start:])
		}
	}
	return out
}

func isTokenRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.Is(unicode.Co, r)
}

// htmlText reduces an HTML fragment to its words for the index: tags are
// dropped (with the contents of script and style), entities decoded, and
// ASCII whitespace collapsed. It does not need to be a faithful renderer, only
// to keep markup names and attribute values (URLs, class names) out of the
// index; it runs for every new story, so it makes one pass and one string.
func htmlText(s string) string {
	if !strings.ContainsAny(s, "<&") {
		return s
	}
	t := textWriter{space: true}
	t.b.Grow(len(s))
	for len(s) > 0 {
		lt := strings.IndexByte(s, '<')
		if lt < 0 {
			t.write(s)
			break
		}
		t.write(s[:lt])
		s = s[lt:]
		gt := strings.IndexByte(s, '>')
		if gt < 0 {
			break // unterminated tag: the rest is markup
		}
		tag := s[1:gt]
		s = s[gt+1:]
		for _, skip := range [...]string{"script", "style"} {
			if len(tag) >= len(skip) && strings.EqualFold(tag[:len(skip)], skip) {
				end := strings.Index(strings.ToLower(s), "</"+skip)
				if end < 0 {
					s = ""
				} else {
					s = s[end:]
				}
			}
		}
		t.space = true // tags separate words: "a<br>b" is two words
	}
	return t.b.String()
}

// textWriter collapses runs of ASCII whitespace to one space and drops it at
// the start and end.
type textWriter struct {
	b     strings.Builder
	space bool // a separator is pending
}

func (t *textWriter) write(s string) {
	if strings.IndexByte(s, '&') >= 0 {
		s = html.UnescapeString(s)
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case ' ', '\t', '\n', '\r', '\f', '\v':
			t.space = true
		default:
			if t.space && t.b.Len() > 0 {
				t.b.WriteByte(' ')
			}
			t.space = false
			t.b.WriteByte(c)
		}
	}
}

// indexDoc is the text of one story as the index sees it.
type indexDoc struct {
	title, summary, content, article string
}

// body joins the story's texts into the index's body column. The summary is
// often the first paragraph of the content: it is left out then, since the
// index would gain nothing from it.
func (d indexDoc) body() string {
	sum, con := htmlText(d.summary), htmlText(d.content)
	parts := make([]string, 0, 3)
	if sum != "" && !strings.Contains(con, sum) {
		parts = append(parts, sum)
	}
	if con != "" {
		parts = append(parts, con)
	}
	if d.article != "" {
		parts = append(parts, d.article)
	}
	return strings.Join(parts, "\n")
}

// reindex replaces story id's entry in the full-text index.
func reindex(ctx context.Context, del, ins *sql.Stmt, id int64, d indexDoc) error {
	if _, err := del.ExecContext(ctx, id); err != nil {
		return translate(err)
	}
	if _, err := ins.ExecContext(ctx, id, d.title, d.body()); err != nil {
		return translate(err)
	}
	return nil
}

const (
	ftsDeleteSQL = `DELETE FROM story_fts WHERE rowid = ?`
	ftsInsertSQL = `INSERT INTO story_fts (rowid, title, body) VALUES (?, ?, ?)`
)
