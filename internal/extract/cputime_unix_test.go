//go:build unix

package extract

import (
	"syscall"
	"time"
)

// processCPU is the CPU time (user + system, all threads) used by the test
// process so far: on a shared, busy machine it measures our work where wall
// time would also count the wait for a free core.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
