"""The columns and conversions that ingest, the merged view, queries, export and coded Parquet share.

Arrow layouts of the `events` table (the Parquet export and coded Parquet
use the same), the SELECT list that reads it back and the row -> record
conversion, store keys and dates. It imports nothing from the store.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any

import pyarrow as pa

from ..errors import StoreError
from ..records import Article, Event, period_start

# who did what to whom, where: the columns an event and a merged event share
# an actor's fields (records.Actor); `implied` and the two bases say what the
# text only implies (actors.implied)
ACTOR_PARTS = ("text", "code", "country", "sector", "name", "implied", "basis", "country_basis")
CODED_COLUMNS: tuple[tuple[str, pa.DataType], ...] = (
    *[(f"{side}_{part}", pa.bool_() if part == "implied" else pa.string())
      for side in ("source", "target") for part in ACTOR_PARTS],
    ("cameo", pa.string()),
    ("cameo_root", pa.string()),
    ("cameo_name", pa.string()),
    ("goldstein", pa.float64()),
    ("quad_class", pa.int8()),
    ("plover", pa.string()),
    ("plover_mode", pa.string()),
    ("modality", pa.string()),
    ("location_name", pa.string()),
    ("location_country", pa.string()),
    ("location_lat", pa.float64()),
    ("location_lon", pa.float64()),
    ("location_admin1", pa.string()),
    ("location_geonames_id", pa.int64()),
    ("location_precision", pa.string()),  # place | admin1 | country
    ("location_basis", pa.string()),  # sentence | dateline | article | actor
)
LOCATION_PARTS = ("name", "country", "lat", "lon", "admin1", "geonames_id", "precision", "basis")

EVENT_SCHEMA = pa.schema(
    [
        ("event_id", pa.string()),
        ("article_id", pa.string()),
        ("sentence_index", pa.int32()),
        ("sentence", pa.string()),
        ("span_start", pa.int32()),
        ("span_end", pa.int32()),
        ("trigger", pa.string()),
        ("date", pa.date32()),
        ("date_precision", pa.string()),
        ("report_date", pa.date32()),
        *CODED_COLUMNS,
        ("reported_by", pa.list_(pa.string())),
        ("confidence", pa.float64()),
    ]
)


def article_key(article: Article) -> str:
    """The store's key of an article: its id, or its content hash without one."""
    key = (article.id or "").strip()
    return key or f"sha-{article.content_hash}"


def parse_date(value: str | None) -> dt.date | None:
    """ISO `YYYY-MM-DD`, `YYYY-MM` or `YYYY` -> the first day of that period."""
    if not value:
        return None
    text = str(value).strip()
    try:
        return period_start(text)
    except ValueError as exc:
        raise StoreError(f"date '{text}' is not an ISO date (YYYY-MM-DD): {exc}") from None


def own_events(key: str, events: Sequence[Event]) -> list[Event]:
    """Events re-keyed to their article's store key, one per event_id (best confidence)."""
    best: dict[str, Event] = {}
    for event in events:
        if event.article_id != key:
            # The event id hashes the article id, so it is recomputed with the key.
            event = replace(event, article_id=key, event_id="")
        seen = best.get(event.event_id)
        if seen is None or event.confidence > seen.confidence:
            best[event.event_id] = event
    return list(best.values())


def events_table(events: Iterable[Event]) -> pa.Table:
    """Events flattened to the store's columns (also the Parquet export layout)."""
    cols: dict[str, list[Any]] = {name: [] for name in EVENT_SCHEMA.names}
    for e in events:
        cols["event_id"].append(e.event_id)
        cols["article_id"].append(e.article_id)
        cols["sentence_index"].append(e.sentence_index)
        cols["sentence"].append(e.sentence)
        cols["span_start"].append(e.span[0])
        cols["span_end"].append(e.span[1])
        cols["trigger"].append(e.trigger)
        cols["date"].append(parse_date(e.date))
        cols["date_precision"].append(e.date_precision)
        cols["report_date"].append(parse_date(e.report_date))
        for side, actor in (("source", e.source), ("target", e.target)):
            for part in ACTOR_PARTS:
                cols[f"{side}_{part}"].append(getattr(actor, part) if actor else None)
        cols["cameo"].append(e.cameo)
        cols["cameo_root"].append(e.cameo_root)
        cols["cameo_name"].append(e.cameo_name)
        cols["goldstein"].append(e.goldstein)
        cols["quad_class"].append(e.quad_class)
        cols["plover"].append(e.plover)
        cols["plover_mode"].append(e.plover_mode)
        cols["modality"].append(e.modality)
        for part in LOCATION_PARTS:
            cols[f"location_{part}"].append(getattr(e.location, part) if e.location else None)
        cols["reported_by"].append(list(e.reported_by))
        cols["confidence"].append(e.confidence)
    return pa.table(cols, schema=EVENT_SCHEMA)


# What row_to_event reads: `e` is events, `a` its article (LEFT JOIN, for the outlet).
EVENT_COLUMNS = (
    "e.event_id, e.article_id, e.sentence_index, e.sentence, e.span_start, e.span_end, "
    "e.trigger, e.date, e.date_precision, e.report_date, "
    "e.source_text, e.source_code, e.source_country, e.source_sector, e.source_name, "
    "e.target_text, e.target_code, e.target_country, e.target_sector, e.target_name, "
    "e.cameo, e.cameo_root, e.cameo_name, e.goldstein, e.quad_class, e.plover, e.plover_mode, "
    "e.modality, e.location_name, e.location_country, e.location_lat, e.location_lon, "
    "e.reported_by, e.confidence, a.outlet, "
    "e.location_admin1, e.location_geonames_id, e.location_precision, e.location_basis, "
    "e.source_implied, e.source_basis, e.source_country_basis, "
    "e.target_implied, e.target_basis, e.target_country_basis"
)


def iso(value: Any) -> str | None:
    """A DuckDB DATE as `YYYY-MM-DD`; anything else (NULL) as None."""
    return value.isoformat() if isinstance(value, dt.date) else None


def _actor_dict(row: tuple[Any, ...], at: int, implied_at: int) -> dict[str, Any] | None:
    text, code, country, sector, name = row[at:at + 5]
    if code is None and text is None:
        return None
    implied, basis, country_basis = row[implied_at:implied_at + 3]
    return {"text": text, "code": code, "country": country, "sector": sector, "name": name,
            "implied": bool(implied), "basis": basis, "country_basis": country_basis}


def row_to_event(row: tuple[Any, ...]) -> dict[str, Any]:
    """A row of EVENT_COLUMNS -> the DESIGN.md event record, plus the article's outlet."""
    loc = None
    if row[28] is not None:
        loc = {"name": row[28], "country": row[29], "lat": row[30], "lon": row[31],
               "admin1": row[35], "geonames_id": row[36], "precision": row[37],
               "basis": row[38]}
    return {
        "event_id": row[0], "article_id": row[1], "sentence_index": row[2],
        "sentence": row[3], "span": [row[4], row[5]], "trigger": row[6],
        "date": iso(row[7]), "date_precision": row[8], "report_date": iso(row[9]),
        "source": _actor_dict(row, 10, 39), "target": _actor_dict(row, 15, 42),
        "cameo": row[20], "cameo_root": row[21], "cameo_name": row[22],
        "goldstein": row[23], "quad_class": row[24], "plover": row[25],
        "plover_mode": row[26], "modality": row[27], "location": loc,
        "reported_by": list(row[32] or []), "confidence": row[33], "outlet": row[34],
    }
