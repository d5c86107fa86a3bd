"""Accuracy against hand-coded gold data: read gold, code it, score it, report.

    import eventwire
    from eventwire.evaluate import evaluate
    report = evaluate(["dev/petrarch2_unittest.jsonl"], coder=eventwire.load())
    print(report.format_table())

A gold file holds one JSON object a line:

    {"id": "...", "text": "...", "date": "YYYY-MM-DD" or null,
     "events": [{"source": "USA", "target": "CHN", "code": "042"}, ...],
     "meta": {"dataset": "..."}}

`events: []` is a real negative. Each dataset (``meta.dataset``) keeps its own
label space, so each is scored under one scheme:

- ``cameo``: CAMEO codes with actor codes (root, full code, dyad + root, triple);
- ``plover``: PLOVER types, old (0.5b1) names mapped to the current 16;
- ``five_class``: the CAMEO quad-like 5 classes of a sentence's primary event;
- ``acled``: ACLED-style event subtypes, through a documented rule table;
- ``police``: police actions KILL/ARREST/FAIL/FORCE/ANY_ACTION, through a rule table.

Counts are micro-averaged over records; within a record, gold and system keys
are matched as multisets (two gold 041 events need two system 041 events).
Only asserted events count, except for the police FAIL label, which is by
definition a police action that did not happen (a negated event).

The mapping tables are package data under ``data/eval/`` and are documented
in docs/accuracy.md.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import time
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any, Protocol, runtime_checkable

from .actors.dictionary import load_dictionary
from .errors import ConfigError, InputError
from .geo.scoring import score_locations
from .records import Actor, Article, Event

SCHEMES = ("cameo", "plover", "five_class", "acled", "police")

# The dev/holdout datasets by name; other files get their scheme from
# meta.scheme or from the shape of their codes.
KNOWN_DATASETS: Mapping[str, str] = MappingProxyType({
    "petrarch2_unittest": "cameo",
    "plover_gsr_cameo": "plover",
    "conflibert_cameo": "five_class",
    "case2021_task2_test": "acled",
    "indiapoliceevents_sents": "police",
})

# Levels reported per scheme, in table order.
CAMEO_LEVELS = ("detection", "root", "code", "dyad_root", "triple")
PLOVER_LEVELS = ("detection", "type", "source_type")

_CAMEO_CODE = re.compile(r"^(0[1-9]|1[0-9]|20)[0-9]{0,2}$")
_GOLD_CODE_SHAPE = re.compile(r"^[0-9]{2,4}[A-Z]?$")
_ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


# --------------------------------------------------------------------- coders

@runtime_checkable
class PipeCoder(Protocol):
    """What `evaluate` needs of a coder: eventwire's Coder satisfies it."""

    def pipe(self, articles: Iterable[Article], *, all_modalities: bool = False
             ) -> Iterator[tuple[Article, list[Event]]]: ...


CodeFunction = Callable[[str, str | None], list[Event]]
"""Any callable (text, date) -> events can stand in for a coder (tests, other systems)."""


# ----------------------------------------------------------------------- gold

@dataclass(frozen=True, slots=True)
class GoldEvent:
    source: str | None
    target: str | None
    code: str
    place: str | None = None  # where the gold says it happened ("town of Rafah")
    place_country: str | None = None  # its country code as the gold writes it (ISO2 or ISO3)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"source": self.source, "target": self.target, "code": self.code}
        if self.place:
            out["location"] = {"name": self.place, "country": self.place_country}
        return out


@dataclass(frozen=True, slots=True)
class GoldRecord:
    id: str
    text: str
    date: str | None
    events: tuple[GoldEvent, ...]
    dataset: str
    origin: str  # "file:line", for messages
    scheme: str | None = None  # meta.scheme, when a file declares it
    url: str | None = None  # meta.url: the article's address, which a reader would have too


def read_gold(path: str | Path, *, limit: int | None = None) -> list[GoldRecord]:
    """Read one gold JSONL file; raise InputError naming file, line and field."""
    name = str(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read gold file: {exc.strerror or exc}", source=name) from exc
    records: list[GoldRecord] = []
    for number, line in enumerate(raw.split(b"\n"), start=1):
        if limit is not None and len(records) >= limit:
            break
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InputError(f"invalid UTF-8 at byte {exc.start}", source=name,
                             line=number) from exc
        if not text.strip():
            continue
        records.append(_parse_gold_line(text, name, number, Path(path).stem))
    if not records:
        raise InputError("no gold records", source=name)
    return records


def _parse_gold_line(text: str, name: str, number: int, default_dataset: str) -> GoldRecord:
    def fail(message: str, fld: str | None = None) -> InputError:
        return InputError(message, source=name, line=number, field=fld)

    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        raise fail(f"not valid JSON ({exc.msg} at column {exc.colno})") from exc
    if not isinstance(obj, dict):
        raise fail(f"expected a JSON object, got {type(obj).__name__}")
    rid = obj.get("id")
    if isinstance(rid, int) and not isinstance(rid, bool):
        rid = str(rid)
    if not isinstance(rid, str) or not rid:
        raise fail("missing or empty id", "id")
    body = obj.get("text")
    if not isinstance(body, str):
        raise fail("missing text (a string)", "text")
    date = obj.get("date")
    if date is not None:
        if not isinstance(date, str) or not _ISO_DATE.match(date):
            raise fail(f"date must be YYYY-MM-DD or null, got {date!r}", "date")
        try:
            dt.date.fromisoformat(date)
        except ValueError as exc:
            raise fail(f"impossible date {date!r}", "date") from exc
    events_raw = obj.get("events")
    if not isinstance(events_raw, list):
        raise fail("missing events (a list; [] for a record with no event)", "events")
    events: list[GoldEvent] = []
    for i, ev in enumerate(events_raw):
        if not isinstance(ev, dict):
            raise fail("each event must be an object", f"events[{i}]")
        code = ev.get("code")
        if isinstance(code, int) and not isinstance(code, bool):
            code = str(code)
        if not isinstance(code, str) or not code.strip():
            raise fail("missing code", f"events[{i}].code")
        for role in ("source", "target"):
            value = ev.get(role)
            if value is not None and not isinstance(value, str):
                raise fail("must be a string or null", f"events[{i}].{role}")
        place, country = _gold_place(ev.get("location"), fail, f"events[{i}].location")
        events.append(GoldEvent(ev.get("source"), ev.get("target"), code.strip(), place, country))
    meta = obj.get("meta") or {}
    if not isinstance(meta, dict):
        raise fail("meta must be an object", "meta")
    dataset = meta.get("dataset") or default_dataset
    if not isinstance(dataset, str):
        raise fail("meta.dataset must be a string", "meta.dataset")
    scheme = meta.get("scheme")
    if scheme is not None and scheme not in SCHEMES:
        raise fail(f"unknown scheme {scheme!r}; known: {', '.join(SCHEMES)}", "meta.scheme")
    url = meta.get("url")
    if url is not None and not isinstance(url, str):
        raise fail("meta.url must be a string", "meta.url")
    return GoldRecord(id=rid, text=body, date=date, events=tuple(events), dataset=dataset,
                      origin=f"{name}:{number}", scheme=scheme, url=url)


def _gold_place(raw: Any, fail: Callable[[str, str], InputError], where: str
                ) -> tuple[str | None, str | None]:
    """The first named place of a gold event's `location` (an object or a list of
    them, with "name" and optionally "country code" or "country")."""
    if raw is None:
        return None, None
    items = raw if isinstance(raw, list) else [raw]
    for item in items:
        if not isinstance(item, dict):
            raise fail("must be an object or a list of objects", where)
        name = item.get("name")
        country = item.get("country code", item.get("country"))
        if name is not None and not isinstance(name, str):
            raise fail("name must be a string", f"{where}.name")
        if country is not None and not isinstance(country, str):
            raise fail("country code must be a string", f"{where}.country code")
        if name and name.strip():
            return name.strip(), (country or "").strip() or None
    return None, None


# ------------------------------------------------------------------- mappings

@dataclass(frozen=True, slots=True)
class Rule:
    """One row of an event -> label table (ACLED-style or police)."""

    label: str
    cameo: tuple[str, ...]  # code prefixes; empty = the label has no equivalent
    source_sectors: frozenset[str] = frozenset()
    target_sectors: frozenset[str] = frozenset()  # "-" stands for no target
    keywords: re.Pattern[str] | None = None  # searched in the evidence sentence
    modality: str = "asserted"
    agentless: bool = False  # police: may apply to an event with no source
    reported: bool = False  # police: may apply to an event the police report
    note: str = ""

    def matches_code(self, cameo: str) -> bool:
        return any(cameo.startswith(p) for p in self.cameo)

    def matches_sentence(self, sentence: str) -> bool:
        return self.keywords is None or bool(self.keywords.search(sentence.lower()))


@dataclass(frozen=True, slots=True)
class Mappings:
    plover_types: Mapping[str, str]  # old or current name -> current name
    country_aliases: Mapping[str, str]  # non-ISO code -> canonical code
    five_class_roots: Mapping[str, str]  # CAMEO root -> class
    five_class_names: Mapping[str, str]
    acled_rules: tuple[Rule, ...]  # first match wins
    acled_labels: tuple[str, ...]  # every label the table knows, mapped or not
    police_rules: tuple[Rule, ...]  # every matching row adds its label
    police_labels: tuple[str, ...]


def _read_table(name: str) -> list[dict[str, str]]:
    ref = resources.files("eventwire").joinpath("data", "eval", name)
    try:
        text = ref.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read package table data/eval/{name}: {exc}") from exc
    rows = []
    for number, row in enumerate(csv.DictReader(io.StringIO(text)), start=2):
        if None in row or None in row.values():
            raise ConfigError(f"data/eval/{name}:{number}: wrong number of fields")
        rows.append({k: v.strip() for k, v in row.items()})
    return rows


def _keywords(spec: str) -> re.Pattern[str] | None:
    # Word-initial prefixes: "kill" matches killed/killing, not "skill".
    words = [w.strip().lower() for w in spec.split("|") if w.strip()]
    if not words:
        return None
    return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + ")")


def _rules(rows: list[dict[str, str]], table: str) -> tuple[Rule, ...]:
    rules = []
    for i, row in enumerate(rows, start=2):
        if not row.get("label"):
            raise ConfigError(f"data/eval/{table}:{i}: empty label")
        modality = row.get("modality") or "asserted"
        if modality not in ("asserted", "negated", "hypothetical"):
            raise ConfigError(f"data/eval/{table}:{i}: bad modality {modality!r}")
        rules.append(Rule(
            label=row["label"],
            cameo=tuple(row.get("cameo", "").split()),
            source_sectors=frozenset(row.get("source_sectors", "").split()),
            target_sectors=frozenset(row.get("target_sectors", "").split()),
            keywords=_keywords(row.get("keywords", "")),
            modality=modality,
            agentless=row.get("agentless", "no") == "yes",
            reported=row.get("reported", "no") == "yes",
            note=row.get("note", ""),
        ))
    return tuple(rules)


def load_mappings() -> Mappings:
    """Load the mapping tables shipped under data/eval/."""
    plover = {r["old"]: r["current"] for r in _read_table("plover_types.csv")}
    aliases = {r["code"]: r["canonical"] for r in _read_table("country_aliases.csv")}
    roots: dict[str, str] = {}
    names: dict[str, str] = {}
    for row in _read_table("conflibert_classes.csv"):
        names[row["class"]] = row["name"]
        for root in row["cameo_roots"].split():
            roots[root] = row["class"]
    acled = _rules(_read_table("case2021_rules.csv"), "case2021_rules.csv")
    police = _rules(_read_table("police_rules.csv"), "police_rules.csv")
    return Mappings(
        plover_types=MappingProxyType(plover),
        country_aliases=MappingProxyType(aliases),
        five_class_roots=MappingProxyType(roots),
        five_class_names=MappingProxyType(names),
        acled_rules=tuple(r for r in acled if r.cameo),
        acled_labels=tuple(dict.fromkeys(r.label for r in acled)),
        police_rules=police,
        police_labels=tuple(dict.fromkeys(r.label for r in police)),
    )


def infer_scheme(dataset: str, records: Sequence[GoldRecord], mappings: Mappings) -> str:
    """The label scheme of a dataset: by name, by meta.scheme, else by its codes."""
    declared = {r.scheme for r in records if r.scheme}
    if len(declared) == 1:
        return declared.pop()
    if dataset in KNOWN_DATASETS:
        return KNOWN_DATASETS[dataset]
    codes = {e.code for r in records for e in r.events}
    if not codes or all(_GOLD_CODE_SHAPE.match(c) for c in codes):
        return "cameo"
    for scheme, labels in (("police", set(mappings.police_labels)),
                           ("five_class", set(mappings.five_class_names)),
                           ("plover", set(mappings.plover_types)),
                           ("acled", set(mappings.acled_labels))):
        if codes <= labels:
            return scheme
    raise InputError(f"cannot tell which label scheme dataset {dataset!r} uses "
                     f"(set meta.scheme to one of {', '.join(SCHEMES)})",
                     source=records[0].origin.rsplit(":", 1)[0])


# --------------------------------------------------------------------- scores

@dataclass(frozen=True, slots=True)
class PRF:
    """Counts of one matching level; P/R/F1 are None when nothing was there to count."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def __add__(self, other: PRF) -> PRF:
        return PRF(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    @property
    def precision(self) -> float | None:
        if self.tp + self.fp == 0:
            return None if self.fn == 0 else 0.0
        return self.tp / (self.tp + self.fp)

    @property
    def recall(self) -> float | None:
        if self.tp + self.fn == 0:
            return None if self.fp == 0 else 0.0
        return self.tp / (self.tp + self.fn)

    @property
    def f1(self) -> float | None:
        if self.tp + self.fp + self.fn == 0:
            return None
        return 2 * self.tp / (2 * self.tp + self.fp + self.fn)

    def to_dict(self) -> dict[str, Any]:
        return {"precision": _round(self.precision), "recall": _round(self.recall),
                "f1": _round(self.f1), "tp": self.tp, "fp": self.fp, "fn": self.fn}


def multiset_prf(gold: Iterable[Hashable], system: Iterable[Hashable]) -> PRF:
    """Match two multisets of keys: each gold key pairs with at most one system key."""
    g, s = Counter(gold), Counter(system)
    tp = sum((g & s).values())
    return PRF(tp, sum(s.values()) - tp, sum(g.values()) - tp)


@dataclass(frozen=True, slots=True)
class ErrorCase:
    """One record the system got wrong, for --errors."""

    id: str
    dataset: str
    kind: str  # miss | false_alarm | wrong_code | wrong_actors | wrong_class | crash
    sentence: str
    gold: tuple[dict[str, Any], ...]
    system: tuple[dict[str, Any], ...]
    detail: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "dataset": self.dataset, "kind": self.kind,
                "sentence": self.sentence, "gold": list(self.gold),
                "system": list(self.system), "detail": self.detail}


@dataclass(slots=True)
class DatasetScores:
    dataset: str
    scheme: str
    records: int = 0
    gold_events: int = 0
    system_events: int = 0  # asserted events the system emitted
    crashes: int = 0
    seconds: float = 0.0
    words: int = 0
    prf: dict[str, PRF] = field(default_factory=dict)
    rates: dict[str, float | None] = field(default_factory=dict)  # accuracy, macro_f1, ...
    per_label: dict[str, PRF] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    errors: list[ErrorCase] = field(default_factory=list, repr=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "dataset": self.dataset,
            "scheme": self.scheme,
            "records": self.records,
            "gold_events": self.gold_events,
            "system_events": self.system_events,
            "crashes": self.crashes,
            "seconds": round(self.seconds, 3),
            "records_per_second": _round(self.records / self.seconds if self.seconds else None),
            "words_per_second": _round(self.words / self.seconds if self.seconds else None, 1),
            "prf": {k: v.to_dict() for k, v in self.prf.items()},
            "rates": {k: _round(v) for k, v in self.rates.items()},
            "per_label": {k: v.to_dict() for k, v in self.per_label.items()},
            "error_counts": dict(Counter(e.kind for e in self.errors)),
            "notes": list(self.notes),
        }


@dataclass(slots=True)
class EvaluationReport:
    datasets: list[DatasetScores] = field(default_factory=list)

    @property
    def errors(self) -> list[ErrorCase]:
        return [e for d in self.datasets for e in d.errors]

    def to_dict(self) -> dict[str, Any]:
        return {"datasets": {d.dataset: d.to_dict() for d in self.datasets}}

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False)

    def format_table(self) -> str:
        return "\n\n".join(_format_dataset(d) for d in self.datasets) + "\n"


def _round(value: float | None, digits: int = 4) -> float | None:
    return None if value is None else round(value, digits)


# ------------------------------------------------------------- event helpers

def _asserted(events: Iterable[Event]) -> list[Event]:
    return [e for e in events if e.modality == "asserted"]


def _alias(code: str, mappings: Mappings) -> str:
    """Canonical country prefix: CAMEO's JAP and ISO's JPN compare equal."""
    head = code[:3]
    return mappings.country_aliases.get(head, head) + code[3:]


def gold_actor_code(raw: str | None, mappings: Mappings) -> str | None:
    """A gold actor code, normalised: free-text ("...") and ### actors are unknown,
    "---" (country unknown) is dropped, so "---GOV" compares as "GOV"."""
    if not raw or raw.startswith(('"', "#")):
        return None
    code = raw.lstrip("-")
    return _alias(code, mappings) if code else None


def gold_country(raw: str | None, mappings: Mappings) -> str | None:
    if not raw or raw.startswith(('"', "#", "-")) or len(raw) < 3:
        return None
    return _alias(raw[:3], mappings)


def system_actor_code(actor: Actor | None, mappings: Mappings) -> str | None:
    if actor is None or not actor.code:
        return None
    code = actor.code.lstrip("-")
    return _alias(code, mappings) if code else None


def system_country(actor: Actor | None, mappings: Mappings) -> str | None:
    """The actor's country; for a code like IGOEEU with no country, its first 3 letters."""
    if actor is None:
        return None
    if actor.country:
        return _alias(actor.country, mappings)
    code = actor.code.lstrip("-")
    return _alias(code[:3], mappings) if len(code) >= 6 else None


def primary_event(events: Sequence[Event]) -> Event | None:
    """The highest-confidence event; ties go to the earliest sentence, then to output order."""
    if not events:
        return None
    order = {id(e): i for i, e in enumerate(events)}
    return min(events, key=lambda e: (-e.confidence, e.sentence_index, order[id(e)]))


def acled_label(event: Event, mappings: Mappings, fallback_sentence: str = "") -> str | None:
    """The ACLED-style subtype of one event: the first rule of the table that matches."""
    sentence = event.sentence or fallback_sentence
    sector = event.source.sector if event.source else None
    target = (event.target.sector or event.target.code[:3]) if event.target else "-"
    for rule in mappings.acled_rules:
        if not rule.matches_code(event.cameo):
            continue
        if rule.source_sectors and sector not in rule.source_sectors:
            continue
        if rule.target_sectors and target not in rule.target_sectors:
            continue
        if rule.matches_sentence(sentence):
            return rule.label
    return None


def is_police_word(word: str) -> bool:
    """A sector word the actor dictionary codes as police ("police", "DGP", "constable")."""
    return any(e.kind == "agent" and (e.agent or "").endswith("COP")
               for e in load_dictionary().lookup(word))


def is_police(actor: Actor | None) -> bool:
    if actor is None:
        return False
    code = actor.code.lstrip("-")
    return actor.sector == "COP" or code.endswith("COP")


# what the holdout's scorer counts as the police: a security sector or a police word
SECURITY_SECTORS = ("COP", "SPY", "MIL")


def is_security(actor: Actor | None) -> bool:
    if actor is None:
        return False
    if actor.sector in SECURITY_SECTORS or actor.code.lstrip("-").endswith(SECURITY_SECTORS):
        return True
    return any(is_police_word(w) for w in actor.text.lower().split())


def _reported_by_police(event: Event) -> bool:
    """The event's attribution names the police ("police said", "according to the DGP")."""
    words = {w for name in event.reported_by for w in name.lower().split()}
    return any(is_police_word(w) for w in words)


def police_labels(events: Iterable[Event], mappings: Mappings,
                  fallback_sentence: str = "", *, strict: bool = True) -> set[str]:
    """The police-action labels a record's events (any modality) yield.

    Strict (the default, as the holdout's scorer): an event counts only when its
    source is a security actor, stated or implied. Lenient: also an event with no
    source where the rule allows it (an arrest), and one the police report.
    """
    labels: set[str] = set()
    for event in events:
        security = is_security(event.source)
        police = is_police(event.source)
        reported = _reported_by_police(event)
        for rule in mappings.police_rules:
            if rule.label in labels or event.modality != rule.modality:
                continue
            counted = security if strict else (
                police or (rule.agentless and event.source is None) or (rule.reported and reported))
            if not counted:
                continue
            if rule.matches_code(event.cameo) and rule.matches_sentence(
                    event.sentence or fallback_sentence):
                labels.add(rule.label)
    return labels


def _system_dict(event: Event, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    d: dict[str, Any] = {
        "source": event.source.code if event.source else None,
        "target": event.target.code if event.target else None,
        "cameo": event.cameo,
        "plover": event.plover,
        "trigger": event.trigger,
        "modality": event.modality,
        "confidence": event.confidence,
    }
    if event.location is not None:
        loc = event.location
        d["location"] = f"{loc.name} ({loc.country}, {loc.precision}, {loc.basis})"
    if extra:
        d.update(extra)
    return d


# -------------------------------------------------------------------- scoring

def score(records: Sequence[GoldRecord], predictions: Sequence[Sequence[Event]],
          mappings: Mappings | None = None, *, scheme: str | None = None,
          dataset: str | None = None) -> DatasetScores:
    """Score one dataset: `predictions[i]` are the system's events for `records[i]`.

    Pure: no coding happens here. Events of every modality may be passed; only
    asserted ones count (police FAIL reads negated ones).
    """
    if len(records) != len(predictions):
        raise ValueError(f"{len(records)} gold records but {len(predictions)} predictions")
    maps = mappings or load_mappings()
    name = dataset or (records[0].dataset if records else "gold")
    kind = scheme or infer_scheme(name, records, maps)
    scores = DatasetScores(dataset=name, scheme=kind, records=len(records),
                           gold_events=sum(len(r.events) for r in records),
                           system_events=sum(len(_asserted(p)) for p in predictions))
    scorer = {"cameo": _score_cameo, "plover": _score_plover,
              "five_class": _score_five_class, "acled": _score_acled,
              "police": _score_police}[kind]
    scorer(records, predictions, maps, scores)
    score_locations(records, predictions, scores, maps.plover_types if kind == "plover" else None)
    return scores


def _error(record: GoldRecord, kind: str, events: Sequence[Event], detail: str = "",
           labels: Mapping[int, str] | None = None) -> ErrorCase:
    system = tuple(_system_dict(e, {"label": labels[id(e)]} if labels and id(e) in labels
                                else None) for e in events)
    return ErrorCase(id=record.id, dataset=record.dataset, kind=kind, sentence=record.text,
                     gold=tuple(e.to_dict() for e in record.events), system=system,
                     detail=detail)


def _detection(has_gold: bool, has_system: bool) -> PRF:
    return PRF(int(has_gold and has_system), int(has_system and not has_gold),
               int(has_gold and not has_system))


def _score_keyed(records: Sequence[GoldRecord], predictions: Sequence[Sequence[Event]],
                 scores: DatasetScores, levels: Sequence[str],
                 gold_keys: Callable[[GoldEvent], tuple[Hashable, ...]],
                 system_keys: Callable[[Event], tuple[Hashable, ...]],
                 code_levels: Sequence[str]) -> None:
    """Detection plus one multiset match per level (keys in levels[1:] order).

    A record with a mismatch in one of `code_levels` is a wrong_code error;
    one whose codes match but whose actors do not is wrong_actors.
    """
    totals = {level: PRF() for level in levels}
    for record, predicted in zip(records, predictions, strict=True):
        events = _asserted(predicted)
        totals["detection"] += _detection(bool(record.events), bool(events))
        gkeys = [gold_keys(g) for g in record.events]
        skeys = [system_keys(e) for e in events]
        per_level = {}
        for i, level in enumerate(levels[1:]):
            per_level[level] = multiset_prf([k[i] for k in gkeys], [k[i] for k in skeys])
            totals[level] += per_level[level]
        if record.events and not events:
            scores.errors.append(_error(record, "miss", events))
        elif events and not record.events:
            scores.errors.append(_error(record, "false_alarm", events))
        elif events:
            wrong = [level for level, v in per_level.items() if v.fp or v.fn]
            if any(level in code_levels for level in wrong):
                scores.errors.append(_error(record, "wrong_code", events, ", ".join(wrong)))
            elif wrong:
                scores.errors.append(_error(record, "wrong_actors", events, ", ".join(wrong)))
    scores.prf.update(totals)


def _score_cameo(records: Sequence[GoldRecord], predictions: Sequence[Sequence[Event]],
                 maps: Mappings, scores: DatasetScores) -> None:
    def gold_keys(g: GoldEvent) -> tuple[Hashable, ...]:
        root = g.code[:2]
        return (root, g.code,
                (gold_country(g.source, maps), gold_country(g.target, maps), root),
                (gold_actor_code(g.source, maps), gold_actor_code(g.target, maps), g.code))

    def system_keys(e: Event) -> tuple[Hashable, ...]:
        root = e.cameo[:2]
        return (root, e.cameo,
                (system_country(e.source, maps), system_country(e.target, maps), root),
                (system_actor_code(e.source, maps), system_actor_code(e.target, maps), e.cameo))

    _score_keyed(records, predictions, scores, CAMEO_LEVELS, gold_keys, system_keys,
                 ("root", "code"))
    odd = Counter(g.code for r in records for g in r.events if not _CAMEO_CODE.match(g.code))
    if odd:
        scores.notes.append(
            f"{sum(odd.values())} gold events carry codes outside CAMEO 01-20 "
            f"({', '.join(sorted(odd))}); no CAMEO coder emits them, so root recall "
            f"is at most {1 - sum(odd.values()) / max(scores.gold_events, 1):.3f}")


def _score_plover(records: Sequence[GoldRecord], predictions: Sequence[Sequence[Event]],
                  maps: Mappings, scores: DatasetScores) -> None:
    unknown = sorted({g.code for r in records for g in r.events} - set(maps.plover_types))
    if unknown:
        raise InputError(f"PLOVER types not in the mapping table: {', '.join(unknown)}",
                         source=records[0].origin.rsplit(":", 1)[0])

    def gold_keys(g: GoldEvent) -> tuple[Hashable, ...]:
        kind = maps.plover_types[g.code]
        return (kind, (gold_country(g.source, maps), kind))

    def system_keys(e: Event) -> tuple[Hashable, ...]:
        kind = maps.plover_types.get(e.plover or "", e.plover)
        return (kind, (system_country(e.source, maps), kind))

    # an event with no PLOVER type (a plain statement, CAMEO 010) is no PLOVER event
    typed = [[e for e in events if e.plover] for events in predictions]
    _score_keyed(records, typed, scores, PLOVER_LEVELS, gold_keys, system_keys, ("type",))


def _classification(gold: Sequence[str], predicted: Sequence[str | None],
                    labels: Iterable[str]) -> tuple[float | None, float | None, dict[str, PRF]]:
    """Accuracy and macro-F1 (over labels seen in gold or output); None = no prediction."""
    per = {label: PRF() for label in labels}
    for g, p in zip(gold, predicted, strict=True):
        if p == g:
            per[g] = per.get(g, PRF()) + PRF(tp=1)
            continue
        per[g] = per.get(g, PRF()) + PRF(fn=1)
        if p is not None:
            per[p] = per.get(p, PRF()) + PRF(fp=1)
    seen = {label: v for label, v in per.items() if v.tp + v.fp + v.fn}
    accuracy = sum(v.tp for v in seen.values()) / len(gold) if gold else None
    f1s = [v.f1 or 0.0 for v in seen.values()]
    macro = sum(f1s) / len(f1s) if f1s else None
    return accuracy, macro, seen


def _single_gold(record: GoldRecord) -> str | None:
    return record.events[0].code if record.events else None


def _score_five_class(records: Sequence[GoldRecord], predictions: Sequence[Sequence[Event]],
                      maps: Mappings, scores: DatasetScores) -> None:
    for record in records:
        bad = [g.code for g in record.events if g.code not in maps.five_class_names]
        if bad or len(record.events) > 1:
            source, line = record.origin.rsplit(":", 1)
            raise InputError(f"a 5-class record needs one event with a class in "
                             f"{', '.join(maps.five_class_names)}", source=source,
                             line=int(line), field="events")
    gold: list[str] = []
    predicted: list[str | None] = []
    detection = PRF()
    for record, events in zip(records, predictions, strict=True):
        asserted = _asserted(events)
        detection += _detection(bool(record.events), bool(asserted))
        label = _single_gold(record)
        if label is None:
            if asserted:
                scores.errors.append(_error(record, "false_alarm", asserted))
            continue
        top = primary_event(asserted)
        guess = maps.five_class_roots.get(top.cameo[:2]) if top else None
        gold.append(label)
        predicted.append(guess)
        if top is None:
            scores.errors.append(_error(record, "miss", asserted))
        elif guess != label:
            scores.errors.append(_error(record, "wrong_class", asserted,
                                        f"primary {top.cameo} -> class {guess}"))
    accuracy, macro, per = _classification(gold, predicted, maps.five_class_names)
    scores.prf["detection"] = detection
    scores.rates.update({"accuracy": accuracy, "macro_f1": macro,
                         "coverage": _share(p is not None for p in predicted)})
    scores.per_label.update(per)


def _share(flags: Iterable[bool]) -> float | None:
    items = list(flags)
    return sum(items) / len(items) if items else None


def _score_acled(records: Sequence[GoldRecord], predictions: Sequence[Sequence[Event]],
                 maps: Mappings, scores: DatasetScores) -> None:
    gold: list[str] = []
    predicted: list[str | None] = []
    any_match: list[bool] = []
    mappable = {r.label for r in maps.acled_rules}
    detection = PRF()
    for record, events in zip(records, predictions, strict=True):
        labelled = {id(e): lab for e in _asserted(events)
                    if (lab := acled_label(e, maps, record.text)) is not None}
        mapped = [e for e in _asserted(events) if id(e) in labelled]
        detection += _detection(bool(record.events), bool(mapped))
        label = _single_gold(record)
        if label is None:
            if mapped:
                scores.errors.append(_error(record, "false_alarm", mapped, labels=labelled))
            continue
        top = primary_event(mapped)
        guess = labelled[id(top)] if top else None
        gold.append(label)
        predicted.append(guess)
        any_match.append(label in labelled.values())
        if top is None:
            scores.errors.append(_error(record, "miss", _asserted(events)))
        elif guess != label:
            scores.errors.append(_error(record, "wrong_code", mapped,
                                        f"primary -> {guess}", labelled))
    accuracy, macro, per = _classification(gold, predicted, maps.acled_labels)
    in_scope = [p == g for g, p in zip(gold, predicted, strict=True) if g in mappable]
    scores.prf["detection"] = detection
    scores.rates.update({
        "accuracy": accuracy,
        "any_match": _share(any_match),
        "macro_f1": macro,
        "coverage": _share(p is not None for p in predicted),
        "accuracy_mappable": _share(in_scope),
    })
    scores.per_label.update(per)
    unmapped = Counter(g for g in gold if g not in mappable)
    if unmapped:
        scores.notes.append(
            f"{sum(unmapped.values())} records carry labels with no CAMEO equivalent "
            f"({', '.join(sorted(unmapped))}); accuracy_mappable leaves them out")


def _score_police(records: Sequence[GoldRecord], predictions: Sequence[Sequence[Event]],
                  maps: Mappings, scores: DatasetScores) -> None:
    per = {label: PRF() for label in maps.police_labels}
    lenient = {label: PRF() for label in maps.police_labels}
    detection = PRF()
    for record, events in zip(records, predictions, strict=True):
        gold = {g.code for g in record.events}
        unknown = gold - set(per)
        if unknown:
            raise InputError(f"police labels not in the mapping table: {', '.join(sorted(unknown))}",
                             source=record.origin.rsplit(":", 1)[0],
                             line=int(record.origin.rsplit(":", 1)[1]))
        system = police_labels(events, maps, record.text)
        loose = police_labels(events, maps, record.text, strict=False)
        detection += _detection(bool(gold), bool(system))
        for label in per:
            per[label] += _detection(label in gold, label in system)
            lenient[label] += _detection(label in gold, label in loose)
        if gold != system:
            kind = "miss" if not system else "false_alarm" if not gold else "wrong_code"
            shown = [e for e in events if e.modality == "asserted" or is_police(e.source)]
            scores.errors.append(_error(
                record, kind, shown,
                f"gold {sorted(gold)} system {sorted(system)}"))
    scores.prf["detection"] = detection
    scores.per_label.update(per)
    scores.per_label.update({f"{label} (lenient)": prf for label, prf in lenient.items()})
    scores.notes.append("strict: only events whose source is a security actor (COP, SPY, MIL "
                        "or a police word), stated or implied, count; lenient also counts "
                        "agentless arrests and events the police report")


# ----------------------------------------------------------------- coding

def predict(records: Sequence[GoldRecord], coder: PipeCoder | CodeFunction, *,
            batch_size: int = 64,
            progress: Callable[[int], None] | None = None,
            ) -> tuple[list[list[Event]], list[str | None]]:
    """Code every record's text with its date; return events (all modalities) and,
    per record, the error message of a crash (None where coding worked).

    A crash on one record does not stop the run: the batch is redone record by
    record and the failing one scores as "no events" (and is reported).
    """
    events: list[list[Event]] = []
    crashes: list[str | None] = []
    for start in range(0, len(records), batch_size):
        batch = records[start:start + batch_size]
        try:
            events.extend(_code_batch(batch, coder))
            crashes.extend([None] * len(batch))
        except Exception:  # any failure of the system under test is a result
            for record in batch:
                try:
                    events.extend(_code_batch([record], coder))
                    crashes.append(None)
                except Exception as exc:  # recorded as a crash, run goes on
                    events.append([])
                    crashes.append(f"{type(exc).__name__}: {exc}")
        if progress is not None:
            progress(len(batch))
    return events, crashes


def _code_batch(batch: Sequence[GoldRecord], coder: PipeCoder | CodeFunction
                ) -> list[list[Event]]:
    if isinstance(coder, PipeCoder):
        articles = [Article(id=r.id, text=r.text, date=r.date, url=r.url, origin=r.origin)
                    for r in batch]
        by_id = {a.id: list(evs) for a, evs in coder.pipe(articles, all_modalities=True)}
        return [by_id.get(r.id, []) for r in batch]
    return [list(coder(r.text, r.date)) for r in batch]


def group_by_dataset(records: Iterable[GoldRecord]) -> dict[str, list[GoldRecord]]:
    """Records by meta.dataset, in order of first appearance; ids must be unique in one."""
    groups: dict[str, list[GoldRecord]] = {}
    seen: dict[tuple[str, str], str] = {}
    for record in records:
        key = (record.dataset, record.id)
        if key in seen:
            source, line = record.origin.rsplit(":", 1)
            raise InputError(f"duplicate id {record.id!r} (first at {seen[key]})",
                             source=source, line=int(line), field="id")
        seen[key] = record.origin
        groups.setdefault(record.dataset, []).append(record)
    return groups


def evaluate(paths: Iterable[str | Path], coder: PipeCoder | CodeFunction, *,
             limit: int | None = None, batch_size: int = 64,
             progress: Callable[[str, int, int], None] | None = None,
             case: str | None = None) -> EvaluationReport:
    """Code every gold file with `coder` and score it, one block per dataset.

    `limit` keeps the first N records of each file. `progress(dataset, done,
    total)` is called after each batch. `case` ("lower" or "upper") recases
    every text before coding: how much casing costs, on the same labels.
    """
    maps = load_mappings()
    records: list[GoldRecord] = []
    for path in paths:
        records.extend(read_gold(path, limit=limit))
    if case is not None:
        recase = {"lower": str.lower, "upper": str.upper}[case]
        records = [replace(r, text=recase(r.text)) for r in records]
    report = EvaluationReport()
    for name, group in group_by_dataset(records).items():
        kind = infer_scheme(name, group, maps)
        done = 0

        def step(n: int, name: str = name, total: int = len(group)) -> None:
            nonlocal done
            done += n
            if progress is not None:
                progress(name, done, total)

        started = time.perf_counter()
        predicted, crashes = predict(group, coder, batch_size=batch_size, progress=step)
        seconds = time.perf_counter() - started
        scores = score(group, predicted, maps, scheme=kind, dataset=name)
        scores.seconds = seconds
        scores.words = sum(len(r.text.split()) for r in group)
        scores.crashes = sum(c is not None for c in crashes)
        for record, crash in zip(group, crashes, strict=True):
            if crash is not None:
                scores.errors.append(ErrorCase(
                    id=record.id, dataset=name, kind="crash", sentence=record.text,
                    gold=tuple(e.to_dict() for e in record.events), system=(), detail=crash))
        report.datasets.append(scores)
    return report


def write_errors(report: EvaluationReport, path: str | Path) -> int:
    """Write each error case as one JSON line; return how many."""
    errors = report.errors
    try:
        with open(path, "w", encoding="utf-8") as out:
            for case in errors:
                out.write(json.dumps(case.to_dict(), ensure_ascii=False) + "\n")
    except OSError as exc:
        raise InputError(f"cannot write errors file: {exc.strerror or exc}",
                         source=str(path)) from exc
    return len(errors)


# ------------------------------------------------------------------ table

def _num(value: float | None) -> str:
    return "    -" if value is None else f"{value:5.3f}"


def _format_dataset(d: DatasetScores) -> str:
    speed = f", {d.records / d.seconds:.1f} records/s" if d.seconds else ""
    lines = [f"== {d.dataset} [{d.scheme}]: {d.records} records, {d.gold_events} gold events, "
             f"{d.system_events} system events, {d.crashes} crashes, {d.seconds:.1f} s{speed}",
             f"  {'':<18}{'P':>6} {'R':>6} {'F1':>6} {'TP':>6} {'FP':>6} {'FN':>6}"]

    def row(name: str, v: PRF) -> str:
        return (f"  {name:<18}{_num(v.precision):>6} {_num(v.recall):>6} {_num(v.f1):>6} "
                f"{v.tp:>6} {v.fp:>6} {v.fn:>6}")

    lines.extend(row(name, v) for name, v in d.prf.items())
    if d.per_label:
        prefix = "class " if d.scheme == "five_class" else ""
        lines.extend(row(f"{prefix}{name}", v) for name, v in sorted(d.per_label.items()))
    if d.rates:
        lines.append("  " + "  ".join(f"{k} {_num(v).strip()}" for k, v in d.rates.items()))
    lines.extend(f"  note: {n}" for n in d.notes)
    return "\n".join(lines)
