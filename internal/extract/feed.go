package extract

import (
	nurl "net/url"
	"strings"
	"unicode"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// FullArticleWords is how many words of paragraph text feed content needs to
// count as the whole article. Excerpts stop well short of it: WordPress cuts
// at 55 words, most summaries hold one or two paragraphs (under ~150 words),
// while even a short news story runs past 250. See docs/extraction.md.
const FullArticleWords = 200

// FromHTML converts a feed's HTML content (content:encoded, Atom content) to
// canonical Markdown with the same quote, caption and furniture rules as
// Extract, but without readability: the feed already chose the content.
// Relative links resolve against baseURL. It returns "" for empty or
// unusable input.
func FromHTML(fragment, baseURL string) (md string) {
	defer func() {
		if recover() != nil {
			md = ""
		}
	}()
	root := parseFragment(fragment)
	if root == nil {
		return ""
	}
	base, _ := nurl.Parse(baseURL)
	if base != nil && base.Scheme == "" {
		base = nil
	}
	walk(root, func(n *html.Node) bool {
		if n.Type == html.ElementNode {
			mark(n)
		}
		return true
	})
	c := newConverter(base)
	return c.convert(root)
}

// parseFragment parses HTML in a <body> context, within the element and
// depth limits; nil when the fragment is too large.
func parseFragment(fragment string) *html.Node {
	if countStartTags([]byte(fragment), DefaultMaxElements) > DefaultMaxElements {
		return nil
	}
	body := &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body}
	nodes, err := html.ParseFragment(strings.NewReader(fragment), body)
	if err != nil {
		return nil
	}
	root := &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div}
	for _, n := range nodes {
		root.AppendChild(n)
	}
	pruneDepth(root, maxDepth)
	return root
}

// teaserEndRe matches the last words of an excerpt that sends the reader to
// the site: "Read more", "Continue reading", "[…]", "The post … appeared
// first on …" is not one (WordPress adds it to full posts too).
var teaserEndRe = lazyRegexp(`(?i)(read (the )?(more|full|rest)|continue reading|keep reading|lire la suite|weiterlesen|leer más|continua a leggere|続きを読む|阅读全文|閱讀全文|더 ?보기|\[(…|\.\.\.)\]|(…|\.\.\.)\s*(»|→|>)?)\s*\W*$`)

// IsFullArticle reports whether feed content is substantially the article,
// so that fetching the page is not needed: at least FullArticleWords words
// in at least two paragraphs, and not ending with a "Read more" or
// "Continue reading" link or an ellipsis.
func IsFullArticle(fragmentHTML string) bool {
	root := parseFragment(fragmentHTML)
	if root == nil {
		return false
	}
	md := FromHTML(fragmentHTML, "")
	text := PlainText(md)
	paras := 0
	words := 0
	for _, p := range strings.Split(text, "\n\n") {
		w := countWords(p)
		if w >= 8 {
			paras++
		}
		words += w
	}
	if paras < 2 || words < FullArticleWords {
		return false
	}
	// The raw text, not the Markdown: the converter already drops a
	// "Continue reading" link as furniture.
	tail := []rune(cleanSpace(textContent(root)))
	return !teaserEndRe().MatchString(string(tail[max(0, len(tail)-80):]))
}

// countWords counts space-separated words, and CJK characters at two per
// word (Chinese and Japanese do not separate words with spaces).
func countWords(s string) int {
	words, cjk := 0, 0
	in := false
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r) || unicode.Is(unicode.Katakana, r):
			cjk++
			in = false
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if !in {
				words++
			}
			in = true
		case r == '\'' || r == '’' || r == '-':
		default:
			in = false
		}
	}
	return words + cjk/2
}
