"""Alert rules: read from TOML, evaluated in DuckDB, delivered to webhooks and files.

    rules = alerts.load_rules()                       # the packaged defaults
    rules = alerts.load_rules("my_rules.toml")        # a user's copy
    raised = alerts.evaluate(con, rules, article_ids) # new alerts, stored
    alerts.deliver_pending(con)                       # webhooks and JSONL files

The rules themselves (their SQL) are in store/alerts.py; this module holds
their settings, the cooldown between alerts of one subject, and delivery.
Delivery is at least once: a delivery that fails is tried again after the
next evaluation (up to MAX_ATTEMPTS), and one cut off by a kill between
sending and recording may be sent twice, so receivers dedupe by `alert_id`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Any

import duckdb

from .errors import ConfigError
from .store import alerts as sql

MAX_ATTEMPTS = 5
RULE_NAMES = ("new_dyad_conflict", "conflict_spike", "goldstein_turn")


@dataclass(frozen=True, slots=True)
class NewDyadRule:
    enabled: bool = True
    lookback_days: int = 30
    include_domestic: bool = False
    webhook: str | None = None
    jsonl: str | None = None


@dataclass(frozen=True, slots=True)
class SpikeRule:
    enabled: bool = True
    by: tuple[str, ...] = ("country", "dyad")
    baseline_days: int = 28
    k: float = 3.0
    min_count: int = 5
    cooldown_days: int = 7
    webhook: str | None = None
    jsonl: str | None = None


@dataclass(frozen=True, slots=True)
class TurnRule:
    enabled: bool = True
    recent_days: int = 7
    baseline_days: int = 30
    drop: float = 3.0
    min_recent: int = 3
    min_baseline: int = 5
    cooldown_days: int = 7
    webhook: str | None = None
    jsonl: str | None = None


@dataclass(frozen=True, slots=True)
class WatchList:
    name: str = ""
    actors: tuple[str, ...] = ()
    cameo: tuple[str, ...] = ()
    webhook: str | None = None
    jsonl: str | None = None


@dataclass(frozen=True, slots=True)
class General:
    max_age_days: int = 30
    webhook: str | None = None
    jsonl: str | None = None


@dataclass(frozen=True, slots=True)
class Rules:
    general: General = field(default_factory=General)
    new_dyad_conflict: NewDyadRule = field(default_factory=NewDyadRule)
    conflict_spike: SpikeRule = field(default_factory=SpikeRule)
    goldstein_turn: TurnRule = field(default_factory=TurnRule)
    watch: tuple[WatchList, ...] = ()
    path: str = "default rules"

    def targets(self, rule: str, name: str) -> list[str]:
        """Where alerts of this rule (or watch list) go: 'webhook:URL', 'jsonl:PATH'."""
        own: Any = next((w for w in self.watch if w.name == name), None) \
            if rule == "watch" else getattr(self, rule)
        out = []
        webhook = (own.webhook if own else None) or self.general.webhook
        jsonl = (own.jsonl if own else None) or self.general.jsonl
        if webhook:
            out.append(f"webhook:{webhook}")
        if jsonl:
            out.append(f"jsonl:{jsonl}")
        return out


def default_rules_text() -> str:
    return files("eventwire").joinpath("data/alert_rules.toml").read_text(encoding="utf-8")


def load_rules(path: str | Path | None = None) -> Rules:
    """Rules from a TOML file (None: the packaged defaults); ConfigError names what is wrong."""
    if path is None:
        return parse_rules(default_rules_text(), "default rules")
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
        raise ConfigError(f"{path}: cannot read rules file: {reason}") from None
    return parse_rules(text, str(path))


def parse_rules(text: str, where: str) -> Rules:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{where}: not valid TOML: {exc}") from None
    known = {"general", *RULE_NAMES, "watch"}
    for key in data:
        if key not in known:
            raise ConfigError(f"{where}: unknown table [{key}]; known: "
                              + ", ".join(sorted(known)))
    values: dict[str, Any] = {"path": where}
    values["general"] = _section(General, data.get("general", {}), f"{where}: [general]")
    for name, cls in (("new_dyad_conflict", NewDyadRule), ("conflict_spike", SpikeRule),
                      ("goldstein_turn", TurnRule)):
        values[name] = _section(cls, data.get(name, {}), f"{where}: [{name}]")
    bad_by = set(values["conflict_spike"].by) - {"country", "dyad"}
    if bad_by:
        raise ConfigError(f"{where}: [conflict_spike] by: {sorted(bad_by)[0]!r} is not "
                          "'country' or 'dyad'")
    watches = data.get("watch", [])
    if not isinstance(watches, list):
        raise ConfigError(f"{where}: watch must be an array of tables ([[watch]])")
    lists: list[WatchList] = []
    for n, item in enumerate(watches, start=1):
        w = _section(WatchList, item, f"{where}: [[watch]] #{n}")
        if not w.name.strip():
            raise ConfigError(f"{where}: [[watch]] #{n}: a name is required")
        if not w.actors and not w.cameo:
            raise ConfigError(f"{where}: [[watch]] {w.name!r}: give actors, cameo or both")
        if any(not c.isdigit() or not 2 <= len(c) <= 4 for c in w.cameo):
            raise ConfigError(f"{where}: [[watch]] {w.name!r}: cameo codes are 2-4 digits")
        if w.name in {x.name for x in lists}:
            raise ConfigError(f"{where}: [[watch]] {w.name!r}: name used twice")
        lists.append(dataclasses.replace(w, actors=tuple(a.upper() for a in w.actors)))
    values["watch"] = tuple(lists)
    return Rules(**values)


def _section(cls: Any, table: object, where: str) -> Any:
    """A dataclass from a TOML table, each value checked against its default's type."""
    if not isinstance(table, dict):
        raise ConfigError(f"{where}: must be a table")
    blank = cls()
    defaults = {f.name: getattr(blank, f.name) for f in dataclasses.fields(cls)}
    out: dict[str, Any] = {}
    for key, value in table.items():
        if key not in defaults:
            raise ConfigError(f"{where}: unknown key '{key}'; known: " + ", ".join(defaults))
        default = defaults[key]
        ok: bool
        if isinstance(default, bool):
            ok = isinstance(value, bool)
        elif isinstance(default, int):
            ok = isinstance(value, int) and not isinstance(value, bool) and value >= 0
        elif isinstance(default, float):
            ok = isinstance(value, int | float) and not isinstance(value, bool) and value >= 0
            value = float(value) if ok else value
        elif isinstance(default, tuple):
            ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
            value = tuple(value) if ok else value
        else:  # str or None
            ok = isinstance(value, str)
            value = value.strip() or None if ok and default is None else value
        if not ok:
            kind = ("true or false" if isinstance(default, bool)
                    else "a list of strings" if isinstance(default, tuple)
                    else "a number >= 0" if isinstance(default, int | float) else "a string")
            raise ConfigError(f"{where}: {key} must be {kind}, not {value!r}")
        out[key] = value
    return cls(**out)


# -- evaluation -------------------------------------------------------------------------

def evaluate(con: duckdb.DuckDBPyConnection, rules: Rules, article_ids: Iterable[str],
             *, today: dt.date | None = None) -> list[sql.Alert]:
    """Evaluate every enabled rule on the events of these articles; store and return
    the alerts not raised before. The merged view must be up to date (sync_merged)."""
    ids = sorted(set(article_ids))
    if not ids:
        return []
    day = today or dt.datetime.now(dt.UTC).date()
    lo = day - dt.timedelta(days=rules.general.max_age_days)
    hi = day + dt.timedelta(days=1)  # a report from a time zone ahead of ours
    scope = sql.Scope(con, ids, lo, hi)
    found: list[sql.Alert] = []
    r1, r2, r3 = rules.new_dyad_conflict, rules.conflict_spike, rules.goldstein_turn
    if r1.enabled:
        found += sql.new_dyad_conflict(scope, r1.lookback_days, r1.include_domestic)
    if r2.enabled and r2.by:
        found += _cooled(con, sql.conflict_spike(scope, r2.by, r2.baseline_days, r2.k,
                                                 r2.min_count), r2.cooldown_days)
    if r3.enabled:
        found += _cooled(con, sql.goldstein_turn(scope, r3.recent_days, r3.baseline_days,
                                                 r3.drop, r3.min_recent, r3.min_baseline),
                         r3.cooldown_days)
    for w in rules.watch:
        found += sql.watch_list(scope, w.name, w.actors, w.cameo)
    return sql.insert_alerts(con, found, {a.alert_id: rules.targets(a.rule, a.name)
                                          for a in found})


def _cooled(con: duckdb.DuckDBPyConnection, found: Sequence[sql.Alert],
            cooldown_days: int) -> list[sql.Alert]:
    """At most one alert per rule and subject within cooldown_days, earliest first
    (so a spike that lasts a week is one alert, not seven)."""
    if not found or cooldown_days <= 0:
        return list(found)
    earlier = sql.alert_windows(con, found[0].rule, sorted({a.subject for a in found}))
    kept: list[sql.Alert] = []
    for a in sorted(found, key=lambda x: (x.subject, x.window_end)):
        taken = earlier.setdefault(a.subject, [])
        if any(x != a.window_end and abs((a.window_end - x).days) < cooldown_days
               for x in taken):
            continue
        taken.append(a.window_end)
        kept.append(a)
    return kept


# -- delivery ---------------------------------------------------------------------------

def deliver_pending(con: duckdb.DuckDBPyConnection, *, timeout: float = 10.0) -> list[str]:
    """Send the alerts not yet delivered; returns one message per failed delivery."""
    import httpx

    pending = sql.pending_deliveries(con, MAX_ATTEMPTS)
    if not pending:
        return []
    problems: list[str] = []
    with httpx.Client(timeout=timeout, follow_redirects=False) as client:
        for alert, target in pending:
            kind, _, where = target.partition(":")
            payload = alert.to_dict()
            try:
                if kind == "webhook":
                    r = client.post(where, json=payload)
                    if not 200 <= r.status_code < 300:
                        raise OSError(f"HTTP {r.status_code}")
                else:
                    with open(where, "a", encoding="utf-8") as out:
                        out.write(json.dumps(payload, ensure_ascii=False) + "\n")
            except (OSError, httpx.HTTPError) as exc:
                reason = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
                sql.record_delivery(con, alert.alert_id, target, reason)
                problems.append(f"alert {alert.alert_id} to {target}: {reason}")
            else:
                sql.record_delivery(con, alert.alert_id, target, None)
    return problems
