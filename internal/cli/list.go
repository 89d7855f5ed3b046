package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/byline/byline/internal/model"
	"github.com/byline/byline/internal/refresh"
	"github.com/byline/byline/internal/store"
	"github.com/byline/byline/internal/ui"
	"github.com/spf13/cobra"
)

// ListOptions are the inputs of `byline list`.
type ListOptions struct {
	F       *Factory
	Unread  bool
	Starred bool
	Feed    string
	Tag     string
	Since   time.Duration
	Search  string
	Limit   int
	JSON    bool
}

// NewCmdList builds `byline list`.
func NewCmdList(f *Factory, runF func(*ListOptions) error) *cobra.Command {
	opts := &ListOptions{F: f}
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List stories, newest first",
		Long: `List stories, newest first. Piped, one story per line with tab-separated columns:
id, feed, date (RFC 3339), read|unread, title, url. On a terminal, aligned and fitted to the width.`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.Limit < 0 {
				return usageErrorf("--limit must be 0 (no limit) or more")
			}
			if opts.Since < 0 {
				return usageErrorf("--since must be a positive duration such as 24h")
			}
			if runF != nil {
				return runF(opts)
			}
			return listRun(cmd, opts)
		},
	}
	fl := cmd.Flags()
	fl.BoolVar(&opts.Unread, "unread", false, "only unread stories")
	fl.BoolVar(&opts.Starred, "starred", false, "only starred stories")
	fl.StringVar(&opts.Feed, "feed", "", "only this feed (URL or id)")
	fl.StringVar(&opts.Tag, "tag", "", "only feeds with this tag")
	fl.DurationVar(&opts.Since, "since", 0, "only stories published within this duration (e.g. 24h)")
	fl.StringVar(&opts.Search, "search", "", "only stories matching these words (title and text)")
	fl.IntVarP(&opts.Limit, "limit", "n", 0, "at most N stories (0: all)")
	fl.BoolVar(&opts.JSON, "json", false, "print JSON")
	return cmd
}

type storyJSON struct {
	ID        int64    `json:"id"`
	FeedID    int64    `json:"feed_id"`
	Feed      string   `json:"feed"`
	Title     string   `json:"title"`
	URL       string   `json:"url"`
	Author    string   `json:"author,omitempty"`
	Published string   `json:"published"`
	Read      bool     `json:"read"`
	Starred   bool     `json:"starred"`
	Tags      []string `json:"categories,omitempty"`
}

func listRun(cmd *cobra.Command, opts *ListOptions) error {
	ctx := cmd.Context()
	st, err := opts.F.Store(ctx)
	if err != nil {
		return err
	}
	q := store.Query{Unread: opts.Unread, Starred: opts.Starred, Tag: opts.Tag, Search: opts.Search, Limit: opts.Limit}
	if opts.Since > 0 {
		q.Since = opts.F.Now().Add(-opts.Since)
	}
	if q.FeedID, err = feedID(ctx, st, opts.Feed); err != nil {
		return err
	}
	if q.Search != "" {
		// The search first indexes what the last refreshes stored; after a
		// big one that takes a while, so say why (on a terminal only:
		// StartProgress draws nothing in a pipe).
		if n, err := st.PendingEstimate(ctx); err == nil {
			if notice, ok := ui.IndexNotice(n); ok {
				opts.F.IO.StartProgress(strings.TrimSuffix(notice, "…"))
			}
		}
	}
	stories, err := st.Stories(ctx, q)
	opts.F.IO.StopProgress()
	if err != nil {
		return err
	}
	return printStories(opts, stories)
}

func printStories(opts *ListOptions, stories []model.Story) error {
	io := opts.F.IO
	w := bufio.NewWriterSize(io.Out, 64<<10)
	if opts.JSON {
		out := make([]storyJSON, 0, len(stories))
		for _, s := range stories {
			out = append(out, storyJSON{s.ID, s.FeedID, s.FeedTitle, s.Title, s.URL, s.Author,
				rfc3339(s.Published), s.Read, s.Starred, s.Categories})
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		if err := enc.Encode(out); err != nil {
			return err
		}
		return w.Flush()
	}
	if !io.IsStdoutTTY() {
		for _, s := range stories {
			flag := "unread"
			if s.Read {
				flag = "read"
			}
			if _, err := fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%s\t%s\n", s.ID, s.FeedTitle, rfc3339(s.Published), flag, s.Title, s.URL); err != nil {
				return err
			}
		}
		return w.Flush()
	}
	if len(stories) == 0 {
		fmt.Fprintln(io.ErrOut, "No stories match.")
		return nil
	}
	p := palette{io.ColorEnabled()}
	now := opts.F.Now()
	width := io.TerminalWidth()
	idW := len(fmt.Sprint(stories[0].ID))
	for _, s := range stories {
		idW = max(idW, len(fmt.Sprint(s.ID)))
	}
	feedW := max(8, min(20, width/6))
	titleW := max(10, width-idW-feedW-12)
	for _, s := range stories {
		mark := " "
		title := fit(s.Title, titleW)
		if !s.Read {
			mark = p.bold("•")
			title = p.bold(title)
		}
		star := " "
		if s.Starred {
			star = p.yellow("★")
		}
		fmt.Fprintf(w, "%*d %s%s %s %s %s\n", idW, s.ID, mark, star, p.cyan(fit(s.FeedTitle, feedW)),
			p.dim(fmt.Sprintf("%5s", relTime(now, s.Published))), title)
	}
	return w.Flush()
}

// feedID resolves a --feed argument (id or URL) to a feed id; "" is 0.
func feedID(ctx context.Context, st *store.Store, arg string) (int64, error) {
	if arg == "" {
		return 0, nil
	}
	feeds, err := st.Feeds(ctx)
	if err != nil {
		return 0, err
	}
	fd, ok := refresh.FindFeed(feeds, arg)
	if !ok {
		return 0, usageErrorf("no feed %q: see byline feeds", arg)
	}
	return fd.ID, nil
}
