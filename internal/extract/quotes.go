package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// DirectSpeechThreshold is the share of a paragraph's letters and digits that
// must sit inside quotation marks for it to count as direct speech. "Mostly"
// quoted means more than the attribution around it: speech runs to whole
// sentences while "she said" is two words, so real speech scores 0.7–0.95,
// while a narrative paragraph that opens with a quoted title or phrase scores
// well under 0.4. See docs/extraction.md.
const DirectSpeechThreshold = 0.5

// closersFor lists the marks that close a quotation opened by r, and whether
// the opener is ambiguous (ASCII or single marks that double as apostrophes).
func closersFor(r rune) (closers string, single bool, ok bool) {
	switch r {
	case '“':
		return "”\"", false, true // also ” ” in Swedish, handled by the closer set
	case '”': // Swedish/Finnish ”…”
		return "”", false, true
	case '„':
		return "“”\"", false, true
	case '«':
		return "»", false, true
	case '»': // German/Danish »…«
		return "«", false, true
	case '「':
		return "」", false, true
	case '『':
		return "』", false, true
	case '"':
		return "\"”", false, true
	case '‘':
		return "’", true, true
	case '‚':
		return "‘’", true, true
	case '\'':
		return "'’", true, true
	case '‹':
		return "›", true, true
	case '›':
		return "‹", true, true
	}
	return "", false, false
}

// isWordRune reports whether r counts towards the quoted share.
func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// QuotedShare returns the share (0–1) of text's letters and digits that lie
// inside quotation marks: " “ ” ‘ ’ ' « » „ ‚ ‹ › 「 」 『 』. Single marks
// between letters (don’t, l’homme, rock 'n' roll's) are apostrophes, not
// quotes. A double or CJK quotation left open at the end counts as quoted
// (English omits the closing mark when speech continues in the next
// paragraph); an unclosed single mark does not.
func QuotedShare(text string) float64 {
	rs := []rune(strings.Map(normalizeSpaceRune, text))
	total, quoted := 0, 0
	for i := 0; i < len(rs); {
		r := rs[i]
		if isWordRune(r) {
			total++
			i++
			continue
		}
		closers, single, ok := closersFor(r)
		if !ok || !canOpen(rs, i, single) {
			i++
			continue
		}
		// Scan for the matching closer.
		j, n := i+1, 0
		closed := false
		for ; j < len(rs); j++ {
			if strings.ContainsRune(closers, rs[j]) && canClose(rs, j, single) && j > i+1 {
				closed = true
				break
			}
			if isWordRune(rs[j]) {
				n++
			}
		}
		if !closed && single {
			i++ // apostrophe or stray mark: keep reading after it
			continue
		}
		total += n
		quoted += n
		i = j + 1
	}
	if total == 0 {
		return 0
	}
	return float64(quoted) / float64(total)
}

// canOpen reports whether the mark at i may open a quotation: at the start or
// after a space, an opening bracket, a dash or another quote mark, and
// followed by something other than a space (except French guillemets, which
// take a space inside).
func canOpen(rs []rune, i int, single bool) bool {
	if i > 0 {
		p := rs[i-1]
		if isWordRune(p) || (single && (p == '.' || p == ',')) {
			return false
		}
	}
	if i+1 >= len(rs) {
		return false
	}
	next := rs[i+1]
	if unicode.IsSpace(next) {
		return rs[i] == '«' || rs[i] == '‹'
	}
	return true
}

// canClose reports whether the mark at j may close a single-mark quotation:
// not between two letters (then it is an apostrophe).
func canClose(rs []rune, j int, single bool) bool {
	if !single {
		return true
	}
	if j+1 < len(rs) && isWordRune(rs[j+1]) && j > 0 && isWordRune(rs[j-1]) {
		return false
	}
	return true
}

// IsDirectSpeech reports whether a paragraph is direct speech to be shown as
// a block quote: it opens with a quotation mark and at least
// DirectSpeechThreshold of its letters are inside quotation marks, so the
// attribution ("…," she said. "…") rides along while a paragraph that only
// opens with a quoted title or phrase stays a paragraph.
func IsDirectSpeech(text string) bool {
	text = strings.TrimSpace(strings.Map(normalizeSpaceRune, text))
	r, _ := utf8.DecodeRuneInString(text)
	if _, _, ok := closersFor(r); !ok {
		return false
	}
	if r == '’' || r == '›' {
		return false
	}
	rs := []rune(text)
	if !canOpen(rs, 0, false) {
		return false
	}
	words := 0
	for _, r := range rs {
		if isWordRune(r) {
			words++
		}
	}
	if words < 2 {
		return false
	}
	return QuotedShare(text) >= DirectSpeechThreshold
}

// normalizeSpaceRune maps no-break and other fixed-width spaces to a space.
func normalizeSpaceRune(r rune) rune {
	switch r {
	case '\u00a0', '\u202f', '\u2007', '\u2009', '\u200a', '\u3000':
		return ' '
	}
	return r
}

// cleanText normalizes characters that only serve layout: no-break spaces
// become spaces; soft hyphens and zero-width spaces go; zero-width joiners
// stay only inside emoji sequences and non-joiners only between letters
// (Persian and Indic spelling needs them).
func cleanText(s string) string {
	if isPlainASCII(s) {
		return s
	}
	rs := []rune(s)
	var b strings.Builder
	b.Grow(len(s))
	for i, r := range rs {
		switch r {
		case '\u00ad', '\u200b', '\u2060', '\ufeff', '\u180e':
			continue
		case '\u200d':
			if i == 0 || i+1 >= len(rs) || !isEmojiish(rs[i-1]) {
				continue
			}
		case '\u200c':
			if i == 0 || i+1 >= len(rs) || !unicode.IsLetter(rs[i-1]) || !unicode.IsLetter(rs[i+1]) {
				continue
			}
		}
		b.WriteRune(normalizeSpaceRune(r))
	}
	return b.String()
}

func isEmojiish(r rune) bool {
	return r >= 0x1f000 || (r >= 0x2600 && r <= 0x27bf) || r == 0xfe0f
}

func isPlainASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// cleanSpace is cleanText with whitespace collapsed, for one-line fields.
func cleanSpace(s string) string {
	return strings.Join(strings.Fields(cleanText(s)), " ")
}
