package refresh

import (
	"context"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// cpuTokens bounds how many feeds parse and prepare for the store at once.
// The store's writer is serial and, in a large refresh, the bottleneck:
// leaving it a core of its own makes a cold 500x200 refresh faster than
// letting every worker compete with it. But a refresh that writes little (an
// incremental one: most stories unchanged) leaves that core idle. So the
// tokens are GOMAXPROCS-1, plus one spare taken only while no feed is being
// written. Three runs each, 2 cores: incremental 200x100 went 0.33-0.36 ->
// 0.30-0.34 s and its peak RSS 53-60 -> 41-50 MB (fewer fetched bodies wait
// for a token); incremental 500x200 1.22-1.24 -> 1.17-1.19 s; cold refreshes,
// where the writer is busy throughout, are unchanged.
type cpuTokens struct {
	base  chan struct{}
	spare chan struct{} // nil on one core
	hold  time.Duration // cpuHold
	// writing counts feeds in the store's commit (waiting or written).
	writing atomic.Int32
}

func newCPUTokens() *cpuTokens {
	n := runtime.GOMAXPROCS(0)
	c := &cpuTokens{base: make(chan struct{}, max(1, n-1)), hold: cpuHold}
	if n > 1 {
		c.spare = make(chan struct{}, 1)
	}
	return c
}

// acquire waits for a token and returns its release, which is safe to call
// more than once and is called by itself after c.hold: a feed that takes
// long to parse (a huge or hostile document) gives its token back rather
// than hold up everyone else's. ok is false when ctx ended first.
func (c *cpuTokens) acquire(ctx context.Context) (release func(), ok bool) {
	take := func(ch chan struct{}) func() {
		release := sync.OnceFunc(func() { <-ch })
		t := time.AfterFunc(c.hold, release)
		return func() { t.Stop(); release() }
	}
	if c.spare != nil && c.writing.Load() == 0 {
		select {
		case c.spare <- struct{}{}:
			return take(c.spare), true
		default:
		}
	}
	select {
	case c.base <- struct{}{}:
		return take(c.base), true
	case <-ctx.Done():
		return func() {}, false
	}
}

// write runs fn (a commit to the store) counted as writing.
func (c *cpuTokens) write(fn func()) {
	c.writing.Add(1)
	defer c.writing.Add(-1)
	fn()
}
