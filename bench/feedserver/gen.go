package main

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// baseTime anchors every published date so that output never depends on the
// clock: item i of feed f is published at baseTime + i*itemStep + f*feedSkew.
var baseTime = time.Date(2026, time.January, 5, 8, 0, 0, 0, time.UTC)

const (
	itemStep = 47 * time.Minute
	feedSkew = 13 * time.Second
)

var (
	subjects = []string{"City council", "Regional hospital", "Harbour authority", "Transport minister",
		"University researchers", "Local farmers", "School board", "Fire brigade", "Central bank",
		"Water utility", "Museum curators", "Tenants' union", "Airport operator", "Wildlife rangers",
		"Chamber of commerce", "Coastal guard", "Library trustees", "Rail workers", "Energy regulator",
		"Football club"}
	verbs = []string{"approves", "rejects", "delays", "unveils", "questions", "backs", "reviews",
		"expands", "halts", "defends", "revises", "launches", "settles", "postpones", "announces"}
	objects = []string{"harbour expansion", "new budget", "flood defences", "night bus routes",
		"wind farm plan", "housing reform", "bridge repairs", "heat pump grants", "ferry contract",
		"school meals scheme", "river clean-up", "tram extension", "rent cap", "data centre",
		"solar subsidy", "market hall revamp"}
	tails = []string{"after long debate", "amid protests", "despite warnings", "for second year",
		"in narrow vote", "as costs rise", "after review", "ahead of winter", "following audit",
		"under pressure"}
	words = strings.Fields(`the a council plan said would could residents officials budget year
		week month city region project report public local new first last many several critics
		support funding cost costs government agency community families workers service services
		decision meeting vote proposal changes future schools roads housing energy water transport
		data survey analysis evidence experts told statement published announced expected increase
		decrease million thousand percent spending growth pressure demand delay opposition members
		committee district neighbourhood coast river harbour station market centre network`)
	firstNames = []string{"Amira", "Jonas", "Priya", "Tomás", "Ingrid", "Kwame", "Lena", "Mateo",
		"Sofia", "Yusuf", "Hannah", "Ravi", "Claire", "Oskar", "Nadia", "Felix"}
	lastNames = []string{"Okafor", "Lindqvist", "Moreau", "Tanaka", "Novak", "Haddad", "Fischer",
		"Costa", "Brennan", "Kowalski", "Adeyemi", "Silva", "Jansen", "Murphy", "Rossi", "Dubois"}
	agencies = []string{"Reuters", "AP", "AFP", "EPA", "Getty Images", "PA Wire", "dpa", "ANP"}
	roles    = []string{"a spokesperson for the council", "the project's lead engineer",
		"a local shopkeeper", "the opposition leader", "a retired teacher", "the union's chair",
		"an independent analyst", "the mayor"}
	pronouns   = []string{"she said", "he said", "they said", "she added", "he told reporters"}
	feedAdj    = []string{"Northern", "Coastal", "Daily", "Evening", "Metro", "Valley", "Harbour", "Civic"}
	feedNoun   = []string{"Ledger", "Gazette", "Courier", "Observer", "Herald", "Dispatch", "Record", "Chronicle"}
	categories = []string{"Politics", "Business", "Science", "Local", "Transport", "Environment", "Health", "Culture"}
)

// gen builds every piece of text deterministically from the seed.
type gen struct {
	seed uint64
}

func (g gen) rng(f, i int, salt uint64) *rand.Rand {
	return rand.New(rand.NewPCG(g.seed^salt*0x9e3779b97f4a7c15, uint64(f)<<32|uint64(uint32(i))))
}

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

// isAtom reports whether feed f is served as Atom (odd feeds) rather than RSS 2.0.
func isAtom(f int) bool { return f%2 == 1 }

// isFull reports whether feed f carries full HTML bodies: feeds 0,1 full, 2,3
// summary-only, 4,5 full, … so that both formats get both kinds.
func isFull(f int) bool { return (f/2)%2 == 0 }

func (g gen) feedTitle(f int) string {
	r := g.rng(f, -1, 1)
	return fmt.Sprintf("%s %s %d", pick(r, feedAdj), pick(r, feedNoun), f)
}

func published(f, i int) time.Time {
	return baseTime.Add(time.Duration(i)*itemStep + time.Duration(f)*feedSkew)
}

func (g gen) title(f, i int) string {
	r := g.rng(f, i, 2)
	return fmt.Sprintf("%s %s %s %s", pick(r, subjects), pick(r, verbs), pick(r, objects), pick(r, tails))
}

func (g gen) author(f, i int) string {
	r := g.rng(f, i, 3)
	return pick(r, firstNames) + " " + pick(r, lastNames)
}

func (g gen) category(f, i int) string {
	r := g.rng(f, i, 4)
	return pick(r, categories)
}

func sentence(r *rand.Rand, n int) string {
	var b strings.Builder
	for k := 0; k < n; k++ {
		w := pick(r, words)
		if k == 0 {
			w = strings.ToUpper(w[:1]) + w[1:]
		} else {
			b.WriteByte(' ')
		}
		b.WriteString(w)
	}
	return b.String()
}

func sentences(r *rand.Rand, n int) string {
	var parts []string
	for k := 0; k < n; k++ {
		parts = append(parts, sentence(r, 8+r.IntN(10))+".")
	}
	return strings.Join(parts, " ")
}

// summary is the one- or two-sentence teaser used as RSS description / Atom summary.
func (g gen) summary(f, i int) string {
	r := g.rng(f, i, 5)
	return sentences(r, 1+r.IntN(2))
}

// body is the full article HTML (a few KB): paragraphs, direct speech, a
// blockquote and a captioned figure. imgBase is the absolute URL prefix for images.
func (g gen) body(f, i int, imgBase string) string {
	r := g.rng(f, i, 6)
	var b strings.Builder
	b.Grow(5000)
	nPara := 6 + r.IntN(4)
	figAt, quoteAt, speechAt := 1+r.IntN(2), 3+r.IntN(2), 2
	for p := 0; p < nPara; p++ {
		switch p {
		case figAt:
			fmt.Fprintf(&b, "<figure><img src=\"%s/img/%d/%d.jpg\" alt=\"%s\" width=\"1200\" height=\"800\">"+
				"<figcaption>%s %s. Photo: %s/%s</figcaption></figure>\n",
				imgBase, f, i, sentence(r, 4), sentence(r, 6+r.IntN(5)), pick(r, words),
				pick(r, firstNames)+" "+pick(r, lastNames), pick(r, agencies))
		case quoteAt:
			fmt.Fprintf(&b, "<blockquote><p>%s</p></blockquote>\n", sentences(r, 2))
		}
		if p == speechAt {
			fmt.Fprintf(&b, "<p>“%s,” %s. “%s”</p>\n", sentence(r, 9+r.IntN(8)), pick(r, pronouns), sentences(r, 1))
			fmt.Fprintf(&b, "<p>“%s,” said %s %s, %s.</p>\n", sentence(r, 7+r.IntN(8)),
				pick(r, firstNames), pick(r, lastNames), pick(r, roles))
			continue
		}
		fmt.Fprintf(&b, "<p>%s</p>\n", sentences(r, 3+r.IntN(3)))
	}
	return b.String()
}
