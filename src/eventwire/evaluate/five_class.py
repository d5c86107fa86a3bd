"""5-class scoring (ConfliBERT CAMEO): the quad-like class of a sentence's primary event."""

from __future__ import annotations

from collections.abc import Sequence

from ..errors import InputError
from ..records import Event
from .gold import GoldRecord
from .mappings import Mappings
from .metrics import PRF, asserted, classification, detection, primary_event, share
from .report import DatasetScores, error_case


def score_five_class(records: Sequence[GoldRecord], predictions: Sequence[Sequence[Event]],
                     maps: Mappings, scores: DatasetScores) -> None:
    for record in records:
        bad = [g.code for g in record.events if g.code not in maps.five_class_names]
        if bad or len(record.events) > 1:
            raise InputError(f"a 5-class record needs one event with a class in "
                             f"{', '.join(maps.five_class_names)}", source=record.file,
                             line=record.line, field="events")
    gold: list[str] = []
    predicted: list[str | None] = []
    found = PRF()
    for record, events in zip(records, predictions, strict=True):
        stated = asserted(events)
        found += detection(bool(record.events), bool(stated))
        label = record.label
        if label is None:
            if stated:
                scores.errors.append(error_case(record, "false_alarm", stated))
            continue
        top = primary_event(stated)
        guess = maps.five_class_roots.get(top.cameo[:2]) if top else None
        gold.append(label)
        predicted.append(guess)
        if top is None:
            scores.errors.append(error_case(record, "miss", stated))
        elif guess != label:
            scores.errors.append(error_case(record, "wrong_class", stated,
                                            f"primary {top.cameo} -> class {guess}"))
    accuracy, macro, per = classification(gold, predicted, maps.five_class_names)
    scores.prf["detection"] = found
    scores.rates.update({"accuracy": accuracy, "macro_f1": macro,
                         "coverage": share(p is not None for p in predicted)})
    scores.per_label.update(per)
