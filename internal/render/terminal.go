package render

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"charm.land/glamour/v2"
	"charm.land/glamour/v2/ansi"
	"charm.land/glamour/v2/styles"
	"github.com/byline/byline/internal/sanitize"
	xansi "github.com/charmbracelet/x/ansi"
)

// Style selects the look of Terminal output.
type Style struct {
	Dark    bool // dark terminal background
	NoColor bool // no colour or text attributes at all; symbols only
}

// MaxWidth is the widest text Terminal produces; callers pass
// min(terminal width, MaxWidth).
const MaxWidth = 100

// quoteToken is the block-quote gutter. glamour's wrap budget counts one cell
// per indent level whatever the token's width, so a two-cell "│ " overflows
// the line and gets wrapped away on some widths; the 1-cell "▎" never does.
const quoteToken = "▎"

// Terminal renders Markdown for a terminal with byline's glamour style,
// wrapped to width cells (MaxWidth when width <= 0 or wider). Every line of
// the result fits in width cells. It never panics: a panic inside glamour
// comes back as an error.
func Terminal(md string, width int, st Style) (out string, err error) {
	if width <= 0 || width > MaxWidth {
		width = MaxWidth
	}
	defer func() {
		if r := recover(); r != nil {
			out, err = "", fmt.Errorf("render terminal: glamour panic: %v", r)
		}
	}()
	// A renderer is not safe for concurrent use and is cheap to build: one
	// per call.
	r, err := glamour.NewTermRenderer(
		glamour.WithStyles(styleConfig(st)),
		glamour.WithWordWrap(width),
	)
	if err != nil {
		return "", fmt.Errorf("render terminal: %w", err)
	}
	out, err = r.Render(prepare(md, width))
	if err != nil {
		return "", fmt.Errorf("render terminal: %w", err)
	}
	out = strings.ReplaceAll(out, emptyHyperlink, "")
	out = dropNonWebLinks(out)
	out = strings.ReplaceAll(out, "\t", "    ")
	return clipLines(out, width), nil
}

// emptyHyperlink is the OSC 8 opener glamour writes around an image with no
// destination, that is around every caption (see markCaptions). It links to
// nothing, so it goes.
var emptyHyperlink = xansi.SetHyperlink("", "id=2166136261") // FNV-1a of ""

// hyperlink matches an OSC 8 sequence; submatch 1 is its URI.
var hyperlink = regexp.MustCompile("\x1b\\]8;[^;\x07\x1b]*;([^\x07\x1b]*)(?:\x07|\x1b\\\\)")

// dropNonWebLinks removes hyperlinks whose target is not an http(s) URL:
// glamour links any Markdown destination, javascript: and file: included.
// Closers (empty URI) stay; the link text stays as plain text.
func dropNonWebLinks(s string) string {
	if !strings.Contains(s, "\x1b]8;") {
		return s
	}
	return hyperlink.ReplaceAllStringFunc(s, func(m string) string {
		if u := hyperlink.FindStringSubmatch(m)[1]; u != "" && !sanitize.IsWebURL(u) {
			return ""
		}
		return m
	})
}

// clipLines cuts every line to width cells. glamour keeps lines within the
// wrap width except where it cannot break: tables wider than the width and
// words longer than a line. Cutting keeps the pane layout intact.
func clipLines(s string, width int) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if xansi.StringWidth(l) > width {
			lines[i] = xansi.Truncate(l, width, "…")
		}
	}
	return strings.Join(lines, "\n")
}

// StripANSI removes every escape sequence (SGR, OSC 8, …) from s.
func StripANSI(s string) string {
	return xansi.Strip(s)
}

// styleConfig builds byline's glamour style. The package-level style configs
// in glamour's styles package share their pointer fields with every copy, so
// each change assigns a fresh pointer and nothing is written through one.
func styleConfig(st Style) ansi.StyleConfig {
	if st.NoColor {
		return noColorStyle()
	}
	c := styles.LightStyleConfig
	var quoteColor, captionColor uint8 = 94, 245
	if st.Dark {
		c = styles.DarkStyleConfig
		quoteColor, captionColor = 180, 244
	}
	c.BlockQuote = ansi.StyleBlock{
		StylePrimitive: ansi.StylePrimitive{
			Color:  ptr(strconv.Itoa(int(quoteColor))),
			Italic: ptr(true),
		},
		Indent: ptr(uint(1)),
		// glamour draws the gutter in the parent block's colour; the token
		// carries its own so that the outermost bar has the quote colour too.
		IndentToken: ptr(xansi.Style{}.ForegroundColor(xansi.IndexedColor(quoteColor)).Styled(quoteToken)),
	}
	c.ImageText = ansi.StylePrimitive{
		Color:  ptr(strconv.Itoa(int(captionColor))),
		Italic: ptr(true),
		Format: "{{.text}}",
	}
	return c
}

// noColorStyle is glamour's ASCII style (no colour, no attributes, Markdown
// markers for emphasis) with byline's quote gutter and captions in brackets.
func noColorStyle() ansi.StyleConfig {
	c := styles.ASCIIStyleConfig
	c.BlockQuote = ansi.StyleBlock{
		Indent:      ptr(uint(1)),
		IndentToken: ptr(quoteToken),
	}
	c.ImageText = ansi.StylePrimitive{Format: "[{{.text}}]"}
	return c
}

func ptr[T any](v T) *T { return &v }
