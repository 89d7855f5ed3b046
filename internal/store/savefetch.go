package store

import (
	"context"
	"database/sql"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/cespare/xxhash/v2"

	"github.com/byline/byline/internal/model"
)

// FetchResult is the outcome of fetching one feed, as SaveFetch records it.
type FetchResult struct {
	FeedID         int64
	NewURL         string // permanent redirect target, "" if unchanged
	Title, SiteURL string // from the parsed feed; "" keeps the old value
	ETag           string
	LastModified   string
	Status         int
	Err            string
	RetryAfter     time.Time
	Dead           bool
	FetchedAt      time.Time
	Stories        []model.Story // nil on 304 or error
}

// SaveFetch records a fetch in one IMMEDIATE transaction: the feed's fetch
// state, then its stories, upserted on (feed, Key). It returns how many
// stories were new.
//
// A story already stored keeps its ID, read and starred flags, first-seen and
// published times; its other fields are updated when the feed changed them.
// Stories that dropped out of the feed are kept. A new story without a
// Published time is published when first seen. The validators are replaced
// after a successful 2xx fetch and otherwise only overwritten by non-empty
// values. A permanent redirect to a URL that another subscription already
// uses leaves the URL alone.
//
// SaveFetch takes r.Stories: it clears the Summary and Content of stories
// once it has compressed them.
func (s *Store) SaveFetch(ctx context.Context, r FetchResult) (inserted int, err error) {
	p, err := s.PrepareFetch(ctx, r)
	if err != nil {
		return 0, err
	}
	return s.CommitFetch(ctx, p)
}

// PreparedFetch is a FetchResult whose CPU work is done: hashed and
// compressed. CommitFetch writes it.
type PreparedFetch struct {
	req *saveReq
}

// PrepareFetch is the first half of SaveFetch, the part that needs the CPU
// and not the write lock; a refresh runs it on as many feeds at once as
// there are cores to spare beside the writer.
func (s *Store) PrepareFetch(ctx context.Context, r FetchResult) (*PreparedFetch, error) {
	if r.FetchedAt.IsZero() {
		r.FetchedAt = s.now()
	}
	preps, err := s.prepareStories(ctx, r.FeedID, r.Stories)
	if err != nil {
		return nil, fmt.Errorf("save fetch of feed %d: %w", r.FeedID, err)
	}
	return &PreparedFetch{&saveReq{r: r, preps: preps, done: make(chan bool, 1)}}, nil
}

// CommitFetch is the second half of SaveFetch: it writes p in a group commit
// and returns how many stories were new.
func (s *Store) CommitFetch(ctx context.Context, p *PreparedFetch) (inserted int, err error) {
	req := p.req
	s.commit(ctx, req)
	if req.err != nil {
		return 0, fmt.Errorf("save fetch of feed %d: %w", req.r.FeedID, req.err)
	}
	return req.inserted, nil
}

// saveReq is one SaveFetch waiting for its group commit.
type saveReq struct {
	r        FetchResult
	preps    []prepared
	inserted int
	err      error
	index    []indexOp // full-text index changes, applied after the savepoints
	done     chan bool // receives false when committed, true when asked to lead
}

// commit runs req through a group commit: concurrent SaveFetch calls (the
// workers of a refresh) queue up while one of them, the leader, writes the
// whole queue in one transaction (writeBatch), where one failing feed fails
// alone. Fewer, larger transactions are what make a cold refresh fast:
// every commit writes the pages it changed to the WAL again.
func (s *Store) commit(ctx context.Context, req *saveReq) {
	s.gmu.Lock()
	s.queue = append(s.queue, req)
	if s.leading {
		s.gmu.Unlock()
		if lead := <-req.done; !lead {
			return
		}
		s.gmu.Lock() // promoted: the previous leader handed over
	}
	s.leading = true
	batch := s.queue
	s.queue = nil
	s.gmu.Unlock()

	s.writeBatch(context.WithoutCancel(ctx), batch)

	s.gmu.Lock()
	if len(s.queue) > 0 {
		// Hand over to the oldest waiter rather than serving newcomers
		// forever, so no SaveFetch waits longer than about two batches.
		next := s.queue[0]
		s.gmu.Unlock()
		next.done <- true
	} else {
		s.leading = false
		s.gmu.Unlock()
	}
	for _, r := range batch {
		if r != req {
			r.done <- false
		}
	}
}

// indexOp is one change to the full-text index: delete the entry of id, or
// (add) index text as id.
type indexOp struct {
	id   int64
	add  bool
	text string
}

// writeBatch writes every request of batch in one transaction, so that one
// failing request fails alone.
//
// It first writes the batch without savepoints. A savepoint keeps a copy of
// every page its statements change, and one per request cost a cold 500x200
// refresh 10% of its time (16 KiB pages copied into the statement journal
// and freed again, 300 times a second). Requests fail rarely (a feed
// removed meanwhile, a constraint), so when one does the whole transaction
// is rolled back and the batch written again with a savepoint per request:
// the failing request rolls back to its own and the others are committed.
//
// The full-text index is written last, after every request: FTS5 flushes
// its pending terms into a new segment at every SAVEPOINT, so indexing
// between savepoints would cost a segment per request.
func (s *Store) writeBatch(ctx context.Context, batch []*saveReq) {
	err := s.write(ctx, func(tx *sql.Tx) error { return writeRequests(ctx, tx, batch, false) })
	if errors.Is(err, errRequestFailed) {
		err = s.write(ctx, func(tx *sql.Tx) error { return writeRequests(ctx, tx, batch, true) })
	}
	if err != nil {
		for _, req := range batch {
			req.inserted, req.err = 0, err
		}
	}
}

// errRequestFailed stops a batch written without savepoints when one of its
// requests fails: writeBatch rolls it back and writes it again with them.
var errRequestFailed = errors.New("a request of the batch failed")

// writeRequests writes batch in tx, each request in a savepoint of its own
// when savepoints is set. Without, a failing request fails the transaction
// with errRequestFailed.
func writeRequests(ctx context.Context, tx *sql.Tx, batch []*saveReq, savepoints bool) error {
	var u *upserter
	defer func() {
		if u != nil {
			u.close()
		}
		for _, req := range batch {
			req.index = nil
		}
	}()
	for _, req := range batch {
		req.index = nil
		if savepoints {
			if _, err := tx.ExecContext(ctx, `SAVEPOINT fetch`); err != nil {
				return translate(err)
			}
		}
		req.inserted, req.err = saveOne(ctx, tx, &u, req)
		if req.err != nil {
			req.inserted = 0
			if !savepoints {
				return errRequestFailed
			}
		}
		if savepoints {
			release := `RELEASE fetch`
			if req.err != nil {
				release = `ROLLBACK TO fetch; RELEASE fetch`
			}
			if _, err := tx.ExecContext(ctx, release); err != nil {
				return translate(err)
			}
		}
	}
	if u == nil {
		return nil
	}
	for _, req := range batch {
		if req.err == nil {
			if err := u.applyIndex(ctx, req.index); err != nil {
				return err
			}
		}
	}
	return nil
}

// saveOne writes one FetchResult inside the batch's transaction; *up holds the
// statements, prepared on first need and shared by the batch.
func saveOne(ctx context.Context, tx *sql.Tx, up **upserter, req *saveReq) (inserted int, err error) {
	r := req.r
	if err := saveFeedState(ctx, tx, r); err != nil {
		return 0, err
	}
	if len(r.Stories) == 0 {
		return 0, nil
	}
	if *up == nil {
		if *up, err = newUpserter(ctx, tx, r.FeedID, unix(r.FetchedAt)); err != nil {
			return 0, err
		}
	}
	u := *up
	u.feedID, u.now, u.index = r.FeedID, unix(r.FetchedAt), &req.index
	for i := range r.Stories {
		isNew, err := u.upsert(ctx, &r.Stories[i], &req.preps[i])
		if err != nil {
			return 0, fmt.Errorf("story %q: %w", r.Stories[i].Key, err)
		}
		if isNew {
			inserted++
		}
	}
	return inserted, nil
}

// saveFeedState updates the feed row; the 304 path of a refresh is this one
// statement.
func saveFeedState(ctx context.Context, tx *sql.Tx, r FetchResult) error {
	validators := `etag = coalesce(nullif(?1, ''), etag), last_modified = coalesce(nullif(?2, ''), last_modified)`
	if r.Err == "" && r.Status >= 200 && r.Status < 300 {
		validators = `etag = ?1, last_modified = ?2`
	}
	q := `UPDATE feeds SET ` + validators + `,
		last_fetch = ?3, last_status = ?4, last_error = ?5, retry_after = ?6, dead = ?7,
		title = coalesce(nullif(?8, ''), title), site_url = coalesce(nullif(?9, ''), site_url)
		WHERE id = ?10`
	err := mustAffect(tx.ExecContext(ctx, q, r.ETag, r.LastModified, unix(r.FetchedAt), r.Status,
		r.Err, unix(r.RetryAfter), boolInt(r.Dead), r.Title, r.SiteURL, r.FeedID))
	if err != nil {
		return err
	}
	if r.NewURL == "" {
		return nil
	}
	const move = `UPDATE feeds SET url = ?1 WHERE id = ?2
		AND NOT EXISTS (SELECT 1 FROM feeds WHERE url = ?1)`
	_, err = tx.ExecContext(ctx, move, r.NewURL, r.FeedID)
	return translate(err)
}

// upserter holds the statements SaveFetch prepares once per transaction.
type upserter struct {
	feedID, now                          int64
	upto                                 int64     // fts_state.indexed_upto
	find, insert, update, ftsDel, ftsIns *sql.Stmt // insert skips a key already stored
	article                              *sql.Stmt
	words                                *words     // scratch for index text
	index                                *[]indexOp // where index changes go
}

func newUpserter(ctx context.Context, tx *sql.Tx, feedID, now int64) (*upserter, error) {
	upto, err := indexedUpto(ctx, tx)
	if err != nil {
		return nil, err
	}
	u := &upserter{feedID: feedID, now: now, upto: upto, words: newWords()}
	u.index = new([]indexOp)
	stmts := []struct {
		dst **sql.Stmt
		sql string
	}{
		{&u.find, `SELECT id, hash FROM stories WHERE feed_id = ? AND key = ?`},
		{&u.insert, `INSERT INTO stories (feed_id, key, guid, url, title, author, published,
			updated, summary, content, categories, enclosures, first_seen, hash)
			VALUES (?1, ?2, nullif(?3, ?2), nullif(?4, ?2), ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)
			ON CONFLICT (feed_id, key) DO NOTHING`},
		{&u.update, `UPDATE stories SET guid = nullif(?2, key), url = nullif(?3, key), title = ?4,
			author = ?5, updated = ?6, summary = ?7, content = ?8, categories = ?9, enclosures = ?10,
			hash = ?11 WHERE id = ?1`},
		{&u.ftsDel, ftsDeleteSQL},
		{&u.ftsIns, ftsInsertSQL},
		{&u.article, `SELECT markdown FROM articles WHERE story_id = ?`},
	}
	for _, st := range stmts {
		p, err := tx.PrepareContext(ctx, st.sql)
		if err != nil {
			u.close()
			return nil, translate(err)
		}
		*st.dst = p
	}
	return u, nil
}

func (u *upserter) close() {
	for _, st := range []*sql.Stmt{u.find, u.insert, u.update, u.ftsDel, u.ftsIns, u.article} {
		if st != nil {
			st.Close()
		}
	}
}

// prepared is the CPU work for storing one story, done before the write
// lock is taken so that concurrent refresh workers compress and strip HTML in
// parallel and the lock is held only for SQLite's own work.
type prepared struct {
	cats, encs       string
	hash             int64
	packed           bool
	fresh            bool   // the key was not stored when prepareStories looked
	same             bool   // it was, with this hash: nothing to write
	summary, content any    // pack()ed, when packed
	indexed          bool   // index is built
	index            string // index text without article text, when indexed
}

func (p *prepared) pack(st *model.Story) {
	if p.packed {
		return
	}
	p.summary, p.content = pack(st.Summary), pack(st.Content)
	p.packed = true
}

// indexText returns the story's index text without its article, building
// it on first need: from the story, or from the packed values once
// prepareStories has dropped the story's text.
func (p *prepared) indexText(st *model.Story, w *words) (string, error) {
	if p.indexed {
		return p.index, nil
	}
	doc := indexDoc{title: st.Title, summary: st.Summary, content: st.Content}
	if p.packed {
		var err error
		if doc.summary, err = unpack(p.summary); err == nil {
			doc.content, err = unpack(p.content)
		}
		if err != nil {
			return "", err
		}
	}
	p.index, p.indexed = doc.text(w), true
	return p.index, nil
}

// prepare encodes and hashes one story.
func prepare(st *model.Story) (prepared, error) {
	var p prepared
	var err error
	if p.cats, err = encodeList(st.Categories); err != nil {
		return p, err
	}
	if p.encs, err = encodeList(st.Enclosures); err != nil {
		return p, err
	}
	p.hash = storyHash(st, p.cats, p.encs)
	return p, nil
}

// prepareStories hashes every story and packs those that, going by a read
// outside the write transaction, are new or changed. upsert packs the
// others itself should they have changed in the meantime.
func (s *Store) prepareStories(ctx context.Context, feedID int64, stories []model.Story) ([]prepared, error) {
	if len(stories) == 0 {
		return nil, nil
	}
	preps := make([]prepared, len(stories))
	keys := make([]any, 0, len(stories))
	for i := range stories {
		var err error
		if preps[i], err = prepare(&stories[i]); err != nil {
			return nil, fmt.Errorf("story %q: %w", stories[i].Key, err)
		}
		keys = append(keys, stories[i].Key)
	}
	known := make(map[string]int64, len(stories))
	// A feed with no stories yet (every feed of a cold refresh) has none to
	// look up: one probe instead of a lookup per story.
	var stored int
	if err := s.db.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM stories WHERE feed_id = ?)`,
		feedID).Scan(&stored); err != nil {
		return nil, translate(err)
	}
	if stored == 0 {
		keys = nil
	}
	for start := 0; start < len(keys); start += chunkSize {
		chunk := keys[start:min(start+chunkSize, len(keys))]
		q := `SELECT key, hash FROM stories WHERE feed_id = ? AND key IN (?` +
			strings.Repeat(",?", len(chunk)-1) + `)`
		rows, err := s.db.QueryContext(ctx, q, append([]any{feedID}, chunk...)...)
		if err != nil {
			return nil, translate(err)
		}
		for rows.Next() {
			var k string
			var h int64
			if err := rows.Scan(&k, &h); err != nil {
				rows.Close()
				return nil, translate(err)
			}
			known[k] = h
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, translate(err)
		}
	}
	var w *words // scratch for changed stories' index text; a cold refresh has none
	for i := range stories {
		h, ok := known[stories[i].Key]
		preps[i].fresh = !ok
		preps[i].same = ok && h == preps[i].hash
		if !ok || h != preps[i].hash {
			preps[i].pack(&stories[i])
			if ok {
				// A changed story is most likely indexed already and is
				// indexed again as it is written: fold it here, in parallel.
				// A new one waits for the catch-up (index.go).
				if w == nil {
					w = newWords()
				}
				if _, err := preps[i].indexText(&stories[i], w); err != nil {
					return nil, err
				}
			}
			// The packed form is all the write needs: drop the text so a
			// feed waiting for the group commit holds only that.
			stories[i].Summary, stories[i].Content = "", ""
		}
	}
	return preps, nil
}

// upsert stores one story and reports whether it was new. A story that
// prepareStories found stored with the same hash costs nothing here: that is
// almost every story of a re-fetch, and the lookup it saves was a third of
// the serial writer's time in an incremental refresh.
func (u *upserter) upsert(ctx context.Context, st *model.Story, p *prepared) (bool, error) {
	if p.same {
		// Stored unchanged when prepared, a moment ago: no lookup. Should
		// another process have changed or deleted it since, its version
		// stands until the next fetch.
		return false, nil
	}
	if p.fresh {
		// Most likely new (a cold refresh: every story): insert without the
		// lookup, and take the lookup path only if the key turned up since.
		if isNew, err := u.add(ctx, st, p); isNew || err != nil {
			return isNew, err
		}
	}
	var id, oldHash int64
	err := u.find.QueryRowContext(ctx, u.feedID, st.Key).Scan(&id, &oldHash)
	switch err {
	case sql.ErrNoRows:
		return u.add(ctx, st, p)
	case nil:
	default:
		return false, translate(err)
	}
	if oldHash == p.hash {
		return false, nil
	}
	p.pack(st)
	if _, err := u.update.ExecContext(ctx, id, st.GUID, st.URL, st.Title, st.Author,
		unix(st.Updated), p.summary, p.content, p.cats, p.encs, p.hash); err != nil {
		return false, translate(err)
	}
	if id > u.upto {
		return false, nil // not indexed yet: the catch-up reads the new text
	}
	text, err := p.indexText(st, u.words)
	if err != nil {
		return false, err
	}
	var md any
	switch err := u.article.QueryRowContext(ctx, id).Scan(&md); err {
	case nil:
		article, err := unpack(md)
		if err != nil {
			return false, err
		}
		// text is folded words already: adding them again keeps them.
		u.words.reset()
		u.words.add(text)
		u.words.add(article)
		text = string(u.words.out)
	case sql.ErrNoRows:
	default:
		return false, translate(err)
	}
	*u.index = append(*u.index, indexOp{id: id}, indexOp{id: id, add: true, text: text})
	return false, nil
}

// add inserts st; it reports false, and writes nothing, when the key is
// already stored. The new story is indexed later (index.go), unless it
// takes an id the index has passed already.
func (u *upserter) add(ctx context.Context, st *model.Story, p *prepared) (bool, error) {
	p.pack(st)
	published := unix(st.Published)
	if published == 0 {
		published = u.now
	}
	res, err := u.insert.ExecContext(ctx, u.feedID, st.Key, st.GUID, st.URL, st.Title, st.Author,
		published, unix(st.Updated), p.summary, p.content, p.cats, p.encs, u.now, p.hash)
	if err != nil {
		return false, translate(err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return false, err
	}
	id, err := res.LastInsertId()
	if err != nil {
		return false, err
	}
	if id <= u.upto {
		text, err := p.indexText(st, u.words)
		if err != nil {
			return false, err
		}
		*u.index = append(*u.index, indexOp{id: id, add: true, text: text})
	}
	return true, nil
}

// applyIndex makes the index changes ops.
func (u *upserter) applyIndex(ctx context.Context, ops []indexOp) error {
	for _, op := range ops {
		var err error
		if op.add {
			_, err = u.ftsIns.ExecContext(ctx, op.id, op.text)
		} else {
			_, err = u.ftsDel.ExecContext(ctx, op.id)
		}
		if err != nil {
			return translate(err)
		}
	}
	return nil
}

// storyHash is a 64-bit xxHash (XXH64) of every field an update may change,
// each prefixed with its length so that field boundaries count.
func storyHash(st *model.Story, cats, encs string) int64 {
	h := xxhash.New()
	var n [8]byte
	for _, f := range [...]string{st.GUID, st.URL, st.Title, st.Author,
		strconv.FormatInt(unix(st.Updated), 10), st.Summary, st.Content, cats, encs} {
		binary.LittleEndian.PutUint64(n[:], uint64(len(f)))
		h.Write(n[:])
		h.WriteString(f)
	}
	return int64(h.Sum64())
}

// encodeList stores a slice as JSON, and an empty one as "".
func encodeList[T any](v []T) (string, error) {
	if len(v) == 0 {
		return "", nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("encode list: %w", err)
	}
	return string(b), nil
}

// decodeList reverses encodeList.
func decodeList[T any](s string) ([]T, error) {
	if s == "" {
		return nil, nil
	}
	var v []T
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		return nil, fmt.Errorf("decode list: %w", ErrCorrupt)
	}
	return v, nil
}
