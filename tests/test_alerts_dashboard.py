"""The dashboard's alerts panel in headless Chromium, against `eventwire serve`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from _serve import serving
from eventwire import alerts, store
from test_alerts import put
from test_dashboard import ARTIFACTS, Watch, poll
from test_dashboard import browser as browser  # the fixture

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db = tmp_path_factory.mktemp("alerts-dash") / "a.duckdb"
    con = store.connect(db)
    day = (dt.datetime.now(dt.UTC).date() - dt.timedelta(days=1)).isoformat()
    ids = [put(con, "raid", [("SRBCOP", "KOSCVL", "173", day)]),
           put(con, "visit", [("KENGOV", "TZAGOV", "042", day)])]
    store.sync_merged(con)
    assert len(alerts.evaluate(con, alerts.load_rules(), ids)) == 1
    con.close()
    with serving(db) as url:
        yield url


def test_dashboard_alerts_panel_lists_alert_and_links_article(server: str, browser: Any) -> None:
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    watch = Watch(page, server)
    page.goto(server + "/")
    poll(page, "document.querySelector('#alerts-card').dataset.count === '1'")
    item = page.locator("#alerts li[data-rule='new_dyad_conflict']")
    assert item.locator(".alert-subject").inner_text() == "SRB->KOS"
    assert "new conflict dyad" in item.inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator("#alerts-card").screenshot(path=str(Path(ARTIFACTS) / "alerts-panel.png"))
    item.locator("a.article-link").click()
    # the view opens first and fills in when the article's request returns
    poll(page, "!document.querySelector('#article-view').hidden"
               " && document.querySelector('#article-title').textContent !== ''")
    assert page.locator("#article-title").inner_text() == "Title of raid"
    assert watch.problems == [] and watch.foreign() == []
    page.close()
