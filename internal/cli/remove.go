package cli

import (
	"fmt"

	"github.com/byline/byline/internal/refresh"
	"github.com/spf13/cobra"
)

// NewCmdRemove builds `byline remove URL|ID…`.
func NewCmdRemove(f *Factory, runF func([]string) error) *cobra.Command {
	return &cobra.Command{
		Use:   "remove URL|ID...",
		Short: "Unsubscribe from feeds (their stories are deleted)",
		Args:  minArgs(1, "a feed URL or id"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(args)
			}
			ctx := cmd.Context()
			st, err := f.Store(ctx)
			if err != nil {
				return err
			}
			feeds, err := st.Feeds(ctx)
			if err != nil {
				return err
			}
			for _, a := range args {
				fd, ok := refresh.FindFeed(feeds, a)
				if !ok {
					return fmt.Errorf("no feed %q: see byline feeds", a)
				}
				if err := st.RemoveFeed(ctx, fd.ID); err != nil {
					return err
				}
				fmt.Fprintf(f.IO.Out, "removed %d\t%s\t%d stories\n", fd.ID, fd.URL, fd.StoryCount)
			}
			return nil
		},
	}
}
