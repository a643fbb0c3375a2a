"""Review in the dashboard (issue 17), in a real browser: a reviewer edits an event's type and
place, reloads and sees the change, the CSV export the dashboard links to shows it, and
``tidings run --force`` on the same article keeps it; keyboard accept/next; the 409 message;
read-only without a token.

The server runs over a store that ``ingest`` built from the fixture articles (so the same
files can be re-run with ``--force``), with a bearer token. Skips like tests/test_dashboard.py
where Chromium or Playwright is absent.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

import pytest
from conftest import FIXTURES
from test_dashboard import ARTIFACTS, CHROMIUM, Page, _serve, chromium

from tidings.api import WEB_DIR, create_app
from tidings.storage import EventQuery, connect, open_store

pytestmark = pytest.mark.browser

TOKEN = "review-token-0123456789"
ARTICLES = sorted((FIXTURES / "articles").glob("*.txt"))


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> str:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is absent: apt-get install chromium to run browser tests")
    pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
    if not (WEB_DIR / "app.js").exists():
        pytest.skip("the dashboard is not built: npm run build in frontend/")
    from tidings.ingest import ingest

    db = str(tmp_path_factory.mktemp("review") / "review.db")
    summary = ingest(ARTICLES, db)
    assert summary.stored == len(ARTICLES)
    return db


@pytest.fixture(scope="module")
def servers(store) -> Iterator[dict[str, str]]:
    """Two servers over the store: one with the token (writes on), one read-only."""
    hosts = ["127.0.0.1", "localhost"]
    running = [_serve(create_app(store, token=TOKEN, allowed_hosts=hosts)),
               _serve(create_app(store, allowed_hosts=hosts))]
    yield {"rw": running[0][2], "ro": running[1][2]}
    for server, thread, _ in running:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser(servers):
    yield from chromium()


@pytest.fixture()
def page(browser, servers) -> Iterator[Page]:
    p = Page(browser, servers["rw"])
    yield p
    assert not p.foreign, f"requests left localhost: {p.foreign}"
    assert not [e for e in p.errors if "Content Security Policy" in e], p.errors
    p.close()


def queue_ids(db: str, unreviewed: bool = True) -> list[str]:
    with connect(db, readonly=True) as r:
        rows = r.execute("SELECT id, review_status FROM events ORDER BY confidence, id")
        return [i for i, st in rows.fetchall() if not (unreviewed and st)]


def stored(db: str, event_id: str) -> dict:
    with connect(db, readonly=True) as r:
        return next(e for e in r.query_events(EventQuery()) if e["id"] == event_id)


def sign_in(page: Page, name: str = "ana") -> None:
    page.page.fill("#review-token", TOKEN)
    page.page.fill("#review-name", name)


def shown(page: Page) -> str:
    return page.page.get_attribute("#review-event", "data-id") or ""


def field(page: Page, name: str) -> str:
    return page.page.inner_text(f'#review-fields dd[data-field="{name}"]')


def test_dashboard_review_edit_type_and_place_survives_reload_export_and_run_force(
        page, store):
    from tidings.ingest import ingest

    target = queue_ids(store)[0]
    page.open("?view=review")
    assert shown(page) == target  # least confident first
    assert page.page.locator("#review-evidence mark.evidence b.trigger").count() == 1
    assert page.page.locator("#review-accept").is_disabled()  # no token yet
    sign_in(page)
    assert page.page.locator("#review-accept").is_enabled()
    before = stored(store, target)
    new_type = "COERCE" if before["type"] != "COERCE" else "ASSAULT"
    page.page.select_option('#review-edit select[name="edit_type"]', new_type)
    page.page.click('#review-edit button[data-save="type"]')
    page.page.wait_for_selector("#review-status[data-kind='ok']")
    assert field(page, "type").startswith(new_type)
    page.page.fill('#review-edit input[name="place_q"]', "Agad")
    page.page.fill('#review-edit input[name="place_country"]', "NER")
    page.page.press('#review-edit input[name="place_q"]', "Enter")
    hit = page.page.locator("#review-places button", has_text="Agadez").first
    hit.wait_for(timeout=60000)  # the first search loads the gazetteer
    hit.click()
    page.page.wait_for_function(
        "() => document.querySelector('#review-fields dd[data-field=place]')"
        ".textContent.startsWith('Agadez')")
    assert page.params() == {"view": "review", "review": target}
    page.shot("review-edit")

    page.page.reload()  # a reload shows the stored correction (the URL names the event)
    page.settle()
    assert shown(page) == target
    assert field(page, "type").startswith(new_type)
    assert field(page, "place").startswith("Agadez") and "NER" in field(page, "place")
    assert "edited (version 2)" in field(page, "review")

    def export_row() -> dict:
        href = page.page.get_attribute("#export-csv", "href")
        assert href.startswith("/api/export") and "format=csv" in href
        r = page.page.request.get(page.base + href)
        assert r.status == 200
        rows = list(csv.DictReader(io.StringIO(r.text())))
        mine = [x for x in rows if target in (x.get("article_ids", "") + x.get("id", ""))
                or x.get("type") == new_type and x.get("place_name") == "Agadez"]
        assert len(mine) == 1, rows
        return mine[0]

    row = export_row()
    assert (row["type"], row["place_name"], row["place_country"]) == (new_type, "Agadez", "NER")
    assert row["review_status"] == "edited"

    # tidings run --force over the same articles: re-extracted, the correction re-applied
    summary = ingest(ARTICLES, store, force=True)
    assert summary.updated + summary.skipped == len(ARTICLES)
    after = stored(store, target)
    assert (after["type"], after["place_name"], after["place_country"]) == \
        (new_type, "Agadez", "NER")
    assert after["geonameid"] and after["lat"] == pytest.approx(17.5, abs=1.5)  # the gazetteer's
    assert after["review_status"] == "edited"
    page.page.reload()
    page.settle()
    assert field(page, "type").startswith(new_type)
    assert field(page, "place").startswith("Agadez")
    row = export_row()
    assert (row["type"], row["place_name"]) == (new_type, "Agadez")


def test_dashboard_review_keys_accept_and_move_not_while_typing(page, store):
    queue = queue_ids(store)
    assert len(queue) >= 3
    page.open("?view=review")
    sign_in(page, "bo")
    assert shown(page) == queue[0]
    page.page.click("#review-country")
    page.page.keyboard.press("a")  # typing in a field: no review
    page.page.keyboard.press("Backspace")
    page.page.click("#review-evidence")
    assert shown(page) == queue[0] and stored(store, queue[0])["review_status"] is None
    page.page.keyboard.press("a")
    page.page.wait_for_function(f"() => document.querySelector('#review-event')"
                                f".dataset.id === '{queue[1]}'")
    assert stored(store, queue[0])["review_status"] == "accepted"
    page.page.keyboard.press("n")
    page.page.wait_for_function(f"() => document.querySelector('#review-event')"
                                f".dataset.id === '{queue[2]}'")
    page.page.keyboard.press("k")
    page.page.keyboard.press("k")
    page.page.wait_for_function(f"() => document.querySelector('#review-event')"
                                f".dataset.id === '{queue[0]}'")
    assert "accepted" in field(page, "review")
    page.page.keyboard.press("j")
    page.page.keyboard.press("r")
    page.page.wait_for_function(f"() => document.querySelector('#review-event')"
                                f".dataset.id === '{queue[2]}'")
    assert stored(store, queue[1])["review_status"] == "rejected"
    with connect(store, readonly=True) as r:
        assert [tuple(x) for x in r.execute(
            "SELECT actor, action FROM audit WHERE actor = 'bo' ORDER BY id")] == \
            [("bo", "review.accepted"), ("bo", "review.rejected")]


def test_dashboard_review_conflict_says_reload(page, store):
    page.open("?view=review")
    sign_in(page, "cy")
    target = shown(page)
    assert target
    with open_store(store) as s:  # another reviewer, behind this page's back
        s.record_review(target, "accepted", "dee", stored_version(store, target))
    page.page.click("#review-reject")
    msg = page.page.locator("#review-status[data-kind='conflict']")
    msg.wait_for()
    assert "changed meanwhile" in msg.inner_text() and "reload" in msg.inner_text()
    assert shown(page) == target  # it did not move on
    assert stored(store, target)["review_status"] == "accepted"  # nothing overwritten
    page.shot("review-conflict")
    msg.locator("button", has_text="Reload").click()
    page.page.wait_for_function("() => document.querySelector("
                                "'#review-fields dd[data-field=review]')"
                                ".textContent.includes('accepted')")
    page.page.click("#review-reject")  # with the version it now saw
    page.page.wait_for_function(f"() => document.querySelector('#review-event')"
                                f".dataset.id !== '{target}'")
    assert stored(store, target)["review_status"] == "rejected"


def stored_version(db: str, event_id: str) -> int:
    with connect(db, readonly=True) as r:
        return int(r.execute("SELECT coalesce(max(version), 0) FROM reviews WHERE event_id = ?",
                             (event_id,)).fetchone()[0])


def test_dashboard_review_read_only_without_a_token(browser, servers, store):
    p = Page(browser, servers["ro"])
    try:
        p.open("?view=review&rall=1")
        assert shown(p)
        assert p.page.locator("#review-accept").is_disabled()
        assert "read-only" in p.page.inner_text("#review-hint").lower()
        sign_in(p)  # a token typed in changes nothing: the server has none
        assert p.page.locator("#review-accept").is_disabled()
        first = shown(p)
        p.page.click("#review-evidence")  # out of the reviewer field: keys move again
        p.page.keyboard.press("n")
        p.page.wait_for_function(f"() => document.querySelector('#review-event')"
                                 f".dataset.id !== '{first}'")
        p.page.click("#tab-dashboard")
        p.settle()
        assert p.page.locator("#events tbody tr[data-id]").count() >= 6  # the dashboard
        assert not p.foreign
        ARTIFACTS.mkdir(exist_ok=True)
    finally:
        p.close()
