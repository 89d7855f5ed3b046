package extract

import (
	"regexp"
	"sync"
)

// lazyRegexp compiles expr on first use. Most byline processes (list,
// refresh, the TUI until an article opens) never run the extraction rules,
// and compiling them all at start-up took 0.7 ms and 1.1 MB of every
// process. TestRegexpsCompile compiles each one.
func lazyRegexp(expr string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(expr) })
}
