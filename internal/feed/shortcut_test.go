package feed

import (
	"fmt"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/byline/byline/internal/sanitize"
)

// sameDate reports whether parseDate's date stands for what quickParseDate
// (gofeed's ParseDate) returns, as convert reads it: same success, same
// instant, same answer to the year check.
func sameDate(s string) error {
	got := parseDate(s)
	want, err := quickParseDate(s)
	if got.set != (err == nil) {
		return fmt.Errorf("%q: parseDate set %v, gofeed err %v", s, got.set, err)
	}
	if !got.set {
		return nil
	}
	if !got.t.Equal(want) || (got.t.Year() > 1) != (want.Year() > 1) {
		return fmt.Errorf("%q: parseDate %v, gofeed %v", s, got.t, want)
	}
	return nil
}

func TestParseDateInstant(t *testing.T) {
	days := []string{"Mon", "Sun", "Foo", "MON", "mon"}
	months := []string{"Jan", "Feb", "Apr", "Dec", "Xyz", "JAN"}
	zones := []string{"GMT", "UTC", "EST", "UT", "Z", "+0000", "-0000", "+0100", "-0930", "+2400", "+2460", "+2461",
		"+2500", "-9999", "+01:00", "+000a", "*0100", "+100", "GMTX"}
	dds := []string{"00", "01", "28", "29", "30", "31", "32", "1a"}
	years := []string{"2006", "2000", "1900", "2024", "0000", "0001", "0002", "0099", "0100", "9999"}
	times := []string{"00:00:00", "23:59:59", "24:00:00", "12:60:00", "12:00:60", "0:00:000"}
	n := 0
	for i, zone := range zones {
		for j, dd := range dds {
			for k, year := range years {
				for l, tm := range times {
					day, mon := days[(i+j+l)%len(days)], months[(j+k+l)%len(months)]
					s := fmt.Sprintf("%s, %s %s %s %s %s", day, dd, mon, year, tm, zone)
					if err := sameDate(s); err != nil {
						t.Error(err)
					}
					n++
				}
			}
		}
	}
	for _, s := range append(genDates, " Mon, 02 Jan 2006 15:04:05 GMT\n", "2006-01-02T15:04:05.123+02:00",
		"2006-01-02T15:04:05", "2006-01-02T25:04:05Z", "0001-01-01T00:30:00+01:00", "2006-01-02T15:04:05Z ") {
		if err := sameDate(s); err != nil {
			t.Error(err)
		}
	}
	t.Logf("%d dates compared", n)
}

func FuzzParseDateInstant(f *testing.F) {
	for _, s := range append(genDates, "Sun, 29 Feb 2004 23:59:59 +2400", "2006-01-02T15:04:05.5-07:00") {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if err := sameDate(s); err != nil {
			t.Fatal(err)
		}
	})
}

func TestParseDateLocal(t *testing.T) {
	// time.Parse picks Local when an offset or zone name matches it; the
	// instant must not depend on that.
	defer func(l *time.Location) { time.Local = l }(time.Local)
	for _, name := range []string{"UTC", "Europe/London", "America/New_York", "Asia/Kolkata"} {
		loc, err := time.LoadLocation(name)
		if err != nil {
			continue
		}
		time.Local = loc
		for _, s := range []string{"Mon, 02 Jan 2006 15:04:05 GMT", "Mon, 02 Jul 2006 15:04:05 +0100",
			"Mon, 02 Jan 2006 15:04:05 -0500", "Mon, 02 Jan 2006 15:04:05 +0530", "Mon, 02 Jan 2006 15:04:05 UTC"} {
			if err := sameDate(s); err != nil {
				t.Errorf("%s: %v", name, err)
			}
		}
	}
}

// slowResolve is resolve without quickResolve.
func slowResolve(b *baseURL, ref string) string {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return ""
	}
	if b.u != nil {
		if r, err := url.Parse(ref); err == nil {
			ref = b.u.ResolveReference(r).String()
		}
	}
	return sanitize.URL(ref)
}

var resolveBases = []string{"https://diff.example/feeds/a/feed.xml", "http://127.0.0.1:8080/feed/0?x=1#f", "", "feed.xml",
	"https://user@host.example/x", "HTTPS://Host.Example", "https://[::1]:80/a", "ftp://h/x", "http://h:/x"}

var resolveRefs = []string{"/posts/1", "https://a.example/b/c?d=e&f#g", "http://a.example", "http://a.example:80/",
	"/", "//cdn.example/x", "/a/./b", "/a/../b", "/a/.", "/..", "/a%20b", "/a%zz", "/a%2", "/caf%C3%A9", "/x?q=1&r=&#27;",
	"/x#a&b", "/x?a#&#1;", "/x#b#c", "/x?", "/x??", "/x?#", "/x#", "http://h/x y", "http://h/\u00e9", "/a:b@c!$'()*+,;=",
	"/p?q=<>\"{}|\\^`", "http://h:/x", "http://:80/x", "http://h:8a/x", "http://user@h/x", "http://h!x", "http://[::1]/x",
	"https://a.example//x", "/a//b", "/x?a=%zz", "/x#%zz", "/x#a/b?c", "relative/path", "?q", "#f", "mailto:a@b",
	"javascript:alert(1)", "/x\x7f", "/x&#x1b;", "http://-h-/", "http://h./", "http://h.example/a/%2e%2e/b"}

func TestQuickResolve(t *testing.T) {
	for _, bs := range resolveBases {
		b := parseBase(bs)
		for _, ref := range resolveRefs {
			if got, want := resolve(b, ref), slowResolve(b, ref); got != want {
				t.Errorf("base %q ref %q: resolve %q, long way %q", bs, ref, got, want)
			}
		}
	}
	if _, ok := quickResolve(parseBase(resolveBases[0]), "/posts/1"); !ok {
		t.Error("quickResolve declined a plain path")
	}
	if _, ok := quickResolve(parseBase(resolveBases[0]), "https://a.example/b/c?d=e&f#g"); !ok {
		t.Error("quickResolve declined a plain URL")
	}
}

func FuzzQuickResolve(f *testing.F) {
	for i, ref := range resolveRefs {
		f.Add(resolveBases[i%len(resolveBases)], ref)
	}
	f.Fuzz(func(t *testing.T, base, ref string) {
		b := parseBase(base)
		if got, want := resolve(b, ref), slowResolve(b, ref); got != want {
			t.Fatalf("base %q ref %q: resolve %q, long way %q", base, ref, got, want)
		}
	})
}

func TestNumericEntities(t *testing.T) {
	for n := 0; n < 1200; n++ {
		for _, f := range []string{"&#%d;", "&#0%d;", "a&#%d;b", "&#%d", "&#%d ;", "&#x%x;", "&#%d;&#%d;"} {
			s := fmt.Sprintf(f, n, n)
			if strings.Count(f, "%") == 1 {
				s = fmt.Sprintf(f, n)
			}
			if got, want := gfDecodeEntities(s), decodeEntitiesOracle(s); got != want {
				t.Errorf("gfDecodeEntities(%q) = %q, gofeed %q", s, got, want)
			}
		}
	}
}

func TestPlainURI(t *testing.T) {
	for _, s := range append(resolveRefs, "urn:byline-bench:1:199", "tag:example.com,2005:/x", "URN:x", "urn:", "urn:/x",
		"urn:a?b", "urn:a#b", "urn:a%20", "1urn:x", "a+b.c-d:e", "http:foo", " http://h/") {
		checkPlainURI(t, s)
	}
	if !plainURI("urn:byline-bench:1:199") || !plainURI("https://a.example/b?c=d#e") || !plainURI("/x") {
		t.Error("plainURI declined a plain URI")
	}
}

func checkPlainURI(t *testing.T, s string) {
	t.Helper()
	if !plainURI(s) {
		return
	}
	u, err := url.Parse(strings.TrimLeft(s, " "))
	if err != nil || u.String() != s {
		t.Fatalf("plainURI(%q) but url.Parse gives %v, %v", s, u, err)
	}
}

func FuzzPlainURI(f *testing.F) {
	for _, s := range resolveRefs {
		f.Add(s)
	}
	f.Add("urn:byline-bench:1:199")
	f.Fuzz(checkPlainURI)
}

// categoriesMap is categories as it was, with a map of lower-cased names.
func categoriesMap(in []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, c := range in {
		c = plainLine(c, 200)
		if c == "" || seen[strings.ToLower(c)] {
			continue
		}
		seen[strings.ToLower(c)] = true
		out = append(out, c)
	}
	return out
}

func FuzzCategoriesAndNames(f *testing.F) {
	f.Add("News", "news", "K", "\u212a")
	f.Add("ann@example.org (Ann)", "Bob", "Dee (d@example.org)", "c@example.org")
	f.Fuzz(func(t *testing.T, a, b, c, d string) {
		in := []string{a, b, c, d, a + b, strings.ToUpper(c), strings.ToLower(d)}
		if got, want := categories(in), categoriesMap(in); !reflect.DeepEqual(got, want) {
			t.Fatalf("categories(%q) = %q, want %q", in, got, want)
		}
		for _, s := range in {
			n, e := gfNameAddress(s)
			wn, we := gfNameAddressRgx(s)
			if n != wn || e != we {
				t.Fatalf("gfNameAddress(%q) = %q, %q, want %q, %q", s, n, e, wn, we)
			}
		}
	})
}
