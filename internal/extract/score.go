package extract

import (
	"unicode"
)

// Score is the shingle-matching score of one extracted text against its
// reference, as in the Zyte article-extraction benchmark: tp, fp and fn are
// normalised so that they sum to 1.
type Score struct {
	TP, FP, FN        float64
	Precision, Recall float64
}

// Tokens splits text into maximal runs of letters, digits and underscores,
// after dropping soft hyphens.
func Tokens(text string) []string {
	var out []string
	start := -1
	var cur []rune
	for _, r := range text {
		if r == '\u00ad' {
			continue
		}
		if unicode.IsLetter(r) || unicode.IsNumber(r) || r == '_' {
			if start < 0 {
				start = 0
				cur = cur[:0]
			}
			cur = append(cur, r)
			continue
		}
		if start >= 0 {
			out = append(out, string(cur))
			start = -1
		}
	}
	if start >= 0 {
		out = append(out, string(cur))
	}
	return out
}

// shingles counts the contiguous n-token shingles of toks; a text shorter
// than n tokens is one shingle.
func shingles(toks []string, n int) map[string]int {
	m := map[string]int{}
	if len(toks) == 0 {
		return m
	}
	if len(toks) < n {
		m[joinTokens(toks)]++
		return m
	}
	for i := 0; i+n <= len(toks); i++ {
		m[joinTokens(toks[i:i+n])]++
	}
	return m
}

func joinTokens(t []string) string {
	s := ""
	for i, x := range t {
		if i > 0 {
			s += "\x00"
		}
		s += x
	}
	return s
}

// ScoreText compares predicted text with the reference using 4-token
// shingles (multisets).
func ScoreText(truth, pred string) Score {
	ts, ps := shingles(Tokens(truth), 4), shingles(Tokens(pred), 4)
	var tp, fp, fn float64
	for k, tc := range ts {
		pc := ps[k]
		tp += float64(min(tc, pc))
		fn += float64(max(0, tc-pc))
	}
	for k, pc := range ps {
		fp += float64(max(0, pc-ts[k]))
	}
	if s := tp + fp + fn; s > 0 {
		tp, fp, fn = tp/s, fp/s, fn/s
	}
	sc := Score{TP: tp, FP: fp, FN: fn}
	switch {
	case fp == 0 && fn == 0:
		sc.Precision, sc.Recall = 1, 1
	default:
		if tp+fp > 0 {
			sc.Precision = tp / (tp + fp)
		}
		if tp+fn > 0 {
			sc.Recall = tp / (tp + fn)
		}
	}
	return sc
}
