package refresh

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/byline/byline/internal/extract"
	"github.com/byline/byline/internal/fetch"
	"github.com/byline/byline/internal/model"
	"github.com/byline/byline/internal/sanitize"
	"github.com/byline/byline/internal/store"
)

const pageAccept = "text/html, application/xhtml+xml;q=0.9, */*;q=0.1"

// Article returns the reader-mode article of a story: from the cache unless
// refetch, else the feed's body when it is the whole article, else the page
// fetched and extracted. When extraction fails it falls back to the feed's
// content or summary and says so in Article.Note; fallbacks are not cached.
func (r *Refresher) Article(ctx context.Context, storyID int64, refetch bool) (model.Article, error) {
	cached, err := r.Store.Article(ctx, storyID)
	switch {
	case err == nil && !refetch:
		return cached, nil
	case err != nil && !errors.Is(err, store.ErrNotFound):
		return cached, err
	case err != nil:
		cached = model.Article{}
	}
	st, err := r.Store.Story(ctx, storyID)
	if err != nil {
		return model.Article{}, err
	}
	if extract.IsFullArticle(st.Content) {
		a := storyArticle(st, st.Content, model.SourceFeed)
		a.ExtractedAt = r.now()
		r.cache(ctx, storyID, a)
		return a, nil
	}
	var a model.Article
	if cached.Source == model.SourceExtracted && (cached.ETag != "" || cached.LastModified != "") {
		// A refetch of a page that has not changed costs one 304.
		a, err = r.fetchArticle(ctx, st.URL, &cached)
	} else {
		a, err = r.fetchArticle(ctx, st.URL, nil)
	}
	if err != nil {
		fb := r.FallbackArticle(st)
		fb.Note = "Could not get the full article (" + sanitize.Line(err.Error(), 300) + "); showing the feed's content."
		return fb, nil
	}
	mergeStory(&a, st)
	a.ExtractedAt = r.now()
	r.cache(ctx, storyID, a)
	return a, nil
}

// cache stores a for the next time. A store that cannot take it (read-only,
// full disk) costs only that: the article is still shown, fetched again
// next time, and the failure logged.
func (r *Refresher) cache(ctx context.Context, storyID int64, a model.Article) {
	if r.Store.ReadOnly() {
		return
	}
	if err := r.Store.SaveArticle(ctx, storyID, a); err != nil && ctx.Err() == nil {
		slog.Warn("cache article", "story", storyID, "err", err)
	}
}

// FeedArticle is the feed's own content of a story as an Article, at once and
// without network.
func (r *Refresher) FeedArticle(ctx context.Context, storyID int64) (model.Article, error) {
	st, err := r.Store.Story(ctx, storyID)
	if err != nil {
		return model.Article{}, err
	}
	return r.FallbackArticle(st), nil
}

// FallbackArticle builds an Article from the feed's content, else summary.
func (r *Refresher) FallbackArticle(st model.Story) model.Article {
	body, src := st.Content, model.SourceFeed
	if strings.TrimSpace(body) == "" {
		body, src = st.Summary, model.SourceFallback
	}
	return storyArticle(st, body, src)
}

func storyArticle(st model.Story, html, source string) model.Article {
	a := model.Article{URL: st.URL, Title: st.Title, Author: st.Author, Site: st.FeedTitle,
		Published: st.Published, Source: source}
	a.Markdown = extract.FromHTML(html, st.URL)
	return a
}

// mergeStory fills what extraction did not find from the feed's story.
func mergeStory(a *model.Article, st model.Story) {
	if a.Title == "" {
		a.Title = st.Title
	}
	if a.Author == "" {
		a.Author = st.Author
	}
	if a.Published.IsZero() {
		a.Published = st.Published
	}
	if a.Site == "" {
		a.Site = st.FeedTitle
	}
	if st.URL != "" {
		a.URL = st.URL
	}
}

// ReadURL fetches any web page and extracts its article.
func (r *Refresher) ReadURL(ctx context.Context, rawURL string) (model.Article, error) {
	u := sanitize.URL(rawURL)
	if u == "" {
		return model.Article{}, fmt.Errorf("%q is not an http(s) URL", sanitize.Line(rawURL, 200))
	}
	a, err := r.fetchArticle(ctx, u, nil)
	if err != nil {
		return a, err
	}
	a.ExtractedAt = r.now()
	return a, nil
}

// fetchArticle fetches and extracts the page at u. With cached, the request
// is conditional and a 304 returns cached as it is.
func (r *Refresher) fetchArticle(ctx context.Context, u string, cached *model.Article) (model.Article, error) {
	if sanitize.URL(u) == "" {
		return model.Article{}, fmt.Errorf("the story has no http(s) link")
	}
	req := fetch.Request{URL: u, Accept: pageAccept}
	if cached != nil {
		req.ETag, req.LastModified = cached.ETag, cached.LastModified
	}
	resp, err := r.Client.Get(ctx, req)
	if err != nil {
		return model.Article{}, err
	}
	if resp.NotModified && cached != nil {
		return *cached, nil
	}
	ct := strings.ToLower(resp.ContentType)
	if strings.TrimSpace(ct) == "" {
		// No type given: sniff, so that a binary download is not "extracted".
		ct = strings.ToLower(http.DetectContentType(resp.Body))
	}
	// Feeds and other XML are no pages: only (X)HTML and text are extracted.
	if ct != "" && !strings.Contains(ct, "html") && !strings.HasPrefix(ct, "text/") {
		return model.Article{}, fmt.Errorf("%s is %s, not a web page", u, sanitize.Line(ct, 80))
	}
	if looksBinary(resp.Body) {
		return model.Article{}, fmt.Errorf("%s is not a web page (binary content)", u)
	}
	base := resp.URL
	if base == "" {
		base = u
	}
	a, err := r.ExtractBounded(ctx, resp.Body, resp.ContentType, base)
	a.ETag, a.LastModified = resp.ETag, resp.LastModified
	return a, err
}

// ExtractBounded runs the extractor with a time bound and panic recovery, so
// one hostile page affects only itself.
func (r *Refresher) ExtractBounded(ctx context.Context, page []byte, contentType, pageURL string) (model.Article, error) {
	limit := r.ExtractTimeout
	if limit <= 0 {
		limit = 10 * time.Second
	}
	type out struct {
		a   model.Article
		err error
	}
	ch := make(chan out, 1)
	go func() {
		defer func() {
			if p := recover(); p != nil {
				ch <- out{err: fmt.Errorf("extract %s: extractor crashed: %v", pageURL, p)}
			}
		}()
		a, err := extract.Extract(page, contentType, pageURL, r.Extract)
		ch <- out{a, err}
	}()
	t := time.NewTimer(limit)
	defer t.Stop()
	select {
	case o := <-ch:
		if o.err == nil && strings.TrimSpace(o.a.Markdown) == "" {
			o.err = fmt.Errorf("extract %s: no article text found", pageURL)
		}
		return o.a, o.err
	case <-t.C:
		return model.Article{}, fmt.Errorf("extract %s: gave up after %s", pageURL, limit)
	case <-ctx.Done():
		return model.Article{}, ctx.Err()
	}
}

// looksBinary sniffs the start of a body the way browsers do: a NUL byte, or
// a signature of a known binary format, means it is no page to extract, even
// when the server calls it text/html.
func looksBinary(b []byte) bool {
	head := b[:min(len(b), 1024)]
	if bytes.IndexByte(head, 0) >= 0 {
		return true
	}
	ct := http.DetectContentType(head)
	return !strings.HasPrefix(ct, "text/") && !strings.Contains(ct, "xml") && !strings.Contains(ct, "html")
}
