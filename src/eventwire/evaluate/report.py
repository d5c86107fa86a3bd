"""The report: per-dataset scores, error cases, and their JSON, table and JSONL renderings."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..records import Event
from .gold import GoldRecord
from .metrics import PRF, rounded


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
            "records_per_second": rounded(self.records / self.seconds if self.seconds else None),
            "words_per_second": rounded(self.words / self.seconds if self.seconds else None, 1),
            "prf": {k: v.to_dict() for k, v in self.prf.items()},
            "rates": {k: rounded(v) for k, v in self.rates.items()},
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


def _system_dict(event: Event, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """A system event as an error case shows it."""
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


def error_case(record: GoldRecord, kind: str, events: Sequence[Event], detail: str = "",
               labels: Mapping[int, str] | None = None) -> ErrorCase:
    """The error case of `record`; `labels` (by id() of an event) adds each event's label."""
    system = tuple(_system_dict(e, {"label": labels[id(e)]} if labels and id(e) in labels
                               else None) for e in events)
    return ErrorCase(id=record.id, dataset=record.dataset, kind=kind, sentence=record.text,
                     gold=tuple(e.to_dict() for e in record.events), system=system,
                     detail=detail)


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
