package ui

import (
	"fmt"
	"hash/fnv"
	"io"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/byline/byline/internal/model"
	"github.com/byline/byline/internal/render"
	"github.com/byline/byline/internal/sanitize"
)

func (m *Model) handleCounted(msg countedMsg) tea.Cmd {
	if msg.gen != m.list.gen {
		return nil
	}
	m.list.counted = true
	if msg.err != nil {
		return m.afterListChange(m.fail(msg.err))
	}
	m.list.total, m.list.unread = msg.total, msg.unread
	m.list.clamp()
	return m.afterListChange(m.loadMissing())
}

func (m *Model) handlePageLoaded(msg pageLoadedMsg) tea.Cmd {
	if msg.gen != m.list.gen {
		return nil
	}
	if msg.err != nil {
		delete(m.list.inflight, msg.page)
		return m.afterListChange(m.fail(msg.err))
	}
	m.list.landed(msg.page, msg.rows)
	var cmds []tea.Cmd
	if m.seek != nil {
		cmds = append(cmds, m.continueSeek())
	}
	if m.pendingOpen >= 0 {
		if _, ok := m.list.at(m.pendingOpen); ok {
			i := m.pendingOpen
			m.pendingOpen = -1
			m.list.moveTo(i)
			cmds = append(cmds, m.openAt(i, m.focus == focusReader || !m.wide()))
		}
	}
	cmds = append(cmds, m.loadMissing())
	return m.afterListChange(tea.Batch(cmds...))
}

// afterListChange runs a coalesced reload when one was asked for while the
// list was busy.
func (m *Model) afterListChange(cmd tea.Cmd) tea.Cmd {
	if m.list.dirty && !m.list.busy() {
		m.list.reload()
		return tea.Batch(cmd, m.loadList())
	}
	return cmd
}

// reloadList refetches counts and visible pages, keeping the cursor's story.
// While a load is in flight the reload is deferred, so bursts of refresh
// events cost one reload per round trip.
func (m *Model) reloadList() tea.Cmd {
	if m.list.busy() {
		m.list.dirty = true
		return nil
	}
	m.list.reload()
	return m.loadList()
}

func (m *Model) handleFeedsLoaded(msg feedsLoadedMsg) tea.Cmd {
	if msg.err != nil {
		return m.fail(msg.err)
	}
	m.feeds, m.tags = msg.feeds, msg.tags
	m.feedNameW = 0
	for _, f := range m.feeds {
		m.feedNameW = max(m.feedNameW, ansi.StringWidth(sanitize.Line(f.DisplayTitle(), 120)))
	}
	m.src.set(m.feeds, m.tags, m.list.q)
	switch {
	case len(m.feeds) == 0 && m.page == pageMain:
		m.page = pageWelcome
	case len(m.feeds) > 0 && m.page == pageWelcome:
		m.page = pageMain
	}
	return nil
}

func (m *Model) handleArticleLoaded(msg articleLoadedMsg) tea.Cmd {
	if msg.req != m.reader.req {
		return nil // the user has moved on
	}
	r := &m.reader
	if msg.full {
		refetched := r.refetching
		r.loadingFull, r.refetching = false, false
		if msg.err != nil {
			if r.fullArt == nil { // after a failed refetch the old text stays
				r.fullErr = msg.err
			}
			m.log.Warn("article fetch failed", "story", r.story.ID, "url", r.story.URL, "refetch", refetched, "err", msg.err)
			if r.feedArt == nil || refetched {
				return tea.Batch(m.show(fmt.Errorf("article: %w", msg.err)), m.renderArticle())
			}
			return m.renderArticle()
		}
		a := msg.a
		r.fullArt = &a
		if refetched {
			return tea.Batch(m.status("article fetched again"), m.renderArticle())
		}
	} else {
		if msg.err != nil {
			r.feedErr = msg.err
			m.log.Warn("feed content failed", "story", r.story.ID, "err", msg.err)
			return m.show(fmt.Errorf("feed content: %w", msg.err))
		}
		a := msg.a
		r.feedArt = &a
	}
	return m.renderArticle()
}

// renderArticle shows the current article at the pane's width, from the
// cache when possible, else through a render command.
func (m *Model) renderArticle() tea.Cmd {
	r := &m.reader
	a, which := r.shown()
	if a == nil {
		return nil
	}
	// The article was sanitized upstream; cleaning again here keeps a
	// faulty adapter from writing escape sequences to the terminal.
	r.md = sanitize.Text(m.o.Document(*a))
	sum := fnv.New64a()
	_, _ = io.WriteString(sum, r.md)
	r.mdKey = fmt.Sprintf("%d|%s|%x", r.story.ID, which, sum.Sum64())
	key := r.renderKey()
	if key == r.shownKey {
		return nil
	}
	if out, ok := r.cache[key]; ok {
		r.apply(key, out)
		return nil
	}
	return renderCmd(m.o.Render, key, r.md, r.renderWidth(), m.dark, m.o.NoColor)
}

func (m *Model) handleRendered(msg renderedMsg) tea.Cmd {
	var cmd tea.Cmd
	if msg.err != nil {
		if msg.key != m.reader.renderKey() {
			return nil // a failed render for a width or story since left
		}
		// Fall back to plain text rather than showing nothing.
		msg.out = render.PlainText(m.reader.md, m.reader.renderWidth())
		cmd = m.fail(fmt.Errorf("render: %w", msg.err))
	}
	m.reader.apply(msg.key, msg.out)
	return cmd
}

func (m *Model) handleRefreshEvent(msg refreshProgressedMsg) tea.Cmd {
	ev := msg.ev
	m.refreshDone, m.refreshTotal = ev.Done, ev.Total
	m.refreshNew += ev.New
	cmds := []tea.Cmd{waitRefresh(m.refreshCh)}
	if ev.Err != nil {
		m.refreshErrs = append(m.refreshErrs, ev)
		m.log.Warn("feed refresh failed", "feed", ev.Feed, "feed_id", ev.FeedID, "err", ev.Err)
		cmds = append(cmds, m.show(fmt.Errorf("%s: %w", ev.Feed, ev.Err)))
	}
	if ev.New > 0 {
		cmds = append(cmds, m.reloadList())
	}
	return tea.Batch(cmds...)
}

func (m *Model) handleRefreshFinished(msg refreshFinishedMsg) tea.Cmd {
	m.refreshing, m.refreshCh = false, nil
	attrs := []any{"feeds", m.refreshTotal, "done", m.refreshDone, "new", m.refreshNew,
		"failed", len(m.refreshErrs), "elapsed", m.now().Sub(m.refreshStart).Round(time.Millisecond)}
	if msg.err != nil {
		m.log.Warn("refresh finished", append(attrs, "err", msg.err)...)
	} else {
		m.log.Info("refresh finished", attrs...)
	}
	cmds := []tea.Cmd{m.loadFeeds(), m.reloadList()}
	switch {
	case msg.err != nil:
		cmds = append(cmds, m.show(fmt.Errorf("refresh: %w", msg.err)))
	case len(m.refreshErrs) > 0:
		cmds = append(cmds, m.status(fmt.Sprintf("refreshed: %d new, %d feeds failed (e)", m.refreshNew, len(m.refreshErrs))))
	default:
		cmds = append(cmds, m.status(fmt.Sprintf("refreshed: %d new", m.refreshNew)))
	}
	return tea.Batch(cmds...)
}

func (m *Model) handleMarkedAll(msg markedAllMsg) tea.Cmd {
	if msg.err != nil {
		return m.fail(fmt.Errorf("mark all read: %w", msg.err))
	}
	m.undo = msg.ids
	return tea.Batch(m.reloadList(), m.loadFeeds(),
		m.status(fmt.Sprintf("marked %d read · u to undo", len(msg.ids))))
}

func (m *Model) handleDone(msg doneMsg) tea.Cmd {
	m.busy = ""
	var cmds []tea.Cmd
	if msg.reload {
		cmds = append(cmds, m.reloadList(), m.loadFeeds())
	}
	if msg.err != nil {
		cmds = append(cmds, m.fail(msg.err))
	} else if msg.info != "" {
		cmds = append(cmds, m.status(msg.info))
	}
	return tea.Batch(cmds...)
}

// spinning reports whether anything animates the spinner.
func (m *Model) needSpin() bool {
	return m.refreshing || m.reader.loadingFull || m.busy != ""
}

// startSpin starts the spinner's tick loop unless it already runs.
func (m *Model) startSpin() tea.Cmd {
	if m.spinning {
		return nil
	}
	m.spinning = true
	return m.tick(100*time.Millisecond, func(time.Time) tea.Msg { return spinTickedMsg{} })
}

func (m *Model) handleSpin() tea.Cmd {
	m.spin++
	if !m.needSpin() {
		m.spinning = false
		return nil
	}
	return m.tick(100*time.Millisecond, func(time.Time) tea.Msg { return spinTickedMsg{} })
}

var spinFrames = []string{"⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"}

func (m *Model) spinner() string { return spinFrames[m.spin%len(spinFrames)] }

// openAt opens the story at list index i in the reader: the feed's own
// content at once, the full article in the background. show moves the focus
// to the reader.
func (m *Model) openAt(i int, show bool) tea.Cmd {
	s, ok := m.list.at(i)
	if !ok {
		m.pendingOpen = i
		return m.loadMissing()
	}
	m.nextReq++
	r := &m.reader
	wantFull := r.wantFull
	*r = reader{vp: r.vp, cache: r.cache, width: r.width, height: r.height}
	r.story, r.req, r.wantFull, r.loadingFull = s, m.nextReq, wantFull, wantFull
	r.vp.SetContent("")
	if show {
		m.focus = focusReader
	}
	cmds := []tea.Cmd{loadArticle(m.ctx, m.ref, r.req, s.ID, false, false)}
	// After c chose the feed's own content, the (slow) full article is
	// fetched only when c asks for it again.
	if wantFull {
		cmds = append(cmds, loadArticle(m.ctx, m.ref, r.req, s.ID, true, false), m.startSpin())
	}
	if m.o.MarkReadOnOpen && !s.Read {
		cmds = append(cmds, m.markRead(s.ID, true))
	}
	return tea.Batch(cmds...)
}

// markRead changes one story's read state locally and in the library.
func (m *Model) markRead(id int64, read bool) tea.Cmd {
	changed := false
	m.list.update(id, func(s *model.Story) {
		if s.Read != read {
			s.Read, changed = read, true
		}
	})
	if m.reader.story.ID == id {
		m.reader.story.Read = read
	}
	if changed {
		if read {
			m.list.unread = max(m.list.unread-1, 0)
		} else {
			m.list.unread++
		}
	}
	return m.setRead([]int64{id}, read)
}
