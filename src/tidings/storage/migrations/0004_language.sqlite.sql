-- Version 4: the language each article was read in (issue 16), and full-text search that
-- ignores accents ("securite" finds "sécurité", "Segou" finds "Ségou").
-- articles.language: back-filled from the stored Document JSON ("en" where it has none: every
-- article stored before French reading was English); the writers fill it from Document.language.
ALTER TABLE articles ADD COLUMN language TEXT NOT NULL DEFAULT 'en';
UPDATE articles SET language = json_extract(document, '$.language')
WHERE json_valid(document) AND json_type(document, '$.language') = 'text';
CREATE INDEX IF NOT EXISTS articles_language ON articles(language);
-- The FTS5 index again, with diacritics folded (unicode61 remove_diacritics 2), rebuilt from
-- the articles it indexes; its triggers as in version 1.
DROP TRIGGER IF EXISTS articles_ai;
DROP TRIGGER IF EXISTS articles_ad;
DROP TABLE IF EXISTS articles_fts;
CREATE VIRTUAL TABLE articles_fts USING fts5(
    title, text, content='articles', content_rowid='rowid',
    tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER articles_ai AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text);
END;
CREATE TRIGGER articles_ad AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, text)
    VALUES ('delete', old.rowid, old.title, old.text);
END;
INSERT INTO articles_fts(articles_fts) VALUES ('rebuild');
