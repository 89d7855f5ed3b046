// Command byline is a terminal news reader. See README.md.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"runtime/debug"
	"runtime/pprof"
	"syscall"

	"github.com/byline/byline/internal/cli"
	"github.com/byline/byline/internal/iostreams"
	"github.com/byline/byline/internal/sanitize"
)

func main() {
	os.Exit(run())
}

func run() int {
	// BYLINE_CPUPROFILE=FILE writes a CPU profile of the run (see docs/benchmarks.md).
	if path := os.Getenv("BYLINE_CPUPROFILE"); path != "" {
		if f, err := os.Create(path); err == nil {
			if pprof.StartCPUProfile(f) == nil {
				defer pprof.StopCPUProfile()
			}
		}
	}
	if path := os.Getenv("BYLINE_MEMPROFILE"); path != "" {
		defer func() {
			if f, err := os.Create(path); err == nil {
				_ = pprof.WriteHeapProfile(f)
				f.Close()
			}
		}()
	}
	// A soft memory limit keeps the heap from doubling between collections.
	// byline's working set is small and bounded (a refresh holds at most a
	// parsed feed per worker, the interface a page of stories), so 40 MiB
	// costs a cold refresh of 500 feeds x 200 stories 3% more time and saves
	// 20 MB of peak RSS (90 -> 70 MB). Being soft, it never fails an
	// allocation: a refresh of huge hostile feeds just collects more often.
	// The user's GOMEMLIMIT wins.
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(40 << 20)
	}
	ios := iostreams.System()
	// A closed pipe (byline list | head) must end quietly with status 0:
	// noticing SIGPIPE makes writes fail with EPIPE instead of killing us, and
	// cli.ExitCode maps EPIPE to 0. Notify, unlike Ignore, is not inherited
	// by the pager or a piped command.
	sigpipe := make(chan os.Signal, 1)
	signal.Notify(sigpipe, syscall.SIGPIPE)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	f, err := cli.NewFactory(ios, os.Getenv)
	if err != nil {
		fmt.Fprintf(ios.ErrOut, "byline: %s\n", sanitize.Line(err.Error(), 1000))
		return 1
	}
	defer f.Close()
	err = cli.Execute(ctx, f, os.Args[1:])
	code := cli.ExitCode(err)
	if err != nil && code != 0 {
		var silent *cli.SilentError
		if !errors.As(err, &silent) {
			fmt.Fprintf(ios.ErrOut, "byline: %s\n", sanitize.Line(err.Error(), 1000))
		}
	}
	return code
}
