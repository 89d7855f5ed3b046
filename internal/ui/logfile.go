package ui

import (
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
)

// maxLogSize is the size at which byline.log is renamed to byline.log.1 and
// started afresh, so the log never holds more than about twice this.
const maxLogSize = 1 << 20

// logFile is byline.log under the state directory: appended to, private to
// the user, rotated once past maxLogSize. It is safe for concurrent use.
type logFile struct {
	mu   sync.Mutex
	path string
	f    *os.File
	size int64
}

func openLogFile(dir string) (*logFile, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("log directory: %w", err)
	}
	l := &logFile{path: filepath.Join(dir, "byline.log")}
	if err := l.open(); err != nil {
		return nil, err
	}
	if l.size > maxLogSize {
		if err := l.rotate(); err != nil {
			_ = l.Close()
			return nil, err
		}
	}
	return l, nil
}

func (l *logFile) open() error {
	f, err := os.OpenFile(l.path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("open log: %w", err)
	}
	st, err := f.Stat()
	if err != nil {
		_ = f.Close()
		return fmt.Errorf("open log: %w", err)
	}
	l.f, l.size = f, st.Size()
	return nil
}

func (l *logFile) rotate() error {
	_ = l.f.Close()
	if err := os.Rename(l.path, l.path+".1"); err != nil {
		return fmt.Errorf("rotate log: %w", err)
	}
	return l.open()
}

// Write implements io.Writer. Records are never split across files.
func (l *logFile) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.f == nil {
		return 0, os.ErrClosed
	}
	if l.size > 0 && l.size+int64(len(p)) > maxLogSize {
		if err := l.rotate(); err != nil {
			return 0, err
		}
	}
	n, err := l.f.Write(p)
	l.size += int64(n)
	return n, err
}

// Close implements io.Closer.
func (l *logFile) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.f == nil {
		return nil
	}
	err := l.f.Close()
	l.f = nil
	return err
}

// newLogger returns a logger writing key=value records to l.
func newLogger(l *logFile) *slog.Logger {
	return slog.New(slog.NewTextHandler(l, &slog.HandlerOptions{Level: slog.LevelInfo}))
}
