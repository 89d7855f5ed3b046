package store

import (
	"context"
	"slices"
	"strings"
	"testing"
)

// queryPlan returns the EXPLAIN QUERY PLAN lines of a query.
func queryPlan(t *testing.T, s *Store, q string, args ...any) []string {
	t.Helper()
	rows, err := s.db.QueryContext(context.Background(), "EXPLAIN QUERY PLAN "+q, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var lines []string
	for rows.Next() {
		var id, parent, notused int
		var detail string
		if err := rows.Scan(&id, &parent, &notused, &detail); err != nil {
			t.Fatal(err)
		}
		lines = append(lines, detail)
	}
	return lines
}

// TestListQueriesUseIndexes checks that the list views page through an
// index in order: no full scan of stories and no sort of the result.
func TestListQueriesUseIndexes(t *testing.T) {
	// No ANALYZE: the store never runs it, so these are the plans users get.
	s, m := fixture(t)
	tests := map[string]Query{
		"all newest first": {Limit: 50},
		"deep page":        {Limit: 50, Offset: 50000},
		"one feed":         {FeedID: m["feed:a"], Limit: 50},
		"unread":           {Unread: true, Limit: 50},
		"one feed unread":  {FeedID: m["feed:a"], Unread: true, Limit: 50},
		"starred":          {Starred: true, Limit: 50},
		"tag":              {Tag: "tech", Limit: 50},
		"since":            {Since: t0, Limit: 50},
		"search":           {Search: "golang", Limit: 50},
		"search in feed":   {Search: "golang", FeedID: m["feed:a"], Limit: 50},
	}
	for name, q := range tests {
		t.Run(name, func(t *testing.T) {
			sqlText, args, _ := pageSQL(q, searchSpec{match: ftsQuery(q.Search)})
			plan := queryPlan(t, s, sqlText, args...)
			joined := strings.Join(plan, "\n")
			for _, line := range plan {
				if (strings.HasPrefix(line, "SCAN s") || strings.HasPrefix(line, "SCAN stories")) &&
					!strings.Contains(line, "INDEX") {
					t.Errorf("full scan of stories:\n%s", joined)
				}
			}
			// A tag spans a few feeds: SQLite may merge their per-feed ranges
			// with a bounded sort, which is fine; everything else is read in
			// index order.
			if name != "tag" && strings.Contains(joined, "TEMP B-TREE") {
				t.Errorf("result is sorted instead of read in index order:\n%s", joined)
			}
			if name != "tag" && !strings.Contains(joined, "COVERING INDEX") {
				t.Errorf("page ids are not read from an index alone:\n%s", joined)
			}
			t.Logf("%s", joined)
		})
	}
	t.Run("page rows", func(t *testing.T) {
		sqlText, args, _ := storyListSQL(Query{Limit: 50, Offset: 50}, searchSpec{})
		plan := strings.Join(queryPlan(t, s, sqlText, args...), "\n")
		if strings.Contains(plan, "SCAN s\n") || !strings.Contains(plan, "SEARCH s USING INTEGER PRIMARY KEY") {
			t.Errorf("page rows are not fetched by id:\n%s", plan)
		}
	})
	t.Run("story upsert lookup", func(t *testing.T) {
		plan := strings.Join(queryPlan(t, s, `SELECT id FROM stories WHERE feed_id = ? AND key = ?`, 1, "k"), "\n")
		if !strings.Contains(plan, "INDEX sqlite_autoindex_stories_1") {
			t.Errorf("lookup by (feed, key) does not use the unique index:\n%s", plan)
		}
	})
	for name, q := range map[string]Query{"all": {}, "unread": {Unread: true},
		"feed": {FeedID: 1}, "feed unread": {FeedID: 1, Unread: true}, "since": {Since: t0}} {
		t.Run("count "+name, func(t *testing.T) {
			where, args, _ := q.where(searchSpec{})
			plan := strings.Join(queryPlan(t, s, `SELECT count(*) FROM stories s WHERE `+where, args...), "\n")
			if !strings.Contains(plan, "COVERING INDEX") {
				t.Errorf("count reads the story rows:\n%s", plan)
			}
		})
	}
}

// TestSearchPlansAgree runs every search both ways searchPlan may choose and
// expects the same page.
func TestSearchPlansAgree(t *testing.T) {
	ctx := context.Background()
	s, m := fixture(t)
	run := func(q Query, byMatch bool) []int64 {
		sqlText, args, _ := storyListSQL(q, searchSpec{match: ftsQuery(q.Search), byMatch: byMatch})
		rows, err := s.db.QueryContext(ctx, sqlText, args...)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []int64
		for rows.Next() {
			st, err := scanStory(rows, false)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, st.ID)
		}
		return out
	}
	for _, q := range []Query{
		{Search: "golang"}, {Search: "golang", Limit: 2}, {Search: "golang", Limit: 2, Offset: 1},
		{Search: "alpha", Unread: true, Limit: 10}, {Search: "content", FeedID: m["feed:b"], Limit: 2},
		{Search: "sqlite", Tag: "tech"}, {Search: "content", Starred: true},
	} {
		a, b := run(q, true), run(q, false)
		if len(a) == 0 || !slices.Equal(a, b) {
			t.Errorf("%+v: by match %v, by index %v", q, a, b)
		}
	}
	sqlText, args, _ := pageSQL(Query{Search: "golang", Limit: 50}, searchSpec{match: ftsQuery("golang"), byMatch: true})
	if plan := strings.Join(queryPlan(t, s, sqlText, args...), "\n"); !strings.Contains(plan, "USING INTEGER PRIMARY KEY") {
		t.Errorf("by-match plan does not look up the matches:\n%s", plan)
	}
}
