"""The query layer: one set of validated filters, parameterized SQL only.

The CLI (`eventwire events`, `export`), the HTTP API and the dashboard all
call these functions. Filters arrive as strings (query parameters, CLI
options) and are validated by `parse_filters`; values only ever reach SQL as
bound parameters, never as SQL text.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, fields
from typing import Any, Literal

import duckdb

from ..errors import EventwireError
from ..records import MODALITIES
from .columns import EVENT_COLUMNS, iso, row_to_event

Interval = Literal["day", "week", "month", "year"]
INTERVALS: tuple[str, ...] = ("day", "week", "month", "year")
SERIES_BY: tuple[str, ...] = ("none", "quad_class", "direction", "plover", "cameo_root", "modality")
MAX_LIMIT = 1000
MAX_TEXT = 200

_ACTOR = re.compile(r"^[A-Z0-9]{2,30}$")
_CAMEO = re.compile(r"^\d{2,4}$")
_PLOVER = re.compile(r"^[A-Z_]{2,30}$")


class FilterError(EventwireError):
    """A filter or query parameter that is unknown, malformed or contradictory."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        self.field = field
        super().__init__(f"{field}: {message}" if field else message)


@dataclass(frozen=True, slots=True)
class Filters:
    """Validated event filters. Empty tuples and None mean 'no filter'."""

    start: dt.date | None = None
    end: dt.date | None = None
    actor: str | None = None          # code (RUSGOV) or country (RUS)
    side: str = "either"              # where `actor` must appear: source | target | either
    source: str | None = None
    target: str | None = None
    dyad: tuple[str, str] | None = None   # two actors, events between them in either direction
    cameo: tuple[str, ...] = ()
    cameo_root: tuple[str, ...] = ()
    plover: tuple[str, ...] = ()
    quad_class: tuple[int, ...] = ()
    outlet: tuple[str, ...] = ()      # the article's outlet, case-insensitive
    reported_by: str | None = None    # one of the event's cited sources, case-insensitive
    modality: tuple[str, ...] = ("asserted",)
    q: str | None = None              # text search in the evidence sentence
    article_id: str | None = None
    location_country: str | None = None
    country: str | None = None        # the same, by its short name (ISO3 of the location)
    admin1: str | None = None         # the location's province or state, case-insensitive
    bbox: tuple[float, float, float, float] | None = None  # west, south, east, north
    located: bool | None = None       # only events with (or without) coordinates


FILTER_NAMES: tuple[str, ...] = tuple(f.name for f in fields(Filters))


def _split(value: str) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()]


def _date(name: str, value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise FilterError(f"'{value[:40]}' is not a date (YYYY-MM-DD)", field=name) from None


def _actor(name: str, value: str) -> str:
    code = value.strip().upper()
    if not _ACTOR.match(code):
        raise FilterError(
            f"'{value[:40]}' is not an actor code or country (letters/digits, e.g. RUS or RUSGOV)",
            field=name,
        )
    return code


def _bool(name: str, value: str) -> bool:
    low = value.strip().lower()
    if low in ("1", "true", "yes"):
        return True
    if low in ("0", "false", "no"):
        return False
    raise FilterError(f"'{value[:40]}' is not true or false", field=name)


def _text(name: str, value: str) -> str:
    if len(value) > MAX_TEXT:
        raise FilterError(f"longer than {MAX_TEXT} characters", field=name)
    return value


def parse_filters(params: Mapping[str, str | None]) -> Filters:
    """Validate string parameters into Filters; unknown or contradictory ones raise FilterError."""
    unknown = sorted(k for k in params if k not in FILTER_NAMES)
    if unknown:
        raise FilterError(f"unknown filter '{unknown[0][:40]}'; known filters: "
                          + ", ".join(FILTER_NAMES))
    raw = {k: v for k, v in params.items() if v is not None and str(v).strip() != ""}
    out: dict[str, Any] = {}
    for name in ("start", "end"):
        if name in raw:
            out[name] = _date(name, str(raw[name]))
    if out.get("start") and out.get("end") and out["start"] > out["end"]:
        raise FilterError(f"start {out['start']} is after end {out['end']}", field="start")
    for name in ("actor", "source", "target", "location_country", "country"):
        if name in raw:
            out[name] = _actor(name, str(raw[name]))
    if "side" in raw:
        side = str(raw["side"]).strip().lower()
        if side not in ("source", "target", "either"):
            raise FilterError(f"'{side[:40]}' is not one of source, target, either", field="side")
        if "actor" not in out:
            raise FilterError("'side' needs an 'actor' filter", field="side")
        out["side"] = side
    if "dyad" in raw:
        parts = [_actor("dyad", p) for p in _split(str(raw["dyad"]))]
        if len(parts) != 2:
            raise FilterError("needs exactly two actors separated by a comma, e.g. RUS,UKR",
                              field="dyad")
        if "source" in out or "target" in out:
            raise FilterError("'dyad' cannot be combined with 'source' or 'target'", field="dyad")
        out["dyad"] = (parts[0], parts[1])
    if "cameo" in raw:
        codes = _split(str(raw["cameo"]))
        for c in codes:
            if not _CAMEO.match(c):
                raise FilterError(f"'{c[:40]}' is not a CAMEO code (2-4 digits)", field="cameo")
        out["cameo"] = tuple(codes)
    if "cameo_root" in raw:
        roots = _split(str(raw["cameo_root"]))
        for r in roots:
            if not (r.isdigit() and 1 <= int(r) <= 20 and len(r) <= 2):
                raise FilterError(f"'{r[:40]}' is not a CAMEO root (01-20)", field="cameo_root")
        out["cameo_root"] = tuple(f"{int(r):02d}" for r in roots)
    if "plover" in raw:
        types = [p.upper() for p in _split(str(raw["plover"]))]
        for p in types:
            if not _PLOVER.match(p):
                raise FilterError(f"'{p[:40]}' is not a PLOVER type", field="plover")
        out["plover"] = tuple(types)
    if "quad_class" in raw:
        quads = _split(str(raw["quad_class"]))
        for qc in quads:
            if qc not in ("1", "2", "3", "4"):
                raise FilterError(f"'{qc[:40]}' is not a quad class (1-4)", field="quad_class")
        out["quad_class"] = tuple(int(qc) for qc in quads)
    if "outlet" in raw:
        out["outlet"] = tuple(_text("outlet", o).lower() for o in _split(str(raw["outlet"])))
    if "reported_by" in raw:
        out["reported_by"] = _text("reported_by", str(raw["reported_by"]).strip()).lower()
    if "modality" in raw:
        mods = [m.lower() for m in _split(str(raw["modality"]))]
        if mods in (["all"], ["any"]):
            mods = list(MODALITIES)
        for m in mods:
            if m not in MODALITIES:
                raise FilterError(f"'{m[:40]}' is not one of {', '.join(MODALITIES)}, all",
                                  field="modality")
        out["modality"] = tuple(mods)
    if "q" in raw:
        out["q"] = _text("q", str(raw["q"]))
    if "article_id" in raw:
        out["article_id"] = _text("article_id", str(raw["article_id"]))
    if "located" in raw:
        out["located"] = _bool("located", str(raw["located"]))
    if "admin1" in raw:
        out["admin1"] = _text("admin1", str(raw["admin1"]).strip()).lower()
    if "bbox" in raw:
        out["bbox"] = _bbox(str(raw["bbox"]))
    return Filters(**out)


def _bbox(value: str) -> tuple[float, float, float, float]:
    """'west,south,east,north' in degrees; west > east crosses the antimeridian."""
    parts = _split(value)
    try:
        west, south, east, north = (float(p) for p in parts)
    except ValueError:
        raise FilterError(f"'{value[:60]}' is not west,south,east,north in degrees "
                          "(e.g. 22,44,40,53)", field="bbox") from None
    if not (-180 <= west <= 180 and -180 <= east <= 180 and -90 <= south <= north <= 90):
        raise FilterError(f"'{value[:60]}': longitudes must be in -180..180 and "
                          "-90 <= south <= north <= 90", field="bbox")
    return west, south, east, north


def _like(value: str) -> str:
    """A LIKE pattern matching `value` literally anywhere ('%' and '_' escaped)."""
    escaped = value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def where_clause(f: Filters) -> tuple[str, list[Any]]:
    """SQL conditions over `events e` (joined to `articles a`) with their parameters."""
    conds: list[str] = []
    params: list[Any] = []

    def actor_cond(side: str, value: str) -> str:
        params.extend([value, value])
        return f"(e.{side}_code = ? OR e.{side}_country = ?)"

    if f.start:
        conds.append("e.date >= ?")
        params.append(f.start)
    if f.end:
        conds.append("e.date <= ?")
        params.append(f.end)
    if f.actor:
        if f.side == "either":
            conds.append(f"({actor_cond('source', f.actor)} OR {actor_cond('target', f.actor)})")
        else:
            conds.append(actor_cond(f.side, f.actor))
    if f.source:
        conds.append(actor_cond("source", f.source))
    if f.target:
        conds.append(actor_cond("target", f.target))
    if f.dyad:
        a, b = f.dyad
        ab = f"({actor_cond('source', a)} AND {actor_cond('target', b)})"
        ba = f"({actor_cond('source', b)} AND {actor_cond('target', a)})"
        conds.append(f"({ab} OR {ba})")
    for column, values in (("cameo", f.cameo), ("cameo_root", f.cameo_root),
                           ("plover", f.plover), ("quad_class", f.quad_class),
                           ("modality", f.modality)):
        if values:
            conds.append(f"e.{column} IN ({', '.join('?' for _ in values)})")
            params.extend(values)
    if f.outlet:
        conds.append(f"lower(a.outlet) IN ({', '.join('?' for _ in f.outlet)})")
        params.extend(f.outlet)
    if f.reported_by:
        conds.append("EXISTS (SELECT 1 FROM unnest(e.reported_by) AS r(x) WHERE lower(r.x) = ?)")
        params.append(f.reported_by)
    if f.q:
        conds.append("e.sentence ILIKE ? ESCAPE '\\'")
        params.append(_like(f.q))
    if f.article_id:
        conds.append("e.article_id = ?")
        params.append(f.article_id)
    for country in (f.location_country, f.country):
        if country:
            conds.append("e.location_country = ?")
            params.append(country)
    if f.admin1:
        conds.append("lower(e.location_admin1) = ?")
        params.append(f.admin1)
    if f.bbox:
        west, south, east, north = f.bbox
        conds.append("e.location_lat BETWEEN ? AND ?")
        params.extend([south, north])
        if west <= east:
            conds.append("e.location_lon BETWEEN ? AND ?")
        else:
            conds.append("(e.location_lon >= ? OR e.location_lon <= ?)")
        params.extend([west, east])
    if f.located is not None:
        conds.append("e.location_lat IS NOT NULL" if f.located else "e.location_lat IS NULL")
    return (" AND ".join(conds) or "TRUE"), params


_FROM = "FROM events e LEFT JOIN articles a ON a.article_id = e.article_id"


@dataclass(frozen=True, slots=True)
class EventPage:
    items: list[dict[str, Any]]
    next_cursor: str | None
    total: int | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"items": self.items, "next_cursor": self.next_cursor}
        if self.total is not None:
            out["total"] = self.total
        return out


def encode_cursor(date: dt.date | None, event_id: str) -> str:
    raw = json.dumps([iso(date), event_id], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[dt.date | None, str]:
    try:
        pad = "=" * (-len(cursor) % 4)
        date_s, event_id = json.loads(base64.urlsafe_b64decode(cursor + pad))
        if not isinstance(event_id, str) or not (date_s is None or isinstance(date_s, str)):
            raise ValueError("bad cursor shape")
        return (dt.date.fromisoformat(date_s) if date_s else None), event_id
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
        raise FilterError("not a cursor returned by this API", field="cursor") from None


def after_cursor(cursor: str | None, date_col: str, id_col: str) -> tuple[str, list[Any]]:
    """SQL (with a leading AND) and parameters for the rows after a keyset cursor,
    in the order `date DESC NULLS LAST, id DESC`."""
    if not cursor:
        return "", []
    c_date, c_id = decode_cursor(cursor)
    if c_date is None:
        return f" AND ({date_col} IS NULL AND {id_col} < ?)", [c_id]
    return (f" AND ({date_col} < ? OR ({date_col} = ? AND {id_col} < ?) OR {date_col} IS NULL)",
            [c_date, c_date, c_id])


def events(con: duckdb.DuckDBPyConnection, filters: Filters | None = None, *,
           limit: int | None = 50, cursor: str | None = None,
           with_total: bool = False) -> EventPage:
    """Events newest first (then by event_id), with keyset pagination."""
    f = filters or Filters()
    if limit is not None and not 1 <= limit <= MAX_LIMIT:
        raise FilterError(f"must be between 1 and {MAX_LIMIT}", field="limit")
    where, params = where_clause(f)
    after, after_params = after_cursor(cursor, "e.date", "e.event_id")
    page_where, page_params = where + after, [*params, *after_params]
    # Late materialization: rank narrow columns first, then read the wide ones
    # (sentence, lists) of the page's rows only; this halves the cost of a page.
    sql = (f"SELECT e.rowid, e.event_id, e.date {_from(f)} WHERE {page_where} "
           "ORDER BY e.date DESC NULLS LAST, e.event_id DESC")
    if limit is not None:
        sql += " LIMIT ?"
        page_params.append(limit + 1)  # one more tells whether there is a next page
    keys = con.execute(sql, page_params).fetchall()
    next_cursor = None
    if limit is not None and len(keys) > limit:
        keys = keys[:limit]
        next_cursor = encode_cursor(keys[-1][2], keys[-1][1])
    rows = _fetch_rows(con, keys)
    total = None
    if with_total:
        row = con.execute(f"SELECT count(*) {_from(f)} WHERE {where}", params).fetchone()
        total = int(row[0]) if row else 0
    return EventPage(rows, next_cursor, total)


def _from(f: Filters) -> str:
    """The article join is needed only to filter by outlet."""
    return _FROM if f.outlet else "FROM events e"


def _fetch_rows(con: duckdb.DuckDBPyConnection,
                keys: list[tuple[Any, ...]]) -> list[dict[str, Any]]:
    """Full records for (rowid, event_id, date) keys, in the keys' order."""
    if not keys:
        return []
    wanted = [k[1] for k in keys]
    cols = EVENT_COLUMNS.replace("a.outlet", "NULL")
    rows = con.execute(f"SELECT {cols} FROM events e WHERE e.rowid = ANY(?::BIGINT[])",
                       [[k[0] for k in keys]]).fetchall()
    by_id = {r[0]: r for r in rows}
    if set(by_id) != set(wanted):
        # A write between the two statements moved rows; look them up by id instead.
        rows = con.execute(f"SELECT {cols} FROM events e WHERE e.event_id = ANY(?)",
                           [wanted]).fetchall()
        by_id = {r[0]: r for r in rows}
    outlets = dict(con.execute(
        "SELECT article_id, outlet FROM articles WHERE article_id = ANY(?)",
        [list({r[1] for r in by_id.values()})]).fetchall())
    out = []
    for i in wanted:
        if i in by_id:
            event = row_to_event(by_id[i])
            event["outlet"] = outlets.get(event["article_id"])
            out.append(event)
    return out


def iter_events(con: duckdb.DuckDBPyConnection, filters: Filters | None = None,
                *, batch: int = 10_000) -> Iterator[dict[str, Any]]:
    """Every matching event, streamed in stable order (for export)."""
    where, params = where_clause(filters or Filters())
    cur = con.execute(f"SELECT {EVENT_COLUMNS} {_FROM} WHERE {where} "
                      "ORDER BY e.date DESC NULLS LAST, e.event_id DESC", params)
    while rows := cur.fetchmany(batch):
        yield from (row_to_event(r) for r in rows)


def get_event(con: duckdb.DuckDBPyConnection, event_id: str) -> dict[str, Any] | None:
    row = con.execute(f"SELECT {EVENT_COLUMNS} {_FROM} WHERE e.event_id = ?",
                      [event_id]).fetchone()
    return row_to_event(row) if row else None


def get_article(con: duckdb.DuckDBPyConnection, article_id: str) -> dict[str, Any] | None:
    """One article with all its events (every modality), in sentence order."""
    row = con.execute(
        "SELECT article_id, content_hash, date, title, url, outlet, origin, text, n_events, "
        "ingested_at FROM articles WHERE article_id = ?", [article_id]).fetchone()
    if row is None:
        return None
    evs = con.execute(
        f"SELECT {EVENT_COLUMNS} {_FROM} WHERE e.article_id = ? "
        "ORDER BY e.sentence_index, e.span_start, e.event_id", [article_id]).fetchall()
    return {
        "id": row[0], "content_hash": row[1], "date": iso(row[2]), "title": row[3],
        "url": row[4], "outlet": row[5], "origin": row[6], "text": row[7],
        "n_events": row[8], "ingested_at": row[9].isoformat() if row[9] else None,
        "events": [row_to_event(r) for r in evs],
    }


def _check_choice(name: str, value: str, choices: tuple[str, ...]) -> None:
    if value not in choices:
        raise FilterError(f"'{value[:40]}' is not one of {', '.join(choices)}", field=name)


def series(con: duckdb.DuckDBPyConnection, filters: Filters | None = None, *,
           interval: str = "month", by: str = "none") -> list[dict[str, Any]]:
    """Event counts and Goldstein sums per period, optionally split by a key.

    `by="direction"` needs a `dyad` filter (A,B) and splits A->B from B->A.
    Events without a date are left out.
    """
    f = filters or Filters()
    _check_choice("interval", interval, INTERVALS)
    _check_choice("by", by, SERIES_BY)
    where, params = where_clause(f)
    key_params: list[Any] = []
    if by == "none":
        key = "NULL"
    elif by == "direction":
        if not f.dyad:
            raise FilterError("by=direction needs a 'dyad' filter, e.g. dyad=RUS,UKR", field="by")
        a, b = f.dyad
        key = "CASE WHEN (e.source_code = ? OR e.source_country = ?) THEN ? ELSE ? END"
        key_params = [a, a, f"{a}->{b}", f"{b}->{a}"]
    else:
        key = f"CAST(e.{by} AS VARCHAR)"
    sql = (f"SELECT CAST(date_trunc('{interval}', e.date) AS DATE) AS period, {key} AS k, count(*), "
           f"sum(e.goldstein), avg(e.goldstein) {_FROM} WHERE {where} AND e.date IS NOT NULL "
           "GROUP BY ALL ORDER BY period, k")
    # `interval` is one of INTERVALS (checked above), never user text in SQL.
    rows = con.execute(sql, key_params + params).fetchall()
    return [
        {"period": iso(r[0]), "key": r[1], "count": int(r[2]),
         "goldstein_sum": None if r[3] is None else round(float(r[3]), 3),
         "goldstein_mean": None if r[4] is None else round(float(r[4]), 3)}
        for r in rows
    ]


def top_actors(con: duckdb.DuckDBPyConnection, filters: Filters | None = None, *,
               by: str = "code", role: str = "either", limit: int = 20) -> list[dict[str, Any]]:
    """Most frequent actors (codes or countries) as source, target or either."""
    _check_choice("by", by, ("code", "country"))
    _check_choice("role", role, ("source", "target", "either"))
    if not 1 <= limit <= MAX_LIMIT:
        raise FilterError(f"must be between 1 and {MAX_LIMIT}", field="limit")
    where, params = where_clause(filters or Filters())
    parts = []
    all_params: list[Any] = []
    for side in ("source", "target"):
        if role in (side, "either"):
            parts.append(f"SELECT e.{side}_{by} AS actor, '{side}' AS role, e.goldstein AS g "
                         f"{_FROM} WHERE {where} AND e.{side}_{by} IS NOT NULL")
            all_params.extend(params)
    sql = ("SELECT actor, count(*) AS n, count(*) FILTER (WHERE role = 'source'), "
           "count(*) FILTER (WHERE role = 'target'), avg(g) FROM ("
           + " UNION ALL ".join(parts) + ") GROUP BY actor ORDER BY n DESC, actor LIMIT ?")
    rows = con.execute(sql, [*all_params, limit]).fetchall()
    return [{"actor": r[0], "events": int(r[1]), "as_source": int(r[2]),
             "as_target": int(r[3]),
             "goldstein_mean": None if r[4] is None else round(float(r[4]), 3)} for r in rows]


def network(con: duckdb.DuckDBPyConnection, filters: Filters | None = None, *,
            by: str = "country", limit: int = 100, min_count: int = 1) -> dict[str, Any]:
    """Directed actor network: edges source -> target with counts and Goldstein sums."""
    _check_choice("by", by, ("code", "country"))
    if not 1 <= limit <= MAX_LIMIT:
        raise FilterError(f"must be between 1 and {MAX_LIMIT}", field="limit")
    if min_count < 1:
        raise FilterError("must be at least 1", field="min_count")
    where, params = where_clause(filters or Filters())
    rows = con.execute(
        f"SELECT e.source_{by}, e.target_{by}, count(*) AS n, sum(e.goldstein) {_FROM} "
        f"WHERE {where} AND e.source_{by} IS NOT NULL AND e.target_{by} IS NOT NULL "
        "GROUP BY ALL HAVING count(*) >= ? ORDER BY n DESC, 1, 2 LIMIT ?",
        [*params, min_count, limit]).fetchall()
    edges = [{"source": r[0], "target": r[1], "count": int(r[2]),
              "goldstein_sum": None if r[3] is None else round(float(r[3]), 3)} for r in rows]
    weight: dict[str, int] = {}
    for e in edges:
        for node in (e["source"], e["target"]):
            weight[node] = weight.get(node, 0) + int(e["count"])
    nodes = [{"id": k, "events": v} for k, v in sorted(weight.items(), key=lambda kv: -kv[1])]
    return {"nodes": nodes, "edges": edges}


def overview(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """Store totals and the values a filter form offers (dates, PLOVER types, outlets)."""
    counts = con.execute(
        "SELECT (SELECT count(*) FROM articles), count(*), min(date), max(date) FROM events"
    ).fetchone()
    assert counts is not None
    plover = [r[0] for r in con.execute(
        "SELECT plover FROM events WHERE plover IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC"
    ).fetchall()]
    outlets = [r[0] for r in con.execute(
        "SELECT outlet FROM articles WHERE outlet IS NOT NULL GROUP BY 1 "
        "ORDER BY count(*) DESC LIMIT 100").fetchall()]
    return {"articles": int(counts[0]), "events": int(counts[1]),
            "date_min": iso(counts[2]), "date_max": iso(counts[3]),
            "plover_types": plover, "outlets": outlets}
