-- Version 5: analysts' corrections (issue 17). ``reviews`` keeps every review action of an
-- event, oldest first (version 1, 2, ...): the version is the optimistic-concurrency token
-- (a write that expects a stale version is refused, and the primary key refuses two writers
-- adding the same version). Reviews have no foreign key: re-extraction deletes and re-inserts
-- an article's events, and a review must outlive that (storage/reviews.py re-applies it to
-- the matching event, or flags it ``orphaned``). ``audit`` records every write.
CREATE TABLE IF NOT EXISTS reviews (
    event_id TEXT NOT NULL,          -- the reviewed event (follows it across re-extraction)
    version INTEGER NOT NULL,
    article_id TEXT NOT NULL,
    trigger_start INTEGER, trigger_end INTEGER,     -- the evidence span the event is matched by
    sentence_start INTEGER, sentence_end INTEGER,
    machine_type TEXT,               -- the extracted type (with the sentence span: a fallback key)
    field TEXT,                      -- the edited field (NULL for accept and reject)
    value_before TEXT, value_after TEXT,
    status TEXT NOT NULL CHECK (status IN ('accepted', 'rejected', 'edited')),
    reviewer TEXT NOT NULL,
    reviewed_at TEXT NOT NULL,
    orphaned INTEGER NOT NULL DEFAULT 0,  -- 1: no event of the article matches any more
    PRIMARY KEY (event_id, version)
);
CREATE INDEX IF NOT EXISTS reviews_article ON reviews(article_id);
CREATE TABLE IF NOT EXISTS audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,             -- a reviewer, or "tidings" for re-applied corrections
    action TEXT NOT NULL,
    subject TEXT NOT NULL,           -- an event id
    detail TEXT NOT NULL             -- JSON
);
-- the review state of an event row (NULL: never reviewed), kept by storage/reviews.py.
-- SQLite has no ADD COLUMN IF EXISTS: a partial store from before version 1 was recorded
-- (articles but no events) gets version 1's events table first, so the ALTER cannot fail.
CREATE TABLE IF NOT EXISTS events (
    id TEXT PRIMARY KEY,
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    type TEXT NOT NULL, mode TEXT, modality TEXT NOT NULL, confidence REAL NOT NULL,
    date_start TEXT NOT NULL, date_end TEXT NOT NULL, date_granularity TEXT NOT NULL,
    date_basis TEXT NOT NULL,
    trigger_text TEXT, trigger_start INTEGER, trigger_end INTEGER,
    sentence_start INTEGER, sentence_end INTEGER, evidence TEXT,
    place_name TEXT, place_country TEXT, place_admin1 TEXT, geonameid INTEGER,
    lat REAL, lon REAL, place_kind TEXT,
    time_text TEXT, time_value TEXT,
    source_countries TEXT, target_countries TEXT,  -- ' USA NER ' for cheap filtering
    json TEXT NOT NULL
);
ALTER TABLE events ADD COLUMN review_status TEXT;
