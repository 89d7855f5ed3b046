// Command byline-eval measures internal/extract against the test corpora in
// /work/shared/corpus: the Zyte article-extraction benchmark (4-token shingle
// precision, recall and F1 of the body's plain text) and the Mozilla
// Readability test pages. It never touches the network.
//
//	go run ./cmd/byline-eval [-corpus DIR] [-set bench|readability|all] [-worst N]
package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"sort"
	"strings"
	"time"

	"golang.org/x/net/html"

	"github.com/byline/byline/internal/extract"
)

// printMD makes -page print Markdown (set once from the flags in main).
var printMD bool

type page struct {
	name, url, truth string
	html             []byte
}

type result struct {
	name  string
	score extract.Score
	empty bool
	dur   time.Duration // wall time
	cpu   time.Duration // CPU time of the extracting thread
}

func main() {
	corpus := flag.String("corpus", "/work/shared/corpus", "corpus directory")
	set := flag.String("set", "all", "bench, readability or all")
	worst := flag.Int("worst", 0, "list the N pages with the lowest F1")
	only := flag.String("page", "", "print the extracted text of the page with this id and exit")
	showMD := flag.Bool("md", false, "with -page: print the Markdown body instead of its plain text")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the runs to this file")
	flag.Parse()
	printMD = *showMD
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			fmt.Fprintln(os.Stderr, "byline-eval:", err)
			os.Exit(1)
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			fmt.Fprintln(os.Stderr, "byline-eval:", err)
			os.Exit(1)
		}
		defer pprof.StopCPUProfile()
	}
	if *set == "bench" || *set == "all" {
		pages, err := loadBench(filepath.Join(*corpus, "extraction-benchmark"))
		if err != nil {
			fmt.Fprintln(os.Stderr, "byline-eval:", err)
			os.Exit(1)
		}
		run("extraction-benchmark", pages, *worst, *only)
	}
	if *set == "readability" || *set == "all" {
		pages, err := loadReadability(filepath.Join(*corpus, "readability-pages"))
		if err != nil {
			fmt.Fprintln(os.Stderr, "byline-eval:", err)
			os.Exit(1)
		}
		run("readability-pages", pages, *worst, *only)
	}
}

func run(name string, pages []page, worst int, only string) {
	var rs []result
	for _, p := range pages {
		if only != "" && !strings.HasPrefix(p.name, only) {
			continue
		}
		runtime.LockOSThread()
		cpu0 := threadCPU()
		start := time.Now()
		a, err := extract.Extract(p.html, "text/html", p.url, extract.Options{})
		d := time.Since(start)
		cpu := threadCPU() - cpu0
		runtime.UnlockOSThread()
		text := ""
		if err == nil {
			text = extract.PlainText(a.Markdown)
		}
		if only != "" && printMD {
			fmt.Println(a.Markdown)
			return
		}
		if only != "" {
			fmt.Printf("== %s %s (err %v)\n-- title: %s\n%s\n\n== TRUTH\n%s\n", p.name, p.url, err, a.Title, text, p.truth)
			s := extract.ScoreText(p.truth, text)
			fmt.Printf("P %.3f R %.3f\n", s.Precision, s.Recall)
			return
		}
		rs = append(rs, result{name: p.name, score: extract.ScoreText(p.truth, text), empty: strings.TrimSpace(text) == "", dur: d, cpu: cpu})
	}
	var sp, sr float64
	empty := 0
	var durs, cpus []time.Duration
	for _, r := range rs {
		cpus = append(cpus, r.cpu)
		sp += r.score.Precision
		sr += r.score.Recall
		if r.empty {
			empty++
		}
		durs = append(durs, r.dur)
	}
	n := float64(len(rs))
	p, rc := sp/n, sr/n
	slices.Sort(durs)
	slices.Sort(cpus)
	fmt.Printf("%s: %d pages  precision %.4f  recall %.4f  F1 %.4f  empty %d  wall median %.2f ms p95 %.2f ms  cpu median %.2f ms p95 %.2f ms\n",
		name, len(rs), p, rc, 2*p*rc/(p+rc), empty, ms(durs[len(durs)/2]), ms(durs[len(durs)*95/100]),
		ms(cpus[len(cpus)/2]), ms(cpus[len(cpus)*95/100]))
	if worst > 0 {
		sort.Slice(rs, func(i, j int) bool { return f1(rs[i].score) < f1(rs[j].score) })
		for _, r := range rs[:min(worst, len(rs))] {
			fmt.Printf("  %-20.20s P %.3f R %.3f F1 %.3f %6.1f ms\n", r.name, r.score.Precision, r.score.Recall, f1(r.score), ms(r.dur))
		}
	}
}

func f1(s extract.Score) float64 {
	if s.Precision+s.Recall == 0 {
		return 0
	}
	return 2 * s.Precision * s.Recall / (s.Precision + s.Recall)
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func loadBench(dir string) ([]page, error) {
	raw, err := os.ReadFile(filepath.Join(dir, "ground-truth.json"))
	if err != nil {
		return nil, err
	}
	var gt map[string]struct {
		ArticleBody string `json:"articleBody"`
		URL         string `json:"url"`
	}
	if err := json.Unmarshal(raw, &gt); err != nil {
		return nil, fmt.Errorf("ground truth: %w", err)
	}
	var pages []page
	for id, t := range gt {
		f, err := os.Open(filepath.Join(dir, "html", id+".html.gz"))
		if err != nil {
			return nil, err
		}
		zr, err := gzip.NewReader(f)
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("%s: %w", id, err)
		}
		b, err := io.ReadAll(zr)
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", id, err)
		}
		pages = append(pages, page{name: id, url: t.URL, truth: t.ArticleBody, html: b})
	}
	sort.Slice(pages, func(i, j int) bool { return pages[i].name < pages[j].name })
	return pages, nil
}

func loadReadability(dir string) ([]page, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var pages []page
	for _, e := range ents {
		src, err := os.ReadFile(filepath.Join(dir, e.Name(), "source.html"))
		if err != nil {
			continue
		}
		exp, err := os.ReadFile(filepath.Join(dir, e.Name(), "expected.html"))
		if err != nil {
			continue
		}
		doc, err := html.Parse(bytes.NewReader(exp))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", e.Name(), err)
		}
		pages = append(pages, page{name: e.Name(), url: "http://fakehost/test/page.html", truth: htmlText(doc), html: src})
	}
	return pages, nil
}

// htmlText is the text of an HTML tree with block boundaries as spaces.
func htmlText(n *html.Node) string {
	var b strings.Builder
	var visit func(*html.Node)
	visit = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		if n.Type == html.ElementNode && (n.Data == "script" || n.Data == "style") {
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			visit(c)
		}
		if n.Type == html.ElementNode {
			b.WriteByte(' ')
		}
	}
	visit(n)
	return b.String()
}
