package extract

import (
	"os"
	"strings"
	"testing"
)

// BenchmarkExtract2000Words extracts a ~2,000-word article page and writes
// its Markdown body.
func BenchmarkExtract2000Words(b *testing.B) {
	page, err := os.ReadFile("testdata/bench/long.html")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(page)))
	b.ReportAllocs()
	cpu0 := processCPU()
	for b.Loop() {
		a, err := Extract(page, "text/html; charset=utf-8", "https://gazette.example.com/2026/harbour", Options{})
		if err != nil || a.Markdown == "" {
			b.Fatal(err)
		}
	}
	if cpu := processCPU() - cpu0; cpu > 0 {
		b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N), "cpu-ns/op")
	}
}

func TestBenchFixtureIsLong(t *testing.T) {
	page, err := os.ReadFile("testdata/bench/long.html")
	if err != nil {
		t.Fatal(err)
	}
	a, err := Extract(page, "text/html", "https://gazette.example.com/2026/harbour", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(strings.Fields(PlainText(a.Markdown))); n < 1800 {
		t.Errorf("benchmark fixture extracts to %d words, want ~2000", n)
	}
}
