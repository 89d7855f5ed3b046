-- 001: feeds, tags, stories, cached articles and the full-text index.
-- Times are unix seconds; 0 means "unset".

CREATE TABLE feeds (
    id            INTEGER PRIMARY KEY,
    url           TEXT    NOT NULL UNIQUE,
    title         TEXT    NOT NULL DEFAULT '',
    custom_title  TEXT    NOT NULL DEFAULT '',
    site_url      TEXT    NOT NULL DEFAULT '',
    etag          TEXT    NOT NULL DEFAULT '',
    last_modified TEXT    NOT NULL DEFAULT '',
    last_fetch    INTEGER NOT NULL DEFAULT 0,
    last_status   INTEGER NOT NULL DEFAULT 0,
    last_error    TEXT    NOT NULL DEFAULT '',
    retry_after   INTEGER NOT NULL DEFAULT 0,
    dead          INTEGER NOT NULL DEFAULT 0,
    created_at    INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE feed_tags (
    tag     TEXT    NOT NULL,
    feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
    PRIMARY KEY (tag, feed_id)
) WITHOUT ROWID;
CREATE INDEX feed_tags_feed ON feed_tags(feed_id);

-- guid and url are NULL when equal to key (the common case: key is the guid,
-- else the link), so the row does not carry the same string two or three times.
-- summary and content are TEXT, or a BLOB holding deflate-compressed text.
CREATE TABLE stories (
    id         INTEGER PRIMARY KEY,
    feed_id    INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
    key        TEXT    NOT NULL,
    guid       TEXT,
    url        TEXT,
    title      TEXT    NOT NULL DEFAULT '',
    author     TEXT    NOT NULL DEFAULT '',
    published  INTEGER NOT NULL,
    updated    INTEGER NOT NULL DEFAULT 0,
    summary    BLOB    NOT NULL DEFAULT '',
    content    BLOB    NOT NULL DEFAULT '',
    categories TEXT    NOT NULL DEFAULT '',
    enclosures TEXT    NOT NULL DEFAULT '',
    first_seen INTEGER NOT NULL,
    read       INTEGER NOT NULL DEFAULT 0,
    starred    INTEGER NOT NULL DEFAULT 0,
    hash       INTEGER NOT NULL DEFAULT 0, -- of the fields a re-fetch may change
    UNIQUE (feed_id, key)
);
-- Every list is "newest first" (published DESC, id DESC). An index on
-- (published) ends in the rowid, so it yields exactly that order; putting any
-- other column between published and the rowid would force a sort.
CREATE INDEX stories_published ON stories(published);
-- One feed newest first; per-feed counts (covering).
CREATE INDEX stories_feed ON stories(feed_id, published);
-- Partial indexes for the unread and starred views and the unread counts:
-- they hold only the rows they serve.
CREATE INDEX stories_unread ON stories(published) WHERE read = 0;
CREATE INDEX stories_unread_feed ON stories(feed_id, published) WHERE read = 0;
CREATE INDEX stories_starred ON stories(published) WHERE starred = 1;

CREATE TABLE articles (
    story_id      INTEGER PRIMARY KEY REFERENCES stories(id) ON DELETE CASCADE,
    url           TEXT    NOT NULL DEFAULT '',
    title         TEXT    NOT NULL DEFAULT '',
    author        TEXT    NOT NULL DEFAULT '',
    site          TEXT    NOT NULL DEFAULT '',
    published     INTEGER NOT NULL DEFAULT 0,
    image_url     TEXT    NOT NULL DEFAULT '',
    image_caption TEXT    NOT NULL DEFAULT '',
    markdown      BLOB    NOT NULL DEFAULT '',
    source        TEXT    NOT NULL DEFAULT '',
    note          TEXT    NOT NULL DEFAULT '',
    extracted_at  INTEGER NOT NULL DEFAULT 0
);

-- Contentless: the text lives in stories/articles only; rowid = stories.id.
-- detail=none keeps the index small: the store only issues AND-ed single-token
-- (and prefix) queries, never phrases or NEAR. The prefix indexes make the
-- search-as-you-type prefix on the last word one doclist read instead of a
-- merge over every term starting with those letters.
CREATE VIRTUAL TABLE story_fts USING fts5(
    title, body,
    content = '', contentless_delete = 1, detail = none, prefix = '1 2 3'
);

-- Inserts and updates are indexed from Go (HTML is stripped there); deletes,
-- including ON DELETE CASCADE from feeds, are caught here.
CREATE TRIGGER stories_fts_delete AFTER DELETE ON stories BEGIN
    DELETE FROM story_fts WHERE rowid = old.id;
END;
