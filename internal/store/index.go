package store

import (
	"context"
	"database/sql"
	"fmt"
	"runtime"
	"sync"
)

// Stories are indexed for search after they are stored, not while a refresh
// writes them. Building a story's index entry (folding its words, then FTS5
// inserting them) was a quarter of a cold refresh's CPU: 1.2 s of 4.6 s for
// 100,000 stories. The refresh only stores; the first search afterwards (or
// the TUI, beside the interface, once it has started and after each of its
// refreshes) indexes what is pending, in parallel, a few thousand stories
// per transaction.
//
// fts_state.indexed_upto is the boundary: a story with a larger id is
// pending, one with an id up to it is indexed. New stories take ids above
// every stored one, so they start pending. The writers keep the boundary
// true on their side: a story stored or changed with an id up to it (an
// update, or a new story reusing the id of deleted ones) is indexed in the
// same transaction, and the delete trigger removes only indexed entries.

// indexTxStories bounds the stories one catch-up transaction indexes, so
// that a long catch-up (100,000 stories after a first refresh) holds the
// write lock for tens of milliseconds at a time and the TUI's writes (mark
// read) slip in between.
const indexTxStories = 4096

// indexReadBatch is how many pending stories are read, then folded in
// parallel, at a time.
const indexReadBatch = 256

// indexedUpto reads the boundary inside tx.
func indexedUpto(ctx context.Context, tx *sql.Tx) (int64, error) {
	var upto int64
	if err := tx.QueryRowContext(ctx, `SELECT indexed_upto FROM fts_state`).Scan(&upto); err != nil {
		return 0, fmt.Errorf("read index state: %w", translate(err))
	}
	return upto, nil
}

// HasPending reports whether some story waits to be indexed: one seek in
// the rowid order (0.05 ms on 100k stories), so every search can afford it.
func (s *Store) HasPending(ctx context.Context) (bool, error) {
	var pending bool
	err := s.db.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM stories
		WHERE id > (SELECT indexed_upto FROM fts_state))`).Scan(&pending)
	return pending, translate(err)
}

// PendingEstimate returns about how many stories wait for the catch-up:
// the newest story id less the last one indexed. Story ids only grow, so
// the estimate is exact unless stories were deleted since (a feed removed),
// and it costs two lookups whatever the backlog, where a count would read
// every waiting row. The interfaces use it to say why a first search after
// a big refresh takes a while.
func (s *Store) PendingEstimate(ctx context.Context) (int, error) {
	var n int64
	err := s.db.QueryRowContext(ctx, `SELECT max(0, coalesce((SELECT max(id) FROM stories), 0)
		- (SELECT indexed_upto FROM fts_state))`).Scan(&n)
	return int(n), translate(err)
}

// IndexPending indexes every story stored since the last catch-up, with
// its cached article, and returns how many it indexed. It returns early,
// with ctx's error, when ctx is done; what it committed stays indexed.
func (s *Store) IndexPending(ctx context.Context) (int, error) {
	pending, err := s.HasPending(ctx)
	if err != nil || !pending {
		return 0, err
	}
	total := 0
	for {
		var n int
		var more bool
		err := s.write(ctx, func(tx *sql.Tx) error {
			var err error
			n, more, err = indexSome(ctx, tx, indexTxStories)
			return err
		})
		if err != nil {
			return total, fmt.Errorf("index stories: %w", err)
		}
		total += n
		if !more {
			return total, nil
		}
		if err := ctx.Err(); err != nil {
			return total, err
		}
	}
}

// pendingDoc is one story read for indexing.
type pendingDoc struct {
	id           int64
	title        string
	sum, con, md any
	text         string
}

// indexSome indexes up to limit pending stories, oldest id first, and moves
// the boundary past them. more reports that others may wait.
func indexSome(ctx context.Context, tx *sql.Tx, limit int) (n int, more bool, err error) {
	upto, err := indexedUpto(ctx, tx)
	if err != nil {
		return 0, false, err
	}
	n, last, err := indexStories(ctx, tx, upto, limit)
	if err != nil || n == 0 {
		return 0, false, err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE fts_state SET indexed_upto = ?`, last); err != nil {
		return 0, false, translate(err)
	}
	return n, n == limit, nil
}

// indexStories adds up to limit stories with ids above after, in id order,
// to the index, with their cached articles, and returns how many and the
// last id. It works a batch at a time, three batches in flight: while FTS5
// takes one batch and the batch after it is folded on the other cores, the
// one after that is read, so the serial insert and read overlap the
// parallel folding.
func indexStories(ctx context.Context, tx *sql.Tx, after int64, limit int) (n int, last int64, err error) {
	ins, err := tx.PrepareContext(ctx, ftsInsertSQL)
	if err != nil {
		return 0, 0, translate(err)
	}
	defer ins.Close()
	scratch := make([]*words, runtime.GOMAXPROCS(0))
	for i := range scratch {
		scratch[i] = newWords()
	}
	read, from := 0, after
	readNext := func() ([]pendingDoc, error) {
		if read >= limit {
			return nil, nil
		}
		docs, err := readPending(ctx, tx, from, min(indexReadBatch, limit-read))
		if len(docs) > 0 {
			read += len(docs)
			from = docs[len(docs)-1].id
		}
		return docs, err
	}
	var cur []pendingDoc // folded, to insert
	next, err := readNext()
	if err != nil {
		return 0, 0, err
	}
	last = after
	for len(cur) > 0 || len(next) > 0 {
		folded := make(chan struct{})
		go func() {
			foldDocs(next, scratch)
			close(folded)
		}()
		for i := range cur {
			if _, err = ins.ExecContext(ctx, cur[i].id, cur[i].text); err != nil {
				break
			}
		}
		var later []pendingDoc
		if err == nil {
			later, err = readNext()
		}
		<-folded
		if err != nil {
			return 0, 0, translate(err)
		}
		if len(cur) > 0 {
			last = cur[len(cur)-1].id
			n += len(cur)
		}
		cur, next = next, later
	}
	return n, last, nil
}

// readPending reads up to max stories after id after, in id order, with
// their cached articles.
func readPending(ctx context.Context, tx *sql.Tx, after int64, max int) ([]pendingDoc, error) {
	const q = `SELECT s.id, s.title, s.summary, s.content, a.markdown
		FROM stories s LEFT JOIN articles a ON a.story_id = s.id
		WHERE s.id > ? ORDER BY s.id LIMIT ?`
	rows, err := tx.QueryContext(ctx, q, after, max)
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	docs := make([]pendingDoc, 0, max)
	for rows.Next() {
		var d pendingDoc
		if err := rows.Scan(&d.id, &d.title, &d.sum, &d.con, &d.md); err != nil {
			return nil, translate(err)
		}
		docs = append(docs, d)
	}
	return docs, translate(rows.Err())
}

// foldDocs builds the index text of docs, spread over one goroutine per
// scratch set. A text that does not decompress (a damaged blob) is left
// out, so that one bad story still gets its title indexed and never stops
// every later story from being searchable.
func foldDocs(docs []pendingDoc, scratch []*words) {
	var wg sync.WaitGroup
	for w := range scratch {
		wg.Go(func() {
			for i := w; i < len(docs); i += len(scratch) {
				d := &docs[i]
				doc := indexDoc{title: d.title}
				doc.summary, _ = unpack(d.sum)
				doc.content, _ = unpack(d.con)
				doc.article, _ = unpack(d.md)
				d.text = doc.text(scratch[w])
				d.sum, d.con, d.md = nil, nil, nil
			}
		})
	}
	wg.Wait()
}
