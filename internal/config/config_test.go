package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestResolvePaths(t *testing.T) {
	env := map[string]string{"HOME": "/home/u", "XDG_DATA_HOME": "/d", "XDG_CONFIG_HOME": "rel"}
	p, err := ResolvePaths(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	want := Paths{Config: "/home/u/.config/byline", Data: "/d/byline", Cache: "/home/u/.cache/byline", State: "/home/u/.local/state/byline"}
	if p != want {
		t.Fatalf("got %+v, want %+v", p, want)
	}
	if _, err := ResolvePaths(func(string) string { return "" }); err == nil {
		t.Fatal("want an error without HOME or XDG variables")
	}
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	write := func(s string) string {
		p := filepath.Join(dir, "config.toml")
		if err := os.WriteFile(p, []byte(s), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	c, err := Load(filepath.Join(dir, "missing.toml"))
	if err != nil || c.Concurrency != 16 || c.Timeout.D() != 20*time.Second || c.MaxBody != 15<<20 {
		t.Fatalf("defaults: %+v %v", c, err)
	}
	c, err = Load(write("concurrency = 4\ntimeout = \"5s\"\nmax_body = \"1MiB\"\ntheme = \"light\"\n[keys]\nnext = [\"J\"]\n"))
	if err != nil || c.Concurrency != 4 || c.Timeout.D() != 5*time.Second || c.MaxBody != 1<<20 || c.Keys["next"][0] != "J" {
		t.Fatalf("got %+v %v", c, err)
	}
	if _, err := Load(write(Sample)); err != nil {
		t.Fatalf("the sample must load: %v", err)
	}
	bad := []struct{ body, want string }{
		{"concurrency = 4\ntimeout = [\n", "line 2"},
		{"concurrency = 0\n", "concurrency must be"},
		{"timeout = \"soon\"\n", "bad duration"},
		{"thme = \"dark\"\n", "unknown setting \"thme\""},
		{"theme = \"blue\"\n", "theme must be"},
	}
	for _, b := range bad {
		_, err := Load(write(b.body))
		if err == nil || !strings.Contains(err.Error(), b.want) || !strings.Contains(err.Error(), "config.toml") {
			t.Errorf("%q: got %v, want error with %q and the file name", b.body, err, b.want)
		}
	}
}

func TestParseSize(t *testing.T) {
	for in, want := range map[string]int64{"1024": 1024, "15MiB": 15 << 20, "2 KiB": 2048, "1GB": 1e9} {
		if got, err := ParseSize(in); err != nil || got != want {
			t.Errorf("ParseSize(%q) = %d, %v", in, got, err)
		}
	}
	for _, in := range []string{"", "x", "-1", "1.5MiB"} {
		if _, err := ParseSize(in); err == nil {
			t.Errorf("ParseSize(%q): want error", in)
		}
	}
}
