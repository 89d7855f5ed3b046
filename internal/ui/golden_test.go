package ui

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/byline/byline/internal/golden"
)

// checkScreen compares the plain screen (escape sequences stripped, trailing
// blanks trimmed) with testdata/name.golden.
func checkScreen(t *testing.T, h *harness, name string) {
	t.Helper()
	h.checkFrame()
	lines := strings.Split(h.screen(), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	got := strings.Join(lines, "\n") + "\n"
	golden.Check(t, filepath.Join("testdata", name+".golden"), got)
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
				checkScreen(t, h, name)
			})
		}
	}
}
