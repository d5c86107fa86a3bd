"""Which readings of a sentence become events: main-event selection (a sentence stage).

CAMEO codes a sentence's main event, not its circumstances: the readings are
coded main line first, so that

- a statement (CAMEO 01) that reports another coded event of the sentence is
  only that event's attribution;
- a background clause ("..., killing one", "that was imposed in May", "to
  help them") beside a coded asserted main event is dropped, except physical
  acts, which stay events wherever they are told.

`build` (events.build) turns each kept reading into its events; the stage
fills each trigger's Trace for explain.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from ..records import Event
from .clauses import CIRCUMSTANCE, background, passive
from .reading import Reading

if TYPE_CHECKING:
    from ..stages import Sentence

STATEMENT_CODES = {"010", "01"}

Build = Callable[[Reading, "Sentence"], list[Event]]


class SelectMain:
    """The sentence stage: `Sentence.events`, from the readings `build` codes."""

    def __init__(self, build: Build) -> None:
        self.build = build

    def __call__(self, s: Sentence) -> None:
        readings, notes = s.readings, s.mentions.notes
        by_reading: dict[int, list[Event]] = {}
        coded: set[int] = set()
        # statements last: one that reports another coded event is only its attribution
        # background clauses after the main line: "..., killing one", "that was imposed
        # in May", "to help them": CAMEO codes the main event, not its circumstances
        main_coded = False
        for r in sorted(readings, key=lambda r: (r.fwd in STATEMENT_CODES,
                                                 background(r.pred) is not None)):
            if r.fwd in STATEMENT_CODES and not r.drop and any(
                    t.i in coded and t.i != r.pred.trigger.i for t in r.pred.trigger.subtree):
                r.drop = "statement that reports another event"
            clause = background(r.pred)
            if (clause is not None and main_coded and not r.drop and r.fwd not in STATEMENT_CODES
                    and (not physical(r.fwd) or doerless_history(r) or clause == CIRCUMSTANCE)):
                # physical acts stay events wherever they are told (casualties of an
                # attack are merged into it above), except a doerless passive in a
                # relative clause ("the province, where dozens have died this year")
                r.drop = f"{clause} beside a coded main event"
            r.trace.modality = f"{r.mod.modality} ({r.mod.reason})" if r.mod.reason else r.mod.modality
            r.trace.sources = [f"{m.actor.text} -> {m.actor.code}"
                               + (f" ({notes.get(m.tokens[0], m.how)})" if m.tokens else "")
                               for m in r.sources]
            r.trace.targets = [f"{m.actor.text} -> {m.actor.code}" for m in r.targets]
            if r.drop:
                r.trace.outcome = f"dropped: {r.drop}"
                continue
            events = self.build(r, s)
            if events:
                coded.add(r.pred.trigger.i)
                main_coded = main_coded or (background(r.pred) is None
                                            and r.mod.modality == "asserted"
                                            and r.fwd not in STATEMENT_CODES)
            by_reading[id(r)] = events
            r.trace.outcome = (f"coded {len(events)} event(s): {r.fwd}" if events
                               else f"dropped: {r.drop or 'no source actor'}")
        s.events = [e for r in readings for e in by_reading.get(id(r), [])]


def doerless_history(r: Reading) -> bool:
    """Violence told as a passive with no doer in a relative clause ("... where
    28 were killed"); arrests stay ("the man who was arrested on Friday")."""
    verb = r.pred.verb
    return (r.fwd[:2] in ("18", "19", "20") and verb.dep_ == "relcl" and not r.sources
            and passive(r.pred))


def physical(code: str) -> bool:
    """Violence (18-20) and physical coercion (seizure, arrest, expulsion, force:
    171, 173-175); not a generic coercion (170) or administrative sanctions (172)."""
    return code[:2] in ("18", "19", "20") or code[:3] in ("171", "173", "174", "175")
