package main

import (
	"fmt"
	"html"
	"io"
	"net/http"
	"strings"
	"time"
)

func esc(s string) string { return html.EscapeString(s) }

func (s *server) feedURL(f int) string       { return fmt.Sprintf("%s/feed/%d", s.base, f) }
func (s *server) siteURL(f int) string       { return fmt.Sprintf("%s/site/%d", s.base, f) }
func (s *server) articleURL(f, i int) string { return fmt.Sprintf("%s/article/%d/%d", s.base, f, i) }

// window returns the item indexes a feed document shows, newest first: the
// latest s.items of count items.
func (s *server) window(count int) (lo, hi int) {
	lo = count - s.items
	if lo < 0 {
		lo = 0
	}
	return lo, count
}

func (s *server) renderRSS(w *strings.Builder, f, count int) {
	lo, hi := s.window(count)
	fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom">
<channel>
<title>%s</title>
<link>%s</link>
<atom:link href="%s" rel="self" type="application/rss+xml"/>
<description>News from %s (byline benchmark feed)</description>
<language>en</language>
<lastBuildDate>%s</lastBuildDate>
`, esc(s.gen.feedTitle(f)), s.siteURL(f), s.feedURL(f), esc(s.gen.feedTitle(f)),
		published(f, hi-1).Format(time.RFC1123Z))
	for i := hi - 1; i >= lo; i-- {
		fmt.Fprintf(w, `<item>
<title>%s</title>
<link>%s</link>
<guid isPermaLink="false">urn:byline-bench:%d:%d</guid>
<pubDate>%s</pubDate>
<dc:creator>%s</dc:creator>
<category>%s</category>
<description>%s</description>
`, esc(s.gen.title(f, i)), s.articleURL(f, i), f, i, published(f, i).Format(time.RFC1123Z),
			esc(s.gen.author(f, i)), s.gen.category(f, i), esc(s.gen.summary(f, i)))
		if isFull(f) {
			fmt.Fprintf(w, "<content:encoded><![CDATA[%s]]></content:encoded>\n", s.gen.body(f, i, s.base))
		}
		w.WriteString("</item>\n")
	}
	w.WriteString("</channel>\n</rss>\n")
}

func (s *server) renderAtom(w *strings.Builder, f, count int) {
	lo, hi := s.window(count)
	fmt.Fprintf(w, `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">
<title>%s</title>
<subtitle>News from %s (byline benchmark feed)</subtitle>
<id>urn:byline-bench:feed:%d</id>
<link rel="self" type="application/atom+xml" href="%s"/>
<link rel="alternate" type="text/html" href="%s"/>
<updated>%s</updated>
`, esc(s.gen.feedTitle(f)), esc(s.gen.feedTitle(f)), f, s.feedURL(f), s.siteURL(f),
		published(f, hi-1).Format(time.RFC3339))
	for i := hi - 1; i >= lo; i-- {
		p := published(f, i).Format(time.RFC3339)
		fmt.Fprintf(w, `<entry>
<title>%s</title>
<id>urn:byline-bench:%d:%d</id>
<link rel="alternate" type="text/html" href="%s"/>
<published>%s</published>
<updated>%s</updated>
<author><name>%s</name></author>
<category term="%s"/>
<summary>%s</summary>
`, esc(s.gen.title(f, i)), f, i, s.articleURL(f, i), p, p, esc(s.gen.author(f, i)),
			s.gen.category(f, i), esc(s.gen.summary(f, i)))
		if isFull(f) {
			fmt.Fprintf(w, "<content type=\"html\">%s</content>\n", esc(s.gen.body(f, i, s.base)))
		}
		w.WriteString("</entry>\n")
	}
	w.WriteString("</feed>\n")
}

// renderArticle writes the web page of one story, wrapped in the furniture a
// real news site has around the text (what readability has to strip).
func (s *server) renderArticle(w io.Writer, f, i, count int) {
	title := esc(s.gen.title(f, i))
	site := esc(s.gen.feedTitle(f))
	fmt.Fprintf(w, `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>%s | %s</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta property="og:title" content="%s">
<meta property="og:type" content="article">
<meta name="author" content="%s">
<meta property="article:published_time" content="%s">
<link rel="canonical" href="%s">
<link rel="alternate" type="%s" title="%s" href="%s">
<style>body{font-family:sans-serif}.cookie{position:fixed;bottom:0}</style>
<script>window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments)}</script>
</head><body>
<div class="cookie-banner cookie" role="dialog"><p>We use cookies to improve your experience and to show personalised ads.</p><button>Accept all</button><button>Manage preferences</button></div>
<header class="site-header"><a class="logo" href="%s">%s</a>
<nav class="main-nav"><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li><li><a href="/politics">Politics</a></li><li><a href="/business">Business</a></li><li><a href="/science">Science</a></li><li><a href="/culture">Culture</a></li><li><a href="/sport">Sport</a></li><li><a href="/subscribe">Subscribe</a></li></ul></nav>
<form class="search" action="/search"><input name="q" placeholder="Search"></form></header>
<main>
<article class="story">
<header><p class="kicker"><a href="/%s">%s</a></p><h1>%s</h1>
<p class="byline">By <a rel="author" href="/authors/%d">%s</a> · <time datetime="%s">%s</time></p>
<div class="share"><a href="#" class="share-fb">Share on Facebook</a> <a href="#" class="share-x">Share on X</a> <a href="#" class="share-mail">Email</a> <a href="#" class="share-copy">Copy link</a></div>
<p class="standfirst">%s</p></header>
<div class="article-body">
%s</div>
<footer class="article-footer"><p class="tags">Topics: <a href="#">%s</a></p>
<p class="comments-count"><a href="#comments">%d comments</a></p></footer>
</article>
<aside class="newsletter"><h2>Get the morning briefing</h2><p>The day's top stories in your inbox, every weekday.</p><form><input type="email" placeholder="Your email"><button>Sign up</button></form></aside>
<aside class="related"><h2>Related stories</h2><ul>
`, title, site, title, esc(s.gen.author(f, i)), published(f, i).Format(time.RFC3339), s.articleURL(f, i),
		map[bool]string{true: "application/atom+xml", false: "application/rss+xml"}[isAtom(f)], site, s.feedURL(f),
		s.siteURL(f), site, strings.ToLower(s.gen.category(f, i)), s.gen.category(f, i), title, f*7+i%5,
		esc(s.gen.author(f, i)), published(f, i).Format(time.RFC3339), published(f, i).Format("2 January 2006, 15:04 MST"),
		esc(s.gen.summary(f, i)), s.gen.body(f, i, s.base), s.gen.category(f, i), (f*31+i*17)%400)
	for k := 1; k <= 5; k++ {
		j := (i + k*3) % count
		fmt.Fprintf(w, "<li><a href=\"%s\">%s</a></li>\n", s.articleURL(f, j), esc(s.gen.title(f, j)))
	}
	fmt.Fprintf(w, `</ul></aside>
<section id="comments" class="comments"><h2>Comments</h2><p>Comments are closed for this story.</p></section>
</main>
<footer class="site-footer"><ul><li><a href="/about">About us</a></li><li><a href="/contact">Contact</a></li><li><a href="/privacy">Privacy policy</a></li><li><a href="/terms">Terms</a></li><li><a href="%s">RSS</a></li></ul>
<p>© 2026 %s. All rights reserved.</p></footer>
</body></html>
`, s.feedURL(f), site)
}

func (s *server) handleOPML(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/x-opml; charset=utf-8")
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0">
<head><title>byline benchmark feeds</title></head>
<body>
`)
	for f := 0; f < s.feeds; f++ {
		kind := "rss"
		fmt.Fprintf(&b, "<outline type=\"%s\" text=\"%s\" title=\"%s\" xmlUrl=\"%s\" htmlUrl=\"%s\"/>\n",
			kind, esc(s.gen.feedTitle(f)), esc(s.gen.feedTitle(f)), s.feedURL(f), s.siteURL(f))
	}
	b.WriteString("</body>\n</opml>\n")
	s.write(w, r, []byte(b.String()))
}

// handleURLs serves the feed list in newsboat's urls file format.
func (s *server) handleURLs(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	var b strings.Builder
	for f := 0; f < s.feeds; f++ {
		fmt.Fprintf(&b, "%s \"bench\"\n", s.feedURL(f))
	}
	s.write(w, r, []byte(b.String()))
}
