"""Near-duplicate fingerprints: MinHash over word shingles, LSH band keys in SQLite."""

from __future__ import annotations

import sqlite3

from tidings.fingerprint import (
    BANDS,
    MemoryIndex,
    ensure_schema,
    find_near_duplicate,
    minhash,
    save,
    shingles,
)

BASE = ("Militants ambushed a Malian army convoy near the northern city of Gao on Tuesday, "
        "killing at least 11 soldiers, military and local sources said. The convoy of about "
        "30 vehicles was carrying fuel and food from Gao towards the garrison town of Bourem "
        "when it was hit by roadside bombs and then attacked by gunmen on motorcycles. Three "
        "soldiers were wounded and several trucks were set on fire. JNIM claimed "
        "responsibility for the ambush in a message posted on Wednesday.")
EDITED = BASE.replace("military and local sources said", "sources told our correspondent") \
    + " The army has not commented."
OTHER = ("Kenyan protesters marched in Nairobi on Tuesday against new taxes in the finance "
         "bill, and police fired tear gas near parliament as lawmakers debated the measure.")


def test_shingles_and_signature_are_stable():
    assert "militants ambushed a malian army" in shingles(BASE)
    assert minhash(BASE) == minhash(BASE)
    assert len(minhash(BASE).bands) == BANDS
    assert minhash("").size == 0


def test_similarity_separates_copies_from_other_stories():
    a, b, c = minhash(BASE), minhash(EDITED), minhash(OTHER)
    assert a.similarity(b) >= 0.6
    assert a.similarity(c) <= 0.1


def test_memory_index():
    idx = MemoryIndex()
    idx.add("base", minhash(BASE))
    assert idx.query(minhash(EDITED))[0] == "base"
    assert idx.query(minhash(OTHER)) is None


def test_sqlite_lookup(tmp_path):
    conn = sqlite3.connect(tmp_path / "f.db")
    ensure_schema(conn)  # a new store: every migration
    conn.execute("INSERT INTO articles (id, published, text, document, stored_at)"
                 " VALUES ('a1', '2024-01-01', 'x', '{}', '2024-01-01T00:00:00')")
    save(conn, "a1", minhash(BASE))
    conn.commit()
    hit = find_near_duplicate(conn, minhash(EDITED))
    assert hit is not None and hit[0] == "a1" and hit[1] >= 0.6
    assert find_near_duplicate(conn, minhash(OTHER)) is None
    assert find_near_duplicate(conn, minhash(BASE), exclude="a1") is None
    fp = minhash(BASE)
    save(conn, "a1", fp)  # replacing is idempotent
    n = conn.execute("SELECT count(*) FROM fingerprint_bands").fetchone()[0]
    assert n == BANDS
