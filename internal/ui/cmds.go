package ui

import (
	"context"
	"fmt"
	"runtime/debug"

	tea "charm.land/bubbletea/v2"

	"github.com/byline/byline/internal/model"
)

// Messages: results of the UI's commands, named in the past tense. Replies
// to long requests carry the generation or request id they answer, and
// Update drops them when the user has moved on.
type (
	countedMsg struct {
		gen           int
		total, unread int
		err           error
	}
	// backlogMsg carries the index backlog a search waits for.
	backlogMsg struct {
		gen, pending int
	}
	pageLoadedMsg struct {
		gen, page int
		rows      []model.Story
		err       error
	}
	feedsLoadedMsg struct {
		feeds []model.Feed
		tags  []Tag
		err   error
	}
	articleLoadedMsg struct {
		req  int
		full bool
		a    model.Article
		err  error
	}
	renderedMsg struct {
		key string
		out string
		err error
	}
	refreshStartedMsg    struct{ ch <-chan tea.Msg }
	refreshProgressedMsg struct{ ev RefreshEvent }
	refreshFinishedMsg   struct{ err error }
	markedAllMsg         struct {
		ids []int64
		err error
	}
	// doneMsg reports the end of a simple operation: info on success.
	doneMsg struct {
		info   string
		err    error
		reload bool // reload list and feeds afterwards
	}
	statusExpiredMsg struct{ seq int }
	spinTickedMsg    struct{}
	panickedMsg      struct {
		value any
		stack []byte
	}
)

// guard turns a panic inside a command into a panickedMsg, so that Run can log
// it and restore the terminal instead of dying in a goroutine.
func guard(cmd tea.Cmd) tea.Cmd {
	if cmd == nil {
		return nil
	}
	return func() (msg tea.Msg) {
		defer func() {
			if r := recover(); r != nil {
				msg = panickedMsg{value: r, stack: debug.Stack()}
			}
		}()
		msg = cmd()
		if b, ok := msg.(tea.BatchMsg); ok {
			out := make(tea.BatchMsg, len(b))
			for i, c := range b {
				out[i] = guard(c)
			}
			return out
		}
		return msg
	}
}

func (m *Model) loadFeeds() tea.Cmd {
	ctx, lib := m.ctx, m.lib
	return func() tea.Msg {
		feeds, err := lib.Feeds(ctx)
		if err != nil {
			return feedsLoadedMsg{err: fmt.Errorf("load feeds: %w", err)}
		}
		tags, err := lib.Tags(ctx)
		if err != nil {
			return feedsLoadedMsg{feeds: feeds, err: fmt.Errorf("load tags: %w", err)}
		}
		return feedsLoadedMsg{feeds: feeds, tags: tags}
	}
}

// loadList counts the list's stories; the pages follow once the count lands.
// For a search it also asks for the index backlog, which the count may wait
// for.
func (m *Model) loadList() tea.Cmd {
	ctx, lib, q, gen := m.ctx, m.lib, m.list.q, m.list.gen
	count := func() tea.Msg {
		total, unread, err := lib.CountStories(ctx, q)
		if err != nil {
			err = fmt.Errorf("count stories: %w", err)
		}
		return countedMsg{gen: gen, total: total, unread: unread, err: err}
	}
	ib, ok := lib.(IndexBacklog)
	if q.Search == "" || !ok {
		return count
	}
	backlog := func() tea.Msg {
		n, err := ib.PendingIndex(ctx)
		if err != nil {
			return nil // only a notice is lost; the search reports its own errors
		}
		return backlogMsg{gen: gen, pending: n}
	}
	return tea.Batch(backlog, count)
}

// loadMissing loads the pages the window needs.
func (m *Model) loadMissing() tea.Cmd {
	var cmds []tea.Cmd
	for _, p := range m.list.missing() {
		ctx, lib, q, gen := m.ctx, m.lib, m.list.pageQuery(p), m.list.gen
		cmds = append(cmds, func() tea.Msg {
			rows, err := lib.Stories(ctx, q)
			if err != nil {
				err = fmt.Errorf("load stories: %w", err)
			}
			return pageLoadedMsg{gen: gen, page: p, rows: rows, err: err}
		})
	}
	return tea.Batch(cmds...)
}

func loadArticle(ctx context.Context, ref Refresher, req int, id int64, full, refetch bool) tea.Cmd {
	return func() tea.Msg {
		var a model.Article
		var err error
		if full {
			a, err = ref.Article(ctx, id, refetch)
		} else {
			a, err = ref.FeedArticle(ctx, id)
		}
		return articleLoadedMsg{req: req, full: full, a: a, err: err}
	}
}

func renderCmd(render func(string, int, bool, bool) (string, error), key, md string, width int, dark, noColor bool) tea.Cmd {
	return func() tea.Msg {
		out, err := render(md, width, dark, noColor)
		return renderedMsg{key: key, out: out, err: err}
	}
}

// startRefresh runs ref.Refresh in its own goroutine and turns its
// progress callbacks into messages read one at a time by waitRefresh.
func startRefresh(ctx context.Context, ref Refresher, ids []int64) tea.Cmd {
	return func() tea.Msg {
		ch := make(chan tea.Msg, 16)
		go func() {
			defer close(ch)
			var err error
			func() {
				defer func() {
					if r := recover(); r != nil {
						ch <- panickedMsg{value: r, stack: debug.Stack()}
					}
				}()
				err = ref.Refresh(ctx, ids, func(ev RefreshEvent) {
					select {
					case ch <- refreshProgressedMsg{ev}:
					case <-ctx.Done():
					}
				})
			}()
			ch <- refreshFinishedMsg{err}
		}()
		return refreshStartedMsg{ch}
	}
}

func waitRefresh(ch <-chan tea.Msg) tea.Cmd {
	if ch == nil {
		return nil
	}
	return func() tea.Msg {
		msg, ok := <-ch
		if !ok {
			return nil
		}
		return msg
	}
}

func (m *Model) setRead(ids []int64, read bool) tea.Cmd {
	ctx, lib := m.ctx, m.lib
	return func() tea.Msg {
		if err := lib.SetRead(ctx, ids, read); err != nil {
			return doneMsg{err: fmt.Errorf("mark read: %w", err), reload: true}
		}
		return doneMsg{}
	}
}

func (m *Model) setStarred(ids []int64, starred bool) tea.Cmd {
	ctx, lib := m.ctx, m.lib
	return func() tea.Msg {
		if err := lib.SetStarred(ctx, ids, starred); err != nil {
			return doneMsg{err: fmt.Errorf("star: %w", err), reload: true}
		}
		return doneMsg{}
	}
}
