"""The record the event stages pass each other: one trigger of a sentence, analysed.

events.triggers makes a Reading per trigger; events.combine rewrites readings
against each other; events.select picks the ones to code and events.build
turns each into Events. A Trace keeps what happened to the trigger for
`eventwire explain`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..actors.resolver import Mention
from ..dates import ResolvedDate
from .modality import ModalityResult
from .predicates import Predicate


@dataclass(slots=True)
class Trace:
    """What happened to one trigger, for `eventwire explain`."""

    trigger: str
    rule: str
    sources: list[str] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)
    modality: str = ""
    outcome: str = ""


@dataclass(slots=True)
class Reading:
    """One trigger of a sentence, analysed: its roles, modality, date and codes."""

    pred: Predicate
    mod: ModalityResult
    trace: Trace
    when: ResolvedDate | None
    date: str | None
    sources: list[Mention]
    targets: list[Mention]
    fwd: str  # code from source to target
    rev: str  # code from target to source for reciprocal events ("" when none)
    drop: str = ""  # why the reading gives no event
    doer_unknown: bool = False  # a doer is named but unresolved, or "X died" (no doer told)


def forward_code(code: str) -> str:
    """The forward code of "042:043" (or the reverse one when only that is given)."""
    fwd, _, rev = code.partition(":")
    return fwd or rev
