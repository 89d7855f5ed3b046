package store

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// migration is one numbered schema change.
type migration struct {
	version int
	name    string
	sql     string
}

// migrations are the embedded migrations in version order. Version n is the
// nth file (001_…, 002_…); Open checks that the numbering has no gaps.
var migrations = mustLoadMigrations()

func mustLoadMigrations() []migration {
	ms, err := loadMigrations(migrationFS)
	if err != nil {
		panic(err) // the embedded files are part of the binary: a bad name is a build bug
	}
	return ms
}

// loadMigrations reads NNN_name.sql files from fsys.
func loadMigrations(fsys fs.FS) ([]migration, error) {
	files, err := fs.Glob(fsys, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, f := range files {
		base := strings.TrimPrefix(f, "migrations/")
		num, name, ok := strings.Cut(strings.TrimSuffix(base, ".sql"), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("migration %s: name must be NNN_name.sql", base)
		}
		b, err := fs.ReadFile(fsys, f)
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{version: v, name: name, sql: string(b)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	for i, m := range ms {
		if m.version != i+1 {
			return nil, fmt.Errorf("migration %03d_%s: expected version %d", m.version, m.name, i+1)
		}
	}
	return ms, nil
}

// migrate applies the pending migrations, each in its own IMMEDIATE
// transaction that also records the new version in PRAGMA user_version. The
// version is re-read inside the transaction, so two processes opening a fresh
// file at once apply each migration exactly once.
func (s *Store) migrate(ctx context.Context) error {
	for _, m := range migrations {
		err := s.write(ctx, func(tx *sql.Tx) error {
			var v int
			if err := tx.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&v); err != nil {
				return fmt.Errorf("read schema version: %w", translate(err))
			}
			if v > len(migrations) {
				return fmt.Errorf("schema version %d, this byline knows up to %d: %w", v, len(migrations), ErrNewerSchema)
			}
			if v >= m.version {
				return nil
			}
			if _, err := tx.ExecContext(ctx, m.sql); err != nil {
				return translate(err)
			}
			// PRAGMA takes no placeholders; version is an int from our own files.
			if _, err := tx.ExecContext(ctx, fmt.Sprintf(`PRAGMA user_version = %d`, m.version)); err != nil {
				return translate(err)
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("migrate to %03d_%s: %w", m.version, m.name, err)
		}
	}
	return nil
}
