"""Dashboard tests in a real browser (Debian's chromium driven by Playwright).

Marked ``browser``; they skip with a reason where ``/usr/bin/chromium`` or the ``playwright``
package is absent (``apt-get install chromium``; ``pip install playwright`` — no
``playwright install``: the system chromium is used). The server is uvicorn on a free
loopback port in a thread, over a store built in code. Screenshots go to test-artifacts/.
"""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from test_api import docs  # tests/ is on sys.path (no __init__.py)

from tidings.api import WEB_DIR, create_app
from tidings.storage.sqlite import Store

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run"]
LOCAL_HOSTS = {"127.0.0.1", "localhost"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[str]:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is absent: apt-get install chromium to run browser tests")
    pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
    if not (WEB_DIR / "app.js").exists():
        pytest.skip("the dashboard is not built: npm run build in frontend/")

    db = tmp_path_factory.mktemp("dash") / "dash.db"
    with Store(db) as s:
        for d in docs():
            if d.id == "ecowas1":  # one French article, for the language filter
                d.language = "fr"
            s.upsert(d)
    server, thread, url = _serve(create_app(db, allowed_hosts=["127.0.0.1", "localhost"]))
    yield url
    server.should_exit = True
    thread.join(timeout=10)


def _serve(app: Any) -> tuple[Any, threading.Thread, str]:
    """Run ``app`` on a free loopback port in a thread: (server, thread, base URL)."""
    import uvicorn

    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.time() + 20
    while not server.started:
        if time.time() > deadline:
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    return server, thread, f"http://127.0.0.1:{port}"


def chromium() -> Iterator[Any]:
    """Headless Chromium for a module's tests (the browser fixtures yield from it)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def browser(server):
    yield from chromium()


# Return viewport coordinates of a point inside a country's shape with nothing drawn above it.
INSIDE_POINT = """(iso) => {
  const path = document.querySelector(`#map path.country[data-iso3="${iso}"]`);
  const box = path.getBBox();
  const m = path.getScreenCTM();
  for (let i = 1; i < 40; i++) for (let j = 1; j < 40; j++) {
    const p = new DOMPoint(box.x + box.width * i / 40, box.y + box.height * j / 40);
    if (!path.isPointInFill(p)) continue;
    const s = p.matrixTransform(m);
    if (document.elementFromPoint(s.x, s.y) === path) return [s.x, s.y];
  }
  throw new Error("no free point inside " + iso);
}"""


class Page:
    """A dashboard page that records every request and refuses any that leaves localhost."""

    def __init__(self, browser, base: str) -> None:
        self.base = base
        self.requests: list[str] = []
        self.foreign: list[str] = []
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.context = browser.new_context(viewport={"width": 1400, "height": 1000})
        self.page = self.context.new_page()
        self.context.route("**/*", self._route)
        self.page.on("dialog", self._dialog)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("console", lambda m: self.errors.append(m.text)
                     if m.type == "error" else None)

    def _route(self, route) -> None:
        url = route.request.url
        self.requests.append(url)
        if urlparse(url).hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            self.foreign.append(url)
            route.abort()

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def open(self, query: str = "") -> None:
        self.page.goto(f"{self.base}/{query}")
        self.settle()

    def settle(self) -> None:
        self.page.wait_for_selector("body[data-busy='0']", timeout=15000)
        self.page.wait_for_timeout(300)
        self.page.wait_for_selector("body[data-busy='0']", timeout=15000)

    def params(self) -> dict[str, str]:
        return {k: v[0] for k, v in parse_qs(urlparse(self.page.url).query).items()}

    def rows(self) -> list[dict[str, str]]:
        """Return the event table's rows (id and cells)."""
        out = []
        for tr in self.page.locator("#events tbody tr[data-id]").all():
            cells = tr.locator("td").all_inner_texts()
            out.append({"id": tr.get_attribute("data-id"), "date": cells[0],
                        "type": cells[1], "who": cells[2]})
        return out

    def shot(self, name: str) -> None:
        ARTIFACTS.mkdir(exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)

    def close(self) -> None:
        self.context.close()


@pytest.fixture()
def page(browser, server) -> Iterator[Page]:
    p = Page(browser, server)
    yield p
    assert not p.foreign, f"requests left localhost: {p.foreign}"
    p.close()


def test_dashboard_draws_map_timeline_graph_and_table_offline(page):
    page.open()
    assert page.page.locator("#map path.country").count() > 100
    assert page.page.locator("#map .cluster").count() >= 2  # Kyiv; Niamey + Abuja
    assert page.page.locator("#timeline rect.bar").count() >= 3
    assert page.page.locator("#graph g.node").count() >= 4
    assert len(page.rows()) == 9
    assert page.requests and all(urlparse(u).hostname in LOCAL_HOSTS for u in page.requests)
    assert not [e for e in page.errors if "Content Security Policy" in e], page.errors
    page.shot("dashboard")


def test_dashboard_filters_live_in_the_url(page):
    page.open("?type=ASSAULT")
    assert {r["id"] for r in page.rows()} == {"ukr1-e0", "ukr2-e0"}
    assert page.page.locator("select[name=type]").input_value() == "ASSAULT"
    page.page.select_option("select[name=type]", "")
    page.settle()
    assert page.params() == {}
    page.page.fill("input[name=actor]", "Niger")
    page.page.locator("input[name=actor]").dispatch_event("change")
    page.settle()
    assert page.params() == {"actor": "Niger"}
    assert {r["id"] for r in page.rows()} == {"niger1-e0", "niger1-e1", "ecowas1-e0"}
    page.page.go_back()
    page.settle()
    page.page.go_back()
    page.settle()
    assert page.params() == {"type": "ASSAULT"}
    assert {r["id"] for r in page.rows()} == {"ukr1-e0", "ukr2-e0"}
    assert page.page.locator("input[name=actor]").input_value() == ""


def test_dashboard_language_column_and_filter(page):
    page.open()
    langs = {tr.get_attribute("data-id"): tr.locator("td.lang").inner_text()
             for tr in page.page.locator("#events tbody tr[data-id]").all()}
    assert langs["ecowas1-e0"] == "fr" and langs["ukr1-e0"] == "en"
    page.page.select_option("select[name=language]", "fr")
    page.settle()
    assert page.params() == {"language": "fr"}
    assert [r["id"] for r in page.rows()] == ["ecowas1-e0"]
    page.page.select_option("select[name=language]", "en")
    page.settle()
    assert len(page.rows()) == 8 and "ecowas1-e0" not in {r["id"] for r in page.rows()}
    page.open("?language=fr")
    assert page.page.locator("select[name=language]").input_value() == "fr"
    assert [r["id"] for r in page.rows()] == ["ecowas1-e0"]


def test_dashboard_timeline_brush_filters_the_table(page):
    page.open()
    overlay = page.page.locator("#timeline .brush .overlay")
    box = overlay.bounding_box()
    y = box["y"] + box["height"] / 2
    page.page.mouse.move(box["x"] + box["width"] * 0.55, y)
    page.page.mouse.down()
    page.page.mouse.move(box["x"] + box["width"] * 0.8, y, steps=8)
    page.page.mouse.move(box["x"] + box["width"] - 2, y, steps=8)
    page.page.mouse.up()
    page.settle()
    params = page.params()
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", params.get("since", "")), params
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", params.get("until", "")), params
    rows = page.rows()
    assert 0 < len(rows) < 9
    for r in rows:
        start = r["date"].split(" ")[0]
        assert start <= params["until"] and r["date"].split(" ")[-1] >= params["since"] or \
            start >= params["since"], (r, params)
    assert not page.page.locator("#period").is_hidden()
    page.shot("timeline-brush")


def test_dashboard_country_click_filters_the_table(page):
    page.open()
    x, y = page.page.evaluate(INSIDE_POINT, "RUS")
    page.page.mouse.click(x, y)  # a real click on the shape (its box centre is not in it)
    page.settle()
    assert page.params().get("country") == "RUS"
    assert {r["id"] for r in page.rows()} == {"ukr1-e0", "ukr1-e1", "ukr2-e0"}
    assert page.page.locator('#map path.country.selected[data-iso3="RUS"]').count() == 1
    page.shot("country-click")


def test_dashboard_row_opens_article_with_evidence_highlighted(page):
    page.open()
    page.page.locator('#events tbody tr[data-id="niger1-e0"]').click()
    page.settle()
    assert page.params().get("event") == "niger1-e0"
    mark = page.page.locator("#article-text mark.evidence")
    assert mark.inner_text() == "US troops completed their withdrawal from Niger."
    assert page.page.locator("#article-text mark b.trigger").inner_text() == "completed"
    assert "US completes Niger withdrawal" in page.page.locator("#article-meta").inner_text()
    page.shot("article")


def test_dashboard_article_with_script_runs_nothing(page):
    page.open("?event=xss1-e0")
    text = page.page.locator("#article-text").inner_text()
    assert "<script>window.__pwned = 1</script>" in text
    assert "<img src=x onerror=alert(1)>" in text
    assert page.page.locator("#article-text script, #article-text img").count() == 0
    assert page.page.locator("#article-meta h3").inner_text() == "<b>hostile</b> title"
    assert page.page.evaluate("window.__pwned") is None
    page.page.wait_for_timeout(300)
    assert not page.dialogs
    row = page.page.locator('#events tbody tr[data-id="xss1-e0"] td.evidence')
    assert "<img src=x onerror=alert(1)>" in row.inner_text()
    page.shot("hostile-article")


def test_dashboard_graph_node_click_filters_by_actor(page):
    page.open()
    page.page.locator("#graph g.node", has_text="Russia").first.locator("circle").click(
        force=True)
    page.settle()
    assert page.params().get("actor") == "Russia"
    assert {r["id"] for r in page.rows()} == {"ukr1-e0", "ukr1-e1", "ukr2-e0"}


def test_dashboard_api_docs_are_local(page):
    page.page.goto(f"{page.base}/docs")
    page.page.wait_for_selector(".swagger-ui .information-container", timeout=15000)
    page.page.goto(f"{page.base}/redoc")
    page.page.wait_for_selector("redoc h1, .api-info h1, [role=navigation]", timeout=20000)
    page.page.wait_for_timeout(500)
    # nothing blocked by the CSP either (ReDoc's sidebar logo came from cdn.redoc.ly)
    blocked = [e for e in page.errors if "Content Security Policy" in e or "cdn." in e]
    assert not blocked, blocked
    page.shot("docs")
