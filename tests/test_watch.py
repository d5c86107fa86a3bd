"""`eventwire watch` end to end against a real news site on loopback (watch_site.py).

The coder is the real one; the store is a real DuckDB file; the HTTP client
is never patched: every page, feed, sitemap, robots.txt and webhook goes
over loopback sockets.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

import eventwire
from eventwire import store
from eventwire.store.alerts import list_alerts
from eventwire.watch.fetch import FetchSettings
from eventwire.watch.loop import Watcher, WatchSettings
from eventwire.watch.sources import canonical_url
from watch_site import Page, Receiver, Site

TODAY = dt.datetime.now(dt.UTC).date()
DAY1 = TODAY - dt.timedelta(days=2)
DAY2 = TODAY - dt.timedelta(days=1)

FAST = FetchSettings(delay=0.0, timeout=1.0, retries=1, backoff=0.05, max_bytes=300_000)


def first_pages(site: Site) -> None:
    site.add(Page("/news/talks.html", "Ministers meet on trade", [
        "Kenya's president met the Tanzanian foreign minister in Nairobi to discuss trade.",
        "Both sides praised the progress made on a new customs post."], DAY1))
    site.add(Page("/news/fishermen.html", "Fishermen detained at sea", [
        "Ecuadorian police arrested twelve Colombian fishermen off the coast on Friday.",
        "Their families gathered at the harbour to ask for news."], DAY1))
    site.add(Page("/news/harvest.html", "A good harvest", [
        "Farmers across the valley brought in a record maize crop this season.",
        "Storage sheds in three districts are already full."], DAY1))
    site.add(Page("/private/memo.html", "Internal memo", [
        "This page must never be fetched."], DAY1,
        summary="Chile and Argentina agreed to open a second mountain crossing for lorries."))
    site.add(Page("/slow.html", "Slow page", ["A page that answers late."], DAY1))
    site.add(Page("/broken.html", "Broken page", ["Never served."], DAY1))
    site.add(Page("/huge.html", "Huge page", ["Never served whole."], DAY1))
    site.add(Page("/moved.html", "Moved page", ["Never served here."], DAY1))
    site.add(Page("/news/moved-here.html", "A page that moved", [
        "The Ghanaian finance minister visited Togo to talk about electricity exports."],
        DAY1, feed=None))
    site.add(Page("/news/from-sitemap.html", "Listed in the sitemap only", [
        "Mongolia and Kazakhstan signed an agreement on rail freight in Astana."],
        DAY1, feed=None), in_sitemap=True)


def attack_pages(site: Site) -> None:
    for n, outlet_words in enumerate(["Residents fled across the river.",
                                      "Shops in the town stayed closed."]):
        site.add(Page(f"/news/border-attack-{n}.html", "Border town attacked", [
            "Bolivian soldiers attacked the Peruvian border town of Desaguadero overnight.",
            outlet_words], DAY2, feed="/feed.xml" if n == 0 else "/feed-b.xml"))


@pytest.fixture
def site() -> Iterator[Site]:
    with Site(slow_seconds=3.0) as s:
        yield s


def rules_file(tmp_path: Path, webhook: str) -> Path:
    path = tmp_path / "rules.toml"
    path.write_text(
        "[new_dyad_conflict]\n"
        f'webhook = "{webhook}"\n'
        f'jsonl = "{tmp_path / "alerts.jsonl"}"\n'
        "[conflict_spike]\nenabled = false\n"
        "[goldstein_turn]\nenabled = false\n", encoding="utf-8")
    return path


def stored(con: object) -> dict[str, str]:
    return dict(con.execute("SELECT article_id, text FROM articles").fetchall())  # type: ignore[attr-defined]


def test_watch_rounds_store_then_304_then_new_entries_once(
        site: Site, tmp_path: Path, coder: eventwire.Coder) -> None:
    first_pages(site)
    feeds = tmp_path / "sources.txt"
    feeds.write_text(f"# the test site\n{site.url}/feed.xml\n\n{site.url}/sitemap-index.xml\n"
                     f"{site.url}/feed-b.xml  # second outlet\n", encoding="utf-8")
    con = store.connect(tmp_path / "w.duckdb")
    with Receiver() as hook:
        settings = WatchSettings(sources=(str(feeds),), fetch=FAST,
                                 rules=str(rules_file(tmp_path, hook.url)), batch_size=3)
        with Watcher(con, settings, coder_factory=lambda: coder) as w:
            r1 = w.run_round()
            arts = stored(con)
            # the feed's tracking parameter is gone from the key
            key = canonical_url(f"{site.url}/news/talks.html")
            assert key in arts and "utm_source" not in key
            assert canonical_url(f"{site.url}/moved.html") in arts        # the redirect
            assert canonical_url(f"{site.url}/news/from-sitemap.html") in arts  # via the index
            memo = canonical_url(f"{site.url}/private/memo.html")
            assert "second mountain crossing" in arts[memo]               # the feed's own text
            assert site.hits("/private/memo.html") == 0                   # robots.txt obeyed
            for bad in ("/slow.html", "/broken.html", "/huge.html"):
                assert canonical_url(site.url + bad) not in arts
            reasons = dict(r1.fetch_failures)
            assert "timed out" in reasons[f"{site.url}/slow.html?utm_source=rss"]
            assert "HTTP 500" in reasons[f"{site.url}/broken.html?utm_source=rss"]
            assert "limit" in reasons[f"{site.url}/huge.html?utm_source=rss"]
            assert site.statuses("/broken.html") == [500, 500]          # one retry, backoff
            assert r1.new_entries == 9 and r1.articles_stored == 6
            assert r1.sources_polled == 4 and r1.not_modified == 0      # 2 feeds, index, child
            assert r1.events_stored > 0 and r1.alerts_raised == 1
            assert "failed fetches" in r1.summary() and "1 alert raised" in r1.summary()
            alert = list_alerts(con)[0]
            assert (alert.rule, alert.subject) == ("new_dyad_conflict", "ECU->COL")
            assert alert.article_ids == (canonical_url(f"{site.url}/news/fishermen.html"),)

            # round 2: nothing changed anywhere, so 304s and no page is fetched
            before = len(site.requests)
            r2 = w.run_round()
            later = site.requests[before:]
            assert r2.not_modified == r2.sources_polled == 4
            assert {s for _, _, s in later if not _.startswith("/robots")} <= {304}
            assert not [p for _, p, _s in later if p.startswith(("/news/", "/slow", "/broken"))]
            assert r2.articles_stored == r2.new_entries == r2.alerts_raised == 0

            # round 3: two outlets report one attack; each page fetched and coded once
            ingested = dict(con.execute("SELECT article_id, ingested_at FROM articles").fetchall())
            attack_pages(site)
            r3 = w.run_round()
            assert r3.new_entries == 2 and r3.articles_stored == 2
            assert site.hits("/news/border-attack-0.html") == 1
            assert site.hits("/news/border-attack-1.html") == 1
            assert site.hits("/news/talks.html") == 1
            assert dict(con.execute("SELECT article_id, ingested_at FROM articles WHERE "
                                    "article_id = ANY(?)", [list(ingested)]).fetchall()) == ingested
            assert r3.alerts_raised == 1
            new = [a for a in list_alerts(con) if a.subject == "BOL->PER"]
            assert len(new) == 1 and len(new[0].article_ids) == 2   # merged: counted once
            assert new[0].figures["events"] == 1
            r4 = w.run_round()
            assert r4.alerts_raised == 0 and len(list_alerts(con)) == 2
        got = sorted(b["subject"] for b in hook.bodies)
    assert got == ["BOL->PER", "ECU->COL"]
    lines = [json.loads(x) for x in (tmp_path / "alerts.jsonl").read_text().splitlines()]
    assert sorted(x["alert_id"] for x in lines) == sorted(b["alert_id"] for b in hook.bodies)
    assert {b["alert_id"] for b in hook.bodies} == {a.alert_id for a in list_alerts(con)}
    con.close()
