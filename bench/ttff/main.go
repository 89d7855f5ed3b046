// Command ttff measures a TUI's time to first frame: it starts a program in a
// pseudo-terminal of a fixed size, answers the usual terminal queries (so the
// program does not wait for a reply a real terminal would give), and reports
// the milliseconds until the screen output contains one of the -want strings
// (compared with escape sequences and whitespace removed). Then it sends
// ctrl+c and waits for the program to exit.
//
//	ttff [-cols 120 -rows 40 -timeout 10s] -want TEXT [-want TEXT…] -- PROGRAM ARGS…
//
// Output on stdout: one line "ms" (or "timeout" with exit status 1).
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/creack/pty"
)

type multi []string

func (m *multi) String() string     { return strings.Join(*m, ",") }
func (m *multi) Set(v string) error { *m = append(*m, v); return nil }

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "ttff:", err)
		os.Exit(1)
	}
}

func run() error {
	var want multi
	cols := flag.Int("cols", 120, "terminal columns")
	rows := flag.Int("rows", 40, "terminal rows")
	timeout := flag.Duration("timeout", 15*time.Second, "give up after this long")
	dump := flag.String("dump", "", "write the raw output to this file")
	verbose := flag.Bool("v", false, "log terminal queries and timings to stderr")
	flag.Var(&want, "want", "text that marks the first frame (repeatable; any one matches)")
	flag.Parse()
	if flag.NArg() == 0 || len(want) == 0 {
		return errors.New("usage: ttff -want TEXT [-want TEXT] -- PROGRAM [ARGS]")
	}
	needles := make([][]byte, len(want))
	for k, w := range want {
		needles[k] = []byte(strings.Join(strings.Fields(w), ""))
	}

	cmd := exec.Command(flag.Arg(0), flag.Args()[1:]...)
	cmd.Env = append(os.Environ(), "TERM=xterm-256color", "COLORTERM=truecolor")
	start := time.Now()
	ptmx, err := pty.StartWithSize(cmd, &pty.Winsize{Cols: uint16(*cols), Rows: uint16(*rows)})
	if err != nil {
		return fmt.Errorf("start %s: %w", flag.Arg(0), err)
	}
	defer ptmx.Close()

	found := make(chan time.Duration, 1)
	done := make(chan struct{})
	var raw bytes.Buffer
	go func() {
		defer close(done)
		var text []byte
		var firstByte time.Duration
		sent := false
		buf := make([]byte, 64<<10)
		st := &stripper{}
		for {
			n, err := ptmx.Read(buf)
			if n > 0 {
				chunk := buf[:n]
				if firstByte == 0 {
					firstByte = time.Since(start)
					if *verbose {
						fmt.Fprintf(os.Stderr, "ttff: first byte after %.1f ms\n", ms(firstByte))
					}
				}
				raw.Write(chunk)
				for _, q := range answer(chunk) {
					if *verbose {
						fmt.Fprintf(os.Stderr, "ttff: answering %q\n", q)
					}
					ptmx.Write([]byte(q))
				}
				text = st.feed(text, chunk)
				if !sent {
					for _, nd := range needles {
						if bytes.Contains(text, nd) {
							found <- time.Since(start)
							sent = true
							break
						}
					}
				}
			}
			if err != nil {
				return
			}
		}
	}()

	var result time.Duration
	select {
	case result = <-found:
	case <-time.After(*timeout):
	case <-done:
	}
	ptmx.Write([]byte{3}) // ctrl+c
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	select {
	case <-exited:
	case <-time.After(3 * time.Second):
		ptmx.Write([]byte("q"))
		select {
		case <-exited:
		case <-time.After(2 * time.Second):
			cmd.Process.Kill()
			<-exited
		}
	}
	if *dump != "" {
		os.WriteFile(*dump, raw.Bytes(), 0o644)
	}
	if result == 0 {
		fmt.Println("timeout")
		return fmt.Errorf("none of %q appeared within %s (%d bytes of output)", []string(want), *timeout, raw.Len())
	}
	fmt.Printf("%.1f\n", ms(result))
	return nil
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// answer returns the replies a typical xterm-compatible terminal sends to the
// queries found in chunk (device attributes, cursor position, colours, modes).
func answer(chunk []byte) []string {
	var out []string
	s := string(chunk)
	for _, q := range []struct{ query, reply string }{
		{"\x1b[c", "\x1b[?62;22c"},
		{"\x1b[0c", "\x1b[?62;22c"},
		{"\x1b[6n", "\x1b[1;1R"},
		{"\x1b[?6n", "\x1b[?1;1R"},
		{"\x1b]11;?\x07", "\x1b]11;rgb:0000/0000/0000\x07"},
		{"\x1b]11;?\x1b\\", "\x1b]11;rgb:0000/0000/0000\x1b\\"},
		{"\x1b]10;?\x07", "\x1b]10;rgb:ffff/ffff/ffff\x07"},
		{"\x1b]10;?\x1b\\", "\x1b]10;rgb:ffff/ffff/ffff\x1b\\"},
		{"\x1b[?u", "\x1b[?0u"},
		{"\x1b[>0q", "\x1bP>|xterm(390)\x1b\\"},
		{"\x1b[>q", "\x1bP>|xterm(390)\x1b\\"},
	} {
		for k := strings.Count(s, q.query); k > 0; k-- {
			out = append(out, q.reply)
		}
	}
	// DECRQM for private modes: CSI ? Pn $ p → CSI ? Pn ; 2 $ y (reset, supported).
	for rest := s; ; {
		i := strings.Index(rest, "\x1b[?")
		if i < 0 {
			break
		}
		rest = rest[i+3:]
		j := strings.Index(rest, "$p")
		if j > 0 && j < 8 && strings.Trim(rest[:j], "0123456789") == "" {
			out = append(out, "\x1b[?"+rest[:j]+";2$y")
		}
	}
	return out
}

// stripper removes escape sequences and whitespace from a byte stream that may
// split sequences across reads.
type stripper struct {
	state int // 0 text, 1 after ESC, 2 CSI, 3 OSC/DCS/APC string, 4 ESC inside string
}

func (st *stripper) feed(dst, src []byte) []byte {
	for _, c := range src {
		switch st.state {
		case 0:
			switch {
			case c == 0x1b:
				st.state = 1
			case c <= ' ' || c == 0x7f:
			default:
				dst = append(dst, c)
			}
		case 1:
			switch c {
			case '[':
				st.state = 2
			case ']', 'P', '_', '^', 'X':
				st.state = 3
			case '(', ')', '*', '+', '#', '%':
				// charset designation: one more byte follows; treat as text-less.
				st.state = 0
			default:
				st.state = 0
			}
		case 2:
			if c >= 0x40 && c <= 0x7e {
				st.state = 0
			}
		case 3:
			switch c {
			case 0x07:
				st.state = 0
			case 0x1b:
				st.state = 4
			}
		case 4:
			if c == '\\' {
				st.state = 0
			} else {
				st.state = 3
			}
		}
	}
	return dst
}
