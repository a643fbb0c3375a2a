-- tidings SQLite schema, version 1: the tables every store has (articles with FTS5,
-- events, actors, places, times, rejects). Never edit a migration that has shipped: add one.
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY,
    published TEXT NOT NULL,
    title TEXT, section TEXT, source TEXT, url TEXT, origin TEXT,
    text TEXT NOT NULL,
    document TEXT NOT NULL,          -- the Document JSON (DESIGN section 3)
    stored_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS articles_published ON articles(published);
CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5(
    title, text, content='articles', content_rowid='rowid', tokenize='unicode61'
);
CREATE TRIGGER IF NOT EXISTS articles_ai AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text);
END;
CREATE TRIGGER IF NOT EXISTS articles_ad AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, text)
    VALUES ('delete', old.rowid, old.title, old.text);
END;
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
CREATE INDEX IF NOT EXISTS events_article ON events(article_id);
CREATE INDEX IF NOT EXISTS events_type_date ON events(type, date_start);
CREATE INDEX IF NOT EXISTS events_date ON events(date_start);
CREATE INDEX IF NOT EXISTS events_place_country ON events(place_country);
CREATE TABLE IF NOT EXISTS event_actors (
    event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    role TEXT NOT NULL, ord INTEGER NOT NULL,
    text TEXT, name TEXT, country TEXT, sector TEXT, kb_id TEXT,
    PRIMARY KEY (event_id, role, ord)
);
CREATE INDEX IF NOT EXISTS event_actors_country ON event_actors(country);
CREATE INDEX IF NOT EXISTS event_actors_name ON event_actors(name);
CREATE TABLE IF NOT EXISTS places (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    ord INTEGER NOT NULL, text TEXT, start INTEGER, "end" INTEGER, name TEXT,
    geonameid INTEGER, country TEXT, admin1 TEXT, lat REAL, lon REAL, kind TEXT, usage TEXT,
    PRIMARY KEY (article_id, ord)
);
CREATE TABLE IF NOT EXISTS times (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    ord INTEGER NOT NULL, text TEXT, start INTEGER, "end" INTEGER, type TEXT, value TEXT,
    mod TEXT, granularity TEXT,
    PRIMARY KEY (article_id, ord)
);
CREATE TABLE IF NOT EXISTS rejects (
    origin TEXT NOT NULL, reason TEXT NOT NULL, message TEXT NOT NULL,
    seen_at TEXT NOT NULL,
    PRIMARY KEY (origin, reason)
);
