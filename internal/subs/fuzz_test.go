package subs

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/byline/byline/internal/model"
	"github.com/byline/byline/internal/sanitize"
)

// FuzzParse: whatever the input, accepted URLs are web URLs, and exporting
// what was imported and importing it again gives the same subscriptions.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*"))
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		subs, _, err := Parse(bytes.NewReader(data))
		if err != nil {
			return
		}
		feeds := make([]model.Feed, 0, len(subs))
		for _, s := range subs {
			if !sanitize.IsWebURL(s.URL) {
				t.Fatalf("accepted %q", s.URL)
			}
			feeds = append(feeds, model.Feed{URL: s.URL, CustomTitle: s.Title, Tags: s.Tags})
		}
		var buf bytes.Buffer
		if err := WriteOPML(&buf, feeds); err != nil {
			t.Fatal(err)
		}
		again, skipped, err := Parse(&buf)
		if err != nil || len(skipped) != 0 {
			t.Fatalf("re-import: %v %v\n%s", err, skipped, buf.String())
		}
		if !reflect.DeepEqual(byURL(subs), byURL(again)) {
			t.Fatalf("round trip changed:\n%#v\n%#v", subs, again)
		}
	})
}

func byURL(subs []Subscription) map[string]string {
	m := map[string]string{}
	for _, s := range subs {
		m[s.URL] = s.Title + "|" + strings.Join(s.Tags, ",")
	}
	return m
}
