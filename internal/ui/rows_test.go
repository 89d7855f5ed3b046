package ui

import (
	"slices"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/byline/byline/internal/model"
)

func TestWideCharacterTitlesKeepRowsOneLine(t *testing.T) {
	for _, w := range []int{40, 80, 119, 160} {
		h := newHarness(t, 20, plainOpts())
		h.lib.titles[20] = strings.Repeat("日本語のニュース見出し", 8)
		h.lib.titles[19] = strings.Repeat("🎉👩‍👩‍👧 emoji party ", 10)
		h.lib.titles[18] = "tab\there\nnewline and a very long title that keeps going " + strings.Repeat("x", 300)
		h.lib.titles[17] = "ｆｕｌｌｗｉｄｔｈ ＡＢＣ " + strings.Repeat("漢", 100)
		h.start(w, 12)
		h.checkFrame()
		lines := strings.Split(h.view(), "\n")
		for i := range 4 {
			if got := ansi.StringWidth(lines[i]); got != w {
				t.Errorf("width %d, row %d is %d cells", w, i, got)
			}
		}
		if !strings.Contains(h.screen(), "…") {
			t.Errorf("width %d: long titles not truncated with an ellipsis", w)
		}
	}
}

func TestEscapeSequencesInTitlesNeverReachTheScreen(t *testing.T) {
	h := newHarness(t, 5, plainOpts())
	h.lib.titles[5] = "evil\x1b]52;c;cm0gLXJmIH4=\x07title\x1b[2J\x1b[31mred"
	h.lib.titles[4] = "bidi \u202eevil\u202c and C1 \u009b31m"
	h.lib.feeds = nil
	h.start(160, 20)
	raw := h.view()
	for _, bad := range []string{"\x1b]52", "\x1b[2J", "\x1b[31mred", "\u202e", "\u009b", "\x07"} {
		if strings.Contains(raw, bad) {
			t.Errorf("view contains %q", bad)
		}
	}
	h.contains("evil")
	h.contains("titlered")
}

func TestNoColorIsMonochromeButUsable(t *testing.T) {
	o := plainOpts()
	o.NoColor = true
	h := newHarness(t, 20, o).start(80, 24)
	raw := h.view()
	if strings.Contains(raw, "38;") || strings.Contains(raw, "48;") {
		t.Error("NoColor view has colour sequences")
	}
	lines := strings.Split(h.screen(), "\n")
	if !strings.HasPrefix(lines[0], ">") || strings.HasPrefix(lines[1], ">") {
		t.Errorf("selection not marked by a symbol:\n%s\n%s", lines[0], lines[1])
	}
}

func TestSplitWords(t *testing.T) {
	tests := []struct {
		in   string
		want []string
		err  bool
	}{
		{in: "less -R", want: []string{"less", "-R"}},
		{in: "  a   b  ", want: []string{"a", "b"}},
		{in: `glow -p 'my file'`, want: []string{"glow", "-p", "my file"}},
		{in: `echo "a \"b\" \$HOME" c\ d`, want: []string{"echo", `a "b" $HOME`, "c d"}},
		{in: `x ''`, want: []string{"x", ""}},
		{in: `a;rm -rf ~ $(id)`, want: []string{"a;rm", "-rf", "~", "$(id)"}},
		{in: `"unterminated`, err: true},
		{in: `'also`, err: true},
		{in: "", want: nil},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := SplitWords(tt.in)
			if (err != nil) != tt.err {
				t.Fatalf("err = %v", err)
			}
			if !slices.Equal(got, tt.want) {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestBrowserCommand(t *testing.T) {
	c, detached, err := browserCommand("", "", "https://a.example/x")
	if err != nil || !detached || c.Args[len(c.Args)-1] != "https://a.example/x" {
		t.Errorf("default opener: %v %v %v", c.Args, detached, err)
	}
	c, detached, _ = browserCommand("", "w3m:lynx", "https://a.example/x")
	if detached || !slices.Equal(c.Args, []string{"w3m", "https://a.example/x"}) {
		t.Errorf("$BROWSER: %v detached=%v", c.Args, detached)
	}
	c, _, _ = browserCommand("open -a 'Safari' --url=%s", "", "https://a.example/x")
	if !slices.Equal(c.Args, []string{"open", "-a", "Safari", "--url=https://a.example/x"}) {
		t.Errorf("%%s: %v", c.Args)
	}
}

func TestEscapeSequencesInArticleNeverReachTheScreen(t *testing.T) {
	o := plainOpts()
	o.Document = func(a model.Article) string { return "# t\n\nbody \x1b]52;c;ZXZpbA==\x07 and \x1b[2J clear\n" }
	h := newHarness(t, 3, o).start(80, 24)
	h.keys("enter")
	h.contains("body  and  clear")
	if raw := h.view(); strings.Contains(raw, "\x1b]52") || strings.Contains(raw, "\x1b[2J") {
		t.Error("escape sequence from the article reached the view")
	}
}

func TestEverySizeDrawsExactFrames(t *testing.T) {
	h := newHarness(t, 300, plainOpts()).start(80, 24)
	h.keys("j", "enter")
	for _, page := range []string{"", "?", "e", "f"} {
		if page != "" {
			h.keys(page)
		}
		for _, sz := range [][2]int{{1, 1}, {2, 2}, {10, 3}, {30, 5}, {49, 8}, {50, 10}, {119, 20}, {120, 20}, {121, 9}, {300, 100}} {
			h.send(tea.WindowSizeMsg{Width: sz[0], Height: sz[1]})
			h.checkFrame()
		}
		h.keys("esc")
	}
}

func TestNoColorMarksFocusAndQuotesWithSymbols(t *testing.T) {
	o := plainOpts()
	o.NoColor, o.Render = true, nil // the real renderer, in its monochrome style
	h := newHarness(t, 20, o).start(160, 40)
	h.keys("enter")
	raw := h.view()
	if strings.Contains(raw, "38;") || strings.Contains(raw, "48;") {
		t.Error("NoColor view has colour sequences")
	}
	h.lacks("▌")
	h.contains("│> full article")
	if s := h.screen(); !strings.Contains(s, "▎We will not accept") && !strings.Contains(s, "▎ We will not accept") {
		t.Errorf("quote without its bar:\n%s", s)
	}
	lines := strings.Split(h.screen(), "\n")
	if !strings.HasPrefix(lines[0], ">") {
		t.Errorf("open story not marked by a symbol: %q", lines[0])
	}
}
