package ui

import (
	"sort"
	"strings"

	"charm.land/bubbles/v2/key"
)

// KeyMap holds every binding of the UI. It implements help.KeyMap, so the
// help screen is generated from the keys actually in use.
type KeyMap struct {
	Down, Up, Top, Bottom, PageUp, PageDown key.Binding
	Open, Back, Quit, ForceQuit             key.Binding
	Next, Prev, NextUnread, PrevUnread      key.Binding
	Scroll, Focus, Sidebar                  key.Binding
	Refresh, RefreshAll, Errors             key.Binding
	ToggleRead, MarkAll, Undo, Star         key.Binding
	Search, Filter, UnreadOnly, Starred     key.Binding
	Browser, Copy, Pipe, Pager, Content     key.Binding
	Refetch                                 key.Binding
	Add, Import, Starter, Help              key.Binding
	Submit, Cancel                          key.Binding // in prompts
}

func bind(help string, desc string, keys ...string) key.Binding {
	return key.NewBinding(key.WithKeys(keys...), key.WithHelp(help, desc))
}

// DefaultKeyMap returns byline's default vim-and-arrows bindings.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Down:       bind("j/↓", "down", "j", "down"),
		Up:         bind("k/↑", "up", "k", "up"),
		Top:        bind("g/home", "first", "g", "home"),
		Bottom:     bind("G/end", "last", "G", "end"),
		PageUp:     bind("pgup/^u", "page up", "pgup", "ctrl+u"),
		PageDown:   bind("pgdn/^d", "page down", "pgdown", "ctrl+d"),
		Open:       bind("enter/l", "open", "enter", "l", "right"),
		Back:       bind("esc/h", "back", "esc", "h", "left"),
		Quit:       bind("q", "back or quit", "q"),
		ForceQuit:  bind("ctrl+c", "quit", "ctrl+c"),
		Next:       bind("n", "next story", "n"),
		Prev:       bind("p", "previous story", "p"),
		NextUnread: bind("N", "next unread", "N"),
		PrevUnread: bind("P", "previous unread", "P"),
		Scroll:     bind("space", "scroll / next unread", "space"),
		Focus:      bind("tab", "switch pane", "tab"),
		Sidebar:    bind("t", "toggle sidebar", "t"),
		Refresh:    bind("r", "refresh feed", "r"),
		RefreshAll: bind("R", "refresh all", "R"),
		Errors:     bind("e", "feed errors", "e"),
		ToggleRead: bind("m", "toggle read", "m"),
		MarkAll:    bind("M", "mark view read", "M"),
		Undo:       bind("u", "undo mark all", "u"),
		Star:       bind("s", "star", "s"),
		Search:     bind("/", "search", "/"),
		Filter:     bind("f", "feed/tag filter", "f"),
		UnreadOnly: bind("U", "unread only", "U"),
		Starred:    bind("S", "starred", "S"),
		Browser:    bind("o", "open in browser", "o"),
		Copy:       bind("y", "copy link", "y"),
		Pipe:       bind("|", "pipe article", "|"),
		Pager:      bind("v", "view in pager", "v"),
		Content:    bind("c", "full / feed text", "c"),
		Refetch:    bind("^r", "refetch article", "ctrl+r"),
		Add:        bind("a", "add feed", "a"),
		Import:     bind("i", "import OPML/urls", "i"),
		Starter:    bind("enter", "subscribe starters", "enter"),
		Help:       bind("?", "help", "?"),
		Submit:     bind("enter", "prompt: accept", "enter"),
		Cancel:     bind("esc", "prompt: cancel", "esc"),
	}
}

// actions maps the action names accepted in Options.Keys to bindings.
func (k *KeyMap) actions() map[string]*key.Binding {
	return map[string]*key.Binding{
		"down": &k.Down, "up": &k.Up, "top": &k.Top, "bottom": &k.Bottom,
		"page-up": &k.PageUp, "page-down": &k.PageDown,
		"open": &k.Open, "back": &k.Back, "quit": &k.Quit, "force-quit": &k.ForceQuit,
		"next": &k.Next, "prev": &k.Prev, "next-unread": &k.NextUnread, "prev-unread": &k.PrevUnread,
		"scroll": &k.Scroll, "focus": &k.Focus, "sidebar": &k.Sidebar,
		"refresh": &k.Refresh, "refresh-all": &k.RefreshAll, "errors": &k.Errors,
		"toggle-read": &k.ToggleRead, "mark-all-read": &k.MarkAll, "undo": &k.Undo, "star": &k.Star,
		"search": &k.Search, "filter": &k.Filter, "unread-only": &k.UnreadOnly, "starred": &k.Starred,
		"open-browser": &k.Browser, "copy-link": &k.Copy, "pipe": &k.Pipe, "pager": &k.Pager,
		"toggle-content": &k.Content, "refetch": &k.Refetch, "add": &k.Add, "import": &k.Import,
		"subscribe-starters": &k.Starter, "help": &k.Help,
		"prompt-submit": &k.Submit, "prompt-cancel": &k.Cancel,
	}
}

// ActionNames lists the action names accepted in Options.Keys, sorted.
func ActionNames() []string {
	k := DefaultKeyMap()
	var names []string
	for n := range k.actions() {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// WithOverrides returns k with the bindings named in over replaced. Names
// are case-insensitive and may use "_" for "-"; unknown names are returned.
func (k KeyMap) WithOverrides(over map[string][]string) (KeyMap, []string) {
	acts := k.actions()
	var unknown []string
	for name, keys := range over {
		b, ok := acts[strings.ReplaceAll(strings.ToLower(name), "_", "-")]
		if !ok {
			unknown = append(unknown, name)
			continue
		}
		if len(keys) == 0 {
			b.Unbind()
			continue
		}
		b.SetKeys(keys...)
		b.SetHelp(strings.Join(keys, "/"), b.Help().Desc)
	}
	sort.Strings(unknown)
	return k, unknown
}

// ShortHelp implements help.KeyMap.
func (k KeyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Open, k.Back, k.Refresh, k.Search, k.Filter, k.Help, k.Quit}
}

// FullHelp implements help.KeyMap.
func (k KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Down, k.Up, k.Top, k.Bottom, k.PageUp, k.PageDown, k.Open, k.Back, k.Quit, k.ForceQuit},
		{k.Next, k.Prev, k.NextUnread, k.PrevUnread, k.Scroll, k.Focus, k.Sidebar, k.Content, k.Refetch, k.Help},
		{k.ToggleRead, k.MarkAll, k.Undo, k.Star, k.Search, k.Filter, k.UnreadOnly, k.Starred},
		{k.Refresh, k.RefreshAll, k.Errors, k.Add, k.Import, k.Browser, k.Copy, k.Pipe, k.Pager, k.Submit, k.Cancel},
	}
}
