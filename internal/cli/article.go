package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/byline/byline/internal/model"
	"github.com/byline/byline/internal/render"
	"github.com/charmbracelet/colorprofile"
	"github.com/spf13/cobra"
)

// ArticleFlags are the output flags shared by `show` and `read`.
type ArticleFlags struct {
	Format  string // "", markdown, text, json
	NoPager bool
}

func (a *ArticleFlags) register(cmd *cobra.Command) {
	cmd.Flags().StringVarP(&a.Format, "format", "f", "", "output format: markdown, text or json (default: rendered on a terminal, markdown in a pipe)")
	cmd.Flags().BoolVar(&a.NoPager, "no-pager", false, "never start a pager")
}

func (a *ArticleFlags) validate() error {
	switch a.Format {
	case "", "markdown", "md", "text", "json":
		return nil
	}
	return usageErrorf("--format must be markdown, text or json, not %q", a.Format)
}

type articleJSON struct {
	Title     string `json:"title"`
	Author    string `json:"author"`
	Published string `json:"published"`
	URL       string `json:"url"`
	Site      string `json:"site"`
	Source    string `json:"source"`
	Note      string `json:"note,omitempty"`
	Markdown  string `json:"markdown"`
	Text      string `json:"text"`
}

// textWidth is the wrap width for articles: the terminal's, capped at 100
// columns of text; 80 in a pipe.
func (f *Factory) textWidth() int {
	if !f.IO.IsStdoutTTY() {
		return 80
	}
	return max(20, min(f.IO.TerminalWidth()-2, 100))
}

// printArticle writes a in the requested format. On a terminal with no
// format, it renders with glamour and pages when longer than the screen.
func printArticle(f *Factory, a model.Article, flags ArticleFlags) error {
	ios := f.IO
	doc := render.Document(a)
	switch flags.Format {
	case "markdown", "md":
		return writeAll(ios.Out, ensureNL(doc))
	case "text":
		return writeAll(ios.Out, ensureNL(render.PlainText(doc, f.textWidth())))
	case "json":
		enc := json.NewEncoder(ios.Out)
		enc.SetIndent("", "  ")
		return enc.Encode(articleJSON{a.Title, a.Author, rfc3339(a.Published), a.URL, a.Site, a.Source, a.Note,
			doc, render.BodyText(a.Markdown)})
	}
	if !ios.IsStdoutTTY() && ios.ColorMode() != "always" {
		return writeAll(ios.Out, ensureNL(doc))
	}
	out, err := render.Terminal(doc, f.textWidth(), render.Style{Dark: ios.IsDarkBackground(), NoColor: !ios.ColorEnabled()})
	if err != nil {
		// A render failure must not hide the article: fall back to plain text.
		out = render.PlainText(doc, f.textWidth())
	}
	if !flags.NoPager && ios.IsStdoutTTY() && strings.Count(out, "\n") >= ios.TerminalHeight() {
		pager := f.Config.Pager
		if pager == "" {
			pager = f.Getenv("PAGER")
		}
		if pager == "" {
			pager = "less -R"
		}
		if err := ios.StartPager(pager); err != nil {
			fmt.Fprintf(ios.ErrOut, "byline: pager %q: %v\n", pager, err)
		} else {
			defer ios.StopPager()
		}
	}
	var w io.Writer = ios.Out
	if ios.ColorEnabled() {
		w = &colorprofile.Writer{Forward: ios.Out, Profile: colorprofile.Env(os.Environ())}
	}
	return writeAll(w, ensureNL(out))
}

func ensureNL(s string) string {
	if !strings.HasSuffix(s, "\n") {
		return s + "\n"
	}
	return s
}

func writeAll(w io.Writer, s string) error {
	_, err := io.WriteString(w, s)
	return err
}
