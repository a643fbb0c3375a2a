-- Version 2: the tables of near-duplicates, stories and feed watching join the versioned
-- schema (before, stories.py, fingerprint.py and watch.py created them on first use, so a
-- store written by version 1 may have them already: every statement is IF NOT EXISTS).
CREATE TABLE IF NOT EXISTS story_events (
    id TEXT PRIMARY KEY,
    type TEXT NOT NULL, mode TEXT, modality TEXT NOT NULL,
    date_start TEXT NOT NULL, date_end TEXT NOT NULL, date_granularity TEXT NOT NULL,
    date_basis TEXT NOT NULL,
    window_start TEXT NOT NULL, window_end TEXT NOT NULL,  -- union of mention intervals
    place_name TEXT, place_country TEXT, place_admin1 TEXT, geonameid INTEGER,
    lat REAL, lon REAL, place_kind TEXT,
    source_countries TEXT, target_countries TEXT,
    source_actors TEXT NOT NULL, target_actors TEXT NOT NULL,   -- JSON lists of actors
    mention_count INTEGER NOT NULL,    -- reports: articles × their syndicated copies
    event_count INTEGER NOT NULL,      -- extracted mentions (rows of events)
    article_count INTEGER NOT NULL, source_count INTEGER NOT NULL,
    sources TEXT NOT NULL,             -- JSON list of distinct source names
    first_reported TEXT NOT NULL, last_reported TEXT NOT NULL,
    confidence REAL NOT NULL, evidence TEXT, magnitudes TEXT NOT NULL,
    founding_event_id TEXT NOT NULL, updated_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS story_events_type_window ON story_events(type, window_start);
CREATE INDEX IF NOT EXISTS story_events_date ON story_events(date_start);
CREATE TABLE IF NOT EXISTS story_mentions (
    event_id TEXT PRIMARY KEY,
    story_id TEXT NOT NULL,
    article_id TEXT NOT NULL,
    score REAL NOT NULL,               -- pair score when it joined (1.0 for the founder)
    joined_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS story_mentions_story ON story_mentions(story_id);
CREATE TABLE IF NOT EXISTS article_sources (
    article_id TEXT NOT NULL, source TEXT, url TEXT, origin TEXT, published TEXT,
    first_seen TEXT NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS article_sources_key ON article_sources(
    article_id, ifnull(source, ''), ifnull(url, ''), ifnull(origin, ''));
CREATE TABLE IF NOT EXISTS article_fingerprints (
    article_id TEXT PRIMARY KEY,
    signature BLOB NOT NULL,        -- NUM_PERM little-endian uint32 minima
    shingles INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS fingerprint_bands (
    band INTEGER NOT NULL,
    key TEXT NOT NULL,
    article_id TEXT NOT NULL,
    PRIMARY KEY (band, key, article_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS watch_seen (
    watch_source TEXT NOT NULL, item_id TEXT NOT NULL, seen_at TEXT NOT NULL,
    PRIMARY KEY (watch_source, item_id)
);
