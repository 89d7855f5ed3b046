//go:build !unix

package extract

import "time"

func processCPU() time.Duration { return 0 }
