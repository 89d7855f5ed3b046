package ui

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/byline/byline/internal/model"
)

func TestPanicInCommandBecomesMessage(t *testing.T) {
	cmd := guard(tea.Batch(func() tea.Msg { return nil }, func() tea.Msg { panic("boom") }))
	batch, ok := cmd().(tea.BatchMsg)
	if !ok || len(batch) != 2 {
		t.Fatalf("batch not preserved: %#v", batch)
	}
	msg, ok := batch[1]().(panickedMsg)
	if !ok || msg.value != "boom" || !bytes.Contains(msg.stack, []byte("run_test.go")) {
		t.Fatalf("panic not caught: %#v", msg)
	}
}

func TestPanicInUpdateQuitsAndIsRecorded(t *testing.T) {
	o := plainOpts()
	o.Document = func(model.Article) string { panic("document exploded") }
	lib := newFakeLib(5)
	s := &safeModel{m: newModel(context.Background(), lib, &fakeRef{lib: lib}, o)}
	s.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	next, cmd := s.Update(articleLoadedMsg{req: 0, a: model.Article{Title: "x"}})
	if next != s {
		t.Fatal("Update after a panic did not return the model")
	}
	if cmd == nil {
		t.Fatal("no quit after panic")
	}
	if _, ok := cmd().(tea.QuitMsg); !ok {
		t.Fatal("panic in Update did not quit")
	}
	if s.m.panic == nil || s.m.panic.value != "document exploded" {
		t.Fatalf("panic not recorded: %+v", s.m.panic)
	}
	dir := filepath.Join(t.TempDir(), "state")
	var out bytes.Buffer
	err := reportPanic(&out, dir, s.m.panic)
	if !errors.Is(err, ErrCrashed) {
		t.Fatalf("reportPanic returned %v", err)
	}
	line := out.String()
	if strings.Count(line, "\n") != 1 || !strings.Contains(line, "details in "+dir) {
		t.Fatalf("stderr line = %q", line)
	}
	path := strings.TrimSpace(line[strings.Index(line, dir):])
	body, rerr := os.ReadFile(path)
	if rerr != nil || !strings.Contains(string(body), "document exploded") || !strings.Contains(string(body), "goroutine") {
		t.Fatalf("log %s: %v\n%s", path, rerr, body)
	}
	if st, _ := os.Stat(dir); st.Mode().Perm() != 0o700 {
		t.Errorf("state dir mode %v", st.Mode().Perm())
	}
}

func TestPanicInViewIsRecorded(t *testing.T) {
	lib := newFakeLib(5)
	s := &safeModel{m: newModel(context.Background(), lib, &fakeRef{lib: lib}, plainOpts())}
	quit := make(chan struct{}, 1)
	s.quit = func() { quit <- struct{}{} }
	s.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	s.m.list.counted, s.m.list.total = true, 1
	s.m.list.pages[0] = []model.Story{{ID: 1, Title: "one"}}
	if v := s.View(); !strings.Contains(v.Content, "one") || s.m.panic != nil {
		t.Fatalf("healthy view failed: %v", s.m.panic)
	}
	s.m.rows = nil // the row cache write now panics inside View
	_ = s.View()
	if s.m.panic == nil {
		t.Fatal("panic in View not recorded")
	}
	<-quit // View asked the program to quit
}
