"""Story-merge evaluation: align stored event mentions to gold clusters and score the merge
(pairwise and B-cubed), from a labelled folder of articles."""

from __future__ import annotations

import sqlite3
from typing import Any

from .metrics import cluster_scores

def read_gold(path: str | Any) -> list[tuple[str, str, str]]:
    """Read a gold file: ``file<TAB>sentence substring<TAB>cluster`` lines, ``#`` comments."""
    from pathlib import Path

    out = []
    for line in Path(path).read_text("utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        f, sub, cl = line.split("\t")
        out.append((f, sub, cl))
    return out


def evaluate_db(conn: sqlite3.Connection, gold: list[tuple[str, str, str]]) -> dict[str, Any]:
    """Align stored event mentions to gold mentions and score the story merge.

    A gold mention ``(file, substring, cluster)`` aligns with the stored event of the article
    read from ``file`` (matched on the origin's file name) whose evidence sentence contains
    the substring and whose trigger lies inside it (the earliest such trigger). Gold mentions
    with no such event are counted as ``not_extracted``.
    """
    from pathlib import PurePath

    by_file: dict[str, list[str]] = {}
    for aid, origin in conn.execute("SELECT id, origin FROM articles"):
        if origin:
            by_file.setdefault(PurePath(origin.split(":")[0]).name, []).append(aid)
    gold_map: dict[str, str] = {}
    pred_map: dict[str, str] = {}
    missing: list[tuple[str, str, str]] = []
    for f, sub, cl in gold:
        hit = None
        for aid in by_file.get(f, []):
            for eid, sid, ev, t0, s0 in conn.execute(
                    "SELECT e.id, s.story_id, e.evidence, e.trigger_start, e.sentence_start"
                    " FROM events e LEFT JOIN story_mentions s ON s.event_id = e.id"
                    " WHERE e.article_id = ? AND instr(e.evidence, ?) > 0"
                    " ORDER BY e.trigger_start", (aid, sub)):
                pos = ev.find(sub)
                if pos <= t0 - s0 < pos + len(sub):  # the trigger lies inside the substring
                    hit = (eid, sid)
                    break
            if hit is not None:
                break
        if hit is None or hit[1] is None:
            missing.append((f, sub, cl))
            continue
        key = f"{f}:{sub}"
        gold_map[key], pred_map[key] = cl, hit[1]
    scores: dict[str, Any] = cluster_scores(gold_map, pred_map)
    scores["gold_mentions"] = len(gold)
    scores["not_extracted"] = len(missing)
    scores["missing"] = missing
    scores["gold_clusters"] = len(set(gold_map.values()))
    scores["predicted_clusters"] = len(set(pred_map.values()))
    return scores


def evaluate_folder(articles: Any, gold: Any, db: Any = None) -> dict[str, Any]:
    """Ingest a labelled folder into a fresh database (or ``db``) and score the merge."""
    import tempfile
    from pathlib import Path

    from ..ingest import ingest
    from ..storage.sqlite import connect

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(db) if db else Path(tmp) / "stories-eval.db"
        summary = ingest([Path(articles)], path)
        conn = connect(path)
        try:
            res = evaluate_db(conn, read_gold(gold))
        finally:
            conn.close()
    res["articles_stored"] = summary.stored
    res["near_duplicates"] = summary.near_duplicates
    return res


def format_report(res: dict[str, Any]) -> str:
    """Format :func:`evaluate_db` results as text."""
    lines = [
        (f"story merge: {res['items']} aligned mentions of {res['gold_mentions']} gold "
         f"({res['not_extracted']} not extracted); {res['gold_clusters']} gold stories, "
         f"{res['predicted_clusters']} predicted"),
        (f"  pairwise  P {res['pairwise_precision']:.3f}  R {res['pairwise_recall']:.3f}"
         f"  F1 {res['pairwise_f1']:.3f}"),
        (f"  B-cubed   P {res['bcubed_precision']:.3f}  R {res['bcubed_recall']:.3f}"
         f"  F1 {res['bcubed_f1']:.3f}"),
    ]
    for f, sub, cl in res.get("missing", []):
        lines.append(f"  not extracted: {cl} {f}: {sub!r}")
    return "\n".join(lines)
