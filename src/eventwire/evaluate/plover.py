"""PLOVER scoring (PLOVER GSR): event types (old names mapped to current) and source country."""

from __future__ import annotations

from collections.abc import Hashable, Sequence

from ..errors import InputError
from ..records import Event
from .cameo import gold_country, score_keyed, system_country
from .gold import GoldEvent, GoldRecord
from .mappings import Mappings
from .report import DatasetScores

# Levels reported, in table order.
PLOVER_LEVELS = ("detection", "type", "source_type")


def score_plover(records: Sequence[GoldRecord], predictions: Sequence[Sequence[Event]],
                 maps: Mappings, scores: DatasetScores) -> None:
    unknown = sorted({g.code for r in records for g in r.events} - set(maps.plover_types))
    if unknown:
        raise InputError(f"PLOVER types not in the mapping table: {', '.join(unknown)}",
                         source=records[0].file)

    def gold_keys(g: GoldEvent) -> tuple[Hashable, ...]:
        kind = maps.plover_types[g.code]
        return (kind, (gold_country(g.source, maps), kind))

    def system_keys(e: Event) -> tuple[Hashable, ...]:
        kind = maps.plover_types.get(e.plover or "", e.plover)
        return (kind, (system_country(e.source, maps), kind))

    # an event with no PLOVER type (a plain statement, CAMEO 010) is no PLOVER event
    typed = [[e for e in events if e.plover] for events in predictions]
    score_keyed(records, typed, scores, PLOVER_LEVELS, gold_keys, system_keys, ("type",))
