package store

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/byline/byline/internal/model"
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

// migrationSteps are the parts of migrations that SQL cannot do, run in the
// migration's transaction right after its SQL.
var migrationSteps = map[int]func(context.Context, *sql.Tx) error{
	3: refillIndex,
	4: rehashStories,
}

// rewriteStories runs write(id, value) for every story, in id order and a
// few hundred at a time so that memory stays flat. query selects the rows
// after id ?, id first; value computes the value from one row (whose id it
// returns), reading the rows before any write.
func rewriteStories(ctx context.Context, tx *sql.Tx, query, write string,
	value func(*sql.Rows) (id int64, v any, err error)) error {
	stmt, err := tx.PrepareContext(ctx, write)
	if err != nil {
		return translate(err)
	}
	defer stmt.Close()
	type entry struct {
		id int64
		v  any
	}
	var batch []entry
	for last := int64(0); ; {
		batch = batch[:0]
		rows, err := tx.QueryContext(ctx, query+` ORDER BY 1 LIMIT 256`, last)
		if err != nil {
			return translate(err)
		}
		for rows.Next() {
			id, v, err := value(rows)
			if err != nil {
				rows.Close()
				return err
			}
			batch = append(batch, entry{id, v})
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return translate(err)
		}
		if len(batch) == 0 {
			return nil
		}
		for _, e := range batch {
			if _, err := stmt.ExecContext(ctx, e.id, e.v); err != nil {
				return translate(err)
			}
		}
		last = batch[len(batch)-1].id
	}
}

// rehashStories recomputes every story's change hash (migration 004 changed
// the hash function) from the stored fields.
func rehashStories(ctx context.Context, tx *sql.Tx) error {
	const q = `SELECT id, coalesce(guid, key), coalesce(url, key), title, author, updated,
		summary, content, categories, enclosures FROM stories WHERE id > ?`
	return rewriteStories(ctx, tx, q, `UPDATE stories SET hash = ?2 WHERE id = ?1`,
		func(rows *sql.Rows) (int64, any, error) {
			var id, updated int64
			var st model.Story
			var sum, con any
			var cats, encs string
			if err := rows.Scan(&id, &st.GUID, &st.URL, &st.Title, &st.Author, &updated,
				&sum, &con, &cats, &encs); err != nil {
				return 0, nil, translate(err)
			}
			st.Updated = fromUnix(updated)
			var err error
			if st.Summary, err = unpack(sum); err == nil {
				st.Content, err = unpack(con)
			}
			if err != nil {
				return 0, nil, fmt.Errorf("story %d: %w", id, err)
			}
			return id, storyHash(&st, cats, encs), nil
		})
}

// refillIndex indexes every story again (migration 003 changed what the
// index holds), with its cached article.
func refillIndex(ctx context.Context, tx *sql.Tx) error {
	_, _, err := indexStories(ctx, tx, 0, math.MaxInt)
	return err
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
			if after := migrationSteps[m.version]; after != nil {
				if err := after(ctx, tx); err != nil {
					return err
				}
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
