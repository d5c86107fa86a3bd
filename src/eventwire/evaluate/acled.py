"""ACLED-style scoring (CASE 2021 task 2): event subtypes through the case2021_rules.csv table."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from ..records import Event
from .gold import GoldRecord
from .mappings import Mappings
from .metrics import PRF, asserted, classification, detection, primary_event, share
from .report import DatasetScores, error_case


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


def score_acled(records: Sequence[GoldRecord], predictions: Sequence[Sequence[Event]],
                maps: Mappings, scores: DatasetScores) -> None:
    gold: list[str] = []
    predicted: list[str | None] = []
    any_match: list[bool] = []
    mappable = {r.label for r in maps.acled_rules}
    found = PRF()
    for record, events in zip(records, predictions, strict=True):
        labelled = {id(e): lab for e in asserted(events)
                    if (lab := acled_label(e, maps, record.text)) is not None}
        mapped = [e for e in asserted(events) if id(e) in labelled]
        found += detection(bool(record.events), bool(mapped))
        label = record.label
        if label is None:
            if mapped:
                scores.errors.append(error_case(record, "false_alarm", mapped, labels=labelled))
            continue
        top = primary_event(mapped)
        guess = labelled[id(top)] if top else None
        gold.append(label)
        predicted.append(guess)
        any_match.append(label in labelled.values())
        if top is None:
            scores.errors.append(error_case(record, "miss", asserted(events)))
        elif guess != label:
            scores.errors.append(error_case(record, "wrong_code", mapped,
                                            f"primary -> {guess}", labelled))
    accuracy, macro, per = classification(gold, predicted, maps.acled_labels)
    in_scope = [p == g for g, p in zip(gold, predicted, strict=True) if g in mappable]
    scores.prf["detection"] = found
    scores.rates.update({
        "accuracy": accuracy,
        "any_match": share(any_match),
        "macro_f1": macro,
        "coverage": share(p is not None for p in predicted),
        "accuracy_mappable": share(in_scope),
    })
    scores.per_label.update(per)
    unmapped = Counter(g for g in gold if g not in mappable)
    if unmapped:
        scores.notes.append(
            f"{sum(unmapped.values())} records carry labels with no CAMEO equivalent "
            f"({', '.join(sorted(unmapped))}); accuracy_mappable leaves them out")
