package feed

import (
	"bytes"
	"math"
	"unicode/utf8"
)

// textOK reports whether encoding/xml would read the text run without
// error: no "]]>" and no character reference to a character XML forbids.
func textOK(b []byte) bool {
	if bytes.IndexByte(b, ']') >= 0 && bytes.Contains(b, cdataEndB) {
		return false
	}
	return refsOK(b)
}

// refsOK checks numeric character references the way encoding/xml decodes
// them: a reference that parses must name a legal XML character.
func refsOK(b []byte) bool {
	for {
		k := bytes.Index(b, []byte("&#"))
		if k < 0 {
			return true
		}
		b = b[k+2:]
		base := 10
		if len(b) > 0 && b[0] == 'x' {
			base = 16
			b = b[1:]
		}
		n := 0
		for n < len(b) && (b[n] >= '0' && b[n] <= '9' || base == 16 && (b[n]|0x20 >= 'a' && b[n]|0x20 <= 'f')) {
			n++
		}
		if n < len(b) && b[n] == ';' {
			v, ok := refValue(b[:n], base)
			if ok && v <= utf8.MaxRune && !isXMLChar(uint64(rune32(v))) {
				return false
			}
		}
		b = b[n:]
	}
}

// rune32 is the code point string(rune(v)) produces: surrogates become
// U+FFFD.
func rune32(v uint64) rune {
	r := rune(v)
	if !utf8.ValidRune(r) {
		return utf8.RuneError
	}
	return r
}

// decodeCharData decodes character data as encoding/xml does (the predefined
// entities and character references; line ends normalised). ok is false
// for markup other than CDATA sections.
func decodeCharData(b []byte) (string, bool) {
	if bytes.IndexByte(b, '&') < 0 && bytes.IndexByte(b, '\r') < 0 && bytes.IndexByte(b, '<') < 0 {
		return string(b), true
	}
	var out []byte
	for len(b) > 0 {
		if bytes.HasPrefix(b, cdataOpen) {
			k := bytes.Index(b[len(cdataOpen):], cdataEndB)
			if k < 0 {
				return "", false
			}
			out = appendNewlines(out, b[len(cdataOpen):len(cdataOpen)+k])
			b = b[len(cdataOpen)+k+len(cdataEndB):]
			continue
		}
		switch c := b[0]; c {
		case '<':
			return "", false
		case '&':
			r, n := xmlRef(b)
			if n == 0 {
				out = append(out, '&')
				b = b[1:]
				continue
			}
			out = utf8.AppendRune(out, r)
			b = b[n:]
		case '\r':
			out = append(out, '\n')
			b = b[1:]
			if len(b) > 0 && b[0] == '\n' {
				b = b[1:]
			}
		default:
			out = append(out, c)
			b = b[1:]
		}
	}
	return string(out), true
}

// appendNewlines appends CDATA content, where encoding/xml still turns CR
// and CRLF into LF.
func appendNewlines(out, b []byte) []byte {
	for len(b) > 0 {
		k := bytes.IndexByte(b, '\r')
		if k < 0 {
			return append(out, b...)
		}
		out = append(append(out, b[:k]...), '\n')
		b = b[k+1:]
		if len(b) > 0 && b[0] == '\n' {
			b = b[1:]
		}
	}
	return out
}

// xmlRef decodes the reference at the start of b; n is 0 when encoding/xml
// would keep it as literal text.
func xmlRef(b []byte) (r rune, n int) {
	end := bytes.IndexByte(b, ';')
	if end < 0 {
		return 0, 0
	}
	ref := b[1:end]
	if len(ref) > 1 && ref[0] == '#' {
		digits, base := ref[1:], 10
		if digits[0] == 'x' {
			digits, base = digits[1:], 16
		}
		for _, c := range digits {
			if !(c >= '0' && c <= '9' || base == 16 && (c|0x20 >= 'a' && c|0x20 <= 'f')) {
				return 0, 0
			}
		}
		v, ok := refValue(digits, base)
		if !ok || v > utf8.MaxRune {
			return 0, 0
		}
		return rune32(v), end + 1
	}
	switch string(ref) {
	case "lt":
		return '<', end + 1
	case "gt":
		return '>', end + 1
	case "amp":
		return '&', end + 1
	case "apos":
		return '\'', end + 1
	case "quot":
		return '"', end + 1
	}
	return 0, 0
}

// attrValue decodes a raw attribute value.
func attrValue(raw []byte) string {
	if bytes.IndexByte(raw, '&') < 0 {
		return string(raw)
	}
	s, _ := decodeCharData(raw) // start tags never hold '<' or '\r' here
	return s
}

// refValue is strconv.ParseUint(digits, base, 64) for digit strings, without
// the allocation: ok is false when empty or out of range.
func refValue(digits []byte, base int) (uint64, bool) {
	if len(digits) == 0 {
		return 0, false
	}
	var v uint64
	for _, c := range digits {
		d := uint64(hexVal(c))
		if v > (math.MaxUint64-d)/uint64(base) {
			return 0, false
		}
		v = v*uint64(base) + d
	}
	return v, true
}
