// Command refreshprof profiles byline's refresh path outside the CLI: it opens
// an existing store (made with `byline import`), refreshes every feed with the
// same wiring and defaults as `byline refresh`, and writes a CPU profile.
//
//	refreshprof -db $XDG_DATA_HOME/byline/byline.db -cpuprofile cpu.out [-memprofile mem.out]
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"time"

	"github.com/byline/byline/internal/config"
	"github.com/byline/byline/internal/fetch"
	"github.com/byline/byline/internal/refresh"
	"github.com/byline/byline/internal/store"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "refreshprof:", err)
		os.Exit(1)
	}
}

func run() error {
	db := flag.String("db", "", "byline store file")
	cpu := flag.String("cpuprofile", "", "write a CPU profile here")
	mem := flag.String("memprofile", "", "write a heap profile here at the end")
	openOnly := flag.Bool("open", false, "only time store.Open and the first page of stories (what list and the TUI do first)")
	flag.Parse()
	if *db == "" {
		return fmt.Errorf("-db is required")
	}
	ctx := context.Background()
	t0 := time.Now()
	st, err := store.Open(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	if *openOnly {
		tOpen := time.Since(t0)
		t1 := time.Now()
		page, err := st.Stories(ctx, store.Query{Limit: 50})
		if err != nil {
			return err
		}
		fmt.Printf("store.Open %v, first page (%d stories) %v\n", tOpen.Round(time.Microsecond),
			len(page), time.Since(t1).Round(time.Microsecond))
		return nil
	}
	c := config.Default()
	client := fetch.New(fetch.Options{UserAgent: c.UA(), Timeout: c.Timeout.D(), DialTimeout: c.DialTimeout.D(),
		MaxBytes: int64(c.MaxBody), MaxRedirects: c.MaxRedirects, PerHost: c.PerHost})
	r := &refresh.Refresher{Store: st, Client: client, Workers: c.Concurrency}
	feeds, err := st.Feeds(ctx)
	if err != nil {
		return err
	}
	tOpen := time.Since(t0)
	if *cpu != "" {
		f, err := os.Create(*cpu)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	t1 := time.Now()
	res := r.Refresh(ctx, feeds, nil)
	took := time.Since(t1)
	counts := map[string]int{}
	newStories := 0
	for _, x := range res {
		counts[x.Status]++
		newStories += x.New
	}
	fmt.Printf("open+feeds %v, refresh %v: %d feeds %v, %d new stories\n", tOpen.Round(time.Millisecond),
		took.Round(time.Millisecond), len(feeds), counts, newStories)
	if *mem != "" {
		runtime.GC()
		f, err := os.Create(*mem)
		if err != nil {
			return err
		}
		defer f.Close()
		return pprof.WriteHeapProfile(f)
	}
	return nil
}
