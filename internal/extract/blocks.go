package extract

import (
	"strconv"
	"strings"

	"golang.org/x/net/html"
)

// heading renders h1–h6; a leading heading equal to the title is dropped.
func (c *converter) heading(n *html.Node) []string {
	var b strings.Builder
	var alts []string
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		c.inline(ch, &b, &alts)
	}
	md := strings.ReplaceAll(finishPara(b.String()), "  \n", " ")
	md = strings.ReplaceAll(md, "\n", " ")
	if md == "" {
		return nil
	}
	plain := plainInline(md)
	if c.lead && sameText(plain, c.title) {
		return nil
	}
	c.afterLabel = false
	if isFurnitureText(plain) {
		c.afterLabel = true
		return nil
	}
	level := int(n.Data[1] - '0')
	md = strings.TrimPrefix(md, "\\#")
	return []string{strings.Repeat("#", level) + " " + md}
}

func nextElement(n *html.Node) *html.Node {
	for s := n.NextSibling; s != nil; s = s.NextSibling {
		if s.Type == html.ElementNode {
			return s
		}
	}
	return nil
}

// isLinkList reports a list of links (a "Related" or "Read more" list).
func isLinkList(n *html.Node) bool {
	if !isElem(n, "ul", "ol") {
		return false
	}
	return linkDensity(n) > 0.8
}

// list renders ul/ol; a link list right after a "Related" heading is skipped
// by the heading, and the list itself when every item is furniture.
func (c *converter) list(n *html.Node) []string {
	if prev := prevElement(n); prev != nil && isFurnitureText(strings.TrimSpace(textContent(prev))) && isLinkList(n) {
		return nil
	}
	ordered := n.Data == "ol"
	start := 1
	if s, err := strconv.Atoi(attr(n, "start")); err == nil && s >= 0 && s < 1e6 {
		start = s
	}
	var items, lifted []string
	loose := false
	i := start
	for li := n.FirstChild; li != nil; li = li.NextSibling {
		if li.Type != html.ElementNode {
			continue
		}
		if isFurniture(li) {
			continue
		}
		var blocks []string
		if li.Data == "li" {
			c.inQuote++ // list items are never re-classified as speech
			blocks = c.children(li)
			c.inQuote--
		} else {
			blocks = c.block(li)
		}
		if len(blocks) == 0 {
			continue
		}
		if allCaptions(blocks) {
			lifted = append(lifted, blocks...)
			continue
		}
		marker := "- "
		if ordered {
			marker = strconv.Itoa(i) + ". "
			i++
		}
		if len(blocks) > 1 {
			loose = true
		}
		body := strings.Join(blocks, "\n\n")
		items = append(items, marker+indent(body, strings.Repeat(" ", len(marker))))
	}
	if len(items) == 0 {
		return lifted
	}
	c.lead = false
	sep := "\n"
	if loose {
		sep = "\n\n"
	}
	return append(lifted, strings.Join(items, sep))
}

func prevElement(n *html.Node) *html.Node {
	for s := n.PrevSibling; s != nil; s = s.PrevSibling {
		if s.Type == html.ElementNode {
			return s
		}
	}
	return nil
}

// indent prefixes every line but the first with pad (blank lines stay blank).
func indent(s, pad string) string {
	lines := strings.Split(s, "\n")
	for i := 1; i < len(lines); i++ {
		if lines[i] != "" {
			lines[i] = pad + lines[i]
		}
	}
	return strings.Join(lines, "\n")
}

// quoteLines prefixes every line with "> ".
func quoteLines(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if l == "" {
			lines[i] = ">"
		} else {
			lines[i] = "> " + l
		}
	}
	return strings.Join(lines, "\n")
}

// blockquote renders any <blockquote>, embeds included, as a block quote
// with its attribution inside.
func (c *converter) blockquote(n *html.Node) []string {
	c.inQuote++
	blocks := c.children(n)
	c.inQuote--
	if len(blocks) == 0 {
		return nil
	}
	c.lead = false
	return []string{quoteLines(strings.Join(blocks, "\n\n"))}
}

// pullQuote renders a pull quote once, where it stands, unless its text
// repeats a body paragraph.
func (c *converter) pullQuote(n *html.Node) []string {
	key := quoteKey(textContent(n))
	if key == "" || c.seenPull[key] {
		return nil
	}
	c.seenPull[key] = true
	if len(key) >= 12 {
		if !c.collected {
			c.collectBodyText(c.root)
			c.collected = true
		}
		for _, t := range c.bodyTexts {
			if strings.Contains(t, key) {
				return nil
			}
		}
	}
	return c.blockquote(n)
}

// pre renders a code block with a fence longer than any backtick run inside.
func (c *converter) pre(n *html.Node) []string {
	text := strings.Trim(cleanText(textContent(n)), "\n")
	if strings.TrimSpace(text) == "" {
		return nil
	}
	fence := "```"
	for strings.Contains(text, fence) {
		fence += "`"
	}
	c.lead = false
	return []string{fence + "\n" + text + "\n" + fence}
}
