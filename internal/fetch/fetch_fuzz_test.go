package fetch

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"errors"
	"io"
	"net/http"
	"testing"
	"time"
)

// FuzzRetryAfter: any Retry-After value gives no instant, or one between now
// and now + 7 days.
func FuzzRetryAfter(f *testing.F) {
	for _, s := range []string{"120", "0", "-1", "99999999999999", "99999999999999999999999", "1e3", " 30 ",
		"Fri, 31 Dec 9999 23:59:59 GMT", "Mon, 01 Jan 1990 00:00:00 GMT", "Sunday, 06-Nov-94 08:49:37 GMT",
		"Sun Nov  6 08:49:37 1994", "soon", "", "+5", "0x10", "\x1b[31m"} {
		f.Add(s)
	}
	now := time.Date(2026, 7, 1, 12, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, v string) {
		got := parseRetryAfter(v, now)
		if got.IsZero() {
			return
		}
		if got.Before(now) || got.After(now.Add(maxRetryAfter)) {
			t.Fatalf("parseRetryAfter(%q) = %v, outside [now, now+7d]", v, got)
		}
	})
}

// FuzzReadBody: whatever bytes arrive under whatever Content-Encoding, the
// body returned never exceeds the cap, and the errors are the documented
// ones; nothing panics.
func FuzzReadBody(f *testing.F) {
	var gz, fl bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(bytes.Repeat([]byte("<rss/>"), 1000))
	zw.Close()
	fw, _ := flate.NewWriter(&fl, flate.BestCompression)
	fw.Write(make([]byte, 100000))
	fw.Close()
	f.Add(gz.Bytes(), "gzip", int64(-1))
	f.Add(gz.Bytes()[:20], "gzip", int64(-1))
	f.Add(fl.Bytes(), "deflate", int64(-1))
	f.Add([]byte("x\x9c\x03\x00\x00\x00\x00\x01"), "deflate", int64(8))
	f.Add([]byte("plain body"), "", int64(10))
	f.Add([]byte("plain body"), "identity", int64(99999999))
	f.Add([]byte{}, "br", int64(0))
	const max = 4096
	f.Fuzz(func(t *testing.T, body []byte, enc string, contentLength int64) {
		resp := &http.Response{Header: http.Header{}, Body: io.NopCloser(bytes.NewReader(body)), ContentLength: contentLength}
		if enc != "" {
			resp.Header.Set("Content-Encoding", enc)
		}
		out, err := readBody(resp, max)
		if err != nil {
			if out != nil {
				t.Fatalf("error %v with a body of %d bytes", err, len(out))
			}
			var hop *hopError
			if !errors.Is(err, ErrTooLarge) && !errors.As(err, &hop) && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
				t.Fatalf("unexpected error %T %v", err, err)
			}
			return
		}
		if len(out) > max {
			t.Fatalf("body of %d bytes over the %d cap", len(out), max)
		}
	})
}
