// Package store keeps byline's feeds, stories and cached articles in one
// SQLite file (modernc.org/sqlite, pure Go). It owns the schema and its
// migrations, the queries behind every list, and the FTS5 search index.
//
// The file is opened in WAL mode with a busy timeout and IMMEDIATE write
// transactions, so a TUI reading and a `byline refresh` writing the same file
// at the same time do not see "database is locked". Nothing outside this
// package imports the driver: its errors are translated here into ErrNotFound,
// ErrDuplicate, ErrNewerSchema and ErrCorrupt.
package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

var (
	// ErrNotFound reports that the feed, story or cached article does not exist.
	ErrNotFound = errors.New("not found")
	// ErrDuplicate reports a unique constraint violation, such as adding a feed
	// whose URL is already subscribed.
	ErrDuplicate = errors.New("already exists")
	// ErrNewerSchema reports a database written by a newer byline. The file is
	// left untouched; upgrade byline to use it.
	ErrNewerSchema = errors.New("database was written by a newer version of byline; upgrade byline to open it")
	// ErrCorrupt reports a file that is not a usable SQLite database. The file
	// is left untouched.
	ErrCorrupt = errors.New("database file is corrupt or not a byline database")
)

// busyTimeout is how long, in milliseconds, a connection waits for another
// writer (this process or another byline) before giving up.
const busyTimeout = 10000

// Store is byline's database. It is safe for concurrent use.
type Store struct {
	db    *sql.DB
	wconn *sql.Conn // write transactions (write)
	path  string
	// wmu serialises write transactions inside this process, so goroutines
	// queue on a mutex instead of polling SQLite's busy handler. Other
	// processes are still handled by busy_timeout.
	wmu sync.Mutex
	now func() time.Time
	// readOnly: this process may not write the file (or its directory).
	readOnly bool

	// Group commit of SaveFetch (savefetch.go): gmu guards queue and leading.
	gmu     sync.Mutex
	queue   []*saveReq
	leading bool
}

// Open opens the database at path, creating it with mode 0600 when missing
// (the parent directory must exist), and applies pending migrations.
// A file written by a newer byline gives ErrNewerSchema and a file that is not
// a SQLite database gives ErrCorrupt; in both cases nothing is written.
func Open(ctx context.Context, path string) (*Store, error) {
	size, writable, err := prepareFile(path)
	if err != nil {
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	mode := openWrite
	version, err := checkReadOnly(ctx, path, size, openRead)
	if err != nil && size > 0 && (isReadOnly(err) || isCantOpen(err)) && !walEmpty(path) {
		err = fmt.Errorf("%w; its directory is read-only and its write-ahead log (%s-wal) holds changes not yet in the file: open it once where it can be written",
			err, filepath.Base(path))
	} else if err != nil && size > 0 && isReadOnly(err) {
		// The directory is read-only (a backup, a read-only mount, another
		// user's store), so SQLite cannot make the WAL's shared-memory file
		// beside the store and will not open it, even to read. With no WAL
		// content to apply (a clean close checkpoints and deletes it), the
		// file alone is the whole store: immutable=1 reads it without that
		// file and without locks. Writes then fail as read-only.
		v, ierr := checkReadOnly(ctx, path, size, openImmutable)
		switch {
		case ierr == nil:
			version, err, mode = v, nil, openImmutable
		case errors.Is(ierr, ErrNewerSchema), errors.Is(ierr, ErrCorrupt):
			err = ierr
		}
	}
	if err != nil {
		return nil, fmt.Errorf("open store %s: %w", path, err)
	}
	if mode == openImmutable && version < len(migrations) {
		return nil, fmt.Errorf("open store %s: schema version %d must be upgraded to %d, but the store's directory is read-only",
			path, version, len(migrations))
	}
	if size == 0 {
		if err := initFile(ctx, path); err != nil {
			return nil, fmt.Errorf("open store %s: %w", path, err)
		}
	}
	db, err := sql.Open("sqlite", dsn(path, mode))
	if err != nil {
		return nil, fmt.Errorf("open store %s: %w", path, translate(err))
	}
	// Keep a few connections warm: each new one re-reads the schema and
	// re-runs the DSN pragmas.
	db.SetMaxIdleConns(4)
	s := &Store{db: db, path: path, now: time.Now, readOnly: mode == openImmutable || !writable}
	// Up to date (the common case: every command but the first after an
	// upgrade): no write transaction, so a reading command never takes the
	// write lock or opens the writer's connection.
	if version < len(migrations) {
		if err := s.migrate(ctx); err != nil {
			s.Close()
			return nil, fmt.Errorf("open store %s: %w", path, err)
		}
	}
	return s, nil
}

// writer returns the connection every write transaction runs on (wmu
// serialises them anyway), opened on first use with a larger page cache
// than the readers' (writerCache). Call with wmu held.
func (s *Store) writer(ctx context.Context) (*sql.Conn, error) {
	if s.wconn != nil {
		return s.wconn, nil
	}
	c, err := s.db.Conn(ctx)
	if err != nil {
		return nil, translate(err)
	}
	if _, err := c.ExecContext(ctx, fmt.Sprintf(`PRAGMA cache_size = -%d`, writerCache>>10)); err != nil {
		c.Close()
		return nil, translate(err)
	}
	s.wconn = c
	return c, nil
}

// writerCache is the page cache of the connection that writes. A cold
// refresh's transactions touch more pages than the readers' 512 KiB hold,
// and SQLite then spills dirty pages into the WAL mid-transaction and reads
// them back: at 512 KiB that was a fifth of the serial writer's time in a
// cold 500x200 refresh. 4 MiB took that refresh from 2.86 to 2.71 s (and
// more was no faster); it costs at most 4 MiB of memory, in the one
// process that writes.
const writerCache = 4 << 20

// pageSize is the page size of new stores. 16 KiB rather than SQLite's 4
// KiB: a cold refresh inserts stories all over the by-date indexes, and
// with four times fewer leaf pages each commit rewrites fewer of them; the
// file of 105k stories is 12% smaller (121 vs 138 MB) and the refresh uses
// 3% less CPU. Existing stores keep their page size.
const pageSize = 16384

// initFile gives an empty file its page size. It must happen before the
// DSN's journal_mode(WAL), which writes the header; a second process doing
// the same at once finds the header written and changes nothing.
func initFile(ctx context.Context, path string) error {
	u := url.URL{Scheme: "file", OmitHost: true, Path: path}
	db, err := sql.Open("sqlite", u.String())
	if err != nil {
		return translate(err)
	}
	defer db.Close()
	q := fmt.Sprintf(`PRAGMA busy_timeout = %d; PRAGMA page_size = %d; PRAGMA journal_mode = WAL`, busyTimeout, pageSize)
	if _, err := db.ExecContext(ctx, q); err != nil {
		return translate(err)
	}
	return nil
}

// ReadOnly reports that the store was opened for reading only: its file or
// its directory is not writable by this process, so every change fails.
func (s *Store) ReadOnly() bool { return s.readOnly }

// Close closes the database.
func (s *Store) Close() error {
	s.wmu.Lock()
	if s.wconn != nil {
		s.wconn.Close()
		s.wconn = nil
	}
	s.wmu.Unlock()
	return s.db.Close()
}

// sqliteHeader starts every SQLite 3 database file.
var sqliteHeader = []byte("SQLite format 3\x00")

// prepareFile creates path with mode 0600 when it does not exist, checks
// that an existing non-empty file starts with the SQLite header, and returns
// the file's size and whether this process may write it.
func prepareFile(path string) (size int64, writable bool, err error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err == nil {
		return 0, true, f.Close()
	}
	if !errors.Is(err, os.ErrExist) {
		return 0, false, err
	}
	// Opened for writing when it can be, which tells whether it can: one
	// open either way.
	f, err = os.OpenFile(path, os.O_RDWR, 0)
	writable = err == nil
	if !writable {
		if f, err = os.Open(path); err != nil {
			return 0, false, err
		}
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return 0, false, err
	}
	if !fi.Mode().IsRegular() {
		return 0, false, fmt.Errorf("not a regular file: %w", ErrCorrupt)
	}
	if fi.Size() == 0 {
		return 0, writable, nil // created by an earlier Open that never got further
	}
	head := make([]byte, 100)
	if _, err := io.ReadFull(f, head); err != nil {
		return 0, false, fmt.Errorf("read header: %w", ErrCorrupt)
	}
	if !bytes.HasPrefix(head, sqliteHeader) {
		return 0, false, fmt.Errorf("no sqlite header: %w", ErrCorrupt)
	}
	return fi.Size(), writable, nil
}

// quickCheckMax is the file size up to which every Open runs PRAGMA
// quick_check, which reads the whole file (about 60 ms for 18 MiB here).
// Larger stores are fully checked only before a migration; otherwise Open
// probes the schema and the edge of each table, and other damage surfaces as
// ErrCorrupt from the first query that reads it.
const quickCheckMax = 2 << 20

// checkReadOnly opens the file read-only and checks its schema version and
// integrity, so a newer, damaged or foreign database is refused before any
// write (journal mode, schema changes) is attempted on it.
func checkReadOnly(ctx context.Context, path string, size int64, mode openMode) (version int, err error) {
	db, err := sql.Open("sqlite", dsn(path, mode))
	if err != nil {
		return 0, translate(err)
	}
	defer db.Close()
	// One read transaction, so one snapshot: another process may be
	// creating or migrating the file's schema right now, and a version read
	// before its commit with a count or a check after would take the new
	// file for someone else's database, or fail on the changed schema.
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return 0, translate(err)
	}
	defer tx.Rollback()
	var v, n int
	if err := tx.QueryRowContext(ctx, `SELECT (SELECT user_version FROM pragma_user_version),
		(SELECT count(*) FROM sqlite_schema)`).Scan(&v, &n); err != nil {
		return 0, fmt.Errorf("read schema version: %w", translate(err))
	}
	known := len(migrations)
	if v > known {
		return 0, fmt.Errorf("schema version %d, this byline knows up to %d: %w", v, known, ErrNewerSchema)
	}
	if v == 0 {
		// Version 0 is a file this package created; one with tables is some
		// other program's database, which migrating would deface.
		if n > 0 {
			return 0, fmt.Errorf("schema version 0 with %d schema objects: %w", n, ErrCorrupt)
		}
		return v, nil
	}
	if v == known && size > quickCheckMax {
		var id sql.NullInt64
		err := tx.QueryRowContext(ctx, `SELECT (SELECT max(id) FROM feeds),
			(SELECT max(id) FROM stories)`).Scan(&id, &id)
		if err != nil {
			return 0, fmt.Errorf("probe: %w", translate(err))
		}
		return v, nil
	}
	var res string
	if err := tx.QueryRowContext(ctx, `PRAGMA quick_check`).Scan(&res); err != nil {
		return 0, fmt.Errorf("quick check: %w", translate(err))
	}
	if res != "ok" {
		return 0, fmt.Errorf("quick check: %s: %w", res, ErrCorrupt)
	}
	return v, nil
}

// openMode is how dsn asks SQLite to open the store.
type openMode int

const (
	openWrite     openMode = iota // read and write, WAL
	openRead                      // read only, with the usual locks
	openImmutable                 // read only, no locks, no WAL: a read-only directory
)

// walEmpty reports whether path has no WAL content waiting to be applied.
func walEmpty(path string) bool {
	fi, err := os.Stat(path + "-wal")
	return errors.Is(err, fs.ErrNotExist) || (err == nil && fi.Size() == 0)
}

// dsn builds the driver's URI. Pragmas go in the DSN so that every pooled
// connection gets them, not only the first.
func dsn(path string, mode openMode) string {
	u := url.URL{Scheme: "file", OmitHost: true, Path: path}
	q := url.Values{}
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", busyTimeout))
	switch mode {
	case openImmutable:
		q.Set("mode", "ro")
		q.Set("immutable", "1")
	case openRead:
		q.Set("mode", "ro")
	default:
		q.Add("_pragma", "journal_mode(WAL)")
		q.Add("_pragma", "synchronous(NORMAL)")
		// Savepoint and statement journals in memory: each feed's savepoint
		// otherwise copies every page it touches to a temp file (a third of a
		// cold refresh's pwrite calls).
		q.Add("_pragma", "temp_store(MEMORY)")
		// A small page cache per connection (SQLite's default is 2 MiB): the
		// OS caches the file anyway, a refresh's reads are one-off, and the
		// pool holds several connections. 11 MB less peak RSS in a cold
		// 500x200 refresh, no slower.
		q.Add("_pragma", "cache_size(-512)")
		q.Add("_pragma", "foreign_keys(1)")
		q.Set("_txlock", "immediate")
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// write runs fn in an IMMEDIATE transaction (the DSN sets _txlock), taking
// the write lock up front so that a read-then-write never fails with
// SQLITE_BUSY half way.
func (s *Store) write(ctx context.Context, fn func(tx *sql.Tx) error) error {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	c, err := s.writer(ctx)
	if err != nil {
		return err
	}
	tx, err := c.BeginTx(ctx, nil)
	if err != nil {
		return translate(err)
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	return translate(tx.Commit())
}

// translate maps driver errors to the package's sentinel errors, keeping the
// driver's message for context.
func translate(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return err
	}
	switch se.Code() {
	case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
		return fmt.Errorf("%w (%s)", ErrDuplicate, se.Error())
	}
	switch se.Code() & 0xff {
	case sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB:
		return fmt.Errorf("%w (%s)", ErrCorrupt, se.Error())
	}
	return err
}

// isReadOnly reports an attempt to write a database SQLite opened read-only
// (its file or directory is not writable).
func isReadOnly(err error) bool {
	var se *sqlite.Error
	return errors.As(err, &se) && se.Code()&0xff == sqlite3.SQLITE_READONLY
}

// isCantOpen reports that SQLite could not open a file: with a WAL to read
// in a read-only directory, the shared-memory file it cannot create.
func isCantOpen(err error) bool {
	var se *sqlite.Error
	return errors.As(err, &se) && se.Code()&0xff == sqlite3.SQLITE_CANTOPEN
}

// unix converts t to unix seconds, 0 for the zero time.
func unix(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.Unix()
}

// fromUnix converts unix seconds back, 0 to the zero time.
func fromUnix(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(n, 0).UTC()
}

// boolInt is SQLite's spelling of a boolean.
func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
