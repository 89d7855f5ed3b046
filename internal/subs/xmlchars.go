package subs

import (
	"bytes"
	"regexp"
	"strconv"
)

// charRef matches numeric character references.
var charRef = regexp.MustCompile(`&#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,10}));`)

// dropIllegalXML removes C0 control bytes (other than tab, LF, CR) and
// references to characters XML forbids (&#27;, …), which would otherwise make
// encoding/xml reject the whole file. Byte-level, so it is safe for any
// ASCII-compatible charset; what remains goes through sanitize per field.
func dropIllegalXML(b []byte) []byte {
	if bytes.ContainsFunc(b, isC0) {
		out := make([]byte, 0, len(b))
		for _, c := range b {
			if !isC0(rune(c)) {
				out = append(out, c)
			}
		}
		b = out
	}
	if !bytes.Contains(b, []byte("&#")) {
		return b
	}
	return charRef.ReplaceAllFunc(b, func(m []byte) []byte {
		sub := charRef.FindSubmatch(m)
		var n uint64
		var err error
		if len(sub[1]) > 0 {
			n, err = strconv.ParseUint(string(sub[1]), 16, 32)
		} else {
			n, err = strconv.ParseUint(string(sub[2]), 10, 32)
		}
		ok := err == nil && (n == 0x9 || n == 0xa || n == 0xd || (n >= 0x20 && n <= 0xd7ff) ||
			(n >= 0xe000 && n <= 0xfffd) || (n >= 0x10000 && n <= 0x10ffff))
		if !ok {
			return nil
		}
		return m
	})
}

func isC0(r rune) bool { return r < 0x20 && r != '\t' && r != '\n' && r != '\r' }
