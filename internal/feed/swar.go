package feed

// Word-at-a-time checks for the byte scans every document and body goes
// through: eight bytes at once when they are all printable ASCII.

const (
	lsb = 0x0101010101010101
	msb = 0x8080808080808080
)

// word8 reads s[i:i+8] little-endian; the compiler merges the loads.
func word8(s string, i int) uint64 {
	_ = s[i+7]
	return uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
		uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
}

func word8b(b []byte, i int) uint64 {
	_ = b[i+7]
	return uint64(b[i]) | uint64(b[i+1])<<8 | uint64(b[i+2])<<16 | uint64(b[i+3])<<24 |
		uint64(b[i+4])<<32 | uint64(b[i+5])<<40 | uint64(b[i+6])<<48 | uint64(b[i+7])<<56
}

// printable reports whether every byte of w is in 0x20–0x7e.
func printable(w uint64) bool {
	return unprintable(w) == 0
}

// unprintable flags (in their top bit) the bytes of w outside 0x20–0x7e.
// Borrows and carries may flag bytes above a flagged one too; the lowest
// flag is always right.
func unprintable(w uint64) uint64 {
	below := (w - lsb*0x20) &^ w & msb        // bytes < 0x20
	above := ((w + lsb*(127-0x7e)) | w) & msb // bytes > 0x7e
	return below | above
}
