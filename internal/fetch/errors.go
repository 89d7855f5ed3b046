package fetch

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"syscall"
	"time"
)

// Sentinel errors callers branch on with errors.Is.
var (
	// ErrTooLarge means the decompressed body exceeded Options.MaxBytes.
	ErrTooLarge = errors.New("response too large")
	// ErrScheme means the URL or a redirect hop was not http or https.
	ErrScheme = errors.New("unsupported url scheme")
	// ErrTooManyRedirects means the redirect limit was hit or a loop was found.
	ErrTooManyRedirects = errors.New("too many redirects")
	// ErrForbiddenAddress means a hop resolved to a link-local, metadata or
	// unspecified address, which byline never connects to.
	ErrForbiddenAddress = errors.New("forbidden address")
	// ErrTimeout means the request did not finish within Options.Timeout.
	ErrTimeout = errors.New("timed out")
)

// Error is the error Get returns for everything but HTTP status failures: one
// line naming the URL and the problem. It unwraps to the kind (ErrTimeout,
// ErrTooLarge, …) and to the underlying cause.
type Error struct {
	URL  string
	Msg  string // the problem, lowercase, without the URL
	Kind error  // one of the sentinels, or nil
	Err  error  // underlying cause, may be nil
}

// Error implements the error interface.
func (e *Error) Error() string { return "fetch " + e.URL + ": " + e.Msg }

// Unwrap returns the kind and the cause so errors.Is and errors.As see both.
func (e *Error) Unwrap() []error {
	var errs []error
	if e.Kind != nil {
		errs = append(errs, e.Kind)
	}
	if e.Err != nil {
		errs = append(errs, e.Err)
	}
	return errs
}

// StatusError reports a non-2xx, non-304 response.
type StatusError struct {
	URL        string
	Code       int
	RetryAfter time.Time // zero unless a 429/503 carried a usable Retry-After
}

// Error implements the error interface.
func (e *StatusError) Error() string {
	return fmt.Sprintf("fetch %s: status %d %s", e.URL, e.Code, strings.ToLower(http.StatusText(e.Code)))
}

// hopError is returned from CheckRedirect and the dialer; classify lifts it
// out of the url.Error/net.OpError chain into an *Error.
type hopError struct {
	msg  string
	kind error
}

func (e *hopError) Error() string { return e.msg }
func (e *hopError) Unwrap() error { return e.kind }

// classify turns a transport error into an *Error with a one-line message.
// parent is the caller's context, tctx the one carrying our deadline.
func (c *Client) classify(rawURL string, err error, parent, tctx context.Context) error {
	e := &Error{URL: rawURL, Err: err}
	var hop *hopError
	var dnsErr *net.DNSError
	var certErr *tls.CertificateVerificationError
	var unknownCA x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	var netErr net.Error
	switch {
	case errors.Is(err, ErrTooLarge):
		e.Msg, e.Kind = "too large (over "+formatSize(c.opts.MaxBytes)+")", ErrTooLarge
	case parent.Err() != nil && errors.Is(parent.Err(), context.Canceled):
		e.Msg = "canceled"
	case tctx.Err() == context.DeadlineExceeded, errors.Is(err, context.DeadlineExceeded):
		e.Msg, e.Kind = "timed out after "+c.opts.Timeout.String(), ErrTimeout
		if parent.Err() != nil {
			e.Msg = "timed out"
		}
	case errors.As(err, &hop):
		e.Msg, e.Kind = hop.msg, hop.kind
	case errors.As(err, &dnsErr):
		if dnsErr.IsNotFound {
			e.Msg = "no such host"
		} else if dnsErr.IsTimeout {
			e.Msg, e.Kind = "dns lookup timed out", ErrTimeout
		} else {
			e.Msg = "dns lookup failed"
		}
	case errors.As(err, &unknownCA):
		e.Msg = "tls: certificate signed by unknown authority"
	case errors.As(err, &hostErr):
		e.Msg = "tls: certificate is not valid for this host"
	case errors.As(err, &certErr):
		e.Msg = "tls: certificate verification failed"
	case errors.Is(err, syscall.ECONNREFUSED):
		e.Msg = "connection refused"
	case errors.Is(err, syscall.ECONNRESET):
		e.Msg = "connection reset by peer"
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		e.Msg = "connection closed before the response was complete"
	case errors.As(err, &netErr) && netErr.Timeout():
		e.Msg, e.Kind = "timed out", ErrTimeout
	default:
		e.Msg = rootMessage(err)
	}
	return e
}

// rootMessage strips Go's "Get \"…\": dial tcp …:" prefixes and returns the
// innermost message.
func rootMessage(err error) string {
	for {
		var ue *url.Error
		var oe *net.OpError
		switch {
		case errors.As(err, &ue) && ue.Err != nil:
			err = ue.Err
			continue
		case errors.As(err, &oe) && oe.Err != nil:
			err = oe.Err
			continue
		}
		break
	}
	msg := strings.ToLower(strings.TrimSpace(err.Error()))
	if i := strings.IndexByte(msg, '\n'); i >= 0 {
		msg = msg[:i]
	}
	return msg
}

// formatSize renders a byte count as the user would write a limit.
func formatSize(n int64) string {
	const kib, mib = 1 << 10, 1 << 20
	switch {
	case n >= mib && n%mib == 0:
		return fmt.Sprintf("%d MiB", n/mib)
	case n >= mib:
		return fmt.Sprintf("%.1f MiB", float64(n)/mib)
	case n >= kib && n%kib == 0:
		return fmt.Sprintf("%d KiB", n/kib)
	}
	return fmt.Sprintf("%d bytes", n)
}
