"""Cross-article merge: the rule on hand-made records, the store's merged view, the
CLI and API views, and real articles written for these tests."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner

import eventwire
from eventwire import merge, store
from eventwire.api import ServerSettings, create_app
from eventwire.cli import main
from eventwire.records import Actor, Article, Event, Location
from store_factories import LiveServer

NAMES = {"057": "Sign formal agreement", "190": "Use conventional military force",
         "195": "Employ aerial weapons", "193": "Fight with small arms",
         "042": "Make a visit", "043": "Host a visit", "041": "Discuss by telephone",
         "173": "Arrest, detain", "111": "Criticize or denounce"}
PLACES = {"Lagos": ("NGA", 6.45, 3.39), "Abuja": ("NGA", 9.06, 7.49),
          "Tokyo": ("JPN", 35.69, 139.69), "Ikeja": ("NGA", 6.60, 3.35)}


def ev(eid: str, *, src: str | None = "RUS", tgt: str | None = "UKR", cameo: str = "190",
       date: str = "2024-05-06", precision: str = "day", sentence: str = "",
       modality: str = "asserted", place: str | None = None, outlet: str | None = None,
       article: str | None = None, si: int = 0, trigger: str = "struck") -> dict[str, Any]:
    """A record in the shape the query layer returns (DESIGN.md + outlet)."""
    def actor(code: str | None) -> dict[str, Any] | None:
        if code is None:
            return None
        return {"text": code, "code": code, "country": code[:3], "sector": code[3:] or None,
                "name": None}

    loc = None
    if place:
        c, lat, lon = PLACES[place]
        loc = {"name": place, "country": c, "lat": lat, "lon": lon}
    return {"event_id": eid, "article_id": article or f"art-{eid}", "sentence_index": si,
            "sentence": sentence or f"Forces of {src} {trigger} positions of {tgt}.",
            "trigger": trigger, "date": date, "date_precision": precision,
            "report_date": date, "source": actor(src), "target": actor(tgt), "cameo": cameo,
            "cameo_root": cameo[:2], "cameo_name": NAMES.get(cameo, cameo), "goldstein": -10.0,
            "quad_class": 4, "plover": "ASSAULT", "plover_mode": None, "modality": modality,
            "location": loc, "reported_by": [], "confidence": 0.7, "outlet": outlet}


def groups(events: list[dict[str, Any]], rule: merge.MergeRule | None = None) -> set[frozenset[str]]:
    return {frozenset(events[i]["event_id"] for i in g) for g in merge.cluster(events, rule)}


@pytest.mark.parametrize(("a", "b", "merged"), [
    # same day, same dyad and code, no words in common: still one event
    (ev("a", sentence="Russian jets bombed a depot."),
     ev("b", sentence="Moscow's aircraft hit a storage site."), True),
    # direction matters for an attack: A->B and B->A the same day are two events
    (ev("a"), ev("b", src="UKR", tgt="RUS"), False),
    # reciprocal codes match either direction
    (ev("a", src="JPN", tgt="IND", cameo="057", trigger="signed"),
     ev("b", src="IND", tgt="JPN", cameo="057", trigger="signed"), True),
    # B hosts A == A visits B; but A hosting B is another visit
    (ev("a", src="FRA", tgt="CHN", cameo="042"), ev("b", src="CHN", tgt="FRA", cameo="043"), True),
    (ev("a", src="FRA", tgt="CHN", cameo="042"), ev("b", src="FRA", tgt="CHN", cameo="043"), False),
    # code family: generic 190 with specific 195; two specific codes differ
    (ev("a", cameo="190"), ev("b", cameo="195"), True),
    (ev("a", cameo="193"), ev("b", cameo="195"), False),
    # a different root never merges
    (ev("a", cameo="190"), ev("b", cameo="111"), False),
    # a day apart: merged with similar evidence, not without
    (ev("a", sentence="Russian drones struck the Odesa port grain terminal."),
     ev("b", date="2024-05-07", sentence="Drones struck the grain terminal at Odesa port."), True),
    (ev("a", sentence="Russian jets bombed a depot."),
     ev("b", date="2024-05-07", sentence="Artillery shelled villages overnight."), False),
    # two days apart: outside the window
    (ev("a", sentence="Drones struck the Odesa grain terminal."),
     ev("b", date="2024-05-08", sentence="Drones struck the Odesa grain terminal."), False),
    # places that clash (far apart) are two events, nearby ones may be one
    (ev("a", src="NGACOP", tgt="NGAOPP", cameo="173", place="Lagos"),
     ev("b", src="NGACOP", tgt="NGAOPP", cameo="173", place="Abuja"), False),
    (ev("a", src="NGACOP", tgt="NGAOPP", cameo="173", place="Lagos"),
     ev("b", src="NGACOP", tgt="NGAOPP", cameo="173", place="Ikeja"), True),
    # sectors: none on one side is compatible, two different ones are not
    (ev("a", src="RUSMIL"), ev("b", src="RUS"), True),
    (ev("a", src="RUSMIL"), ev("b", src="RUSREB"), False),
    # a denial never merges with the act
    (ev("a"), ev("b", modality="negated"), False),
    # a month-precision report joins a day one when the evidence agrees
    (ev("a", sentence="Russian missiles destroyed the Kremenchuk refinery."),
     ev("b", date="2024-05-01", precision="month",
        sentence="In May, missiles destroyed the refinery in Kremenchuk."), True),
])
def test_merge_pair_rule(a: dict[str, Any], b: dict[str, Any], merged: bool) -> None:
    expected = {frozenset({"a", "b"})} if merged else {frozenset({"a"}), frozenset({"b"})}
    assert groups([a, b]) == expected
    assert groups([b, a]) == expected


def test_merge_daily_fighting_does_not_chain() -> None:
    # the same attack sentence on five days in a row: linked day to day, but a
    # cluster may span at most max_span_days
    events = [ev(f"d{d}", date=f"2024-05-0{d}", sentence="Shelling hit Kharkiv suburbs.")
              for d in range(1, 6)]
    for g in groups(events):
        days = sorted(int(e[1:]) for e in g)
        assert days[-1] - days[0] <= merge.MergeRule().max_span_days
    assert len(groups(events)) >= 2


def test_merge_independent_of_input_order() -> None:
    rng = random.Random(7)
    events = [ev(f"e{i}", src=rng.choice(["RUS", "UKR"]), tgt=rng.choice(["UKR", "RUS", "BLR"]),
                 cameo=rng.choice(["190", "195", "193"]),
                 date=f"2024-05-{rng.randrange(1, 9):02d}",
                 sentence=rng.choice(["Drones hit a port.", "Jets bombed a depot.",
                                      "Troops shelled a town."])) for i in range(60)]
    first = groups(events)
    for _ in range(5):
        rng.shuffle(events)
        assert groups(events) == first


def test_merge_record_counts_and_links() -> None:
    members = [
        ev("x1", src="JPN", tgt="IND", cameo="057", article="p1", outlet="Harbor Post"),
        ev("x2", src="IND", tgt="JPN", cameo="057", article="p1", outlet="Harbor Post"),
        ev("x3", src="IND", tgt="JPN", cameo="057", article="p2", outlet="Daily Ledger",
           si=3, place="Tokyo"),
        ev("x4", src="JPN", tgt="IND", cameo="057", article="p3", outlet="harbor post"),
    ]
    [m] = merge.merge(members)
    assert m["event_ids"] == ["x1", "x2", "x3", "x4"]
    assert m["article_ids"] == ["p1", "p2", "p3"]
    # x1 and x2 are one sentence written in both directions: one mention
    assert (m["n_mentions"], m["n_articles"], m["n_outlets"]) == (3, 3, 2)
    assert m["location"]["name"] == "Tokyo"
    assert m["merged_id"] == merge.merged_id(["x4", "x2", "x1", "x3"])


# -- the store's merged view ------------------------------------------------------


def event(article_id: str, *, src: str, tgt: str, cameo: str, date: str, sentence: str,
          si: int = 0, place: str | None = None, trigger: str = "signed") -> Event:
    loc = None
    if place:
        c, lat, lon = PLACES[place]
        loc = Location(name=place, country=c, lat=lat, lon=lon)
    return Event(article_id=article_id, sentence_index=si, sentence=sentence,
                 span=(0, len(sentence)), trigger=trigger, date=date, date_precision="day",
                 report_date=date,
                 source=Actor(text=src, code=src, country=src[:3], sector=src[3:] or None),
                 target=Actor(text=tgt, code=tgt, country=tgt[:3], sector=tgt[3:] or None),
                 cameo=cameo, cameo_root=cameo[:2], cameo_name=NAMES[cameo], goldstein=8.0,
                 quad_class=2, plover="AGREE", plover_mode=None, location=loc)


def pact_pairs() -> list[tuple[Article, list[Event]]]:
    s1 = "Japan and India signed a defence pact."
    s2 = "New Delhi and Tokyo sealed a security accord."
    s3 = "Japan and India signed a trade deal."
    return [
        (Article(id="p1", text=s1, date="2024-05-06", outlet="Harbor Post"),
         [event("p1", src="JPN", tgt="IND", cameo="057", date="2024-05-06", sentence=s1),
          event("p1", src="IND", tgt="JPN", cameo="057", date="2024-05-06", sentence=s1)]),
        (Article(id="p2", text=s2, date="2024-05-07", outlet="Daily Ledger"),
         [event("p2", src="IND", tgt="JPN", cameo="057", date="2024-05-06", sentence=s2)]),
        (Article(id="p3", text=s3, date="2024-05-20", outlet="Harbor Post"),
         [event("p3", src="JPN", tgt="IND", cameo="057", date="2024-05-20", sentence=s3)]),
    ]


def test_merge_store_view_and_refresh(tmp_path: Path) -> None:
    con = store.connect(tmp_path / "m.duckdb")
    store.ingest(con, pact_pairs())
    store.sync_merged(con)
    page = store.merged_events(con, with_total=True)
    assert page.total == 2
    first = {tuple(m["article_ids"]): m for m in page.items}
    assert set(first) == {("p1", "p2"), ("p3",)}
    assert first[("p1", "p2")]["n_articles"] == 2 and first[("p1", "p2")]["n_outlets"] == 2
    # filters select merged events through their mentions
    only = store.merged_events(con, store.parse_filters({"outlet": "daily ledger"}))
    assert [m["article_ids"] for m in only.items] == [["p1", "p2"]]
    full = store.get_merged(con, first[("p1", "p2")]["merged_id"])
    assert full is not None and sorted(e["article_id"] for e in full["mentions"]) == \
        ["p1", "p1", "p2"]
    # p2's text changes and it now reports another day: the view follows
    s2b = "New Delhi and Tokyo sealed a security accord last month."
    store.ingest(con, [(Article(id="p2", text=s2b, date="2024-05-07", outlet="Daily Ledger"),
                        [event("p2", src="IND", tgt="JPN", cameo="057", date="2024-04-10",
                               sentence=s2b)])])
    assert store.merged_events(con).items == page.items  # derived: stale until synced
    store.sync_merged(con)
    incremental = sorted(m["article_ids"] for m in store.merged_events(con).items)
    assert incremental == [["p1"], ["p2"], ["p3"]]
    store.rebuild_merged(con)
    assert sorted(m["article_ids"] for m in store.merged_events(con).items) == incremental
    con.close()


def test_merge_migration_builds_view_from_stored_events(tmp_path: Path) -> None:
    # a v1 store with events: migrating to v2 fills the merged view
    import duckdb

    from eventwire.store import schema

    new = store.connect(tmp_path / "new.duckdb")
    store.store_coded(new, pact_pairs())
    new.close()
    db = tmp_path / "old.duckdb"
    con = duckdb.connect(str(db))
    con.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, "
                "applied_at TIMESTAMP NOT NULL)")
    schema.MIGRATIONS[0](con)
    con.execute("INSERT INTO schema_version VALUES (1, current_timestamp)")
    # the rows as a version-1 writer stored them: only the columns it had
    con.execute(f"ATTACH '{tmp_path / 'new.duckdb'}' AS new (READ_ONLY)")
    for table in ("articles", "events"):
        cols = ", ".join(r[0] for r in con.execute(f"DESCRIBE {table}").fetchall())
        con.execute(f"INSERT INTO {table} SELECT {cols} FROM new.{table}")
    con.execute("DETACH new")
    con.close()
    con = store.connect(db)
    assert store.current_version(con) == store.SCHEMA_VERSION
    assert store.merged_events(con, with_total=True).total == 2
    con.close()


def test_merge_cli_and_api_views(tmp_path: Path) -> None:
    db = tmp_path / "v.duckdb"
    con = store.connect(db)
    store.ingest(con, pact_pairs())
    store.sync_merged(con)
    con.close()
    res = CliRunner().invoke(main, ["events", "--db", str(db), "--merged", "--format", "jsonl"])
    assert res.exit_code == 0, res.output
    rows = [json.loads(line) for line in res.stdout.splitlines()]
    assert sorted(r["n_articles"] for r in rows) == [1, 2]
    res = CliRunner().invoke(main, ["events", "--db", str(db), "--merged"])
    assert "mentions" in res.stdout and "Harbor" not in res.stdout.split("\n")[0]
    raw = CliRunner().invoke(main, ["events", "--db", str(db), "--format", "jsonl"])
    assert len(raw.stdout.splitlines()) == 4  # the raw view is unchanged
    app = create_app(ServerSettings(db_path=str(db), read_only=True))
    with LiveServer(app) as server, httpx.Client(base_url=server.url, timeout=20) as c:
        merged = c.get("/v1/events", params={"view": "merged", "limit": 1}).json()
        assert len(merged["items"]) == 1 and merged["next_cursor"]
        nxt = c.get("/v1/events", params={"view": "merged",
                                          "cursor": merged["next_cursor"]}).json()
        ids = {merged["items"][0]["merged_id"], *(m["merged_id"] for m in nxt["items"])}
        assert len(ids) == 2
        one = c.get(f"/v1/merged-events/{merged['items'][0]['merged_id']}").json()
        assert {e["event_id"] for e in one["mentions"]} == set(one["event_ids"])
        assert c.get("/v1/events", params={"view": "nope"}).status_code == 400
        assert c.get("/v1/merged-events/m000").status_code == 404
        assert len(c.get("/v1/events").json()["items"]) == 4


# -- real articles through the real coder -------------------------------------------

ARTICLES = [
    Article(id="harbor-1", date="2024-05-06", outlet="Harbor Post",
            text="Japan and India signed a defence agreement in Tokyo on Monday, "
                 "pledging closer military cooperation."),
    Article(id="ledger-1", date="2024-05-07", outlet="Daily Ledger",
            text="India and Japan signed a defence pact in Tokyo yesterday, officials said."),
    Article(id="wire-1", date="2024-05-06", outlet="Wire Service",
            text="The Indian government signed a security accord with Japan on Monday."),
    # near miss: same dyad, same kind of act, another event two weeks later
    Article(id="harbor-2", date="2024-05-21", outlet="Harbor Post",
            text="Japan and India signed a trade agreement in Tokyo on Monday."),
    # near miss: same dyad and code the same day, another city
    Article(id="wire-2", date="2024-05-06", outlet="Wire Service",
            text="Police in Lagos arrested 40 protesters on Monday."),
    Article(id="ledger-2", date="2024-05-07", outlet="Daily Ledger",
            text="Nigerian police arrested dozens of demonstrators in Lagos on Monday."),
    Article(id="harbor-3", date="2024-05-06", outlet="Harbor Post",
            text="Police in Abuja arrested 12 protesters on Monday."),
]


@pytest.fixture(scope="module")
def coded_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    coder = eventwire.load()
    con = store.connect(tmp_path_factory.mktemp("merge") / "real.duckdb")
    store.ingest(con, coder.pipe(ARTICLES, all_modalities=True))
    store.sync_merged(con)
    yield con
    con.close()


def test_merge_real_articles_one_signing(coded_store: Any) -> None:
    items = store.merged_events(coded_store, limit=100).items
    signing = [m for m in items if "harbor-1" in m["article_ids"] and m["cameo_root"] == "05"]
    assert len(signing) == 1
    m = signing[0]
    assert m["article_ids"] == ["harbor-1", "ledger-1", "wire-1"]
    assert m["date"] == "2024-05-06"
    assert (m["n_articles"], m["n_outlets"]) == (3, 3)
    assert not any("harbor-2" in x["article_ids"] and "harbor-1" in x["article_ids"]
                   for x in items)


def test_merge_real_articles_same_day_other_city(coded_store: Any) -> None:
    items = store.merged_events(coded_store, limit=100).items
    arrests = [m for m in items if m["cameo_root"] == "17"]
    by_articles = sorted(m["article_ids"] for m in arrests)
    assert ["ledger-2", "wire-2"] in by_articles
    assert ["harbor-3"] in by_articles
