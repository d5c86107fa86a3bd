"""The dashboard's alerts panel in headless Chromium, against `eventwire serve`."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from eventwire import alerts, store
from test_alerts import put
from test_dashboard import ARTIFACTS, Watch, free_port, poll
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
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-c", "from eventwire.cli import main; main()", "serve",
         "--db", str(db), "--port", str(port)],
        env={**os.environ, "EVENTWIRE_LOG": "warning"}, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(url + "/healthz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert proc.poll() is None and time.monotonic() < deadline, "serve did not start"
            time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=20)


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
    poll(page, "!document.querySelector('#article-view').hidden")
    assert page.locator("#article-title").inner_text() == "Title of raid"
    assert watch.problems == [] and watch.foreign() == []
    page.close()
