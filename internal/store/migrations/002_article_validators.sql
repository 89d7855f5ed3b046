-- 002: the validators of an article's page, so that --refetch and the
-- interface's refetch cost one 304 when the page has not changed.
ALTER TABLE articles ADD COLUMN etag TEXT NOT NULL DEFAULT '';
ALTER TABLE articles ADD COLUMN last_modified TEXT NOT NULL DEFAULT '';
