package ui

import (
	"errors"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

func (m *Model) handleKey(msg tea.KeyPressMsg) tea.Cmd {
	k := m.keys
	if key.Matches(msg, k.ForceQuit) {
		return tea.Quit
	}
	if m.promptKind != promptNone {
		return m.handlePromptKey(msg)
	}
	// Any key ends a pending N/P scan, so that a late page cannot move the
	// cursor under the user; N and P start a new one.
	m.seek = nil
	switch m.page {
	case pageHelp:
		switch {
		case key.Matches(msg, k.Back, k.Quit, k.Help):
			m.page = pageMain
		case key.Matches(msg, k.Down, k.PageDown):
			m.helpOffset++
		case key.Matches(msg, k.Up, k.PageUp):
			m.helpOffset = max(m.helpOffset-1, 0)
		}
		return nil
	case pageErrors:
		return m.handleErrorsKey(msg)
	case pageWelcome:
		return m.handleWelcomeKey(msg)
	}
	if cmd, ok := m.handleGlobalKey(msg); ok {
		return cmd
	}
	switch m.focus {
	case focusReader:
		return m.handleReaderKey(msg)
	case focusSidebar:
		return m.handleSidebarKey(msg)
	}
	return m.handleListKey(msg)
}

// refuseWrite answers a key among writes, the bindings that would change
// the library, when the library is read-only: the status bar says why
// instead of each action failing on its own.
func (m *Model) refuseWrite(msg tea.KeyPressMsg, writes ...key.Binding) (tea.Cmd, bool) {
	if !m.o.ReadOnly || !key.Matches(msg, writes...) {
		return nil, false
	}
	return m.status(readOnlyNotice), true
}

// handleGlobalKey handles the keys that work in every pane of pageMain.
func (m *Model) handleGlobalKey(msg tea.KeyPressMsg) (tea.Cmd, bool) {
	k := m.keys
	if cmd, ok := m.refuseWrite(msg, k.Refresh, k.RefreshAll, k.Add, k.Import, k.MarkAll, k.Undo, k.ToggleRead, k.Star); ok {
		return cmd, true
	}
	switch {
	case key.Matches(msg, k.Help):
		m.page, m.helpOffset = pageHelp, 0
	case key.Matches(msg, k.Errors):
		m.page, m.errOffset = pageErrors, 0
	case key.Matches(msg, k.Refresh):
		return m.refresh(m.currentFeeds()), true
	case key.Matches(msg, k.RefreshAll):
		return m.refresh(nil), true
	case key.Matches(msg, k.Search):
		return m.openPrompt(promptSearch, m.list.q.Search), true
	case key.Matches(msg, k.Add):
		return m.openPrompt(promptAdd, ""), true
	case key.Matches(msg, k.Import):
		return m.openPrompt(promptImport, ""), true
	case key.Matches(msg, k.Filter):
		m.src.set(m.feeds, m.tags, m.list.q)
		m.focus = focusSidebar
		return m.resize(m.w, m.h), true
	case key.Matches(msg, k.Sidebar):
		m.sidebar, m.sidebarSet = !m.sidebarShown(), true
		if !m.sidebar && m.focus == focusSidebar {
			m.focus = focusList
		}
		return m.resize(m.w, m.h), true
	case key.Matches(msg, k.Focus):
		return m.cycleFocus(), true
	case key.Matches(msg, k.UnreadOnly):
		q := m.list.q
		q.Unread = !q.Unread
		return m.setQuery(q), true
	case key.Matches(msg, k.Starred):
		if m.list.q.Starred {
			return m.setQuery(Query{}), true
		}
		return m.setQuery(Query{Starred: true}), true
	case key.Matches(msg, k.MarkAll):
		return m.markAll(), true
	case key.Matches(msg, k.Undo):
		return m.undoMarkAll(), true
	case key.Matches(msg, k.ToggleRead):
		return m.toggleRead(), true
	case key.Matches(msg, k.Star):
		return m.toggleStar(), true
	case key.Matches(msg, k.Browser):
		return m.openBrowser(), true
	case key.Matches(msg, k.Copy):
		return m.copyLink(), true
	case key.Matches(msg, k.Pipe):
		if _, ok := m.currentArticle(); !ok {
			return m.status("open a story first"), true
		}
		return m.openPrompt(promptPipe, m.o.PipeCommand), true
	case key.Matches(msg, k.Pager):
		return m.pager(), true
	case key.Matches(msg, k.Refetch):
		return m.refetch(), true
	default:
		return nil, false
	}
	return nil, true
}

func (m *Model) handleListKey(msg tea.KeyPressMsg) tea.Cmd {
	k := m.keys
	l := &m.list
	switch {
	case key.Matches(msg, k.Down):
		l.move(1)
	case key.Matches(msg, k.Up):
		l.move(-1)
	case key.Matches(msg, k.Top):
		l.moveTo(0)
	case key.Matches(msg, k.Bottom):
		l.moveTo(l.total - 1)
	case key.Matches(msg, k.PageDown):
		l.move(l.height)
	case key.Matches(msg, k.PageUp):
		l.move(-l.height)
	case key.Matches(msg, k.Next):
		l.move(1)
	case key.Matches(msg, k.Prev):
		l.move(-1)
	case key.Matches(msg, k.NextUnread):
		return m.startSeek(1, false)
	case key.Matches(msg, k.PrevUnread):
		return m.startSeek(-1, false)
	case key.Matches(msg, k.Open, k.Scroll):
		if l.total == 0 {
			return nil
		}
		return m.openAt(l.cursor, true)
	case key.Matches(msg, k.Back, k.Quit):
		if m.list.q != (Query{}) {
			return m.setQuery(Query{})
		}
		if key.Matches(msg, k.Quit) {
			return tea.Quit
		}
		return nil
	case key.Matches(msg, k.Content):
		return m.toggleContent()
	default:
		return nil
	}
	return m.loadMissing()
}

func (m *Model) handleReaderKey(msg tea.KeyPressMsg) tea.Cmd {
	k := m.keys
	vp := &m.reader.vp
	switch {
	case key.Matches(msg, k.Down):
		vp.ScrollDown(1)
	case key.Matches(msg, k.Up):
		vp.ScrollUp(1)
	case key.Matches(msg, k.PageDown):
		vp.PageDown()
	case key.Matches(msg, k.PageUp):
		vp.PageUp()
	case key.Matches(msg, k.Top):
		vp.GotoTop()
	case key.Matches(msg, k.Bottom):
		vp.GotoBottom()
	case key.Matches(msg, k.Scroll):
		if vp.AtBottom() {
			return m.startSeek(1, true)
		}
		vp.PageDown()
	case key.Matches(msg, k.Next):
		return m.step(1)
	case key.Matches(msg, k.Prev):
		return m.step(-1)
	case key.Matches(msg, k.NextUnread):
		return m.startSeek(1, true)
	case key.Matches(msg, k.PrevUnread):
		return m.startSeek(-1, true)
	case key.Matches(msg, k.Content):
		return m.toggleContent()
	case key.Matches(msg, k.Back, k.Quit):
		m.focus = focusList
	}
	return nil
}

func (m *Model) handleSidebarKey(msg tea.KeyPressMsg) tea.Cmd {
	k := m.keys
	switch {
	case key.Matches(msg, k.Down):
		m.src.move(1)
	case key.Matches(msg, k.Up):
		m.src.move(-1)
	case key.Matches(msg, k.Top):
		m.src.cursor = 0
		m.src.clamp()
	case key.Matches(msg, k.Bottom):
		m.src.moveTo(len(m.src.items) - 1)
	case key.Matches(msg, k.PageDown):
		m.src.move(m.src.height)
	case key.Matches(msg, k.PageUp):
		m.src.move(-m.src.height)
	case key.Matches(msg, k.Open):
		if s, ok := m.src.selected(); ok {
			m.focus = focusList
			m.resize(m.w, m.h)
			return m.setQuery(s.q)
		}
	case key.Matches(msg, k.Back, k.Quit):
		m.focus = focusList
		return m.resize(m.w, m.h)
	}
	return nil
}

func (m *Model) handleErrorsKey(msg tea.KeyPressMsg) tea.Cmd {
	k := m.keys
	if cmd, ok := m.refuseWrite(msg, k.RefreshAll); ok {
		return cmd
	}
	switch {
	case key.Matches(msg, k.Down):
		m.errOffset++
	case key.Matches(msg, k.Up):
		m.errOffset = max(m.errOffset-1, 0)
	case key.Matches(msg, k.Back, k.Quit, k.Errors):
		m.page = pageMain
	case key.Matches(msg, k.RefreshAll):
		m.page = pageMain
		return m.refresh(nil)
	}
	return nil
}

func (m *Model) handleWelcomeKey(msg tea.KeyPressMsg) tea.Cmd {
	k := m.keys
	if cmd, ok := m.refuseWrite(msg, k.Add, k.Import, k.Starter); ok {
		return cmd
	}
	switch {
	case key.Matches(msg, k.Add):
		return m.openPrompt(promptAdd, "")
	case key.Matches(msg, k.Import):
		return m.openPrompt(promptImport, "")
	case key.Matches(msg, k.Starter):
		return m.subscribeStarters()
	case key.Matches(msg, k.Help):
		m.page = pageHelp
	case key.Matches(msg, k.Quit):
		return tea.Quit
	}
	return nil
}

// cycleFocus moves the focus list → reader → sidebar (when available).
func (m *Model) cycleFocus() tea.Cmd {
	order := []focus{focusList}
	if m.reader.open() {
		order = append(order, focusReader)
	}
	if m.wide() && m.sidebarWanted() {
		order = append(order, focusSidebar)
	}
	for i, f := range order {
		if f == m.focus {
			m.focus = order[(i+1)%len(order)]
			return nil
		}
	}
	m.focus = focusList
	return nil
}

// setQuery switches the list to q and reloads it.
func (m *Model) setQuery(q Query) tea.Cmd {
	m.seek, m.pendingOpen = nil, -1
	m.list.reset(q)
	m.src.set(m.feeds, m.tags, q)
	if m.focus == focusReader && !m.wide() {
		m.focus = focusList
	}
	return m.loadList()
}

// step opens the story d rows away from the cursor (n/p).
func (m *Model) step(d int) tea.Cmd {
	i := m.list.cursor + d
	if i < 0 || i >= m.list.total {
		return m.status("no more stories")
	}
	m.list.moveTo(i)
	return tea.Batch(m.openAt(i, true), m.loadMissing())
}

// startSeek looks for the next unread story in direction dir, loading pages
// as needed; open opens it when found.
func (m *Model) startSeek(dir int, open bool) tea.Cmd {
	m.seek = &seekState{dir: dir, from: m.list.cursor + dir, open: open}
	return m.continueSeek()
}

func (m *Model) continueSeek() tea.Cmd {
	s := m.seek
	for i := s.from; i >= 0 && i < m.list.total; i += s.dir {
		row, ok := m.list.at(i)
		if !ok {
			s.from = i
			p := i / pageSize
			if m.list.inflight[p] {
				return nil
			}
			m.list.inflight[p] = true
			return m.loadPage(p)
		}
		if !row.Read {
			m.seek = nil
			m.list.moveTo(i)
			if s.open {
				return tea.Batch(m.openAt(i, true), m.loadMissing())
			}
			return m.loadMissing()
		}
	}
	m.seek = nil
	return m.status("no more unread stories")
}

func (m *Model) loadPage(p int) tea.Cmd {
	ctx, lib, q, gen := m.ctx, m.lib, m.list.pageQuery(p), m.list.gen
	return func() tea.Msg {
		rows, err := lib.Stories(ctx, q)
		return pageLoadedMsg{gen: gen, page: p, rows: rows, err: err}
	}
}

// currentFeeds are the feeds r refreshes: the filtered feed or tag, else
// the selected story's feed.
func (m *Model) currentFeeds() []int64 {
	q := m.list.q
	switch {
	case q.FeedID != 0:
		return []int64{q.FeedID}
	case q.Tag != "":
		var ids []int64
		for _, f := range m.feeds {
			for _, t := range f.Tags {
				if t == q.Tag {
					ids = append(ids, f.ID)
				}
			}
		}
		return ids
	}
	if m.focus == focusReader && m.reader.open() {
		return []int64{m.reader.story.FeedID}
	}
	if s, ok := m.list.at(m.list.cursor); ok {
		return []int64{s.FeedID}
	}
	return nil
}

func (m *Model) refresh(ids []int64) tea.Cmd {
	if m.refreshing {
		return m.status("a refresh is already running")
	}
	if ids != nil && len(ids) == 0 {
		return m.fail(errors.New("no feed to refresh"))
	}
	m.refreshing, m.refreshStart = true, m.now()
	m.refreshDone, m.refreshTotal, m.refreshNew, m.refreshErrs = 0, len(ids), 0, nil
	return tea.Batch(startRefresh(m.ctx, m.ref, ids), m.startSpin())
}
