// Package model holds the plain data types that flow between byline's stages:
// feeds, stories and extracted articles. It imports only the standard library.
package model

import (
	"strings"
	"time"
)

// Feed is one subscription and its fetch state.
type Feed struct {
	ID          int64
	URL         string   // current feed URL (updated on permanent redirects)
	Title       string   // title announced by the feed itself
	CustomTitle string   // user's rename (newsboat "~Title"), wins over Title
	SiteURL     string   // the site's home page, when the feed names one
	Tags        []string // user tags, sorted, no duplicates

	// Fetch state.
	ETag         string
	LastModified string
	LastFetch    time.Time // zero when never fetched
	LastStatus   int       // last HTTP status, 0 when the request failed before one
	LastError    string    // empty after a successful fetch
	RetryAfter   time.Time // do not poll before this instant (429/503)
	Dead         bool      // 410 Gone: kept, never polled

	CreatedAt time.Time

	// Counts filled by listing queries (zero elsewhere).
	StoryCount  int
	UnreadCount int
}

// DisplayTitle is the name to show for the feed: the user's rename, else the
// feed's own title, else its URL.
func (f Feed) DisplayTitle() string {
	switch {
	case f.CustomTitle != "":
		return f.CustomTitle
	case f.Title != "":
		return f.Title
	}
	return f.URL
}

// Enclosure is a media file attached to a story (podcast audio, image, …).
type Enclosure struct {
	URL    string `json:"url"`
	Type   string `json:"type,omitempty"`
	Length int64  `json:"length,omitempty"`
}

// Story is one item of a feed as stored.
type Story struct {
	ID        int64
	FeedID    int64
	FeedTitle string // display title of the feed, filled by listing queries

	Key        string // dedupe key within the feed: guid, else link, else hash
	GUID       string
	URL        string
	Title      string
	Author     string
	Published  time.Time // never zero once stored: falls back to FirstSeen
	Updated    time.Time // zero when the feed gave none
	Summary    string    // feed's description/summary (HTML, sanitized)
	Content    string    // feed's full body (content:encoded, atom content; HTML, sanitized)
	Categories []string
	Enclosures []Enclosure

	FirstSeen time.Time
	Read      bool
	Starred   bool
}

// ParsedFeed is the result of parsing one feed document.
type ParsedFeed struct {
	Title       string
	SiteURL     string
	Description string
	Items       []Story // FeedID, ID, FirstSeen and state are unset
}

// Article sources: where the body of an Article came from.
const (
	SourceFeed      = "feed"      // the feed carried the full article
	SourceExtracted = "extracted" // fetched from the story's page and extracted
	SourceFallback  = "fallback"  // extraction failed or found nothing: feed content/summary
)

// Article is the reader-mode form of a story or a web page.
type Article struct {
	URL          string
	Title        string
	Author       string
	Site         string
	Published    time.Time // zero when unknown
	ImageURL     string    // lead image
	ImageCaption string
	// Markdown is the canonical body (without title and metadata): block quotes
	// for quotes, pull quotes and direct speech; caption lines for captions.
	Markdown    string
	Source      string // SourceFeed, SourceExtracted or SourceFallback
	Note        string // why a fallback was used, for the reader; empty otherwise
	ExtractedAt time.Time
	// Validators of the page it was extracted from, for conditional refetches.
	ETag, LastModified string
}

// CaptionPrefix starts every caption or credit line in canonical Markdown:
// a caption is a paragraph of the form "*Image: text*" (see IsCaptionLine).
const CaptionPrefix = "Image: "

// CaptionLine formats text (already Markdown-escaped) as a caption paragraph.
func CaptionLine(text string) string {
	return "*" + CaptionPrefix + text + "*"
}

// IsCaptionLine reports whether a Markdown paragraph is a caption line.
func IsCaptionLine(p string) bool {
	p = strings.TrimSpace(p)
	return len(p) > len(CaptionPrefix)+2 && strings.HasPrefix(p, "*"+CaptionPrefix) &&
		strings.HasSuffix(p, "*") && !strings.HasPrefix(p, "**")
}
