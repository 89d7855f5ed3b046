package main

import (
	"syscall"
	"time"
	"unsafe"
)

// threadCPU is the CPU time used so far by the calling OS thread
// (CLOCK_THREAD_CPUTIME_ID), so that timings stay meaningful on a busy
// machine, where wall time also counts waiting for a core.
func threadCPU() time.Duration {
	var ts syscall.Timespec
	const clockThreadCPUTime = 3
	if _, _, e := syscall.RawSyscall(syscall.SYS_CLOCK_GETTIME, clockThreadCPUTime, uintptr(unsafe.Pointer(&ts)), 0); e != 0 {
		return 0
	}
	return time.Duration(ts.Nano())
}
