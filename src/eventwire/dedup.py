"""Within-article dedup: one record per (date, source, target, code, modality).

Several sentences of one article often report the same event ("Russia
invaded Ukraine ..." and later "... since Russia's invasion of Ukraine").
Of each group the record with the highest confidence is kept, the earliest
sentence on ties; the order of the article is preserved.

An actor is its code plus, where the text names a person, that name: the
presidents' call and the foreign ministers' call of the same day are two
events between CHNGOV and RUSGOV, not one. Asserted, negated and
hypothetical mentions are kept apart.
"""

from __future__ import annotations

from .records import Actor, Event

Key = tuple[str | None, str | None, str | None, str, str]


def _actor_key(a: Actor | None) -> str | None:
    if a is None:
        return None
    return f"{a.code}|{a.name}" if a.name else a.code


def dedup_key(e: Event) -> Key:
    return (e.date, _actor_key(e.source), _actor_key(e.target), e.cameo, e.modality)


def dedup_article(events: list[Event]) -> list[Event]:
    best: dict[Key, Event] = {}
    for e in events:
        k = dedup_key(e)
        if k not in best or e.confidence > best[k].confidence:
            best[k] = e
    keep = {id(e) for e in best.values()}
    return [e for e in events if id(e) in keep]
