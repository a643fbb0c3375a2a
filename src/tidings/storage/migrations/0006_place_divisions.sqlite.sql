-- Version 6: an event place's division names (the ACLED export aggregates by them) and where
-- the place comes from ('text': the parse attached it; 'dateline': the article's dateline, for
-- an event with no place in its sentence). Rows written before stay NULL here; their event
-- JSON holds the same values and the export reads it for them.
ALTER TABLE events ADD COLUMN place_admin1_name TEXT;
ALTER TABLE events ADD COLUMN place_admin2 TEXT;
ALTER TABLE events ADD COLUMN location_basis TEXT;
