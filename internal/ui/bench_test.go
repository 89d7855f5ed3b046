//go:build unix

package ui

import (
	"syscall"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
)

// BenchmarkKeyPress100k measures one j key press (Update, any page load it
// triggers, and View) on a warm 100,000-story list at 160×48.
func BenchmarkKeyPress100k(b *testing.B) {
	h := newHarness(b, 100_000, plainOpts()).start(160, 48)
	j := keyMsg("j")
	_ = h.view()
	b.ReportAllocs()
	defer reportCPU(b)()
	for b.Loop() {
		_, cmd := h.m.Update(j)
		h.run(cmd)
		_ = h.m.View()
		if h.m.list.cursor >= h.m.list.total-1 {
			h.keys("g")
		}
	}
}

// BenchmarkFirstFrame100k measures New, the window size, the count and
// first page loads and the first View over 100,000 stories.
func BenchmarkFirstFrame100k(b *testing.B) {
	lib := newFakeLib(100_000)
	b.ReportAllocs()
	defer reportCPU(b)()
	for b.Loop() {
		h := newHarnessWith(b, lib, plainOpts())
		h.run(h.m.Init())
		h.send(tea.WindowSizeMsg{Width: 160, Height: 48})
		if v := h.m.View(); len(v.Content) == 0 {
			b.Fatal("empty first frame")
		}
	}
}

// reportCPU adds a cpu-ns/op metric: the process's user+system CPU time per
// iteration, which stays meaningful when the machine is shared and wall
// time (ns/op) includes waiting for a CPU.
func reportCPU(b *testing.B) func() {
	start := cpuTime()
	return func() {
		b.ReportMetric(float64((cpuTime()-start).Nanoseconds())/float64(b.N), "cpu-ns/op")
	}
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
