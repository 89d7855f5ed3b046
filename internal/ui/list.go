package ui

import (
	"sort"

	"github.com/byline/byline/internal/model"
)

// pageSize is the number of story rows loaded by one Stories call.
const pageSize = 200

// maxPages bounds the rows held in memory: pages far from the cursor are
// dropped and reloaded on demand.
const maxPages = 6

// storyList is a windowed list over a query's stories. It knows the total
// from CountStories and holds only a few pages of light rows around the
// cursor; the rows it draws are the visible ones.
type storyList struct {
	q       Query
	gen     int // bumped on every query change or reload: older pages are stale
	counted bool
	total   int
	unread  int
	// backlog is the number of stories a search waits to have indexed
	// (IndexBacklog), shown until the count lands.
	backlog int

	cursor, offset, height int

	pages    map[int][]storyRow
	inflight map[int]bool
	// dirty is set when a reload was asked for while one was in flight: the
	// reload happens once the current one lands, so bursts coalesce.
	dirty bool
	// keepID is the story to keep under the cursor across a reload.
	keepID int64
}

func newStoryList(q Query) storyList {
	return storyList{q: q, pages: map[int][]storyRow{}, inflight: map[int]bool{}}
}

// storyRow is one light row (no Summary/Content).
type storyRow = model.Story

// reset switches to a new query: everything is dropped.
func (l *storyList) reset(q Query) {
	gen := l.gen + 1
	h := l.height
	*l = newStoryList(q)
	l.gen, l.height = gen, h
}

// reload keeps the query and cursor but refetches counts and pages.
func (l *storyList) reload() {
	// A cursor on the first row stays there to show what arrived; elsewhere
	// it follows its story as new ones push it down.
	if s, ok := l.at(l.cursor); ok && l.cursor > 0 {
		l.keepID = s.ID
	}
	l.gen++
	l.counted = false
	l.backlog = 0
	l.pages = map[int][]storyRow{}
	l.inflight = map[int]bool{}
	l.dirty = false
}

func (l *storyList) busy() bool { return len(l.inflight) > 0 || !l.counted }

func (l *storyList) at(i int) (storyRow, bool) {
	if i < 0 || i >= l.total {
		return storyRow{}, false
	}
	p, ok := l.pages[i/pageSize]
	if !ok || i%pageSize >= len(p) {
		return storyRow{}, false
	}
	return p[i%pageSize], true
}

// update applies f to the row with id, when loaded.
func (l *storyList) update(id int64, f func(*storyRow)) {
	for _, p := range l.pages {
		for i := range p {
			if p[i].ID == id {
				f(&p[i])
			}
		}
	}
}

func (l *storyList) setHeight(h int) {
	l.height = max(h, 1)
	l.clamp()
}

func (l *storyList) move(d int) { l.cursor += d; l.clamp() }

func (l *storyList) moveTo(i int) { l.cursor = i; l.clamp() }

func (l *storyList) clamp() {
	l.cursor = min(max(l.cursor, 0), max(l.total-1, 0))
	if l.cursor < l.offset {
		l.offset = l.cursor
	}
	if l.cursor >= l.offset+l.height {
		l.offset = l.cursor - l.height + 1
	}
	l.offset = max(min(l.offset, l.total-l.height), 0)
}

// scroll moves the window by d rows, dragging the cursor along when it
// would leave the window (mouse wheel).
func (l *storyList) scroll(d int) {
	l.offset = max(min(l.offset+d, l.total-l.height), 0)
	l.cursor = min(max(l.cursor, l.offset), l.offset+l.height-1)
	l.clamp()
}

// missing returns the pages needed to show the window and the cursor's
// neighbourhood that are neither loaded nor in flight, and marks them in
// flight. It also evicts pages far from the cursor.
func (l *storyList) missing() []int {
	if !l.counted || l.total == 0 {
		return nil
	}
	want := map[int]bool{}
	for i := l.offset; i < min(l.offset+l.height, l.total); i += max(1, min(l.height, pageSize)) {
		want[i/pageSize] = true
	}
	want[min(l.offset+l.height, l.total-1)/pageSize] = true
	want[l.cursor/pageSize] = true
	// Prefetch the next page when the cursor nears the end of its page.
	if next := l.cursor + pageSize/4; next < l.total {
		want[next/pageSize] = true
	}
	var out []int
	for p := range want {
		if _, ok := l.pages[p]; !ok && !l.inflight[p] {
			l.inflight[p] = true
			out = append(out, p)
		}
	}
	sort.Ints(out)
	l.evict()
	return out
}

func (l *storyList) evict() {
	if len(l.pages) <= maxPages {
		return
	}
	cp := l.cursor / pageSize
	var ps []int
	for p := range l.pages {
		ps = append(ps, p)
	}
	dist := func(p int) int { return max(p-cp, cp-p) }
	sort.Slice(ps, func(i, j int) bool { return dist(ps[i]) > dist(ps[j]) })
	for _, p := range ps[:len(ps)-maxPages] {
		delete(l.pages, p)
	}
}

// pageQuery is the Library query for page p.
func (l *storyList) pageQuery(p int) Query {
	q := l.q
	q.Limit, q.Offset = pageSize, p*pageSize
	return q
}

// landed stores a loaded page. When a reload was asked to keep a story
// under the cursor and that story is in the page, the cursor follows it.
func (l *storyList) landed(p int, rows []storyRow) {
	delete(l.inflight, p)
	l.pages[p] = rows
	if l.keepID == 0 {
		return
	}
	for i, r := range rows {
		if r.ID == l.keepID {
			l.moveTo(p*pageSize + i)
			l.keepID = 0
			return
		}
	}
}
