"""The actor resolver's place names (places.Gazetteer)."""

from __future__ import annotations

import time

import pytest

from eventwire.places import Gazetteer, normalize_name


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer()


@pytest.mark.parametrize(
    ("name", "expected_name", "country"),
    [
        ("Kyiv", "Kyiv", "UKR"),
        ("Kiev", "Kyiv", "UKR"),  # alternate name of a big city
        ("KYIV", "Kyiv", "UKR"),
        ("the U.S.", "United States", "USA"),
        ("Britain", "United Kingdom", "GBR"),
        ("Paris", "Paris", "FRA"),  # not Paris, Texas
        ("Tripoli", "Tripoli", "LBY"),  # not Tripoli, Lebanon
        ("Donetsk", "Donetsk", "UKR"),  # not Donetsk, Russia
        ("St. Petersburg", "Saint Petersburg", "RUS"),  # not St. Petersburg, Florida
        ("Georgia", "Georgia", "GEO"),  # the country before the US state
        ("Brasilia", "Brasília", "BRA"),
        ("Texas", "Texas", "USA"),
        ("Moscow", "Moscow", "RUS"),
        ("New Delhi", "New Delhi", "IND"),  # its own city, not an alternate name of Delhi
        ("Bombay", "Mumbai", "IND"),
    ],
)
def test_places_gazetteer_lookup(
    gazetteer: Gazetteer, name: str, expected_name: str, country: str
) -> None:
    loc = gazetteer.lookup(name)
    assert loc is not None
    assert (loc.name, loc.country) == (expected_name, country)
    assert loc.lat is not None and loc.lon is not None


@pytest.mark.parametrize("name", ["Narnia", "", "Ministry of Defence"])
def test_places_gazetteer_unknown_name(gazetteer: Gazetteer, name: str) -> None:
    assert gazetteer.lookup(name) is None


def test_places_country_has_capital_coordinates(gazetteer: Gazetteer) -> None:
    ukraine, kyiv = gazetteer.lookup("Ukraine"), gazetteer.lookup("Kyiv")
    assert ukraine is not None and kyiv is not None
    assert (ukraine.lat, ukraine.lon) == (kyiv.lat, kyiv.lon)
    assert ukraine.name == "Ukraine"


def test_places_gazetteer_load_is_deterministic_and_fast(gazetteer: Gazetteer) -> None:
    start = time.process_time()  # CPU time: other engineers' jobs do not inflate it
    again = Gazetteer()
    elapsed = time.process_time() - start
    names = list(gazetteer.names())
    assert names == list(again.names())
    assert len(names) > 50_000
    assert all(gazetteer.lookup(n) == again.lookup(n) for n in names[::20])
    assert elapsed < 4.0  # about 1.3 s here; the bound leaves room for a slower machine


@pytest.mark.parametrize(
    ("raw", "key"),
    [("The Netherlands", "netherlands"), ("U.S.", "us"), ("Brasília", "brasilia"),
     ("Kyiv's", "kyiv")],
)  # fmt: skip
def test_places_normalize_name(raw: str, key: str) -> None:
    assert normalize_name(raw) == key


def test_cached_gazetteer_reads_back_what_was_built(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("EVENTWIRE_CACHE_DIR", str(tmp_path))
    built = Gazetteer()
    Gazetteer.cached()  # writes the cache
    again = Gazetteer.cached()  # reads it
    for name in ("Nairobi", "Georgia", "Gaza", "Ukraine", "Lucknow", "Atlantis"):
        assert again.lookup(name) == built.lookup(name), name
        assert again.is_country(name) == built.is_country(name), name
