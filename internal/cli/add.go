package cli

import (
	"errors"
	"fmt"

	"github.com/byline/byline/internal/refresh"
	"github.com/byline/byline/internal/sanitize"
	"github.com/spf13/cobra"
)

// AddOptions are the inputs of `byline add`.
type AddOptions struct {
	F    *Factory
	URLs []string
	Tags []string
}

// NewCmdAdd builds `byline add URL… [--tag T]…`.
func NewCmdAdd(f *Factory, runF func(*AddOptions) error) *cobra.Command {
	opts := &AddOptions{F: f}
	cmd := &cobra.Command{
		Use:   "add URL...",
		Short: "Subscribe to feeds (a feed URL, or a site's page: its feed is discovered)",
		Args:  minArgs(1, "at least one URL"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.URLs = args
			for _, u := range args {
				if sanitize.URL(u) == "" {
					return usageErrorf("%q is not an http(s) URL", sanitize.Line(u, 200))
				}
			}
			if runF != nil {
				return runF(opts)
			}
			return addRun(cmd, opts)
		},
	}
	cmd.Flags().StringArrayVarP(&opts.Tags, "tag", "t", nil, "tag the new feeds (repeatable)")
	return cmd
}

func addRun(cmd *cobra.Command, opts *AddOptions) error {
	ctx := cmd.Context()
	r, err := opts.F.Refresher(ctx)
	if err != nil {
		return err
	}
	io := opts.F.IO
	failed := 0
	for _, u := range opts.URLs {
		f, n, err := r.Subscribe(ctx, u, cleanTags(opts.Tags))
		switch {
		case errors.Is(err, refresh.ErrAlreadySubscribed):
			fmt.Fprintf(io.ErrOut, "already subscribed: %s (feed %d)\n", f.URL, f.ID)
		case err != nil:
			failed++
			fmt.Fprintf(io.ErrOut, "byline: add %s: %s\n", sanitize.Line(u, 200), sanitize.Line(err.Error(), 400))
		default:
			fmt.Fprintf(io.Out, "added %d\t%s\t%s\t%d stories\n", f.ID, sanitize.Line(f.DisplayTitle(), 120), f.URL, n)
		}
	}
	if failed > 0 {
		return &SilentError{Code: 1}
	}
	return nil
}

func cleanTags(tags []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, t := range tags {
		t = sanitize.Line(t, 60)
		if t != "" && !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	return out
}
