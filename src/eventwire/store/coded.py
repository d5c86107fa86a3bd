"""Coded output as Parquet: what `eventwire batch` writes and `eventwire ingest DIR` loads.

One row per event, with the store's flat event columns (the layout of
`events_table`, also the Parquet export) followed by the article's own
columns, prefixed `article_` (`article_text`, `article_date`, `article_title`,
`article_url`, `article_outlet`, `article_origin`). An article without events
has one row whose `event_id` is null, so that it is stored too (and skipped
on the next run). `article_id` is the store key (the input id, or
`sha-<content hash>`), and event ids are computed with it, so the ids in the
Parquet files are the ids the store will have.

Rows of one article need not be adjacent, nor in one file: the reader groups
them by article id (DuckDB sorts, spilling to disk when large).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from ..errors import StoreError
from ..records import Actor, Article, Event, Location
from .columns import (
    ACTOR_PARTS,
    EVENT_SCHEMA,
    LOCATION_PARTS,
    article_key,
    events_table,
    iso,
    own_events,
    parse_date,
)

ARTICLE_COLUMNS: tuple[tuple[str, pa.DataType], ...] = (
    ("article_text", pa.string()),
    ("article_date", pa.date32()),
    ("article_title", pa.string()),
    ("article_url", pa.string()),
    ("article_outlet", pa.string()),
    ("article_origin", pa.string()),
)
CODED_SCHEMA = pa.schema([*EVENT_SCHEMA, *(pa.field(n, t) for n, t in ARTICLE_COLUMNS)])


def coded_table(pairs: Iterable[tuple[Article, Sequence[Event]]]) -> pa.Table:
    """Coded (article, events) pairs -> one Arrow table in the CODED_SCHEMA layout."""
    events: list[Event | None] = []
    meta: list[tuple[str, Article]] = []
    for article, evs in pairs:
        key = article_key(article)
        own = own_events(key, evs)
        slots: list[Event | None] = list(own) if own else [None]
        for e in slots:
            events.append(e)
            meta.append((key, article))
    real = [e for e in events if e is not None]
    flat = events_table(real).to_pydict()
    cols: dict[str, list[Any]] = {name: [] for name in CODED_SCHEMA.names}
    at = 0
    for ev, (key, article) in zip(events, meta, strict=True):
        for name in EVENT_SCHEMA.names:
            if ev is None:
                cols[name].append(key if name == "article_id" else None)
            else:
                cols[name].append(flat[name][at])
        if ev is not None:
            at += 1
        cols["article_text"].append(article.text)
        cols["article_date"].append(parse_date(article.date))
        cols["article_title"].append(article.title)
        cols["article_url"].append(article.url)
        cols["article_outlet"].append(article.outlet)
        cols["article_origin"].append(article.origin)
    return pa.table(cols, schema=CODED_SCHEMA)


def write_coded(pairs: Iterable[tuple[Article, Sequence[Event]]], path: str | Path) -> int:
    """Write one Parquet file of coded pairs; returns the number of rows."""
    table = coded_table(pairs)
    try:
        pq.write_table(table, str(path))
    except OSError as exc:
        raise StoreError(f"{path}: cannot write Parquet: {exc}") from None
    return int(table.num_rows)


def coded_files(path: str | Path) -> list[Path]:
    """The Parquet files of a coded-output directory (recursive), or the file itself."""
    p = Path(path)
    if p.is_file():
        return [p] if p.suffix.lower() == ".parquet" else []
    if p.is_dir():
        return sorted(f for f in p.rglob("*.parquet")
                      if not any(part.startswith(".") for part in f.relative_to(p).parts))
    return []


def is_coded(path: str | Path) -> bool:
    """Whether an ingest input is coded output (a .parquet file, or a folder of them)."""
    return bool(coded_files(path))


def read_coded(path: str | Path, *, batch_rows: int = 10_000
               ) -> Iterator[tuple[Article, list[Event]]]:
    """(article, events) pairs from coded Parquet, grouped by article id."""
    files = coded_files(path)
    if not files:
        raise StoreError(f"{path}: no .parquet files of coded events")
    # columns added after a file was written are read as NULL
    later = {f"location_{p}" for p in ("admin1", "geonames_id", "precision", "basis")}
    need = set(CODED_SCHEMA.names) - later
    present: set[str] = set(CODED_SCHEMA.names)
    for f in files:
        try:
            names = set(pq.read_schema(str(f)).names)
        except (OSError, pa.ArrowException) as exc:
            raise StoreError(f"{f}: not a readable Parquet file: {exc}") from None
        present &= names
        missing = sorted(need - names)
        if missing:
            raise StoreError(f"{f}: not coded eventwire output; missing columns "
                             + ", ".join(missing[:5]) + (" ..." if len(missing) > 5 else ""))
    con = duckdb.connect()
    try:
        cols = ", ".join(f'"{n}"' if n in present else f'NULL AS "{n}"'
                         for n in CODED_SCHEMA.names)
        cur = con.execute(
            f"SELECT {cols} FROM read_parquet(?, union_by_name = true) "
            "ORDER BY article_id, md5(article_text), sentence_index NULLS FIRST, event_id",
            [[str(f) for f in files]])
        names = CODED_SCHEMA.names
        current: tuple[str, str] | None = None
        article: Article | None = None
        events: list[Event] = []
        while rows := cur.fetchmany(batch_rows):
            for row in rows:
                r = dict(zip(names, row, strict=True))
                key = (r["article_id"], r["article_text"])
                if key != current:
                    if article is not None:
                        yield article, events
                    current = key
                    article = Article(id=r["article_id"], text=r["article_text"] or "",
                                      date=iso(r["article_date"]), title=r["article_title"],
                                      url=r["article_url"], outlet=r["article_outlet"],
                                      origin=r["article_origin"])
                    events = []
                if r["event_id"] is not None:
                    events.append(_event(r))
        if article is not None:
            yield article, events
    except duckdb.Error as exc:
        raise StoreError(f"{path}: cannot read coded Parquet: {str(exc).splitlines()[0]}"
                         ) from None
    finally:
        con.close()


def _actor(r: dict[str, Any], side: str) -> Actor | None:
    if r[f"{side}_code"] is None and r[f"{side}_text"] is None:
        return None
    d = {p: r.get(f"{side}_{p}") for p in ACTOR_PARTS}
    return Actor.from_dict({**d, "text": d["text"] or "", "code": d["code"] or "",
                            "implied": bool(d["implied"])})


def _event(r: dict[str, Any]) -> Event:
    loc = None
    if r["location_name"] is not None:
        loc = Location(**{p: r.get(f"location_{p}") for p in LOCATION_PARTS})  # type: ignore[arg-type]
    return Event(
        event_id=r["event_id"], article_id=r["article_id"],
        sentence_index=int(r["sentence_index"]), sentence=r["sentence"],
        span=(int(r["span_start"]), int(r["span_end"])), trigger=r["trigger"],
        date=iso(r["date"]), date_precision=r["date_precision"],
        report_date=iso(r["report_date"]),
        source=_actor(r, "source"), target=_actor(r, "target"),
        cameo=r["cameo"], cameo_root=r["cameo_root"], cameo_name=r["cameo_name"],
        goldstein=r["goldstein"], quad_class=r["quad_class"], plover=r["plover"],
        plover_mode=r["plover_mode"], modality=r["modality"], location=loc,
        reported_by=tuple(r["reported_by"] or ()), confidence=float(r["confidence"]),
    )
