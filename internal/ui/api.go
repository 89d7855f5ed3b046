// Package ui is byline's terminal user interface: a Bubble Tea router with a
// windowed story list, an article pane, a feed/tag sidebar and prompts. It
// depends only on the Library and Refresher interfaces declared here; the cli
// package adapts the store and the refresher to them.
//
// Structure. Model is the root router: it owns the page (main, help, errors,
// welcome), the focused pane (list, reader, sidebar) and the shared state
// (keys, styles, options, size), handles quit, help, resize and mouse, and
// hands keys to one handler per pane (update_keys.go). The panes are plain
// structs: storyList (list.go) windows the query's stories, holding only a
// few pages of rows around the cursor and loading more on demand; reader
// (reader.go) keeps the article's Markdown and a render cache keyed by
// story, version and width; sources (sources.go) is the sidebar and picker.
//
// I/O. Every Library and Refresher call runs in a tea.Cmd (cmds.go) that
// returns a past-tense message. List pages carry the list generation and
// article replies the request id, so stale replies are dropped; refresh
// progress arrives through a channel read one message at a time. Panics in
// Update, View or a command are caught, logged by Run under StateDir, and the
// terminal is restored. While Run runs, log/slog records (refreshes, failed
// fetches and actions) go to StateDir/byline.log, never to the screen.
package ui

import (
	"context"

	"github.com/byline/byline/internal/model"
)

// Query selects the stories shown in the list. The zero value is "all stories".
type Query struct {
	FeedID  int64
	Tag     string
	Unread  bool
	Starred bool
	Search  string
	Limit   int
	Offset  int
}

// Tag is one user tag with the number of feeds carrying it and their unread stories.
type Tag struct {
	Name   string
	Feeds  int
	Unread int
}

// Library is the UI's view of the story database. Every call runs inside a
// tea.Cmd, never in Update or View.
type Library interface {
	// Stories returns one page of stories, newest first, as light rows
	// (no Summary/Content) with FeedTitle set.
	Stories(ctx context.Context, q Query) ([]model.Story, error)
	CountStories(ctx context.Context, q Query) (total, unread int, err error)
	// Story returns the full row, with Summary and Content.
	Story(ctx context.Context, id int64) (model.Story, error)
	// Feeds returns every feed with StoryCount and UnreadCount.
	Feeds(ctx context.Context) ([]model.Feed, error)
	Tags(ctx context.Context) ([]Tag, error)
	SetRead(ctx context.Context, ids []int64, read bool) error
	SetStarred(ctx context.Context, ids []int64, starred bool) error
	// MarkAllRead marks every story matching q read and returns the ids it
	// changed, so that the change can be undone.
	MarkAllRead(ctx context.Context, q Query) ([]int64, error)
}

// IndexBacklog is implemented by a Library whose search first indexes the
// stories stored since its last catch-up. While such a search runs, the list
// says how many stories are being indexed instead of just "loading…".
type IndexBacklog interface {
	// PendingIndex returns about how many stories wait to be indexed.
	PendingIndex(ctx context.Context) (int, error)
}

// indexNoticeMin is the backlog from which a search's wait is explained: a
// catch-up indexes about 70,000 stories a second, so smaller ones end before
// a notice could be read.
const indexNoticeMin = 2000

// IndexNotice is what byline says while a search waits for pending stories
// to be indexed, in the interface and on the command line alike; ok is false
// when the backlog is too small to be worth a word.
func IndexNotice(pending int) (notice string, ok bool) {
	if pending < indexNoticeMin {
		return "", false
	}
	return "indexing about " + groupDigits(pending) + " new stories for search…", true
}

// RefreshEvent reports the end of one feed's refresh.
type RefreshEvent struct {
	FeedID int64
	Feed   string
	New    int
	Err    error
	Done   int
	Total  int
}

// Refresher fetches feeds and articles. Its methods may block on the network;
// the UI calls them only from tea.Cmds.
type Refresher interface {
	// Refresh refreshes the given feeds (nil: all). progress is called from
	// other goroutines, once per feed.
	Refresh(ctx context.Context, feedIDs []int64, progress func(RefreshEvent)) error
	// Subscribe adds the feed at url (feed discovery included) and returns it
	// with the number of stories stored.
	Subscribe(ctx context.Context, url string) (model.Feed, int, error)
	Import(ctx context.Context, path string) (added int, skipped []string, err error)
	// Article returns the cached reader-mode article, else fetches and
	// extracts it (slow).
	Article(ctx context.Context, storyID int64, refetch bool) (model.Article, error)
	// FeedArticle returns the feed's own content as an Article, instantly.
	FeedArticle(ctx context.Context, storyID int64) (model.Article, error)
}

// StarterFeed is one feed offered on the welcome screen.
type StarterFeed struct {
	Name string
	URL  string
}

// Options configures the UI. The caller decides Dark and NoColor once at start.
type Options struct {
	Keys           map[string][]string // action name → keys, overrides DefaultKeyMap
	Theme          string              // "auto", "dark" or "light"
	Dark, NoColor  bool
	PipeCommand    string // default command for |
	Browser        string // "" → $BROWSER, else xdg-open/open
	PagerCommand   string // "" → $PAGER, else less -R
	MarkReadOnOpen bool
	// ReadOnly says the library cannot save changes (a read-only store):
	// opening a story does not try to mark it read, and the status bar says
	// so at start and whenever a key would change something.
	ReadOnly  bool
	WideWidth int    // split layout at ≥ this many columns (default 120)
	StateDir  string // byline.log and panic reports go here
	Starter   []StarterFeed
	// Render turns Markdown into terminal output at width; nil: render.Terminal.
	Render func(md string, width int, dark, noColor bool) (string, error)
	// Document turns an article into its Markdown document; nil: render.Document.
	Document func(a model.Article) string
}
