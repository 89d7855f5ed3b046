-- 005: stories are indexed for search after they are stored, not while a
-- refresh writes them (see index.go). Stories with an id above indexed_upto
-- are not in story_fts yet; the first search after a refresh, or the TUI
-- once its refresh is done, indexes them. Every story stored so far is
-- indexed already.
CREATE TABLE fts_state (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    indexed_upto INTEGER NOT NULL
);
INSERT INTO fts_state (id, indexed_upto) SELECT 1, coalesce(max(id), 0) FROM stories;

-- A story not indexed yet has no entry to delete.
DROP TRIGGER stories_fts_delete;
CREATE TRIGGER stories_fts_delete AFTER DELETE ON stories
WHEN old.id <= (SELECT indexed_upto FROM fts_state) BEGIN
    DELETE FROM story_fts WHERE rowid = old.id;
END;
