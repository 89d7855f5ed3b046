package ui

import (
	"bytes"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/exp/teatest/v2"
)

// TestProgramFlow runs the model inside a real Bubble Tea program, with its
// own command goroutines: refresh in the background, open, next, quit.
func TestProgramFlow(t *testing.T) {
	lib := newFakeLib(2000)
	ref := &fakeRef{lib: lib, newPerFeed: 1}
	tm := teatest.NewTestModel(t, New(lib, ref, plainOpts()), teatest.WithInitialTermSize(100, 30),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.ASCII)))
	wait := func(s string) {
		t.Helper()
		teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte(s)) },
			teatest.WithDuration(10*time.Second))
	}
	wait("Story 2000")
	tm.Send(tea.KeyPressMsg{Code: 'R', Text: "R"})
	wait("refreshed: 5 new")
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
	wait(storyCode(2005))
	tm.Send(tea.KeyPressMsg{Code: 'n', Text: "n"})
	wait(storyCode(2004))
	tm.Send(tea.KeyPressMsg{Code: 'q', Text: "q"})
	tm.Send(tea.KeyPressMsg{Code: 'q', Text: "q"})
	m := tm.FinalModel(t, teatest.WithFinalTimeout(10*time.Second)).(*Model)
	if m.reader.story.ID != 2004 || m.reader.fullArt == nil || m.reader.fullArt.Title != "Story 2004" {
		t.Errorf("final state: reader on %d", m.reader.story.ID)
	}
	// Marking read runs in its own command; it may land just after the quit.
	deadline := time.Now().Add(10 * time.Second)
	for {
		lib.mu.Lock()
		done := lib.read[2005] && lib.read[2004]
		lib.mu.Unlock()
		if done {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("opened stories not marked read")
		}
		time.Sleep(10 * time.Millisecond)
	}
}
