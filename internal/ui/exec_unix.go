//go:build unix

package ui

import (
	"os/exec"
	"syscall"
)

// startDetached starts c in its own session with no terminal access (its
// standard streams are /dev/null) and reaps it in the background.
func startDetached(c *exec.Cmd) error {
	c.Stdin, c.Stdout, c.Stderr = nil, nil, nil
	c.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	if err := c.Start(); err != nil {
		return err
	}
	go func() { _ = c.Wait() }()
	return nil
}
