"""The geolocation event stage: each built event gets its Location (geo.locate)."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from ..records import Event
from .locate import Locator

if TYPE_CHECKING:
    from ..events.reading import Reading
    from ..stages import Sentence


class Geolocate:
    """Places an event from its sentence, the article, or its actors' countries."""

    def __init__(self, locator: Locator) -> None:
        self.locator = locator

    def __call__(self, event: Event, r: Reading, s: Sentence) -> Event:
        # the actors' own words are no place of the event ("Kenyan police")
        actor_tokens = {i for m in r.sources + r.targets for i in m.tokens}
        location = self.locator.locate(s.sent, r.pred.trigger, actor_tokens, s.article,
                                       target=event.target, source=event.source)
        # the location is no part of the event's id, which stays
        return event if location is None else replace(event, location=location)
