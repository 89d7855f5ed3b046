package fetch

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	// Drop-in replacements for the standard library's packages (same
	// formats, API and multi-member gzip), with a faster inflater.
	"github.com/klauspost/compress/flate"
	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zlib"
)

// maxRetryAfter caps a server's Retry-After so a typo cannot silence a feed
// for years.
const maxRetryAfter = 7 * 24 * time.Hour

// readBody reads and decompresses the body, failing with ErrTooLarge once
// more than max decompressed bytes arrive and with an error on a truncated
// stream.
func readBody(resp *http.Response, max int64) ([]byte, error) {
	enc := strings.ToLower(strings.TrimSpace(resp.Header.Get("Content-Encoding")))
	if (enc == "" || enc == "identity") && resp.ContentLength > max {
		return nil, ErrTooLarge
	}
	var r io.Reader = resp.Body
	switch enc {
	case "", "identity":
	case "gzip", "x-gzip":
		zr, err := gzip.NewReader(resp.Body)
		if err != nil {
			return nil, encodingError("gzip", err)
		}
		defer zr.Close()
		r = zr
	case "deflate":
		dr, err := deflateReader(resp.Body)
		if err != nil {
			return nil, encodingError("deflate", err)
		}
		defer dr.Close()
		r = dr
	default:
		return nil, &hopError{msg: "unsupported content encoding " + strconv.Quote(enc)}
	}
	initial := int64(64 << 10)
	if resp.ContentLength > 0 {
		initial = resp.ContentLength
		if enc != "" && enc != "identity" {
			initial *= 4 // feeds inflate 4-8 times
		}
	}
	// A declared length is a hint, not a promise: cap the up-front allocation.
	body, err := readAllLimited(r, getBuf(int(min(initial, max, 1<<20)+1)), max)
	if err != nil {
		if errors.Is(err, ErrTooLarge) || enc == "" || enc == "identity" {
			return nil, err
		}
		return nil, encodingError(enc, err)
	}
	return body, nil
}

// Body buffers are reused: a cold refresh reads hundreds of feed documents
// of a few hundred KB, and growing a fresh buffer for each (zeroing and
// copying it on every doubling) cost 6% of its CPU. Response.Release hands a
// buffer back once the body is parsed.
var bufPool sync.Pool // of *[]byte

// maxPooled is the largest buffer kept for reuse.
const maxPooled = 4 << 20

// getBuf returns an empty buffer, pooled when one is free.
func getBuf(size int) []byte {
	if p, ok := bufPool.Get().(*[]byte); ok {
		if cap(*p) >= size {
			return (*p)[:0]
		}
	}
	return make([]byte, 0, size)
}

// Release hands the body's memory back for reuse by later fetches. Body is
// nil afterwards; nothing else may still refer to it.
func (r *Response) Release() {
	if b := r.Body[:0]; cap(b) > 0 && cap(b) <= maxPooled {
		bufPool.Put(&b)
	}
	r.Body = nil
}

// readAllLimited is io.ReadAll that stops with ErrTooLarge past max bytes.
func readAllLimited(r io.Reader, buf []byte, max int64) ([]byte, error) {
	lr := io.LimitReader(r, max+1)
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := lr.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if int64(len(buf)) > max {
			return nil, ErrTooLarge
		}
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return nil, err
		}
	}
}

// encodingError describes a broken compressed stream; a cut-off stream gets
// its own message because it is the common case (dropped connection).
func encodingError(enc string, err error) error {
	var hop *hopError
	if errors.As(err, &hop) {
		return err
	}
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return &hopError{msg: "truncated " + enc + " body"}
	}
	if isTimeout(err) {
		return err
	}
	return &hopError{msg: fmt.Sprintf("invalid %s body: %s", enc, rootMessage(err))}
}

func isTimeout(err error) bool {
	var t interface{ Timeout() bool }
	return errors.As(err, &t) && t.Timeout()
}

// deflateReader accepts both zlib-wrapped deflate (what RFC 9110 means) and
// raw deflate (what some servers send anyway).
func deflateReader(r io.Reader) (io.ReadCloser, error) {
	br := bufio.NewReader(r)
	head, err := br.Peek(2)
	if err != nil {
		return nil, err
	}
	if head[0]&0x0f == 8 && (uint16(head[0])<<8|uint16(head[1]))%31 == 0 {
		return zlib.NewReader(br)
	}
	return flate.NewReader(br), nil
}

// drain reads a little of an error body so the connection can be reused.
func drain(resp *http.Response) {
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4<<10))
}

// parseRetryAfter reads delay-seconds or an HTTP date. Negative or past
// values are ignored; values beyond maxRetryAfter are clamped.
func parseRetryAfter(v string, now time.Time) time.Time {
	v = strings.TrimSpace(v)
	if v == "" {
		return time.Time{}
	}
	var d time.Duration
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 {
			return time.Time{}
		}
		if secs > int64(maxRetryAfter/time.Second) {
			secs = int64(maxRetryAfter / time.Second)
		}
		d = time.Duration(secs) * time.Second
	} else if t, err := http.ParseTime(v); err == nil {
		d = t.Sub(now)
		if d < 0 {
			return time.Time{}
		}
	} else {
		return time.Time{}
	}
	return now.Add(min(d, maxRetryAfter))
}
