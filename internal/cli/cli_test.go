package cli

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/byline/byline/internal/iostreams"
)

// testEnv is a byline instance isolated in temporary XDG directories.
type testEnv struct {
	lastErr  string
	f        *Factory
	in       *bytes.Buffer
	out, err *bytes.Buffer
}

func newTestEnv(t *testing.T) *testEnv {
	t.Helper()
	dir := t.TempDir()
	env := map[string]string{
		"HOME": dir, "XDG_CONFIG_HOME": dir + "/config", "XDG_DATA_HOME": dir + "/data",
		"XDG_CACHE_HOME": dir + "/cache", "XDG_STATE_HOME": dir + "/state",
	}
	ios, in, out, errOut := iostreams.Test()
	f, err := NewFactory(ios, func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	f.Now = func() time.Time { return time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC) }
	t.Cleanup(func() { f.Close() })
	return &testEnv{f: f, in: in, out: out, err: errOut}
}

// run executes byline with args and returns its exit status.
func (e *testEnv) run(t *testing.T, args ...string) int {
	t.Helper()
	e.out.Reset()
	e.err.Reset()
	err := Execute(context.Background(), e.f, args)
	e.lastErr = ""
	if err != nil {
		e.lastErr = err.Error()
	}
	return ExitCode(err)
}

func TestUsageErrorsExit2(t *testing.T) {
	cases := [][]string{
		{"list", "--limit", "x"},
		{"list", "extra"},
		{"show"},
		{"show", "abc"},
		{"show", "1", "--format", "pdf"},
		{"mark", "1"},
		{"mark", "1", "--read", "--star"},
		{"mark", "--all-read", "5"},
		{"add", "ftp://example.com/feed"},
		{"add", "javascript:alert(1)"},
		{"nosuchcommand"},
		{"--color", "sometimes", "list"},
		{"import"},
	}
	for _, args := range cases {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			e := newTestEnv(t)
			if code := e.run(t, args...); code != 2 {
				t.Fatalf("exit %d, want 2 (stderr %q)", code, e.err.String())
			}
		})
	}
}

func TestListFlags(t *testing.T) {
	e := newTestEnv(t)
	var got *ListOptions
	cmd := NewCmdList(e.f, func(o *ListOptions) error { got = o; return nil })
	cmd.SetArgs([]string{"--unread", "--starred", "--feed", "3", "--tag", "news", "--since", "24h", "--limit", "50", "--json"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	if !got.Unread || !got.Starred || got.Feed != "3" || got.Tag != "news" || got.Since != 24*time.Hour || got.Limit != 50 || !got.JSON {
		t.Fatalf("options %+v", got)
	}
}

func TestMarkFlags(t *testing.T) {
	e := newTestEnv(t)
	var got *MarkOptions
	cmd := NewCmdMark(e.f, func(o *MarkOptions) error { got = o; return nil })
	cmd.SetArgs([]string{"4", "7", "--star"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	if !got.Star || len(got.IDs) != 2 || got.IDs[0] != 4 || got.IDs[1] != 7 {
		t.Fatalf("options %+v", got)
	}
}

func TestShowFlags(t *testing.T) {
	e := newTestEnv(t)
	var got *ShowOptions
	cmd := NewCmdShow(e.f, func(o *ShowOptions) error { got = o; return nil })
	cmd.SetArgs([]string{"12", "--format", "json", "--refetch", "--no-pager"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	if got.ID != 12 || got.Format != "json" || !got.Refetch || !got.NoPager {
		t.Fatalf("options %+v", got)
	}
}

func TestExitCode(t *testing.T) {
	if ExitCode(nil) != 0 || ExitCode(errors.New("x")) != 1 || ExitCode(&UsageError{errors.New("x")}) != 2 ||
		ExitCode(&SilentError{Code: 3}) != 3 {
		t.Fatal("exit code mapping")
	}
}

func TestNoArgsNeedsTerminal(t *testing.T) {
	e := newTestEnv(t)
	e.f.IO.SetStdoutTTY(true)
	err := Execute(context.Background(), e.f, nil)
	if ExitCode(err) != 2 || !strings.Contains(err.Error(), "terminal") {
		t.Fatalf("got %v", err)
	}
}

func TestNoArgsInAPipeLists(t *testing.T) {
	e := newTestEnv(t)
	if code := e.run(t); code != 0 || e.out.Len() != 0 {
		t.Fatalf("exit %d, out %q", code, e.out.String())
	}
}

// TestVerboseLogs: log records go to stderr with -v, quoted so that control
// characters stay inert, and nowhere without it.
func TestVerboseLogs(t *testing.T) {
	e := newTestEnv(t)
	if code := e.run(t, "version"); code != 0 {
		t.Fatalf("version: exit %d", code)
	}
	slog.Warn("cache article", "err", "quiet")
	if e.err.Len() != 0 {
		t.Errorf("a record without -v: %q", e.err.String())
	}
	if code := e.run(t, "-v", "version"); code != 0 {
		t.Fatalf("-v version: exit %d", code)
	}
	slog.Warn("cache article", "err", "server said \x1b[2Jhi")
	got := e.err.String()
	if !strings.Contains(got, "cache article") || strings.Contains(got, "\x1b") {
		t.Errorf("with -v: %q; want the record, escapes quoted", got)
	}
	e.run(t, "version") // leave the default quiet for the other tests
}
