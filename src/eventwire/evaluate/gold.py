"""Gold records: the one JSONL line format every gold file uses, and its reader."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import InputError

SCHEMES = ("cameo", "plover", "five_class", "acled", "police")

_ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


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
    """One gold line:

        {"id": "...", "text": "...", "date": "YYYY-MM-DD" or null,
         "events": [{"source": "USA", "target": "CHN", "code": "042"}, ...],
         "meta": {"dataset": "..."}}

    `events: []` is a real negative. ``meta.dataset`` (default: the file's
    stem) names the label space the codes belong to.
    """

    id: str
    text: str
    date: str | None
    events: tuple[GoldEvent, ...]
    dataset: str
    origin: str  # "file:line", for messages
    scheme: str | None = None  # meta.scheme, when a file declares it
    url: str | None = None  # meta.url: the article's address, which a reader would have too

    @property
    def file(self) -> str:
        return self.origin.rsplit(":", 1)[0]

    @property
    def line(self) -> int:
        return int(self.origin.rsplit(":", 1)[1])

    @property
    def label(self) -> str | None:
        """The code of a single-label record (5-class, ACLED-style); None for a negative."""
        return self.events[0].code if self.events else None


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


def group_by_dataset(records: Iterable[GoldRecord]) -> dict[str, list[GoldRecord]]:
    """Records by meta.dataset, in order of first appearance; ids must be unique in one."""
    groups: dict[str, list[GoldRecord]] = {}
    seen: dict[tuple[str, str], str] = {}
    for record in records:
        key = (record.dataset, record.id)
        if key in seen:
            raise InputError(f"duplicate id {record.id!r} (first at {seen[key]})",
                             source=record.file, line=record.line, field="id")
        seen[key] = record.origin
        groups.setdefault(record.dataset, []).append(record)
    return groups
