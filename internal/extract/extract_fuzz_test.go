package extract

import (
	"regexp"
	"strings"
	"testing"

	"github.com/byline/byline/internal/model"
)

// mdLink captures the destination of an inline Markdown link or image.
var mdLink = regexp.MustCompile(`(?:^|[^\\])\]\(<?([^)\s>]*)`)

// FuzzFromHTMLConventions checks the canonical Markdown conventions on feed
// HTML: links lead only to http(s) URLs, images never appear as URLs, every
// caption paragraph is one line, and quotes and captions classify without
// panicking.
func FuzzFromHTMLConventions(f *testing.F) {
	for _, s := range []string{
		`<p>See <a href="javascript:alert(1)">x</a>, <a href="file:///etc/passwd">f</a>, <a href="/rel">r</a>, <a href="//cdn.example/p">p</a></p>`,
		`<figure><img src="a.png" alt="alt"><figcaption>Cap <b>bold</b> — Credit</figcaption></figure><img src="http://x/y.png">`,
		`<blockquote><p>“We are here,” she said.</p></blockquote><p>“Quoted,” he said. “More.”</p>`,
		`<p><a href="http://e.com/&#x1b;]52;c;aGk=&#7;">c</a> <a href="data:text/html,x">d</a> <a href=" JAVASCRIPT:x">j</a></p>`,
		`<a href="vbscript:x"><img src="javascript:x"></a><iframe src="http://evil/"></iframe><script>alert(1)</script>`,
		`<p>*Image: fake caption*</p><p>[x](javascript:alert(1))</p>`,
		`<p>Wow!<a href="/x">link</a> and !<span><a href="/y">nested</a></span></p>`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, html string) {
		md := FromHTML(html, "https://fuzz.example/a/")
		checkOutput(t, "fromhtml", md)
		for _, m := range mdLink.FindAllStringSubmatch(md, -1) {
			// The destination may be escaped for Markdown ("(" as %28), so
			// only its scheme is checked.
			d := strings.ToLower(m[1])
			if d != "" && !strings.HasPrefix(d, "#") && !strings.HasPrefix(d, "http://") && !strings.HasPrefix(d, "https://") {
				t.Fatalf("link to %q in %q", d, md)
			}
		}
		// A literal "!" right before a link is escaped, so no input gives
		// image syntax.
		if mdImage.MatchString(md) {
			t.Fatalf("image as URL in %q", md)
		}
		for _, p := range strings.Split(md, "\n\n") {
			if model.IsCaptionLine(p) && strings.Contains(strings.TrimSpace(p), "\n") {
				t.Fatalf("caption of several lines %q", p)
			}
			share := QuotedShare(p)
			if share < 0 || share > 1 || share != share {
				t.Fatalf("QuotedShare(%q) = %v", p, share)
			}
		}
	})
}

var mdImage = regexp.MustCompile(`(?:^|[^\\])!\[[^\]]*\]\(`)
