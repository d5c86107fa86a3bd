"""The merged view: one row per real-world event, kept beside the raw events.

`merged_events` holds one merged record per cluster (eventwire.merge) and
`merged_mentions` links each raw event to its merged record. Both are
derived data: `rebuild_merged` recomputes them from `events`, and
`refresh_merged(con, article_ids)` recomputes only the blocks (modality,
CAMEO root, dyad) that those articles' events touch, before and after their
change. Either runs in one transaction, so readers see the old or the new
view, never half of one.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from .. import merge as merge_mod
from ..errors import StoreError
from ..output import clip, fixed_width, write_csv, write_jsonl
from .columns import (
    ACTOR_PARTS,
    CODED_COLUMNS,
    EVENT_COLUMNS,
    LOCATION_PARTS,
    iso,
    parse_date,
    row_to_event,
)
from .query import (
    MAX_LIMIT,
    EventPage,
    FilterError,
    Filters,
    after_cursor,
    encode_cursor,
    where_clause,
)
from .txn import transaction

MERGED_COLUMNS: tuple[tuple[str, pa.DataType], ...] = (
    ("merged_id", pa.string()),
    ("block", pa.string()),
    ("date", pa.date32()),
    ("date_precision", pa.string()),
    ("first_report_date", pa.date32()),
    ("last_report_date", pa.date32()),
    *CODED_COLUMNS,
    ("sentence", pa.string()),
    ("trigger", pa.string()),
    ("article_id", pa.string()),
    ("event_id", pa.string()),
    ("confidence", pa.float64()),
    ("reported_by", pa.list_(pa.string())),
    ("outlets", pa.list_(pa.string())),
    ("n_mentions", pa.int32()),
    ("n_articles", pa.int32()),
    ("n_outlets", pa.int32()),
    ("event_ids", pa.list_(pa.string())),
    ("article_ids", pa.list_(pa.string())),
)
MERGED_SCHEMA = pa.schema(list(MERGED_COLUMNS))
MENTION_SCHEMA = pa.schema([("merged_id", pa.string()), ("event_id", pa.string()),
                            ("article_id", pa.string())])

_ACTOR_SQL = ("CASE WHEN e.{s}_code IS NULL AND e.{s}_text IS NULL THEN '-' "
              "ELSE coalesce(e.{s}_country, e.{s}_code, '?') END")


def _load_events(con: duckdb.DuckDBPyConnection, blocks: set[str] | None
                 ) -> list[dict[str, Any]]:
    sql = (f"SELECT {EVENT_COLUMNS} FROM events e "
           "LEFT JOIN articles a ON a.article_id = e.article_id")
    params: list[Any] = []
    if blocks is not None:
        if not blocks:
            return []
        # Coarse SQL filter by roots and countries; the exact block test is below.
        roots = sorted({b.split("|")[1] for b in blocks})
        actors = sorted({x for b in blocks for x in b.split("|")[3:5]})
        sql += (" WHERE e.cameo_root = ANY(?) AND " + _ACTOR_SQL.format(s="source")
                + " = ANY(?) AND " + _ACTOR_SQL.format(s="target") + " = ANY(?)")
        params = [roots, actors, actors]
    rows = [row_to_event(r) for r in con.execute(sql, params).fetchall()]
    if blocks is None:
        return rows
    return [r for r in rows if merge_mod.block_key(r) in blocks]


def _replace(con: duckdb.DuckDBPyConnection, blocks: set[str] | None,
             events: Sequence[dict[str, Any]], rule: merge_mod.MergeRule | None = None) -> int:
    """Swap the merged rows of `blocks` (None: all) for ones computed from `events`."""
    merged = merge_mod.merge(events, rule)
    if blocks is None:
        con.execute("DELETE FROM merged_mentions")
        con.execute("DELETE FROM merged_events")
    elif blocks:
        con.execute("DELETE FROM merged_mentions WHERE merged_id IN "
                    "(SELECT merged_id FROM merged_events WHERE block = ANY(?))", [sorted(blocks)])
        con.execute("DELETE FROM merged_events WHERE block = ANY(?)", [sorted(blocks)])
    if not merged:
        return 0
    events_tbl = merged_table(merged)
    mentions = {"merged_id": [], "event_id": [], "article_id": []}  # type: dict[str, list[Any]]
    by_id = {str(e["event_id"]): e for e in events}
    for m in merged:
        for eid in m["event_ids"]:
            mentions["merged_id"].append(m["merged_id"])
            mentions["event_id"].append(eid)
            mentions["article_id"].append(by_id[eid]["article_id"])
    mentions_tbl = pa.table(mentions, schema=MENTION_SCHEMA)
    con.register("_ew_merged", events_tbl)
    con.register("_ew_mentions", mentions_tbl)
    try:
        con.execute("INSERT INTO merged_events BY NAME SELECT * FROM _ew_merged")
        con.execute("INSERT INTO merged_mentions BY NAME SELECT * FROM _ew_mentions")
    finally:
        for name in ("_ew_merged", "_ew_mentions"):
            with contextlib.suppress(duckdb.Error):
                con.unregister(name)
    return len(merged)


def merged_table(merged: Iterable[dict[str, Any]]) -> pa.Table:
    cols: dict[str, list[Any]] = {name: [] for name in MERGED_SCHEMA.names}
    for m in merged:
        for name in MERGED_SCHEMA.names:
            side, _, part = name.partition("_")
            if side in ("source", "target") and part in ACTOR_PARTS:
                cols[name].append((m.get(side) or {}).get(part))
            elif name.startswith("location_"):
                cols[name].append((m.get("location") or {}).get(name[len("location_"):]))
            elif name in ("date", "first_report_date", "last_report_date"):
                cols[name].append(parse_date(m.get(name)))
            else:
                cols[name].append(m.get(name))
    return pa.table(cols, schema=MERGED_SCHEMA)


def _in_transaction(con: duckdb.DuckDBPyConnection, work: Any) -> int:
    return int(transaction(con, work, "update the merged view"))


def rebuild_merged(con: duckdb.DuckDBPyConnection,
                   rule: merge_mod.MergeRule | None = None) -> int:
    """Recompute the whole merged view; returns the number of merged events."""
    return _in_transaction(con, lambda: _replace(con, None, _load_events(con, None), rule))


def refresh_merged(con: duckdb.DuckDBPyConnection, article_ids: Iterable[str],
                   rule: merge_mod.MergeRule | None = None) -> int:
    """Recompute the blocks touched by these articles (new, changed or replaced events)."""
    ids = sorted(set(article_ids))
    if not ids:
        return 0

    def work() -> int:
        blocks = {merge_mod.block_key(row_to_event(r)) for r in con.execute(
            f"SELECT {EVENT_COLUMNS} FROM events e LEFT JOIN articles a "
            "ON a.article_id = e.article_id WHERE e.article_id = ANY(?)", [ids]).fetchall()}
        blocks |= {r[0] for r in con.execute(
            "SELECT DISTINCT m.block FROM merged_events m JOIN merged_mentions mm "
            "ON mm.merged_id = m.merged_id WHERE mm.article_id = ANY(?)", [ids]).fetchall()}
        _replace(con, blocks, _load_events(con, blocks), rule)
        return len(blocks)

    return _in_transaction(con, work)


# -- queries -----------------------------------------------------------------------

_MERGED_SELECT = ", ".join(f"m.{n}" for n in MERGED_SCHEMA.names)


def row_to_merged(row: Sequence[Any]) -> dict[str, Any]:
    r = dict(zip(MERGED_SCHEMA.names, row, strict=True))

    def actor(side: str) -> dict[str, Any] | None:
        if r[f"{side}_code"] is None and r[f"{side}_text"] is None:
            return None
        return {p: r[f"{side}_{p}"] for p in ACTOR_PARTS}

    loc = None
    if r["location_name"] is not None:
        loc = {p: r[f"location_{p}"] for p in LOCATION_PARTS}
    return {
        "merged_id": r["merged_id"], "date": iso(r["date"]),
        "date_precision": r["date_precision"],
        "first_report_date": iso(r["first_report_date"]),
        "last_report_date": iso(r["last_report_date"]),
        "source": actor("source"), "target": actor("target"),
        "cameo": r["cameo"], "cameo_root": r["cameo_root"], "cameo_name": r["cameo_name"],
        "goldstein": r["goldstein"], "quad_class": r["quad_class"], "plover": r["plover"],
        "plover_mode": r["plover_mode"], "modality": r["modality"], "location": loc,
        "sentence": r["sentence"], "trigger": r["trigger"],
        "article_id": r["article_id"], "event_id": r["event_id"],
        "confidence": r["confidence"], "reported_by": list(r["reported_by"] or []),
        "outlets": list(r["outlets"] or []), "n_mentions": r["n_mentions"],
        "n_articles": r["n_articles"], "n_outlets": r["n_outlets"],
        "event_ids": list(r["event_ids"] or []), "article_ids": list(r["article_ids"] or []),
    }


def _merged_where(f: Filters) -> tuple[str, list[Any]]:
    """Merged events with at least one mention that matches the raw-event filters."""
    where, params = where_clause(f)
    join = " LEFT JOIN articles a ON a.article_id = e.article_id" if f.outlet else ""
    return (f"m.merged_id IN (SELECT mm.merged_id FROM merged_mentions mm JOIN events e "
            f"ON e.event_id = mm.event_id{join} WHERE {where})"), params


def merged_events(con: duckdb.DuckDBPyConnection, filters: Filters | None = None, *,
                  limit: int | None = 50, cursor: str | None = None,
                  with_total: bool = False) -> EventPage:
    """Merged events newest first (then by merged_id), with keyset pagination."""
    f = filters or Filters()
    if limit is not None and not 1 <= limit <= MAX_LIMIT:
        raise FilterError(f"must be between 1 and {MAX_LIMIT}", field="limit")
    where, params = _merged_where(f)
    after, after_params = after_cursor(cursor, "m.date", "m.merged_id")
    page_where, page_params = where + after, [*params, *after_params]
    sql = (f"SELECT {_MERGED_SELECT} FROM merged_events m WHERE {page_where} "
           "ORDER BY m.date DESC NULLS LAST, m.merged_id DESC")
    if limit is not None:
        sql += " LIMIT ?"
        page_params.append(limit + 1)
    rows = [row_to_merged(r) for r in con.execute(sql, page_params).fetchall()]
    next_cursor = None
    if limit is not None and len(rows) > limit:
        rows = rows[:limit]
        last = rows[-1]
        next_cursor = encode_cursor(dt.date.fromisoformat(last["date"]) if last["date"] else None,
                                    last["merged_id"])
    total = None
    if with_total:
        row = con.execute(f"SELECT count(*) FROM merged_events m WHERE {where}",
                          params).fetchone()
        total = int(row[0]) if row else 0
    return EventPage(rows, next_cursor, total)


def iter_merged(con: duckdb.DuckDBPyConnection, filters: Filters | None = None,
                *, batch: int = 10_000) -> Iterator[dict[str, Any]]:
    where, params = _merged_where(filters or Filters())
    cur = con.execute(f"SELECT {_MERGED_SELECT} FROM merged_events m WHERE {where} "
                      "ORDER BY m.date DESC NULLS LAST, m.merged_id DESC", params)
    while rows := cur.fetchmany(batch):
        yield from (row_to_merged(r) for r in rows)


def get_merged(con: duckdb.DuckDBPyConnection, merged_id: str) -> dict[str, Any] | None:
    """One merged event with every mention (raw event records)."""
    row = con.execute(f"SELECT {_MERGED_SELECT} FROM merged_events m WHERE m.merged_id = ?",
                      [merged_id]).fetchone()
    if row is None:
        return None
    out = row_to_merged(row)
    mentions = con.execute(
        f"SELECT {EVENT_COLUMNS} FROM merged_mentions mm JOIN events e "
        "ON e.event_id = mm.event_id LEFT JOIN articles a ON a.article_id = e.article_id "
        "WHERE mm.merged_id = ? ORDER BY e.report_date, e.article_id, e.sentence_index",
        [merged_id]).fetchall()
    out["mentions"] = [row_to_event(r) for r in mentions]
    return out


# -- output ------------------------------------------------------------------------

MERGED_CSV = ("merged_id", "date", "date_precision", "source_code", "target_code", "cameo",
              "cameo_name", "plover", "quad_class", "goldstein", "modality", "n_mentions",
              "n_articles", "n_outlets", "outlets", "first_report_date", "location_name",
              "reported_by", "event_ids", "sentence")


def _flat(m: dict[str, Any]) -> dict[str, Any]:
    out = {k: m.get(k) for k in MERGED_CSV}
    out["source_code"] = (m.get("source") or {}).get("code")
    out["target_code"] = (m.get("target") or {}).get("code")
    out["location_name"] = (m.get("location") or {}).get("name")
    for k in ("outlets", "reported_by", "event_ids"):
        out[k] = "; ".join(m.get(k) or [])
    return out


def write_merged(rows: Iterable[dict[str, Any]], fmt: str, out: IO[str] | None,
                 path: str | None = None) -> int:
    """Merged events as table, jsonl, csv (to `out`) or parquet (to `path`)."""
    if fmt == "parquet":
        if not path:
            raise StoreError("--format parquet needs -o OUT (a file)")
        items = list(rows)
        try:
            pq.write_table(merged_table(items), str(Path(path)))
        except OSError as exc:
            raise StoreError(f"{path}: cannot write Parquet: {exc}") from None
        return len(items)
    assert out is not None
    if fmt == "jsonl":
        return write_jsonl(rows, out)
    if fmt == "csv":
        return write_csv((_flat(m) for m in rows), out, MERGED_CSV, lineterminator="\n")
    if fmt == "table":
        return _table(list(rows), out)
    raise StoreError(f"unknown format '{fmt}' for merged events")


def _table(rows: list[dict[str, Any]], out: IO[str], width: int = 60) -> int:
    head = ("date", "source", "target", "cameo", "plover", "mentions", "articles", "outlets",
            "sentence")
    out.write(fixed_width(head, [(
        m.get("date") or "", (m.get("source") or {}).get("code") or "-",
        (m.get("target") or {}).get("code") or "-", m.get("cameo") or "",
        m.get("plover") or "", str(m["n_mentions"]), str(m["n_articles"]),
        str(m["n_outlets"]), clip(" ".join(str(m.get("sentence") or "").split()), width),
    ) for m in rows]))
    return len(rows)


def stale_articles(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Articles whose events and merged mentions disagree (new, replaced or deleted events)."""
    rows = con.execute(
        "SELECT e.article_id FROM events e ANTI JOIN merged_mentions mm "
        "ON mm.event_id = e.event_id "
        "UNION SELECT mm.article_id FROM merged_mentions mm ANTI JOIN events e "
        "ON e.event_id = mm.event_id").fetchall()
    return sorted({r[0] for r in rows})


def sync_merged(con: duckdb.DuckDBPyConnection,
                rule: merge_mod.MergeRule | None = None) -> int:
    """Bring the merged view up to date with the events; returns blocks recomputed.

    Safe to call at any time: after an ingest, after an interrupted one (the
    events committed before a kill are found by their missing mentions), or
    after writes through the API."""
    return refresh_merged(con, stale_articles(con), rule)
