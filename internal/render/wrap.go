package render

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
	"github.com/rivo/uniseg"
)

// unit is a piece of text the wrapper never splits unless it is wider than a
// whole line: a word, or a single wide character (Chinese and Japanese text
// has no spaces; a line may break between any two ideographs).
type unit struct {
	text  string
	width int
	space bool // a space separates it from the previous unit
}

// wrap breaks s into lines of at most width display cells. Runs of blanks
// collapse to one space. Wide characters are measured as two cells. Words
// wider than a line are cut between grapheme clusters.
func wrap(s string, width int) []string {
	if width < 1 {
		width = 1
	}
	var lines []string
	var cur strings.Builder
	curW := 0
	flush := func() {
		lines = append(lines, cur.String())
		cur.Reset()
		curW = 0
	}
	for _, u := range units(s) {
		sep := 0
		if u.space && curW > 0 {
			sep = 1
		}
		switch {
		case curW+sep+u.width <= width:
			if sep == 1 {
				cur.WriteByte(' ')
			}
			cur.WriteString(u.text)
			curW += sep + u.width
		case u.width <= width:
			flush()
			cur.WriteString(u.text)
			curW = u.width
		default: // longer than a line: start afresh and cut it
			if curW > 0 {
				flush()
			}
			g := uniseg.NewGraphemes(u.text)
			for g.Next() {
				c := g.Str()
				cw := ansi.StringWidth(c)
				if curW+cw > width && curW > 0 {
					flush()
				}
				cur.WriteString(c)
				curW += cw
			}
		}
	}
	if curW > 0 || len(lines) == 0 {
		flush()
	}
	return lines
}

// units splits s at blanks, and around every wide grapheme cluster.
func units(s string) []unit {
	var out []unit
	for _, word := range strings.Fields(s) {
		if isNarrow(word) {
			out = append(out, unit{text: word, width: ansi.StringWidth(word), space: true})
			continue
		}
		space := true
		var run strings.Builder
		runW := 0
		endRun := func() {
			if runW > 0 || run.Len() > 0 {
				out = append(out, unit{text: run.String(), width: runW, space: space})
				space = false
				run.Reset()
				runW = 0
			}
		}
		g := uniseg.NewGraphemes(word)
		for g.Next() {
			c := g.Str()
			cw := ansi.StringWidth(c)
			if cw >= 2 && !isHangul(c) {
				endRun()
				out = append(out, unit{text: c, width: cw, space: space})
				space = false
				continue
			}
			run.WriteString(c)
			runW += cw
		}
		endRun()
	}
	return out
}

// isHangul reports whether a cluster is Korean: Korean separates words with
// spaces and breaks lines between them, unlike Chinese and Japanese.
func isHangul(c string) bool {
	for _, r := range c {
		return (r >= 0xac00 && r <= 0xd7af) || (r >= 0x1100 && r <= 0x11ff) || (r >= 0x3130 && r <= 0x318f)
	}
	return false
}

// isNarrow reports whether every rune of s is below the first wide block, so
// that the word can be measured whole.
func isNarrow(s string) bool {
	for _, r := range s {
		if r >= 0x1100 {
			return false
		}
	}
	return true
}
