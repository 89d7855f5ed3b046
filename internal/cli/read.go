package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/byline/byline/internal/refresh"
	"github.com/byline/byline/internal/sanitize"
	"github.com/spf13/cobra"
)

// ReadOptions are the inputs of `byline read`.
type ReadOptions struct {
	F       *Factory
	Source  string
	BaseURL string
	ArticleFlags
}

// NewCmdRead builds `byline read URL|FILE|-`.
func NewCmdRead(f *Factory, runF func(*ReadOptions) error) *cobra.Command {
	opts := &ReadOptions{F: f}
	cmd := &cobra.Command{
		Use:   "read URL|FILE|-",
		Short: "Reader mode for any page: a URL, a saved HTML file, or stdin",
		Args:  exactArgs(1, "one URL, FILE or -"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Source = args[0]
			if err := opts.validate(); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return readRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVar(&opts.BaseURL, "base-url", "", "URL against which links of a FILE or stdin are resolved")
	opts.register(cmd)
	return cmd
}

func readRun(ctx context.Context, opts *ReadOptions) error {
	f := opts.F
	c := f.Config
	// read needs no store: build the fetcher and extractor directly.
	r := &refresh.Refresher{Client: f.fetchClient(), Now: f.Now}
	src := opts.Source
	if strings.Contains(src, "://") {
		a, err := r.ReadURL(ctx, src)
		if err != nil {
			return fmt.Errorf("read %s: %s", sanitize.Line(src, 200), sanitize.Line(err.Error(), 400))
		}
		return printArticle(f, a, opts.ArticleFlags)
	}
	var in io.Reader = f.IO.In
	if src != "-" {
		file, err := os.Open(src)
		if err != nil {
			return fmt.Errorf("read: %w", err)
		}
		defer file.Close()
		in = file
	}
	page, err := io.ReadAll(io.LimitReader(in, int64(c.MaxBody)+1))
	if err != nil {
		return fmt.Errorf("read %s: %w", src, err)
	}
	if int64(len(page)) > int64(c.MaxBody) {
		return fmt.Errorf("read %s: too large (over %d bytes; see max_body)", src, int64(c.MaxBody))
	}
	base := opts.BaseURL
	if base != "" && sanitize.URL(base) == "" {
		return usageErrorf("--base-url must be an http(s) URL")
	}
	a, err := r.ExtractBounded(ctx, page, "", base)
	if err != nil {
		return fmt.Errorf("read %s: %s", src, sanitize.Line(err.Error(), 400))
	}
	a.URL = base
	return printArticle(f, a, opts.ArticleFlags)
}
