package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"github.com/byline/byline/internal/model"
	"github.com/byline/byline/internal/refresh"
	"github.com/byline/byline/internal/sanitize"
	"github.com/spf13/cobra"
)

// RefreshOptions are the inputs of `byline refresh`.
type RefreshOptions struct {
	F     *Factory
	Feeds []string
	JSON  bool
}

// NewCmdRefresh builds `byline refresh [FEED…] [--json]`.
func NewCmdRefresh(f *Factory, runF func(*RefreshOptions) error) *cobra.Command {
	opts := &RefreshOptions{F: f}
	cmd := &cobra.Command{
		Use:   "refresh [FEED...]",
		Short: "Fetch feeds (all, or the given ids/URLs) and store new stories",
		Long: `Fetch feeds concurrently (conditional GET: unchanged feeds cost one 304) and store new
stories. With --json, one JSON object per feed on stdout. A one-line summary always goes to
stderr. Exit status 0 when at least one feed refreshed or none needed it.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Feeds = args
			if runF != nil {
				return runF(opts)
			}
			return refreshRun(cmd, opts)
		},
	}
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print one JSON result per feed")
	return cmd
}

type refreshJSON struct {
	ID         int64  `json:"id"`
	URL        string `json:"url"`
	Title      string `json:"title"`
	Status     string `json:"status"`
	HTTPStatus int    `json:"http_status,omitempty"`
	New        int    `json:"new"`
	Error      string `json:"error,omitempty"`
	DurationMS int64  `json:"duration_ms"`
}

func refreshRun(cmd *cobra.Command, opts *RefreshOptions) error {
	ctx := cmd.Context()
	io := opts.F.IO
	r, err := opts.F.Refresher(ctx)
	if err != nil {
		return err
	}
	feeds, err := r.Feeds(ctx, opts.Feeds)
	if err != nil {
		return &UsageError{Err: err}
	}
	if len(feeds) == 0 {
		fmt.Fprintln(io.ErrOut, "no feeds to refresh: byline add URL, or byline import FILE")
		return nil
	}
	return refreshFeeds(ctx, opts.F, r, feeds, opts.JSON)
}

// refreshFeeds fetches feeds, reports on the way (progress on a terminal, or
// one JSON object per feed) and ends with the one-line summary on stderr.
// It fails with status 1 only when no feed refreshed or needed to.
func refreshFeeds(ctx context.Context, f *Factory, r *refresh.Refresher, feeds []model.Feed, asJSON bool) error {
	io := f.IO
	start := time.Now()
	showProgress := !asJSON && io.IsStdoutTTY() && io.IsStderrTTY()
	var mu sync.Mutex
	done, failed, fresh := 0, 0, 0
	enc := json.NewEncoder(io.Out)
	var writeErr error
	if showProgress {
		io.StartProgress("refreshing")
		defer io.StopProgress()
	}
	results := r.Refresh(ctx, feeds, func(res refresh.Result) {
		mu.Lock()
		defer mu.Unlock()
		done++
		fresh += res.New
		if res.Status == refresh.StatusError || res.Status == refresh.StatusDead {
			failed++
		}
		if asJSON && writeErr == nil {
			j := refreshJSON{ID: res.FeedID, URL: res.URL, Title: res.Title, Status: res.Status,
				HTTPStatus: res.HTTPStatus, New: res.New, DurationMS: res.Duration.Milliseconds()}
			if res.Err != nil {
				j.Error = sanitize.Line(res.Err.Error(), 500)
			}
			writeErr = enc.Encode(j)
		}
		if showProgress {
			io.UpdateProgress(fmt.Sprintf("%d/%d feeds, %d new, %d failed, %.1fs", done, len(feeds), fresh, failed, time.Since(start).Seconds()))
		}
	})
	if showProgress {
		io.StopProgress()
	}
	if writeErr != nil {
		return writeErr
	}
	ok, notMod, skipped := 0, 0, 0
	var errs []refresh.Result
	for _, res := range results {
		switch res.Status {
		case refresh.StatusUpdated:
			ok++
		case refresh.StatusNotModified:
			notMod++
		case refresh.StatusSkipped:
			skipped++
		default:
			errs = append(errs, res)
		}
	}
	if !asJSON {
		p := palette{io.ColorEnabled() && io.IsStderrTTY()}
		// A dead network fails every feed the same way: show a screenful.
		const maxShown = 10
		for i, e := range errs {
			if i == maxShown {
				fmt.Fprintf(io.ErrOut, "%s … and %d more failed feeds (byline feeds lists each feed's last error)\n", p.red("✗"), len(errs)-maxShown)
				break
			}
			fmt.Fprintf(io.ErrOut, "%s %s\n", p.red("✗"), sanitize.Line(e.Err.Error(), 400))
		}
	}
	fmt.Fprintf(io.ErrOut, "refreshed %d feeds in %.1fs: %d new stories, %d updated, %d unchanged, %d skipped, %d failed\n",
		len(feeds), time.Since(start).Seconds(), fresh, ok, notMod, skipped, len(errs))
	if ok+notMod == 0 && skipped == 0 {
		return &SilentError{Code: 1}
	}
	return nil
}
