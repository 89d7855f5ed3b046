package extract

import (
	"slices"
	"strings"
	"unicode"

	"golang.org/x/net/html"
)

// Marks set on elements before readability runs (readability drops <aside>
// and would lose what a class told us). The converter reads them back.
const (
	markAttr      = "data-byline"
	markPullQuote = "pullquote"
	markCaption   = "caption"
	markCredit    = "credit"
)

// furnitureTokens are class/id words of page furniture: sharing, newsletter
// and subscription boxes, related-content lists, cookie banners, ads,
// comments. They match whole words of the class or id, so "shared-story" or
// "adaptive" do not match.
var furnitureTokens = []string{
	"share", "sharing", "sharebar", "social", "socials", "newsletter", "subscribe", "subscription",
	"signup", "related", "recommended", "recommendations", "cookie", "cookies", "consent", "gdpr",
	"ad", "ads", "advert", "advertisement", "adsbygoogle", "sponsor", "sponsored", "promo",
	"outbrain", "taboola", "comments", "comment", "breadcrumb", "breadcrumbs", "toolbar",
	"readmore", "donate", "paywall", "popup", "modal", "banner", "print", "tags", "taglist",
	"bio", "authorbox", "disclosure", "affiliate",
}

var inlineTags = map[string]bool{
	"a": true, "span": true, "em": true, "strong": true, "b": true, "i": true, "u": true, "small": true,
	"sup": true, "sub": true, "abbr": true, "cite": true, "code": true, "time": true, "mark": true,
	"q": true, "s": true, "del": true, "ins": true, "label": true, "font": true, "bdi": true, "bdo": true,
}

var furnitureRoles = []string{"navigation", "banner", "contentinfo", "search", "menu", "menubar", "toolbar", "dialog", "alertdialog"}

// pullQuoteClass matches pull quotes by class: pullquote, pull-quote,
// pull_quote, quote-pull, and "blockquote" asides.
func pullQuoteClass(cls string) bool {
	for _, k := range []string{"pullquote", "pull-quote", "pull_quote", "quote-pull", "blockquote"} {
		if strings.Contains(cls, k) {
			return true
		}
	}
	return false
}

// Caption and credit classes match as whole words of the class attribute
// ("wp-caption-text", "photo-credit"); the length guards in mark keep a
// whole article from being taken for one.
var (
	captionWords = []string{"caption", "figcaption", "imagecaption", "photocaption", "captiontext"}
	creditWords  = []string{"credit", "credits", "copyright", "photographer", "imagecredit", "photocredit"}
)

func hasWord(toks, words []string) bool {
	for _, t := range toks {
		if slices.Contains(words, t) {
			return true
		}
	}
	return false
}

// isFurniture reports whether an element is page furniture to drop whole.
// Class and id words only count while the element is small or mostly links,
// so a wrapper that happens to carry such a class keeps the article inside.
func isFurniture(n *html.Node) bool {
	if n.Type != html.ElementNode {
		return false
	}
	switch n.Data {
	case "nav", "button", "form", "select", "input", "textarea", "script", "style", "noscript",
		"template", "svg", "canvas", "iframe", "object", "embed", "dialog", "menu":
		return true
	}
	if len(n.Attr) == 0 || attr(n, markAttr) != "" {
		return false
	}
	if isHidden(n) {
		return true
	}
	if inlineTags[n.Data] {
		// Class words never remove running text: a link styled "popup" or a
		// span styled "share" inside a sentence is still the article's words.
		return false
	}
	if slices.Contains(furnitureRoles, strings.ToLower(attr(n, "role"))) {
		return true
	}
	toks := classTokens(n)
	hit := false
	for _, t := range toks {
		if slices.Contains(furnitureTokens, t) {
			hit = true
			break
		}
	}
	if !hit {
		return false
	}
	text := strings.TrimSpace(textContent(n))
	return len(text) < 400 || linkDensity(n) > 0.5
}

// isHidden reports elements the page never shows.
func isHidden(n *html.Node) bool {
	if _, ok := hasAttr(n, "hidden"); ok {
		return true
	}
	if strings.EqualFold(attr(n, "aria-hidden"), "true") && !isElem(n, "img", "picture", "figure") {
		return true
	}
	st := strings.ToLower(strings.ReplaceAll(attr(n, "style"), " ", ""))
	return strings.Contains(st, "display:none") || strings.Contains(st, "visibility:hidden")
}

func hasAttr(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

// prepare marks pull quotes, captions and credits, and removes furniture,
// on the whole page before readability scores it.
func prepare(doc *html.Node) {
	var drop []*html.Node
	walk(doc, func(n *html.Node) bool {
		if n.Type != html.ElementNode {
			return true
		}
		if mark(n) {
			return true
		}
		keepInSentence(n)
		switch n.Data {
		case "html", "body", "head", "main", "article":
			return true
		case "script", "style", "noscript", "template":
			return false // readability reads JSON-LD and noscript images itself
		}
		if n.Data != "form" && n.Data != "iframe" && isFurniture(n) && !keepForScoring(n) {
			drop = append(drop, n)
			return false
		}
		return true
	})
	for _, n := range drop {
		if n.Parent != nil {
			n.Parent.RemoveChild(n)
		}
	}
}

// mark tags n as pull quote, caption or credit when its class says so, and
// turns pull-quote asides into blockquotes so readability keeps them.
func mark(n *html.Node) bool {
	if n.Data == "body" || n.Data == "html" {
		return false
	}
	cls := strings.ToLower(attr(n, "class"))
	if cls == "" {
		return false
	}
	toks := classTokens(n)
	switch {
	case pullQuoteClass(cls) && n.Data != "blockquote" && len(textContent(n)) < 600:
		setAttr(n, markAttr, markPullQuote)
		if n.Data == "aside" || n.Data == "div" {
			n.Data, n.DataAtom = "blockquote", 0
		}
		return true
	case n.Data == "blockquote" && pullQuoteClass(cls) && strings.Contains(cls, "pull"):
		setAttr(n, markAttr, markPullQuote)
		return true
	case hasWord(toks, creditWords) && len(textContent(n)) < 300:
		setAttr(n, markAttr, markCredit)
		return true
	case hasWord(toks, captionWords) && len(textContent(n)) < 600:
		setAttr(n, markAttr, markCaption)
		return true
	}
	return false
}

// furniturePhraseRe matches short paragraphs that are calls to action or
// labels rather than article text.
var furniturePhraseRe = lazyRegexp(`(?i)^(advertisement|advertising|anzeige|publicité|sponsored( content)?|` +
	`(read|see|click) (more|also|next)\b.*|continue reading.*|related( articles| stories| content| coverage)?:?.*|` +
	`share (this|on)\b.*|follow us\b.*|sign up (for|to)\b.*|subscribe (to|now)\b.*|` +
	`\d+ comments?|(view|show|load) comments|comments?|most (read|popular|viewed)|more (from|on|stories|news)\b.*|` +
	`you (may|might) (also )?(like|enjoy|be interested in)|don'?t miss|also read|trending( now| stories)?|` +
	`recommended( for you| stories| reading)?|tags|topics|filed under|tagged( with)?|popular (stories|posts)|` +
	`related posts|leia (também|mais)|veja também|lesen sie auch|mehr zum thema|à lire aussi|lire aussi|ver también|` +
	`te puede interesar|читайте также|смотрите также|` +
	`(image|photo|picture|slide|foto|bild)s? \d+ ?(of|/|de|von|sur)? ?/? ?\d+|caption|close|sign in|log in|skip to( main)? content|` +
	`advert|share it with a friend.*|like this story\?.*|also on \S+\.\S+.*|` +
	`(this|the) (slideshow|video|content|page|gallery) requires javascript.*|please enable javascript.*|more|` +
	`more (articles|posts|stories|news) (from|by) .*|this (post|article|page) (may )?contains? affiliate.*|` +
	`\(?(leggi anche|vedi anche|leia também|lee también|lea también|lire aussi|lesen sie auch)\b.*|` +
	`[\d.,]+ (views|reads|letture|visualizações|visualizaciones|visitas|lecturas|aufrufe|vues)|views|reads|letture|` +
	`by|text size|enlarge (this )?(image|photo|picture)|view (author )?archive|e-?mail the author|` +
	`follow (on|us on) (twitter|facebook|instagram|x)|write to .{2,60} at \S+@\S+|via \S+\.[a-z]{2,4}|` +
	`photo|video|image|graphic|play( video)?|watch( video| now)?|listen( now)?|loading\.*|` +
	`view (this|the) (post|photo|video|profile) on (instagram|facebook|twitter|x|tiktok|youtube)|` +
	`(see|view) (more|all)( on (instagram|twitter|facebook))?)$`)

// metaLabelRe matches the labels of a post's metadata line ("Posted by:",
// "Category:", "Tags:").
var metaLabelRe = lazyRegexp(`(?i)\b(posted|published|publicado|publié|veröffentlicht|written|category|categoria|categorie|catégorie|kategorie|tags|filed under|author|autor|auteur)( by| por| par| von)?\s*:`)

// isMetaLine reports a short line made of two or more metadata labels.
func isMetaLine(s string) bool {
	return len(s) <= 240 && strings.Count(s, ":") >= 2 && len(metaLabelRe().FindAllStringIndex(s, 3)) >= 2
}

// isFurnitureText reports whether a short block of text is page furniture.
func isFurnitureText(s string) bool {
	if len(s) > 160 {
		return false
	}
	// A full sentence is article text even when it starts like a label
	// ("Read more books, the librarian said, …").
	if t := strings.TrimSpace(s); len(strings.Fields(t)) >= 7 && strings.ContainsAny(t[len(t)-1:], ".!?") {
		return callToActionRe().MatchString(t)
	}
	if callToActionRe().MatchString(strings.TrimSpace(s)) {
		return true
	}
	return furniturePhraseRe().MatchString(strings.TrimSpace(strings.TrimRight(s, ":.…>» →")))
}

// callToActionRe matches calls to action that are furniture even as full
// sentences: "Follow Newsbeat on Instagram, Facebook and YouTube.",
// "Click here to subscribe to our newsletter".
var callToActionRe = lazyRegexp(`(?i)^(follow (us|\S+( \S+)?) on (instagram|facebook|twitter|youtube|tiktok|x|linkedin)\b|` +
	`click here to (subscribe|get|download|sign up|join|register|learn more|read more)\b|` +
	`(sign up|subscribe) (for|to) (our|the) [^.]{0,40}(newsletter|channel|podcast|briefing)\b)`)

// creditLineRe matches photo credit lines: "Photo: X", "(AP Photo/…)",
// "Name/Agency", "Getty Images", "© X".
var creditLineRe = lazyRegexp(`(?i)^\(?\s*(photo|photograph|image|picture|foto|illustration|credit|source|bild|crédit|crédits)s?( by)?\s*[:/]|` +
	`^(©|\(c\)\s|copyright\b)|` +
	`^\(?(ap|afp|reuters|getty images|epa|dpa|shutterstock|alamy|istock)( photo)?\)?$|` +
	`^[\p{L}.' -]{2,60}[/|]\s*([\p{L}.' -]{2,40}[/|]\s*)?(getty images|afp|ap|reuters|epa|dpa|shutterstock|alamy|istock|associated press|bloomberg|sipa|picture alliance)\b`)

// apPhotoRe matches a caption ending with an AP-style credit.
var apPhotoRe = lazyRegexp(`(?i)\(ap photo/[^)]*\)$`)

// imageSuffixRe matches a caption that ends with its credit in brackets:
// "Protesters in the street (Image: GETTY)".
var imageSuffixRe = lazyRegexp(`(?i)[(\[]\s*(image|photo|picture|foto|pic|credit|source|bild)s?\s*(:|by\b|credit\s*:|courtesy\b)[^)\]]{1,120}[)\]]\s*$`)

// sourceSuffixRe matches a caption ending with its sources in brackets,
// separated by slashes: "Map of Titan. (NASA/JPL-Caltech/ASU)".
var sourceSuffixRe = lazyRegexp(`\(\p{Lu}[\p{L}.&-]*(\s*/\s*\p{Lu}[\p{L}.& -]*)+\)\s*$`)

// isCreditLine reports whether a short text is a photo credit.
func isCreditLine(s string) bool {
	s = strings.TrimSpace(s)
	if s == "" || len(s) >= 300 {
		return false
	}
	// The suffix patterns scan the whole text: run them only when it ends
	// with a bracket.
	if strings.HasSuffix(s, ")") || strings.HasSuffix(s, "]") {
		if imageSuffixRe().MatchString(s) || sourceSuffixRe().MatchString(s) || apPhotoRe().MatchString(s) {
			return true
		}
	}
	if len(s) > 160 {
		return false
	}
	// Every credit pattern needs a separator, a copyright mark or a bare
	// agency name: skip the regular expression for ordinary short text.
	if !strings.ContainsAny(s, ":/|©") && len(s) > 40 && !strings.HasPrefix(strings.ToLower(s), "copyright") && !strings.HasPrefix(s, "(c)") {
		return false
	}
	return creditLineRe().MatchString(s)
}

// dateWords are the words a date or time stamp is made of, in the
// languages byline meets most.
var dateWordRe = lazyRegexp(`(?i)^(published|updated|posted|last|modified|on|at|am|pm|a\.m|p\.m|utc|gmt|est|edt|cet|cest|bst|pst|pdt|cst|cdt|mst|mdt|ist|aest|aedt|jst|kst|msk|` +
	`jan(uary)?|feb(ruary)?|mar(ch)?|apr(il)?|may|june?|july?|aug(ust)?|sep(t|tember)?|oct(ober)?|nov(ember)?|dec(ember)?|` +
	`mon(day)?|tue(s|sday)?|wed(nesday)?|thu(rs|rsday)?|fri(day)?|sat(urday)?|sun(day)?|` +
	`janeiro|fevereiro|março|abril|maio|junho|julho|agosto|setembro|outubro|novembro|dezembro|` +
	`segunda|terça|quarta|quinta|sexta|sábado|domingo|feira|atualizado|publicado|às|de|em|` +
	`enero|febrero|marzo|mayo|junio|julio|septiembre|octubre|noviembre|diciembre|actualizado|` +
	`janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre|publié|mis|jour|le|à|` +
	`januar|februar|märz|juni|juli|oktober|dezember|veröffentlicht|aktualisiert|um|uhr|am|` +
	`gennaio|febbraio|aprile|maggio|giugno|luglio|settembre|ottobre|dicembre|gen|mag|giu|lug|ago|set|ott|dic|pubblicato|aggiornato|alle|ore|` +
	`et|pt|ct|original|\d+([./-]\d+)*(st|nd|rd|th|h|a|am|pm)?)$`)

// isDateLine reports whether a short text is only a date or time stamp
// ("Updated Nov 19, 6:55 AM; Posted Nov 19, 6:51 AM"). Such stamps are page
// furniture around the article, never its words.
func isDateLine(s string) bool {
	s = strings.ReplaceAll(s, "|", " ")
	if len(s) > 160 || !strings.ContainsAny(s, "0123456789") {
		return false
	}
	words := strings.FieldsFunc(s, func(r rune) bool {
		return !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '.')
	})
	if len(words) == 0 {
		return false
	}
	year := false
	for _, w := range words {
		w = strings.Trim(w, ".")
		if w == "" {
			continue
		}
		if !dateWordRe().MatchString(w) {
			return false
		}
		if len(w) == 4 && w[0] >= '1' && w[0] <= '2' || strings.Contains(s, ":") {
			year = true
		}
	}
	return year
}

// keepForScoring spares comment-thread parts from the pre-readability
// pass: stripping their metadata makes the comments look like prose and can
// win readability's scoring over the article. Readability already skips
// comment containers, and the converter drops what is left.
func keepForScoring(n *html.Node) bool {
	for _, t := range classTokens(n) {
		if strings.HasPrefix(t, "comment") {
			return true
		}
	}
	return false
}

// keepInSentence strips byline-like class, id, rel and itemprop from an
// inline element that is part of a paragraph's running text ("<span
// class="dateline">CAIRO —</span> Gunmen opened fire…"): readability would
// take it for the byline and cut those words out of the sentence.
func keepInSentence(n *html.Node) {
	if !inlineTags[n.Data] || len(n.Attr) == 0 || !isElem(n.Parent, "p", "li", "dd", "blockquote") {
		return
	}
	m := strings.ToLower(attr(n, "class") + " " + attr(n, "id") + " " + attr(n, "rel") + " " + attr(n, "itemprop"))
	if !strings.Contains(m, "byline") && !strings.Contains(m, "author") && !strings.Contains(m, "dateline") && !strings.Contains(m, "writtenby") {
		return
	}
	own := len(strings.TrimSpace(textContent(n)))
	if len(strings.TrimSpace(textContent(n.Parent))) < 2*own+40 {
		return // the paragraph is the byline itself
	}
	n.Attr = slices.DeleteFunc(n.Attr, func(a html.Attribute) bool {
		return a.Key == "class" || a.Key == "id" || a.Key == "rel" || a.Key == "itemprop"
	})
}
