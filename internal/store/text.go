package store

import (
	"bytes"
	"fmt"
	"io"
	"runtime"
	"sync"

	"github.com/klauspost/compress/flate"
	"github.com/klauspost/compress/zstd"
)

// Large text columns (story summary and content, article Markdown) are
// stored compressed as a BLOB when that saves space, and as TEXT otherwise;
// the value's SQLite type tells which. Feed HTML compresses about 2.5–3×,
// which is what keeps the database smaller than newsboat's cache even with
// the full-text index on top.
//
// A BLOB is one of two formats, told apart by its first four bytes:
//
//   - a zstd frame (RFC 8878), written by pack since the switch from deflate:
//     it always starts with the frame magic 28 B5 2F FD;
//   - raw deflate (RFC 1951, no header), written by earlier versions and
//     still read.
//
// No valid raw deflate stream starts with the zstd magic: 0x28 has BFINAL 0
// and BTYPE 00 (bits 1–2), a stored block, whose remaining header bits are
// padding and whose next four bytes are LEN and NLEN, little-endian, with
// NLEN the ones' complement of LEN. The magic gives LEN = 0x2FB5, so NLEN
// must start with 0x4A, but the magic's fourth byte is 0xFD: every inflater
// rejects such a stream, so no old blob can be mistaken for a new one.
//
// zstd at its fastest level compresses feed HTML about twice as fast as
// deflate at BestSpeed, to the same size, and decompresses it about three
// times as fast (see BenchmarkPack and BenchmarkUnpack).

// packMin is the size below which compression is not worth trying.
const packMin = 512

// maxUnpacked caps what one value may decompress to, so a damaged or forged
// blob cannot expand without bound. No feed text comes near it: fetch caps
// a whole feed document at 15 MiB by default, and pack leaves longer texts
// uncompressed.
const maxUnpacked = 64 << 20

// zstdMagic starts every zstd frame.
var zstdMagic = []byte{0x28, 0xb5, 0x2f, 0xfd}

// codecs is how many values may be (de)compressed at once; each encoder
// holds about 0.5 MB, each decoder about 0.2 MB.
func codecs() int { return min(runtime.GOMAXPROCS(0), 8) }

// encoder is shared: EncodeAll is safe for concurrent use and resets its
// state on every call, so equal texts give equal frames whichever of the
// encoders runs. The 64 KiB window bounds memory (feed texts are smaller)
// and the checksum turns a damaged blob into an error, not wrong text.
var encoder = sync.OnceValue(func() *zstd.Encoder {
	e, err := zstd.NewWriter(nil,
		zstd.WithEncoderLevel(zstd.SpeedFastest), // a refresh writes thousands: speed over the last few percent
		zstd.WithEncoderConcurrency(codecs()),
		zstd.WithLowerEncoderMem(true),
		zstd.WithWindowSize(64<<10),
		zstd.WithEncoderCRC(true))
	if err != nil {
		panic(err) // the options are constant
	}
	return e
})

var decoder = sync.OnceValue(func() *zstd.Decoder {
	d, err := zstd.NewReader(nil,
		zstd.WithDecoderConcurrency(codecs()),
		zstd.WithDecoderLowmem(true),
		zstd.WithDecoderMaxMemory(maxUnpacked),
		zstd.WithDecoderMaxWindow(maxUnpacked))
	if err != nil {
		panic(err) // the options are constant
	}
	return d
})

// pack returns the value to store for s: a string, or a []byte when the
// compressed form is smaller. The output is deterministic, so equal texts
// give equal values. A text over maxUnpacked (possible only with a raised
// max_body) stays a string, so that unpack never refuses what pack wrote.
func pack(s string) any {
	if len(s) < packMin || len(s) > maxUnpacked {
		return s
	}
	b := encoder().EncodeAll([]byte(s), make([]byte, 0, len(s)/2))
	if len(b) >= len(s) {
		return s
	}
	return b
}

// unpack reverses pack for a value scanned into an any.
func unpack(v any) (string, error) {
	switch v := v.(type) {
	case nil:
		return "", nil
	case string:
		return v, nil
	case []byte:
		var b []byte
		var err error
		if bytes.HasPrefix(v, zstdMagic) {
			b, err = decoder().DecodeAll(v, nil)
		} else {
			b, err = inflate(v)
		}
		if err != nil {
			return "", fmt.Errorf("decompress text: %v: %w", err, ErrCorrupt)
		}
		return string(b), nil
	}
	return "", fmt.Errorf("unexpected text value %T: %w", v, ErrCorrupt)
}

var inflaters sync.Pool

// inflate reads a raw deflate blob written before the switch to zstd.
func inflate(v []byte) ([]byte, error) {
	r, _ := inflaters.Get().(io.ReadCloser)
	if r == nil {
		r = flate.NewReader(bytes.NewReader(v))
	} else if err := r.(flate.Resetter).Reset(bytes.NewReader(v), nil); err != nil {
		return nil, err
	}
	b, err := io.ReadAll(io.LimitReader(r, maxUnpacked+1))
	inflaters.Put(r)
	if err == nil && len(b) > maxUnpacked {
		err = fmt.Errorf("over %d MiB", maxUnpacked>>20)
	}
	return b, err
}
