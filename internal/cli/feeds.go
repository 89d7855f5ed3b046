package cli

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/byline/byline/internal/model"
	"github.com/charmbracelet/x/ansi"
	"github.com/spf13/cobra"
)

// FeedsOptions are the inputs of `byline feeds`.
type FeedsOptions struct {
	F    *Factory
	JSON bool
}

// NewCmdFeeds builds `byline feeds [--json]`.
func NewCmdFeeds(f *Factory, runF func(*FeedsOptions) error) *cobra.Command {
	opts := &FeedsOptions{F: f}
	cmd := &cobra.Command{
		Use:   "feeds",
		Short: "List subscriptions with counts, last fetch and last error",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			st, err := f.Store(cmd.Context())
			if err != nil {
				return err
			}
			feeds, err := st.Feeds(cmd.Context())
			if err != nil {
				return err
			}
			return printFeeds(opts, feeds)
		},
	}
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print JSON")
	return cmd
}

type feedJSON struct {
	ID         int64    `json:"id"`
	Title      string   `json:"title"`
	URL        string   `json:"url"`
	SiteURL    string   `json:"site_url,omitempty"`
	Tags       []string `json:"tags"`
	Stories    int      `json:"stories"`
	Unread     int      `json:"unread"`
	LastFetch  string   `json:"last_fetch,omitempty"`
	LastStatus int      `json:"last_status,omitempty"`
	LastError  string   `json:"last_error,omitempty"`
	RetryAfter string   `json:"retry_after,omitempty"`
	Dead       bool     `json:"dead,omitempty"`
}

func printFeeds(opts *FeedsOptions, feeds []model.Feed) error {
	io := opts.F.IO
	if opts.JSON {
		out := make([]feedJSON, 0, len(feeds))
		for _, f := range feeds {
			tags := f.Tags
			if tags == nil {
				tags = []string{}
			}
			out = append(out, feedJSON{f.ID, f.DisplayTitle(), f.URL, f.SiteURL, tags, f.StoryCount, f.UnreadCount,
				rfc3339(f.LastFetch), f.LastStatus, f.LastError, rfc3339(f.RetryAfter), f.Dead})
		}
		enc := json.NewEncoder(io.Out)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	if !io.IsStdoutTTY() {
		for _, f := range feeds {
			_, err := fmt.Fprintf(io.Out, "%d\t%s\t%s\t%s\t%d\t%d\t%s\t%s\n", f.ID, f.DisplayTitle(), f.URL,
				strings.Join(f.Tags, ","), f.StoryCount, f.UnreadCount, rfc3339(f.LastFetch), f.LastError)
			if err != nil {
				return err
			}
		}
		return nil
	}
	if len(feeds) == 0 {
		fmt.Fprintln(io.ErrOut, "No feeds yet: byline add URL, or byline import FILE.")
		return nil
	}
	p := palette{io.ColorEnabled()}
	now := opts.F.Now()
	width := io.TerminalWidth()
	titleW := max(16, min(40, width/3))
	for _, f := range feeds {
		counts := fmt.Sprintf("%5d %5d", f.UnreadCount, f.StoryCount)
		status := p.green("ok")
		switch {
		case f.Dead:
			status = p.red("gone")
		case f.LastError != "":
			status = p.red("error")
		case f.LastFetch.IsZero():
			status = p.dim("new")
		}
		tags := ""
		if len(f.Tags) > 0 {
			tags = p.cyan("[" + strings.Join(f.Tags, ",") + "]")
		}
		line := fmt.Sprintf("%4d %s %s %-6s %s %s %s", f.ID, fit(f.DisplayTitle(), titleW), counts,
			relTime(now, f.LastFetch), status, p.dim(f.URL), tags)
		fmt.Fprintln(io.Out, ansi.Truncate(line, width, "…"))
		if f.LastError != "" {
			fmt.Fprintf(io.Out, "     %s\n", p.red(fit(f.LastError, width-6)))
		}
	}
	return nil
}
