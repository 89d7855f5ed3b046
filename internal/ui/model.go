package ui

import (
	"context"
	"log/slog"
	"os/exec"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/byline/byline/internal/model"
	"github.com/byline/byline/internal/render"
)

// page is what fills the screen above the status bar.
type page int

const (
	pageMain    page = iota // list, article pane, sidebar
	pageHelp                // full key help
	pageErrors              // refresh errors
	pageWelcome             // first run, no feeds
)

// focus is the pane that receives keys on pageMain. In narrow layouts it is
// also the only pane drawn.
type focus int

const (
	focusList focus = iota
	focusReader
	focusSidebar
)

// promptKind says what a submitted prompt does.
type promptKind int

const (
	promptNone promptKind = iota
	promptAdd
	promptImport
	promptSearch
	promptPipe
)

// Model is the root router of the UI; it implements tea.Model.
type Model struct {
	ctx  context.Context
	lib  Library
	ref  Refresher
	o    Options
	log  *slog.Logger // to a file under StateDir while Run runs; never the screen
	keys KeyMap
	st   Styles
	pt   rowPaints
	rows map[rowKey]string // drawn rows
	help help.Model
	dark bool

	now  func() time.Time
	tick func(time.Duration, func(time.Time) tea.Msg) tea.Cmd
	exec func(tea.ExecCommand, tea.ExecCallback) tea.Cmd
	// start launches a detached process (GUI browser opener).
	start func(*exec.Cmd) error

	w, h  int
	page  page
	focus focus
	// sidebar is the user's choice (t) to show the sidebar in wide layouts;
	// until sidebarSet, it is shown from sidebarWidth columns on.
	sidebar, sidebarSet bool
	list                storyList
	reader              reader
	src                 sources
	feeds               []model.Feed
	// feedNameW is the width of the longest feed name (0: unknown).
	feedNameW int
	tags      []Tag

	prompt     textinput.Model
	promptKind promptKind
	pipeStory  model.Article

	// seek is a pending N/P scan waiting for a page to load.
	seek *seekState
	// pendingOpen opens the row at this index once its page lands (-1: none).
	pendingOpen int

	refreshing   bool
	refreshStart time.Time
	refreshCh    <-chan tea.Msg
	refreshDone  int
	refreshTotal int
	refreshNew   int
	refreshErrs  []RefreshEvent
	errOffset    int
	helpOffset   int

	undo []int64

	info, lastErr string
	infoSeq       int
	spin          int
	spinning      bool
	busy          string // long operation in progress (subscribe, import)

	nextReq int
	panic   *panicState
}

type seekState struct {
	dir, from int
	open      bool
}

// New returns the UI model over lib and ref. Run wraps it in a program;
// tests drive it directly.
func New(lib Library, ref Refresher, o Options) tea.Model {
	return newModel(context.Background(), lib, ref, o)
}

func newModel(ctx context.Context, lib Library, ref Refresher, o Options) *Model {
	if o.WideWidth <= 0 {
		o.WideWidth = 120
	}
	if o.Render == nil {
		o.Render = func(md string, width int, dark, noColor bool) (string, error) {
			return render.Terminal(md, width, render.Style{Dark: dark, NoColor: noColor})
		}
	}
	if o.Document == nil {
		o.Document = render.Document
	}
	if o.ReadOnly {
		o.MarkReadOnOpen = false
	}
	dark := o.Dark
	switch o.Theme {
	case "dark":
		dark = true
	case "light":
		dark = false
	}
	keys, unknown := DefaultKeyMap().WithOverrides(o.Keys)
	st := NewStyles(dark, o.NoColor)
	h := help.New()
	h.Styles = st.Help
	ti := textinput.New()
	ti.Prompt = ""
	tis := ti.Styles()
	tis.Cursor.Blink = false // a steady cursor: no timer running behind a prompt
	ti.SetStyles(tis)
	m := &Model{
		ctx: ctx, log: slog.New(slog.DiscardHandler), lib: lib, ref: ref, o: o, keys: keys, st: st, pt: newRowPaints(st), help: h, dark: dark,
		rows: map[rowKey]string{},
		now:  time.Now, tick: tea.Tick, exec: tea.Exec, start: startDetached,
		list: newStoryList(Query{}), reader: newReader(), prompt: ti,
		pendingOpen: -1,
	}
	m.list.setHeight(1)
	if len(unknown) > 0 {
		m.lastErr = "unknown key actions: " + strings.Join(unknown, ", ")
	}
	return m
}

// readOnlyNotice is what the status bar says, at start and when a key would
// change it, of a read-only library.
const readOnlyNotice = "read-only store: you can read, but changes are not saved"

// Init implements tea.Model: it loads feeds, tags, the count and first page.
func (m *Model) Init() tea.Cmd {
	var notice tea.Cmd
	if m.o.ReadOnly {
		notice = m.status(readOnlyNotice)
	}
	return tea.Batch(m.loadFeeds(), m.loadList(), notice)
}

// Update implements tea.Model.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		return m, m.resize(msg.Width, msg.Height)
	case tea.KeyPressMsg:
		return m, m.handleKey(msg)
	case tea.MouseClickMsg:
		return m, m.handleClick(msg.Mouse())
	case tea.MouseWheelMsg:
		return m, m.handleWheel(msg.Mouse())
	case tea.PasteMsg:
		if m.promptKind != promptNone {
			var cmd tea.Cmd
			m.prompt, cmd = m.prompt.Update(msg)
			return m, cmd
		}
	case countedMsg:
		return m, m.handleCounted(msg)
	case backlogMsg:
		if msg.gen == m.list.gen && !m.list.counted {
			m.list.backlog = msg.pending
		}
		return m, nil
	case pageLoadedMsg:
		return m, m.handlePageLoaded(msg)
	case feedsLoadedMsg:
		return m, m.handleFeedsLoaded(msg)
	case articleLoadedMsg:
		return m, m.handleArticleLoaded(msg)
	case renderedMsg:
		return m, m.handleRendered(msg)
	case refreshStartedMsg:
		m.refreshCh = msg.ch
		return m, waitRefresh(msg.ch)
	case refreshProgressedMsg:
		return m, m.handleRefreshEvent(msg)
	case refreshFinishedMsg:
		return m, m.handleRefreshFinished(msg)
	case markedAllMsg:
		return m, m.handleMarkedAll(msg)
	case doneMsg:
		return m, m.handleDone(msg)
	case statusExpiredMsg:
		if msg.seq == m.infoSeq {
			m.info, m.lastErr = "", ""
		}
	case spinTickedMsg:
		return m, m.handleSpin()
	case panickedMsg:
		m.panic = &panicState{value: msg.value, stack: msg.stack}
		return m, tea.Quit
	}
	return m, nil
}

// wide reports whether the split layout is in use.
func (m *Model) wide() bool { return m.w >= m.o.WideWidth }

func (m *Model) resize(w, h int) tea.Cmd {
	m.w, m.h = w, h
	m.help.SetWidth(w)
	m.prompt.SetWidth(max(w-20, 10))
	_, _, rw := m.paneWidths()
	ph := m.paneHeight()
	m.list.setHeight(ph)
	m.src.setHeight(ph - m.pickerTitleLines())
	if m.wide() {
		m.reader.setSize(rw, ph)
	} else {
		m.reader.setSize(w, ph)
	}
	return tea.Batch(m.loadMissing(), m.renderArticle())
}

// pickerTitleLines is the number of title lines above the feed/tag list: one
// when it fills a narrow screen as the filter picker, none as a sidebar.
func (m *Model) pickerTitleLines() int {
	if m.wide() {
		return 0
	}
	return 1
}

// paneHeight is the height of the panes: the screen minus the status bar.
func (m *Model) paneHeight() int { return max(m.h-1, 1) }

// sidebarWidth is the screen width from which the sidebar is shown until
// the user toggles it: below it, the list and the article need the room.
const sidebarWidth = 170

// maxArticleWidth bounds the article pane: longer lines are hard to read, so
// a wider screen gives the rest to the list.
const maxArticleWidth = 104

// paneWidths splits a wide screen into sidebar, list and reader widths
// (separators excluded). Narrow screens use the whole width for one pane.
func (m *Model) paneWidths() (side, list, read int) {
	if !m.wide() {
		return m.w, m.w, m.w
	}
	avail := m.w
	if m.sidebarShown() {
		side = min(max(m.w/6, 20), 32)
		avail -= side + 1
	}
	list = max(avail*44/100, 40)
	read = max(avail-list-1, 10)
	if read > maxArticleWidth {
		list += read - maxArticleWidth
		read = maxArticleWidth
	}
	return side, list, read
}

// sidebarWanted is whether the sidebar is to be shown in wide layouts.
func (m *Model) sidebarWanted() bool {
	if m.sidebarSet {
		return m.sidebar
	}
	return m.w >= sidebarWidth
}

func (m *Model) sidebarShown() bool {
	return m.wide() && (m.sidebarWanted() || m.focus == focusSidebar)
}

// status sets a transient message shown in the status bar.
func (m *Model) status(info string) tea.Cmd {
	m.info, m.lastErr = info, ""
	return m.clearLater()
}

// fail logs err and shows it briefly in the status bar.
func (m *Model) fail(err error) tea.Cmd {
	if err == nil || m.ctx.Err() != nil {
		return nil
	}
	m.log.Warn("action failed", "view", m.viewLabel(), "err", err)
	return m.show(err)
}

// show shows err briefly in the status bar without logging it (the caller
// logged it with more detail).
func (m *Model) show(err error) tea.Cmd {
	if err == nil || m.ctx.Err() != nil {
		return nil
	}
	m.lastErr, m.info = err.Error(), ""
	return m.clearLater()
}

func (m *Model) clearLater() tea.Cmd {
	m.infoSeq++
	seq := m.infoSeq
	return m.tick(6*time.Second, func(time.Time) tea.Msg { return statusExpiredMsg{seq} })
}
