"""Within-article dedup: one record per (date, source, target, code, modality).

Several sentences of one article often report the same event ("Russia
invaded Ukraine ..." and later "... since Russia's invasion of Ukraine").
Of each group the record with the highest confidence is kept, the earliest
sentence on ties; the order of the article is preserved.
"""

from __future__ import annotations

from .records import Event


def dedup_key(e: Event) -> tuple[str | None, str | None, str | None, str, str]:
    return (e.date, e.source.code if e.source else None,
            e.target.code if e.target else None, e.cameo, e.modality)


def dedup_article(events: list[Event]) -> list[Event]:
    best: dict[tuple[str | None, str | None, str | None, str, str], Event] = {}
    for e in events:
        k = dedup_key(e)
        if k not in best or e.confidence > best[k].confidence:
            best[k] = e
    keep = {id(e) for e in best.values()}
    return [e for e in events if id(e) in keep]
