"""Police scoring (India Police Events): KILL/ARREST/FAIL/FORCE/ANY_ACTION, strict and lenient."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ..actors.dictionary import load_dictionary
from ..errors import InputError
from ..records import Actor, Event
from .gold import GoldRecord
from .mappings import Mappings
from .metrics import PRF, detection
from .report import DatasetScores, error_case

# what the holdout's scorer counts as the police: a security sector or a police word
SECURITY_SECTORS = ("COP", "SPY", "MIL")


def is_police_word(word: str) -> bool:
    """A sector word the actor dictionary codes as police ("police", "DGP", "constable")."""
    return any(e.kind == "agent" and (e.agent or "").endswith("COP")
               for e in load_dictionary().lookup(word))


def is_police(actor: Actor | None) -> bool:
    if actor is None:
        return False
    code = actor.code.lstrip("-")
    return actor.sector == "COP" or code.endswith("COP")


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


def score_police(records: Sequence[GoldRecord], predictions: Sequence[Sequence[Event]],
                 maps: Mappings, scores: DatasetScores) -> None:
    per = {label: PRF() for label in maps.police_labels}
    lenient = {label: PRF() for label in maps.police_labels}
    found = PRF()
    for record, events in zip(records, predictions, strict=True):
        gold = {g.code for g in record.events}
        unknown = gold - set(per)
        if unknown:
            raise InputError("police labels not in the mapping table: "
                             f"{', '.join(sorted(unknown))}", source=record.file, line=record.line)
        system = police_labels(events, maps, record.text)
        loose = police_labels(events, maps, record.text, strict=False)
        found += detection(bool(gold), bool(system))
        for label in per:
            per[label] += detection(label in gold, label in system)
            lenient[label] += detection(label in gold, label in loose)
        if gold != system:
            kind = "miss" if not system else "false_alarm" if not gold else "wrong_code"
            shown = [e for e in events if e.modality == "asserted" or is_police(e.source)]
            scores.errors.append(error_case(
                record, kind, shown,
                f"gold {sorted(gold)} system {sorted(system)}"))
    scores.prf["detection"] = found
    scores.per_label.update(per)
    scores.per_label.update({f"{label} (lenient)": prf for label, prf in lenient.items()})
    scores.notes.append("strict: only events whose source is a security actor (COP, SPY, MIL "
                        "or a police word), stated or implied, count; lenient also counts "
                        "agentless arrests and events the police report")
