-- Version 4: the language each article was read in (issue 16), and full-text search that
-- ignores accents ("securite" finds "sécurité", "Segou" finds "Ségou").
-- articles.language: back-filled from the stored Document JSON ("en" where it has none: every
-- article stored before French reading was English); the writers fill it from Document.language.
ALTER TABLE articles ADD COLUMN IF NOT EXISTS language TEXT NOT NULL DEFAULT 'en';
UPDATE articles SET language = document::jsonb ->> 'language'
WHERE jsonb_typeof(document::jsonb -> 'language') = 'string';
CREATE INDEX IF NOT EXISTS articles_language ON articles (language);
-- The tsvector again, over accent-folded text: translate() with a fixed table (immutable, so
-- allowed in a generated column, and no extension such as unaccent to install as superuser).
-- The same table folds queries (storage.postgres.ACCENT_FOLD); keep the two equal.
DROP INDEX IF EXISTS articles_fts;
ALTER TABLE articles DROP COLUMN IF EXISTS fts;
ALTER TABLE articles ADD COLUMN fts TSVECTOR GENERATED ALWAYS AS (
    setweight(to_tsvector('english', translate(coalesce(title, ''),
        'àáâãäåāăąçćčďèéêëēėęěìíîïīįñńňòóôõöøōőùúûüūůűųýÿžźżšśřŕľĺłťţğÀÁÂÃÄÅĀĂĄÇĆČĎÈÉÊËĒĖĘĚÌÍÎÏĪĮÑŃŇÒÓÔÕÖØŌŐÙÚÛÜŪŮŰŲÝŸŽŹŻŠŚŘŔĽĹŁŤŢĞ', 'aaaaaaaaacccdeeeeeeeeiiiiiinnnoooooooouuuuuuuuyyzzzssrrlllttgAAAAAAAAACCCDEEEEEEEEIIIIIINNNOOOOOOOOUUUUUUUUYYZZZSSRRLLLTTG')), 'A')
    || setweight(to_tsvector('english', translate(text,
        'àáâãäåāăąçćčďèéêëēėęěìíîïīįñńňòóôõöøōőùúûüūůűųýÿžźżšśřŕľĺłťţğÀÁÂÃÄÅĀĂĄÇĆČĎÈÉÊËĒĖĘĚÌÍÎÏĪĮÑŃŇÒÓÔÕÖØŌŐÙÚÛÜŪŮŰŲÝŸŽŹŻŠŚŘŔĽĹŁŤŢĞ', 'aaaaaaaaacccdeeeeeeeeiiiiiinnnoooooooouuuuuuuuyyzzzssrrlllttgAAAAAAAAACCCDEEEEEEEEIIIIIINNNOOOOOOOOUUUUUUUUYYZZZSSRRLLLTTG')), 'B')) STORED;
CREATE INDEX IF NOT EXISTS articles_fts ON articles USING GIN (fts);
