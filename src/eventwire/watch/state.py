"""`eventwire watch` state in the store: polled sources and the seen-URL queue.

`watch_sources` keeps each feed's or sitemap's validators (ETag,
Last-Modified) and its run of failures. `watch_urls` is both the seen-URL
table and the work queue, keyed by canonical URL (also the stored article's
id). An entry goes

    pending  --fetched, coded, stored-->  stored  --alerts evaluated-->  done
       |--given up (permanent failure, or too many tries)-->  failed

A poll's new entries and the source's new validators are written in one
transaction, so a kill after a 200 can never leave a source that answers 304
next time with its new entries unrecorded; the article rows are written by
the ordinary ingest path (whole articles per transaction), and a pending URL
whose article is already stored is marked stored without being fetched or
coded again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import duckdb

from ..store.txn import transaction as db_transaction
from .sources import Entry


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


@dataclass(frozen=True, slots=True)
class SourceState:
    url: str
    etag: str | None = None
    last_modified: str | None = None
    failures: int = 0
    last_error: str | None = None
    next_poll_at: dt.datetime | None = None
    children: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Poll:
    """The outcome of polling one source, to be recorded."""

    url: str
    kind: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    error: str | None = None
    entries: tuple[Entry, ...] = ()
    children: tuple[str, ...] = ()


def source_states(con: duckdb.DuckDBPyConnection, urls: Sequence[str]
                  ) -> dict[str, SourceState]:
    rows = con.execute(
        "SELECT url, etag, last_modified, failures, last_error, next_poll_at, children "
        "FROM watch_sources WHERE url = ANY(?)", [list(urls)]).fetchall()
    return {r[0]: SourceState(url=r[0], etag=r[1], last_modified=r[2], failures=int(r[3]),
                              last_error=r[4], next_poll_at=r[5], children=tuple(r[6] or ()))
            for r in rows}


def transaction(con: duckdb.DuckDBPyConnection, work: Callable[[], Any]) -> Any:
    return db_transaction(con, work, "write watch state")


def record_polls(con: duckdb.DuckDBPyConnection, polls: Sequence[Poll],
                 backoff: Callable[[int], float]) -> int:
    """Store the polls' validators and failure runs and queue their unseen entries,
    in one transaction; returns the number of entries queued."""
    now = utcnow()

    def work() -> int:
        new = 0
        for p in polls:
            if p.error is None:
                con.execute(
                    "INSERT INTO watch_sources VALUES (?, ?, ?, ?, ?, ?, 0, NULL, NULL, ?) "
                    "ON CONFLICT (url) DO UPDATE SET kind = coalesce(excluded.kind, kind), "
                    "etag = excluded.etag, last_modified = excluded.last_modified, "
                    "polled_at = excluded.polled_at, ok_at = excluded.ok_at, failures = 0, "
                    "last_error = NULL, next_poll_at = NULL, children = excluded.children",
                    [p.url, p.kind, p.etag, p.last_modified, now, now, list(p.children)])
            else:
                row = con.execute("SELECT failures FROM watch_sources WHERE url = ?",
                                  [p.url]).fetchone()
                failures = (int(row[0]) if row else 0) + 1
                wait = dt.timedelta(seconds=backoff(failures))
                con.execute(
                    "INSERT INTO watch_sources VALUES (?, NULL, NULL, NULL, ?, NULL, ?, ?, ?, NULL) "
                    "ON CONFLICT (url) DO UPDATE SET polled_at = excluded.polled_at, "
                    "failures = excluded.failures, last_error = excluded.last_error, "
                    "next_poll_at = excluded.next_poll_at",
                    [p.url, now, failures, p.error, now + wait])
            new += _queue(con, p.entries, now)
        return new

    return int(transaction(con, work))


def _queue(con: duckdb.DuckDBPyConnection, entries: Iterable[Entry], now: dt.datetime) -> int:
    unique = list({e.key: e for e in entries}.values())
    if not unique:
        return 0
    known = {r[0] for r in con.execute(
        "SELECT url_key FROM watch_urls WHERE url_key = ANY(?)",
        [[e.key for e in unique]]).fetchall()}
    fresh = [e for e in unique if e.key not in known]
    if fresh:
        con.executemany(
            "INSERT INTO watch_urls VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', 0, NULL, NULL, ?, ?)",
            [[e.key, e.url, e.source, e.title, e.date, e.text, e.outlet, now, now]
             for e in fresh])
    return len(fresh)


def failing_sources(con: duckdb.DuckDBPyConnection, urls: Sequence[str], at_least: int
                    ) -> list[SourceState]:
    return [s for s in source_states(con, urls).values() if s.failures >= at_least]


# -- the URL queue -----------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Queued:
    entry: Entry
    attempts: int


def due(con: duckdb.DuckDBPyConnection, now: dt.datetime) -> list[Queued]:
    """Pending URLs whose next try is due, oldest first; the already stored ones
    (a kill between storing and marking) are marked stored instead."""
    transaction(con, lambda: con.execute(
        "UPDATE watch_urls SET status = 'stored', updated_at = ? WHERE status = 'pending' "
        "AND url_key IN (SELECT article_id FROM articles)", [now]))
    rows = con.execute(
        "SELECT url_key, url, source, title, entry_date, entry_text, outlet, attempts "
        "FROM watch_urls WHERE status = 'pending' AND (next_try_at IS NULL OR next_try_at <= ?) "
        "ORDER BY first_seen, url_key", [now]).fetchall()
    return [Queued(Entry(url=r[1], key=r[0], source=r[2], title=r[3], date=r[4], text=r[5],
                         outlet=r[6]), int(r[7])) for r in rows]


def set_status(con: duckdb.DuckDBPyConnection, keys: Sequence[str], status: str,
               error: str | None = None) -> None:
    if keys:
        transaction(con, lambda: con.execute(
            "UPDATE watch_urls SET status = ?, last_error = coalesce(?, last_error), "
            "attempts = attempts + (CASE WHEN ? = 'failed' THEN 1 ELSE 0 END), updated_at = ? "
            "WHERE url_key = ANY(?)", [status, error, status, utcnow(), list(keys)]))


def retry_later(con: duckdb.DuckDBPyConnection, key: str, error: str, wait: float) -> None:
    now = utcnow()
    transaction(con, lambda: con.execute(
        "UPDATE watch_urls SET attempts = attempts + 1, last_error = ?, next_try_at = ?, "
        "updated_at = ? WHERE url_key = ?",
        [error, now + dt.timedelta(seconds=wait), now, key]))


def stored_not_evaluated(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [r[0] for r in con.execute(
        "SELECT url_key FROM watch_urls WHERE status = 'stored' ORDER BY url_key").fetchall()]
