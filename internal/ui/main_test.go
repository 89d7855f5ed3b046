package ui

import (
	"context"
	"errors"
	"fmt"
	"log"
	"log/slog"
	"os"
	"testing"
	"time"

	"github.com/byline/byline/internal/model"
	"github.com/byline/byline/internal/render"
)

// TestMain doubles as a tiny byline for real terminals: with
// BYLINE_UI_HELPER set, the test binary runs Run over the fakes instead of
// the tests (used by the pty test, and by hand: go test -c, then run the
// binary with BYLINE_UI_HELPER=demo in a terminal).
func TestMain(m *testing.M) {
	if mode := os.Getenv("BYLINE_UI_HELPER"); mode != "" {
		os.Exit(runHelper(mode))
	}
	os.Exit(m.Run())
}

func runHelper(mode string) int {
	lib := newFakeLib(100_000)
	lib.titles[99_998] = "日本語の見出しと絵文字 🎉 in a long title that must be truncated cleanly in the list"
	lib.titles[99_997] = "evil\x1b]52;c;cm0gLXJmIH4=\x07 title \x1b[2J with escapes"
	ref := &fakeRef{lib: lib, newPerFeed: 2}
	o := Options{MarkReadOnOpen: true, StateDir: os.Getenv("BYLINE_UI_STATE"),
		Dark: true, PipeCommand: "wc -w",
		Starter: []StarterFeed{{Name: "Example", URL: "https://example.com/feed"}}}
	switch mode {
	case "demo":
		ref.delay = 700 * time.Millisecond
	case "panic":
		o.Document = func(model.Article) string { panic("helper: document exploded") }
	case "empty":
		lib.n, lib.noFeeds = 0, true
	case "logs":
		// Other packages log while the interface runs (the refresher, the
		// index catch-up, a dependency): none of it may reach the screen.
		o.Document = func(a model.Article) string {
			slog.Warn("helper: a slog record during the run")
			log.Print("helper: a log record during the run")
			return render.Document(a)
		}
	}
	if err := Run(context.Background(), lib, ref, o); err != nil {
		if !errors.Is(err, ErrCrashed) { // Run already said so
			fmt.Fprintln(os.Stderr, "error:", err)
		}
		return 1
	}
	return 0
}
