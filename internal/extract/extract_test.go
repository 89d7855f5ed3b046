package extract

import (
	"errors"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"golang.org/x/net/html"

	"github.com/byline/byline/internal/model"
)

// article wraps body paragraphs in a page long enough for readability.
func article(body string) []byte {
	return []byte(`<!DOCTYPE html><html><head><meta charset="utf-8"><title>Test Story</title></head><body>
<nav><a href="/">Home</a> <a href="/a">World</a></nav><article><h1>Test Story</h1>` + body + `</article>
<footer>Copyright 2026 Example News</footer></body></html>`)
}

const filler = `<p>The committee met for the third time this month to discuss the proposal, which would change how the town pays for its roads, bridges and the small harbour that most residents rely on for their living.</p>
<p>Members spent most of the afternoon going through the figures line by line, and several asked for more time before they would commit to a vote on any part of the plan that was put before them.</p>`

func TestExtractRules(t *testing.T) {
	tests := []struct {
		name    string
		body    string
		want    []string // substrings of the Markdown
		wantNot []string
	}{
		{
			name: "pull quote not in the body stays once where it stands",
			body: filler + `<aside class="pullquote">Nobody wants to pay, but everybody wants the roads fixed.</aside>` + filler +
				`<div class="pull-quote">Nobody wants to pay, but everybody wants the roads fixed.</div>`,
			want: []string{"> Nobody wants to pay, but everybody wants the roads fixed."},
		},
		{
			name:    "pull quote repeating body text is dropped",
			body:    `<p>“The harbour is the town,” the mayor said, and she repeated it twice before sitting down again in her chair.</p>` + filler + `<aside class="pull-quote">“The harbour is the town”</aside>`,
			wantNot: []string{"> “The harbour is the town”"},
		},
		{
			name: "blockquote keeps attribution",
			body: filler + `<blockquote class="instagram-media"><p>Sunset over the harbour tonight.</p>— Harbour Life (@harbourlife)</blockquote>`,
			want: []string{"> Sunset over the harbour tonight.\n>\n> — Harbour Life (@harbourlife)"},
		},
		{
			name: "instagram embed keeps post and attribution, drops its button text",
			body: filler + `<blockquote class="instagram-media"><div><a href="https://www.instagram.com/p/x/">View this post on Instagram</a></div>` +
				`<p><a href="https://www.instagram.com/p/x/">Morning light on the harbour wall.</a></p><p>A post shared by Harbour Life (@harbourlife) on <time>Mar 3, 2026 at 7:02am PST</time></p></blockquote>` + filler,
			want:    []string{"> [Morning light on the harbour wall.](https://www.instagram.com/p/x/)\n>\n> A post shared by Harbour Life (@harbourlife) on Mar 3, 2026 at 7:02am PST"},
			wantNot: []string{"View this post"},
		},
		{
			name:    "caption class and credit line become caption lines",
			body:    filler + `<p class="wp-caption-text">Boats in the harbour at dawn.</p><p>(AP Photo/Jane Roe)</p><p>Getty Images</p>` + filler,
			want:    []string{"*Image: Boats in the harbour at dawn.*", "*Image: (AP Photo/Jane Roe)*", "*Image: Getty Images*"},
			wantNot: []string{"\nBoats in the harbour at dawn.\n"},
		},
		{
			name: "short paragraph followed by an agency credit is a caption",
			body: filler + `<p>Boats moored at dawn in the old harbour.</p><p>Jane Roe | Reuters | Getty Images</p>` + filler,
			want: []string{"*Image: Boats moored at dawn in the old harbour.*", "*Image: Jane Roe | Reuters | Getty Images*"},
		},
		{
			name: "paragraph before a figure with a credit stays a paragraph",
			body: filler + `<p>The boats left at dawn.</p><figure><img src="/b.jpg"><figcaption>(AP Photo/Jane Roe)</figcaption></figure>` + filler,
			want: []string{"\n\nThe boats left at dawn.\n\n", "*Image: (AP Photo/Jane Roe)*"},
		},
		{
			name: "credit-like words inside a sentence stay a paragraph",
			body: filler + `<p>The photo agency Getty Images said on Monday that it had licensed the pictures to three newspapers in the region.</p>`,
			want: []string{"\nThe photo agency Getty Images said on Monday"},
		},
		{
			name:    "lone decorative image produces nothing; meaningful alt becomes a caption",
			body:    filler + `<p><img src="/spacer.gif" alt=""></p><p><img src="/x.jpg" alt="DSC_0042.jpg"></p><p><img src="/h.jpg" alt="Fishing boats moored in the old harbour"></p>` + filler,
			want:    []string{"*Image: Fishing boats moored in the old harbour*"},
			wantNot: []string{"spacer", "DSC", "x.jpg", "h.jpg"},
		},
		{
			name:    "furniture never appears",
			body:    filler + `<div class="social-share"><a href="https://t.co/x">Tweet</a><a href="https://fb.com/x">Share</a></div><p>Read more: <a href="/b">Harbour fees rise</a></p><div id="newsletter">Sign up for our daily briefing</div><p><a href="/c">12 comments</a></p>` + filler,
			wantNot: []string{"Tweet", "Read more", "Sign up", "comments"},
		},
		{
			name: "class words never remove running text",
			body: filler + `<p>The report, <a class="popup" href="/r">published by the share council</a>, and <span class="ad">an addendum</span> were read aloud in full.</p>`,
			want: []string{"The report, [published by the share council](https://news.example.com/r), and an addendum were read aloud in full."},
		},
		{
			name:    "related heading and link list dropped, content list kept",
			body:    filler + `<ul><li>roads</li><li>bridges</li></ul><h2>Related stories</h2><ul><li><a href="/1">One</a></li><li><a href="/2">Two</a></li></ul>`,
			want:    []string{"- roads\n- bridges"},
			wantNot: []string{"Related", "[One]"},
		},
		{
			name: "run of links dropped, sentence with links kept",
			body: filler + `<p><a href="/1">harbour</a>, <a href="/2">ferry</a>, <a href="/3">bridge fees</a>, <a href="/4">council</a></p>` +
				`<p>The <a href="/f">ferry</a> and the <a href="/b">bridge</a> were both discussed at length by the committee.</p>`,
			want:    []string{"The [ferry](https://news.example.com/f) and the [bridge](https://news.example.com/b) were both"},
			wantNot: []string{"[harbour]", "[council]"},
		},
		{
			name:    "shouted promo link dropped, shouted text kept",
			body:    filler + `<p><strong><a href="/p">HARBOUR TOWN VOTES TO RAISE FEES AGAIN</a></strong></p><p>NOBODY EXPECTED THE FEES TO RISE THIS FAST.</p>`,
			want:    []string{"NOBODY EXPECTED THE FEES TO RISE THIS FAST."},
			wantNot: []string{"HARBOUR TOWN VOTES"},
		},
		{
			name: "links after a furniture label dropped, prose after it kept",
			body: filler + `<p>Don't miss</p><p><a href="/a">Ferry timetable cut again [NEWS]</a></p><p><a href="/b">Bridge closed for a week [INSIGHT]</a></p>` +
				`<h3>Related</h3><p>The committee will meet again next Tuesday to vote on the final plan for the harbour.</p>`,
			want:    []string{"The committee will meet again next Tuesday"},
			wantNot: []string{"Don't miss", "Ferry timetable", "Bridge closed", "Related"},
		},
		{
			name:    "gallery list of captions leaves the list, repeated captions once",
			body:    filler + `<ul><li><figure><img src="/1.jpg"><figcaption>The quay at dawn.</figcaption></figure></li><li><figure><img src="/2.jpg"><figcaption>The quay at dawn.</figcaption></figure></li></ul>` + filler,
			want:    []string{"*Image: The quay at dawn.*"},
			wantNot: []string{"- *Image"},
		},
		{
			name:    "date stamp dropped, sentence with a date kept",
			body:    `<p>Updated March 14, 2026, 9:30 AM</p>` + filler + `<p>The bridge opened on March 3, 2019 after years of delays.</p>`,
			want:    []string{"The bridge opened on March 3, 2019 after years of delays."},
			wantNot: []string{"Updated March"},
		},
		{
			name: "dateline inside the first sentence is kept",
			body: `<p><span class="dateline">CAIRO —</span> Gunmen opened fire on visitors at the museum on Wednesday, killing at least nineteen people.</p>` + filler + filler + filler,
			want: []string{"CAIRO — Gunmen opened fire"},
		},
		{
			name: "text inside a figure stays one paragraph",
			body: filler + `<figure><img src="/m.png"><p>The map shows <em>every</em> road the plan would repair.</p>Loose text with <b>bold</b> words.<figcaption>The plan.</figcaption></figure>` + filler,
			want: []string{"\n\nThe map shows *every* road the plan would repair.\n\nLoose text with **bold** words.\n\n*Image: The plan.*"},
		},
		{
			name: "figure quote keeps its figcaption as attribution",
			body: filler + `<figure><blockquote><p>We will rebuild the harbour, stone by stone.</p></blockquote><figcaption>— Mayor Ana Ruiz, <cite>inaugural speech</cite></figcaption></figure>` + filler,
			want: []string{"> We will rebuild the harbour, stone by stone.\n>\n> — Mayor Ana Ruiz, inaugural speech"},
		},
		{
			name: "blocks wrapped in an inline element stay blocks",
			body: `<span class="content">` + filler + `<h3>Status quo</h3><p>The harbour fees have not changed since 2010, the clerk said.</p></span>`,
			want: []string{"\n\n### Status quo\n\nThe harbour fees have not changed since 2010, the clerk said."},
		},
		{
			name: "prose separated by single line breaks is split; verse keeps its breaks",
			body: filler + `<p>The committee met again on Tuesday to discuss the harbour fees.<br>“We cannot go on like this for another winter, not one more,” said the harbour master.</p>` +
				`<p>The sea is calm tonight,<br>the tide is full,<br>the moon lies fair.</p>`,
			want: []string{"\n\nThe committee met again on Tuesday to discuss the harbour fees.\n\n> “We cannot go on like this for another winter, not one more,” said the harbour master.",
				"The sea is calm tonight,  \nthe tide is full,  \nthe moon lies fair."},
		},
		{
			name:    "duplicate title heading dropped",
			body:    `<h2>Test Story</h2>` + filler,
			wantNot: []string{"# Test Story"},
		},
		{
			name: "markdown characters in text are escaped",
			body: filler + `<p>Use *stars* and _underscores_ and [brackets] freely; 2 < 3.</p><p>1. Not a list item but a sentence that starts with a number.</p>`,
			want: []string{`Use \*stars\* and \_underscores\_ and \[brackets\] freely; 2 < 3.`, `1\. Not a list`},
		},
		{
			name: "table cells escape pipes, layout tables unwrap",
			body: filler + `<table><tr><th>Route</th><th>Fare</th></tr><tr><td>A|B</td><td>£2</td></tr></table><table><tr><td><p>One-cell layout table text.</p></td></tr></table>`,
			want: []string{"| Route | Fare |\n| --- | --- |\n| A\\|B | £2 |", "\n\nOne-cell layout table text."},
		},
		{
			name: "an exclamation mark before a link is not image syntax",
			body: filler + `<p>Wow!<a href="/x">the harbour</a> was full today.</p>`,
			want: []string{`Wow\![the harbour](https://news.example.com/x) was full today.`},
		},
		{
			name:    "unsafe links lose their URL, keep their text",
			body:    filler + `<p>Click <a href="javascript:alert(1)">here</a> or <a href="data:text/html,x">there</a> now please.</p>`,
			want:    []string{"Click here or there now please."},
			wantNot: []string{"javascript", "data:"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := Extract(article(tt.body), "text/html", "https://news.example.com/story", Options{})
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tt.want {
				if !strings.Contains(a.Markdown, w) {
					t.Errorf("missing %q in:\n%s", w, a.Markdown)
				}
				if n := strings.Count(a.Markdown, w); n > 1 {
					t.Errorf("%q appears %d times in:\n%s", w, n, a.Markdown)
				}
			}
			for _, w := range tt.wantNot {
				if strings.Contains(a.Markdown, w) {
					t.Errorf("unexpected %q in:\n%s", w, a.Markdown)
				}
			}
		})
	}
}

var wordRe = regexp.MustCompile(`[\p{L}\p{N}]+`)

// TestWordsPreserved checks that every body paragraph of each fixture
// appears in the output with the same words in the same order.
func TestWordsPreserved(t *testing.T) {
	for _, name := range []string{"english", "french", "german", "cjk"} {
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile("testdata/" + name + ".html")
			if err != nil {
				t.Fatal(err)
			}
			a, err := Extract(src, "text/html", "https://news.example.com/x", Options{})
			if err != nil {
				t.Fatal(err)
			}
			out := strings.Join(wordRe.FindAllString(PlainText(a.Markdown), -1), " ")
			doc, _ := html.Parse(strings.NewReader(string(src)))
			pos := 0
			walk(doc, func(n *html.Node) bool {
				if isFurniture(n) || isElem(n, "footer", "aside") {
					return false
				}
				if !isElem(n, "p") || attr(n, "class") != "" {
					return true
				}
				words := strings.Join(wordRe.FindAllString(cleanText(textContent(n)), -1), " ")
				i := strings.Index(out[pos:], words)
				if i < 0 {
					t.Errorf("paragraph missing or altered (or out of order): %q", words)
					return false
				}
				pos += i + len(words)
				return false
			})
		})
	}
}

func TestHostilePages(t *testing.T) {
	deep := strings.Repeat("<div>", 200_000) + "text" + strings.Repeat("</div>", 200_000)
	deepUnder := "<html><body><article>" + strings.Repeat("<div>", 20_000) + strings.Repeat("<p>Some words in a deeply nested paragraph that goes on for a while.</p>", 20) + "</article></body></html>"
	hugeAttr := `<html><body><p title="` + strings.Repeat("A", 20<<20) + `">Hello there, this is a paragraph.</p></body></html>`
	manyAttrs := "<html><body><p " + strings.Repeat(`a="b" `, 200_000) + `>Hello</p></body></html>`
	tests := []struct {
		name string
		page []byte
	}{
		{"pdf", []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n")},
		{"binary", []byte("\x00\x01\x02\x03\x00\x00\x00\x00\x00\x00\x00\x00\x00\xff\xfe" + strings.Repeat("\x00", 100))},
		{"png", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")},
		{"empty", nil},
		{"200k nested divs", []byte(deep)},
		{"20k nested divs under the limit", []byte(deepUnder)},
		{"huge attribute", []byte(hugeAttr)},
		{"many attributes", []byte(manyAttrs)},
		{"unclosed everything", []byte(strings.Repeat("<table><tr><td><ul><li><b><i>", 3000))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			a, err := Extract(tt.page, "text/html", "https://news.example.com/x", Options{})
			if d := time.Since(start); d > 10*time.Second {
				t.Errorf("took %v", d)
			}
			if err == nil && !utf8.ValidString(a.Markdown) {
				t.Error("invalid UTF-8")
			}
			if err == nil && len(a.Markdown) > 1<<20 {
				t.Errorf("unbounded body: %d bytes", len(a.Markdown))
			}
		})
	}
	if _, err := Extract([]byte("%PDF-1.4 ..."), "application/pdf", "https://x.example/a.pdf", Options{}); !errors.Is(err, ErrNotHTML) {
		t.Errorf("pdf: err = %v, want ErrNotHTML", err)
	}
	if _, err := Extract([]byte(deep), "text/html", "https://x.example/", Options{}); !errors.Is(err, ErrTooLarge) {
		t.Errorf("deep: err = %v, want ErrTooLarge", err)
	}
	if _, err := Extract(article(filler), "text/html", "https://x.example/", Options{MaxElements: 5}); !errors.Is(err, ErrTooLarge) {
		t.Errorf("MaxElements: err = %v, want ErrTooLarge", err)
	}
}

func TestExtractEmptyIsError(t *testing.T) {
	_, err := Extract([]byte(`<html><body><nav><a href="/">Home</a></nav></body></html>`), "text/html", "https://x.example/", Options{})
	if err == nil {
		t.Fatal("want an error for a page without an article")
	}
}

func TestCharset(t *testing.T) {
	// "Café déjà vu" in ISO-8859-1, declared by the header and by a meta tag.
	body := "<p>Caf\xe9 d\xe9j\xe0 vu, " + strings.Repeat("a long sentence about the town and its harbour. ", 20) + "</p>"
	page := []byte("<html><head><meta charset=\"iso-8859-1\"><title>T</title></head><body><article>" + body + "</article></body></html>")
	for _, ct := range []string{"text/html; charset=iso-8859-1", "text/html"} {
		a, err := Extract(page, ct, "https://x.example/", Options{})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(a.Markdown, "Café déjà vu") {
			t.Errorf("%s: not decoded: %q", ct, a.Markdown[:40])
		}
	}
}

func TestMetadataSanitized(t *testing.T) {
	page := []byte("<html><head><title>Evil\x1b[31m title\x07</title><meta name=\"author\" content=\"Mal\u202eory\"></head><body><article>" + filler + filler + "</article></body></html>")
	a, err := Extract(page, "text/html", "https://x.example/", Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{a.Title, a.Author, a.Markdown} {
		if strings.ContainsAny(s, "\x1b\x07\u202e") {
			t.Errorf("control character left in %q", s)
		}
	}
}

func TestFromHTMLRules(t *testing.T) {
	got := FromHTML(`<p>“It is over,” she said. “We are done here, all of us, and there is nothing more to do.”</p>`+
		`<p>The meeting ended at 10pm.</p><figure><img src="a.jpg"><figcaption>The hall.</figcaption></figure>`+
		`<div class="share"><a href="/s">Share</a></div><p><img src="deco.png"></p>`, "https://news.example.com/")
	want := "> “It is over,” she said. “We are done here, all of us, and there is nothing more to do.”\n\nThe meeting ended at 10pm.\n\n" + model.CaptionLine("The hall.")
	if got != want {
		t.Errorf("FromHTML =\n%s\nwant\n%s", got, want)
	}
	if FromHTML("", "") != "" {
		t.Error("empty fragment should give an empty body")
	}
}

func TestIsFullArticle(t *testing.T) {
	para := "<p>" + strings.Repeat("The harbour committee met again today to talk about the fees. ", 8) + "</p>"
	tests := []struct {
		name string
		html string
		want bool
	}{
		{"several long paragraphs", strings.Repeat(para, 4), true},
		{"one long paragraph", "<p>" + strings.Repeat("word ", 400) + "</p>", false},
		{"short excerpt", "<p>The committee met today.</p><p>More soon.</p>", false},
		{"long but ends with read more", strings.Repeat(para, 4) + `<p><a href="/x">Continue reading →</a></p>`, false},
		{"ends with ellipsis", strings.Repeat(para, 3) + "<p>And then the committee decided to […]</p>", false},
		{"just under the word count", strings.Repeat(para, 2), false},
		{"japanese, counted by characters", strings.Repeat("<p>"+strings.Repeat("駅前の再開発地区に市立図書館の新館が開館した。", 10)+"</p>", 2), true},
		{"short japanese excerpt", "<p>駅前に新しい図書館が開館した。</p><p>続きを読む</p>", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := IsFullArticle(tt.html); got != tt.want {
				t.Errorf("IsFullArticle = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestPlainText(t *testing.T) {
	md := "## Head\n\n> “Quote,” she said.\n\n" + model.CaptionLine("A caption") + "\n\nSee [the \\[report\\]](https://x.example/r) and *this* **now**.\n\n- one\n- two\n\n| a | b |\n| --- | --- |\n| 1 | 2 |\n\n```\ncode *here*\n```"
	want := "Head\n\n“Quote,” she said.\n\nSee the [report] and this now.\n\none\ntwo\n\na b\n1 2\n\ncode *here*"
	if got := PlainText(md); got != want {
		t.Errorf("PlainText =\n%q\nwant\n%q", got, want)
	}
}

func TestScoreText(t *testing.T) {
	if s := ScoreText("one two three four five", "one two three four five"); s.Precision != 1 || s.Recall != 1 {
		t.Errorf("identical: %+v", s)
	}
	s := ScoreText("a b c d e f", "a b c d x y z w")
	// truth shingles: abcd bcde cdef; pred: abcd bcdx cdxy dxyz xyzw → tp 1, fp 4, fn 2.
	if s.Precision != 0.2 || s.Recall != 1.0/3 {
		t.Errorf("partial: %+v", s)
	}
	if s := ScoreText("a b", ""); s.Precision != 0 || s.Recall != 0 {
		t.Errorf("empty prediction: %+v", s)
	}
	if got := Tokens("co\u00adop don't 東京 x_y"); strings.Join(got, "|") != "coop|don|t|東京|x_y" {
		t.Errorf("Tokens = %q", got)
	}
}
