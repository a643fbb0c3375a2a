-- tidings PostgreSQL schema, version 1: the tables and semantics of 0001_init.sqlite.sql.
-- Applied once by tidings.storage.schema, inside one transaction, recorded in schema_version.
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY,
    published DATE NOT NULL,
    title TEXT, section TEXT, source TEXT, url TEXT, origin TEXT,
    text TEXT NOT NULL,
    document TEXT NOT NULL,          -- the Document JSON (DESIGN section 3), byte-exact
    stored_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    fts TSVECTOR GENERATED ALWAYS AS (
        setweight(to_tsvector('english', coalesce(title, '')), 'A')
        || setweight(to_tsvector('english', text), 'B')) STORED
);
CREATE INDEX IF NOT EXISTS articles_published ON articles (published);
CREATE INDEX IF NOT EXISTS articles_fts ON articles USING GIN (fts);

CREATE TABLE IF NOT EXISTS events (
    id TEXT PRIMARY KEY,
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    type TEXT NOT NULL, mode TEXT, modality TEXT NOT NULL, confidence DOUBLE PRECISION NOT NULL,
    date_start TEXT NOT NULL, date_end TEXT NOT NULL, date_granularity TEXT NOT NULL,
    date_basis TEXT NOT NULL,
    trigger_text TEXT, trigger_start INTEGER, trigger_end INTEGER,
    sentence_start INTEGER, sentence_end INTEGER, evidence TEXT,
    place_name TEXT, place_country TEXT, place_admin1 TEXT, geonameid INTEGER,
    lat DOUBLE PRECISION, lon DOUBLE PRECISION, place_kind TEXT,
    time_text TEXT, time_value TEXT,
    source_countries TEXT[] NOT NULL DEFAULT '{}',
    target_countries TEXT[] NOT NULL DEFAULT '{}',
    json JSONB NOT NULL
);
CREATE INDEX IF NOT EXISTS events_article ON events (article_id);
CREATE INDEX IF NOT EXISTS events_type_date ON events (type, date_start);
CREATE INDEX IF NOT EXISTS events_date ON events (date_start);
CREATE INDEX IF NOT EXISTS events_source_countries ON events USING GIN (source_countries);
CREATE INDEX IF NOT EXISTS events_target_countries ON events USING GIN (target_countries);
CREATE INDEX IF NOT EXISTS events_place_country ON events (place_country);

CREATE TABLE IF NOT EXISTS event_actors (
    event_id TEXT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    role TEXT NOT NULL, ord INTEGER NOT NULL,
    text TEXT, name TEXT, country TEXT, sector TEXT, kb_id TEXT,
    PRIMARY KEY (event_id, role, ord)
);
CREATE INDEX IF NOT EXISTS event_actors_country ON event_actors (country);

CREATE TABLE IF NOT EXISTS places (
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    ord INTEGER NOT NULL, text TEXT, start INTEGER, "end" INTEGER, name TEXT,
    geonameid INTEGER, country TEXT, admin1 TEXT, lat DOUBLE PRECISION, lon DOUBLE PRECISION,
    kind TEXT, usage TEXT,
    PRIMARY KEY (article_id, ord)
);

CREATE TABLE IF NOT EXISTS times (
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    ord INTEGER NOT NULL, text TEXT, start INTEGER, "end" INTEGER, type TEXT, value TEXT,
    mod TEXT, granularity TEXT,
    PRIMARY KEY (article_id, ord)
);

CREATE TABLE IF NOT EXISTS rejects (
    origin TEXT NOT NULL, reason TEXT NOT NULL, message TEXT NOT NULL,
    seen_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (origin, reason)
);
