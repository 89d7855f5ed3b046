package ui

import (
	"fmt"
	"os/exec"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// harness drives a Model without a terminal: it sends messages and runs the
// returned commands itself, feeding their messages back.
type harness struct {
	t     testing.TB
	m     *Model
	lib   *fakeLib
	ref   *fakeRef
	quit  bool
	execs []*exec.Cmd
	// paused records, per exec, whether it waits for a key afterwards.
	paused []bool
}

func newHarness(t testing.TB, n int, o Options) *harness {
	lib := newFakeLib(n)
	return newHarnessWith(t, lib, o)
}

func newHarnessWith(t testing.TB, lib *fakeLib, o Options) *harness {
	h := &harness{t: t, lib: lib, ref: &fakeRef{lib: lib}}
	h.m = newModel(t.Context(), lib, h.ref, o)
	h.m.now = func() time.Time { return testNow }
	// Timers never fire in tests: the spinner and status expiry are inert.
	h.m.tick = func(time.Duration, func(time.Time) tea.Msg) tea.Cmd { return nil }
	h.m.exec = func(c tea.ExecCommand, fn tea.ExecCallback) tea.Cmd {
		f := c.(*foreground)
		h.execs = append(h.execs, f.cmd)
		h.paused = append(h.paused, f.pause)
		return func() tea.Msg { return fn(nil) }
	}
	h.m.start = func(c *exec.Cmd) error { h.execs = append(h.execs, c); return nil }
	return h
}

// run executes cmd and everything it leads to, up to a depth bound.
func (h *harness) run(cmd tea.Cmd) {
	h.runDepth(cmd, 0)
}

func (h *harness) runDepth(cmd tea.Cmd, depth int) {
	if cmd == nil {
		return
	}
	if depth > 200 {
		h.t.Fatalf("command chain deeper than 200")
	}
	msg := cmd()
	switch msg := msg.(type) {
	case nil:
		return
	case tea.BatchMsg:
		for _, c := range msg {
			h.runDepth(c, depth+1)
		}
		return
	case tea.QuitMsg:
		h.quit = true
		return
	}
	if strings.HasPrefix(fmt.Sprintf("%T", msg), "tea.") {
		return // terminal-side messages: exec, clipboard, window title…
	}
	_, next := h.m.Update(msg)
	h.runDepth(next, depth+1)
}

// send delivers msg and runs the resulting commands.
func (h *harness) send(msg tea.Msg) {
	_, cmd := h.m.Update(msg)
	h.run(cmd)
}

// sendHold delivers msg and returns its commands without running them.
func (h *harness) sendHold(msg tea.Msg) tea.Cmd {
	_, cmd := h.m.Update(msg)
	return cmd
}

func (h *harness) start(w, ht int) *harness {
	h.run(h.m.Init())
	h.send(tea.WindowSizeMsg{Width: w, Height: ht})
	return h
}

// key sends one key press per space-separated key name.
func (h *harness) keys(names ...string) {
	for _, n := range names {
		h.send(keyMsg(n))
	}
}

func keyMsg(name string) tea.KeyPressMsg {
	switch name {
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "esc":
		return tea.KeyPressMsg{Code: tea.KeyEscape}
	case "tab":
		return tea.KeyPressMsg{Code: tea.KeyTab}
	case "space":
		return tea.KeyPressMsg{Code: tea.KeySpace, Text: " "}
	case "down":
		return tea.KeyPressMsg{Code: tea.KeyDown}
	case "pgdown":
		return tea.KeyPressMsg{Code: tea.KeyPgDown}
	case "ctrl+c":
		return tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl}
	case "ctrl+r":
		return tea.KeyPressMsg{Code: 'r', Mod: tea.ModCtrl}
	}
	r := []rune(name)
	if len(r) != 1 {
		panic("unknown key " + name)
	}
	return tea.KeyPressMsg{Code: r[0], Text: name}
}

func (h *harness) typeText(s string) {
	for _, r := range s {
		h.send(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
}

func (h *harness) view() string { return h.m.View().Content }

func (h *harness) screen() string { return ansi.Strip(h.view()) }

func (h *harness) contains(want string) {
	h.t.Helper()
	if s := h.screen(); !strings.Contains(s, want) {
		h.t.Fatalf("screen lacks %q:\n%s", want, s)
	}
}

func (h *harness) lacks(unwanted string) {
	h.t.Helper()
	if s := h.screen(); strings.Contains(s, unwanted) {
		h.t.Fatalf("screen has %q:\n%s", unwanted, s)
	}
}

// checkFrame asserts the frame is exactly w×h cells.
func (h *harness) checkFrame() {
	h.t.Helper()
	lines := strings.Split(h.view(), "\n")
	if len(lines) != h.m.h {
		h.t.Fatalf("frame has %d lines, want %d", len(lines), h.m.h)
	}
	for i, l := range lines {
		if w := ansi.StringWidth(l); w != h.m.w {
			h.t.Fatalf("line %d is %d cells wide, want %d: %q", i, w, h.m.w, ansi.Strip(l))
		}
	}
}
