package feed

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestParseKeepsNoReference: the fetcher reuses body buffers once a feed is
// parsed (fetch.Response.Release), so nothing Parse returns may point into
// its input. Every fixture is parsed from a copy that is then overwritten;
// the result must not change.
func TestParseKeepsNoReference(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.xml")
	jsons, _ := filepath.Glob("testdata/*.json")
	for _, f := range jsons {
		if filepath.Ext(f[:len(f)-len(".json")]) != ".golden" {
			files = append(files, f)
		}
	}
	if len(files) < 10 {
		t.Fatalf("only %d fixtures", len(files))
	}
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, f := range files {
		orig, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, use := range []parser{parseAuto, parseGofeed} {
			body := append([]byte(nil), orig...)
			pf, _, err := parse(body, "", "https://example.com/feed", now, use)
			if err != nil {
				continue
			}
			before, _ := json.Marshal(pf)
			for i := range body {
				body[i] = 'x'
			}
			after, _ := json.Marshal(pf)
			if string(before) != string(after) {
				t.Errorf("%s (parser %d): result changed when the input was overwritten", f, use)
			}
		}
	}
}
