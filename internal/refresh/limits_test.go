package refresh_test

// Limits: many feeds on loopback, a tenth of them hostile (slow drip,
// endless, gzip bomb, broken), refreshed with the default body cap and
// concurrency. Runs on demand (BYLINE_LIMITS=1); 200 feeds by default,
// BYLINE_LIMITS_FEEDS for more (docs/reliability.md records the 1,000-feed figures).

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/byline/byline/internal/fetch"
	"github.com/byline/byline/internal/model"
	"github.com/byline/byline/internal/refresh"
	"github.com/byline/byline/internal/store"
)

// peakRSS returns the process's peak resident set size (VmHWM) in bytes.
func peakRSS() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "VmHWM:") {
			f := strings.Fields(l)
			n, _ := strconv.ParseInt(f[1], 10, 64)
			return n << 10
		}
	}
	return 0
}

func TestRefreshLimits(t *testing.T) {
	// A measurement with timing and memory bounds: machines are noisy, so it
	// runs on demand (BYLINE_LIMITS=1 or BYLINE_LIMITS_FEEDS=N), not in CI.
	if os.Getenv("BYLINE_LIMITS") == "" && os.Getenv("BYLINE_LIMITS_FEEDS") == "" {
		t.Skip("limits measurement: set BYLINE_LIMITS=1 to run it")
	}
	if os.Getenv(envChild) != "" {
		t.Skip("in the helper process")
	}
	nFeeds := 200
	if v, err := strconv.Atoi(os.Getenv("BYLINE_LIMITS_FEEDS")); err == nil && v > 0 {
		nFeeds = v
	}
	const perHost = 4          // feeds per loopback server, so the per-host cap matters
	timeout := 5 * time.Second // CI machines are slow; the default is 20s
	stop := make(chan struct{})
	// 64 MiB of zeros, gzipped once, up front (not counted in the peak).
	var bomb []byte
	{
		var b bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
		zeros := make([]byte, 1<<20)
		for i := 0; i < 64; i++ {
			zw.Write(zeros)
		}
		zw.Close()
		bomb = b.Bytes()
	}
	handler := func(kind string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			switch kind {
			case "slow":
				w.Header().Set("Content-Type", "application/rss+xml")
				w.Write([]byte("<rss><channel><title>"))
				fl := w.(http.Flusher)
				for {
					select {
					case <-r.Context().Done():
						return
					case <-stop:
						return
					case <-time.After(100 * time.Millisecond):
					}
					w.Write([]byte("x"))
					fl.Flush()
				}
			case "endless":
				chunk := bytes.Repeat([]byte("<item><title>endless</title></item>"), 2000)
				w.Write([]byte("<rss><channel>"))
				for {
					select {
					case <-stop:
						return
					default:
					}
					if _, err := w.Write(chunk); err != nil {
						return
					}
				}
			case "bomb":
				w.Header().Set("Content-Encoding", "gzip")
				w.Write(bomb)
			case "broken":
				w.Header().Set("Content-Type", "application/rss+xml")
				fmt.Fprint(w, `<rss version="2.0"><channel><title>Broken</title><item><title>x</ti`)
			default:
				w.Header().Set("Content-Type", "application/rss+xml")
				fmt.Fprintf(w, `<rss version="2.0"><channel><title>Feed %s</title>`, r.URL.Path)
				for i := 0; i < 20; i++ {
					fmt.Fprintf(w, `<item><guid>%s-%d</guid><title>Story %d</title><link>http://example.org%s/%d</link><description>%s</description></item>`,
						r.URL.Path, i, i, r.URL.Path, i, strings.Repeat("Words of the story. ", 20))
				}
				fmt.Fprint(w, `</channel></rss>`)
			}
		}
	}
	kinds := []string{"slow", "endless", "bomb", "broken"}
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "byline.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var servers []*httptest.Server
	hostile := map[string]int{}
	var feeds []model.Feed
	for i := 0; i < nFeeds; i++ {
		if i%perHost == 0 {
			mux := http.NewServeMux()
			for _, k := range append(kinds, "good") {
				mux.HandleFunc("/"+k+"/", handler(k))
			}
			servers = append(servers, httptest.NewServer(mux))
		}
		kind := "good"
		if i%10 == 3 { // a tenth of the feeds, spread over the hosts
			kind = kinds[(i/10)%len(kinds)]
			hostile[kind]++
		}
		f, err := st.AddFeed(ctx, model.Feed{URL: fmt.Sprintf("%s/%s/%d", servers[len(servers)-1].URL, kind, i)})
		if err != nil {
			t.Fatal(err)
		}
		feeds = append(feeds, f)
	}
	defer func() {
		close(stop)
		for _, s := range servers {
			s.Close()
		}
	}()
	// Defaults but for the timeout: 15 MiB cap, 16 workers, 2 per host.
	client := fetch.New(fetch.Options{Timeout: timeout})
	r := &refresh.Refresher{Store: st, Client: client}

	runtime.GC()
	var base runtime.MemStats
	runtime.ReadMemStats(&base)
	var peakHeap uint64
	sampling := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		var ms runtime.MemStats
		for {
			select {
			case <-sampling:
				return
			case <-time.After(20 * time.Millisecond):
			}
			runtime.ReadMemStats(&ms)
			peakHeap = max(peakHeap, ms.HeapInuse)
		}
	}()
	start := time.Now()
	results := r.Refresh(ctx, feeds, nil)
	elapsed := time.Since(start)
	close(sampling)
	wg.Wait()

	counts := map[string]int{}
	for i, res := range results {
		counts[res.Status]++
		good := strings.Contains(feeds[i].URL, "/good/")
		if good && res.Status != refresh.StatusUpdated {
			t.Errorf("good feed %s: %s %v", feeds[i].URL, res.Status, res.Err)
		}
		if !good && res.Status != refresh.StatusError {
			t.Errorf("hostile feed %s: %s", feeds[i].URL, res.Status)
		}
	}
	slow := hostile["slow"]
	// A slow feed holds a worker for the whole deadline: one deadline per
	// round of 16 slow feeds, plus the rest. The assertion is a hang guard,
	// generous for slow machines and -race; the figure is logged.
	rounds := (slow + 15) / 16
	limit := time.Duration(rounds+1)*timeout + 2*time.Minute
	if elapsed > limit {
		t.Errorf("Refresh of %d feeds took %s, want under %s", nFeeds, elapsed, limit)
	}
	total, _, _ := st.CountStories(ctx, store.Query{})
	t.Logf("%d feeds (%v hostile) on %d loopback hosts: %s (timeout %s, 16 workers, 2 per host); statuses %v; %d stories; "+
		"peak heap in use %.0f MiB (%.0f MiB before), peak RSS of the test process %.0f MiB",
		nFeeds, hostile, len(servers), elapsed.Round(10*time.Millisecond), timeout, counts, total,
		float64(peakHeap)/(1<<20), float64(base.HeapInuse)/(1<<20), float64(peakRSS())/(1<<20))
}
