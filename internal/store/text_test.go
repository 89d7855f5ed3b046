package store

import (
	"bytes"
	stdflate "compress/flate"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"

	"github.com/klauspost/compress/zstd"
)

// deflated is what pack stored before the switch to zstd.
func deflated(t testing.TB, s string, level int) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, err := stdflate.NewWriter(&buf, level)
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(w, s)
	w.Close()
	return buf.Bytes()
}

func TestPackS2(t *testing.T) {
	for i, doc := range benchHTML(20) {
		v := pack(doc)
		b, ok := v.([]byte)
		if !ok || len(b) == 0 || b[0] != s2Tag || len(b) >= len(doc) {
			t.Fatalf("doc %d: pack = %T of %d bytes, want a smaller S2 blob", i, v, len(b))
		}
		if !bytes.Equal(b, pack(doc).([]byte)) {
			t.Fatalf("doc %d: pack is not deterministic", i)
		}
		got, err := unpack(v)
		if err != nil || got != doc {
			t.Fatalf("doc %d: unpack = %d bytes, %v; want %d bytes", i, len(got), err, len(doc))
		}
		// The format test in unpack relies on this: no inflater accepts a
		// stream that starts with either tag.
		if _, err := io.ReadAll(stdflate.NewReader(bytes.NewReader(b))); err == nil {
			t.Fatalf("doc %d: an S2 blob inflated as deflate", i)
		}
		z := encoder().EncodeAll([]byte(doc), nil)
		if _, err := io.ReadAll(stdflate.NewReader(bytes.NewReader(z))); err == nil {
			t.Fatalf("doc %d: a zstd frame inflated as deflate", i)
		}
	}
}

// Blobs written while pack used zstd are still read.
func TestUnpackZstd(t *testing.T) {
	for i, doc := range benchHTML(5) {
		got, err := unpack(encoder().EncodeAll([]byte(doc), nil))
		if err != nil || got != doc {
			t.Errorf("doc %d: unpack = %d bytes, %v; want %d bytes", i, len(got), err, len(doc))
		}
	}
}

func TestUnpackDeflate(t *testing.T) {
	docs := append(benchHTML(5), strings.Repeat("<p>ümlaut prose</p>\n", 100))
	for i, doc := range docs {
		for _, level := range []int{stdflate.BestSpeed, stdflate.DefaultCompression, stdflate.NoCompression} {
			got, err := unpack(deflated(t, doc, level))
			if err != nil || got != doc {
				t.Errorf("doc %d level %d: unpack = %d bytes, %v; want %d bytes", i, level, len(got), err, len(doc))
			}
		}
	}
}

func TestUnpackCorrupt(t *testing.T) {
	doc := benchHTML(1)[0]
	frame := encoder().EncodeAll([]byte(doc), nil)
	flipped := bytes.Clone(frame)
	flipped[len(flipped)/2] ^= 0x10
	old := deflated(t, doc, stdflate.BestSpeed)
	blob := pack(doc).([]byte)
	s2flip := bytes.Clone(blob)
	s2flip[len(s2flip)-3] ^= 0x01 // a literal byte: decodes, to the wrong text
	s2crc := bytes.Clone(blob)
	s2crc[2] ^= 0x01
	tests := map[string]any{
		"s2 flipped byte":   s2flip,
		"s2 bad checksum":   s2crc,
		"s2 truncated":      blob[:len(blob)-5],
		"s2 tag only":       []byte{s2Tag},
		"s2 header only":    blob[:s2Head],
		"s2 junk":           append([]byte{s2Tag, 0, 0, 0, 0}, "not a block"...),
		"zstd flipped byte": flipped,
		"zstd truncated":    frame[:len(frame)-5],
		"zstd magic only":   bytes.Clone(zstdMagic),
		"zstd magic junk":   append(bytes.Clone(zstdMagic), "not a frame at all"...),
		"deflate garbage":   []byte("not deflate at all"),
		"deflate truncated": old[:len(old)/2],
		"empty blob":        []byte{},
		"wrong type":        int64(42),
	}
	for name, v := range tests {
		if got, err := unpack(v); !errors.Is(err, ErrCorrupt) {
			t.Errorf("%s: unpack = %d bytes, %v; want ErrCorrupt", name, len(got), err)
		}
	}
}

func TestUnpackBomb(t *testing.T) {
	if testing.Short() {
		t.Skip("inflates 64 MiB four times")
	}
	zeros := make([]byte, 1<<20)
	over := maxUnpacked/len(zeros) + 1

	var zs bytes.Buffer // a streamed frame does not declare its size
	zw, _ := zstd.NewWriter(&zs, zstd.WithEncoderConcurrency(1))
	var fl bytes.Buffer
	fw, _ := stdflate.NewWriter(&fl, stdflate.BestSpeed)
	for range over {
		zw.Write(zeros)
		fw.Write(zeros)
	}
	zw.Close()
	fw.Close()
	// One frame that declares its size, and many small ones that add up.
	declared := zstd.EncodeTo(nil, make([]byte, maxUnpacked+1))
	small := encoder().EncodeAll(zeros, nil)
	many := bytes.Repeat(small, over)

	if v, ok := pack(string(make([]byte, maxUnpacked+1))).(string); !ok || len(v) != maxUnpacked+1 {
		t.Error("pack compressed a text that unpack would refuse")
	}

	// An S2 block declares its length up front.
	s2bomb := append([]byte{s2Tag, 0, 0, 0, 0}, binary.AppendUvarint(nil, maxUnpacked+1)...)
	for name, b := range map[string][]byte{"zstd streamed": zs.Bytes(), "zstd declared": declared,
		"zstd frames": many, "deflate": fl.Bytes(), "s2 declared": s2bomb} {
		if got, err := unpack(b); !errors.Is(err, ErrCorrupt) {
			t.Errorf("%s bomb (%d bytes): unpack = %d bytes, %v; want ErrCorrupt", name, len(b), len(got), err)
		}
	}
}

// FuzzUnpack feeds unpack arbitrary blobs: it must fail with ErrCorrupt or
// give text that packs back. Inputs are kept small because a few bytes of
// zstd (an RLE block) or deflate can legitimately expand to megabytes, which
// would leave the fuzzer doing little else.
func FuzzUnpack(f *testing.F) {
	doc := benchHTML(1)[0][:600]
	f.Add(pack(doc).([]byte))
	f.Add(deflated(f, doc, stdflate.BestSpeed))
	f.Add(append(bytes.Clone(zstdMagic), 0, 0, 0, 0))
	f.Add(encoder().EncodeAll([]byte(doc), nil))
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) > 512 {
			return
		}
		got, err := unpack(b)
		if err != nil {
			if !errors.Is(err, ErrCorrupt) {
				t.Fatalf("unpack error %v does not wrap ErrCorrupt", err)
			}
			return
		}
		if len(got) > maxUnpacked {
			t.Fatalf("unpack gave %d bytes", len(got))
		}
		if back, err := unpack(pack(got)); err != nil || back != got {
			t.Fatalf("round trip of %d bytes: %v", len(got), err)
		}
	})
}

func TestPackConcurrent(t *testing.T) {
	docs := benchHTML(16)
	want := make([][]byte, len(docs))
	for i, d := range docs {
		want[i] = pack(d).([]byte)
	}
	var wg sync.WaitGroup
	for g := range 16 {
		wg.Go(func() {
			for k := range 50 {
				i := (g + k) % len(docs)
				v := pack(docs[i])
				if !bytes.Equal(v.([]byte), want[i]) {
					t.Errorf("doc %d: concurrent pack differs", i)
					return
				}
				if got, err := unpack(v); err != nil || got != docs[i] {
					t.Errorf("doc %d: concurrent unpack = %v", i, err)
					return
				}
			}
		})
	}
	wg.Wait()
}

// benchHTML returns n story bodies shaped like the benchmark feed server's
// (bench/feedserver): 6–9 paragraphs of prose from a small news vocabulary
// with a figure, direct speech and a blockquote, about 2–5 KB each.
func benchHTML(n int) []string {
	words := strings.Fields(`the a council plan said would could residents officials budget year
		week month city region project report public local new first last many several critics
		support funding cost costs government agency community families workers service services
		decision meeting vote proposal changes future schools roads housing energy water transport
		data survey analysis evidence experts told statement published announced expected increase
		decrease million thousand percent spending growth pressure demand delay opposition members
		committee district neighbourhood coast river harbour station market centre network`)
	r := rand.New(rand.NewPCG(1, 6))
	sentences := func(k int) string {
		var b strings.Builder
		for ; k > 0; k-- {
			for w := 8 + r.IntN(10); w > 0; w-- {
				b.WriteString(words[r.IntN(len(words))])
				b.WriteByte(' ')
			}
			b.WriteString("said. ")
		}
		return b.String()
	}
	out := make([]string, n)
	for i := range out {
		var b strings.Builder
		for p := 6 + r.IntN(4); p > 0; p-- {
			switch p {
			case 2:
				fmt.Fprintf(&b, "<figure><img src=\"http://127.0.0.1:8080/img/%d/%d.jpg\" alt=\"%s\" width=\"1200\" "+
					"height=\"800\"><figcaption>%s Photo: Lena Brennan/Reuters</figcaption></figure>\n",
					i%20, i, sentences(1), sentences(1))
			case 4:
				fmt.Fprintf(&b, "<blockquote><p>%s</p></blockquote>\n", sentences(2))
			case 5:
				fmt.Fprintf(&b, "<p>“%s,” she said. “%s”</p>\n", sentences(1), sentences(1))
			}
			fmt.Fprintf(&b, "<p>%s</p>\n", sentences(3+r.IntN(3)))
		}
		out[i] = b.String()
	}
	return out
}

func BenchmarkPack(b *testing.B) {
	docs := benchHTML(64)
	var in, out int
	for _, d := range docs {
		in += len(d)
		v, _ := pack(d).([]byte)
		out += len(v)
	}
	b.SetBytes(int64(in / len(docs)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		pack(docs[i%len(docs)])
	}
	b.ReportMetric(float64(in)/float64(out), "ratio")
}

func BenchmarkUnpack(b *testing.B) {
	docs := benchHTML(64)
	vals := make([]any, len(docs))
	var in int
	for i, d := range docs {
		vals[i] = pack(d)
		in += len(d)
	}
	b.SetBytes(int64(in / len(docs)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := unpack(vals[i%len(vals)]); err != nil {
			b.Fatal(err)
		}
	}
}
