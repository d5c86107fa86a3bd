"""Writing coded articles into the store, idempotently.

An article's key is its id, or `sha-<content hash>` when it has none. Per key:

- not in the store: the article and its events are inserted;
- in the store with the same text (content hash): nothing changes;
- in the store with different text: the article row and all its events are
  replaced (the newer coding wins).

Articles are written in batches; a batch (article rows + their events, the
deletions of replaced ones) is one transaction, so a crash leaves whole
articles or none, never half of one. `store_coded` is the seam for callers
that already have coded events (e.g. Parquet written by `eventwire batch`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass
from itertools import islice
from typing import Any

import duckdb
import pyarrow as pa

from ..errors import StoreError
from ..records import Article, Event
from .columns import article_key, events_table, own_events, parse_date
from .txn import advice

DEFAULT_BATCH = 256

ARTICLE_SCHEMA = pa.schema(
    [
        ("article_id", pa.string()),
        ("content_hash", pa.string()),
        ("date", pa.date32()),
        ("title", pa.string()),
        ("url", pa.string()),
        ("outlet", pa.string()),
        ("origin", pa.string()),
        ("text", pa.string()),
        ("n_events", pa.int32()),
        ("ingested_at", pa.timestamp("us")),
    ]
)


@dataclass(slots=True)
class IngestReport:
    """What an ingest did, in articles and events."""

    articles_new: int = 0
    articles_updated: int = 0
    articles_unchanged: int = 0
    events_written: int = 0
    events_deleted: int = 0

    @property
    def articles_seen(self) -> int:
        return self.articles_new + self.articles_updated + self.articles_unchanged

    def add(self, other: IngestReport) -> None:
        for name in ("articles_new", "articles_updated", "articles_unchanged",
                     "events_written", "events_deleted"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def to_dict(self) -> dict[str, int]:
        return {**asdict(self), "articles_seen": self.articles_seen}


def ingest(con: duckdb.DuckDBPyConnection, pairs: Iterable[tuple[Article, Sequence[Event]]],
           *, batch_size: int = DEFAULT_BATCH) -> IngestReport:
    """Store coded (article, events) pairs; see the module doc for the rules."""
    report = IngestReport()
    iterator: Iterator[tuple[Article, Sequence[Event]]] = iter(pairs)
    while batch := list(islice(iterator, max(1, batch_size))):
        report.add(store_coded(con, batch))
    return report


def store_coded(con: duckdb.DuckDBPyConnection,
                pairs: Sequence[tuple[Article, Sequence[Event]]]) -> IngestReport:
    """Write one batch of already-coded articles in one transaction."""
    report = IngestReport()
    # Same key twice in one batch: the later one is what a sequential ingest would keep.
    latest: dict[str, tuple[Article, list[Event]]] = {}
    for article, events in pairs:
        key = article_key(article)
        latest[key] = (article, own_events(key, events))
    if not latest:
        return report
    keys = list(latest)
    existing = dict(
        con.execute(
            "SELECT a.article_id, a.content_hash FROM articles a "
            "JOIN (SELECT unnest(?::VARCHAR[]) AS k) ON a.article_id = k",
            [keys],
        ).fetchall()
    )
    write: list[tuple[str, Article, list[Event]]] = []
    replaced: list[str] = []
    for key, (article, events) in latest.items():
        old_hash = existing.get(key)
        if old_hash == article.content_hash:
            report.articles_unchanged += 1
            continue
        if old_hash is None:
            report.articles_new += 1
        else:
            report.articles_updated += 1
            replaced.append(key)
        write.append((key, article, events))
    if not write:
        return report
    articles_tbl = articles_table(write)
    events_tbl = events_table([e for _, _, events in write for e in events])
    try:
        con.execute("BEGIN TRANSACTION")
        if replaced:
            row = con.execute(
                "SELECT count(*) FROM events WHERE article_id IN (SELECT unnest(?::VARCHAR[]))",
                [replaced],
            ).fetchone()
            report.events_deleted = int(row[0]) if row else 0
            con.execute("DELETE FROM events WHERE article_id IN (SELECT unnest(?::VARCHAR[]))",
                        [replaced])
            con.execute("DELETE FROM articles WHERE article_id IN (SELECT unnest(?::VARCHAR[]))",
                        [replaced])
        con.register("_ew_articles", articles_tbl)
        con.register("_ew_events", events_tbl)
        con.execute("INSERT INTO articles BY NAME SELECT * FROM _ew_articles")
        con.execute("INSERT INTO events BY NAME SELECT * FROM _ew_events")
        con.execute("COMMIT")
    except duckdb.Error as exc:
        _rollback(con)
        raise StoreError(f"cannot write {len(write)} articles (first: {write[0][0]}): "
                         f"{str(exc).splitlines()[0]}{advice(str(exc))}") from exc
    except BaseException:
        _rollback(con)
        raise
    finally:
        for name in ("_ew_articles", "_ew_events"):
            with contextlib.suppress(duckdb.Error):
                con.unregister(name)
    report.events_written = events_tbl.num_rows
    return report


def _rollback(con: duckdb.DuckDBPyConnection) -> None:
    with contextlib.suppress(duckdb.Error):  # no transaction may be open
        con.execute("ROLLBACK")


def articles_table(rows: Sequence[tuple[str, Article, Sequence[Event]]]) -> pa.Table:
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    cols: dict[str, list[Any]] = {name: [] for name in ARTICLE_SCHEMA.names}
    for key, article, events in rows:
        cols["article_id"].append(key)
        cols["content_hash"].append(article.content_hash)
        cols["date"].append(parse_date(article.date))
        cols["title"].append(article.title)
        cols["url"].append(article.url)
        cols["outlet"].append(article.outlet)
        cols["origin"].append(article.origin)
        cols["text"].append(article.text)
        cols["n_events"].append(len(events))
        cols["ingested_at"].append(now)
    return pa.table(cols, schema=ARTICLE_SCHEMA)


def unchanged(con: duckdb.DuckDBPyConnection, articles: Sequence[Article]) -> set[str]:
    """Keys of articles already stored with the same text: no need to code them again."""
    if not articles:
        return set()
    wanted = {article_key(a): a.content_hash for a in articles}
    rows = con.execute(
        "SELECT a.article_id, a.content_hash FROM articles a "
        "JOIN (SELECT unnest(?::VARCHAR[]) AS k) ON a.article_id = k", [list(wanted)]
    ).fetchall()
    return {key for key, digest in rows if wanted.get(key) == digest}
