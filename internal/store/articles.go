package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/byline/byline/internal/model"
)

// SaveArticle caches the reader-mode article of a story, replacing any
// earlier one, and adds its Markdown to the story's search entry (now, or
// when the story is indexed). It returns
// ErrNotFound when the story does not exist.
func (s *Store) SaveArticle(ctx context.Context, storyID int64, a model.Article) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		var doc indexDoc
		var sum, con any
		err := tx.QueryRowContext(ctx, `SELECT title, summary, content FROM stories WHERE id = ?`,
			storyID).Scan(&doc.title, &sum, &con)
		if err != nil {
			return translate(err)
		}
		if doc.summary, err = unpack(sum); err != nil {
			return err
		}
		if doc.content, err = unpack(con); err != nil {
			return err
		}
		doc.article = a.Markdown
		const q = `INSERT INTO articles (story_id, url, title, author, site, published, image_url,
			image_caption, markdown, source, note, extracted_at, etag, last_modified)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (story_id) DO UPDATE SET url = excluded.url, title = excluded.title,
			author = excluded.author, site = excluded.site, published = excluded.published,
			image_url = excluded.image_url, image_caption = excluded.image_caption,
			markdown = excluded.markdown, source = excluded.source, note = excluded.note,
			extracted_at = excluded.extracted_at, etag = excluded.etag,
			last_modified = excluded.last_modified`
		if _, err := tx.ExecContext(ctx, q, storyID, a.URL, a.Title, a.Author, a.Site,
			unix(a.Published), a.ImageURL, a.ImageCaption, pack(a.Markdown), a.Source, a.Note,
			unix(a.ExtractedAt), a.ETag, a.LastModified); err != nil {
			return translate(err)
		}
		upto, err := indexedUpto(ctx, tx)
		if err != nil || storyID > upto {
			return err // not indexed yet: the catch-up reads the article too
		}
		if _, err := tx.ExecContext(ctx, ftsDeleteSQL, storyID); err != nil {
			return translate(err)
		}
		_, err = tx.ExecContext(ctx, ftsInsertSQL, storyID, doc.text(newWords()))
		return translate(err)
	})
	if err != nil {
		return fmt.Errorf("save article of story %d: %w", storyID, err)
	}
	return nil
}

// Article returns the cached article of a story, or ErrNotFound when none is
// cached.
func (s *Store) Article(ctx context.Context, storyID int64) (model.Article, error) {
	const q = `SELECT url, title, author, site, published, image_url, image_caption, markdown,
		source, note, extracted_at, etag, last_modified FROM articles WHERE story_id = ?`
	var a model.Article
	var published, extracted int64
	var md any
	err := s.db.QueryRowContext(ctx, q, storyID).Scan(&a.URL, &a.Title, &a.Author, &a.Site,
		&published, &a.ImageURL, &a.ImageCaption, &md, &a.Source, &a.Note, &extracted, &a.ETag, &a.LastModified)
	if err == nil {
		a.Markdown, err = unpack(md)
	}
	if err != nil {
		return model.Article{}, fmt.Errorf("article of story %d: %w", storyID, translate(err))
	}
	a.Published, a.ExtractedAt = fromUnix(published), fromUnix(extracted)
	return a, nil
}
