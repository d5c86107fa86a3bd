"""CAMEO scoring (petrarch2 unit tests): codes and actor codes matched level by level."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Hashable, Sequence

from ..records import Actor, Event
from .gold import GoldEvent, GoldRecord
from .mappings import Mappings
from .metrics import PRF, asserted, detection, multiset_prf
from .report import DatasetScores, error_case

# Levels reported, in table order.
CAMEO_LEVELS = ("detection", "root", "code", "dyad_root", "triple")

_CAMEO_CODE = re.compile(r"^(0[1-9]|1[0-9]|20)[0-9]{0,2}$")


def _alias(code: str, mappings: Mappings) -> str:
    """Canonical country prefix: CAMEO's JAP and ISO's JPN compare equal."""
    head = code[:3]
    return mappings.country_aliases.get(head, head) + code[3:]


def _canonical(code: str, mappings: Mappings) -> str | None:
    code = code.lstrip("-")
    return _alias(code, mappings) if code else None


def gold_actor_code(raw: str | None, mappings: Mappings) -> str | None:
    """A gold actor code, normalised: free-text ("...") and ### actors are unknown,
    "---" (country unknown) is dropped, so "---GOV" compares as "GOV"."""
    if not raw or raw.startswith(('"', "#")):
        return None
    return _canonical(raw, mappings)


def gold_country(raw: str | None, mappings: Mappings) -> str | None:
    if not raw or raw.startswith(('"', "#", "-")) or len(raw) < 3:
        return None
    return _alias(raw[:3], mappings)


def system_actor_code(actor: Actor | None, mappings: Mappings) -> str | None:
    if actor is None or not actor.code:
        return None
    return _canonical(actor.code, mappings)


def system_country(actor: Actor | None, mappings: Mappings) -> str | None:
    """The actor's country; for a code like IGOEEU with no country, its first 3 letters."""
    if actor is None:
        return None
    if actor.country:
        return _alias(actor.country, mappings)
    code = actor.code.lstrip("-")
    return _alias(code[:3], mappings) if len(code) >= 6 else None


def score_keyed(records: Sequence[GoldRecord], predictions: Sequence[Sequence[Event]],
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
        events = asserted(predicted)
        totals["detection"] += detection(bool(record.events), bool(events))
        gkeys = [gold_keys(g) for g in record.events]
        skeys = [system_keys(e) for e in events]
        per_level = {}
        for i, level in enumerate(levels[1:]):
            per_level[level] = multiset_prf([k[i] for k in gkeys], [k[i] for k in skeys])
            totals[level] += per_level[level]
        if record.events and not events:
            scores.errors.append(error_case(record, "miss", events))
        elif events and not record.events:
            scores.errors.append(error_case(record, "false_alarm", events))
        elif events:
            wrong = [level for level, v in per_level.items() if v.fp or v.fn]
            if any(level in code_levels for level in wrong):
                scores.errors.append(error_case(record, "wrong_code", events, ", ".join(wrong)))
            elif wrong:
                scores.errors.append(error_case(record, "wrong_actors", events,
                                                ", ".join(wrong)))
    scores.prf.update(totals)


def score_cameo(records: Sequence[GoldRecord], predictions: Sequence[Sequence[Event]],
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

    score_keyed(records, predictions, scores, CAMEO_LEVELS, gold_keys, system_keys,
                ("root", "code"))
    odd = Counter(g.code for r in records for g in r.events if not _CAMEO_CODE.match(g.code))
    if odd:
        scores.notes.append(
            f"{sum(odd.values())} gold events carry codes outside CAMEO 01-20 "
            f"({', '.join(sorted(odd))}); no CAMEO coder emits them, so root recall "
            f"is at most {1 - sum(odd.values()) / max(scores.gold_events, 1):.3f}")
