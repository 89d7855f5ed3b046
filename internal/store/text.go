package store

import (
	"bytes"
	"compress/flate"
	"fmt"
	"io"
	"sync"
)

// Large text columns (story summary and content, article Markdown) are
// stored deflate-compressed as a BLOB when that saves space, and as TEXT
// otherwise; the value's SQLite type tells which. Feed HTML compresses about
// threefold, which is what keeps the database smaller than newsboat's cache
// even with the full-text index on top.

// packMin is the size below which compression is not worth trying.
const packMin = 512

var flaters = sync.Pool{New: func() any {
	w, _ := flate.NewWriter(nil, flate.BestSpeed) // a refresh writes thousands: speed over the last few percent
	return w
}}

// pack returns the value to store for s: a string, or a []byte when the
// compressed form is smaller. The output is deterministic, so equal texts
// give equal values.
func pack(s string) any {
	if len(s) < packMin {
		return s
	}
	var buf bytes.Buffer
	buf.Grow(len(s) / 2)
	w := flaters.Get().(*flate.Writer)
	w.Reset(&buf)
	io.WriteString(w, s)
	w.Close()
	flaters.Put(w)
	if buf.Len() >= len(s) {
		return s
	}
	return buf.Bytes()
}

// unpack reverses pack for a value scanned into an any.
func unpack(v any) (string, error) {
	switch v := v.(type) {
	case nil:
		return "", nil
	case string:
		return v, nil
	case []byte:
		b, err := io.ReadAll(flate.NewReader(bytes.NewReader(v)))
		if err != nil {
			return "", fmt.Errorf("decompress text: %w", ErrCorrupt)
		}
		return string(b), nil
	}
	return "", fmt.Errorf("unexpected text value %T: %w", v, ErrCorrupt)
}
