package feed

import (
	"bytes"
	"strings"
)

// scanner is the fast path's XML tokenizer. It accepts a strict subset of
// what encoding/xml's non-strict mode accepts (ASCII names, quoted attribute
// values, matching end tags) and reports anything else as odd, so the
// caller can hand the document to gofeed instead. It never decodes text:
// gofeed works on each element's raw inner XML, so the fast path does too.
type scanner struct {
	b     []byte
	i     int
	attrs []xattr     // backing store reused by every start tag
	open  [][2][]byte // skip's stack of open names (prefix, local)
}

type tokKind int

const (
	tokOdd   tokKind = iota // something the fast path does not handle
	tokStart                // start tag (tag.empty for <x/>)
	tokEnd                  // end tag
)

type xattr struct{ prefix, local, raw []byte }

type xtag struct {
	prefix, local []byte
	attrs         []xattr
	empty         bool
	start, end    int // offsets of '<' and just past '>'
}

var (
	commentOpen = []byte("<!--")
	dashDash    = []byte("--")
	piClose     = []byte("?>")
	cdataEndB   = []byte(cdataEnd)
)

// next moves past text, comments, processing instructions and CDATA to the
// next tag and fills t. Text passed over is checked for what makes
// encoding/xml fail.
func (s *scanner) next(t *xtag) tokKind {
	for {
		j := bytes.IndexByte(s.b[s.i:], '<')
		if j < 0 {
			return tokOdd // the root never closed
		}
		if !textOK(s.b[s.i : s.i+j]) {
			return tokOdd
		}
		s.i += j
		rest := s.b[s.i:]
		if len(rest) < 2 {
			return tokOdd
		}
		switch rest[1] {
		case '!':
			switch {
			case bytes.HasPrefix(rest, commentOpen):
				// encoding/xml rejects "--" inside a comment.
				k := bytes.Index(rest[4:], dashDash)
				if k < 0 || 4+k+2 >= len(rest) || rest[4+k+2] != '>' {
					return tokOdd
				}
				s.i += 4 + k + 3
			case bytes.HasPrefix(rest, cdataOpen):
				k := bytes.Index(rest[len(cdataOpen):], cdataEndB)
				if k < 0 {
					return tokOdd
				}
				s.i += len(cdataOpen) + k + len(cdataEndB)
			default:
				return tokOdd // DOCTYPE and other directives
			}
		case '?':
			if !s.procInst() {
				return tokOdd
			}
		case '/':
			return s.endTag(t)
		default:
			return s.startTag(t)
		}
	}
}

// procInst skips a processing instruction. An XML declaration must say
// version 1.0 and UTF-8 (or nothing), as prepare leaves it.
func (s *scanner) procInst() bool {
	rest := s.b[s.i:]
	k := bytes.Index(rest[2:], piClose)
	if k < 0 {
		return false
	}
	k += 2
	body := rest[2:k]
	if bytes.IndexByte(body, '<') >= 0 || bytes.IndexByte(body, '>') >= 0 {
		return false // checkDepth reads a PI only to its first '>'
	}
	n := nameLen(body)
	if n == 0 || (n < len(body) && !isSpace(body[n])) {
		return false
	}
	if strings.EqualFold(string(body[:n]), "xml") {
		if string(body[:n]) != "xml" {
			return false
		}
		content := string(body[n:])
		if v, ok := procInstParam("version", content); !ok || (v != "" && v != "1.0") {
			return false
		}
		if e, ok := procInstParam("encoding", content); !ok || (e != "" && !strings.EqualFold(e, "utf-8")) {
			return false
		}
	}
	s.i += k + 2
	return true
}

// procInstParam finds param="value" in an XML declaration; ok is false when
// the text is too irregular to be sure what encoding/xml would read.
func procInstParam(param, s string) (string, bool) {
	idx := strings.Index(s, param)
	if idx < 0 {
		return "", true
	}
	if strings.Count(s, param) > 1 {
		return "", false
	}
	v := strings.TrimLeft(s[idx+len(param):], " \t\r\n")
	if !strings.HasPrefix(v, "=") {
		return "", false
	}
	v = strings.TrimLeft(v[1:], " \t\r\n")
	if v == "" || (v[0] != '"' && v[0] != '\'') {
		return "", false
	}
	end := strings.IndexByte(v[1:], v[0])
	if end < 0 {
		return "", false
	}
	return v[1 : 1+end], true
}

func (s *scanner) endTag(t *xtag) tokKind {
	t.start = s.i
	k := s.i + 2
	var ok bool
	if t.prefix, t.local, k, ok = s.qname(k); !ok {
		return tokOdd
	}
	for k < len(s.b) && isSpace(s.b[k]) {
		k++
	}
	if k >= len(s.b) || s.b[k] != '>' {
		return tokOdd
	}
	t.attrs, t.empty = nil, false
	t.end = k + 1
	s.i = t.end
	return tokEnd
}

func (s *scanner) startTag(t *xtag) tokKind {
	t.start = s.i
	k := s.i + 1
	var ok bool
	if t.prefix, t.local, k, ok = s.qname(k); !ok {
		return tokOdd
	}
	attrs := s.attrs[:0]
	for {
		for k < len(s.b) && isSpace(s.b[k]) {
			k++
		}
		if k >= len(s.b) {
			return tokOdd
		}
		switch s.b[k] {
		case '>':
			t.attrs, t.empty, t.end = attrs, false, k+1
			s.attrs, s.i = attrs, k+1
			return tokStart
		case '/':
			if k+1 >= len(s.b) || s.b[k+1] != '>' {
				return tokOdd
			}
			t.attrs, t.empty, t.end = attrs, true, k+2
			s.attrs, s.i = attrs, k+2
			return tokStart
		}
		var a xattr
		if a.prefix, a.local, k, ok = s.qname(k); !ok {
			return tokOdd
		}
		for k < len(s.b) && isSpace(s.b[k]) {
			k++
		}
		if k >= len(s.b) || s.b[k] != '=' {
			return tokOdd // valueless attribute: non-strict only
		}
		k++
		for k < len(s.b) && isSpace(s.b[k]) {
			k++
		}
		if k >= len(s.b) || (s.b[k] != '"' && s.b[k] != '\'') {
			return tokOdd // unquoted value: non-strict only
		}
		q := s.b[k]
		end := bytes.IndexByte(s.b[k+1:], q)
		if end < 0 {
			return tokOdd
		}
		a.raw = s.b[k+1 : k+1+end]
		if bytes.IndexByte(a.raw, '<') >= 0 || bytes.IndexByte(a.raw, '\r') >= 0 || !refsOK(a.raw) {
			return tokOdd
		}
		for _, o := range attrs {
			if bytes.Equal(o.local, a.local) && bytes.Equal(o.prefix, a.prefix) {
				return tokOdd // duplicate: which one wins differs between readers
			}
		}
		attrs = append(attrs, a)
		k += 1 + end + 1
	}
}

// skipDepth bounds nesting inside a skipped element. The fast path's own
// structure is at most four levels deep, so documents it accepts stay within
// MaxDepth, as checkDepth would require.
const skipDepth = MaxDepth - 8

// skip moves past the content and end tag of the element t opened and
// returns where its inner XML ends. Nested elements must close in order.
func (s *scanner) skip(t *xtag) (innerEnd int, ok bool) {
	if t.empty {
		return t.end, true
	}
	stack := append(s.open[:0], [2][]byte{t.prefix, t.local})
	defer func() { s.open = stack[:0] }()
	var c xtag
	for {
		switch s.next(&c) {
		case tokStart:
			if !c.empty {
				if len(stack) >= skipDepth {
					return 0, false // deep documents get checkDepth's verdict
				}
				stack = append(stack, [2][]byte{c.prefix, c.local})
			}
		case tokEnd:
			top := stack[len(stack)-1]
			if !bytes.Equal(top[1], c.local) || !bytes.Equal(top[0], c.prefix) {
				return 0, false
			}
			if stack = stack[:len(stack)-1]; len(stack) == 0 {
				return c.start, true
			}
		default:
			return 0, false
		}
	}
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

// qname reads a qualified name (prefix:local or local) starting at k and
// returns its parts and the index after it.
func (s *scanner) qname(k int) (prefix, local []byte, next int, ok bool) {
	n := nameLen(s.b[k:])
	if n == 0 {
		return nil, nil, k, false
	}
	prefix, local, ok = splitName(s.b[k : k+n])
	return prefix, local, k + n, ok
}

// nameLen is the length of the XML name (ASCII only) at the start of b.
func nameLen(b []byte) int {
	if len(b) == 0 || !(b[0]|0x20 >= 'a' && b[0]|0x20 <= 'z' || b[0] == '_') {
		return 0
	}
	n := 1
	for n < len(b) {
		c := b[n]
		if c|0x20 >= 'a' && c|0x20 <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '.' || c == ':' {
			n++
			continue
		}
		if c >= 0x80 {
			return 0 // non-ASCII names: leave them to encoding/xml
		}
		break
	}
	return n
}

// splitName splits prefix:local; ok is false for shapes encoding/xml reads
// differently (several colons, empty parts).
func splitName(b []byte) (prefix, local []byte, ok bool) {
	k := bytes.IndexByte(b, ':')
	if k < 0 {
		return nil, b, true
	}
	if k == 0 || k == len(b)-1 || bytes.IndexByte(b[k+1:], ':') >= 0 || nameLen(b[k+1:]) != len(b)-k-1 {
		return nil, nil, false
	}
	return b[:k], b[k+1:], true
}
