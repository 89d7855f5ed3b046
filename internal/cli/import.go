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

// NewCmdImport builds `byline import FILE|-`.
func NewCmdImport(f *Factory, runF func(string) error) *cobra.Command {
	return &cobra.Command{
		Use:   "import FILE|-",
		Short: "Import subscriptions from OPML or a newsboat urls file (- reads stdin)",
		Long: `Import subscriptions from an OPML 1.0/2.0 file (nested outlines become tags) or a
newsboat urls file (URL, then tags; "~Title" renames; # comments). Only http(s) feeds are
imported: exec:, filter:, file: and "|command" entries are reported and skipped, never run.
Run byline refresh afterwards to fetch them.`,
		Args: exactArgs(1, "one FILE or -"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(args[0])
			}
			var r io.Reader = f.IO.In
			if args[0] != "-" {
				file, err := os.Open(args[0])
				if err != nil {
					return fmt.Errorf("import: %w", err)
				}
				defer file.Close()
				r = file
			}
			added, existing, err := importSubs(cmd.Context(), f, r)
			if err != nil {
				return err
			}
			fmt.Fprintf(f.IO.ErrOut, "imported %d feeds (%d already subscribed); run byline refresh to fetch them\n", added, existing)
			return nil
		},
	}
}

// importSubs parses r and adds every acceptable subscription; skipped entries
// are reported on stderr.
func importSubs(ctx context.Context, f *Factory, r io.Reader) (added, existing int, err error) {
	st, err := f.Store(ctx)
	if err != nil {
		return 0, 0, err
	}
	return importInto(ctx, st, f.Now(), r, func(s string) { fmt.Fprintln(f.IO.ErrOut, s) })
}

// importInto adds the subscriptions read from r to st; report receives one
// line per skipped entry.
func importInto(ctx context.Context, st *store.Store, now time.Time, r io.Reader, report func(string)) (added, existing int, err error) {
	list, skipped, err := subs.Parse(r)
	if err != nil {
		return 0, 0, fmt.Errorf("import: %w", err)
	}
	for _, s := range skipped {
		report(fmt.Sprintf("skipped line %d: %s: %s", s.Line, sanitize.Line(s.Entry, 120), s.Reason))
	}
	feeds := make([]model.Feed, len(list))
	for i, s := range list {
		feeds[i] = model.Feed{URL: s.URL, CustomTitle: s.Title, Tags: s.Tags, CreatedAt: now}
	}
	added, existing, err = st.AddFeeds(ctx, feeds)
	if err != nil {
		return 0, 0, fmt.Errorf("import: %w", err)
	}
	return added, existing, nil
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
