package fetch

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strings"
	"testing"
)

// benchFeed returns about size bytes of RSS shaped like a real feed: items
// of prose from a small vocabulary, which gzips about fourfold.
func benchFeed(size int) []byte {
	words := strings.Fields(`the a council plan said would could residents officials budget year
		week month city region project report public local new first last many several critics
		support funding cost costs government agency community families workers service services
		decision meeting vote proposal changes future schools roads housing energy water transport`)
	r := rand.New(rand.NewPCG(3, 4))
	var b bytes.Buffer
	b.WriteString("<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel><title>bench</title>\n")
	for i := 0; b.Len() < size; i++ {
		fmt.Fprintf(&b, "<item><title>Item %d</title><link>https://example.org/a/%d</link><description><![CDATA[", i, i)
		for p := 3 + r.IntN(4); p > 0; p-- {
			b.WriteString("<p>")
			for w := 40 + r.IntN(40); w > 0; w-- {
				b.WriteString(words[r.IntN(len(words))])
				b.WriteByte(' ')
			}
			b.WriteString("</p>\n")
		}
		b.WriteString("]]></description></item>\n")
	}
	b.WriteString("</channel></rss>\n")
	return b.Bytes()
}

func BenchmarkReadBodyGzip(b *testing.B) {
	raw := benchFeed(400 << 10)
	var zb bytes.Buffer
	zw := gzip.NewWriter(&zb)
	zw.Write(raw)
	zw.Close()
	gz := zb.Bytes()
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	for b.Loop() {
		resp := &http.Response{Header: http.Header{"Content-Encoding": {"gzip"}},
			Body: io.NopCloser(bytes.NewReader(gz)), ContentLength: int64(len(gz))}
		body, err := readBody(resp, 15<<20)
		if err != nil || len(body) != len(raw) {
			b.Fatalf("readBody = %d bytes, %v", len(body), err)
		}
	}
}
