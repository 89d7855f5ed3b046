package refresh

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/byline/byline/internal/feed"
	"github.com/byline/byline/internal/fetch"
	"github.com/byline/byline/internal/model"
	"github.com/byline/byline/internal/sanitize"
	"github.com/byline/byline/internal/store"
)

// discoveryBudget bounds the search for a page's feed after the page itself.
const discoveryBudget = 45 * time.Second

// ErrAlreadySubscribed is returned by Subscribe for a feed already in the store.
var ErrAlreadySubscribed = errors.New("already subscribed")

// Subscribe adds the feed at rawURL, or the feed discovered from the page at
// rawURL, fetches it once and stores its stories. It returns the feed and how
// many stories it has.
func (r *Refresher) Subscribe(ctx context.Context, rawURL string, tags []string) (model.Feed, int, error) {
	u := sanitize.URL(rawURL)
	if u == "" {
		return model.Feed{}, 0, fmt.Errorf("%q is not an http(s) URL", sanitize.Line(rawURL, 200))
	}
	feedURL, resp, parsed, err := r.discover(ctx, u)
	if err != nil {
		return model.Feed{}, 0, err
	}
	if existing, err := r.Store.FeedByURL(ctx, feedURL); err == nil {
		return existing, existing.StoryCount, fmt.Errorf("%s: %w", feedURL, ErrAlreadySubscribed)
	}
	f, err := r.Store.AddFeed(ctx, model.Feed{URL: feedURL, Title: parsed.Title, SiteURL: parsed.SiteURL, Tags: tags, CreatedAt: r.now()})
	if errors.Is(err, store.ErrDuplicate) {
		return f, 0, fmt.Errorf("%s: %w", feedURL, ErrAlreadySubscribed)
	}
	if err != nil {
		return f, 0, fmt.Errorf("add %s: %w", feedURL, err)
	}
	if len(tags) > 0 {
		if err := r.Store.SetFeedTags(ctx, f.ID, tags); err != nil {
			return f, 0, err
		}
		f.Tags = tags
	}
	stories := parsed.Items
	if stories == nil {
		stories = []model.Story{}
	}
	_, err = r.Store.SaveFetch(ctx, store.FetchResult{
		FeedID: f.ID, Title: parsed.Title, SiteURL: parsed.SiteURL, ETag: resp.ETag,
		LastModified: resp.LastModified, Status: resp.Status, FetchedAt: r.now(), Stories: stories,
	})
	if err != nil {
		return f, 0, fmt.Errorf("save %s: %w", feedURL, err)
	}
	return f, len(parsed.Items), nil
}

// discover fetches u; when it is a feed, that is the answer. When it is an
// HTML page, the feeds it links to and then the common feed paths of its site
// are tried in turn.
func (r *Refresher) discover(ctx context.Context, u string) (string, *fetch.Response, model.ParsedFeed, error) {
	resp, err := r.Client.Get(ctx, fetch.Request{URL: u, Accept: feedAccept + ", text/html;q=0.7"})
	if err != nil {
		return "", nil, model.ParsedFeed{}, err
	}
	feedURL := u
	if resp.PermanentURL != "" {
		feedURL = resp.PermanentURL
	}
	if feed.IsFeed(resp.Body, resp.ContentType) {
		pf, err := parseSafely(resp, feedURL, r.now())
		return feedURL, resp, pf, err
	}
	page := resp.URL
	if page == "" {
		page = u
	}
	candidates := feed.Discover(resp.Body, page)
	candidates = append(candidates, feed.CandidatePaths(page)...)
	seen := map[string]bool{u: true}
	tried := 0
	// A hostile page could list many slow "feeds": the search as a whole
	// gets a budget of its own.
	ctx, cancel := context.WithTimeout(ctx, discoveryBudget)
	defer cancel()
	for _, c := range candidates {
		if seen[c] || tried >= 20 || ctx.Err() != nil {
			continue
		}
		seen[c] = true
		tried++
		cr, err := r.Client.Get(ctx, fetch.Request{URL: c, Accept: feedAccept})
		if err != nil || !feed.IsFeed(cr.Body, cr.ContentType) {
			continue
		}
		cu := c
		if cr.PermanentURL != "" {
			cu = cr.PermanentURL
		}
		pf, err := parseSafely(cr, cu, r.now())
		if err != nil {
			continue
		}
		return cu, cr, pf, nil
	}
	return "", nil, model.ParsedFeed{}, fmt.Errorf("%s is a web page with no feed: no <link rel=\"alternate\"> feed and none at the usual paths (/feed, /rss.xml, /atom.xml, …)", u)
}
