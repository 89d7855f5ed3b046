package ui

import (
	"bytes"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLogFileAppendsPrivatelyAndRotates(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "state")
	lf, err := openLogFile(dir)
	if err != nil {
		t.Fatal(err)
	}
	log := newLogger(lf)
	log.Info("refresh finished", "new", 3)
	path := filepath.Join(dir, "byline.log")
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("log mode %v, want 0600", st.Mode().Perm())
	}
	line := bytes.Repeat([]byte("x"), 64<<10)
	for range 20 { // 1.25 MiB: one rotation
		if _, err := lf.Write(line); err != nil {
			t.Fatal(err)
		}
	}
	log.Info("after rotation")
	if err := lf.Close(); err != nil {
		t.Fatal(err)
	}
	old, err := os.ReadFile(path + ".1")
	if err != nil {
		t.Fatalf("no rotated log: %v", err)
	}
	if !strings.Contains(string(old), "msg=\"refresh finished\" new=3") {
		t.Errorf("rotated log lacks the first record: %.100q", old)
	}
	cur, _ := os.ReadFile(path)
	if len(cur) > maxLogSize || !strings.Contains(string(cur), "after rotation") {
		t.Errorf("current log: %d bytes", len(cur))
	}
	// Reopening a log already over the limit rotates it at once.
	if err := os.WriteFile(path, bytes.Repeat([]byte("y"), maxLogSize+1), 0o600); err != nil {
		t.Fatal(err)
	}
	lf, err = openLogFile(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer lf.Close()
	if lf.size != 0 {
		t.Errorf("oversized log not rotated on open: size %d", lf.size)
	}
}

func TestActionErrorsAndArticleFailuresAreLogged(t *testing.T) {
	var buf bytes.Buffer
	h := newHarness(t, 5, plainOpts()).start(80, 24)
	h.m.log = newTestLogger(&buf)
	h.ref.articleErr = errors.New("fetch https://example.com/5: status 404")
	h.keys("enter")
	h.ref.failing = map[int64]error{2: errors.New("status 500")}
	h.keys("esc", "R")
	got := buf.String()
	for _, want := range []string{
		`msg="article fetch failed" story=5`,
		`err="fetch https://example.com/5: status 404"`,
		`msg="feed refresh failed"`,
		`msg="refresh finished"`,
		"failed=1",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("log lacks %q:\n%s", want, got)
		}
	}
	if s := h.screen(); strings.Contains(s, "level=") {
		t.Errorf("log record on screen:\n%s", s)
	}
}

func newTestLogger(w *bytes.Buffer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, nil))
}
