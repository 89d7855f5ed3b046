package refresh

import (
	"context"
	"testing"
	"time"
)

// blocked reports whether acquire waits (it gives up after a short while).
func blocked(c *cpuTokens) bool {
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	release, ok := c.acquire(ctx)
	release()
	return !ok
}

func TestCPUTokensSpare(t *testing.T) {
	c := &cpuTokens{base: make(chan struct{}, 1), spare: make(chan struct{}, 1), hold: time.Hour}
	// Long enough for a loaded machine; a token that is never free ends it.
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	// Nothing is being written: the writer's spare core is lent.
	r1, _ := c.acquire(ctx)
	r2, ok := c.acquire(ctx)
	if !ok {
		t.Fatal("the spare token was not lent while nothing is written")
	}
	if !blocked(c) {
		t.Fatal("a third token on two cores")
	}
	r1()
	r2()
	r2() // releasing twice is harmless
	// While a feed is written, the spare stays with the writer.
	c.write(func() {
		r1, _ := c.acquire(ctx)
		defer r1()
		if !blocked(c) {
			t.Error("the spare token was taken while the store writes")
		}
	})
	// Written: it is lent again.
	r1, _ = c.acquire(ctx)
	defer r1()
	if blocked(c) {
		t.Error("the spare token was not lent once the write ended")
	}
}

func TestCPUTokensHold(t *testing.T) {
	c := &cpuTokens{base: make(chan struct{}, 1), hold: 10 * time.Millisecond} // one core: no spare
	ctx := context.Background()
	c.acquire(ctx) // never released by its holder: a feed that parses for ages
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if release, ok := c.acquire(ctx); !ok {
		t.Fatalf("the token was not given back after %v", c.hold)
	} else {
		release()
	}
}
