"""Near-duplicate articles: MinHash fingerprints over word shingles, LSH band keys in SQLite.

The same wire story syndicated by several outlets differs by a headline, a dateline, a
sentence added or cut. Such copies share most of their 5-word shingles, so the Jaccard
similarity of their shingle sets stays high while unrelated articles score near zero.

- :func:`minhash` turns a text into a signature of ``NUM_PERM`` 32-bit minima (one per
  universal hash function ``(a*x + b) mod p`` with a fixed seed, so signatures are stable
  across processes and machines);
- the signature is cut into ``BANDS`` bands of ``ROWS`` rows; each band's hash is a *band key*.
  Two texts with Jaccard ``s`` share at least one band key with probability
  ``1 - (1 - s**ROWS)**BANDS`` (≈ 0.98 at s = 0.6, ≈ 0.04 at s = 0.2);
- candidates found through the band keys are confirmed by the estimated Jaccard
  (the share of equal signature rows) ≥ :data:`NEAR_DUPLICATE_THRESHOLD`.

Tables (created by the store's migrations, ``storage/migrations/0002_stories.*.sql``):
``article_fingerprints(article_id, signature, shingles)`` and
``fingerprint_bands(band, key, article_id)``. The SQL runs on both backends
(:mod:`tidings.storage.dialect`).
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
from dataclasses import dataclass, field

import numpy as np

from .storage.dialect import wrap

NUM_PERM = 128
BANDS = 32
ROWS = NUM_PERM // BANDS
SHINGLE = 5
#: estimated Jaccard of 5-word shingles at or above which two articles are one story
NEAR_DUPLICATE_THRESHOLD = 0.5

_PRIME = np.uint64((1 << 31) - 1)
_rng = np.random.default_rng(20240101)
_A = _rng.integers(1, (1 << 31) - 1, size=NUM_PERM, dtype=np.uint64)
_B = _rng.integers(0, (1 << 31) - 1, size=NUM_PERM, dtype=np.uint64)
_WORD = re.compile(r"\w+", re.UNICODE)

def words(text: str) -> list[str]:
    """Return the lower-cased word tokens of ``text``."""
    return _WORD.findall(text.lower())


def shingles(text: str, k: int = SHINGLE) -> set[str]:
    """Return the set of ``k``-word shingles of ``text`` (the whole text if shorter)."""
    w = words(text)
    if len(w) <= k:
        return {" ".join(w)} if w else set()
    return {" ".join(w[i:i + k]) for i in range(len(w) - k + 1)}


@dataclass(frozen=True)
class Fingerprint:
    """A MinHash signature and its LSH band keys."""

    signature: tuple[int, ...]
    size: int  # number of shingles
    bands: tuple[str, ...] = field(default=())

    def similarity(self, other: Fingerprint) -> float:
        """Return the estimated Jaccard similarity of the two shingle sets."""
        if not self.size or not other.size:
            return 0.0
        same = sum(1 for a, b in zip(self.signature, other.signature) if a == b)
        return same / len(self.signature)

    def to_blob(self) -> bytes:
        return np.asarray(self.signature, dtype="<u4").tobytes()

    @classmethod
    def from_blob(cls, blob: bytes, size: int) -> Fingerprint:
        sig = tuple(int(x) for x in np.frombuffer(blob, dtype="<u4"))
        return cls(sig, size, _band_keys(sig))


def _band_keys(sig: tuple[int, ...]) -> tuple[str, ...]:
    keys = []
    for b in range(BANDS):
        part = ",".join(str(x) for x in sig[b * ROWS:(b + 1) * ROWS])
        keys.append(hashlib.blake2b(part.encode(), digest_size=8).hexdigest())
    return tuple(keys)


def minhash(text: str) -> Fingerprint:
    """Return the MinHash fingerprint of ``text`` over its word shingles."""
    sh = shingles(text)
    if not sh:
        sig = tuple([0xFFFFFFFF] * NUM_PERM)
        return Fingerprint(sig, 0, _band_keys(sig))
    x = np.fromiter(
        (int.from_bytes(hashlib.blake2b(s.encode(), digest_size=4).digest(), "little")
         for s in sh), dtype=np.uint64, count=len(sh)) % _PRIME
    vals = (np.outer(_A, x) + _B[:, None]) % _PRIME  # a*x < 2**62: no overflow in uint64
    sig = tuple(int(v) for v in vals.min(axis=1))
    return Fingerprint(sig, len(sh), _band_keys(sig))


def ensure_schema(conn: sqlite3.Connection) -> None:
    """Bring the store's schema, fingerprint tables included, up to date (they are created by
    the store's migrations, ``storage/migrations/0002_stories.*.sql``)."""
    from .storage.sqlite import migrate

    migrate(conn)


def save(conn: sqlite3.Connection, article_id: str, fp: Fingerprint) -> None:
    """Store (or replace) the fingerprint of a stored article; the caller commits."""
    conn = wrap(conn)
    conn.execute("DELETE FROM fingerprint_bands WHERE article_id=?", (article_id,))
    conn.execute("DELETE FROM article_fingerprints WHERE article_id=?", (article_id,))
    conn.execute("INSERT INTO article_fingerprints VALUES (?,?,?)",
                 (article_id, fp.to_blob(), fp.size))
    conn.executemany("INSERT INTO fingerprint_bands VALUES (?,?,?) ON CONFLICT DO NOTHING",
                     [(b, k, article_id) for b, k in enumerate(fp.bands)])


def find_near_duplicates(conn: sqlite3.Connection, fp: Fingerprint, exclude: str | None = None,
                         threshold: float = NEAR_DUPLICATE_THRESHOLD,
                         ) -> list[tuple[str, float]]:
    """Return (article id, similarity) of every stored article at least ``threshold``
    similar, most similar first (ties: smaller id first).

    Only articles sharing a band key are compared (LSH).
    """
    if not fp.size:
        return []
    conn = wrap(conn)
    cands: set[str] = set()
    for b, key in enumerate(fp.bands):
        cands.update(r[0] for r in conn.execute(
            "SELECT article_id FROM fingerprint_bands WHERE band=? AND key=?", (b, key)))
    cands.discard(exclude or "")
    found: list[tuple[str, float]] = []
    for aid in sorted(cands):
        row = conn.execute("SELECT signature, shingles FROM article_fingerprints f"
                           " JOIN articles a ON a.id = f.article_id WHERE f.article_id=?",
                           (aid,)).fetchone()
        if row is None:
            continue
        sim = fp.similarity(Fingerprint.from_blob(bytes(row[0]), row[1]))
        if sim >= threshold:
            found.append((aid, sim))
    return sorted(found, key=lambda x: (-x[1], x[0]))


def find_near_duplicate(conn: sqlite3.Connection, fp: Fingerprint, exclude: str | None = None,
                        threshold: float = NEAR_DUPLICATE_THRESHOLD,
                        ) -> tuple[str, float] | None:
    """Return (article id, similarity) of the most similar stored article, or None (ties go
    to the smaller id)."""
    found = find_near_duplicates(conn, fp, exclude, threshold)
    return found[0] if found else None


class MemoryIndex:
    """An in-memory LSH index, for near-duplicates inside one batch not yet stored."""

    def __init__(self, threshold: float = NEAR_DUPLICATE_THRESHOLD):
        self.threshold = threshold
        self.buckets: dict[tuple[int, str], list[str]] = {}
        self.prints: dict[str, Fingerprint] = {}

    def add(self, key: str, fp: Fingerprint) -> None:
        self.prints[key] = fp
        for b, k in enumerate(fp.bands):
            self.buckets.setdefault((b, k), []).append(key)

    def query_all(self, fp: Fingerprint) -> list[tuple[str, float]]:
        """Every indexed key at least ``threshold`` similar, most similar first."""
        if not fp.size:
            return []
        cands = {c for b, k in enumerate(fp.bands) for c in self.buckets.get((b, k), [])}
        found = [(c, fp.similarity(self.prints[c])) for c in sorted(cands)]
        return sorted(((c, s) for c, s in found if s >= self.threshold),
                      key=lambda x: (-x[1], x[0]))

    def query(self, fp: Fingerprint) -> tuple[str, float] | None:
        found = self.query_all(fp)
        return found[0] if found else None
