package ui

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/byline/byline/internal/model"
	"github.com/byline/byline/internal/sanitize"
)

// currentStory is the story item actions apply to: the open one when the
// reader has the focus, else the selected row.
func (m *Model) currentStory() (model.Story, bool) {
	if m.focus == focusReader && m.reader.open() {
		return m.reader.story, true
	}
	return m.list.at(m.list.cursor)
}

// currentArticle is the article shown for the current story, if loaded.
func (m *Model) currentArticle() (model.Article, bool) {
	s, ok := m.currentStory()
	if !ok || s.ID != m.reader.story.ID {
		return model.Article{}, false
	}
	a, _ := m.reader.shown()
	if a == nil {
		return model.Article{}, false
	}
	return *a, true
}

func (m *Model) toggleRead() tea.Cmd {
	s, ok := m.currentStory()
	if !ok {
		return nil
	}
	return m.markRead(s.ID, !s.Read)
}

func (m *Model) toggleStar() tea.Cmd {
	s, ok := m.currentStory()
	if !ok {
		return nil
	}
	starred := !s.Starred
	m.list.update(s.ID, func(r *model.Story) { r.Starred = starred })
	if m.reader.story.ID == s.ID {
		m.reader.story.Starred = starred
	}
	return m.setStarred([]int64{s.ID}, starred)
}

func (m *Model) markAll() tea.Cmd {
	ctx, lib, q := m.ctx, m.lib, m.list.q
	return func() tea.Msg {
		ids, err := lib.MarkAllRead(ctx, q)
		return markedAllMsg{ids: ids, err: err}
	}
}

func (m *Model) undoMarkAll() tea.Cmd {
	if len(m.undo) == 0 {
		return m.status("nothing to undo")
	}
	ids := m.undo
	m.undo = nil
	ctx, lib := m.ctx, m.lib
	return func() tea.Msg {
		if err := lib.SetRead(ctx, ids, false); err != nil {
			return doneMsg{err: fmt.Errorf("undo: %w", err), reload: true}
		}
		return doneMsg{info: fmt.Sprintf("marked %d unread again", len(ids)), reload: true}
	}
}

// toggleContent switches between the extracted article and the feed's own
// content, loading the missing version.
func (m *Model) toggleContent() tea.Cmd {
	r := &m.reader
	if !r.open() {
		return nil
	}
	r.wantFull = !r.wantFull
	var cmds []tea.Cmd
	if r.wantFull && r.fullArt == nil && !r.loadingFull {
		retry := r.fullErr != nil // refetch what failed before
		r.loadingFull, r.fullErr = true, nil
		cmds = append(cmds, loadArticle(m.ctx, m.ref, r.req, r.story.ID, true, retry), m.startSpin())
	}
	cmds = append(cmds, m.renderArticle())
	return tea.Batch(cmds...)
}

// refetch fetches and extracts the open article again, bypassing the
// cache (a page that changed, or an extraction that went wrong). The current
// text stays on screen until the new one arrives.
func (m *Model) refetch() tea.Cmd {
	r := &m.reader
	if !r.open() {
		return m.status("open a story first")
	}
	if r.loadingFull {
		return m.status("already fetching the article")
	}
	r.wantFull, r.loadingFull, r.fullErr, r.refetching = true, true, nil, true
	return tea.Batch(loadArticle(m.ctx, m.ref, r.req, r.story.ID, true, true), m.startSpin())
}

func (m *Model) copyLink() tea.Cmd {
	s, ok := m.currentStory()
	if !ok {
		return nil
	}
	u := sanitize.URL(s.URL)
	if u == "" {
		return m.fail(errors.New("story has no web link"))
	}
	// OSC 52 cannot report whether the terminal took it (tmux needs
	// set-clipboard, Apple Terminal ignores it): show the URL as well.
	return tea.Batch(tea.SetClipboard(u), m.status("link copied (OSC 52): "+ansi.Truncate(u, 100, "…")))
}

func (m *Model) openBrowser() tea.Cmd {
	s, ok := m.currentStory()
	if !ok {
		return nil
	}
	u := sanitize.URL(s.URL)
	if u == "" {
		return m.fail(errors.New("story has no http(s) link"))
	}
	c, detached, err := browserCommand(m.o.Browser, os.Getenv("BROWSER"), u)
	if err != nil {
		return m.fail(err)
	}
	if detached {
		start := m.start
		return func() tea.Msg {
			if err := start(c); err != nil {
				return doneMsg{err: fmt.Errorf("open browser: %w", err)}
			}
			return doneMsg{info: "opened " + u}
		}
	}
	return m.exec(&foreground{cmd: c}, func(err error) tea.Msg {
		if err != nil {
			return doneMsg{err: fmt.Errorf("browser: %w", err)}
		}
		return doneMsg{}
	})
}

func (m *Model) pager() tea.Cmd {
	a, ok := m.currentArticle()
	if !ok {
		return m.status("open a story first")
	}
	c, err := pagerCommand(m.o.PagerCommand, os.Getenv("PAGER"))
	if err != nil {
		return m.fail(err)
	}
	text := m.reader.cache[m.reader.shownKey]
	if text == "" {
		text = m.o.Document(a)
	}
	c.Stdin = strings.NewReader(text)
	return m.exec(&foreground{cmd: c}, func(err error) tea.Msg {
		if err != nil {
			return doneMsg{err: fmt.Errorf("pager: %w", err)}
		}
		return doneMsg{}
	})
}

// pipe runs line (split into words, no shell) with the article's Markdown
// document on stdin; the TUI is suspended while it runs and comes back after
// a key press, so that the command's output can be read.
func (m *Model) pipe(line string, a model.Article) tea.Cmd {
	argv, err := SplitWords(line)
	if err != nil {
		return m.fail(fmt.Errorf("pipe command: %w", err))
	}
	if len(argv) == 0 {
		return m.status("no command")
	}
	c := newCommand(argv)
	c.Stdin = strings.NewReader(m.o.Document(a))
	f := &foreground{cmd: c, pause: !m.isPager(argv[0]), prompt: pausePrompt(m.o.NoColor)}
	return m.exec(f, func(err error) tea.Msg {
		if err != nil {
			return doneMsg{err: fmt.Errorf("%s: %w", argv[0], err)}
		}
		return doneMsg{info: "piped to " + argv[0]}
	})
}

func (m *Model) openPrompt(k promptKind, value string) tea.Cmd {
	if k == promptPipe {
		a, _ := m.currentArticle()
		m.pipeStory = a
	}
	m.promptKind = k
	m.prompt.Reset()
	m.prompt.SetValue(value)
	m.prompt.CursorEnd()
	return m.prompt.Focus()
}

func (m *Model) promptLabel() string {
	switch m.promptKind {
	case promptAdd:
		return "Add feed (URL or site): "
	case promptImport:
		return "Import OPML or urls file: "
	case promptSearch:
		return "Search: "
	case promptPipe:
		return "Pipe article to: "
	}
	return ""
}

func (m *Model) handlePromptKey(msg tea.KeyPressMsg) tea.Cmd {
	switch {
	case key.Matches(msg, m.keys.Cancel):
		m.promptKind = promptNone
		m.prompt.Blur()
		return nil
	case key.Matches(msg, m.keys.Submit):
		kind, v := m.promptKind, strings.TrimSpace(m.prompt.Value())
		m.promptKind = promptNone
		m.prompt.Blur()
		return m.submitPrompt(kind, v)
	}
	var cmd tea.Cmd
	m.prompt, cmd = m.prompt.Update(msg)
	return cmd
}

func (m *Model) submitPrompt(kind promptKind, v string) tea.Cmd {
	switch kind {
	case promptSearch:
		if v == "" {
			return m.setQuery(Query{})
		}
		return m.setQuery(Query{Search: v})
	case promptPipe:
		return m.pipe(v, m.pipeStory)
	case promptAdd:
		if v == "" {
			return nil
		}
		return m.subscribe(v)
	case promptImport:
		if v == "" {
			return nil
		}
		return m.importFile(expandHome(v))
	}
	return nil
}

func (m *Model) subscribe(url string) tea.Cmd {
	m.busy = "subscribing to " + url
	ctx, ref := m.ctx, m.ref
	return tea.Batch(m.startSpin(), func() tea.Msg {
		f, n, err := ref.Subscribe(ctx, url)
		if err != nil {
			return doneMsg{err: fmt.Errorf("subscribe %s: %w", url, err)}
		}
		return doneMsg{info: fmt.Sprintf("subscribed to %s (%d stories)", sanitize.Line(f.DisplayTitle(), 80), n), reload: true}
	})
}

func (m *Model) importFile(path string) tea.Cmd {
	m.busy = "importing " + path
	ctx, ref := m.ctx, m.ref
	return tea.Batch(m.startSpin(), func() tea.Msg {
		added, skipped, err := ref.Import(ctx, path)
		if err != nil {
			return doneMsg{err: fmt.Errorf("import %s: %w", path, err), reload: added > 0}
		}
		info := fmt.Sprintf("imported %d feeds", added)
		if len(skipped) > 0 {
			info += fmt.Sprintf(", skipped %d", len(skipped))
		}
		return doneMsg{info: info + " · R to refresh", reload: true}
	})
}

func (m *Model) subscribeStarters() tea.Cmd {
	if len(m.o.Starter) == 0 {
		return nil
	}
	m.busy = "subscribing to starter feeds"
	ctx, ref, starters := m.ctx, m.ref, m.o.Starter
	return tea.Batch(m.startSpin(), func() tea.Msg {
		added := 0
		var errs []error
		for _, s := range starters {
			if _, _, err := ref.Subscribe(ctx, s.URL); err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", s.Name, err))
				continue
			}
			added++
		}
		return doneMsg{info: fmt.Sprintf("subscribed to %d feeds", added), err: errors.Join(errs...), reload: true}
	})
}

func expandHome(p string) string {
	if p == "~" || strings.HasPrefix(p, "~/") {
		if home, err := os.UserHomeDir(); err == nil {
			return filepath.Join(home, strings.TrimPrefix(p, "~"))
		}
	}
	return p
}

// isPager reports whether program is a pager (the configured one, $PAGER,
// less, more, most): its output was read inside it, so piping to it (the
// default pipe_command is less) needs no key press afterwards.
func (m *Model) isPager(program string) bool {
	name := filepath.Base(program)
	switch name {
	case "less", "more", "most":
		return true
	}
	for _, line := range []string{m.o.PagerCommand, os.Getenv("PAGER")} {
		if argv, err := SplitWords(line); err == nil && len(argv) > 0 && filepath.Base(argv[0]) == name {
			return true
		}
	}
	return false
}

// pausePrompt is the line shown after a piped command. It is printed outside
// the TUI, so it uses plain faint (SGR 2), which every terminal renders, not
// a theme colour.
func pausePrompt(noColor bool) string {
	const text = "press enter to return to byline"
	if noColor {
		return text
	}
	return "\x1b[2m" + text + "\x1b[22m"
}
