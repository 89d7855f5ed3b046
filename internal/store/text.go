package store

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"io"
	"runtime"
	"sync"
	"unsafe"

	"github.com/klauspost/compress/flate"
	"github.com/klauspost/compress/s2"
	"github.com/klauspost/compress/zstd"
)

// Large text columns (story summary and content, article Markdown) are
// stored compressed as a BLOB when that saves space, and as TEXT otherwise;
// the value's SQLite type tells which. Feed HTML compresses about 2.5–3×,
// which is what keeps the database smaller than newsboat's cache even with
// the full-text index on top.
//
// A BLOB is one of three formats, told apart by its first bytes:
//
//   - FF, a CRC-32C of the text (4 bytes, little-endian), then an S2 block
//     (github.com/klauspost/compress/s2, a faster Snappy): what pack writes;
//   - a zstd frame (RFC 8878), starting with the frame magic 28 B5 2F FD,
//     written for a while before S2 and still read;
//   - raw deflate (RFC 1951, no header), written by earlier versions and
//     still read.
//
// Neither tag can begin a valid raw deflate stream. FF has BTYPE 11, which
// RFC 1951 reserves: every inflater rejects it. 0x28 has BFINAL 0 and BTYPE
// 00 (bits 1–2), a stored block, whose remaining header bits are padding and
// whose next four bytes are LEN and NLEN, little-endian, with NLEN the ones'
// complement of LEN. The magic gives LEN = 0x2FB5, so NLEN must start with
// 0x4A, but the magic's fourth byte is 0xFD: every inflater rejects that too.
//
// Speed over size: a cold refresh compresses every new story's text, and
// S2 does a 3.9 KB feed body in 7.8 µs against zstd's 19.4 µs (fastest
// level) and deflate's 39.6 µs (BestSpeed), for blobs about 25% larger
// (ratio 2.0 against 2.55); it decompresses in 2.6 µs (zstd 7.7, deflate
// 21). With 16 KiB pages the store stays under half the size of newsboat's
// cache. The checksum turns a damaged blob into an error, not wrong text.

// packMin is the size below which compression is not worth trying.
const packMin = 512

// maxUnpacked caps what one value may decompress to, so a damaged or forged
// blob cannot expand without bound. No feed text comes near it: fetch caps
// a whole feed document at 15 MiB by default, and pack leaves longer texts
// uncompressed.
const maxUnpacked = 64 << 20

// zstdMagic starts every zstd frame.
var zstdMagic = []byte{0x28, 0xb5, 0x2f, 0xfd}

// s2Tag starts every blob pack writes; s2Head is the tag and the checksum.
const (
	s2Tag  = 0xff
	s2Head = 5
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// codecs is how many values may be (de)compressed at once; each encoder
// holds about 0.5 MB, each decoder about 0.2 MB.
func codecs() int { return min(runtime.GOMAXPROCS(0), 8) }

// encoder compresses with zstd; pack no longer uses it, but tests make old
// blobs with it. The 64 KiB window bounds memory.
var encoder = sync.OnceValue(func() *zstd.Encoder {
	e, err := zstd.NewWriter(nil,
		zstd.WithEncoderLevel(zstd.SpeedFastest),
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
	// Read in place: s2 and crc32 only read src, and a copy of every text
	// of a cold refresh was a fifth of its allocations.
	src := unsafe.Slice(unsafe.StringData(s), len(s))
	var dst []byte
	if need := s2Head + s2.MaxEncodedLen(len(src)); need > maxPooled {
		dst = make([]byte, need) // rare: not kept for the next text
	} else {
		bp := packBufs.Get().(*[]byte)
		defer packBufs.Put(bp)
		if cap(*bp) < need {
			*bp = make([]byte, need)
		}
		dst = (*bp)[:need]
	}
	dst[0] = s2Tag
	binary.LittleEndian.PutUint32(dst[1:], crc32.Checksum(src, castagnoli))
	n := s2Head + len(s2.Encode(dst[s2Head:], src))
	if n >= len(s) {
		return s
	}
	// A copy of the right size: the value may wait in memory for the group
	// commit, and the scratch buffer is as large as the text.
	return bytes.Clone(dst[:n])
}

// packBufs holds pack's scratch buffers, up to maxPooled bytes each.
var packBufs = sync.Pool{New: func() any { return new([]byte) }}

const maxPooled = 256 << 10

// unS2 decodes a blob written by pack.
func unS2(v []byte) ([]byte, error) {
	if len(v) < s2Head {
		return nil, fmt.Errorf("short s2 blob")
	}
	n, err := s2.DecodedLen(v[s2Head:])
	if err != nil {
		return nil, err
	}
	if n > maxUnpacked {
		return nil, fmt.Errorf("over %d MiB", maxUnpacked>>20)
	}
	b, err := s2.Decode(make([]byte, n), v[s2Head:])
	if err != nil {
		return nil, err
	}
	if crc32.Checksum(b, castagnoli) != binary.LittleEndian.Uint32(v[1:s2Head]) {
		return nil, fmt.Errorf("checksum mismatch")
	}
	return b, nil
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
		if len(v) > 0 && v[0] == s2Tag {
			b, err = unS2(v)
		} else if bytes.HasPrefix(v, zstdMagic) {
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
