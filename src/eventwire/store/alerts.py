"""Alerts in the store: the rules' SQL, listing and output (their tables: schema.py).

Every rule reads `merged_events` (one row per real-world event, so an event
that ten articles report counts once), asserted events with a day-precision
date, and starts from the merged events of the articles just stored (the
Scope): only their subjects and days are tested, each against the whole
store. An alert's id hashes its rule, subject and window, so the same alert
is never stored twice (`alerts.alert_id` is the primary key).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

import duckdb

from ..errors import StoreError
from ..output import clip, fixed_width, write_csv, write_jsonl
from .txn import transaction


@dataclass(frozen=True, slots=True)
class Alert:
    rule: str
    name: str
    subject_kind: str
    subject: str
    window_start: dt.date
    window_end: dt.date
    figures: dict[str, Any]
    message: str
    merged_ids: tuple[str, ...] = ()
    event_ids: tuple[str, ...] = ()
    article_ids: tuple[str, ...] = ()
    raised_at: dt.datetime | None = None
    alert_id: str = field(default="")

    def __post_init__(self) -> None:
        if not self.alert_id:
            key = "|".join((self.rule, self.name, self.subject_kind, self.subject,
                            self.window_start.isoformat(), self.window_end.isoformat()))
            object.__setattr__(self, "alert_id",
                               "a" + hashlib.sha256(key.encode()).hexdigest()[:16])

    def to_dict(self) -> dict[str, Any]:
        return {
            "alert_id": self.alert_id, "rule": self.rule, "name": self.name,
            "subject_kind": self.subject_kind, "subject": self.subject,
            "window_start": self.window_start.isoformat(),
            "window_end": self.window_end.isoformat(),
            "figures": self.figures, "message": self.message,
            "merged_ids": list(self.merged_ids), "event_ids": list(self.event_ids),
            "article_ids": list(self.article_ids),
            "raised_at": self.raised_at.isoformat(timespec="seconds") if self.raised_at else None,
        }


@dataclass(frozen=True, slots=True)
class Scope:
    """What a rule looks at: the merged events of `article_ids`, dated lo..hi."""

    con: duckdb.DuckDBPyConnection
    article_ids: list[str]
    lo: dt.date
    hi: dt.date


# Asserted, day-dated merged events; `changed` marks those of the scope's articles.
_BASE = """
    WITH changed AS (
        SELECT DISTINCT merged_id FROM merged_mentions WHERE article_id = ANY($ids)),
    m AS (
        SELECT m.merged_id, m.date, m.source_country AS s, m.target_country AS t,
               m.source_code, m.target_code, m.cameo, m.quad_class, m.goldstein,
               m.event_ids, m.article_ids,
               m.merged_id IN (SELECT merged_id FROM changed) AS is_new
        FROM merged_events m
        WHERE m.modality = 'asserted' AND m.date_precision = 'day' AND m.date IS NOT NULL
          AND m.date >= $floor AND m.date <= $hi)
"""
_IDS = ("list(DISTINCT e.merged_id ORDER BY e.merged_id) AS merged_ids, "
        "list_sort(list_distinct(flatten(list(e.event_ids)))) AS event_ids, "
        "list_sort(list_distinct(flatten(list(e.article_ids)))) AS article_ids")


def _rows(scope: Scope, sql: str, floor: dt.date, **params: Any) -> list[dict[str, Any]]:
    given = {"ids": scope.article_ids, "floor": floor, "lo": scope.lo, "hi": scope.hi,
             **params}
    # DuckDB refuses named parameters that the statement does not use
    cur = scope.con.execute(sql, {k: v for k, v in given.items() if f"${k}" in sql})
    names = [d[0] for d in cur.description or ()]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


def _make(r: dict[str, Any], rule: str, name: str, kind: str, subject: str,
          start: dt.date, end: dt.date, figures: dict[str, Any], message: str) -> Alert:
    """An alert from a rule's result row (which carries the ids lists)."""
    return Alert(rule, name, kind, subject, start, end, figures, message,
                 tuple(r["merged_ids"] or ()), tuple(r["event_ids"] or ()),
                 tuple(r["article_ids"] or ()))


def new_dyad_conflict(scope: Scope, lookback_days: int, include_domestic: bool) -> list[Alert]:
    sql = _BASE + f"""
    , c AS (SELECT * FROM m WHERE quad_class = 4 AND s IS NOT NULL AND t IS NOT NULL
              AND ($domestic OR s <> t)),
    cand AS (SELECT DISTINCT s, t, date FROM c WHERE is_new AND date >= $lo),
    fresh AS (SELECT * FROM cand x WHERE NOT EXISTS (
        SELECT 1 FROM c p WHERE p.s = x.s AND p.t = x.t
          AND p.date < x.date AND p.date >= x.date - $lookback))
    SELECT f.s, f.t, f.date, count(*) AS n, {_IDS}
    FROM fresh f JOIN c e ON e.s = f.s AND e.t = f.t AND e.date = f.date
    GROUP BY f.s, f.t, f.date ORDER BY f.date, f.s, f.t
    """
    floor = scope.lo - dt.timedelta(days=lookback_days)
    out = []
    for r in _rows(scope, sql, floor, domestic=include_domestic, lookback=lookback_days):
        subject = f"{r['s']}->{r['t']}"
        out.append(_make(
            r, "new_dyad_conflict", "new_dyad_conflict", "dyad", subject, r["date"], r["date"],
            {"events": r["n"], "lookback_days": lookback_days},
            f"new conflict dyad {subject}: {r['n']} material-conflict event(s) on "
            f"{r['date']}, none in the {lookback_days} days before"))
    return out


def conflict_spike(scope: Scope, by: Sequence[str], baseline_days: int, k: float,
                   min_count: int) -> list[Alert]:
    sql = _BASE + f"""
    , c AS (SELECT * FROM m WHERE quad_class = 4),
    subj AS (
        SELECT 'country' AS kind, s AS subject, * FROM c WHERE s IS NOT NULL
        UNION ALL SELECT 'country', t, * FROM c WHERE t IS NOT NULL AND t IS DISTINCT FROM s
        UNION ALL SELECT 'dyad', s || '->' || t, * FROM c
            WHERE s IS NOT NULL AND t IS NOT NULL AND s <> t),
    e AS (SELECT * FROM subj WHERE kind = ANY($by)),
    daily AS (SELECT kind, subject, date, count(*)::DOUBLE AS n FROM e GROUP BY ALL),
    cand AS (SELECT DISTINCT kind, subject, date FROM e WHERE is_new AND date >= $lo),
    scored AS (
        SELECT x.kind, x.subject, x.date, any_value(d.n) AS n,
               coalesce(sum(b.n), 0) / $days AS mean,
               sqrt(greatest(coalesce(sum(b.n * b.n), 0) / $days
                             - pow(coalesce(sum(b.n), 0) / $days, 2), 0)) AS sd
        FROM cand x
        JOIN daily d ON d.kind = x.kind AND d.subject = x.subject AND d.date = x.date
        LEFT JOIN daily b ON b.kind = x.kind AND b.subject = x.subject
             AND b.date < x.date AND b.date >= x.date - $days_int
        GROUP BY x.kind, x.subject, x.date),
    hit AS (SELECT * FROM scored WHERE n >= $min_count AND n > mean + $k * sd)
    SELECT h.kind, h.subject, h.date, h.n, h.mean, h.sd, {_IDS}
    FROM hit h JOIN e ON e.kind = h.kind AND e.subject = h.subject AND e.date = h.date
    GROUP BY h.kind, h.subject, h.date, h.n, h.mean, h.sd ORDER BY h.date, h.subject
    """
    floor = scope.lo - dt.timedelta(days=baseline_days)
    out = []
    for r in _rows(scope, sql, floor, by=list(by), days=float(max(1, baseline_days)),
                   days_int=baseline_days, min_count=min_count, k=k):
        n, mean, sd = int(r["n"]), round(r["mean"], 3), round(r["sd"], 3)
        out.append(_make(
            r, "conflict_spike", "conflict_spike", r["kind"], r["subject"], r["date"], r["date"],
            {"events": n, "baseline_mean": mean, "baseline_sd": sd, "k": k,
             "baseline_days": baseline_days, "min_count": min_count},
            f"conflict spike {r['subject']}: {n} material-conflict events on {r['date']}, "
            f"baseline {mean:g} ± {sd:g} a day over {baseline_days} days"))
    return out


def goldstein_turn(scope: Scope, recent_days: int, baseline_days: int, drop: float,
                   min_recent: int, min_baseline: int) -> list[Alert]:
    sql = _BASE + f"""
    , c AS (SELECT * FROM m WHERE goldstein IS NOT NULL AND s IS NOT NULL AND t IS NOT NULL
              AND s <> t),
    daily AS (SELECT s, t, date, sum(goldstein) AS g, count(*) AS n FROM c GROUP BY ALL),
    cand AS (SELECT DISTINCT s, t, date FROM c WHERE is_new AND date >= $lo),
    scored AS (
        SELECT x.s, x.t, x.date,
               sum(d.n) FILTER (WHERE d.date > x.date - $recent) AS n_recent,
               sum(d.g) FILTER (WHERE d.date > x.date - $recent) AS g_recent,
               sum(d.n) FILTER (WHERE d.date <= x.date - $recent) AS n_base,
               sum(d.g) FILTER (WHERE d.date <= x.date - $recent) AS g_base
        FROM cand x JOIN daily d ON d.s = x.s AND d.t = x.t AND d.date <= x.date
             AND d.date > x.date - $recent - $base
        GROUP BY x.s, x.t, x.date),
    hit AS (SELECT *, g_recent / n_recent AS mean_recent, g_base / n_base AS mean_base
            FROM scored WHERE n_recent >= $min_recent AND n_base >= $min_base
              AND g_recent / n_recent < g_base / n_base - $drop)
    SELECT h.s, h.t, h.date, h.n_recent, h.n_base, h.mean_recent, h.mean_base, {_IDS}
    FROM hit h JOIN c e ON e.s = h.s AND e.t = h.t AND e.date <= h.date
         AND e.date > h.date - $recent
    GROUP BY ALL ORDER BY h.date, h.s, h.t
    """
    floor = scope.lo - dt.timedelta(days=recent_days + baseline_days)
    out = []
    for r in _rows(scope, sql, floor, recent=recent_days, base=baseline_days, drop=drop,
                   min_recent=min_recent, min_base=min_baseline):
        subject = f"{r['s']}->{r['t']}"
        recent, base = round(r["mean_recent"], 3), round(r["mean_base"], 3)
        start = r["date"] - dt.timedelta(days=recent_days - 1)
        out.append(_make(
            r, "goldstein_turn", "goldstein_turn", "dyad", subject, start, r["date"],
            {"recent_mean": recent, "baseline_mean": base, "drop": round(base - recent, 3),
             "threshold": drop, "recent_events": int(r["n_recent"]),
             "baseline_events": int(r["n_base"]), "recent_days": recent_days,
             "baseline_days": baseline_days},
            f"Goldstein turn {subject}: mean {recent:g} over the {recent_days} days to "
            f"{r['date']}, {base:g} over the {baseline_days} days before"))
    return out


def watch_list(scope: Scope, name: str, actors: Sequence[str], cameo: Sequence[str]
               ) -> list[Alert]:
    # Any precision here: a watch list asks for every matching event.
    sql = f"""
    WITH changed AS (
        SELECT DISTINCT merged_id FROM merged_mentions WHERE article_id = ANY($ids)),
    e AS (
        SELECT m.* FROM merged_events m JOIN changed USING (merged_id)
        WHERE m.modality = 'asserted' AND m.date BETWEEN $lo AND $hi
          AND (len($actors) = 0 OR list_has_any($actors,
               [m.source_code, m.target_code, m.source_country, m.target_country]))
          AND (len($cameo) = 0 OR EXISTS (
               SELECT 1 FROM unnest($cameo) AS p(code) WHERE starts_with(m.cameo, p.code))))
    SELECT coalesce(e.source_code, '-') || '->' || coalesce(e.target_code, '-') || ' '
           || e.cameo AS subject, e.date, count(*) AS n, any_value(e.cameo_name) AS cameo_name,
           {_IDS}
    FROM e GROUP BY ALL ORDER BY e.date, subject
    """
    out = []
    for r in _rows(scope, sql, scope.lo, actors=list(actors), cameo=list(cameo)):
        out.append(_make(
            r, "watch", name, "event", r["subject"], r["date"], r["date"],
            {"events": r["n"], "actors": list(actors), "cameo": list(cameo)},
            f"watch {name}: {r['n']} event(s) {r['subject']} ({r['cameo_name']}) on {r['date']}"))
    return out


def alert_windows(con: duckdb.DuckDBPyConnection, rule: str, subjects: Sequence[str]
                  ) -> dict[str, list[dt.date]]:
    """window_end of the stored alerts of a rule, by subject."""
    out: dict[str, list[dt.date]] = {}
    for subject, end in con.execute(
            "SELECT subject, window_end FROM alerts WHERE rule = ? AND subject = ANY(?)",
            [rule, list(subjects)]).fetchall():
        out.setdefault(subject, []).append(end)
    return out


# -- writing ---------------------------------------------------------------------------

def insert_alerts(con: duckdb.DuckDBPyConnection, found: Sequence[Alert],
                  targets: dict[str, list[str]]) -> list[Alert]:
    """Store the alerts not stored before (and their pending deliveries) in one
    transaction; returns those, with raised_at set."""
    unique = list({a.alert_id: a for a in found}.values())
    if not unique:
        return []
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    def work() -> list[Alert]:
        old = {r[0] for r in con.execute("SELECT alert_id FROM alerts WHERE alert_id = ANY(?)",
                                         [[a.alert_id for a in unique]]).fetchall()}
        new = [Alert(**{**_fields(a), "raised_at": now}) for a in unique
               if a.alert_id not in old]
        for a in new:
            con.execute("INSERT INTO alerts VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", [
                a.alert_id, a.rule, a.name, a.subject_kind, a.subject, a.window_start,
                a.window_end, json.dumps(a.figures, sort_keys=True), a.message,
                list(a.merged_ids), list(a.event_ids), list(a.article_ids), now])
            for target in targets.get(a.alert_id, []):
                con.execute("INSERT INTO alert_deliveries VALUES (?, ?, 0, NULL, NULL)",
                            [a.alert_id, target])
        return new

    return transaction(con, work, "store alerts")


def _fields(a: Alert) -> dict[str, Any]:
    return {name: getattr(a, name) for name in Alert.__dataclass_fields__}


def pending_deliveries(con: duckdb.DuckDBPyConnection, max_attempts: int
                       ) -> list[tuple[Alert, str]]:
    rows = con.execute(
        f"SELECT {_SELECT}, d.target FROM alert_deliveries d JOIN alerts a USING (alert_id) "
        "WHERE d.delivered_at IS NULL AND d.attempts < ? ORDER BY a.raised_at, a.alert_id",
        [max_attempts]).fetchall()
    return [(_alert(r[:-1]), str(r[-1])) for r in rows]


def record_delivery(con: duckdb.DuckDBPyConnection, alert_id: str, target: str,
                    error: str | None) -> None:
    con.execute(
        "UPDATE alert_deliveries SET attempts = attempts + 1, last_error = ?, "
        "delivered_at = CASE WHEN ? IS NULL THEN current_timestamp ELSE NULL END "
        "WHERE alert_id = ? AND target = ?", [error, error, alert_id, target])


# -- reading ---------------------------------------------------------------------------

_COLUMNS = ("alert_id", "rule", "name", "subject_kind", "subject", "window_start",
            "window_end", "figures", "message", "merged_ids", "event_ids", "article_ids",
            "raised_at")
_SELECT = ", ".join(f"a.{c}" for c in _COLUMNS)


def _alert(row: Sequence[Any]) -> Alert:
    r = dict(zip(_COLUMNS, row, strict=True))
    r["figures"] = json.loads(r["figures"])
    for k in ("merged_ids", "event_ids", "article_ids"):
        r[k] = tuple(r[k] or ())
    return Alert(**r)


def list_alerts(con: duckdb.DuckDBPyConnection, *, since: dt.date | None = None,
                rule: str | None = None, limit: int | None = None) -> list[Alert]:
    """Stored alerts, newest window first; `since` keeps windows ending on or after it."""
    sql = f"SELECT {_SELECT} FROM alerts a WHERE 1 = 1"
    params: list[Any] = []
    if since is not None:
        sql += " AND a.window_end >= ?"
        params.append(since)
    if rule:
        sql += " AND a.rule = ?"
        params.append(rule)
    sql += " ORDER BY a.window_end DESC, a.raised_at DESC, a.alert_id"
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    return [_alert(r) for r in con.execute(sql, params).fetchall()]


CSV_COLUMNS = ("alert_id", "raised_at", "rule", "name", "subject_kind", "subject",
               "window_start", "window_end", "message", "figures", "event_ids", "article_ids")


def write_alerts(alerts: Iterable[Alert], fmt: str, out: IO[str]) -> int:
    items = [a.to_dict() for a in alerts]
    if fmt == "jsonl":
        return write_jsonl(items, out)
    if fmt == "csv":
        joined = {"figures": lambda v: json.dumps(v, sort_keys=True),
                  "event_ids": "; ".join, "article_ids": "; ".join}
        flat = [{c: joined[c](a[c]) if c in joined else a[c]
                 for c in CSV_COLUMNS} for a in items]
        return write_csv(flat, out, CSV_COLUMNS, lineterminator="\n")
    if fmt == "table":
        out.write(fixed_width(
            ("window_end", "rule", "subject", "events", "message"),
            [(a["window_end"], a["name"], a["subject"], str(len(a["event_ids"])),
              clip(a["message"], 70)) for a in items]))
        return len(items)
    raise StoreError(f"unknown format '{fmt}' for alerts")
