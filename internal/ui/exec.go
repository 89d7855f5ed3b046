package ui

import (
	"errors"
	"fmt"
	"os/exec"
	"runtime"
	"strings"
)

// SplitWords splits a command line into words the way a POSIX shell would
// for simple commands: blanks separate words, single quotes keep everything
// literal, double quotes allow \" \\ \$ \` escapes, a backslash outside
// quotes escapes the next character. No expansion of any kind happens.
func SplitWords(s string) ([]string, error) {
	var words []string
	var cur strings.Builder
	inWord := false
	rs := []rune(s)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case r == ' ' || r == '\t' || r == '\n':
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
		case r == '\\':
			inWord = true
			if i+1 < len(rs) {
				i++
				if rs[i] != '\n' {
					cur.WriteRune(rs[i])
				}
			}
		case r == '\'':
			inWord = true
			j := i + 1
			for j < len(rs) && rs[j] != '\'' {
				j++
			}
			if j >= len(rs) {
				return nil, errors.New("unterminated single quote")
			}
			cur.WriteString(string(rs[i+1 : j]))
			i = j
		case r == '"':
			inWord = true
			j := i + 1
			for ; j < len(rs) && rs[j] != '"'; j++ {
				if rs[j] == '\\' && j+1 < len(rs) && strings.ContainsRune("\"\\$`\n", rs[j+1]) {
					j++
				}
				cur.WriteRune(rs[j])
			}
			if j >= len(rs) {
				return nil, errors.New("unterminated double quote")
			}
			i = j
		default:
			inWord = true
			cur.WriteRune(r)
		}
	}
	if inWord {
		words = append(words, cur.String())
	}
	return words, nil
}

func newCommand(argv []string) *exec.Cmd {
	return exec.Command(argv[0], argv[1:]...)
}

// browserCommand builds the command opening u. A configured browser (or
// $BROWSER) may be a terminal program, so it runs in the foreground with the
// TUI suspended; the desktop openers are started detached, with no access to
// the terminal. The URL is always exactly one argument: it replaces a "%s"
// word, else it is appended.
func browserCommand(configured, env, u string) (c *exec.Cmd, detached bool, err error) {
	line := configured
	if line == "" {
		// $BROWSER may list alternatives separated by colons.
		line, _, _ = strings.Cut(env, ":")
	}
	if strings.TrimSpace(line) == "" {
		opener := "xdg-open"
		if runtime.GOOS == "darwin" {
			opener = "open"
		}
		return exec.Command(opener, u), true, nil
	}
	argv, err := SplitWords(line)
	if err != nil {
		return nil, false, fmt.Errorf("browser command: %w", err)
	}
	if len(argv) == 0 {
		return nil, false, errors.New("browser command is empty")
	}
	placed := false
	for i, a := range argv[1:] {
		if strings.Contains(a, "%s") {
			argv[i+1] = strings.ReplaceAll(a, "%s", u)
			placed = true
		}
	}
	if !placed {
		argv = append(argv, u)
	}
	return newCommand(argv), false, nil
}

// pagerCommand builds the pager: the configured one, else $PAGER, else less.
func pagerCommand(configured, env string) (*exec.Cmd, error) {
	line := configured
	if line == "" {
		line = env
	}
	if strings.TrimSpace(line) == "" {
		line = "less -R"
	}
	argv, err := SplitWords(line)
	if err != nil {
		return nil, fmt.Errorf("pager command: %w", err)
	}
	if len(argv) == 0 {
		return nil, errors.New("pager command is empty")
	}
	return newCommand(argv), nil
}
