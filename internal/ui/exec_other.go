//go:build !unix

package ui

import "os/exec"

// startDetached starts c with no terminal access (its standard streams are
// the null device) and reaps it in the background.
func startDetached(c *exec.Cmd) error {
	c.Stdin, c.Stdout, c.Stderr = nil, nil, nil
	if err := c.Start(); err != nil {
		return err
	}
	go func() { _ = c.Wait() }()
	return nil
}
