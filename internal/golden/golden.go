// Package golden compares test output with a file under testdata, and
// rewrites the file instead when the tests run with -update. Tests only.
package golden

import (
	"flag"
	"os"
	"strconv"
	"testing"

	// teatest's golden package defines -update in an init that does not look
	// whether the flag exists. Importing it makes it initialise first, so
	// ui's tests (which use both) share one flag instead of panicking.
	_ "github.com/charmbracelet/x/exp/golden"
)

// The -update flag, defined here once for every package that uses Check
// (unless teatest's golden package defined it already).
func init() {
	if flag.Lookup("update") == nil {
		flag.Bool("update", false, "rewrite golden files under testdata")
	}
}

// Updating reports whether the tests run with -update.
func Updating() bool {
	v, _ := strconv.ParseBool(flag.Lookup("update").Value.String())
	return v
}

// Check fails t unless got equals the file at path; with -update it writes
// got to path instead.
func Check(t testing.TB, path, got string) {
	t.Helper()
	if Updating() {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s (go test -update to accept):\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}
