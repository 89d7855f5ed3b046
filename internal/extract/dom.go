package extract

import (
	nurl "net/url"
	"strings"

	"golang.org/x/net/html"
)

// attr returns the value of n's attribute key, or "".
func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func setAttr(n *html.Node, key, val string) {
	for i, a := range n.Attr {
		if a.Key == key {
			n.Attr[i].Val = val
			return
		}
	}
	n.Attr = append(n.Attr, html.Attribute{Key: key, Val: val})
}

// walk visits n and its descendants in document order; fn returns false to
// skip a node's children. It uses an explicit stack so depth costs no Go stack.
func walk(n *html.Node, fn func(*html.Node) bool) {
	stack := []*html.Node{n}
	for len(stack) > 0 {
		cur := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if !fn(cur) {
			continue
		}
		for c := cur.LastChild; c != nil; c = c.PrevSibling {
			stack = append(stack, c)
		}
	}
}

func findFirst(n *html.Node, pred func(*html.Node) bool) *html.Node {
	var found *html.Node
	walk(n, func(c *html.Node) bool {
		if found != nil {
			return false
		}
		if pred(c) {
			found = c
			return false
		}
		return true
	})
	return found
}

// textContent is the concatenated text of n, as in the DOM property.
func textContent(n *html.Node) string {
	var b strings.Builder
	walk(n, func(c *html.Node) bool {
		if c.Type == html.TextNode {
			b.WriteString(c.Data)
		}
		return c.Type != html.ElementNode || (c.Data != "script" && c.Data != "style")
	})
	return b.String()
}

// linkTextLen is the length of text inside links under n.
func linkTextLen(n *html.Node) int {
	total := 0
	walk(n, func(c *html.Node) bool {
		if c.Type == html.ElementNode && c.Data == "a" {
			total += len(strings.TrimSpace(textContent(c)))
			return false
		}
		return true
	})
	return total
}

// linkDensity is the share of n's text that sits inside links.
func linkDensity(n *html.Node) float64 {
	t := len(strings.TrimSpace(textContent(n)))
	if t == 0 {
		return 0
	}
	return float64(linkTextLen(n)) / float64(t)
}

// resolve makes ref absolute against base; "" when it cannot.
func resolve(base *nurl.URL, ref string) string {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return ""
	}
	u, err := nurl.Parse(ref)
	if err != nil {
		return ""
	}
	if base != nil {
		u = base.ResolveReference(u)
	}
	return u.String()
}

// classID is the lower-cased class and id of n, for pattern rules.
func classID(n *html.Node) string {
	return strings.ToLower(attr(n, "class") + " " + attr(n, "id"))
}

// classTokens splits class and id into words at spaces, dashes and
// underscores, so that "share-buttons" yields "share" and "buttons".
func classTokens(n *html.Node) []string {
	if attr(n, "class") == "" && attr(n, "id") == "" {
		return nil
	}
	return strings.FieldsFunc(classID(n), func(r rune) bool {
		return r == ' ' || r == '-' || r == '_' || r == '\t' || r == '\n'
	})
}

func isElem(n *html.Node, tags ...string) bool {
	if n == nil || n.Type != html.ElementNode {
		return false
	}
	for _, t := range tags {
		if n.Data == t {
			return true
		}
	}
	return false
}
