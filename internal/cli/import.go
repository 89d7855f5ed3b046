package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/byline/byline/internal/model"
	"github.com/byline/byline/internal/sanitize"
	"github.com/byline/byline/internal/store"
	"github.com/byline/byline/internal/subs"
	"github.com/spf13/cobra"
)

// ImportOptions are the inputs of `byline import`.
type ImportOptions struct {
	F       *Factory
	File    string // a path, or - for stdin
	Refresh bool   // fetch the file's feeds once they are subscribed
	JSON    bool   // with Refresh: one JSON result per feed, as refresh --json
}

// NewCmdImport builds `byline import FILE|- [--refresh [--json]]`.
func NewCmdImport(f *Factory, runF func(*ImportOptions) error) *cobra.Command {
	opts := &ImportOptions{F: f}
	cmd := &cobra.Command{
		Use:   "import FILE|-",
		Short: "Import subscriptions from OPML or a newsboat urls file (- reads stdin)",
		Long: `Import subscriptions from an OPML 1.0/2.0 file (nested outlines become tags) or a
newsboat urls file (URL, then tags; "~Title" renames; # comments). Only http(s) feeds are
imported: exec:, filter:, file: and "|command" entries are reported and skipped, never run.
With --refresh, the file's feeds (new and already subscribed) are fetched right away, as
byline refresh would; otherwise run byline refresh afterwards.`,
		Args: exactArgs(1, "one FILE or -"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.File = args[0]
			if opts.JSON && !opts.Refresh {
				return usageErrorf("--json goes with --refresh")
			}
			if runF != nil {
				return runF(opts)
			}
			return importRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().BoolVar(&opts.Refresh, "refresh", false, "fetch the imported feeds right away")
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "with --refresh: print one JSON result per feed")
	return cmd
}

func importRun(ctx context.Context, opts *ImportOptions) error {
	f := opts.F
	var r io.Reader = f.IO.In
	if opts.File != "-" {
		file, err := os.Open(opts.File)
		if err != nil {
			return fmt.Errorf("import: %w", err)
		}
		defer file.Close()
		r = file
	}
	st, err := f.Store(ctx)
	if err != nil {
		return err
	}
	added, existing, urls, err := importInto(ctx, st, f.Now(), r, func(s string) { fmt.Fprintln(f.IO.ErrOut, s) })
	if err != nil {
		return err
	}
	if !opts.Refresh {
		fmt.Fprintf(f.IO.ErrOut, "imported %d feeds (%d already subscribed); run byline refresh to fetch them\n", added, existing)
		return nil
	}
	fmt.Fprintf(f.IO.ErrOut, "imported %d feeds (%d already subscribed)\n", added, existing)
	if len(urls) == 0 {
		return nil
	}
	ref, err := f.Refresher(ctx)
	if err != nil {
		return err
	}
	all, err := ref.Feeds(ctx, nil)
	if err != nil {
		return err
	}
	// The store keeps each URL as imported, so an exact match finds every
	// feed of the file (a file of 1,000 feeds must not cost 1,000 scans).
	want := make(map[string]bool, len(urls))
	for _, u := range urls {
		want[u] = true
	}
	feeds := all[:0]
	for _, fd := range all {
		if want[fd.URL] {
			feeds = append(feeds, fd)
		}
	}
	return refreshFeeds(ctx, f, ref, feeds, opts.JSON)
}

// importInto adds the subscriptions read from r to st; report receives one
// line per skipped entry. urls are the accepted feeds of the file, new or not.
func importInto(ctx context.Context, st *store.Store, now time.Time, r io.Reader, report func(string)) (added, existing int, urls []string, err error) {
	list, skipped, err := subs.Parse(r)
	if err != nil {
		return 0, 0, nil, fmt.Errorf("import: %w", err)
	}
	for _, s := range skipped {
		report(fmt.Sprintf("skipped line %d: %s: %s", s.Line, sanitize.Line(s.Entry, 120), s.Reason))
	}
	feeds := make([]model.Feed, len(list))
	urls = make([]string, len(list))
	for i, s := range list {
		feeds[i] = model.Feed{URL: s.URL, CustomTitle: s.Title, Tags: s.Tags, CreatedAt: now}
		urls[i] = s.URL
	}
	added, existing, err = st.AddFeeds(ctx, feeds)
	if err != nil {
		return 0, 0, nil, fmt.Errorf("import: %w", err)
	}
	return added, existing, urls, nil
}

// NewCmdExport builds `byline export`.
func NewCmdExport(f *Factory, runF func() error) *cobra.Command {
	return &cobra.Command{
		Use:   "export",
		Short: "Print subscriptions as OPML 2.0 (tags as outlines)",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF()
			}
			st, err := f.Store(cmd.Context())
			if err != nil {
				return err
			}
			feeds, err := st.Feeds(cmd.Context())
			if err != nil {
				return err
			}
			return subs.WriteOPML(f.IO.Out, feeds)
		},
	}
}
