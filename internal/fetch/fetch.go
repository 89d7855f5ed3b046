// Package fetch is byline's HTTP client: deadlines, size caps after
// decompression, conditional GET, redirect rules, a per-host concurrency cap
// and one-line errors. It knows nothing about feeds.
package fetch

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// Defaults applied by New to zero Options fields.
const (
	DefaultUserAgent    = "byline"
	DefaultTimeout      = 20 * time.Second
	DefaultDialTimeout  = 10 * time.Second
	DefaultMaxBytes     = 15 << 20
	DefaultMaxRedirects = 10
	DefaultPerHost      = 2
)

// Options configure a Client. Zero fields take the defaults above.
type Options struct {
	UserAgent    string
	Timeout      time.Duration // whole request incl. body, default 20s
	DialTimeout  time.Duration // default 10s
	MaxBytes     int64         // after decompression, default 15 MiB
	MaxRedirects int           // default 10
	PerHost      int           // concurrent requests per host, default 2
}

// Request is one GET. ETag and LastModified are the validators from the
// previous fetch; Accept overrides the default Accept header.
type Request struct {
	URL, ETag, LastModified, Accept string
}

// Response is a successful (2xx or 304) response.
type Response struct {
	URL          string // final URL after redirects
	PermanentURL string // new URL when every hop was 301/308, else ""
	Status       int
	NotModified  bool   // 304
	Body         []byte // decompressed, never truncated (ErrTooLarge instead)
	ContentType  string
	ETag         string
	LastModified string
}

// Client performs GETs with byline's limits. It is safe for concurrent use
// and shares one connection pool.
type Client struct {
	opts      Options
	transport *http.Transport
	now       func() time.Time

	mu    sync.Mutex
	hosts map[string]chan struct{}
}

// New returns a Client for o, with defaults filled in.
func New(o Options) *Client {
	if o.UserAgent == "" {
		o.UserAgent = DefaultUserAgent
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.DialTimeout <= 0 {
		o.DialTimeout = DefaultDialTimeout
	}
	if o.MaxBytes <= 0 {
		o.MaxBytes = DefaultMaxBytes
	}
	if o.MaxRedirects <= 0 {
		o.MaxRedirects = DefaultMaxRedirects
	}
	if o.PerHost <= 0 {
		o.PerHost = DefaultPerHost
	}
	dialer := &net.Dialer{Timeout: o.DialTimeout, KeepAlive: 30 * time.Second, Control: dialControl}
	headerTimeout := min(o.Timeout, 15*time.Second)
	t := &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           dialer.DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          200,
		MaxIdleConnsPerHost:   max(o.PerHost, 8),
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   min(o.Timeout, 10*time.Second),
		ResponseHeaderTimeout: headerTimeout,
		ExpectContinueTimeout: time.Second,
		// Compression is handled in readBody so the size cap applies to the
		// decompressed bytes and a truncated stream is an error.
		DisableCompression: true,
	}
	return &Client{opts: o, transport: t, now: time.Now, hosts: map[string]chan struct{}{}}
}

// CloseIdleConnections closes idle pooled connections.
func (c *Client) CloseIdleConnections() { c.transport.CloseIdleConnections() }

// Get fetches r.URL. A 304 returns a Response with NotModified set and no
// body; any other non-2xx status returns a *StatusError.
func (c *Client) Get(ctx context.Context, r Request) (*Response, error) {
	u, err := url.Parse(strings.TrimSpace(r.URL))
	if err != nil {
		return nil, &Error{URL: r.URL, Msg: "invalid url", Err: err}
	}
	if err := checkHop(u); err != nil {
		return nil, &Error{URL: r.URL, Msg: err.msg, Kind: err.kind}
	}
	if u.Host == "" {
		return nil, &Error{URL: r.URL, Msg: "invalid url: no host"}
	}
	release, err := c.acquire(ctx, strings.ToLower(u.Host))
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			return nil, &Error{URL: r.URL, Msg: "timed out waiting for a connection slot", Kind: ErrTimeout, Err: err}
		}
		return nil, &Error{URL: r.URL, Msg: "canceled while waiting for a connection slot", Err: err}
	}
	defer release()

	// The deadline starts once a slot is held: a feed queued behind others
	// on the same host is not penalised for the wait.
	tctx, cancel := context.WithTimeout(ctx, c.opts.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(tctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, &Error{URL: r.URL, Msg: "invalid url", Err: err}
	}
	c.setHeaders(req, r)

	permanent := true
	hc := &http.Client{
		Transport: c.transport,
		CheckRedirect: func(next *http.Request, via []*http.Request) error {
			if next.Response != nil && next.Response.StatusCode != http.StatusMovedPermanently &&
				next.Response.StatusCode != http.StatusPermanentRedirect {
				permanent = false
			}
			return c.checkRedirect(next, via)
		},
	}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, c.classify(r.URL, err, ctx, tctx)
	}
	defer resp.Body.Close()

	out := &Response{
		URL:          resp.Request.URL.String(),
		Status:       resp.StatusCode,
		ContentType:  resp.Header.Get("Content-Type"),
		ETag:         resp.Header.Get("ETag"),
		LastModified: resp.Header.Get("Last-Modified"),
	}
	if permanent && out.URL != u.String() {
		out.PermanentURL = out.URL
	}
	switch {
	case resp.StatusCode == http.StatusNotModified:
		out.NotModified = true
		return out, nil
	case resp.StatusCode < 200 || resp.StatusCode > 299:
		drain(resp)
		se := &StatusError{URL: r.URL, Code: resp.StatusCode}
		if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable {
			se.RetryAfter = parseRetryAfter(resp.Header.Get("Retry-After"), c.now())
		}
		return nil, se
	}
	body, err := readBody(resp, c.opts.MaxBytes)
	if err != nil {
		return nil, c.classify(r.URL, err, ctx, tctx)
	}
	out.Body = body
	return out, nil
}

func (c *Client) setHeaders(req *http.Request, r Request) {
	req.Header.Set("User-Agent", c.opts.UserAgent)
	req.Header.Set("Accept-Encoding", "gzip, deflate")
	if r.Accept != "" {
		req.Header.Set("Accept", r.Accept)
	} else {
		req.Header.Set("Accept", "*/*")
	}
	if r.ETag != "" {
		req.Header.Set("If-None-Match", r.ETag)
	}
	if r.LastModified != "" {
		req.Header.Set("If-Modified-Since", r.LastModified)
	}
}

// checkRedirect enforces the hop limit, loop detection and the scheme and
// address rules on every hop.
func (c *Client) checkRedirect(next *http.Request, via []*http.Request) error {
	if err := checkHop(next.URL); err != nil {
		return err
	}
	target := next.URL.String()
	for _, v := range via {
		if v.URL.String() == target {
			return &hopError{msg: "redirect loop at " + target, kind: ErrTooManyRedirects}
		}
	}
	if len(via) > c.opts.MaxRedirects {
		return &hopError{msg: "stopped after " + itoa(c.opts.MaxRedirects) + " redirects", kind: ErrTooManyRedirects}
	}
	return nil
}

// acquire waits for a slot for host, honouring ctx.
func (c *Client) acquire(ctx context.Context, host string) (func(), error) {
	c.mu.Lock()
	sem, ok := c.hosts[host]
	if !ok {
		sem = make(chan struct{}, c.opts.PerHost)
		c.hosts[host] = sem
	}
	c.mu.Unlock()
	select {
	case sem <- struct{}{}:
		return func() { <-sem }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
