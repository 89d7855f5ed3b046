// Command feedserver serves a deterministic set of synthetic RSS 2.0 and Atom
// feeds on loopback for byline's benchmarks (see docs/benchmarks.md).
//
// It prints its base URL on the first line of stdout, then serves until it has
// been idle for -idle or alive for -max-lifetime, or until GET /quit.
//
// Endpoints: /feed/F, /article/F/I, /site/F, /img/F/I.jpg, /opml, /urls,
// /add?k=K (adds K items to every feed), /stats[?reset=1], /newest, /quit.
package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "feedserver:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	fs := flag.NewFlagSet("feedserver", flag.ContinueOnError)
	feeds := fs.Int("feeds", 50, "number of feeds")
	items := fs.Int("items", 50, "items per feed document")
	addr := fs.String("addr", "127.0.0.1:0", "listen address (loopback only)")
	seed := fs.Uint64("seed", 1, "content seed")
	idle := fs.Duration("idle", 10*time.Minute, "exit after this long without a request")
	maxLife := fs.Duration("max-lifetime", 3*time.Hour, "exit after this long regardless")
	logReqs := fs.Bool("log-requests", false, "log every request with its conditional headers to stderr")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *feeds < 1 || *items < 1 {
		return errors.New("-feeds and -items must be at least 1")
	}
	host, _, err := net.SplitHostPort(*addr)
	if err != nil {
		return fmt.Errorf("parse -addr: %w", err)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return fmt.Errorf("-addr %s: only loopback addresses are allowed", *addr)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	s := newServer(*feeds, *items, *seed, "http://"+ln.Addr().String())
	s.logRequests = *logReqs
	t0 := time.Now()
	s.prerender()
	slog.Info("prerendered", "feeds", *feeds, "items", *items, "took", time.Since(t0).Round(time.Millisecond))

	srv := &http.Server{Handler: s.routes(), ReadHeaderTimeout: 10 * time.Second}
	ctx, cancel := context.WithTimeout(context.Background(), *maxLife)
	defer cancel()
	go s.watchIdle(ctx, cancel, *idle)
	go func() {
		<-ctx.Done()
		sctx, c := context.WithTimeout(context.Background(), 5*time.Second)
		defer c()
		_ = srv.Shutdown(sctx)
	}()
	fmt.Println(s.base)
	os.Stdout.Sync()
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	slog.Info("feedserver stopped", "reason", context.Cause(ctx))
	return nil
}

// server holds the configuration and the cache of rendered feed documents.
type server struct {
	feeds, items int
	base         string
	gen          gen

	addMu sync.Mutex   // serialises /add
	added atomic.Int64 // items added to every feed by /add
	cache []feedCache

	lastReq     atomic.Int64 // unix nanos of the last request
	logRequests bool
	quit        chan struct{}
	stats       stats
}

type stats struct {
	Requests, Feed200, Feed304, Articles, Other, BytesOut, GzipResponses atomic.Int64
}

type feedCache struct {
	mu  sync.Mutex
	doc atomic.Pointer[doc]
}

// doc is one rendered feed document at one version (item count).
type doc struct {
	count        int
	body, gz     []byte
	etag         string
	lastModified time.Time
	contentType  string
}

func newServer(feeds, items int, seed uint64, base string) *server {
	s := &server{feeds: feeds, items: items, base: base, gen: gen{seed: seed},
		cache: make([]feedCache, feeds), quit: make(chan struct{})}
	s.lastReq.Store(time.Now().UnixNano())
	return s
}

func (s *server) count() int { return s.items + int(s.added.Load()) }

// prerender renders every feed at the current version in parallel, so the
// timed fetches only copy cached bytes.
func (s *server) prerender() {
	n := runtime.GOMAXPROCS(0)
	next := atomic.Int64{}
	var wg sync.WaitGroup
	for w := 0; w < n; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				f := int(next.Add(1) - 1)
				if f >= s.feeds {
					return
				}
				s.feedDoc(f)
			}
		}()
	}
	wg.Wait()
}

func (s *server) feedDoc(f int) *doc {
	c := &s.cache[f]
	count := s.count()
	if d := c.doc.Load(); d != nil && d.count == count {
		return d
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if d := c.doc.Load(); d != nil && d.count == count {
		return d
	}
	var b strings.Builder
	d := &doc{count: count, lastModified: published(f, count-1).Truncate(time.Second)}
	if isAtom(f) {
		s.renderAtom(&b, f, count)
		d.contentType = "application/atom+xml; charset=utf-8"
	} else {
		s.renderRSS(&b, f, count)
		d.contentType = "application/rss+xml; charset=utf-8"
	}
	d.body = []byte(b.String())
	var gz bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&gz, gzip.DefaultCompression)
	zw.Write(d.body)
	zw.Close()
	d.gz = gz.Bytes()
	// Weak, like nginx with gzip on: the same validator for both encodings.
	d.etag = fmt.Sprintf(`W/"bb-%x-%d-%d"`, s.gen.seed, f, count)
	c.doc.Store(d)
	return d
}

func (s *server) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /feed/{f}", s.handleFeed)
	mux.HandleFunc("GET /article/{f}/{i}", s.handleArticle)
	mux.HandleFunc("GET /site/{f}", s.handleSite)
	mux.HandleFunc("GET /img/{f}/{i}", s.handleImage)
	mux.HandleFunc("GET /opml", s.handleOPML)
	mux.HandleFunc("GET /urls", s.handleURLs)
	mux.HandleFunc("GET /add", s.handleAdd)
	mux.HandleFunc("GET /stats", s.handleStats)
	mux.HandleFunc("GET /newest", s.handleNewest)
	mux.HandleFunc("GET /quit", s.handleQuit)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.lastReq.Store(time.Now().UnixNano())
		s.stats.Requests.Add(1)
		if s.logRequests {
			slog.Info("request", "path", r.URL.RequestURI(), "ua", r.UserAgent(),
				"inm", r.Header.Get("If-None-Match"), "ims", r.Header.Get("If-Modified-Since"),
				"ae", r.Header.Get("Accept-Encoding"))
		}
		mux.ServeHTTP(w, r)
	})
}

func (s *server) watchIdle(ctx context.Context, cancel context.CancelFunc, idle time.Duration) {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-s.quit:
			slog.Info("quit requested")
			cancel()
			return
		case <-t.C:
			if time.Since(time.Unix(0, s.lastReq.Load())) > idle {
				slog.Info("idle timeout", "idle", idle)
				cancel()
				return
			}
		}
	}
}

func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		name = strings.ToLower(strings.TrimSpace(name))
		if name != "gzip" && name != "x-gzip" && name != "*" {
			continue
		}
		if q, ok := strings.CutPrefix(strings.ReplaceAll(params, " ", ""), "q="); ok {
			if v, err := strconv.ParseFloat(q, 64); err == nil && v == 0 {
				continue
			}
		}
		return true
	}
	return false
}

// etagMatch implements the weak comparison If-None-Match uses.
func etagMatch(header, etag string) bool {
	strip := func(t string) string { return strings.TrimPrefix(strings.TrimSpace(t), "W/") }
	for _, t := range strings.Split(header, ",") {
		if t = strings.TrimSpace(t); t == "*" || strip(t) == strip(etag) {
			return true
		}
	}
	return false
}

func notModified(r *http.Request, d *doc) bool {
	if inm := r.Header.Get("If-None-Match"); inm != "" {
		return etagMatch(inm, d.etag)
	}
	if ims := r.Header.Get("If-Modified-Since"); ims != "" {
		t, err := http.ParseTime(ims)
		return err == nil && !d.lastModified.After(t)
	}
	return false
}

func (s *server) feedIndex(v string) (int, bool) {
	f, err := strconv.Atoi(strings.TrimSuffix(strings.TrimSuffix(v, ".xml"), ".atom"))
	return f, err == nil && f >= 0 && f < s.feeds
}

func (s *server) handleFeed(w http.ResponseWriter, r *http.Request) {
	f, ok := s.feedIndex(r.PathValue("f"))
	if !ok {
		http.NotFound(w, r)
		return
	}
	d := s.feedDoc(f)
	h := w.Header()
	h.Set("ETag", d.etag)
	h.Set("Last-Modified", d.lastModified.Format(http.TimeFormat))
	h.Set("Vary", "Accept-Encoding")
	h.Set("Cache-Control", "max-age=0")
	if notModified(r, d) {
		s.stats.Feed304.Add(1)
		w.WriteHeader(http.StatusNotModified)
		return
	}
	s.stats.Feed200.Add(1)
	h.Set("Content-Type", d.contentType)
	body := d.body
	if acceptsGzip(r) {
		body = d.gz
		h.Set("Content-Encoding", "gzip")
		s.stats.GzipResponses.Add(1)
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	s.stats.BytesOut.Add(int64(len(body)))
	w.Write(body)
}

// write sends a small dynamic response, gzipped when the client allows it.
func (s *server) write(w http.ResponseWriter, r *http.Request, body []byte) {
	w.Header().Set("Vary", "Accept-Encoding")
	if acceptsGzip(r) {
		var gz bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&gz, gzip.BestSpeed)
		zw.Write(body)
		zw.Close()
		body = gz.Bytes()
		w.Header().Set("Content-Encoding", "gzip")
		s.stats.GzipResponses.Add(1)
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	s.stats.BytesOut.Add(int64(len(body)))
	w.Write(body)
}

func (s *server) handleArticle(w http.ResponseWriter, r *http.Request) {
	f, ok := s.feedIndex(r.PathValue("f"))
	i, err := strconv.Atoi(r.PathValue("i"))
	count := s.count()
	if !ok || err != nil || i < 0 || i >= count {
		http.NotFound(w, r)
		return
	}
	s.stats.Articles.Add(1)
	var b bytes.Buffer
	s.renderArticle(&b, f, i, count)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Last-Modified", published(f, i).Format(http.TimeFormat))
	s.write(w, r, b.Bytes())
}

func (s *server) handleSite(w http.ResponseWriter, r *http.Request) {
	f, ok := s.feedIndex(r.PathValue("f"))
	if !ok {
		http.NotFound(w, r)
		return
	}
	s.stats.Other.Add(1)
	typ := "application/rss+xml"
	if isAtom(f) {
		typ = "application/atom+xml"
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	s.write(w, r, fmt.Appendf(nil, `<!DOCTYPE html><html><head><title>%s</title>
<link rel="alternate" type="%s" href="%s"></head><body><h1>%s</h1></body></html>
`, esc(s.gen.feedTitle(f)), typ, s.feedURL(f), esc(s.gen.feedTitle(f))))
}

// gif1x1 is a transparent 1×1 GIF served for every image.
var gif1x1 = []byte("GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;")

func (s *server) handleImage(w http.ResponseWriter, r *http.Request) {
	s.stats.Other.Add(1)
	w.Header().Set("Content-Type", "image/gif")
	w.Write(gif1x1)
}

func (s *server) handleAdd(w http.ResponseWriter, r *http.Request) {
	k, err := strconv.Atoi(r.URL.Query().Get("k"))
	if err != nil || k < 0 || k > 100000 {
		http.Error(w, "k must be an integer in 0..100000", http.StatusBadRequest)
		return
	}
	s.addMu.Lock()
	s.added.Add(int64(k))
	t0 := time.Now()
	s.prerender()
	count := s.count()
	s.addMu.Unlock()
	slog.Info("added items", "k", k, "count", count, "render", time.Since(t0).Round(time.Millisecond))
	fmt.Fprintf(w, "added %d items to each of %d feeds; %d items per feed so far, %d per document\n",
		k, s.feeds, count, min(count, s.items))
}

func (s *server) handleStats(w http.ResponseWriter, r *http.Request) {
	st := &s.stats
	out := map[string]int64{
		"requests": st.Requests.Load(), "feed_200": st.Feed200.Load(), "feed_304": st.Feed304.Load(),
		"articles": st.Articles.Load(), "other": st.Other.Load(), "bytes_out": st.BytesOut.Load(),
		"gzip": st.GzipResponses.Load(), "feeds": int64(s.feeds), "items_per_feed": int64(s.count()),
	}
	if r.URL.Query().Get("reset") == "1" {
		for _, c := range []*atomic.Int64{&st.Requests, &st.Feed200, &st.Feed304, &st.Articles,
			&st.Other, &st.BytesOut, &st.GzipResponses} {
			c.Store(0)
		}
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(out)
}

// handleNewest prints the title of the newest story across all feeds (what a
// newest-first story list shows on top), for time-to-first-frame checks.
func (s *server) handleNewest(w http.ResponseWriter, r *http.Request) {
	count := s.count()
	best := 0
	for f := 1; f < s.feeds; f++ {
		if published(f, count-1).After(published(best, count-1)) {
			best = f
		}
	}
	fmt.Fprintln(w, s.gen.title(best, count-1))
}

func (s *server) handleQuit(w http.ResponseWriter, r *http.Request) {
	fmt.Fprintln(w, "bye")
	select {
	case <-s.quit:
	default:
		close(s.quit)
	}
}
