package feed

import (
	"bytes"
	"math/bits"
	"regexp"
	"strconv"
	"unicode/utf8"
)

// illegalCharRef matches numeric character references; those naming a
// character outside XML's Char production make encoding/xml fail even in
// non-strict mode, so they are removed.
var illegalCharRef = regexp.MustCompile(`&#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,10}));`)

// stripIllegalXML removes characters outside XML 1.0's Char production (C0
// controls other than tab, LF, CR; U+FFFE, U+FFFF), raw or as character
// references. Terminal escapes and C1 controls are left to sanitize, per field.
func stripIllegalXML(b []byte) []byte {
	if hasIllegalCharRef(b) {
		b = illegalCharRef.ReplaceAllFunc(b, func(m []byte) []byte {
			sub := illegalCharRef.FindSubmatch(m)
			var n uint64
			var err error
			if len(sub[1]) > 0 {
				n, err = strconv.ParseUint(string(sub[1]), 16, 32)
			} else {
				n, err = strconv.ParseUint(string(sub[2]), 10, 32)
			}
			if err != nil || !isXMLChar(n) {
				return nil
			}
			return m
		})
	}
	if !hasIllegalChar(b) {
		return b
	}
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if !isXMLChar(uint64(r)) && r != utf8.RuneError {
			i += size
			continue
		}
		out = append(out, b[i:i+size]...)
		i += size
	}
	return out
}

// hasIllegalChar reports whether b holds a rune stripIllegalXML removes: a
// C0 control other than tab, LF and CR, or U+FFFE/U+FFFF (EF BF BE/BF).
// Eight bytes at a time, it stops only at control bytes and 0xEF.
func hasIllegalChar(b []byte) bool {
	i := 0
	for i+8 <= len(b) {
		m := suspectBytes(word8b(b, i))
		if m == 0 {
			i += 8
			continue
		}
		i += bits.TrailingZeros64(m) >> 3 // the first flagged byte is a true one
		if illegalAt(b, i) {
			return true
		}
		i++
	}
	for ; i < len(b); i++ {
		if illegalAt(b, i) {
			return true
		}
	}
	return false
}

// suspectBytes flags (in their top bit) the bytes of w below 0x20 or equal
// to 0xEF. Borrows may flag bytes above a flagged one too; the lowest flag
// is always right.
func suspectBytes(w uint64) uint64 {
	below := (w - lsb*0x20) &^ w & msb
	x := w ^ lsb*0xef
	return below | (x-lsb)&^x&msb
}

func illegalAt(b []byte, i int) bool {
	c := b[i]
	return c < 0x20 && c != '\t' && c != '\n' && c != '\r' ||
		c == 0xef && i+2 < len(b) && b[i+1] == 0xbf && (b[i+2] == 0xbe || b[i+2] == 0xbf)
}

// hasIllegalCharRef reports whether illegalCharRef matches a reference that
// stripIllegalXML would drop, without the regexp's cost or a copy on the
// common document whose references are all legal.
func hasIllegalCharRef(b []byte) bool {
	for {
		k := bytes.Index(b, []byte("&#"))
		if k < 0 {
			return false
		}
		b = b[k+2:]
		digits, base, maxLen := b, 10, 10
		if len(b) > 0 && (b[0] == 'x' || b[0] == 'X') {
			digits, base, maxLen = b[1:], 16, 8
		}
		n := 0
		for n < len(digits) && n <= maxLen && isDigit(digits[n], base) {
			n++
		}
		if n == 0 || n > maxLen || n >= len(digits) || digits[n] != ';' {
			continue
		}
		// At most ten digits: no uint64 overflow; above 32 bits is what
		// ParseUint(…, 32) rejects.
		var v uint64
		for _, c := range digits[:n] {
			v = v*uint64(base) + uint64(hexVal(c))
		}
		if v > 0xffffffff || !isXMLChar(v) {
			return true
		}
	}
}

func isDigit(c byte, base int) bool {
	return c >= '0' && c <= '9' || base == 16 && (c|0x20 >= 'a' && c|0x20 <= 'f')
}

// isXMLChar reports whether n is in XML 1.0's Char production.
func isXMLChar(n uint64) bool {
	return n == 0x9 || n == 0xa || n == 0xd || (n >= 0x20 && n <= 0xd7ff) ||
		(n >= 0xe000 && n <= 0xfffd) || (n >= 0x10000 && n <= 0x10ffff)
}

func hexVal(c byte) byte {
	if c <= '9' {
		return c - '0'
	}
	return c | 0x20 - 'a' + 10
}
