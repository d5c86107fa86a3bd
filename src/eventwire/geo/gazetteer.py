"""The offline GeoNames gazetteer: place names -> candidate places, memory-mapped.

Two sorted TSV files under data/geo/, built by scripts/build_gazetteer.py
from GeoNames data on PyPI (CC BY 4.0, see data/NOTICE):

- places.tsv: one place a line (GeoNames id, name, feature, ISO3 country,
  admin1 name, lat, lon, population); features are PCL (country), RGN (a
  region the project lists: "West Bank", "Donbas"), ADM1, ADM2 and PPL (a
  populated place of 1,000 people or more);
- names.tsv: one normalised name a line (`places.normalize_name`), sorted by
  its UTF-8 bytes, with the byte offsets of its places in places.tsv.

`GeoGazetteer.lookup(name)` binary-searches the mapped names file, so a
worker keeps no per-name objects: the files stay in the page cache, shared by
every process on the machine (16 MB in all).
"""

from __future__ import annotations

import math
import mmap
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from ..errors import ConfigError
from ..places import normalize_name

FEATURES = ("PCL", "RGN", "ADM1", "ADM2", "PPL")


@dataclass(frozen=True, slots=True)
class Place:
    """One gazetteer entry. `geonames_id` is None for derived admin units and regions."""

    name: str
    feature: str
    country: str
    admin1: str | None
    lat: float | None
    lon: float | None
    population: int
    geonames_id: int | None

    @property
    def precision(self) -> str:
        """What a location at this place is precise to: place, admin1 or country."""
        if self.feature == "PCL":
            return "country"
        return "place" if self.feature == "PPL" else "admin1"

    @property
    def prior(self) -> float:
        """How likely a bare mention means this place, before any context: a country
        before a region before a province, a city by its size (a city of about
        300,000 people or more before a province of the same name)."""
        if self.feature == "PCL":
            return 100.0
        if self.feature == "RGN":
            return 95.0
        if self.feature == "ADM1":
            return 55.0
        size = 10.0 * math.log10(self.population + 10)
        return size - 8.0 if self.feature == "ADM2" else size


def _open(name: str) -> mmap.mmap:
    ref = resources.files("eventwire").joinpath("data", "geo", name)
    try:
        with resources.as_file(ref) as path, Path(path).open("rb") as f:
            return mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
    except (OSError, ValueError) as exc:
        raise ConfigError(f"cannot open the gazetteer file data/geo/{name}: {exc}") from exc


class GeoGazetteer:
    """Name -> candidate places (see module docstring). Cheap to build: it maps two files."""

    def __init__(self) -> None:
        self._names = _open("names.tsv")
        self._places = _open("places.tsv")
        self._size = len(self._names)
        self._countries = self._country_table()

    def lookup(self, name: str) -> tuple[Place, ...]:
        """Every place the name may stand for, best prior first; () when unknown."""
        key = normalize_name(name)
        if not key or "\t" in key or "\n" in key:
            return ()
        line = self._find(key.encode("utf-8"))
        if line is None:
            return ()
        places = [self._place(int(o)) for o in line.split(b",")]
        return tuple(sorted(places, key=lambda p: -p.prior))

    def country(self, iso3: str) -> Place | None:
        """The country entry of an ISO3 code ("UKR")."""
        return self._countries.get(iso3)

    def _country_table(self) -> dict[str, Place]:
        # the build writes the ~250 countries first
        table: dict[str, Place] = {}
        offset = 0
        while offset < len(self._places):
            place = self._place(offset)
            if place.feature != "PCL":
                break
            table[place.country] = place
            offset = self._places.find(b"\n", offset) + 1
        return table

    def _find(self, key: bytes) -> bytes | None:
        names, lo, hi = self._names, 0, self._size
        while lo < hi:  # lo is always the start of a line
            mid = (lo + hi) // 2
            start = names.rfind(b"\n", lo, mid) + 1 if mid > lo else lo
            if start < lo:
                start = lo
            end = names.find(b"\n", start)
            tab = names.find(b"\t", start, end)
            here = names[start:tab]
            if here == key:
                return names[tab + 1:end]
            if here < key:
                lo = end + 1
            else:
                hi = start
        return None

    def _place(self, offset: int) -> Place:
        end = self._places.find(b"\n", offset)
        gid, name, feature, country, admin1, lat, lon, pop = (
            self._places[offset:end].decode("utf-8").split("\t"))
        return Place(name=name, feature=feature, country=country, admin1=admin1 or None,
                     lat=float(lat) if lat else None, lon=float(lon) if lon else None,
                     population=int(pop or 0), geonames_id=int(gid) if gid else None)


__all__ = ["FEATURES", "GeoGazetteer", "Place"]
