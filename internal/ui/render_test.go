package ui

import (
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/byline/byline/internal/model"
)

// testRender is a small deterministic renderer for golden files, so that
// they do not change with glamour's output: Markdown wrapped to width,
// block quotes behind a "│ " bar.
func testRender(md string, width int, _, _ bool) (string, error) {
	var b strings.Builder
	for _, line := range strings.Split(md, "\n") {
		prefix := ""
		for strings.HasPrefix(line, ">") {
			prefix += "│ "
			line = strings.TrimPrefix(strings.TrimPrefix(line, ">"), " ")
		}
		w := max(width-ansi.StringWidth(prefix), 10)
		for _, l := range strings.Split(ansi.Wrap(line, w, ""), "\n") {
			b.WriteString(prefix + l + "\n")
		}
	}
	return b.String(), nil
}

func testDocument(a model.Article) string {
	return "# " + a.Title + "\n\n" + a.Markdown
}

func plainOpts() Options {
	return Options{Render: testRender, Document: testDocument, MarkReadOnOpen: true, WideWidth: 120,
		Starter: []StarterFeed{{Name: "Hacker News", URL: "https://news.ycombinator.com/rss"},
			{Name: "LWN", URL: "https://lwn.net/headlines/rss"}}}
}
