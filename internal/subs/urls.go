package subs

import (
	"bufio"
	"bytes"
	"strings"

	"github.com/byline/byline/internal/sanitize"
)

// parseURLs reads a newsboat urls file: one feed per line, the URL then
// tags, each token optionally double-quoted; "~Name" renames the feed, a
// leading "!" (newsboat's hidden flag) is dropped, # starts a comment.
func parseURLs(data []byte) ([]Subscription, []Skipped) {
	var c collector
	var skipped []Skipped
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for line := 1; sc.Scan(); line++ {
		tokens := tokenize(sc.Text())
		if len(tokens) == 0 {
			continue
		}
		url, reason := checkURL(tokens[0])
		if reason != "" {
			skipped = append(skipped, Skipped{Line: line, Entry: sanitize.Line(tokens[0], 200), Reason: reason})
			continue
		}
		var title string
		var tags []string
		for _, t := range tokens[1:] {
			switch {
			case strings.HasPrefix(t, "~"):
				title = t[1:]
			case strings.HasPrefix(t, "!"):
				tags = append(tags, t[1:])
			default:
				tags = append(tags, t)
			}
		}
		c.add(url, title, tags)
	}
	if err := sc.Err(); err != nil {
		skipped = append(skipped, Skipped{Reason: "stopped reading: " + err.Error()})
	}
	return c.subs, skipped
}

// tokenize splits a line on blanks, honouring double quotes (with \" and \\
// escapes inside) and stopping at an unquoted # that starts a token.
func tokenize(line string) []string {
	var tokens []string
	var cur strings.Builder
	inToken, quoted := false, false
	flush := func() {
		if inToken {
			tokens = append(tokens, cur.String())
		}
		cur.Reset()
		inToken = false
	}
	for i := 0; i < len(line); i++ {
		ch := line[i]
		switch {
		case quoted && ch == '\\' && i+1 < len(line) && (line[i+1] == '"' || line[i+1] == '\\'):
			i++
			cur.WriteByte(line[i])
		case quoted && ch == '"':
			quoted = false
		case quoted:
			cur.WriteByte(ch)
		case ch == '"':
			quoted, inToken = true, true
		case ch == ' ' || ch == '\t' || ch == '\r':
			flush()
		case ch == '#' && !inToken:
			flush()
			return tokens
		default:
			inToken = true
			cur.WriteByte(ch)
		}
	}
	flush()
	return tokens
}
