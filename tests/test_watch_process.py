"""`eventwire watch` and `eventwire serve --watch` as real processes.

kill -9 in the middle of a round, then a restart, must code and store no
article twice; the API server must keep answering, consistently, while its
watcher writes; a second writer process gets a clear refusal, not a crash.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from eventwire import store
from eventwire.watch.sources import canonical_url
from watch_site import Page, Site

pytestmark = pytest.mark.slow

DAY = dt.datetime.now(dt.UTC).date() - dt.timedelta(days=1)
COUNTRIES = [("Kenyan", "Uganda"), ("Chilean", "Peru"), ("Polish", "Lithuania"),
             ("Thai", "Laos"), ("Moroccan", "Tunisia"), ("Irish", "Iceland")]


def pages(site: Site, n: int, start: int = 0) -> list[str]:
    paths = []
    for i in range(start, start + n):
        adj, other = COUNTRIES[i % len(COUNTRIES)]
        path = f"/news/story-{i:03d}.html"
        site.add(Page(path, f"Story {i}", [
            f"The {adj} trade minister visited {other} on a two-day trip, story {i} said.",
            f"Officials from both countries signed a deal on fishing quotas numbered {i}."], DAY))
        paths.append(path)
    return paths


def eventwire(*args: str) -> list[str]:
    return [sys.executable, "-c", "from eventwire.cli import main; main()", *args]


def lines_of(proc: subprocess.Popen[str]) -> queue.Queue[str]:
    q: queue.Queue[str] = queue.Queue()

    def pump() -> None:
        assert proc.stderr is not None
        for line in proc.stderr:
            q.put(line)

    threading.Thread(target=pump, daemon=True).start()
    return q


def test_watch_kill_9_mid_round_then_restart_codes_nothing_twice(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    with Site() as site:
        site.page_delay = 0.15
        paths = pages(site, 30)
        cmd = eventwire("watch", f"{site.url}/feed.xml", "--db", str(db), "--every", "1h",
                        "--delay", "0", "--per-host", "1", "--batch-size", "2", "-v")
        proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
        out = lines_of(proc)
        stored_lines = 0
        deadline = time.monotonic() + 180
        while stored_lines < 3:
            assert proc.poll() is None, "watch exited early"
            assert time.monotonic() < deadline, "no batch stored in time"
            with contextlib.suppress(queue.Empty):
                stored_lines += "stored" in out.get(timeout=1)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        con = store.connect(db, read_only=True)
        before = dict(con.execute("SELECT article_id, ingested_at FROM articles").fetchall())
        con.close()
        assert 0 < len(before) < len(paths), "kill -9 should land mid-round"
        hits_before = {p: site.hits(p) for p in paths}

        again = subprocess.run([*cmd[:-1], "--once"], capture_output=True, text=True, timeout=300)
        assert again.returncode == 0, again.stderr
        con = store.connect(db, read_only=True)
        after = dict(con.execute("SELECT article_id, ingested_at FROM articles").fetchall())
        rows = con.execute("SELECT status, count(*) FROM watch_urls GROUP BY ALL").fetchall()
        n_events = con.execute("SELECT sum(n_events) FROM articles").fetchone()
        events = con.execute("SELECT count(*), count(DISTINCT event_id) FROM events").fetchone()
        con.close()
    assert set(after) == {canonical_url(site.url + p) for p in paths}
    assert dict(rows) == {"done": len(paths)}
    # what was stored before the kill was neither fetched nor coded nor written again
    for key, when in before.items():
        assert after[key] == when
        path = "/" + key.split("/", 3)[3]
        assert site.hits(path) == hits_before[path] == 1
    assert events is not None and n_events is not None
    assert events[0] == events[1] == n_events[0]
    assert "0 failed fetches" in again.stderr


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_watch_inside_serve_while_readers_read(tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    port = free_port()
    with Site() as site:
        site.page_delay = 0.05
        first = pages(site, 8)
        site.add(Page("/news/arrest.html", "Fishermen held", [
            "Ecuadorian police arrested twelve Colombian fishermen off the coast on Friday."], DAY))
        env = {**os.environ, "EVENTWIRE_LOG": "info"}
        proc = subprocess.Popen(
            eventwire("serve", "--db", str(db), "--port", str(port), "--watch",
                      f"{site.url}/feed.xml", "--every", "2s", "--delay", "0",
                      "--batch-size", "1"),
            env=env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
        log = lines_of(proc)
        base = f"http://127.0.0.1:{port}"
        problems: list[str] = []
        checked = [0]
        stop = threading.Event()

        def reader() -> None:
            with httpx.Client(base_url=base, timeout=10) as c:
                while not stop.is_set():
                    try:
                        page = c.get("/v1/events", params={"limit": 1000, "modality": "all"})
                    except httpx.TransportError:
                        time.sleep(0.2)  # still starting
                        continue
                    if page.status_code != 200:
                        problems.append(f"events {page.status_code}")
                        continue
                    for aid in {e["article_id"] for e in page.json()["items"]}:
                        art = c.get(f"/v1/articles/{aid}")
                        if art.status_code != 200:
                            problems.append(f"article {art.status_code}")
                        elif len(art.json()["events"]) != art.json()["n_events"]:
                            problems.append(f"half an article: {aid}")
                        checked[0] += 1
                    if c.get("/v1/alerts").status_code != 200:
                        problems.append("alerts")

        threads = [threading.Thread(target=reader) for _ in range(2)]
        for t in threads:
            t.start()
        try:
            def wait_for(articles: int) -> None:
                deadline = time.monotonic() + 180
                while time.monotonic() < deadline:
                    assert proc.poll() is None, "server died: " + "".join(list(log.queue))
                    try:
                        n = httpx.get(base + "/v1/overview", timeout=5).json()["articles"]
                        if n >= articles:
                            return
                    except (httpx.TransportError, KeyError, ValueError):
                        pass
                    time.sleep(0.3)
                raise AssertionError(f"fewer than {articles} articles in time")

            wait_for(len(first) + 1)
            # a second writer process is refused with advice, and the server goes on
            other = subprocess.run(eventwire("watch", f"{site.url}/feed.xml", "--db", str(db),
                                             "--once"), capture_output=True, text=True,
                                   timeout=120)
            assert other.returncode == 1
            assert "locked" in other.stderr and "serve --watch" in other.stderr
            more = pages(site, 6, start=len(first))
            wait_for(len(first) + 1 + len(more))
        finally:
            stop.set()
            for t in threads:
                t.join(timeout=30)
        alerts = httpx.get(base + "/v1/alerts", timeout=5).json()["items"]
        assert [a["subject"] for a in alerts] == ["ECU->COL"]
        assert httpx.get(base + "/v1/alerts", params={"since": "soon"}).status_code == 400
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=60)
    assert problems == []
    assert checked[0] > 0
    served = "".join(list(log.queue))
    assert "watch round 1:" in served and "1 alert raised" in served
