package store

import (
	"encoding/binary"
	"html"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
	"unsafe"

	"golang.org/x/text/unicode/norm"
)

// The full-text index (migration 003) does not tokenize: Go hands it each
// story's distinct words, already folded, separated by spaces, and FTS5's
// ascii tokenizer only splits on those spaces. Folding and de-duplicating in
// Go runs in the refresh workers, in parallel and outside the write lock,
// and with detail=none the index keeps no positions, so a word written once
// per story is all it needs: the serial insert does a third of the work
// unicode61 did on the raw text. Queries are folded by the same function, so
// both sides always agree on what a word is.

// maxWord bounds one indexed word in bytes; longer runs (a hostile feed's
// megabyte "word", an unbroken CJK sentence) are cut, at a rune boundary,
// the same way on both sides.
const maxWord = 128

// words collects the distinct folded words of one document. It runs for
// every new story, so it copies runs of plain letters whole, hashes each
// word once (hashWord) into an open-addressing set, and a reset empties the
// set by bumping a generation.
type words struct {
	out []byte
	tok []byte
	set []slot
	n   int    // words in set
	gen uint32 // slots of older generations are empty
}

type slot struct {
	h   uint64
	gen uint32
}

func newWords() *words {
	return &words{set: make([]slot, 1024), gen: 1}
}

// reset empties w for the next document, keeping its memory.
func (w *words) reset() {
	w.out, w.tok, w.n = w.out[:0], w.tok[:0], 0
	w.gen++
	if w.gen == 0 { // wrapped: old generations could look current
		clear(w.set)
		w.gen = 1
	}
}

// add appends the words of s that are not yet in w. A word is a maximal run
// of letters, numbers and private-use characters, lower-cased and without
// diacritics (fold).
func (w *words) add(s string) {
	w.addRun(s)
	w.flush()
}

// addHTML adds the words of an HTML fragment's text: tags are dropped (with
// the contents of script and style) and separate words ("a<br>b" is two),
// entities are decoded. It does not need to be a faithful renderer, only to
// keep markup names and attribute values (URLs, class names) out of the
// index, in one pass and without building the text.
func (w *words) addHTML(s string) {
	for len(s) > 0 {
		lt := strings.IndexByte(s, '<')
		if lt < 0 {
			w.addText(s)
			break
		}
		w.addText(s[:lt])
		w.flush()
		s = s[lt:]
		gt := strings.IndexByte(s, '>')
		if gt < 0 {
			break // unterminated tag: the rest is markup
		}
		tag := s[1:gt]
		s = s[gt+1:]
		for _, skip := range [...]string{"script", "style"} {
			if len(tag) >= len(skip) && strings.EqualFold(tag[:len(skip)], skip) {
				end := indexFold(s, "</"+skip)
				if end < 0 {
					s = ""
				} else {
					s = s[end:]
				}
			}
		}
	}
	w.flush()
}

// addText adds HTML text between tags: entities decoded, the last word left
// open.
func (w *words) addText(s string) {
	if strings.IndexByte(s, '&') >= 0 {
		s = html.UnescapeString(s)
	}
	w.addRun(s)
}

// indexFold is strings.Index of an ASCII needle, ignoring ASCII case.
func indexFold(s, needle string) int {
	for i := 0; i+len(needle) <= len(s); i++ {
		if strings.EqualFold(s[i:i+len(needle)], needle) {
			return i
		}
	}
	return -1
}

// addRun adds the words of s, leaving the last one open (a tag may follow
// in the middle of nothing: the caller flushes).
func (w *words) addRun(s string) {
	tok := w.tok
	for i := 0; i < len(s); {
		switch c := s[i]; byteClass[c] {
		case classWord: // copy the whole run of lower-case letters and digits
			j := i + 1
			for j < len(s) && byteClass[s[j]] == classWord {
				j++
			}
			if len(tok) == 0 && j < len(s) && byteClass[s[j]] == classSep {
				// A whole word already folded (most of them): no copy.
				w.word(unsafe.Slice(unsafe.StringData(s[i:j]), j-i))
				i = j + 1
				continue
			}
			tok = append(tok, s[i:j]...)
			i = j
		case classUpper:
			tok = append(tok, c+'a'-'A')
			i++
		case classSep:
			w.tok = tok
			w.flush()
			tok = w.tok
			i++
		default: // non-ASCII
			r, n := utf8.DecodeRuneInString(s[i:])
			i += n
			if isTokenRune(r) {
				tok = appendFolded(tok, r)
			} else {
				w.tok = tok
				w.flush()
				tok = w.tok
			}
		}
	}
	w.tok = tok
}

const (
	classSep = iota
	classWord
	classUpper
	classNonASCII
)

// byteClass sorts bytes for addRun.
var byteClass = func() (t [256]uint8) {
	for c := range 256 {
		switch {
		case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
			t[c] = classWord
		case 'A' <= c && c <= 'Z':
			t[c] = classUpper
		case c >= utf8.RuneSelf:
			t[c] = classNonASCII
		}
	}
	return t
}()

// hashWord hashes a word for the de-duplicating set, eight bytes at a time.
// Words of up to eight bytes (most of them) never collide with another of
// the same length, every step being a bijection; for the rest a collision
// within one story has odds near 2^-64, and would only leave one word of
// that story out of the index. So the set keeps hashes, not the bytes.
func hashWord(t []byte) uint64 {
	h := uint64(len(t)) * 0x9e3779b97f4a7c15
	for len(t) >= 8 {
		h = (h ^ binary.LittleEndian.Uint64(t)) * 0xff51afd7ed558ccd
		h ^= h >> 32
		t = t[8:]
	}
	if len(t) > 0 {
		var v uint64
		for i, b := range t {
			v |= uint64(b) << (8 * i)
		}
		h = (h ^ v) * 0xc4ceb9fe1a85ec53
		h ^= h >> 29
	}
	return h
}

// flush ends the current word.
func (w *words) flush() {
	t := w.tok
	if len(t) == 0 {
		return
	}
	w.tok = w.tok[:0]
	w.word(t)
}

// word adds the folded word t (which it does not keep) unless w has it.
func (w *words) word(t []byte) {
	if len(t) > maxWord {
		t = t[:maxWord] // t is valid UTF-8: only its last rune can be cut
		if i := lastRuneStart(t); !utf8.FullRune(t[i:]) {
			t = t[:i]
		}
	}
	h := hashWord(t)
	if !w.insert(h) {
		return // seen (or a 64-bit hash collision in one story: never in practice)
	}
	if len(w.out) > 0 {
		w.out = append(w.out, ' ')
	}
	w.out = append(w.out, t...)
}

// insert adds h to the set and reports whether it was new.
func (w *words) insert(h uint64) bool {
	if 2*(w.n+1) > len(w.set) {
		w.grow()
	}
	mask := uint64(len(w.set) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		sl := &w.set[i]
		if sl.gen != w.gen {
			*sl = slot{h, w.gen}
			w.n++
			return true
		}
		if sl.h == h {
			return false
		}
	}
}

// grow doubles the set, keeping the current generation's hashes.
func (w *words) grow() {
	old := w.set
	w.set = make([]slot, 2*len(old))
	mask := uint64(len(w.set) - 1)
	for _, sl := range old {
		if sl.gen != w.gen {
			continue
		}
		i := sl.h & mask
		for w.set[i].gen == w.gen {
			i = (i + 1) & mask
		}
		w.set[i] = sl
	}
}

// lastRuneStart is the index of the first byte of t's last rune.
func lastRuneStart(t []byte) int {
	i := len(t) - 1
	for i > 0 && !utf8.RuneStart(t[i]) {
		i--
	}
	return i
}

// list returns the words added since the last reset, in first-seen order.
func (w *words) list() []string {
	return strings.Fields(string(w.out))
}

// appendFolded appends r lower-cased and, for Latin and Greek letters,
// without its diacritics (é → e, Ä → a, ά → α), as unicode61's
// remove_diacritics did.
func appendFolded(b []byte, r rune) []byte {
	r = unicode.ToLower(r)
	if r >= 0xC0 && r < 0x400 || r >= 0x1E00 && r < 0x2000 {
		if base, ok := foldTable()[r]; ok {
			r = base
		}
	}
	return utf8.AppendRune(b, r)
}

// foldTable maps the precomposed Latin and Greek letters to their base
// letter: the first rune of the canonical decomposition when the rest are
// combining marks.
var foldTable = sync.OnceValue(func() map[rune]rune {
	m := make(map[rune]rune, 1024)
	for _, rg := range [][2]rune{{0xC0, 0x400}, {0x1E00, 0x2000}} {
		for r := rg[0]; r < rg[1]; r++ {
			d := []rune(norm.NFD.String(string(r)))
			if len(d) < 2 || d[0] >= 0x400 && (d[0] < 0x1E00 || d[0] >= 0x2000) {
				continue
			}
			marks := true
			for _, x := range d[1:] {
				marks = marks && unicode.Is(unicode.Mn, x)
			}
			if marks {
				m[r] = unicode.ToLower(d[0])
			}
		}
	}
	return m
})

// ftsQuery turns the user's words into a safe FTS5 query: every word, folded
// as the index folds it, becomes a quoted token, all of them must match, and
// the last one matches as a prefix when it has at least minPrefix bytes
// (shorter prefixes would merge the doclists of most of the vocabulary). The
// user's quotes, stars, parentheses, minus signs and keywords (AND, NEAR) are
// never read as query syntax. It returns "" when the input holds no
// searchable word.
func ftsQuery(input string) string {
	w := newWords()
	w.add(input)
	toks := w.list()
	if len(toks) == 0 {
		return ""
	}
	var b strings.Builder
	for i, t := range toks {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteByte('"')
		b.WriteString(t) // words never contain '"'
		b.WriteByte('"')
	}
	if len(toks[len(toks)-1]) >= minPrefix {
		b.WriteByte('*')
	}
	return b.String()
}

// minPrefix is the shortest last word searched as a prefix.
const minPrefix = 3

func isTokenRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.Is(unicode.Co, r)
}

// indexDoc is the text of one story as the index sees it.
type indexDoc struct {
	title, summary, content, article string
}

// text is the story's entry in the index: the distinct folded words of its
// title, summary, content and cached article. w is scratch space, reset here.
func (d indexDoc) text(w *words) string {
	w.reset()
	w.add(d.title)
	w.addHTML(d.summary)
	w.addHTML(d.content)
	w.add(d.article)
	return string(w.out)
}

const (
	ftsDeleteSQL = `DELETE FROM story_fts WHERE rowid = ?`
	ftsInsertSQL = `INSERT INTO story_fts (rowid, words) VALUES (?, ?)`
)
