package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"github.com/byline/byline/internal/model"
)

// TagCount is one user tag with the number of feeds carrying it and their
// unread stories.
type TagCount struct {
	Name   string
	Feeds  int
	Unread int
}

const feedColumns = `f.id, f.url, f.title, f.custom_title, f.site_url, f.etag, f.last_modified,
	f.last_fetch, f.last_status, f.last_error, f.retry_after, f.dead, f.created_at`

// scanFeed reads feedColumns (plus extra destinations) from row.
func scanFeed(row interface{ Scan(...any) error }, extra ...any) (model.Feed, error) {
	var f model.Feed
	var lastFetch, retryAfter, created int64
	dest := append([]any{&f.ID, &f.URL, &f.Title, &f.CustomTitle, &f.SiteURL, &f.ETag,
		&f.LastModified, &lastFetch, &f.LastStatus, &f.LastError, &retryAfter, &f.Dead, &created}, extra...)
	if err := row.Scan(dest...); err != nil {
		return model.Feed{}, translate(err)
	}
	f.LastFetch, f.RetryAfter, f.CreatedAt = fromUnix(lastFetch), fromUnix(retryAfter), fromUnix(created)
	return f, nil
}

// AddFeed subscribes to f.URL with f's titles, tags and fetch state, and
// returns the stored feed with its ID. CreatedAt defaults to now. A URL that
// is already subscribed gives ErrDuplicate.
func (s *Store) AddFeed(ctx context.Context, f model.Feed) (model.Feed, error) {
	if f.CreatedAt.IsZero() {
		f.CreatedAt = s.now()
	}
	f.CreatedAt = fromUnix(f.CreatedAt.Unix())
	f.Tags = normTags(f.Tags)
	err := s.write(ctx, func(tx *sql.Tx) error {
		ins, err := tx.PrepareContext(ctx, insertFeedSQL)
		if err != nil {
			return translate(err)
		}
		defer ins.Close()
		if f.ID, err = insertFeed(ctx, tx, ins, f); err == nil && f.ID == 0 {
			err = ErrDuplicate
		}
		return err
	})
	if err != nil {
		return model.Feed{}, fmt.Errorf("add feed %s: %w", f.URL, err)
	}
	f.StoryCount, f.UnreadCount = 0, 0
	return f, nil
}

// AddFeeds subscribes to every feed of fs as AddFeed does, in one
// transaction (an OPML import of hundreds of feeds was a transaction per
// feed), and reports how many were added and how many URLs were already
// subscribed (in the store, or earlier in fs) and left alone.
func (s *Store) AddFeeds(ctx context.Context, fs []model.Feed) (added, existing int, err error) {
	now := fromUnix(s.now().Unix())
	err = s.write(ctx, func(tx *sql.Tx) error {
		added, existing = 0, 0
		ins, err := tx.PrepareContext(ctx, insertFeedSQL)
		if err != nil {
			return translate(err)
		}
		defer ins.Close()
		for _, f := range fs {
			if f.CreatedAt.IsZero() {
				f.CreatedAt = now
			}
			f.Tags = normTags(f.Tags)
			id, err := insertFeed(ctx, tx, ins, f)
			if err != nil {
				return fmt.Errorf("add feed %s: %w", f.URL, err)
			}
			if id == 0 {
				existing++
			} else {
				added++
			}
		}
		return nil
	})
	if err != nil {
		return 0, 0, err
	}
	return added, existing, nil
}

// insertFeedSQL adds a feed row unless its URL is subscribed already.
const insertFeedSQL = `INSERT INTO feeds (url, title, custom_title, site_url, etag, last_modified,
	last_fetch, last_status, last_error, retry_after, dead, created_at)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (url) DO NOTHING`

// insertFeed adds f (its tags normalised) and its tags with ins, a prepared
// insertFeedSQL, and returns its ID, or 0 when the URL is subscribed already.
func insertFeed(ctx context.Context, tx *sql.Tx, ins *sql.Stmt, f model.Feed) (int64, error) {
	res, err := ins.ExecContext(ctx, f.URL, f.Title, f.CustomTitle, f.SiteURL, f.ETag,
		f.LastModified, unix(f.LastFetch), f.LastStatus, f.LastError, unix(f.RetryAfter),
		boolInt(f.Dead), unix(f.CreatedAt))
	if err != nil {
		return 0, translate(err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return 0, err
	}
	id, err := res.LastInsertId()
	if err != nil {
		return 0, err
	}
	return id, setTags(ctx, tx, id, f.Tags)
}

// Feed returns one feed with its tags, or ErrNotFound.
func (s *Store) Feed(ctx context.Context, id int64) (model.Feed, error) {
	f, err := s.feedWhere(ctx, `f.id = ?`, id)
	if err != nil {
		return model.Feed{}, fmt.Errorf("feed %d: %w", id, err)
	}
	return f, nil
}

// FeedByURL returns the feed subscribed at url, or ErrNotFound.
func (s *Store) FeedByURL(ctx context.Context, url string) (model.Feed, error) {
	f, err := s.feedWhere(ctx, `f.url = ?`, url)
	if err != nil {
		return model.Feed{}, fmt.Errorf("feed %s: %w", url, err)
	}
	return f, nil
}

func (s *Store) feedWhere(ctx context.Context, where string, arg any) (model.Feed, error) {
	f, err := scanFeed(s.db.QueryRowContext(ctx, `SELECT `+feedColumns+` FROM feeds f WHERE `+where, arg))
	if err != nil {
		return model.Feed{}, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT tag FROM feed_tags WHERE feed_id = ? ORDER BY tag`, f.ID)
	if err != nil {
		return model.Feed{}, translate(err)
	}
	defer rows.Close()
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			return model.Feed{}, translate(err)
		}
		f.Tags = append(f.Tags, t)
	}
	return f, translate(rows.Err())
}

// Feeds returns every feed, ordered by display title, with its tags,
// StoryCount and UnreadCount. It runs two queries whatever the number of
// feeds.
func (s *Store) Feeds(ctx context.Context) ([]model.Feed, error) {
	// Two grouped counts, each read from an index (stories_feed and the
	// partial stories_unread_feed) without touching the story rows.
	const q = `SELECT ` + feedColumns + `, coalesce(c.n, 0), coalesce(u.n, 0)
		FROM feeds f
		LEFT JOIN (SELECT feed_id, count(*) AS n FROM stories GROUP BY feed_id) c ON c.feed_id = f.id
		LEFT JOIN (SELECT feed_id, count(*) AS n FROM stories WHERE read = 0 GROUP BY feed_id) u
			ON u.feed_id = f.id
		ORDER BY lower(coalesce(nullif(f.custom_title, ''), nullif(f.title, ''), f.url)), f.id`
	rows, err := s.db.QueryContext(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("list feeds: %w", translate(err))
	}
	defer rows.Close()
	var feeds []model.Feed
	byID := map[int64]int{}
	for rows.Next() {
		var total, unread int
		f, err := scanFeed(rows, &total, &unread)
		if err != nil {
			return nil, fmt.Errorf("list feeds: %w", err)
		}
		f.StoryCount, f.UnreadCount = total, unread
		byID[f.ID] = len(feeds)
		feeds = append(feeds, f)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list feeds: %w", translate(err))
	}
	rows.Close()

	trows, err := s.db.QueryContext(ctx, `SELECT feed_id, tag FROM feed_tags ORDER BY feed_id, tag`)
	if err != nil {
		return nil, fmt.Errorf("list feed tags: %w", translate(err))
	}
	defer trows.Close()
	for trows.Next() {
		var id int64
		var tag string
		if err := trows.Scan(&id, &tag); err != nil {
			return nil, fmt.Errorf("list feed tags: %w", translate(err))
		}
		if i, ok := byID[id]; ok {
			feeds[i].Tags = append(feeds[i].Tags, tag)
		}
	}
	if err := trows.Err(); err != nil {
		return nil, fmt.Errorf("list feed tags: %w", translate(err))
	}
	return feeds, nil
}

// RemoveFeed deletes a feed with its tags, stories and cached articles, or
// returns ErrNotFound.
func (s *Store) RemoveFeed(ctx context.Context, id int64) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		return mustAffect(tx.ExecContext(ctx, `DELETE FROM feeds WHERE id = ?`, id))
	})
	if err != nil {
		return fmt.Errorf("remove feed %d: %w", id, err)
	}
	return nil
}

// SetFeedTags replaces the feed's tags. Tags are trimmed, deduplicated and
// empty ones dropped.
func (s *Store) SetFeedTags(ctx context.Context, id int64, tags []string) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		var one int
		if err := tx.QueryRowContext(ctx, `SELECT 1 FROM feeds WHERE id = ?`, id).Scan(&one); err != nil {
			return translate(err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM feed_tags WHERE feed_id = ?`, id); err != nil {
			return translate(err)
		}
		return setTags(ctx, tx, id, normTags(tags))
	})
	if err != nil {
		return fmt.Errorf("set tags of feed %d: %w", id, err)
	}
	return nil
}

func setTags(ctx context.Context, tx *sql.Tx, id int64, tags []string) error {
	for _, t := range tags {
		if _, err := tx.ExecContext(ctx, `INSERT INTO feed_tags (tag, feed_id) VALUES (?, ?)`, t, id); err != nil {
			return translate(err)
		}
	}
	return nil
}

// normTags trims, drops empty tags, sorts and deduplicates.
func normTags(tags []string) []string {
	out := make([]string, 0, len(tags))
	for _, t := range tags {
		if t = strings.TrimSpace(t); t != "" {
			out = append(out, t)
		}
	}
	slices.Sort(out)
	out = slices.Compact(out)
	if len(out) == 0 {
		return nil
	}
	return out
}

// SetFeedTitle sets the user's name for the feed; "" restores the feed's own.
func (s *Store) SetFeedTitle(ctx context.Context, id int64, custom string) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		return mustAffect(tx.ExecContext(ctx, `UPDATE feeds SET custom_title = ? WHERE id = ?`, custom, id))
	})
	if err != nil {
		return fmt.Errorf("set title of feed %d: %w", id, err)
	}
	return nil
}

// Tags returns every tag in use, by name, with its number of feeds and the
// unread stories of those feeds.
func (s *Store) Tags(ctx context.Context) ([]TagCount, error) {
	const q = `SELECT t.tag, count(*), coalesce(sum(u.n), 0)
		FROM feed_tags t
		LEFT JOIN (SELECT feed_id, count(*) AS n FROM stories WHERE read = 0 GROUP BY feed_id) u
			ON u.feed_id = t.feed_id
		GROUP BY t.tag ORDER BY t.tag`
	rows, err := s.db.QueryContext(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("list tags: %w", translate(err))
	}
	defer rows.Close()
	var tags []TagCount
	for rows.Next() {
		var t TagCount
		if err := rows.Scan(&t.Name, &t.Feeds, &t.Unread); err != nil {
			return nil, fmt.Errorf("list tags: %w", translate(err))
		}
		tags = append(tags, t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list tags: %w", translate(err))
	}
	return tags, nil
}

// mustAffect turns an Exec that changed no row into ErrNotFound.
func mustAffect(res sql.Result, err error) error {
	if err != nil {
		return translate(err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return ErrNotFound
	}
	return nil
}
