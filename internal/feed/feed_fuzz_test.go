package feed

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// FuzzParseDates feeds arbitrary date strings to the RSS, Atom and JSON Feed
// date fields: Published is never zero and never far ahead of now, Updated
// never far ahead of now, and Parse never fails because of a date.
func FuzzParseDates(f *testing.F) {
	for _, s := range []string{
		"Mon, 02 Jan 2006 15:04:05 GMT", "Mon, 02 Jan 2006 15:04:05 -0700", "2006-01-02T15:04:05Z",
		"2006-01-02T15:04:05.999999999+14:00", "Fri, 01 Jan 2999 00:00:00 GMT", "0001-01-01T00:00:00Z",
		"Mon, 01 Jan 1900 00:00:00 GMT", "9999-12-31T23:59:59Z", "-0001-01-01T00:00:00Z", "yesterday",
		"", "2006-13-45T99:99:99Z", "Tue, 31 Feb 2026 25:61:61 XYZ", "1e309", "2026-07-01",
		"\x1b[31m2026-07-01T00:00:00Z", "&#27;", "Sun, 06 Nov 1994 08:49:37 +9999",
	} {
		f.Add(s, s)
	}
	f.Fuzz(func(t *testing.T, pub, upd string) {
		limit := testNow.Add(futureSlack)
		jpub, _ := json.Marshal(pub)
		jupd, _ := json.Marshal(upd)
		docs := map[string]string{
			"rss": `<rss version="2.0"><channel><title>d</title><item><guid>a</guid><title>t</title><pubDate>` +
				xmlText(pub) + `</pubDate><atom:updated xmlns:atom="http://www.w3.org/2005/Atom">` + xmlText(upd) +
				`</atom:updated></item><item><guid>b</guid><dc:date xmlns:dc="http://purl.org/dc/elements/1.1/">` +
				xmlText(upd) + `</dc:date></item></channel></rss>`,
			"atom": `<feed xmlns="http://www.w3.org/2005/Atom"><title>d</title><entry><id>a</id><title>t</title><published>` +
				xmlText(pub) + `</published><updated>` + xmlText(upd) + `</updated></entry></feed>`,
			"json": `{"version":"https://jsonfeed.org/version/1.1","title":"d","items":[{"id":"a","title":"t","date_published":` +
				string(jpub) + `,"date_modified":` + string(jupd) + `}]}`,
		}
		for kind, doc := range docs {
			if kind != "json" {
				checkSamePaths(t, kind, []byte(doc), "") // fast path's dates are gofeed's
			}
			pf, err := Parse([]byte(doc), "", "https://fuzz.example/feed", testNow)
			if err != nil {
				t.Fatalf("%s: Parse failed on dates %q, %q: %v", kind, pub, upd, err)
			}
			if len(pf.Items) == 0 {
				t.Fatalf("%s: no items for dates %q, %q", kind, pub, upd)
			}
			for _, it := range pf.Items {
				if it.Published.IsZero() || it.Published.After(limit) {
					t.Fatalf("%s: dates %q, %q: Published = %v", kind, pub, upd, it.Published)
				}
				if it.Updated.After(limit) {
					t.Fatalf("%s: dates %q, %q: Updated = %v", kind, pub, upd, it.Updated)
				}
				if it.Published.Location() != time.UTC {
					t.Fatalf("%s: Published not UTC: %v", kind, it.Published)
				}
			}
		}
	})
}

// xmlText escapes s for element content.
func xmlText(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}
