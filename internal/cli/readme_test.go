package cli

import (
	"os"
	"strings"
	"testing"

	"github.com/byline/byline/internal/config"
	"github.com/byline/byline/internal/ui"
)

// The README's key table and config sample must not drift from the code.
func TestReadmeMatchesCode(t *testing.T) {
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(b)
	for _, name := range ui.ActionNames() {
		if !strings.Contains(readme, "`"+name+"`") {
			t.Errorf("README's key table lacks the action %q", name)
		}
	}
	if !strings.Contains(readme, config.Sample) {
		t.Errorf("README's configuration section differs from config.Sample")
	}
}
