package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/byline/byline/internal/model"
)

// Query selects stories. Zero fields do not filter; all set filters apply.
type Query struct {
	FeedID  int64
	Tag     string
	Unread  bool
	Starred bool
	Since   time.Time // published at or after
	Search  string    // user words; the store builds a safe FTS5 query
	Limit   int       // 0: no limit
	Offset  int
}

// where returns the WHERE clause (without the keyword) and its arguments for
// q over stories aliased s. ok is false when the query cannot match anything
// (a search with no searchable word). byMatch selects how a search is run:
// from the list of matches (few matches), or by walking the filter's
// newest-first index and testing membership (many matches); see searchPlan.
func (q Query) where(sp searchSpec) (clause string, args []any, ok bool) {
	var conds []string
	if q.FeedID != 0 {
		conds, args = append(conds, `s.feed_id = ?`), append(args, q.FeedID)
	}
	if q.Tag != "" {
		conds = append(conds, `s.feed_id IN (SELECT feed_id FROM feed_tags WHERE tag = ?)`)
		args = append(args, q.Tag)
	}
	if q.Unread {
		conds = append(conds, `s.read = 0`)
	}
	if q.Starred {
		conds = append(conds, `s.starred = 1`)
	}
	if !q.Since.IsZero() {
		conds, args = append(conds, `s.published >= ?`), append(args, q.Since.Unix())
	}
	if strings.TrimSpace(q.Search) != "" {
		m := sp.match
		if m == "" {
			return "", nil, false
		}
		// The unary + stops SQLite from driving the query from the match
		// list, which costs a table lookup per match and a sort (0.5 s for a
		// word found in all of 100k stories).
		in := `+s.id IN`
		if sp.byMatch {
			in = `s.id IN`
		}
		conds = append(conds, in+` (SELECT rowid FROM story_fts WHERE story_fts MATCH ?)`)
		args = append(args, m)
	}
	if len(conds) == 0 {
		return "1", nil, true
	}
	return strings.Join(conds, " AND "), args, true
}

// storyColumns are the columns scanStory reads; full adds the bodies.
func storyColumns(full bool) string {
	cols := `s.id, s.feed_id, coalesce(nullif(f.custom_title, ''), nullif(f.title, ''), f.url),
		s.key, coalesce(s.guid, s.key), coalesce(s.url, s.key), s.title, s.author, s.published,
		s.updated, s.categories, s.enclosures, s.first_seen, s.read, s.starred`
	if full {
		cols += `, s.summary, s.content`
	}
	return cols
}

// storyFrom joins the feed for its display title. CROSS JOIN keeps stories as
// the outer loop, so the ORDER BY is served by an index and LIMIT stops early.
const storyFrom = ` FROM stories s CROSS JOIN feeds f ON f.id = s.feed_id`

// pageSQL returns the query for the ids of one page of q, newest first. It
// reads only an index (every story index ends in the rowid and the filters
// use indexed columns), so skipping 50,000 rows for a deep page costs 50,000
// index entries, not 50,000 story rows.
func pageSQL(q Query, sp searchSpec) (sqlText string, args []any, ok bool) {
	where, args, ok := q.where(sp)
	sqlText = `SELECT s.id FROM stories s WHERE ` + where + ` ORDER BY s.published DESC, s.id DESC`
	if q.Limit > 0 || q.Offset > 0 {
		limit := q.Limit
		if limit <= 0 {
			limit = -1
		}
		sqlText += ` LIMIT ? OFFSET ?`
		args = append(args, limit, max(q.Offset, 0))
	}
	return sqlText, args, ok
}

// storyListSQL returns the list query for q; ok as for Query.where. Only the
// rows of the page are read from the table; sorting them again is a sort of
// at most Limit rows.
func storyListSQL(q Query, sp searchSpec) (sqlText string, args []any, ok bool) {
	if q.Limit <= 0 && q.Offset <= 0 {
		where, args, ok := q.where(sp)
		return `SELECT ` + storyColumns(false) + storyFrom + ` WHERE ` + where +
			` ORDER BY s.published DESC, s.id DESC`, args, ok
	}
	page, args, ok := pageSQL(q, sp)
	return `SELECT ` + storyColumns(false) + ` FROM (` + page + `) AS page
		CROSS JOIN stories s ON s.id = page.id CROSS JOIN feeds f ON f.id = s.feed_id
		ORDER BY s.published DESC, s.id DESC`, args, ok
}

func scanStory(row interface{ Scan(...any) error }, full bool) (model.Story, error) {
	var st model.Story
	var published, updated, firstSeen int64
	var cats, encs string
	var sum, con any
	dest := []any{&st.ID, &st.FeedID, &st.FeedTitle, &st.Key, &st.GUID, &st.URL, &st.Title,
		&st.Author, &published, &updated, &cats, &encs, &firstSeen, &st.Read, &st.Starred}
	if full {
		dest = append(dest, &sum, &con)
	}
	if err := row.Scan(dest...); err != nil {
		return model.Story{}, translate(err)
	}
	st.Published, st.Updated, st.FirstSeen = fromUnix(published), fromUnix(updated), fromUnix(firstSeen)
	var err error
	if st.Categories, err = decodeList[string](cats); err != nil {
		return model.Story{}, err
	}
	if st.Enclosures, err = decodeList[model.Enclosure](encs); err != nil {
		return model.Story{}, err
	}
	if full {
		if st.Summary, err = unpack(sum); err != nil {
			return model.Story{}, err
		}
		if st.Content, err = unpack(con); err != nil {
			return model.Story{}, err
		}
	}
	return st, nil
}

// Stories returns the stories matching q, newest first (published, then
// ID, descending), with FeedTitle filled and without Summary and Content.
func (s *Store) Stories(ctx context.Context, q Query) ([]model.Story, error) {
	sp, none, err := s.searchPlan(ctx, q.Search)
	if err != nil || none {
		return nil, err
	}
	sqlText, args, ok := storyListSQL(q, sp)
	if !ok {
		return nil, nil
	}
	rows, err := s.db.QueryContext(ctx, sqlText, args...)
	if err != nil {
		return nil, fmt.Errorf("list stories: %w", translate(err))
	}
	defer rows.Close()
	var out []model.Story
	if q.Limit > 0 {
		out = make([]model.Story, 0, min(q.Limit, 1000))
	}
	for rows.Next() {
		st, err := scanStory(rows, false)
		if err != nil {
			return nil, fmt.Errorf("list stories: %w", err)
		}
		out = append(out, st)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list stories: %w", translate(err))
	}
	return out, nil
}

// CountStories returns how many stories match q and how many of those are
// unread. Limit and Offset are ignored.
func (s *Store) CountStories(ctx context.Context, q Query) (total, unread int, err error) {
	sp, none, err := s.searchPlan(ctx, q.Search)
	if err != nil || none {
		return 0, 0, err
	}
	where, args, ok := q.where(sp)
	if !ok {
		return 0, 0, nil
	}
	// Two counts rather than sum(read = 0): each can then be answered from an
	// index (the unread one from a partial index) instead of the story rows.
	// With Starred, the starred index is the small one: the unary + keeps
	// SQLite from walking every unread story instead.
	unreadCond := ` AND s.read = 0`
	if q.Starred {
		unreadCond = ` AND +s.read = 0`
	}
	if q.Unread {
		unreadCond = ``
	}
	err = s.db.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM stories s WHERE `+where+`),
		(SELECT count(*) FROM stories s WHERE `+where+unreadCond+`)`,
		append(args, args...)...).Scan(&total, &unread)
	if err != nil {
		return 0, 0, fmt.Errorf("count stories: %w", translate(err))
	}
	return total, unread, nil
}

// Story returns one story with Summary, Content and FeedTitle, or ErrNotFound.
func (s *Store) Story(ctx context.Context, id int64) (model.Story, error) {
	sqlText := `SELECT ` + storyColumns(true) + storyFrom + ` WHERE s.id = ?`
	st, err := scanStory(s.db.QueryRowContext(ctx, sqlText, id), true)
	if err != nil {
		return model.Story{}, fmt.Errorf("story %d: %w", id, err)
	}
	return st, nil
}

// byMatchMax is the number of matches up to which a search is run from its
// list of matches: looking up that many stories and sorting them is cheaper
// than walking the newest-first index until a page is full.
const byMatchMax = 1000

// searchSpec is a search resolved for SQL: the FTS5 query, and whether to
// run it from its matches (see byMatchMax).
type searchSpec struct {
	match   string
	byMatch bool
}

// searchPlan builds the FTS5 query for the user's words, counts its matches
// (one read of the index) and decides how to run it: from the matches when
// they are few, else by walking the newest-first index. none reports a search
// that matches nothing.
func (s *Store) searchPlan(ctx context.Context, words string) (sp searchSpec, none bool, err error) {
	sp.match = ftsQuery(words)
	if sp.match == "" {
		return sp, false, nil // no search, or one where() rejects
	}
	// Stories stored since the last search are indexed first, so a search
	// always sees every story (index.go). A store byline cannot write (a
	// read-only file or file system) is searched as far as it is indexed.
	if _, err := s.IndexPending(ctx); err != nil && !isReadOnly(err) {
		return searchSpec{}, false, fmt.Errorf("search %q: %w", words, err)
	}
	var n int
	err = s.db.QueryRowContext(ctx, `SELECT count(*) FROM story_fts WHERE story_fts MATCH ?`, sp.match).Scan(&n)
	if err != nil {
		return searchSpec{}, false, fmt.Errorf("search %q: %w", words, translate(err))
	}
	sp.byMatch = n <= byMatchMax
	return sp, n == 0, nil
}

// chunkSize bounds the ids bound in one statement, well under SQLite's
// variable limit.
const chunkSize = 500

// SetRead marks the stories read or unread. Unknown ids are ignored.
func (s *Store) SetRead(ctx context.Context, ids []int64, read bool) error {
	if err := s.setFlag(ctx, "read", ids, read); err != nil {
		return fmt.Errorf("mark %d stories read=%t: %w", len(ids), read, err)
	}
	return nil
}

// SetStarred stars or unstars the stories. Unknown ids are ignored.
func (s *Store) SetStarred(ctx context.Context, ids []int64, starred bool) error {
	if err := s.setFlag(ctx, "starred", ids, starred); err != nil {
		return fmt.Errorf("mark %d stories starred=%t: %w", len(ids), starred, err)
	}
	return nil
}

// setFlag sets column (read or starred, never user input) on ids in one
// transaction, in chunks.
func (s *Store) setFlag(ctx context.Context, column string, ids []int64, v bool) error {
	if len(ids) == 0 {
		return nil
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		for start := 0; start < len(ids); start += chunkSize {
			chunk := ids[start:min(start+chunkSize, len(ids))]
			args := make([]any, 0, len(chunk)+1)
			args = append(args, boolInt(v))
			for _, id := range chunk {
				args = append(args, id)
			}
			q := `UPDATE stories SET ` + column + ` = ?1 WHERE ` + column + ` <> ?1 AND id IN (?` +
				strings.Repeat(",?", len(chunk)-1) + `)`
			if _, err := tx.ExecContext(ctx, q, args...); err != nil {
				return translate(err)
			}
		}
		return nil
	})
}

// MarkAllRead marks every unread story matching q read (Limit and Offset are
// ignored) and returns the ids it changed, so the caller can undo with
// SetRead(ids, false).
func (s *Store) MarkAllRead(ctx context.Context, q Query) ([]int64, error) {
	q.Unread = true
	sp, none, err := s.searchPlan(ctx, q.Search)
	if err != nil || none {
		return nil, err
	}
	where, args, ok := q.where(sp)
	if !ok {
		return nil, nil
	}
	var ids []int64
	err = s.write(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `UPDATE stories AS s SET read = 1 WHERE `+where+` RETURNING id`, args...)
		if err != nil {
			return translate(err)
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				return translate(err)
			}
			ids = append(ids, id)
		}
		return translate(rows.Err())
	})
	if err != nil {
		return nil, fmt.Errorf("mark all read: %w", err)
	}
	return ids, nil
}
