"""The pipeline: one parse per article, then the stages in order over one Document.

A stage is a plain function ``Document -> None`` that reads some fields and assigns others;
it is registered with :func:`stage` exactly as a plugin would add one. The CLI, the REST API
and the Spark job all call :func:`extract_article` / :func:`extract`.
"""

from __future__ import annotations

import time as _time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from .errors import UsageError
from .language import resolve_language
from .model import Article, Document
from .parse import load_nlp_for
from .readers import article_id


@dataclass(frozen=True)
class Stage:
    name: str
    func: Callable[[Document], None]
    requires: tuple[str, ...]
    assigns: tuple[str, ...]


STAGES: dict[str, Stage] = {}


def stage(name: str, requires: tuple[str, ...], assigns: tuple[str, ...]) -> Callable[
        [Callable[[Document], None]], Callable[[Document], None]]:
    """Register a stage function under ``name`` (later registrations replace earlier ones)."""

    def register(func: Callable[[Document], None]) -> Callable[[Document], None]:
        STAGES[name] = Stage(name, func, requires, assigns)
        return func

    return register


# Each stage reads French articles (``document.language == "fr"``) with its French module,
# which is imported only then: English-only runs never load French code, data or model.

@stage("times", requires=("doc",), assigns=("times",))
def times_stage(document: Document) -> None:
    if document.language == "fr":
        from .stages.times_fr import find_times_fr

        document.times = find_times_fr(document.text, document.published, document.doc)
        return
    from .stages.times import find_times

    document.times = find_times(document.text, document.published, document.doc)


@stage("places", requires=("doc",), assigns=("places",))
def places_stage(document: Document) -> None:
    if document.language == "fr":
        from .stages.places_fr import find_places_fr

        document.places = find_places_fr(document.doc, document.published)
        return
    from .stages.places import find_places

    document.places = find_places(document.doc, document.published)


@stage("actors", requires=("doc", "places"), assigns=("actors",))
def actors_stage(document: Document) -> None:
    if document.language == "fr":
        from .stages.actors_fr import find_actors_fr

        document.actors = find_actors_fr(document.doc)
        return
    from .stages.actors import find_actors

    document.actors = find_actors(document.doc, document.places)


@stage("events", requires=("doc", "times", "places", "actors"), assigns=("events",))
def events_stage(document: Document) -> None:
    if document.language == "fr":
        from .stages.events.french import find_events_fr

        document.events = find_events_fr(document)
        return
    from .stages.events import find_events

    document.events = find_events(document)


@stage("magnitudes", requires=("doc", "events"), assigns=("events.magnitudes",))
def magnitudes_stage(document: Document) -> None:
    if document.language != "en":
        return  # the magnitude patterns are English ("killing at least 11 soldiers")
    from .stages.magnitudes import add_magnitudes

    add_magnitudes(document)


DEFAULT_ORDER = ("times", "places", "actors", "events", "magnitudes")


def _stages(names: Iterable[str] | None) -> list[Stage]:
    wanted = list(names) if names is not None else list(DEFAULT_ORDER)
    missing = [n for n in wanted if n not in STAGES]
    if missing:
        raise UsageError(f"E301 no stage {missing[0]!r}. Available: {', '.join(STAGES)}")
    return [STAGES[n] for n in wanted]


def _document(article: Article, doc: Any, language: str = "en") -> Document:
    return Document(id=article.id or article_id(article.text, article.url),
                    published=article.published, text=article.text, title=article.title,
                    section=article.section, source=article.source, url=article.url,
                    language=language, doc=doc)


def run_stages(document: Document, stages: list[Stage],
               timings: dict[str, float] | None = None) -> Document:
    """Run ``stages`` over a parsed document, adding each stage's time to ``timings``."""
    for st in stages:
        t0 = _time.perf_counter()
        st.func(document)
        if timings is not None:
            timings[st.name] = timings.get(st.name, 0.0) + _time.perf_counter() - t0
    return document


def extract_article(article: Article, stages: Iterable[str] | None = None,
                    timings: dict[str, float] | None = None) -> Document:
    """Parse one article once (in its language) and run the stages over it."""
    language = resolve_language(article.language, article.text)
    nlp = load_nlp_for(language)
    t0 = _time.perf_counter()
    doc = nlp(article.text)
    if timings is not None:
        timings["parse"] = timings.get("parse", 0.0) + _time.perf_counter() - t0
    return run_stages(_document(article, doc, language), _stages(stages), timings)


def extract_many(articles: Iterable[Article], stages: Iterable[str] | None = None,
                 batch_size: int = 16, timings: dict[str, float] | None = None,
                 ) -> Iterator[Document]:
    """Extract many articles, parsing them in batches with ``nlp.pipe``.

    Each article is read in its own language (``Article.language``, else detected), so one
    run takes a mixed corpus; a batch is parsed per language and comes back in input order.
    """
    load_nlp_for("en")  # the default model, loaded up front as before
    chosen = _stages(stages)
    batch: list[Article] = []

    def flush() -> Iterator[Document]:
        t0 = _time.perf_counter()
        langs = [resolve_language(a.language, a.text) for a in batch]
        docs: list[Any] = [None] * len(batch)
        for lang in dict.fromkeys(langs):
            idx = [k for k, x in enumerate(langs) if x == lang]
            parsed = load_nlp_for(lang).pipe([batch[k].text for k in idx],
                                             batch_size=batch_size)
            for k, doc in zip(idx, parsed):
                docs[k] = doc
        if timings is not None:
            timings["parse"] = timings.get("parse", 0.0) + _time.perf_counter() - t0
        for art, doc, lang in zip(batch, docs, langs):
            yield run_stages(_document(art, doc, lang), chosen, timings)
        batch.clear()

    for art in articles:
        batch.append(art)
        if len(batch) >= batch_size:
            yield from flush()
    if batch:
        yield from flush()


def _extract_chunk(job: tuple[list[Article], list[str] | None]
                   ) -> tuple[list[Document], dict[str, float]]:
    """Worker side of :func:`extract_parallel`: Documents without their spaCy Doc (which stays
    in the worker; everything the store needs is in the Document's fields)."""
    articles, stages = job
    timings: dict[str, float] = {}
    docs = list(extract_many(articles, stages, batch_size=len(articles) or 1, timings=timings))
    for d in docs:
        d.doc = None
    return docs, timings


def extract_parallel(articles: Iterable[Article], workers: int = 1,
                     stages: Iterable[str] | None = None, batch_size: int = 16,
                     timings: dict[str, float] | None = None) -> Iterator[Document]:
    """Like :func:`extract_many`, in ``workers`` processes; Documents come back in input order.

    Each worker loads the model once and runs parse + stages on chunks of ``batch_size``
    articles; the caller (the one store writer) consumes the results as they arrive. The
    returned Documents have ``doc=None``. ``workers <= 1`` is :func:`extract_many` itself.
    """
    if workers <= 1:
        yield from extract_many(articles, stages, batch_size=batch_size, timings=timings)
        return
    import multiprocessing as mp
    import sys

    chosen = list(stages) if stages is not None else None

    def chunks() -> Iterator[tuple[list[Article], list[str] | None]]:
        chunk: list[Article] = []
        for a in articles:
            chunk.append(a)
            if len(chunk) >= batch_size:
                yield chunk, chosen
                chunk = []
        if chunk:
            yield chunk, chosen

    # fork shares the loaded model pages copy-on-write where the platform allows it
    ctx = mp.get_context("fork" if sys.platform.startswith("linux") else "spawn")
    with ctx.Pool(workers) as pool:
        for docs, t in pool.imap(_extract_chunk, chunks()):
            if timings is not None:
                for k, v in t.items():  # summed worker time, not wall time
                    timings[k] = timings.get(k, 0.0) + v
            yield from docs


def extract(text: str, published: date | str, title: str | None = None,
            source: str | None = None, url: str | None = None,
            language: str | None = None) -> Document:
    """Extract times, places, actors and events from one article's text.

    ``language`` ("en", "fr"; None or "auto" = detect) forces the language it is read in.
    """
    from .readers import read_text

    if isinstance(published, str):
        try:
            published = date.fromisoformat(published)
        except ValueError as exc:
            raise UsageError(f"E302 published date {published!r} is not YYYY-MM-DD") from exc
    article = read_text(text, published, title=title, source=source, url=url)
    if language not in (None, "", "auto"):
        article.language = resolve_language(language, text)  # checks the name
    return reindex(extract_article(article), text)


def _spans(document: Document) -> list[Any]:
    """Every record of ``document`` that carries offsets, each once (events share Actor, Place
    and Time records with the document's lists)."""
    seen: dict[int, Any] = {}
    for rec in (*document.times, *document.places, *document.actors):
        seen[id(rec)] = rec
    for ev in document.events:
        for rec in (ev.trigger, ev.sentence, *ev.source, *ev.target, *ev.reported_by,
                    *ev.mentions, ev.location, ev.time):
            if rec is not None:
                seen[id(rec)] = rec
    return list(seen.values())


def reindex(document: Document, original: str) -> Document:
    """Make the offsets of ``document`` (extracted from the cleaned form of ``original``) index
    ``original`` itself, and make ``document.text`` that string (DESIGN section 3).

    The stages read the cleaned text (line endings, hard wraps and blank lines normalised, as
    for files), so extraction is the same whatever the caller's line endings. A mention's text
    becomes its slice of ``original`` (it differs from the cleaned one only where the mention
    spans a line break). ``document.doc`` stays the parse of the cleaned text.
    """
    clean = document.text
    if clean == original:
        return document
    from .readers import clean_positions

    pos = clean_positions(original, clean)

    for rec in _spans(document):
        first, last = rec.start, rec.end
        rec.start = pos[first] if first < len(pos) else len(original)
        rec.end = max(pos[last - 1] + 1, rec.start) if last > first else rec.start
        if rec.text is not None:
            rec.text = original[rec.start:rec.end]
    document.text = original
    return document
