package feed

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// feedserverDocs are documents as bench/feedserver serves them (100 items
// each): RSS and Atom, with full HTML bodies and with summaries only.
func feedserverDocs(tb testing.TB) map[string][]byte {
	tb.Helper()
	paths, _ := filepath.Glob("testdata/feedserver/*.xml.gz")
	docs := map[string][]byte{}
	for _, p := range paths {
		raw, err := os.ReadFile(p)
		if err != nil {
			tb.Fatal(err)
		}
		zr, err := gzip.NewReader(bytes.NewReader(raw))
		if err != nil {
			tb.Fatal(err)
		}
		doc, err := io.ReadAll(zr)
		if err != nil {
			tb.Fatal(err)
		}
		docs[filepath.Base(p)] = doc
	}
	if len(docs) == 0 {
		tb.Fatal("no feedserver documents")
	}
	return docs
}

func TestFeedserverDocsFast(t *testing.T) {
	for name, doc := range feedserverDocs(t) {
		if !checkSamePaths(t, name, doc, "") {
			t.Errorf("fast path declined %s", name)
		}
	}
}

// BenchmarkParseFeedserver parses the four feedserver documents per op.
func BenchmarkParseFeedserver(b *testing.B) {
	docs := feedserverDocs(b)
	var all [][]byte
	n := 0
	for _, name := range []string{"rss_full.xml.gz", "atom_full.xml.gz", "rss_summary.xml.gz", "atom_summary.xml.gz"} {
		all = append(all, docs[name])
		n += len(docs[name])
	}
	b.SetBytes(int64(n))
	now := time.Now()
	for b.Loop() {
		for _, doc := range all {
			if _, err := Parse(doc, "application/xml", "https://bench.example/feed/0", now); err != nil {
				b.Fatal(err)
			}
		}
	}
}
