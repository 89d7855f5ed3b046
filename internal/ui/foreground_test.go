package ui

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
)

func TestPipePausesPagerDoesNot(t *testing.T) {
	o := plainOpts()
	o.PipeCommand = "wc -w"
	o.PagerCommand = "less"
	h := newHarness(t, 5, o).start(80, 24)
	h.keys("enter", "|", "enter", "v")
	if len(h.paused) != 2 || !h.paused[0] || h.paused[1] {
		t.Fatalf("paused = %v, want pipe paused and pager not", h.paused)
	}
	if got := h.execs[0].Args; len(got) != 2 || got[0] != "wc" || got[1] != "-w" {
		t.Errorf("pipe argv %q", got)
	}
}

func TestPipeToPagerDoesNotPause(t *testing.T) {
	t.Setenv("PAGER", "")
	o := plainOpts()
	o.PagerCommand = "/usr/local/bin/moar -quit-if-one-screen"
	h := newHarness(t, 5, o).start(80, 24)
	h.keys("enter")
	for _, line := range []string{"less -R", "moar", "more", "glow -", "tee out.md"} {
		h.keys("|")
		h.m.prompt.SetValue(line)
		h.keys("enter")
	}
	if want := []bool{false, false, false, true, true}; !slices.Equal(h.paused, want) {
		t.Errorf("paused = %v, want %v", h.paused, want)
	}
}

func TestPipeExitStatusShownAfterResume(t *testing.T) {
	o := plainOpts()
	o.PipeCommand = "false"
	h := newHarness(t, 5, o).start(80, 24)
	h.m.exec = func(c tea.ExecCommand, fn tea.ExecCallback) tea.Cmd {
		err := c.Run() // not a terminal: no wait
		return func() tea.Msg { return fn(err) }
	}
	if _, err := exec.LookPath("false"); err != nil {
		t.Skip("no false(1)")
	}
	h.keys("enter", "|", "enter")
	h.contains("false: exit status 1")
}

func TestForegroundKeepsPresetStdinAndSkipsWaitWithoutTerminal(t *testing.T) {
	if _, err := exec.LookPath("cat"); err != nil {
		t.Skip("no cat(1)")
	}
	c := exec.Command("cat")
	c.Stdin = strings.NewReader("the article")
	var out bytes.Buffer
	f := &foreground{cmd: c, pause: true, prompt: "press enter to return to byline"}
	f.SetStdin(strings.NewReader("keys from the terminal"))
	f.SetStdout(&out)
	f.SetStderr(&out)
	if err := f.Run(); err != nil {
		t.Fatal(err)
	}
	// Not a terminal: nobody can press a key, so no prompt and no wait.
	if out.String() != "the article" {
		t.Errorf("output %q", out.String())
	}
}

func TestWaitKeyReturnsOnNonTerminalFile(t *testing.T) {
	p := filepath.Join(t.TempDir(), "in")
	if err := os.WriteFile(p, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out bytes.Buffer
	waitKey(f, &out, "prompt")
	if out.Len() != 0 {
		t.Errorf("prompt written without a terminal: %q", out.String())
	}
}
