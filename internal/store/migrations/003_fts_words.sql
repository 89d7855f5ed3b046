-- 003: the full-text index takes words folded in Go (see search.go): one
-- column of distinct words per story, split by the ascii tokenizer, no
-- prefix indexes (each cost a write per word for every story; the last word
-- of a search is matched as a prefix only from three letters on). The Go
-- side of this migration refills the index from stories and articles.
DROP TRIGGER stories_fts_delete;
DROP TABLE story_fts;

CREATE VIRTUAL TABLE story_fts USING fts5(
    words,
    content = '', contentless_delete = 1, detail = none,
    tokenize = 'ascii'
);

CREATE TRIGGER stories_fts_delete AFTER DELETE ON stories BEGIN
    DELETE FROM story_fts WHERE rowid = old.id;
END;

-- Merge segments 16 at a time rather than 4: a refresh flushes a segment per
-- commit, and merging them in fours was 0.27 s of a cold 500x200 refresh's
-- 2.1 s in the writer (3% of its wall time). Searches read a few more
-- segments, microseconds each.
INSERT INTO story_fts (story_fts, rank) VALUES ('automerge', 16);
