// Package cli holds byline's cobra commands, one file per subcommand, and the
// adapters that connect the interface to the store and the refresher.
package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/byline/byline/internal/config"
	"github.com/byline/byline/internal/fetch"
	"github.com/byline/byline/internal/iostreams"
	"github.com/byline/byline/internal/refresh"
	"github.com/byline/byline/internal/store"
)

// Factory carries the dependencies every command needs. The store and the
// refresher are opened lazily, on first use, so `byline --help` or a usage
// error never touches the disk.
type Factory struct {
	IO     *iostreams.IOStreams
	Paths  config.Paths
	Config config.Config
	Now    func() time.Time
	Getenv func(string) string

	once    sync.Once
	st      *store.Store
	stErr   error
	refresh *refresh.Refresher
}

// NewFactory resolves paths and loads the config file.
func NewFactory(ios *iostreams.IOStreams, getenv func(string) string) (*Factory, error) {
	paths, err := config.ResolvePaths(getenv)
	if err != nil {
		return nil, err
	}
	cfg, err := config.Load(paths.ConfigFile())
	if err != nil {
		return nil, err
	}
	return &Factory{IO: ios, Paths: paths, Config: cfg, Now: time.Now, Getenv: getenv}, nil
}

// Store opens (once) the SQLite store, creating its directory 0700.
func (f *Factory) Store(ctx context.Context) (*store.Store, error) {
	f.once.Do(func() {
		if err := config.EnsureDir(f.Paths.Data); err != nil {
			f.stErr = err
			return
		}
		f.st, f.stErr = store.Open(ctx, f.Paths.StoreFile())
		if f.stErr != nil {
			f.stErr = explainStoreError(f.Paths.StoreFile(), f.stErr)
		}
	})
	return f.st, f.stErr
}

func explainStoreError(path string, err error) error {
	switch {
	case errors.Is(err, store.ErrNewerSchema):
		return fmt.Errorf("the store %s was written by a newer byline; upgrade byline (the file was left untouched)", path)
	case errors.Is(err, store.ErrCorrupt):
		return fmt.Errorf("the store %s is damaged or not a byline database; move it aside to start afresh (the file was left untouched)", path)
	}
	return err // store.Open already says "open store <path>: …"
}

// Refresher builds (once) the refresher over the store and an HTTP client
// configured from the config file.
func (f *Factory) Refresher(ctx context.Context) (*refresh.Refresher, error) {
	st, err := f.Store(ctx)
	if err != nil {
		return nil, err
	}
	if f.refresh == nil {
		f.refresh = &refresh.Refresher{Store: st, Client: f.fetchClient(), Workers: f.Config.Concurrency, Now: f.Now}
	}
	return f.refresh, nil
}

// fetchClient builds an HTTP client with the configured limits.
func (f *Factory) fetchClient() *fetch.Client {
	c := f.Config
	return fetch.New(fetch.Options{
		UserAgent: c.UA(), Timeout: c.Timeout.D(), DialTimeout: c.DialTimeout.D(),
		MaxBytes: int64(c.MaxBody), MaxRedirects: c.MaxRedirects, PerHost: c.PerHost,
	})
}

// Close releases the store.
func (f *Factory) Close() error {
	if f.st != nil {
		return f.st.Close()
	}
	return nil
}

// UsageError marks an error in the command line (exit status 2).
type UsageError struct{ Err error }

func (e *UsageError) Error() string { return e.Err.Error() }
func (e *UsageError) Unwrap() error { return e.Err }

func usageErrorf(format string, a ...any) error {
	return &UsageError{Err: fmt.Errorf(format, a...)}
}

// SilentError is an error already reported to the user; it only sets the
// exit status.
type SilentError struct{ Code int }

func (e *SilentError) Error() string { return fmt.Sprintf("exit status %d", e.Code) }

// ExitCode maps an error to byline's exit status: 0 success or closed pipe,
// 2 usage error, 1 anything else.
func ExitCode(err error) int {
	var ue *UsageError
	var se *SilentError
	switch {
	case err == nil, iostreams.IsEPIPE(err):
		return 0
	case errors.As(err, &se):
		return se.Code
	case errors.As(err, &ue):
		return 2
	}
	return 1
}

// stateDir makes sure the XDG state directory exists.
func (f *Factory) stateDir() string {
	_ = os.MkdirAll(f.Paths.State, 0o700)
	return f.Paths.State
}
