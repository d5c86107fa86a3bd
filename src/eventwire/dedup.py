"""Within-article dedup: one record per (date, source, target, code, modality).

Several sentences of one article often report the same event ("Russia
invaded Ukraine ..." and later "... since Russia's invasion of Ukraine").
Of each group the record with the highest confidence is kept, the earliest
sentence on ties; the order of the article is preserved.

An actor is its code plus, where the text names a person, that name: the
presidents' call and the foreign ministers' call of the same day are two
events between CHNGOV and RUSGOV, not one. Asserted, negated and
hypothetical mentions are kept apart. A record with no target is dropped
when its sentence has the same event (date, source, code, modality) with a
target (not for armed violence, roots 18-20).
"""

from __future__ import annotations

from .records import Actor, Event

ARMED_ROOTS = {"18", "19", "20"}
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
    # "Israel and Lebanon renewed talks", "used tear gas to disperse protesters":
    # in one sentence, a record with no target adds nothing beside the same event
    # with a target. Not for armed violence (18-20): "opened fire ..., killing two
    # policemen" tells two acts, and the ACLED-style labels read the trigger.
    def short(k: Key, e: Event) -> tuple[object, ...]:
        return (e.sentence_index, k[0], k[1], k[3], k[4])

    targeted = {short(k, e) for k, e in best.items() if k[2] is not None}
    keep = {id(e) for k, e in best.items()
            if k[2] is not None or e.cameo[:2] in ARMED_ROOTS or short(k, e) not in targeted}
    return [e for e in events if id(e) in keep]
