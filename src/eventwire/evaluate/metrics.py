"""Counting and matching: precision/recall/F1, multiset matching, accuracy, the primary event."""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from ..records import Event


def rounded(value: float | None, digits: int = 4) -> float | None:
    return None if value is None else round(value, digits)


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
        return {"precision": rounded(self.precision), "recall": rounded(self.recall),
                "f1": rounded(self.f1), "tp": self.tp, "fp": self.fp, "fn": self.fn}


def multiset_prf(gold: Iterable[Hashable], system: Iterable[Hashable]) -> PRF:
    """Match two multisets of keys: each gold key pairs with at most one system key."""
    g, s = Counter(gold), Counter(system)
    tp = sum((g & s).values())
    return PRF(tp, sum(s.values()) - tp, sum(g.values()) - tp)


def detection(has_gold: bool, has_system: bool) -> PRF:
    """One record's event/no-event decision as counts."""
    return PRF(int(has_gold and has_system), int(has_system and not has_gold),
               int(has_gold and not has_system))


def classification(gold: Sequence[str], predicted: Sequence[str | None],
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


def share(flags: Iterable[bool]) -> float | None:
    items = list(flags)
    return sum(items) / len(items) if items else None


def asserted(events: Iterable[Event]) -> list[Event]:
    return [e for e in events if e.modality == "asserted"]


def primary_event(events: Sequence[Event]) -> Event | None:
    """The highest-confidence event; ties go to the earliest sentence, then to output order."""
    if not events:
        return None
    order = {id(e): i for i, e in enumerate(events)}
    return min(events, key=lambda e: (-e.confidence, e.sentence_index, order[id(e)]))
