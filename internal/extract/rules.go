package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
)

func sameText(a, b string) bool {
	if b == "" {
		return false
	}
	ka, kb := quoteKey(a), quoteKey(b)
	return ka != "" && ka == kb
}

// nodesLinkDensity is the share of the nodes' text inside links.
func nodesLinkDensity(nodes []*html.Node) float64 {
	t, l := 0, 0
	for _, n := range nodes {
		t += len(strings.TrimSpace(textContent(n)))
		if isElem(n, "a") {
			l += len(strings.TrimSpace(textContent(n)))
		} else {
			l += linkTextLen(n)
		}
	}
	if t == 0 {
		return 0
	}
	return float64(l) / float64(t)
}

// isLinkRun reports a paragraph that is only a run of three or more links
// (a tag cloud or a list of related stories set as one line).
func isLinkRun(nodes []*html.Node) bool {
	links := 0
	for _, n := range nodes {
		walk(n, func(x *html.Node) bool {
			if isElem(x, "a") {
				links++
				return false
			}
			return true
		})
	}
	return links >= 3 && nodesLinkDensity(nodes) > 0.8
}

// isShoutedLink reports a paragraph that is one link in capitals: a
// promoted headline ("TAYLOR SWIFT CLEARED TO PERFORM …").
func isShoutedLink(nodes []*html.Node, plain string) bool {
	if len(plain) > 300 {
		return false
	}
	upper, lower, words := 0, 0, 0
	prevSpace := true
	for _, r := range plain {
		switch {
		case unicode.IsUpper(r):
			upper++
		case unicode.IsLower(r):
			lower++
			if lower > 3 && lower*9 > upper {
				return false // clearly mixed case: most paragraphs stop here
			}
		}
		space := unicode.IsSpace(r)
		if prevSpace && !space {
			words++
		}
		prevSpace = space
	}
	return words >= 4 && upper > 0 && lower*9 <= upper && nodesLinkDensity(nodes) > 0.9
}

// bylineRe matches a byline paragraph: "By Jane Doe", "Par …", "Von …".
var bylineRe = lazyRegexp(`(?i)^(by|par|von|por|di|door|av|af)\s+\S`)

// isBylineText reports a short byline paragraph near the top of the article.
func isBylineText(s, author string) bool {
	if len(strings.Fields(s)) > 10 {
		return false
	}
	if author != "" && (sameText(s, author) || sameText(s, "by "+author)) {
		return true
	}
	if !bylineRe().MatchString(s) || strings.ContainsAny(s, "!?") {
		return false
	}
	// After "By", a byline holds names: capitalised words and connectors.
	for _, w := range strings.Fields(s)[1:] {
		r, _ := utf8.DecodeRuneInString(w)
		if !unicode.IsUpper(r) && !nameConnectors[strings.ToLower(strings.Trim(w, ",&"))] {
			return false
		}
	}
	return true
}

var nameConnectors = map[string]bool{"": true, "and": true, "und": true, "et": true, "y": true, "e": true, "de": true,
	"da": true, "van": true, "von": true, "der": true, "del": true, "la": true, "le": true, "with": true, "in": true, "for": true, "bin": true, "al": true}

func hasLetter(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) {
			return true
		}
	}
	return false
}
