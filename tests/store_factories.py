"""Hand-made articles and events for store, API and dashboard tests.

The sentences are written for these tests; they are not from any corpus.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import replace

from eventwire.records import Actor, Article, Event, Location

# code -> (cameo_root, name, goldstein, quad, plover)
CODES = {
    "042": ("04", "Make a visit", 1.9, 1, "CONSULT"),
    "041": ("04", "Discuss by telephone", 1.0, 1, "CONSULT"),
    "057": ("05", "Sign formal agreement", 8.0, 2, "AGREE"),
    "0874": ("08", "De-escalate military engagement", 9.0, 2, "RETREAT"),
    "111": ("11", "Criticize or denounce", -2.0, 3, "DISAPPROVE"),
    "163": ("16", "Impose embargo, boycott, or sanctions", -8.0, 3, "REDUCE"),
    "145": ("14", "Protest violently, riot", -7.5, 4, "PROTEST"),
    "173": ("17", "Arrest, detain", -5.0, 4, "SEIZE"),
    "190": ("19", "Use conventional military force", -10.0, 4, "ASSAULT"),
}

PLACES = {  # country, lat, lon, admin1, GeoNames id
    "Kyiv": ("UKR", 50.45, 30.52, "Kyiv City", 703448),
    "Nairobi": ("KEN", -1.29, 36.82, "Nairobi Area", 184745),
    "Lima": ("PER", -12.05, -77.04, "Lima", 3936456),
    "Hanoi": ("VNM", 21.03, 105.85, "Hanoi", 1581130),
}


def actor(code: str | None, text: str | None = None) -> Actor | None:
    if code is None:
        return None
    return Actor(text=text or code, code=code, country=code[:3] or None,
                 sector=code[3:6] or None, name=None)


def make_event(article_id: str = "a1", *, source: str | None = "RUSGOV",
               target: str | None = "UKRGOV", cameo: str = "190", date: str | None = "2022-02-24",
               sentence_index: int = 0, sentence: str | None = None, trigger: str = "attacked",
               modality: str = "asserted", reported_by: tuple[str, ...] = (),
               place: str | None = None, confidence: float = 0.8,
               date_precision: str = "day", report_date: str | None = "2022-02-25",
               span: tuple[int, int] | None = None) -> Event:
    """An event; `span` is the sentence's offsets in the article text (DESIGN.md)."""
    root, name, goldstein, quad, plover = CODES[cameo]
    text = sentence or f"Officials of {source} {trigger} {target} in a written test sentence."
    loc = None
    if place:
        country, lat, lon, admin1, gid = PLACES[place]
        loc = Location(name=place, country=country, lat=lat, lon=lon, admin1=admin1,
                       geonames_id=gid, precision="place", basis="sentence")
    return Event(
        article_id=article_id, sentence_index=sentence_index, sentence=text,
        span=span or (0, len(text)), trigger=trigger,
        date=date, date_precision=date_precision,  # type: ignore[arg-type]
        report_date=report_date, source=actor(source), target=actor(target),
        cameo=cameo, cameo_root=root, cameo_name=name, goldstein=goldstein, quad_class=quad,
        plover=plover, plover_mode=None, modality=modality,  # type: ignore[arg-type]
        location=loc, reported_by=reported_by, confidence=confidence,
    )


def make_article(article_id: str = "a1", text: str = "A short test article.", *,
                 date: str | None = "2022-02-25", outlet: str | None = "Test Wire",
                 title: str | None = None) -> Article:
    return Article(id=article_id, text=text, date=date, title=title or f"Title of {article_id}",
                   url=f"https://news.invalid/{article_id}" if article_id else None,
                   outlet=outlet)


def assemble(article: Article, events: list[Event]) -> tuple[Article, list[Event]]:
    """Make the article text its events' sentences (in order), with spans into it."""
    sentences: list[str] = []
    for e in sorted(events, key=lambda e: e.sentence_index):
        if e.sentence not in sentences:
            sentences.append(e.sentence)
    text = " ".join(sentences)
    fixed = [replace(e, span=(text.index(e.sentence), text.index(e.sentence) + len(e.sentence)))
             for e in events]
    return replace(article, text=text), fixed


def sample_pairs() -> list[tuple[Article, list[Event]]]:
    """A small, varied store: a war, a ceasefire, a protest, sanctions, a visit."""
    a1 = make_article("war-1", "", date="2022-02-25", outlet="Test Wire",
                      title="Russian forces strike near Kyiv")
    a2 = make_article("truce-1", "", date="2022-03-10", outlet="Daily Ledger",
                      title="Ceasefire signed in Nairobi")
    a3 = make_article("protest-1", "", date="2022-04-02", outlet="Test Wire",
                      title="Riot and arrests in Lima")
    a4 = make_article("sanctions-1", "", date="2022-03-01", outlet="Evening Post",
                      title="New sanctions on Moscow")
    pairs = [
        (a1, [
            make_event("war-1", cameo="190", date="2022-02-24", place="Kyiv",
                       sentence="Russian forces attacked Ukrainian positions near Kyiv.",
                       trigger="attacked", reported_by=("Reuters",)),
            make_event("war-1", source="UKRGOV", target="RUSGOV", cameo="111",
                       sentence_index=1, trigger="condemned",
                       sentence="Ukraine's president condemned the assault on Thursday."),
            make_event("war-1", source="CHNGOV", target="RUSGOV", cameo="111",
                       sentence_index=2, trigger="condemning", modality="negated",
                       sentence="China refrained from condemning the operation."),
        ]),
        (a2, [
            make_event("truce-1", source="RUSGOV", target="UKRGOV", cameo="057",
                       date="2022-03-10", place="Nairobi", trigger="signed",
                       sentence="The two governments signed a ceasefire in Nairobi.",
                       reported_by=("Daily Ledger", "UN officials")),
            make_event("truce-1", source="UKRGOV", target="RUSGOV", cameo="057",
                       date="2022-03-10", trigger="signed",
                       sentence="The two governments signed a ceasefire in Nairobi."),
        ]),
        (a3, [
            make_event("protest-1", source="PERCVL", target="PERGOV", cameo="145",
                       date="2022-04-01", place="Lima", trigger="rioted",
                       sentence="Protesters rioted in Lima and police arrested dozens."),
            make_event("protest-1", source="PERCOP", target="PERCVL", cameo="173",
                       date="2022-04-01", place="Lima", trigger="arrested",
                       sentence="Protesters rioted in Lima and police arrested dozens."),
        ]),
        (a4, [
            make_event("sanctions-1", source="USAGOV", target="RUSGOV", cameo="163",
                       date="2022-03-01", trigger="imposed",
                       sentence="Washington imposed new sanctions on Moscow."),
            make_event("sanctions-1", source="USAGOV", target="RUSGOV", cameo="163",
                       date="2022-03-05", trigger="could impose", modality="hypothetical",
                       sentence="Washington said it could impose further sanctions on Moscow.",
                       sentence_index=1),
        ]),
    ]
    return [assemble(a, evs) for a, evs in pairs]


COUNTRIES = {"RUS": "Russia", "UKR": "Ukraine", "CHN": "China", "USA": "the United States",
             "FRA": "France", "DEU": "Germany", "KEN": "Kenya", "PER": "Peru", "VNM": "Vietnam",
             "IND": "India"}
SECTORS = ("GOV", "MIL", "CVL", "COP", "")
# code -> (trigger, sentence template); sentences written for these tests.
TEMPLATES = {
    "042": ("visited", "A delegation from {s} visited {t} for talks on trade."),
    "041": ("spoke", "Leaders of {s} spoke by telephone with {t} about the border."),
    "057": ("signed", "{S} signed a cooperation agreement with {t}."),
    "0874": ("withdrew", "{S} withdrew troops from the frontier with {t}."),
    "111": ("criticised", "{S} criticised {t} over its handling of the dispute."),
    "163": ("imposed", "{S} imposed sanctions on firms from {t}."),
    "145": ("rioted", "Crowds in {s} rioted outside the embassy of {t}."),
    "173": ("detained", "Police in {s} detained citizens of {t} at the airport."),
    "190": ("shelled", "Forces of {s} shelled positions held by {t}."),
}


def synthetic_pairs(n_articles: int, events_per_article: int = 5, seed: int = 7,
                    start: dt.date = dt.date(2020, 1, 1),
                    days: int = 1000) -> Iterator[tuple[Article, list[Event]]]:
    """Many varied articles for load tests and benchmarks (deterministic)."""
    rng = random.Random(seed)
    codes = list(CODES)
    outlets = ("Test Wire", "Daily Ledger", "Evening Post", "Harbour Times")
    countries = list(COUNTRIES)
    for i in range(n_articles):
        day = start + dt.timedelta(days=rng.randrange(days))
        aid = f"syn-{i}"
        art = make_article(aid, "", date=day.isoformat(), outlet=rng.choice(outlets),
                           title=f"World news digest no. {i}")
        evs = []
        for j in range(events_per_article):
            s, t = rng.sample(countries, 2)
            cameo = rng.choice(codes)
            trigger, template = TEMPLATES[cameo]
            sentence = template.format(s=COUNTRIES[s], t=COUNTRIES[t],
                                       S=COUNTRIES[s][:1].upper() + COUNTRIES[s][1:])
            evs.append(make_event(
                aid, source=s + rng.choice(SECTORS), target=t + rng.choice(SECTORS),
                cameo=cameo, date=day.isoformat(), sentence_index=j, trigger=trigger,
                place=rng.choice([None, *PLACES]),
                modality=rng.choice(("asserted",) * 8 + ("negated", "hypothetical")),
                sentence=f"{sentence[:-1]}, the report said in paragraph {j + 1}.",
                reported_by=rng.choice([(), (), ("officials",), (rng.choice(outlets),)]),
                report_date=day.isoformat(),
            ))
        yield assemble(art, evs)


class LiveServer:
    """A real uvicorn server on a free loopback port, in a background thread."""

    def __init__(self, app: object) -> None:
        import threading

        import uvicorn

        self.config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning",
                                     lifespan="on")  # type: ignore[arg-type]
        self.server = uvicorn.Server(self.config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> LiveServer:
        import time

        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("test server did not start")
            time.sleep(0.02)
        sock = self.server.servers[0].sockets[0]
        self.url = f"http://127.0.0.1:{sock.getsockname()[1]}"
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=20)
