package iostreams

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"reflect"
	"strings"
	"syscall"
	"testing"
)

func TestColorEnabled(t *testing.T) {
	tests := []struct {
		name  string
		mode  string
		tty   bool
		env   map[string]string
		color bool
	}{
		{"auto tty", "auto", true, nil, true},
		{"auto pipe", "auto", false, nil, false},
		{"auto tty NO_COLOR", "auto", true, map[string]string{"NO_COLOR": "1"}, false},
		{"auto tty NO_COLOR any value", "auto", true, map[string]string{"NO_COLOR": "false"}, false},
		{"auto tty NO_COLOR empty", "auto", true, map[string]string{"NO_COLOR": ""}, true},
		{"auto tty dumb", "auto", true, map[string]string{"TERM": "dumb"}, false},
		{"auto tty xterm", "auto", true, map[string]string{"TERM": "xterm-256color"}, true},
		{"always pipe", "always", false, nil, true},
		{"always NO_COLOR", "always", false, map[string]string{"NO_COLOR": "1", "TERM": "dumb"}, true},
		{"never tty", "never", true, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ios, _, _, _ := Test()
			ios.SetStdoutTTY(tt.tty)
			for k, v := range tt.env {
				ios.SetEnv(k, v)
			}
			if err := ios.SetColorMode(tt.mode); err != nil {
				t.Fatal(err)
			}
			if got := ios.ColorEnabled(); got != tt.color {
				t.Errorf("ColorEnabled() = %v, want %v", got, tt.color)
			}
		})
	}
}

func TestSetColorModeInvalid(t *testing.T) {
	ios, _, _, _ := Test()
	for _, m := range []string{"", "yes", "Always", "true"} {
		if err := ios.SetColorMode(m); err == nil {
			t.Errorf("SetColorMode(%q) = nil, want error", m)
		}
	}
	if ios.ColorMode() != ColorAuto {
		t.Errorf("mode changed by invalid values: %q", ios.ColorMode())
	}
}

func TestIsDarkBackground(t *testing.T) {
	tests := []struct {
		theme, colorfgbg string
		dark             bool
	}{
		{"auto", "", true},
		{"auto", "15;0", true},
		{"auto", "0;15", false},
		{"auto", "0;7", false},
		{"auto", "15;default;0", true},
		{"auto", "0;default;15", false},
		{"auto", "0;8", true},
		{"auto", "garbage", true},
		{"dark", "0;15", true},
		{"light", "15;0", false},
		{"light", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.theme+"/"+tt.colorfgbg, func(t *testing.T) {
			ios, _, _, _ := Test()
			ios.SetEnv("COLORFGBG", tt.colorfgbg)
			if err := ios.SetTheme(tt.theme); err != nil {
				t.Fatal(err)
			}
			if got := ios.IsDarkBackground(); got != tt.dark {
				t.Errorf("IsDarkBackground() = %v, want %v", got, tt.dark)
			}
		})
	}
}

func TestIsDarkBackgroundDecidedOnce(t *testing.T) {
	ios, _, _, _ := Test()
	ios.SetEnv("COLORFGBG", "0;15")
	if ios.IsDarkBackground() {
		t.Fatal("want light")
	}
	ios.SetEnv("COLORFGBG", "15;0")
	if ios.IsDarkBackground() {
		t.Error("answer changed with the environment; it must be decided once")
	}
	if err := ios.SetTheme("dark"); err != nil {
		t.Fatal(err)
	}
	if !ios.IsDarkBackground() {
		t.Error("SetTheme(dark) did not take effect")
	}
	if err := ios.SetTheme("sepia"); err == nil {
		t.Error("SetTheme(sepia) = nil, want error")
	}
}

func TestTerminalSize(t *testing.T) {
	ios, _, _, _ := Test()
	if w, h := ios.TerminalWidth(), ios.TerminalHeight(); w != 80 || h != 24 {
		t.Errorf("defaults = %d×%d, want 80×24", w, h)
	}
	ios.SetEnv("COLUMNS", "132")
	ios.SetEnv("LINES", "50")
	if w, h := ios.TerminalWidth(), ios.TerminalHeight(); w != 132 || h != 50 {
		t.Errorf("from env = %d×%d, want 132×50", w, h)
	}
	ios.SetEnv("COLUMNS", "-3")
	if w := ios.TerminalWidth(); w != 80 {
		t.Errorf("bad COLUMNS: width %d, want 80", w)
	}
}

func TestSplitWords(t *testing.T) {
	tests := []struct {
		in   string
		want []string
		err  bool
	}{
		{"less -R", []string{"less", "-R"}, false},
		{"  less   -R  ", []string{"less", "-R"}, false},
		{"", nil, false},
		{`'/opt/my pager/bin' -x`, []string{"/opt/my pager/bin", "-x"}, false},
		{`sh -c "cat > \"$1\""`, []string{"sh", "-c", `cat > "$1"`}, false},
		{`a\ b c`, []string{"a b", "c"}, false},
		{`x'y'"z"`, []string{"xyz"}, false},
		{`''`, []string{""}, false},
		{`"a\nb"`, []string{`a\nb`}, false},
		{`'a\b'`, []string{`a\b`}, false},
		{"less; rm -rf /", []string{"less;", "rm", "-rf", "/"}, false},
		{"$(evil) `x`", []string{"$(evil)", "`x`"}, false},
		{`'open`, nil, true},
		{`"open`, nil, true},
		{`tail\`, []string{`tail\`}, false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := SplitWords(tt.in)
			if (err != nil) != tt.err {
				t.Fatalf("err = %v, want error %v", err, tt.err)
			}
			if !tt.err && !reflect.DeepEqual(got, tt.want) {
				t.Errorf("SplitWords(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestIsEPIPE(t *testing.T) {
	tests := []struct {
		err  error
		want bool
	}{
		{nil, false},
		{syscall.EPIPE, true},
		{fmt.Errorf("write stdout: %w", syscall.EPIPE), true},
		{&os.PathError{Op: "write", Path: "/dev/stdout", Err: syscall.EPIPE}, true},
		{io.ErrClosedPipe, true},
		{errors.New("broken pipe"), false}, // strings are not errors we branch on
		{syscall.ENOSPC, false},
		{io.EOF, false},
	}
	for _, tt := range tests {
		if got := IsEPIPE(tt.err); got != tt.want {
			t.Errorf("IsEPIPE(%v) = %v, want %v", tt.err, got, tt.want)
		}
	}
}

func TestRealPipeEPIPE(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	r.Close()
	_, err = w.Write([]byte("x"))
	w.Close()
	if !IsEPIPE(err) {
		t.Errorf("write to closed pipe: %v, IsEPIPE false", err)
	}
}

func TestPagerNotStartedWithoutTTY(t *testing.T) {
	ios, _, out, _ := Test()
	ios.SetEnv("PAGER", "sed s/a/b/")
	if err := ios.StartPager(""); err != nil {
		t.Fatal(err)
	}
	if ios.Out != io.Writer(out) {
		t.Fatal("Out replaced although stdout is not a terminal")
	}
	fmt.Fprint(ios.Out, "aaa")
	ios.StopPager()
	if out.String() != "aaa" {
		t.Errorf("out = %q", out.String())
	}
}

func needSh(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skip("no sh")
	}
}

func TestPagerRuns(t *testing.T) {
	needSh(t)
	ios, _, out, _ := Test()
	ios.SetStdoutTTY(true)
	ios.SetEnv("PAGER", `sh -c 'printf "[%s]" "$LESS"; tr a b'`)
	if err := ios.StartPager(""); err != nil {
		t.Fatal(err)
	}
	if ios.Out == io.Writer(out) {
		t.Fatal("Out not replaced by the pager")
	}
	fmt.Fprint(ios.Out, "aaa")
	ios.StopPager()
	if ios.Out != io.Writer(out) {
		t.Error("Out not restored")
	}
	want := "[FRX]bbb"
	if os.Getenv("LESS") != "" {
		want = "[" + os.Getenv("LESS") + "]bbb"
	}
	if out.String() != want {
		t.Errorf("pager output = %q, want %q", out.String(), want)
	}
}

func TestPagerCatIsNoPager(t *testing.T) {
	ios, _, out, _ := Test()
	ios.SetStdoutTTY(true)
	if err := ios.StartPager("cat"); err != nil {
		t.Fatal(err)
	}
	if ios.Out != io.Writer(out) {
		t.Error("cat started as a pager")
	}
}

func TestPagerBadCommand(t *testing.T) {
	ios, _, _, _ := Test()
	ios.SetStdoutTTY(true)
	if err := ios.StartPager(`less "-R`); err == nil {
		t.Error("unterminated quote: want error")
	}
	if err := ios.StartPager("/nonexistent/byline-pager"); err == nil {
		t.Error("missing pager: want error")
	}
}

func TestPagerQuitEarlyIsEPIPE(t *testing.T) {
	needSh(t)
	ios, _, _, _ := Test()
	ios.SetStdoutTTY(true)
	if err := ios.StartPager("sh -c 'exit 0'"); err != nil {
		t.Fatal(err)
	}
	// The pipe buffer fills, then the write blocks until the pager is gone and
	// fails: no timing involved.
	chunk := []byte(strings.Repeat("x", 64<<10) + "\n")
	var err error
	for i := 0; i < 256 && err == nil; i++ {
		_, err = ios.Out.Write(chunk)
	}
	ios.StopPager()
	if err == nil {
		t.Fatal("writes to an exited pager never failed")
	}
	if !IsEPIPE(err) {
		t.Errorf("error %v: IsEPIPE false", err)
	}
}

func TestProgress(t *testing.T) {
	for _, tc := range []struct {
		name           string
		stdout, stderr bool
		shown          bool
	}{
		{"both terminals", true, true, true},
		{"stdout piped", false, true, false},
		{"stderr piped", true, false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ios, _, out, errOut := Test()
			ios.SetStdoutTTY(tc.stdout)
			ios.SetStderrTTY(tc.stderr)
			ios.StartProgress("Refreshing")
			ios.UpdateProgress("3/10 feeds, 1 failed, 2s")
			ios.StopProgress()
			if out.Len() != 0 {
				t.Errorf("progress wrote to stdout: %q", out.String())
			}
			got := errOut.String()
			if !tc.shown {
				if got != "" {
					t.Errorf("progress shown: %q", got)
				}
				return
			}
			if !strings.Contains(got, "Refreshing 3/10 feeds, 1 failed, 2s") {
				t.Errorf("progress line missing: %q", got)
			}
			if strings.ContainsRune(got, 0x1b) {
				t.Errorf("progress uses escape sequences: %q", got)
			}
			last := got[strings.LastIndex(got[:len(got)-1], "\r"):]
			if strings.TrimSpace(last) != "" || !strings.HasSuffix(got, "\r") {
				t.Errorf("line not erased at stop: tail %q", last)
			}
		})
	}
}

func TestProgressTruncatedToWidth(t *testing.T) {
	ios, _, _, errOut := Test()
	ios.SetStdoutTTY(true)
	ios.SetStderrTTY(true)
	ios.SetEnv("COLUMNS", "20")
	ios.StartProgress(strings.Repeat("long label ", 10))
	ios.StopProgress()
	for _, seg := range strings.Split(errOut.String(), "\r") {
		if n := len([]rune(seg)); n > 19 {
			t.Errorf("segment of %d cells exceeds width: %q", n, seg)
		}
	}
}

func TestProgressConcurrentUpdates(t *testing.T) {
	ios, _, _, errOut := Test()
	ios.SetStdoutTTY(true)
	ios.SetStderrTTY(true)
	ios.StartProgress("Refreshing")
	done := make(chan struct{})
	for i := 0; i < 4; i++ {
		go func(i int) {
			for j := 0; j < 50; j++ {
				ios.UpdateProgress(fmt.Sprintf("%d/%d", i, j))
			}
			done <- struct{}{}
		}(i)
	}
	for i := 0; i < 4; i++ {
		<-done
	}
	ios.StopProgress()
	ios.UpdateProgress("after stop") // must not draw or panic
	ios.StopProgress()
	if strings.Contains(errOut.String(), "after stop") {
		t.Error("update drawn after stop")
	}
}
