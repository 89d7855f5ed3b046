package cli

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/byline/byline/internal/store"
	"github.com/spf13/cobra"
)

// ShowOptions are the inputs of `byline show`.
type ShowOptions struct {
	F       *Factory
	ID      int64
	Refetch bool
	ArticleFlags
}

// NewCmdShow builds `byline show ID`.
func NewCmdShow(f *Factory, runF func(*ShowOptions) error) *cobra.Command {
	opts := &ShowOptions{F: f}
	cmd := &cobra.Command{
		Use:   "show ID",
		Short: "Print a stored story's full article (reader mode)",
		Long: `Print a stored story's full article: the feed's body when it carries the whole article,
else the story's page fetched and extracted (cached for offline reading; --refetch bypasses
the cache). On a terminal it is rendered and paged; piped, it is Markdown (or --format).`,
		Args: exactArgs(1, "one story ID from byline list"),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := strconv.ParseInt(args[0], 10, 64)
			if err != nil || id <= 0 {
				return usageErrorf("%q is not a story id (see byline list)", args[0])
			}
			opts.ID = id
			if err := opts.validate(); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			r, err := f.Refresher(cmd.Context())
			if err != nil {
				return err
			}
			a, err := r.Article(cmd.Context(), opts.ID, opts.Refetch)
			if errors.Is(err, store.ErrNotFound) {
				return fmt.Errorf("no story %d (see byline list)", opts.ID)
			}
			if err != nil {
				return err
			}
			if f.Config.MarkReadOnOpen {
				if st, err := f.Store(cmd.Context()); err == nil {
					_ = st.SetRead(cmd.Context(), []int64{opts.ID}, true)
				}
			}
			return printArticle(f, a, opts.ArticleFlags)
		},
	}
	cmd.Flags().BoolVar(&opts.Refetch, "refetch", false, "fetch and extract again, bypassing the cache")
	opts.register(cmd)
	return cmd
}
