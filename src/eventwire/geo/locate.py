"""Where one event happened: its sentence, else the article's dateline, its most
salient place, its URL, else the countries of the event's actors.

    locator = Locator(GeoGazetteer(), country_of_word)
    locator.locate(sent, anchor, exclude, article, target=actor, source=actor) -> Location | None

In order (`Location.basis` says which gave it; only `sentence` is stated, the
others are implied):

1. `sentence`: a place tied to the event in its own clause: the object of
   "in", "at", "near", "outside", "inside", "across", "around", "throughout",
   "within", "into", "along", "off"; of "to" after a word of travel ("flew to
   Moscow") or after sending or deploying forces ("sent troops to Bosnia",
   not "sent weapons to Ukraine"); of "from" after a withdrawal or a flight
   ("withdrew from the town of Gorazde"); through "the town of X", "the
   outskirts of X", "30 km north of X", "X-based", a site named after it
   ("in the Kharkiv city hall"), apposition and coordination; the place of a
   target ("stormed his residence in Tbilisi"). A phrase under a noun of
   topic ("the war in Syria") places nothing, unless that noun is the event.
   Actor mentions (`exclude`) are never places; a phrase inside a finite
   clause that does not hold the event is refused (see `deptree`), then the
   fewest clause crossings, the shortest tree path, a place before a country
   and the nearest in the text win. A compass word before a country names a
   listed region ("in south Lebanon") or else the country.
2. `dateline`: "KYIV, March 3 (Reuters) -", "NEW DELHI:", "GAZA CITY, Gaza Strip -".
3. `article`: the place most often named in a locative phrase in the
   article, else a place named by the article's URL path ("/city/lucknow/").
4. `actor`: the target's country, else the source's (country precision).

Disambiguation (`Locator.resolve`): every reading of a name scores its prior
(`gazetteer.Place.prior`: a country, a listed region, a province, a city by
its size), plus a strong bonus when a qualifier beside it names its country
or province ("Bam, Iran", "the Bosnian town of Gorazde", "Atlanta, Georgia"),
when the dateline is in its country, or when the article names a place inside
it ("Georgia" next to "Tbilisi" is the country, next to "Atlanta" the US
state); plus a weak bonus when the article names its country. A lower-case
text (no named entities to go by) places only countries, places in the
country of its dateline or URL, and cities of a million people or more, never
a word with a determiner ("in the area"). Unknown names give no location; a name the gazetteer lacks is never
replaced by a guess.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from spacy.tokens import Doc, Span, Token

from ..actors.dictionary import ActorDictionary
from ..deptree import tree_path
from ..places import normalize_name
from ..records import Actor, Article, Location, LocationBasis
from .gazetteer import GeoGazetteer, Place

_LOCATIVE_PREPS = frozenset(
    {"in", "at", "near", "outside", "inside", "across", "around", "throughout", "within",
     "into", "along", "off"}
)  # fmt: skip
# "to" is locative only after a word of travel: "a visit to Moscow", not "aid to Ukraine".
_TRAVEL_LEMMAS = frozenset(
    {"visit", "trip", "travel", "fly", "go", "come", "arrive", "return", "head", "journey",
     "tour", "deploy", "deployment", "move", "march", "drive", "sail", "flee", "evacuate",
     "redeploy", "airlift", "rush"}
)  # fmt: skip
# ... or after sending people who then are there: "sent troops to Bosnia"
_SENDING_LEMMAS = frozenset({"send", "dispatch", "despatch", "order", "rush", "fly"})
_SENT_PEOPLE = frozenset(
    {"troop", "soldier", "force", "forces", "police", "policeman", "peacekeeper", "army",
     "warship", "ship", "jet", "aircraft", "unit", "battalion", "brigade", "reinforcement",
     "personnel", "observer", "monitor", "team", "delegation", "envoy", "mission", "marine",
     "commando", "paratrooper", "officer", "expert", "inspector", "contingent"}
)  # fmt: skip
# "from" places a withdrawal or a flight: "pulled out of / withdrew from the town"
_LEAVING_LEMMAS = frozenset(
    {"withdraw", "withdrawal", "retreat", "pull", "evacuate", "evacuation", "flee", "expel",
     "expulsion", "oust", "drive", "pullout", "pullback"}
)  # fmt: skip
# Nouns through whose "of" a place still locates the event: "the border town of X".
_PLACE_NOUNS = frozenset(
    {"town", "city", "village", "region", "province", "district", "capital", "outskirts",
     "suburb", "suburbs", "border", "coast", "port", "area", "streets", "street", "center",
     "centre", "heart", "part", "parts", "state", "county", "oblast", "north", "south",
     "east", "west", "northeast", "northwest", "southeast", "southwest", "vicinity",
     "neighbourhood", "neighborhood", "municipality", "enclave", "settlement", "camp",
     "island", "peninsula", "valley", "governorate", "territory", "strip"}
)  # fmt: skip
# Nouns of topic, not of presence: "the situation in Ukraine" says what was
# discussed, not where ("troops in Ukraine" does say where).
_TOPIC_NOUNS = frozenset(
    {"situation", "crisis", "war", "conflict", "developments", "development", "events",
     "tension", "tensions", "issue", "issues", "question", "matter", "policy", "relations",
     "affairs", "interests", "interest", "role", "influence", "stance", "position", "future",
     "peace", "security", "stability", "news", "report", "reports", "elections", "election",
     "investment", "investments", "involvement", "intervention", "presence"}
)  # fmt: skip
# Buildings and sites named after their place: "the Kharkiv city hall".
_SITE_NOUNS = frozenset(
    {"hall", "building", "airport", "station", "square", "hospital", "school", "embassy",
     "consulate", "headquarters", "office", "offices", "parliament", "university", "market",
     "stadium", "prison", "base", "church", "mosque", "temple", "hotel", "palace", "court",
     "plant", "factory", "harbour", "harbor", "bridge", "highway", "road", "railway"}
)  # fmt: skip
_COMPASS = {
    "north": "north", "northern": "north", "south": "south", "southern": "south",
    "east": "east", "eastern": "east", "west": "west", "western": "west",
    "northeast": "northeast", "northeastern": "northeast", "north-east": "northeast",
    "north-eastern": "northeast", "northwest": "northwest", "northwestern": "northwest",
    "southeast": "southeast", "southeastern": "southeast", "southwest": "southwest",
    "southwestern": "southwest", "central": "central",
}  # fmt: skip
_NOT_PLACE_LABELS = frozenset(
    {"PERSON", "NORP", "DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL",
     "CARDINAL", "EVENT", "WORK_OF_ART", "LAW", "LANGUAGE"}
)  # fmt: skip
_STRONG, _WEAK = 60.0, 15.0
_UNCASED_MIN_POPULATION = 1_000_000
# "KYIV, March 3 (Reuters) -", "NEW DELHI:", "GAZA CITY, Gaza Strip (AP) --"
_DATELINE = re.compile(
    r"\A\s*(?P<place>[A-Z][A-Z'’.\-]+(?: [A-Z][A-Z'’.\-]+){0,3})"
    r"(?:,\s*(?P<area>[A-Z][A-Za-z'’.\-]+(?: [A-Z][A-Za-z'’.\-]+){0,3}))?"
    r"(?:,\s*[A-Z][a-z]{2,8}\.? \d{1,2}|,\s*\d{1,2} [A-Z][a-z]{2,8})?"
    r"\s*(?:\([A-Za-z .&-]{1,40}\))?\s*(?:-{1,2}|–|—|:)\s")
_URL_WORDS = re.compile(r"[a-z]+(?:-[a-z]+){0,2}")


@dataclass(frozen=True, slots=True)
class _Mention:
    key: str  # normalised name
    best: Place  # its reading without context
    locative: bool


@dataclass(frozen=True, slots=True)
class ArticleGeo:
    """What the whole article says about places, read once per article."""

    dateline: Place | None
    salient: Place | None
    url_place: Place | None
    mentions: tuple[_Mention, ...]
    countries_named: frozenset[str]  # nationality words ("Bosnian")
    home: frozenset[str] = frozenset()  # countries of the dateline and the URL's place


class Locator:
    """The locate stage (see module docstring). One per Coder; it holds no per-article state."""

    def __init__(self, gazetteer: GeoGazetteer | None = None,
                 dictionary: ActorDictionary | None = None) -> None:
        self.gazetteer = gazetteer or GeoGazetteer()
        self.dictionary = dictionary
        # bounded per-instance cache: a name is looked up in many sentences
        self.lookup: Callable[[str], tuple[Place, ...]] = functools.lru_cache(maxsize=16384)(
            self.gazetteer.lookup)

    def country_of_word(self, word: str) -> str | None:
        """The country a nationality word names ("Bosnian" -> BIH), by the actor dictionary."""
        if self.dictionary is None:
            return None
        return next((e.country for e in self.dictionary.lookup(word)
                     if e.kind == "country" and e.country), None)

    # -- the event ----------------------------------------------------------
    def locate(self, sent: Span, anchor: Token, exclude: Iterable[int], article: Article,
               *, target: Actor | None = None, source: Actor | None = None) -> Location | None:
        geo = self.article(sent.doc, article)
        excluded = frozenset(exclude)
        cache = sent.doc.user_data.setdefault("eventwire.geo.sentence", {})
        key = (anchor.i, excluded)
        if key not in cache:
            cache[key] = self.in_sentence(sent, anchor, excluded, geo)
        found = cache[key]
        if found is not None:
            return _location(found, "sentence")
        for place, basis in ((geo.dateline, "dateline"), (geo.salient, "article"),
                             (geo.url_place, "article")):
            if place is not None:
                return _location(place, basis)  # type: ignore[arg-type]
        for actor in (target, source):
            country = self.gazetteer.country(actor.country) if actor and actor.country else None
            if country is not None:
                return _location(country, "actor")
        return None

    def in_sentence(self, sent: Span, anchor: Token, exclude: frozenset[int],
                    geo: ArticleGeo | None = None) -> Place | None:
        """The place the sentence ties to the event at `anchor`, or None."""
        geo = geo or self.article(sent.doc, Article(id="", text=sent.doc.text))
        lower, candidates = _candidates(sent.doc)[sent.start]
        ranked: list[tuple[tuple[int, int, int, int], Place]] = []
        for span, prep in candidates:
            if prep is None:
                continue
            if prep.lower_ != "to" and any(t.i in exclude for t in span):
                continue  # an actor is no place, but the destination of a visit or a
                # deployment is both ("sent troops to Bosnia")
            if prep.head.lemma_.lower() in _TOPIC_NOUNS and prep.head.i != anchor.i:
                continue
            path = tree_path(prep, anchor)
            if path.blocked:
                continue
            place = self.resolve(span, geo, lower)
            if place is None:
                continue
            key = (path.crossings, path.length, int(place.feature == "PCL"),
                   abs(span.root.i - anchor.i))
            ranked.append((key, place))
        if not ranked:
            return None
        return min(ranked, key=lambda kp: kp[0])[1]

    # -- names ----------------------------------------------------------------
    def resolve(self, span: Span, geo: ArticleGeo, lower: bool = False) -> Place | None:
        """The reading of a place mention in its context (module docstring), or None."""
        compass = _compass_before(span)
        readings: tuple[Place, ...] = ()
        if compass is not None:  # "south Lebanon", "northern Iraq": a listed region
            readings = tuple(p for p in self.lookup(f"{compass.text} {span.text}")
                             if p.feature == "RGN")
        readings = readings or self.lookup(span.text)
        if lower:
            readings = _uncased(readings, geo.home)
        if len(readings) < 2:
            return readings[0] if readings else None
        quals = self._qualifiers(span)
        key = normalize_name(span.text)
        others = [m.best for m in geo.mentions if m.key != key]
        return max(readings, key=lambda p: (self._score(p, quals, others, geo), p.population))

    def _score(self, p: Place, quals: list[Place], others: list[Place], geo: ArticleGeo
               ) -> float:
        score = p.prior
        if any(_inside(p, q) for q in quals) or (geo.dateline is not None
                                                  and geo.dateline.country == p.country):
            score += _STRONG
        if p.feature in ("PCL", "ADM1", "RGN") and any(_inside(o, p) for o in others
                                                        if o.feature == "PPL"):
            score += _STRONG  # the article names a place inside it
        if p.country in geo.countries_named or any(o.country == p.country for o in others):
            score += _WEAK
        return score

    def _qualifiers(self, span: Span) -> list[Place]:
        """Countries and provinces written beside a mention: "Bam, Iran", "Atlanta,
        Georgia", "the Bosnian town of Gorazde", "Iranian city of Bam"."""
        doc = span.doc
        quals: list[Place] = []
        after = span.end
        if after + 1 < len(doc) and doc[after].text == ",":
            run = []
            for t in doc[after + 1: after + 5]:
                if not (t.pos_ == "PROPN" or t.text[:1].isupper()) or t.is_punct:
                    break
                run.append(t)
            if run:
                quals += [p for p in self.lookup(doc[run[0].i: run[-1].i + 1].text)
                          if p.feature in ("PCL", "ADM1", "RGN")]
        head = span.root.head
        words = list(span.root.children)
        if span.root.dep_ == "pobj" and head.lower_ == "of" and head.head.lower_ in _PLACE_NOUNS:
            words += list(head.head.children)
        for w in words:
            if w.dep_ in ("amod", "compound", "nmod") and w.i not in range(span.start, span.end):
                iso3 = self.country_of_word(w.text)
                country = self.gazetteer.country(iso3) if iso3 else None
                if country is not None:
                    quals.append(country)
        return quals

    # -- the article -----------------------------------------------------------
    def article(self, doc: Doc, article: Article) -> ArticleGeo:
        """The article's dateline, place mentions and salient place (cached on the Doc)."""
        cached = doc.user_data.get("eventwire.geo.article")
        if isinstance(cached, ArticleGeo):
            return cached
        dateline, url_place = self._dateline(article.text), self._url_place(article.url)
        home = frozenset(p.country for p in (dateline, url_place) if p is not None)
        mentions: list[_Mention] = []
        locative: list[tuple[Span, bool]] = []
        for lower, candidates in _candidates(doc).values():
            for span, prep in candidates:
                readings = self.lookup(span.text)
                if lower:
                    readings = _uncased(readings, home)
                if readings:
                    mentions.append(_Mention(normalize_name(span.text), readings[0],
                                             prep is not None))
                    if prep is not None:
                        locative.append((span, lower))
        named = frozenset(iso3 for ent in doc.ents if ent.label_ == "NORP"
                          and (iso3 := self.country_of_word(ent.text)))
        geo = ArticleGeo(dateline, None, url_place, tuple(mentions), named, home)
        # the salient place, with the whole article as context
        counts: Counter[tuple[str, str]] = Counter()
        first: dict[tuple[str, str], Place] = {}
        for span, lower in locative:
            place = self.resolve(span, geo, lower)
            if place is not None:
                k = (place.name, place.country)
                counts[k] += 1
                first.setdefault(k, place)
        salient = first[max(counts, key=lambda k: counts[k])] if counts else None
        # Counter keeps insertion order, and max() the first of equal counts
        geo = ArticleGeo(dateline, salient, url_place, geo.mentions, geo.countries_named, home)
        doc.user_data["eventwire.geo.article"] = geo
        return geo

    def _dateline(self, text: str) -> Place | None:
        m = _DATELINE.match(text[:200])
        if m is None:
            return None
        readings = self.lookup(m["place"])
        if not readings:
            return None
        quals = [p for p in self.lookup(m["area"] or "") if p.feature in ("PCL", "ADM1", "RGN")]
        # a dateline names a city: the biggest of that name, unless the area says which
        return max(readings, key=lambda p: (any(_inside(p, q) for q in quals),
                                            p.feature == "PPL", p.population))

    def _url_place(self, url: str | None) -> Place | None:
        """A place that a segment of the URL path names ("/city/lucknow/"): a city of
        100,000 or more, a province or a country; the most precise wins."""
        if not url:
            return None
        found: list[Place] = []
        for segment in unquote(urlsplit(url).path).lower().split("/"):
            if not _URL_WORDS.fullmatch(segment):
                continue
            readings = [p for p in self.lookup(segment.replace("-", " "))
                        if p.feature != "PPL" or p.population >= 100_000]
            if readings:
                found.append(readings[0])
        order = {"PPL": 0, "ADM2": 1, "ADM1": 2, "RGN": 3, "PCL": 4}
        return min(found, key=lambda p: order[p.feature]) if found else None


# --- mentions and locative phrases -----------------------------------------------


def _uncased(readings: tuple[Place, ...], home: frozenset[str]) -> tuple[Place, ...]:
    """Readings a lower-case word may have: countries, places in the article's home
    country (its dateline's, its URL's), and cities of a million people anywhere;
    so "police" is not the Polish town, nor "temple" the Texan city."""
    return tuple(p for p in readings if p.feature == "PCL" or p.country in home or (
        p.feature == "PPL" and p.population >= _UNCASED_MIN_POPULATION))


def _lowercase(sent: Span) -> bool:
    """A sentence written without capitals (some archives lower-case their text)."""
    text = sent.text
    return len(text) > 30 and text.lower() == text


_Candidates = tuple[bool, list[tuple[Span, Token | None]]]


def _candidates(doc: Doc) -> dict[int, _Candidates]:
    """Per sentence start: is it lower-case, and its candidate spans with their
    locative words (computed once per Doc and kept on it)."""
    cached = doc.user_data.get("eventwire.geo.candidates")
    if cached is None:
        by_sent: dict[int, list[Span]] = {}
        for ent in doc.ents:
            by_sent.setdefault(ent.sent.start, []).append(ent)
        cached = {}
        for sent in doc.sents:
            lower = _lowercase(sent)
            spans = candidate_spans(sent, lower, by_sent.get(sent.start, []))
            cached[sent.start] = (lower, [(s, locative_head(s)) for s in spans])
        doc.user_data["eventwire.geo.candidates"] = cached
    return cached


def candidate_spans(sent: Span, lower: bool = False, ents: list[Span] | None = None
                    ) -> list[Span]:
    """Named entities that may be places (the small model often labels cities ORG, so
    the gazetteer decides), runs of proper nouns outside any entity, and, in a
    lower-case sentence, the nouns of locative phrases. `ents`: the sentence's
    entities, when the caller has them."""
    ents = list(sent.ents) if ents is None else ents
    spans = [e for e in ents if e.label_ not in _NOT_PLACE_LABELS]
    in_ent = {t.i for e in ents for t in e}
    run: list[Token] = []
    for tok in [*sent, None]:
        if tok is not None and tok.pos_ == "PROPN" and tok.i not in in_ent:
            run.append(tok)
            continue
        if run:
            spans.append(sent.doc[run[0].i: run[-1].i + 1])
            run = []
    if lower:
        seen = {s.root.i for s in spans}
        for tok in sent:
            if (tok.dep_ == "pobj" and tok.pos_ in ("NOUN", "PROPN") and tok.i not in seen
                    and not tok.is_stop and not any(c.dep_ in ("det", "poss") for c in tok.children)):
                left = tok.i
                while left - 1 >= sent.start and sent.doc[left - 1].dep_ == "compound" and (
                        sent.doc[left - 1].head.i == tok.i):
                    left -= 1
                spans.append(sent.doc[left: tok.i + 1])
    return spans


def _compass_before(span: Span) -> Token | None:
    """The compass word right before a mention ("south Lebanon", "northern Iraq")."""
    i = span.start - 1
    if i >= 0 and span.doc[i].lower_ in _COMPASS:
        return span.doc[i]
    return None


def locative_head(span: Span) -> Token | None:
    """The word that makes `span` a place of an event (a preposition, a compass
    word, "based"), else None."""
    t = span.root
    for _ in range(6):
        head = t.head
        if t.dep_ in ("appos", "conj") and head.i != t.i:
            t = head
            continue
        if head.lower_ == "based" and t.dep_ in ("npadvmod", "compound", "amod", "advmod"):
            return head  # "a Kyiv-based group"
        if t.dep_ == "compound" and (head.lower_ in _PLACE_NOUNS or head.lower_ in _SITE_NOUNS):
            t = head  # "in Kyiv city", "at the Kyiv airport"; not "in the Kyiv court case"
            continue
        if t.dep_ == "amod" and t.lower_ not in _COMPASS and head.lower_ in _PLACE_NOUNS:
            t = head
            continue
        if t.dep_ != "pobj":
            if t.lower_ in _COMPASS and t.dep_ in ("advmod", "npadvmod"):
                return t  # "30 km north of Kyiv"
            return None
        prep = head
        word = prep.lower_
        if word in _LOCATIVE_PREPS:
            return prep
        governor = prep.head.lemma_.lower()
        if word == "to" and (governor in _TRAVEL_LEMMAS or (
                governor in _SENDING_LEMMAS and any(
                    c.dep_ == "dobj" and c.lemma_.lower() in _SENT_PEOPLE
                    for c in prep.head.children))):
            return prep
        if word == "from" and (governor in _LEAVING_LEMMAS or any(
                c.dep_ == "dobj" and c.lemma_.lower() in _LEAVING_LEMMAS
                for c in prep.head.children)):  # "completed the withdrawal from X"
            return prep
        if word == "of" and prep.head.lower_ in _PLACE_NOUNS:
            t = prep.head
            continue
        if word == "of" and governor in ("out",) and prep.head.head.lemma_.lower() in _LEAVING_LEMMAS:
            return prep  # "pulled out of the city"
        return None
    return None


def _inside(p: Place, area: Place) -> bool:
    """`p` lies in `area` (a country, or a province by its name)."""
    if p.country != area.country or p is area:
        return False
    if area.feature == "PCL":
        return p.feature != "PCL"
    if area.feature == "ADM1":
        return p.feature in ("PPL", "ADM2") and p.admin1 == area.admin1
    return False


def _location(place: Place, basis: LocationBasis) -> Location:
    return Location(name=place.name, country=place.country or None, lat=place.lat, lon=place.lon,
                    admin1=place.admin1 if place.feature != "PCL" else None,
                    geonames_id=place.geonames_id, precision=place.precision,  # type: ignore[arg-type]
                    basis=basis)


__all__ = ["ArticleGeo", "Locator", "candidate_spans", "locative_head"]
