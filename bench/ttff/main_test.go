package main

import (
	"strings"
	"testing"
)

func TestStripperAcrossChunks(t *testing.T) {
	st := &stripper{}
	var got []byte
	for _, chunk := range []string{"\x1b[38;2;1;2;3mRegional hos", "pital\x1b[", "0m re\x1b]8;;http://x\x1b", "\\views\x07"} {
		got = st.feed(got, []byte(chunk))
	}
	if want := "Regionalhospitalreviews"; string(got) != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestAnswer(t *testing.T) {
	got := strings.Join(answer([]byte("\x1b[?2026$p\x1b[c\x1b]11;?\x07")), "|")
	for _, want := range []string{"\x1b[?2026;2$y", "\x1b[?62;22c", "\x1b]11;rgb:0000/0000/0000\x07"} {
		if !strings.Contains(got, want) {
			t.Errorf("no %q in %q", want, got)
		}
	}
}
