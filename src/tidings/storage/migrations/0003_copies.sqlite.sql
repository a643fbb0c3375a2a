-- Version 3: near-duplicates that carry new sentences (issue 18): which stored article a copy
-- copies (copies.py), every figure a story's mentions state (stories.py), and the indexes that
-- the copy and story code looks up by article.
CREATE TABLE IF NOT EXISTS article_copies (
    article_id TEXT NOT NULL,      -- the copy: the later of two near-duplicates (report order)
    copy_of TEXT NOT NULL,         -- the earlier one
    similarity REAL NOT NULL,      -- estimated Jaccard of their 5-word shingles
    PRIMARY KEY (article_id, copy_of)
);
CREATE INDEX IF NOT EXISTS article_copies_of ON article_copies(copy_of);
CREATE TABLE IF NOT EXISTS story_magnitudes (
    story_id TEXT NOT NULL, kind TEXT NOT NULL, value INTEGER NOT NULL,
    event_id TEXT NOT NULL,            -- the mention stating the figure
    article_id TEXT NOT NULL, published TEXT NOT NULL,
    PRIMARY KEY (story_id, kind, event_id)
);
CREATE INDEX IF NOT EXISTS fingerprint_bands_article ON fingerprint_bands(article_id);
CREATE INDEX IF NOT EXISTS story_mentions_article ON story_mentions(article_id);
