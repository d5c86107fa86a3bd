"""The dashboard in headless Chromium against `eventwire serve` on loopback.

Checks what a person would: the page loads everything from the server itself
(no failed request, no console error, nothing from another origin), filters
change the table and the chart, the article page shows the article. Saves
screenshots to test-artifacts/.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from _serve import serving
from eventwire import store
from store_factories import sample_pairs, synthetic_pairs

pytestmark = pytest.mark.slow

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db = tmp_path_factory.mktemp("dash") / "dash.duckdb"
    con = store.connect(db)
    store.ingest(con, sample_pairs())
    store.ingest(con, synthetic_pairs(160, 3, seed=11))
    con.close()
    with serving(db) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


class Watch:
    """Everything on a page that a person would call broken."""

    def __init__(self, page: Any, origin: str) -> None:
        self.problems: list[str] = []
        self.requests: list[str] = []
        page.on("console", lambda m: m.type == "error" and self.problems.append(
            f"console: {m.text}"))
        page.on("pageerror", lambda e: self.problems.append(f"page error: {e}"))
        page.on("requestfailed", lambda r: self.problems.append(
            f"failed: {r.url} {r.failure}"))
        page.on("response", lambda r: r.status >= 400 and self.problems.append(
            f"HTTP {r.status}: {r.url}"))
        page.on("request", lambda r: self.requests.append(r.url))
        self.origin = origin

    def foreign(self) -> list[str]:
        return [u for u in self.requests
                if not u.startswith(self.origin) and not u.startswith("data:")]


def poll(page: Any, expression: str, timeout: float = 20.0) -> Any:
    """Wait until `expression` is truthy in the page. (Playwright's wait_for_function
    evaluates strings with eval, which the dashboard's CSP rightly forbids.)"""
    deadline = time.monotonic() + timeout
    while True:
        value = page.evaluate(expression)
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for: {expression}")
        time.sleep(0.05)


def ready(page: Any, after: str | None = None) -> str:
    """Wait until the dashboard finished a refresh newer than `after`."""
    return str(poll(page, "document.body.dataset.ready !== %r && document.body.dataset.ready"
                    % (after or "")))


def totals(page: Any) -> dict[str, int]:
    return {name: int(page.get_attribute(f"#{name}-card", "data-total"))
            for name in ("events", "timeline")}


def test_dashboard_loads_filters_and_article(server: str, browser: Any) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    watch = Watch(page, server)
    page.goto(server + "/", wait_until="networkidle")
    seq = ready(page)

    first = totals(page)
    assert first["events"] == first["timeline"] > 100
    rows = page.locator("#events-table tbody tr")
    assert rows.count() == 50
    assert page.locator("#events-table mark").count() > 0  # triggers highlighted
    # located events on the Leaflet map, over the offline land outline (no tiles)
    assert page.locator("#map path.pt").count() >= 3
    assert page.eval_on_selector("#map img.land", "img => img.complete && img.naturalWidth > 0")
    assert page.locator("#map .leaflet-tile").count() == 0
    assert int(page.get_attribute("#dyad-card", "data-total")) > 0
    page.screenshot(path=str(ARTIFACTS / "dashboard.png"), full_page=True)
    page.screenshot(path=str(ARTIFACTS / "dashboard-top.png"))

    # Quad class 4 only: the table and the chart both narrow to it.
    page.check("input[name=quad_class][value='4']")
    seq = ready(page, seq)
    narrowed = totals(page)
    assert 0 < narrowed["events"] < first["events"]
    assert narrowed["timeline"] == narrowed["events"]
    quads = page.eval_on_selector_all("#events-table .quad-dot",
                                      "els => els.map(e => e.dataset.quad)")
    assert quads and set(quads) == {"4"}

    # A text search with nothing to find empties both.
    page.fill("input[name=q]", "no sentence says this")
    seq = ready(page, seq)
    assert totals(page) == {"events": 0, "timeline": 0}
    assert "No events match" in page.inner_text("#events-table tbody")

    page.click("#reset")
    seq = ready(page, seq)
    assert totals(page) == first

    # The article page: text, its events with modality badges, reported_by.
    page.goto(server + "/#/article/war-1")
    poll(page, "document.body.dataset.article === 'war-1'")
    assert "Russian forces attacked" in page.inner_text("#article-text")
    assert page.locator("#article-events tbody tr").count() == 3
    assert page.locator("#article-events .badge.negated").count() == 1
    assert "Reuters" in page.inner_text("#article-events")
    page.screenshot(path=str(ARTIFACTS / "dashboard-article.png"), full_page=True)

    assert watch.problems == []
    assert watch.foreign() == []
    page.close()


def test_dashboard_shows_api_errors_without_breaking(server: str, browser: Any) -> None:
    page = browser.new_page()
    page.goto(server + "/#/article/does-not-exist")
    page.wait_for_selector("#error:not([hidden])", timeout=20_000)
    assert "no article" in page.inner_text("#error")
    page.close()
