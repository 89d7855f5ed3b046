package fetch

import (
	"net"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"syscall"
)

// checkHop accepts only http(s) URLs whose host is not a literal forbidden
// address. Hostnames are checked again at dial time by dialControl.
func checkHop(u *url.URL) *hopError {
	scheme := strings.ToLower(u.Scheme)
	if scheme != "http" && scheme != "https" {
		return &hopError{msg: "unsupported scheme " + strconv.Quote(u.Scheme) + " (only http and https)", kind: ErrScheme}
	}
	if addr, err := netip.ParseAddr(strings.Trim(u.Hostname(), "[]")); err == nil && forbidden(addr) {
		return forbiddenError(addr)
	}
	return nil
}

// dialControl runs after DNS resolution, just before connect, so a hostname
// that resolves to the cloud metadata address is refused too.
func dialControl(_, address string, _ syscall.RawConn) error {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		host = address
	}
	addr, err := netip.ParseAddr(host)
	if err != nil {
		return nil
	}
	if forbidden(addr) {
		return forbiddenError(addr)
	}
	return nil
}

// forbidden reports link-local (169.254.0.0/16 including the metadata
// address 169.254.169.254, fe80::/10) and unspecified (0.0.0.0, ::) addresses.
// Loopback and private ranges stay allowed.
func forbidden(a netip.Addr) bool {
	a = a.Unmap()
	return a.IsLinkLocalUnicast() || a.IsLinkLocalMulticast() || a.IsUnspecified()
}

func forbiddenError(a netip.Addr) *hopError {
	return &hopError{msg: "refusing to connect to link-local or metadata address " + a.Unmap().String(), kind: ErrForbiddenAddress}
}

func itoa(n int) string { return strconv.Itoa(n) }
