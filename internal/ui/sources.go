package ui

import (
	"fmt"

	"github.com/byline/byline/internal/model"
	"github.com/byline/byline/internal/sanitize"
)

// source is one entry of the feed/tag sidebar and picker.
type source struct {
	label  string
	detail string
	q      Query
	header bool // a section title, not selectable
}

// sources is the feed/tag sidebar; in narrow layouts it is the picker page.
type sources struct {
	items          []source
	cursor, offset int
	height         int
	version        int      // bumped by set
	drawn          []string // drawn lines, cached under drawnKey
	drawnKey       string
}

func (s *sources) set(feeds []model.Feed, tags []Tag, current Query) {
	items := []source{
		{label: "All stories", q: Query{}},
		{label: "Unread", q: Query{Unread: true}},
		{label: "Starred", q: Query{Starred: true}},
	}
	if len(tags) > 0 {
		items = append(items, source{label: "Tags", header: true})
		for _, t := range tags {
			items = append(items, source{
				label:  "#" + sanitize.Line(t.Name, 60),
				detail: countLabel(t.Unread, -1),
				q:      Query{Tag: t.Name},
			})
		}
	}
	if len(feeds) > 0 {
		items = append(items, source{label: "Feeds", header: true})
		for _, f := range feeds {
			detail := countLabel(f.UnreadCount, f.StoryCount)
			if f.LastError != "" || f.Dead {
				detail = "! " + detail // details in the errors view
			}
			items = append(items, source{
				label:  sanitize.Line(f.DisplayTitle(), 120),
				detail: detail,
				q:      Query{FeedID: f.ID},
			})
		}
	}
	s.items = items
	s.version++
	s.cursor = 0
	for i, it := range items {
		if !it.header && it.q.FeedID == current.FeedID && it.q.Tag == current.Tag &&
			it.q.Starred == current.Starred && it.q.Unread == current.Unread {
			s.cursor = i
			break
		}
	}
	s.clamp()
}

func countLabel(unread, total int) string {
	if total < 0 {
		if unread == 0 {
			return ""
		}
		return fmt.Sprint(unread)
	}
	if unread == 0 {
		return fmt.Sprint(total)
	}
	return fmt.Sprintf("%d/%d", unread, total)
}

func (s *sources) move(d int) {
	if len(s.items) == 0 {
		return
	}
	i := s.cursor + d
	for i >= 0 && i < len(s.items) && s.items[i].header {
		i += sign(d)
	}
	if i >= 0 && i < len(s.items) {
		s.cursor = i
	}
	s.clamp()
}

func (s *sources) moveTo(i int) {
	if i >= 0 && i < len(s.items) && !s.items[i].header {
		s.cursor = i
		s.clamp()
	}
}

func (s *sources) setHeight(h int) { s.height = max(h, 1); s.clamp() }

func (s *sources) clamp() {
	s.cursor = min(max(s.cursor, 0), max(len(s.items)-1, 0))
	if s.cursor < s.offset {
		s.offset = s.cursor
	}
	if s.cursor >= s.offset+s.height {
		s.offset = s.cursor - s.height + 1
	}
	s.offset = max(min(s.offset, len(s.items)-s.height), 0)
}

func (s *sources) selected() (source, bool) {
	if s.cursor < len(s.items) && !s.items[s.cursor].header {
		return s.items[s.cursor], true
	}
	return source{}, false
}

func sign(d int) int {
	if d < 0 {
		return -1
	}
	return 1
}
