// Package config holds byline's settings: defaults, the optional TOML file and
// the XDG base directories. It imports no other internal package.
package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
)

// Version is byline's version, reported in the User-Agent and `byline version`.
const Version = "0.1.0"

// Config is the whole configuration. The zero value is not useful: start from
// Default and overlay the file with Load.
type Config struct {
	Concurrency  int      `toml:"concurrency"`   // feeds fetched at once
	PerHost      int      `toml:"per_host"`      // requests in flight per host
	Timeout      Duration `toml:"timeout"`       // whole request, body included
	DialTimeout  Duration `toml:"dial_timeout"`  // TCP connect
	MaxBody      Size     `toml:"max_body"`      // after decompression
	MaxRedirects int      `toml:"max_redirects"` // per request
	UserAgent    string   `toml:"user_agent"`    // "" → byline/VERSION

	Theme          string `toml:"theme"`             // auto | dark | light
	PipeCommand    string `toml:"pipe_command"`      // default command for | in the TUI
	Browser        string `toml:"browser"`           // "" → $BROWSER, else xdg-open/open
	Pager          string `toml:"pager"`             // "" → $PAGER, else less -R
	MarkReadOnOpen bool   `toml:"mark_read_on_open"` // opening a story marks it read
	WideWidth      int    `toml:"wide_width"`        // split layout from this many columns

	// Keys rebinds TUI actions: action name → keys, e.g. next = ["n", "J"].
	Keys map[string][]string `toml:"keys"`
}

// Default returns the built-in configuration.
func Default() Config {
	return Config{
		Concurrency:    16,
		PerHost:        2,
		Timeout:        Duration(20 * time.Second),
		DialTimeout:    Duration(10 * time.Second),
		MaxBody:        15 << 20,
		MaxRedirects:   10,
		Theme:          "auto",
		PipeCommand:    "less -R",
		MarkReadOnOpen: true,
		WideWidth:      120,
	}
}

// UA is the User-Agent to send: the configured one, else byline's own.
func (c Config) UA() string {
	if c.UserAgent != "" {
		return c.UserAgent
	}
	return "byline/" + Version + " (terminal news reader)"
}

// Paths are the XDG directories byline uses.
type Paths struct {
	Config string // $XDG_CONFIG_HOME/byline
	Data   string // $XDG_DATA_HOME/byline: the store
	Cache  string // $XDG_CACHE_HOME/byline
	State  string // $XDG_STATE_HOME/byline: logs, panic reports
}

// ConfigFile is the path of the TOML file.
func (p Paths) ConfigFile() string { return filepath.Join(p.Config, "config.toml") }

// StoreFile is the path of the SQLite store.
func (p Paths) StoreFile() string { return filepath.Join(p.Data, "byline.db") }

// ResolvePaths applies the XDG base directory rules with getenv (os.Getenv in
// production): an unset or relative variable falls back to the default under
// the home directory.
func ResolvePaths(getenv func(string) string) (Paths, error) {
	home := getenv("HOME")
	pick := func(env, def string) (string, error) {
		if v := getenv(env); v != "" && filepath.IsAbs(v) {
			return filepath.Join(v, "byline"), nil
		}
		if home == "" {
			return "", fmt.Errorf("cannot find a place for byline's files: set $HOME or $%s", env)
		}
		return filepath.Join(home, def, "byline"), nil
	}
	var p Paths
	var err error
	if p.Config, err = pick("XDG_CONFIG_HOME", ".config"); err != nil {
		return p, err
	}
	if p.Data, err = pick("XDG_DATA_HOME", filepath.Join(".local", "share")); err != nil {
		return p, err
	}
	if p.Cache, err = pick("XDG_CACHE_HOME", ".cache"); err != nil {
		return p, err
	}
	if p.State, err = pick("XDG_STATE_HOME", filepath.Join(".local", "state")); err != nil {
		return p, err
	}
	return p, nil
}

// EnsureDir creates dir (and parents) with mode 0700.
func EnsureDir(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("create %s: %w", dir, err)
	}
	return nil
}

// Load reads the TOML file at path over Default. A missing file is not an
// error. A bad file yields an error naming the file, line and problem.
func Load(path string) (Config, error) {
	c := Default()
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return c, nil
	}
	if err != nil {
		return c, fmt.Errorf("read config %s: %w", path, err)
	}
	md, err := toml.Decode(string(data), &c)
	if err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			return c, fmt.Errorf("config %s, line %d: %s", path, pe.Position.Line, pe.Message)
		}
		return c, fmt.Errorf("config %s: %s", path, oneLine(err.Error()))
	}
	if undec := md.Undecoded(); len(undec) > 0 {
		key := undec[0]
		if len(key) < 1 || key[0] != "keys" {
			return c, fmt.Errorf("config %s: unknown setting %q", path, key.String())
		}
	}
	if err := c.validate(); err != nil {
		return c, fmt.Errorf("config %s: %w", path, err)
	}
	return c, nil
}

func (c Config) validate() error {
	switch {
	case c.Concurrency < 1 || c.Concurrency > 256:
		return fmt.Errorf("concurrency must be between 1 and 256, not %d", c.Concurrency)
	case c.PerHost < 1 || c.PerHost > 64:
		return fmt.Errorf("per_host must be between 1 and 64, not %d", c.PerHost)
	case c.Timeout <= 0:
		return errors.New("timeout must be positive")
	case c.DialTimeout <= 0:
		return errors.New("dial_timeout must be positive")
	case c.MaxBody < 1024:
		return errors.New("max_body must be at least 1KiB")
	case c.MaxRedirects < 0 || c.MaxRedirects > 30:
		return fmt.Errorf("max_redirects must be between 0 and 30, not %d", c.MaxRedirects)
	case c.WideWidth < 40:
		return fmt.Errorf("wide_width must be at least 40, not %d", c.WideWidth)
	}
	switch c.Theme {
	case "auto", "dark", "light":
	default:
		return fmt.Errorf("theme must be auto, dark or light, not %q", c.Theme)
	}
	return nil
}

func oneLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// Duration is a time.Duration written as "20s" in TOML.
type Duration time.Duration

// UnmarshalText implements encoding.TextUnmarshaler.
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(string(b))
	if err != nil {
		return fmt.Errorf("bad duration %q (use e.g. \"20s\")", b)
	}
	*d = Duration(v)
	return nil
}

// MarshalText implements encoding.TextMarshaler.
func (d Duration) MarshalText() ([]byte, error) { return []byte(time.Duration(d).String()), nil }

// D returns the value as a time.Duration.
func (d Duration) D() time.Duration { return time.Duration(d) }

// Size is a byte count written as an integer or "15MiB"/"500KiB"/"2GB" in TOML.
type Size int64

// UnmarshalText implements encoding.TextUnmarshaler.
func (s *Size) UnmarshalText(b []byte) error {
	v, err := ParseSize(string(b))
	if err != nil {
		return err
	}
	*s = Size(v)
	return nil
}

// UnmarshalTOML accepts a plain integer as well as a string.
func (s *Size) UnmarshalTOML(v any) error {
	switch x := v.(type) {
	case int64:
		*s = Size(x)
		return nil
	case string:
		return s.UnmarshalText([]byte(x))
	}
	return fmt.Errorf("bad size %v (use e.g. \"15MiB\")", v)
}

// ParseSize parses "1024", "500KiB", "15MiB", "1GiB", "2MB".
func ParseSize(str string) (int64, error) {
	t := strings.TrimSpace(str)
	units := []struct {
		suffix string
		mult   int64
	}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"KB", 1000}, {"MB", 1000 * 1000}, {"GB", 1000 * 1000 * 1000}, {"B", 1}}
	mult := int64(1)
	for _, u := range units {
		if strings.HasSuffix(t, u.suffix) {
			mult = u.mult
			t = strings.TrimSpace(strings.TrimSuffix(t, u.suffix))
			break
		}
	}
	var n int64
	if _, err := fmt.Sscanf(t, "%d", &n); err != nil || n < 0 || fmt.Sprint(n) != t {
		return 0, fmt.Errorf("bad size %q (use e.g. \"15MiB\")", str)
	}
	return n * mult, nil
}

// Sample is a commented config file documenting every setting and its default.
const Sample = `# byline configuration ($XDG_CONFIG_HOME/byline/config.toml). Every setting is optional.

concurrency = 16          # feeds fetched at once
per_host = 2              # requests in flight to one host
timeout = "20s"           # whole request, body included
dial_timeout = "10s"      # TCP connect
max_body = "15MiB"        # cap on a response after decompression
max_redirects = 10
user_agent = ""           # "" sends "byline/VERSION (terminal news reader)"

theme = "auto"            # auto | dark | light
pipe_command = "less -R"  # default command offered by | in the interface
browser = ""              # "" uses $BROWSER, else xdg-open (open on macOS)
pager = ""                # "" uses $PAGER, else less -R
mark_read_on_open = true
wide_width = 120          # list and article side by side from this many columns

[keys]                    # rebind interface actions: action = ["key", …]
# next = ["n", "J"]
`
