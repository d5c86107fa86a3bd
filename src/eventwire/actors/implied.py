"""What the text implies about an event's actors but does not say (an article stage).

Runs over an article's coded events, before dedup; it never touches a stated
actor's code, only fills what is empty, and marks what it filled:

- **Implied agents.** A custody or crowd-control act told with no agent
  ("three men were arrested", "security was tightened", "the crowd was
  lathi-charged") is by definition done by a state security force: CAMEO
  names the sector in the code itself (173 arrest or charge, 175 repression,
  151/153 police alert and police power, 152/154 military alert and forces).
  Such an event gets an `implied` source of that sector, with `basis` naming
  the act. Killings and attacks with no agent get none: their doer is
  unknown, and guessing it would invent a perpetrator.
- **Countries of bare sector actors.** "police", "protesters", "the ministry"
  take the country where geo.locate placed the event (a place in its
  sentence, the dateline, the article's main place), else the article's
  country (the one its stated actors name most, when one leads), with
  `country_basis` saying which (`place`, `dateline`, `article place`,
  `article`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import replace

from ..records import Actor, Event

# CAMEO code prefix -> the sector the code itself names as the doer
IMPLIED_SECTOR: tuple[tuple[str, str], ...] = (
    ("173", "COP"), ("175", "COP"), ("151", "COP"), ("153", "COP"),
    ("152", "MIL"), ("154", "MIL"),
)
# sector codes that are no sector of a state ("PPL" is an unnamed person)
NO_COUNTRY_SECTORS = {"IGO", "NGO", "MNC", "PPL", "UNK"}


def implied_sector(cameo: str) -> str | None:
    return next((sector for prefix, sector in IMPLIED_SECTOR if cameo.startswith(prefix)), None)


def implied_agent(event: Event) -> Actor | None:
    """The security actor an agentless custody or crowd-control act implies."""
    sector = implied_sector(event.cameo) if event.source is None else None
    if sector is None:
        return None
    return Actor(text="", code=sector, sector=sector, implied=True,
                 basis=f"agentless {event.cameo_name.lower()} ('{event.trigger}')")


def article_country(events: Sequence[Event]) -> str | None:
    """The country the article's stated actors name most, when one leads."""
    counts = Counter(a.country for e in events for a in (e.source, e.target)
                     if a is not None and a.country and not a.country_basis)
    top = counts.most_common(2)
    if not top or (len(top) == 2 and top[0][1] == top[1][1]):
        return None
    return top[0][0]


# where a located event's place came from (geo.locate) -> the actor's country_basis;
# a location taken from an actor's own country ("actor") is no evidence for another
PLACE_BASIS = {"sentence": "place", "dateline": "dateline", "article": "article place"}


def _place_country(event: Event) -> tuple[str, str] | None:
    loc = event.location
    if loc is None or not loc.country or loc.basis not in PLACE_BASIS:
        return None
    return loc.country, PLACE_BASIS[loc.basis]


def _with_country(actor: Actor | None, found: tuple[str, str] | None) -> Actor | None:
    if actor is None or actor.country or not actor.sector or actor.sector in NO_COUNTRY_SECTORS:
        return actor
    if actor.code != actor.sector:  # an organisation or a named person: not a bare sector
        return actor
    if found is None:
        return actor
    country, basis = found
    return replace(actor, code=country + actor.sector, country=country, country_basis=basis)


def imply_actors(events: Sequence[Event]) -> list[Event]:
    """The article's events with implied agents and countries filled in (see module doc)."""
    country = article_country(events)
    out: list[Event] = []
    for e in events:
        source = e.source or implied_agent(e)
        found = _place_country(e) or ((country, "article") if country else None)
        source = _with_country(source, found)
        target = _with_country(e.target, found)
        if source is e.source and target is e.target:
            out.append(e)
        else:
            out.append(replace(e, source=source, target=target, event_id=""))
    return out
