// Package subs imports subscription lists (OPML 1.0/2.0 and newsboat urls
// files) and exports OPML 2.0. Imported entries that are not plain http(s)
// feeds (newsboat exec:, filter:, query: feeds, commands, local files) are
// reported and never run.
package subs

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/byline/byline/internal/sanitize"
)

// maxInput bounds an import file; real subscription lists are a few KiB.
const maxInput = 16 << 20

// Subscription is one feed to subscribe to. Title is the user's name for the
// feed ("" when the list gives none); Tags are sorted and unique.
type Subscription struct {
	URL, Title string
	Tags       []string
}

// Skipped is an entry Parse refused, with its 1-based line and the reason.
type Skipped struct {
	Line          int
	Entry, Reason string
}

// Parse reads an OPML document or a newsboat urls file, detected from the
// content. Entries are deduplicated by URL with their tags merged.
func Parse(r io.Reader) ([]Subscription, []Skipped, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxInput+1))
	if err != nil {
		return nil, nil, fmt.Errorf("read subscriptions: %w", err)
	}
	if len(data) > maxInput {
		return nil, nil, errors.New("read subscriptions: file too large (over 16 MiB)")
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if isXML(data) {
		return parseOPML(data)
	}
	subs, skipped := parseURLs(data)
	return subs, skipped, nil
}

func isXML(data []byte) bool {
	t := bytes.TrimLeft(data, " \t\r\n")
	return len(t) > 0 && t[0] == '<'
}

// collector deduplicates subscriptions by URL, merging tags and keeping the
// first non-empty title.
type collector struct {
	subs  []Subscription
	index map[string]int
}

func (c *collector) add(url, title string, tags []string) {
	if c.index == nil {
		c.index = map[string]int{}
	}
	title = sanitize.Line(title, 0)
	if title == url {
		title = "" // a title that repeats the URL says nothing
	}
	if i, ok := c.index[url]; ok {
		s := &c.subs[i]
		if s.Title == "" {
			s.Title = title
		}
		s.Tags = normTags(append(s.Tags, tags...))
		return
	}
	c.index[url] = len(c.subs)
	c.subs = append(c.subs, Subscription{URL: url, Title: title, Tags: normTags(tags)})
}

// normTags cleans, sorts and deduplicates tags; nil when there are none.
func normTags(tags []string) []string {
	var out []string
	for _, t := range tags {
		if t = sanitize.Line(t, 100); t != "" {
			out = append(out, t)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// checkURL returns the cleaned URL, or "" and why it is refused.
func checkURL(raw string) (string, string) {
	lower := strings.ToLower(strings.TrimSpace(raw))
	switch {
	case lower == "":
		return "", "empty url"
	case strings.HasPrefix(lower, "exec:"):
		return "", "exec: feeds run a command; byline never runs commands"
	case strings.HasPrefix(lower, "filter:"):
		return "", "filter: feeds run a command; byline never runs commands"
	case strings.HasPrefix(lower, "|"):
		return "", "command feeds are never run"
	case strings.HasPrefix(lower, "query:"):
		return "", "query feeds are not supported"
	case strings.HasPrefix(lower, "file:"):
		return "", "local files are not supported"
	}
	u := sanitize.URL(raw)
	if u == "" {
		return "", "not an absolute http or https url"
	}
	return u, ""
}
