"""Store: schema, migrations, idempotent ingest, locking, the query layer."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
import time
from dataclasses import replace
from pathlib import Path

import duckdb
import pytest

from eventwire import store
from eventwire.errors import StoreError, StoreLockedError
from eventwire.store import FilterError, parse_filters
from store_factories import make_article, make_event, sample_pairs, synthetic_pairs


@pytest.fixture()
def db(tmp_path: Path) -> duckdb.DuckDBPyConnection:
    con = store.connect(tmp_path / "t.duckdb")
    store.ingest(con, sample_pairs())
    yield con
    con.close()


def counts(con: duckdb.DuckDBPyConnection) -> tuple[int, int]:
    row = con.execute("SELECT (SELECT count(*) FROM articles), count(*) FROM events").fetchone()
    assert row is not None
    return int(row[0]), int(row[1])


def test_store_schema_versioned_and_migrated(tmp_path: Path) -> None:
    con = store.connect(tmp_path / "s.duckdb")
    assert store.current_version(con) == store.SCHEMA_VERSION
    cols = {r[0] for r in con.execute("DESCRIBE events").fetchall()}
    assert {"source_code", "target_country", "cameo_root", "plover_mode", "reported_by",
            "location_lat", "span_start", "span_end", "modality"} <= cols
    assert store.migrate(con) == store.SCHEMA_VERSION  # second run: nothing to do
    con.close()


GEO_COLUMNS = ("location_admin1", "location_geonames_id", "location_precision",
               "location_basis")
IMPLIED_COLUMNS = tuple(f"{side}_{part}" for side in ("source", "target")
                        for part in ("implied", "basis", "country_basis"))


def test_store_locations_round_trip(db: duckdb.DuckDBPyConnection) -> None:
    [event] = store.events(db, parse_filters({"admin1": "Lima", "cameo": "173"})).items
    assert event["location"] == {"name": "Lima", "country": "PER", "lat": -12.05, "lon": -77.04,
                                 "admin1": "Lima", "geonames_id": 3936456,
                                 "precision": "place", "basis": "sentence"}


def test_store_migrates_version_2_keeping_rows(tmp_path: Path) -> None:
    # a version-2 store: no geo or implied-actor columns, no watch or alert tables
    path = tmp_path / "v2.duckdb"
    con = store.connect(path)
    store.ingest(con, sample_pairs())
    store.sync_merged(con)
    indexes = con.execute("SELECT index_name, sql FROM duckdb_indexes() "
                          "WHERE table_name IN ('events', 'merged_events')").fetchall()
    for name, _sql in indexes:
        con.execute(f"DROP INDEX {name}")
    for table in ("events", "merged_events"):
        for column in GEO_COLUMNS + IMPLIED_COLUMNS:
            con.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
    for _name, sql in indexes:
        con.execute(sql)
    later = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()} - {
        "articles", "events", "merged_events", "merged_mentions", "schema_version"}
    assert later  # watch state and alerts
    for table in sorted(later):
        con.execute(f"DROP TABLE {table}")
    con.execute("DELETE FROM schema_version WHERE version >= 3")
    con.close()
    con = store.connect(path)  # migrates
    assert store.current_version(con) == store.SCHEMA_VERSION
    assert counts(con) == (4, 9)
    for table in ("events", "merged_events"):
        cols = {r[0] for r in con.execute(f"DESCRIBE {table}").fetchall()}
        assert set(GEO_COLUMNS + IMPLIED_COLUMNS) <= cols
    located = store.events(con, parse_filters({"located": "true"}), limit=100).items
    assert len(located) == 4
    assert all(e["location"]["name"] and e["location"]["precision"] is None for e in located)
    # coding again fills them
    store.ingest(con, [(replace(a, text=a.text + " "), evs) for a, evs in sample_pairs()])
    located = store.events(con, parse_filters({"located": "true"}), limit=100).items
    assert {e["location"]["precision"] for e in located} == {"place"}
    con.close()


def test_store_refuses_newer_schema(tmp_path: Path) -> None:
    path = tmp_path / "future.duckdb"
    con = store.connect(path)
    con.execute("INSERT INTO schema_version VALUES (?, current_timestamp)",
                [store.SCHEMA_VERSION + 1])
    con.close()
    with pytest.raises(StoreError, match="newer than this eventwire"):
        store.connect(path)


def test_store_read_only_missing_file_is_clear(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no such database"):
        store.connect(tmp_path / "nope.duckdb", read_only=True)


def test_store_ingest_counts(db: duckdb.DuckDBPyConnection) -> None:
    assert counts(db) == (4, 9)
    row = db.execute("SELECT reported_by, location_lat, date FROM events "
                     "WHERE article_id = 'truce-1' AND location_name IS NOT NULL").fetchone()
    assert row is not None and row[0] == ["Daily Ledger", "UN officials"] and row[1] == -1.29


def test_store_ingest_twice_changes_nothing(db: duckdb.DuckDBPyConnection) -> None:
    before = db.execute("SELECT * FROM events ORDER BY event_id").fetchall()
    report = store.ingest(db, sample_pairs())
    assert report.articles_unchanged == 4 and report.articles_new == 0
    assert report.events_written == 0
    assert db.execute("SELECT * FROM events ORDER BY event_id").fetchall() == before


def test_store_ingest_changed_text_replaces_events(db: duckdb.DuckDBPyConnection) -> None:
    art = make_article("war-1", "Russian forces shelled Ukrainian positions near Kyiv.")
    ev = make_event("war-1", cameo="190", trigger="shelled",
                    sentence="Russian forces shelled Ukrainian positions near Kyiv.")
    report = store.ingest(db, [(art, [ev])])
    assert report.articles_updated == 1 and report.events_deleted == 3
    assert report.events_written == 1
    rows = db.execute("SELECT trigger FROM events WHERE article_id = 'war-1'").fetchall()
    assert rows == [("shelled",)]
    assert counts(db) == (4, 7)


@pytest.mark.parametrize("article_id", ["", "   "])
def test_store_ingest_without_id_uses_content_hash(tmp_path: Path, article_id: str) -> None:
    con = store.connect(tmp_path / "h.duckdb")
    art = make_article(article_id, "An article without an identifier.")
    ev = make_event(article_id, sentence="An article without an identifier.", trigger="without")
    store.ingest(con, [(art, [ev])])
    store.ingest(con, [(art, [ev])])
    key = f"sha-{art.content_hash}"
    assert con.execute("SELECT article_id FROM articles").fetchall() == [(key,)]
    assert con.execute("SELECT article_id FROM events").fetchall() == [(key,)]
    con.close()


def test_store_ingest_same_article_twice_in_one_batch(tmp_path: Path) -> None:
    con = store.connect(tmp_path / "b.duckdb")
    old = make_article("x", "First version of the text.")
    new = make_article("x", "Second version of the text.")
    report = store.ingest(con, [(old, [make_event("x")]), (new, [make_event("x", cameo="111")])])
    assert report.articles_new == 1
    assert con.execute("SELECT cameo FROM events").fetchall() == [("111",)]
    con.close()


def test_store_ingest_failure_leaves_no_half_article(db: duckdb.DuckDBPyConnection) -> None:
    taken = db.execute("SELECT event_id FROM events LIMIT 1").fetchone()
    assert taken is not None
    good = make_event("new-1", trigger="met", cameo="042")
    clash = replace(make_event("new-1", trigger="visited", cameo="042"), event_id=taken[0])
    with pytest.raises(StoreError, match="cannot write"):
        store.ingest(db, [(make_article("new-1"), [good, clash])])
    assert counts(db) == (4, 9)
    assert db.execute("SELECT count(*) FROM events WHERE article_id='new-1'").fetchone() == (0,)


def test_store_ingest_bad_date_is_store_error(tmp_path: Path) -> None:
    con = store.connect(tmp_path / "d.duckdb")
    with pytest.raises(StoreError, match="2022-13-45"):
        store.ingest(con, [(make_article("d", date="2022-13-45"), [])])
    con.close()


def test_store_readers_see_whole_articles_during_writes(tmp_path: Path) -> None:
    con = store.connect(tmp_path / "c.duckdb")
    done = threading.Event()
    bad: list[tuple[str, int, int]] = []

    def write() -> None:
        try:
            store.ingest(con.cursor(), synthetic_pairs(600, 4), batch_size=20)
        finally:
            done.set()

    writer = threading.Thread(target=write)
    writer.start()
    reader = con.cursor()
    checks = 0
    while not done.is_set() or checks < 3:
        bad += reader.execute(
            "SELECT a.article_id, a.n_events, count(e.event_id) FROM articles a "
            "LEFT JOIN events e USING (article_id) GROUP BY ALL "
            "HAVING a.n_events <> count(e.event_id)").fetchall()
        checks += 1
        time.sleep(0.01)
    writer.join()
    assert bad == []
    assert counts(con) == (600, 2400)
    con.close()


def test_store_second_writer_gets_locked_error(tmp_path: Path) -> None:
    path = tmp_path / "l.duckdb"
    store.connect(path).close()
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import duckdb, sys, time
            con = duckdb.connect({str(path)!r})
            print("ready", flush=True)
            sys.stdin.readline()
        """)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        with pytest.raises(StoreLockedError, match="another eventwire process"):
            store.connect(path)
    finally:
        assert holder.stdin is not None
        holder.stdin.write("\n")
        holder.stdin.close()
        holder.wait(timeout=20)


# -- query layer -------------------------------------------------------------

def ids(page: store.EventPage) -> set[tuple[str, str]]:
    return {(e["article_id"], e["trigger"]) for e in page.items}


@pytest.mark.parametrize(("params", "expected"), [
    ({}, 7),  # asserted only by default
    ({"modality": "all"}, 9),
    ({"modality": "negated"}, 1),
    ({"modality": "negated,hypothetical"}, 2),
    ({"start": "2022-03-01", "end": "2022-03-31"}, 3),
    ({"actor": "RUS"}, 5),
    ({"actor": "RUSGOV", "side": "source"}, 2),
    ({"actor": "rus", "side": "target"}, 3),
    ({"source": "USA", "target": "RUS"}, 1),
    ({"dyad": "UKR,RUS"}, 4),
    ({"cameo_root": "19"}, 1),
    ({"cameo_root": "4"}, 0),
    ({"cameo": "057,173"}, 3),
    ({"plover": "agree"}, 2),
    ({"quad_class": "4"}, 3),
    ({"quad_class": "1,2"}, 2),
    ({"outlet": "test wire"}, 4),
    ({"outlet": "Evening Post,Daily Ledger"}, 3),
    ({"reported_by": "un officials"}, 1),
    ({"q": "ceasefire"}, 2),
    ({"q": "100%"}, 0),
    ({"q": "_"}, 0),
    ({"article_id": "protest-1"}, 2),
    ({"location_country": "PER"}, 2),
    ({"country": "per"}, 2),
    ({"admin1": "nairobi area"}, 1),
    ({"bbox": "22,44,40,53"}, 1),  # west,south,east,north around Kyiv
    ({"bbox": "-180,-60,180,60"}, 4),
    ({"bbox": "170,-60,-170,60"}, 0),  # across the antimeridian: the Pacific
    ({"bbox": "30,-20,-80,60"}, 2),  # across the antimeridian: Kyiv and Nairobi, not Lima
    ({"located": "true"}, 4),
    ({"located": "false"}, 3),
])
def test_store_query_filters(db: duckdb.DuckDBPyConnection, params: dict[str, str],
                             expected: int) -> None:
    page = store.events(db, parse_filters(params), limit=100, with_total=True)
    assert len(page.items) == expected == page.total


@pytest.mark.parametrize(("params", "message"), [
    ({"colour": "red"}, "unknown filter 'colour'"),
    ({"start": "2022-05-01", "end": "2022-01-01"}, "after end"),
    ({"start": "yesterday"}, "not a date"),
    ({"side": "source"}, "needs an 'actor'"),
    ({"actor": "RUS", "side": "middle"}, "not one of"),
    ({"dyad": "RUS"}, "exactly two"),
    ({"dyad": "RUS,UKR", "source": "RUS"}, "cannot be combined"),
    ({"cameo_root": "21"}, "CAMEO root"),
    ({"cameo": "19a"}, "CAMEO code"),
    ({"quad_class": "5"}, "quad class"),
    ({"modality": "probable"}, "not one of"),
    ({"actor": "RUS' OR 1=1 --"}, "not an actor code"),
    ({"q": "x" * 500}, "longer than"),
    ({"located": "maybe"}, "true or false"),
    ({"bbox": "1,2,3"}, "west,south,east,north"),
    ({"bbox": "0,10,5,abc"}, "west,south,east,north"),
    ({"bbox": "0,50,10,40"}, "south <= north"),
    ({"bbox": "-200,0,10,10"}, "longitudes"),
])
def test_store_query_rejects_bad_filters(params: dict[str, str], message: str) -> None:
    with pytest.raises(FilterError, match=message):
        parse_filters(params)


@pytest.mark.parametrize("hostile", [
    "'; DROP TABLE events; --", "\" OR 1=1 --", "%' OR '1'='1", "\\", "ceasefire'); --",
])
def test_store_query_sql_looking_text_is_just_text(db: duckdb.DuckDBPyConnection,
                                                   hostile: str) -> None:
    for name in ("q", "outlet", "reported_by", "article_id"):
        page = store.events(db, parse_filters({name: hostile}))
        assert page.items == []
    assert store.get_event(db, hostile) is None and store.get_article(db, hostile) is None
    assert counts(db) == (4, 9)


def test_store_query_pagination_covers_each_event_once(tmp_path: Path) -> None:
    con = store.connect(tmp_path / "p.duckdb")
    store.ingest(con, synthetic_pairs(40, 5))
    # A few undated events exercise the NULLS LAST part of the cursor.
    store.ingest(con, [(make_article("undated"),
                        [make_event("undated", date=None, sentence_index=i) for i in range(3)])])
    filters = parse_filters({"modality": "all"})
    seen: list[str] = []
    cursor = None
    while True:
        page = store.events(con, filters, limit=7, cursor=cursor)
        seen += [e["event_id"] for e in page.items]
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert len(seen) == len(set(seen)) == 203
    con.close()


@pytest.mark.parametrize("cursor", ["garbage", "e30", "WyIyMDIyIl0", "!!!"])
def test_store_query_bad_cursor(db: duckdb.DuckDBPyConnection, cursor: str) -> None:
    with pytest.raises(FilterError, match="cursor"):
        store.events(db, cursor=cursor)


def test_store_query_event_and_article(db: duckdb.DuckDBPyConnection) -> None:
    art = store.get_article(db, "war-1")
    assert art is not None and art["outlet"] == "Test Wire" and art["date"] == "2022-02-25"
    assert [e["modality"] for e in art["events"]] == ["asserted", "asserted", "negated"]
    first = art["events"][0]
    assert first["source"]["code"] == "RUSGOV" and first["location"]["name"] == "Kyiv"
    assert first["trigger"] == "attacked" and first["span"] == [0, len(first["sentence"])]
    assert store.get_event(db, first["event_id"]) == first


def test_store_query_event_round_trips_to_record(db: duckdb.DuckDBPyConnection) -> None:
    original = sample_pairs()[1][1][0]
    stored = store.get_event(db, original.event_id)
    assert stored is not None
    stored.pop("outlet")
    assert stored == original.to_dict()


@pytest.mark.parametrize(("interval", "by", "expected"), [
    ("month", "none", [("2022-02-01", None, 2), ("2022-03-01", None, 3),
                       ("2022-04-01", None, 2)]),
    ("year", "quad_class", [("2022-01-01", "1", 0), ("2022-01-01", "2", 2),
                            ("2022-01-01", "3", 2), ("2022-01-01", "4", 3)]),
])
def test_store_query_series(db: duckdb.DuckDBPyConnection, interval: str, by: str,
                            expected: list[tuple[str, str | None, int]]) -> None:
    got = [(r["period"], r["key"], r["count"])
           for r in store.series(db, interval=interval, by=by)]
    assert got == [x for x in expected if x[2]]


def test_store_query_dyad_series_by_direction(db: duckdb.DuckDBPyConnection) -> None:
    rows = store.series(db, parse_filters({"dyad": "RUS,UKR"}), interval="month",
                        by="direction")
    got = {(r["period"], r["key"]): (r["count"], r["goldstein_sum"]) for r in rows}
    assert got == {("2022-02-01", "RUS->UKR"): (1, -10.0), ("2022-02-01", "UKR->RUS"): (1, -2.0),
                   ("2022-03-01", "RUS->UKR"): (1, 8.0), ("2022-03-01", "UKR->RUS"): (1, 8.0)}
    with pytest.raises(FilterError, match="dyad"):
        store.series(db, by="direction")


def test_store_query_top_actors_and_network(db: duckdb.DuckDBPyConnection) -> None:
    top = store.top_actors(db, by="country", limit=2)
    assert top[0] == {"actor": "RUS", "events": 5, "as_source": 2, "as_target": 3,
                      "goldstein_mean": -0.8}
    net = store.network(db, by="country")
    edges = {(e["source"], e["target"]): e["count"] for e in net["edges"]}
    assert edges == {("RUS", "UKR"): 2, ("UKR", "RUS"): 2, ("USA", "RUS"): 1,
                     ("PER", "PER"): 2}
    assert net["nodes"][0]["id"] == "RUS"


@pytest.mark.parametrize(("call", "message"), [
    (lambda con: store.series(con, interval="fortnight"), "interval"),
    (lambda con: store.series(con, by="colour"), "by"),
    (lambda con: store.top_actors(con, by="name"), "by"),
    (lambda con: store.network(con, limit=0), "limit"),
    (lambda con: store.events(con, limit=5000), "limit"),
])
def test_store_query_rejects_bad_options(db: duckdb.DuckDBPyConnection, call: object,
                                         message: str) -> None:
    with pytest.raises(FilterError, match=message):
        call(db)  # type: ignore[operator]


def test_store_unchanged_lists_only_same_text(db: duckdb.DuckDBPyConnection) -> None:
    same = sample_pairs()[0][0]
    edited = replace(sample_pairs()[1][0], text="A different text now.")
    new = make_article("never-seen")
    assert store.unchanged(db, [same, edited, new]) == {"war-1"}
    assert store.unchanged(db, []) == set()


def test_store_migrated_from_version_1_has_the_fresh_schema(tmp_path: Path) -> None:
    # the same tables, columns (in order, with types), indexes and constraints
    # whether a store was created today or migrated up from version 1
    from eventwire.store import schema

    def layout(con: duckdb.DuckDBPyConnection) -> list[object]:
        return [con.execute(sql).fetchall() for sql in (
            "SELECT table_name, column_name, ordinal_position, data_type, is_nullable "
            "FROM information_schema.columns ORDER BY ALL",
            "SELECT table_name, index_name, sql FROM duckdb_indexes() ORDER BY ALL",
            "SELECT table_name, constraint_type, constraint_text FROM duckdb_constraints() "
            "ORDER BY ALL",
            "SELECT version FROM schema_version ORDER BY version")]

    fresh = store.connect(tmp_path / "fresh.duckdb")
    old = duckdb.connect(str(tmp_path / "v1.duckdb"))
    old.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, "
                "applied_at TIMESTAMP NOT NULL)")
    schema.MIGRATIONS[0](old)
    old.execute("INSERT INTO schema_version VALUES (1, current_timestamp)")
    old.close()
    migrated = store.connect(tmp_path / "v1.duckdb")
    assert layout(migrated) == layout(fresh)
    fresh.close()
    migrated.close()
