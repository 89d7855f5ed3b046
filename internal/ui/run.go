package ui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"log/slog"
	"os"
	"path/filepath"
	"runtime/debug"
	"time"

	tea "charm.land/bubbletea/v2"
)

// ErrCrashed is returned by Run after a panic in the UI. Run has already
// restored the terminal and printed one line naming the log file on stderr,
// so callers should only set the exit status.
var ErrCrashed = errors.New("byline crashed")

// panicState records a panic caught in the UI, for the log written by Run.
type panicState struct {
	value any
	stack []byte
}

// safeModel wraps the root model: a panic in Update, View or any command
// becomes a recorded panic and a clean quit, so Run can restore the
// terminal, log the stack to a file and print one line.
type safeModel struct {
	m    *Model
	quit func()
}

func (s *safeModel) record(r any) {
	if s.m.panic == nil {
		s.m.panic = &panicState{value: r, stack: debug.Stack()}
	}
}

func (s *safeModel) Init() (cmd tea.Cmd) {
	defer func() {
		if r := recover(); r != nil {
			s.record(r)
			cmd = tea.Quit
		}
	}()
	return guard(s.m.Init())
}

func (s *safeModel) Update(msg tea.Msg) (next tea.Model, cmd tea.Cmd) {
	defer func() {
		if r := recover(); r != nil {
			s.record(r)
			next, cmd = s, tea.Quit
		}
	}()
	if _, ok := msg.(tea.InterruptMsg); ok {
		return s, tea.Quit
	}
	_, cmd = s.m.Update(msg)
	return s, guard(cmd)
}

func (s *safeModel) View() (v tea.View) {
	defer func() {
		if r := recover(); r != nil {
			s.record(r)
			v = tea.NewView("")
			if s.quit != nil {
				go s.quit()
			}
		}
	}()
	return s.m.View()
}

// Run runs the UI in the terminal until the user quits or ctx ends. The
// terminal is restored in every case; after a panic the stack goes to a
// log file under o.StateDir and one line naming it goes to stderr.
func Run(ctx context.Context, lib Library, ref Refresher, o Options) (err error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	s := &safeModel{m: newModel(ctx, lib, ref, o)}
	// Logs go to a file while the screen belongs to the TUI; without one
	// (no state directory, or it cannot be written) they are dropped.
	if o.StateDir != "" {
		if lf, lerr := openLogFile(o.StateDir); lerr == nil {
			defer lf.Close()
			s.m.log = newLogger(lf)
			s.m.log.Info("interface started")
			defer s.m.log.Info("interface stopped")
		}
	}
	// So do the records of every other package (the refresher, the index
	// catch-up, a dependency's log.Printf): the default logger writes to
	// stderr, which is the screen.
	defer redirectLogs(s.m.log)()
	p := tea.NewProgram(s, tea.WithContext(ctx))
	s.quit = p.Quit
	defer func() {
		if r := recover(); r != nil {
			p.Kill()
			s.record(r)
		}
		if s.m.panic != nil {
			err = reportPanic(os.Stderr, o.StateDir, s.m.panic)
		}
	}()
	_, err = p.Run()
	cancel()
	if errors.Is(err, tea.ErrProgramKilled) && s.m.panic == nil && !errors.Is(err, tea.ErrProgramPanic) {
		if cerr := context.Cause(ctx); cerr != nil && !errors.Is(cerr, context.Canceled) {
			return cerr
		}
		return nil
	}
	return err
}

// reportPanic writes p to a log file and tells the user where it is.
func reportPanic(w io.Writer, dir string, p *panicState) error {
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "byline")
	}
	path := filepath.Join(dir, "panic-"+time.Now().UTC().Format("20060102-150405")+".log")
	body := fmt.Sprintf("byline panic at %s\n\n%v\n\n%s", time.Now().UTC().Format(time.RFC3339), p.value, p.stack)
	werr := os.MkdirAll(dir, 0o700)
	if werr == nil {
		werr = os.WriteFile(path, []byte(body), 0o600)
	}
	if werr != nil {
		fmt.Fprintf(w, "byline: internal error: %v (could not write log: %v)\n", p.value, werr)
		return fmt.Errorf("%w: %v", ErrCrashed, p.value)
	}
	fmt.Fprintf(w, "byline: internal error; details in %s\n", path)
	return fmt.Errorf("%w (details in %s)", ErrCrashed, path)
}

// redirectLogs makes l the default slog logger, and the log package's
// output, until the returned func restores them.
func redirectLogs(l *slog.Logger) (restore func()) {
	prev, w, flags := slog.Default(), log.Writer(), log.Flags()
	slog.SetDefault(l)
	return func() {
		slog.SetDefault(prev)
		log.SetOutput(w)
		log.SetFlags(flags)
	}
}
