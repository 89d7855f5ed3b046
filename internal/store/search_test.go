package store

import (
	"bytes"
	"crypto/rand"
	"strings"
	"testing"
)

func TestPack(t *testing.T) {
	noise := make([]byte, 4096)
	rand.Read(noise)
	tests := []struct {
		name       string
		in         string
		compressed bool
	}{
		{"empty", "", false},
		{"short", "<p>a short summary</p>", false},
		{"long prose", strings.Repeat("<p>The quick brown fox jumps over the lazy dog.</p>\n", 40), true},
		{"incompressible", string(noise), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := pack(tt.in)
			b, isBlob := v.([]byte)
			if isBlob != tt.compressed {
				t.Fatalf("pack stored %T, want compressed=%t", v, tt.compressed)
			}
			if isBlob && len(b) >= len(tt.in) {
				t.Errorf("compressed %d bytes to %d", len(tt.in), len(b))
			}
			if isBlob && !bytes.Equal(b, pack(tt.in).([]byte)) {
				t.Error("pack is not deterministic")
			}
			got, err := unpack(v)
			if err != nil || got != tt.in {
				t.Errorf("unpack = %d bytes, %v; want %d bytes", len(got), err, len(tt.in))
			}
		})
	}
	if _, err := unpack([]byte("not deflate at all")); err == nil {
		t.Error("unpack of garbage succeeded")
	}
}
