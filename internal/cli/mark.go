package cli

import (
	"fmt"
	"strconv"

	"github.com/byline/byline/internal/store"
	"github.com/spf13/cobra"
)

// MarkOptions are the inputs of `byline mark`.
type MarkOptions struct {
	F                          *Factory
	IDs                        []int64
	Read, Unread, Star, Unstar bool
	AllRead                    bool
	Feed                       string
}

// NewCmdMark builds `byline mark ID… --read|--unread|--star|--unstar` and
// `byline mark --all-read [--feed F]`.
func NewCmdMark(f *Factory, runF func(*MarkOptions) error) *cobra.Command {
	opts := &MarkOptions{F: f}
	cmd := &cobra.Command{
		Use:   "mark ID... --read|--unread|--star|--unstar | mark --all-read [--feed F]",
		Short: "Change the read or starred state of stories",
		RunE: func(cmd *cobra.Command, args []string) error {
			n := 0
			for _, b := range []bool{opts.Read, opts.Unread, opts.Star, opts.Unstar, opts.AllRead} {
				if b {
					n++
				}
			}
			if n != 1 {
				return usageErrorf("give exactly one of --read, --unread, --star, --unstar, --all-read")
			}
			if opts.AllRead && len(args) > 0 {
				return usageErrorf("--all-read takes no story ids (use --feed to narrow it)")
			}
			if !opts.AllRead && len(args) == 0 {
				return usageErrorf("mark needs story ids (see byline list)")
			}
			if opts.Feed != "" && !opts.AllRead {
				return usageErrorf("--feed goes with --all-read")
			}
			for _, a := range args {
				id, err := strconv.ParseInt(a, 10, 64)
				if err != nil || id <= 0 {
					return usageErrorf("%q is not a story id", a)
				}
				opts.IDs = append(opts.IDs, id)
			}
			if runF != nil {
				return runF(opts)
			}
			return markRun(cmd, opts)
		},
	}
	fl := cmd.Flags()
	fl.BoolVar(&opts.Read, "read", false, "mark read")
	fl.BoolVar(&opts.Unread, "unread", false, "mark unread")
	fl.BoolVar(&opts.Star, "star", false, "star")
	fl.BoolVar(&opts.Unstar, "unstar", false, "remove the star")
	fl.BoolVar(&opts.AllRead, "all-read", false, "mark every story read (or every story of --feed)")
	fl.StringVar(&opts.Feed, "feed", "", "with --all-read: only this feed (URL or id)")
	return cmd
}

func markRun(cmd *cobra.Command, opts *MarkOptions) error {
	ctx := cmd.Context()
	st, err := opts.F.Store(ctx)
	if err != nil {
		return err
	}
	if opts.AllRead {
		q := store.Query{}
		if q.FeedID, err = feedID(ctx, st, opts.Feed); err != nil {
			return err
		}
		ids, err := st.MarkAllRead(ctx, q)
		if err != nil {
			return err
		}
		fmt.Fprintf(opts.F.IO.ErrOut, "marked %d stories read\n", len(ids))
		return nil
	}
	for _, id := range opts.IDs {
		if _, err := st.Story(ctx, id); err != nil {
			return fmt.Errorf("story %d: %w", id, err)
		}
	}
	switch {
	case opts.Read, opts.Unread:
		return st.SetRead(ctx, opts.IDs, opts.Read)
	default:
		return st.SetStarred(ctx, opts.IDs, opts.Star)
	}
}
