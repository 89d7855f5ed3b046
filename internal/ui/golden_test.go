package ui

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// -update rewrites testdata/*.golden. teatest's golden package may already
// define the flag; both then share it.
func init() {
	if flag.Lookup("update") == nil {
		flag.Bool("update", false, "rewrite testdata/*.golden")
	}
}

func updating() bool {
	v, _ := strconv.ParseBool(flag.Lookup("update").Value.String())
	return v
}

// golden compares the plain screen (escape sequences stripped, trailing
// blanks trimmed) with testdata/name.golden.
func golden(t *testing.T, h *harness, name string) {
	t.Helper()
	h.checkFrame()
	lines := strings.Split(h.screen(), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	got := strings.Join(lines, "\n") + "\n"
	path := filepath.Join("testdata", name+".golden")
	if updating() {
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
		t.Errorf("%s differs (go test -update to accept):\n--- got\n%s--- want\n%s", path, got, want)
	}
}

func TestGoldenScreens(t *testing.T) {
	sizes := [][2]int{{80, 24}, {120, 40}, {160, 45}, {200, 50}}
	screens := []struct {
		name  string
		setup func(h *harness)
	}{
		{"list", func(h *harness) {
			h.keys("j", "s", "j", "m", "j")
		}},
		{"article", func(h *harness) {
			h.keys("j", "enter")
		}},
		{"help", func(h *harness) { h.keys("?") }},
		{"filter", func(h *harness) { h.keys("f", "j") }},
		{"errors", func(h *harness) {
			h.ref.failing = map[int64]error{
				2: errors.New("fetch https://feed2.example/rss: status 404"),
				4: errors.New("parse feed https://feed4.example/rss: not a feed"),
			}
			h.keys("R", "e")
		}},
		{"welcome", nil},
	}
	for _, sc := range screens {
		for _, sz := range sizes {
			name := fmt.Sprintf("%s_%dx%d", sc.name, sz[0], sz[1])
			t.Run(name, func(t *testing.T) {
				lib := newFakeLib(1000)
				lib.titles[999] = "Ünïcödé headline with 日本語 and emoji 🎉 in a title long enough to be cut"
				if sc.setup == nil {
					lib = newFakeLib(0)
					lib.noFeeds = true
				}
				h := newHarnessWith(t, lib, plainOpts()).start(sz[0], sz[1])
				if sc.setup != nil {
					sc.setup(h)
				}
				golden(t, h, name)
			})
		}
	}
}
