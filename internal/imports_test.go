package internal_test

import (
	"os/exec"
	"strings"
	"testing"
)

const mod = "github.com/byline/byline/internal/"

// allowed lists, for each package, the internal packages it may import
// (docs/architecture.md). ui's subpackages may import ui's own packages too.
var allowed = map[string][]string{
	"model":     {},
	"sanitize":  {},
	"config":    {},
	"iostreams": {},
	"fetch":     {},
	"feed":      {"model", "sanitize"},
	"subs":      {"model", "sanitize"},
	"store":     {"model", "sanitize"},
	"extract":   {"model", "sanitize"},
	"render":    {"model", "sanitize"},
	"refresh":   {"model", "sanitize", "fetch", "feed", "store", "extract"},
	"ui":        {"model", "sanitize", "render"},
}

// owner says which package alone may import each third-party library.
var owner = map[string]string{
	"github.com/mmcdole/gofeed":                    "feed",
	"modernc.org/sqlite":                           "store",
	"codeberg.org/readeck/go-readability":          "extract",
	"github.com/JohannesKaufmann/html-to-markdown": "extract",
	"charm.land/glamour":                           "render",
	"github.com/spf13/cobra":                       "cli",
	"charm.land/bubbletea":                         "ui",
	"charm.land/bubbles":                           "ui",
	"charm.land/lipgloss":                          "ui",
}

func TestImportRules(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}} {{join .Imports " "}}`, "../...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		pkg, imports := fields[0], fields[1:]
		if !strings.HasPrefix(pkg, mod) {
			continue // cmd/ and bench/ wire everything together
		}
		name := strings.TrimPrefix(pkg, mod)
		top := strings.SplitN(name, "/", 2)[0]
		for _, imp := range imports {
			if strings.HasPrefix(imp, mod) {
				dep := strings.TrimPrefix(imp, mod)
				depTop := strings.SplitN(dep, "/", 2)[0]
				if depTop == "cli" || (depTop == "ui" && top != "cli" && top != "ui") {
					t.Errorf("%s imports %s: nothing imports cli, only cli imports ui", pkg, imp)
				}
				rules, ruled := allowed[top]
				if !ruled || depTop == top {
					continue
				}
				if !contains(rules, depTop) {
					t.Errorf("%s imports %s, which docs/architecture.md does not allow", pkg, imp)
				}
			}
			for lib, own := range owner {
				if strings.HasPrefix(imp, lib) && top != own && strings.HasPrefix(pkg, mod) {
					t.Errorf("%s imports %s, which enters only through %s", pkg, imp, own)
				}
			}
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
