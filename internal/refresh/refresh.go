// Package refresh orchestrates byline's stages: it takes feeds from the
// store, fetches them, parses them and writes the stories back, and it turns a
// story into a reader-mode article on demand.
package refresh

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/byline/byline/internal/extract"
	"github.com/byline/byline/internal/feed"
	"github.com/byline/byline/internal/fetch"
	"github.com/byline/byline/internal/model"
	"github.com/byline/byline/internal/store"
)

// Status values of a Result.
const (
	StatusUpdated     = "updated"      // fetched and parsed (new stories or not)
	StatusNotModified = "not-modified" // 304: nothing parsed, nothing written but the fetch time
	StatusError       = "error"        // fetch or parse failed
	StatusSkipped     = "skipped"      // Retry-After in force
	StatusDead        = "dead"         // 410 Gone: not polled
)

// feedAccept is the Accept header sent for feeds.
const feedAccept = "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, */*;q=0.5"

// Refresher fetches feeds and articles and keeps the store up to date.
type Refresher struct {
	Store   *store.Store
	Client  *fetch.Client
	Workers int              // feeds in flight at once (default 16)
	Now     func() time.Time // clock, time.Now when nil
	Extract extract.Options
	// StepAside is how long a feed may hold a worker before stepping aside
	// (default 2s; see defaultStepAside).
	StepAside time.Duration
	// ExtractTimeout bounds one article extraction (default 10s); past it the
	// feed's own content is shown instead.
	ExtractTimeout time.Duration
}

// Result is the outcome of refreshing one feed.
type Result struct {
	FeedID     int64         `json:"id"`
	URL        string        `json:"url"`
	Title      string        `json:"title"`
	Status     string        `json:"status"`
	HTTPStatus int           `json:"http_status,omitempty"`
	New        int           `json:"new"`
	Err        error         `json:"-"`
	Duration   time.Duration `json:"-"`
}

func (r *Refresher) now() time.Time {
	if r.Now != nil {
		return r.Now()
	}
	return time.Now()
}

// defaultStepAside is how long a feed may hold one of the Workers slots. A feed
// still busy after it (a server dripping bytes until the deadline) steps
// aside: it goes on as a straggler and its slot goes to the next feed, so a
// few slow servers cannot hold up a whole refresh. At most maxStragglers per
// worker do so at once.
const (
	defaultStepAside = 2 * time.Second
	maxStragglers    = 8
	// cpuHold is how long one feed may keep a cpu token (cpu.go).
	cpuHold = 250 * time.Millisecond
)

// Refresh fetches feeds concurrently and stores what changed. progress, when
// not nil, is called once per feed as it finishes, from worker goroutines.
// One failing feed never stops or slows the others. Results come back in
// input order.
func (r *Refresher) Refresh(ctx context.Context, feeds []model.Feed, progress func(Result)) []Result {
	workers := r.Workers
	if workers <= 0 {
		workers = 16
	}
	stepAfter := r.StepAside
	if stepAfter <= 0 {
		stepAfter = defaultStepAside
	}
	results := make([]Result, len(feeds))
	slots := make(chan struct{}, workers)
	aside := make(chan struct{}, workers*maxStragglers)
	// A feed waiting for the store's group commit gives its worker slot to the
	// next feed, so fetching and parsing go on while the store writes; the
	// pending pool bounds how many parsed feeds wait in memory.
	// SaveFetch keeps only the compressed text of a waiting feed (about
	// half a MB for 200 stories), so every worker's feed may wait: when the
	// store is the bottleneck, its group commits then take up to that many
	// feeds at once. Each commit rewrites the index pages its stories land
	// on (with a cold import's spread of dates, most of the by-date
	// indexes), so fewer, larger commits are what keep a large cold refresh
	// linear.
	pending := make(chan struct{}, workers)
	cpu := newCPUTokens()
	var wg sync.WaitGroup
	for _, i := range interleaveHosts(feeds) {
		select {
		case slots <- struct{}{}:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			j := &job{slots: slots, aside: aside, pending: pending}
			t := time.AfterFunc(stepAfter, j.stepAside)
			results[i] = r.refreshOne(ctx, feeds[i], j.saving, cpu)
			t.Stop()
			j.finish()
			if progress != nil {
				progress(results[i])
			}
		}()
	}
	wg.Wait()
	for i := range results {
		if results[i].Status == "" { // never started: cancelled
			results[i] = Result{FeedID: feeds[i].ID, URL: feeds[i].URL, Title: feeds[i].DisplayTitle(),
				Status: StatusError, Err: fmt.Errorf("%s: cancelled", feeds[i].URL)}
		}
	}
	return results
}

// job is one feed's hold on the worker slots: a worker slot, a straggler
// token once it stepped aside, or a pending token while the store saves it.
type job struct {
	mu                    sync.Mutex
	slots, aside, pending chan struct{}
	done, isAside, isSave bool
}

// stepAside trades the job's worker slot for a straggler token, when one is
// free.
func (j *job) stepAside() {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.done || j.isSave || j.isAside {
		return
	}
	select {
	case j.aside <- struct{}{}:
		j.isAside = true
		<-j.slots
	default:
	}
}

// saving trades what the job holds for a pending token: the feed is parsed
// and waits only for the store.
func (j *job) saving() {
	j.pending <- struct{}{}
	j.mu.Lock()
	defer j.mu.Unlock()
	j.releaseLocked()
	j.isSave = true
}

// finish gives back whatever the job holds.
func (j *job) finish() {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.done = true
	if j.isSave {
		<-j.pending
		return
	}
	j.releaseLocked()
}

func (j *job) releaseLocked() {
	if j.isAside {
		<-j.aside
		j.isAside = false
	} else {
		<-j.slots
	}
}

// interleaveHosts orders feed indexes round-robin across hosts, so the
// per-host cap of the client does not leave workers queued behind one host.
func interleaveHosts(feeds []model.Feed) []int {
	byHost := map[string][]int{}
	var hosts []string
	for i, f := range feeds {
		h := f.URL
		if u, err := url.Parse(f.URL); err == nil {
			h = u.Host
		}
		if _, ok := byHost[h]; !ok {
			hosts = append(hosts, h)
		}
		byHost[h] = append(byHost[h], i)
	}
	order := make([]int, 0, len(feeds))
	for len(order) < len(feeds) {
		for _, h := range hosts {
			if q := byHost[h]; len(q) > 0 {
				order = append(order, q[0])
				byHost[h] = q[1:]
			}
		}
	}
	return order
}

// refreshOne fetches, parses and stores one feed. beforeSave, when not nil,
// is called once, just before the result is handed to the store. A cpu
// token is held while the feed is parsed and prepared, and the commit is
// counted as writing (cpu.go).
func (r *Refresher) refreshOne(ctx context.Context, f model.Feed, beforeSave func(), cpu *cpuTokens) (res Result) {
	turn := func() { // once, before the first hand-over to the store
		if beforeSave != nil {
			beforeSave()
			beforeSave = nil
		}
	}
	save := func(fr store.FetchResult) (int, error) {
		turn()
		return r.Store.SaveFetch(ctx, fr)
	}
	start := time.Now()
	res = Result{FeedID: f.ID, URL: f.URL, Title: f.DisplayTitle()}
	defer func() {
		if p := recover(); p != nil {
			res.Status, res.Err = StatusError, fmt.Errorf("%s: internal error: %v", f.URL, p)
		}
		res.Duration = time.Since(start)
	}()
	now := r.now()
	switch {
	case f.Dead:
		res.Status = StatusDead
		res.Err = fmt.Errorf("%s: gone (410); not polled any more, remove it with byline remove", f.URL)
		return res
	case f.RetryAfter.After(now):
		res.Status = StatusSkipped
		res.Err = fmt.Errorf("%s: server asked to wait until %s", f.URL, f.RetryAfter.Local().Format(time.DateTime))
		return res
	}
	resp, err := r.Client.Get(ctx, fetch.Request{URL: f.URL, ETag: f.ETag, LastModified: f.LastModified, Accept: feedAccept})
	fr := store.FetchResult{FeedID: f.ID, FetchedAt: now, ETag: f.ETag, LastModified: f.LastModified}
	if err != nil {
		r.failed(&res, &fr, err, save)
		return res
	}
	res.HTTPStatus, fr.Status = resp.Status, resp.Status
	if resp.PermanentURL != "" && resp.PermanentURL != f.URL {
		if _, err := r.Store.FeedByURL(ctx, resp.PermanentURL); errors.Is(err, store.ErrNotFound) {
			fr.NewURL = resp.PermanentURL
			res.URL = resp.PermanentURL
		}
	}
	if resp.NotModified {
		res.Status = StatusNotModified
		if resp.ETag != "" {
			fr.ETag = resp.ETag
		}
		if resp.LastModified != "" {
			fr.LastModified = resp.LastModified
		}
		if _, err := save(fr); err != nil {
			res.Status, res.Err = StatusError, fmt.Errorf("%s: save: %w", f.URL, err)
		}
		return res
	}
	release, _ := cpu.acquire(ctx) // once ctx is done, without a token
	defer release()
	parsed, err := parseSafely(resp, f.URL, now)
	resp.Release() // the parsed feed holds copies
	if err != nil {
		release()
		r.failed(&res, &fr, err, save)
		return res
	}
	fr.ETag, fr.LastModified = resp.ETag, resp.LastModified
	fr.Title, fr.SiteURL, fr.Stories = parsed.Title, parsed.SiteURL, parsed.Items
	if fr.Stories == nil {
		fr.Stories = []model.Story{}
	}
	prep, err := r.Store.PrepareFetch(ctx, fr)
	release()
	n := 0
	if err == nil {
		turn()
		cpu.write(func() { n, err = r.Store.CommitFetch(ctx, prep) })
	}
	if err != nil {
		res.Status, res.Err = StatusError, fmt.Errorf("%s: save: %w", f.URL, err)
		return res
	}
	res.Status, res.New = StatusUpdated, n
	if parsed.Title != "" && f.CustomTitle == "" {
		res.Title = parsed.Title
	}
	return res
}

// failed records a fetch or parse failure on the feed and in res.
func (r *Refresher) failed(res *Result, fr *store.FetchResult, err error, save func(store.FetchResult) (int, error)) {
	res.Status, res.Err = StatusError, err
	fr.Err = err.Error()
	var se *fetch.StatusError
	if errors.As(err, &se) {
		res.HTTPStatus, fr.Status = se.Code, se.Code
		if se.Code == 410 {
			fr.Dead = true
			res.Status = StatusDead
		}
		if !se.RetryAfter.IsZero() {
			fr.RetryAfter = se.RetryAfter
		}
	}
	if _, serr := save(*fr); serr != nil {
		res.Err = fmt.Errorf("%w (and saving the error failed: %v)", err, serr)
	}
}

// parseSafely parses a feed body; a panic in the parser becomes an error for
// this feed alone.
func parseSafely(resp *fetch.Response, feedURL string, now time.Time) (pf model.ParsedFeed, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("parse feed %s: parser crashed: %v", feedURL, p)
		}
	}()
	base := resp.URL
	if base == "" {
		base = feedURL
	}
	// feed.Parse names the feed in its errors already.
	return feed.Parse(resp.Body, resp.ContentType, base, now)
}

// Feeds selects feeds by id or URL from args; no args means all feeds.
func (r *Refresher) Feeds(ctx context.Context, args []string) ([]model.Feed, error) {
	all, err := r.Store.Feeds(ctx)
	if err != nil {
		return nil, err
	}
	if len(args) == 0 {
		return all, nil
	}
	var out []model.Feed
	for _, a := range args {
		f, ok := FindFeed(all, a)
		if !ok {
			return nil, fmt.Errorf("no feed %q: see byline feeds", a)
		}
		out = append(out, f)
	}
	return out, nil
}

// FindFeed finds a feed by numeric id or by URL (exact, or ignoring a trailing
// slash and the scheme).
func FindFeed(feeds []model.Feed, arg string) (model.Feed, bool) {
	norm := func(s string) string {
		s = strings.TrimPrefix(strings.TrimPrefix(s, "https://"), "http://")
		return strings.TrimSuffix(s, "/")
	}
	for _, f := range feeds {
		if fmt.Sprint(f.ID) == arg || f.URL == arg {
			return f, true
		}
	}
	for _, f := range feeds {
		if norm(f.URL) == norm(arg) {
			return f, true
		}
	}
	return model.Feed{}, false
}
