"""eventwire CLI: store commands (ingest, events, export, serve)."""

from __future__ import annotations

import ipaddress
import os
import sys
from collections.abc import Callable, Iterator
from itertools import islice
from typing import Any

import click

from .. import store
from ..config import Config
from ..errors import EventwireError, InputError
from ..limits import TimeLimitedCoder
from ..records import Article, Event
from . import main
from ._common import ReadableArticles, user_errors, warn
from ._watchopts import watch_options, watch_settings

DB_OPTION = click.option("--db", default="eventwire.duckdb", show_default=True,
                         metavar="PATH", help="DuckDB store file.")

_FILTER_OPTIONS: tuple[tuple[str, str], ...] = (
    ("start", "Events on or after this date (YYYY-MM-DD)."),
    ("end", "Events on or before this date (YYYY-MM-DD)."),
    ("actor", "Actor code (RUSGOV) or country (RUS), as source or target (see --side)."),
    ("side", "Where --actor must appear: source, target or either."),
    ("source", "Source actor code or country."),
    ("target", "Target actor code or country."),
    ("dyad", "Two actors, events between them either way: RUS,UKR."),
    ("cameo", "CAMEO codes, comma-separated (e.g. 190,173)."),
    ("cameo_root", "CAMEO root codes 01-20, comma-separated."),
    ("plover", "PLOVER types, comma-separated (e.g. ASSAULT,PROTEST)."),
    ("quad_class", "Quad classes 1-4, comma-separated."),
    ("outlet", "Article outlets, comma-separated (case-insensitive)."),
    ("reported_by", "A source the event is attributed to (case-insensitive)."),
    ("modality", "asserted (default), negated, hypothetical, or all."),
    ("q", "Text to find in the evidence sentence."),
    ("article_id", "Only this article's events."),
    ("location_country", "Country where the events took place (ISO3)."),
    ("country", "The same as --location-country."),
    ("admin1", "Province or state where the events took place (case-insensitive)."),
    ("bbox", "Only events located in west,south,east,north degrees (e.g. 22,44,40,53)."),
    ("located", "true: only events with coordinates; false: only without."),
)


def filter_options(func: Callable[..., Any]) -> Callable[..., Any]:
    for name, help_text in reversed(_FILTER_OPTIONS):
        flag = "--text" if name == "q" else "--" + name.replace("_", "-")
        func = click.option(flag, name, default=None, metavar="VALUE", help=help_text)(func)
    return func


def _filters(values: dict[str, Any]) -> store.Filters:
    return store.parse_filters({k: values[k] for k, _ in _FILTER_OPTIONS if values.get(k)})


@main.command()
@click.argument("inputs", nargs=-1, metavar="INPUT...")
@DB_OPTION
@click.option("--strict", is_flag=True, help="Stop at the first bad input record.")
@click.option("--batch-size", default=64, show_default=True,
              help="Articles written per transaction (the checkpoint unit).")
@click.option("--workers", "-j", type=click.IntRange(min=0), default=0, show_default=True,
              help="Processes that code articles (0: every core; 1: this process).")
@click.option("--no-merge", is_flag=True,
              help="Do not update the merged view (one row per real-world event) afterwards.")
@click.option("--article-timeout", type=click.FloatRange(min=0, min_open=True), default=None,
              metavar="SECONDS",
              help="Skip (and report) an article that takes longer to code; codes in one "
                   "child process, so --workers is ignored.")
@user_errors
def ingest(inputs: tuple[str, ...], db: str, strict: bool, batch_size: int, workers: int,
           no_merge: bool, article_timeout: float | None) -> None:
    """Code INPUT files (txt, jsonl, csv, html, warc, feeds; - for stdin) into the store.

    An INPUT that is a .parquet file or a folder of them (the output of
    `eventwire batch`) is loaded as coded events, without coding again.

    Idempotent and resumable: an article already stored with the same text
    is skipped without being coded again, one whose text changed has its
    events replaced. Each batch of articles is one transaction, so a run
    that is killed leaves whole articles only; run it again to finish.
    With no INPUT, only creates or migrates the store (and the merged view).
    """
    con = store.connect(db)
    try:
        report, bad, failed = _ingest(con, inputs, strict=strict, batch_size=batch_size,
                                      workers=workers, article_timeout=article_timeout)
        if not no_merge:
            store.sync_merged(con)
        if not inputs:
            click.echo(f"eventwire: store {db} is at schema version {store.SCHEMA_VERSION}",
                       err=True)
            return
        click.echo(
            f"eventwire: {report.articles_seen} articles: {report.articles_new} new, "
            f"{report.articles_updated} updated, {report.articles_unchanged} unchanged; "
            f"{report.events_written} events written to {db}"
            + (f"; {bad} bad input records" if bad else "")
            + (f"; {failed} articles failed to code" if failed else ""), err=True)
        if bad or failed:
            sys.exit(1)
    finally:
        con.close()


def _ingest(con: Any, inputs: tuple[str, ...], *, strict: bool, batch_size: int,
            workers: int, article_timeout: float | None = None
            ) -> tuple[store.IngestReport, int, int]:
    from ..engines import LocalEngine
    from ._progress import Progress

    report = store.IngestReport()
    coded = [p for p in inputs if p != "-" and store.is_coded(p)]
    raw = [p for p in inputs if p not in coded]
    size = max(1, batch_size)
    for path in coded:
        with Progress(None, label="coded articles loaded") as progress:
            source = store.read_coded(path)
            while chunk := list(islice(source, size)):
                report.add(store.store_coded(con, chunk))
                progress.update(len(chunk))
    if not raw:
        return report, 0, 0
    articles = ReadableArticles(raw, strict=strict)

    progress = Progress(_count(raw))

    def todo() -> Iterator[Article]:
        # Skip what is stored already before it reaches a worker: a resumed
        # run codes only what the killed one did not commit.
        source = iter(articles)
        while chunk := list(islice(source, size)):
            done = store.unchanged(con, chunk)
            skipped = [a for a in chunk if store.article_key(a) in done]
            report.articles_unchanged += len(skipped)
            progress.update(len(skipped))
            yield from (a for a in chunk if store.article_key(a) not in done)

    failures: list[str] = []

    def coded_pairs() -> Iterator[tuple[Article, list[Event]]]:
        if article_timeout is None:
            engine = LocalEngine(workers=workers, chunk_size=min(size, 16))
            yield from engine.pipe(todo())
            failures.extend(f"{f.origin or f.article_id}: coding failed, not stored: {f.error}"
                            for f in engine.failures)
            return
        # each article in a child process that is killed when it overruns
        with TimeLimitedCoder(Config(), article_timeout) as limited:
            for article, result in limited.pipe_results(todo(), all_modalities=True):
                if isinstance(result, InputError):
                    failures.append(f"{result}; not stored")  # the error names file:line
                    progress.update(1)
                else:
                    yield article, result

    pending: list[tuple[Article, list[Event]]] = []
    try:
        for pair in coded_pairs():
            pending.append(pair)
            if len(pending) >= size:
                report.add(store.store_coded(con, pending))
                progress.update(len(pending))
                pending = []
        if pending:
            report.add(store.store_coded(con, pending))
            progress.update(len(pending))
    finally:
        progress.close()
    for failure in failures:
        warn(f"error: {failure}")
    return report, articles.bad, len(failures)


_COUNTABLE = (".jsonl", ".ndjson", ".csv", ".tsv", ".txt")


def _count(paths: list[str]) -> int | None:
    """Articles in the input, for an ETA, when a first pass is cheap (not HTML, WARC,
    feeds or stdin, which would cost a second parse)."""
    from pathlib import Path

    from ..read import read_paths

    files: list[Path] = []
    for p in paths:
        path = Path(p)
        if p == "-":
            return None
        if path.is_dir():
            files += [f for f in path.rglob("*") if f.is_file()
                      and f.suffix.lower() in (*_COUNTABLE, ".html", ".htm", ".warc", ".gz",
                                               ".rss", ".atom", ".xml")]
        else:
            files.append(path)
    if any(f.suffix.lower() not in _COUNTABLE for f in files):
        return None
    return sum(1 for item in read_paths(paths) if not isinstance(item, InputError))


@main.command()
@DB_OPTION
@filter_options
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl", "csv", "parquet"]),
              default="table", show_default=True)
@click.option("-o", "--output", default=None, metavar="OUT", help="Output file (default stdout).")
@click.option("--limit", type=click.IntRange(min=1), default=None,
              help="At most this many events (table default: 50).")
@click.option("--merged", is_flag=True,
              help="One row per real-world event (mentions merged across articles, "
                   "docs/merge.md); filters select events with a matching mention.")
@user_errors
def events(db: str, fmt: str, output: str | None, limit: int | None, merged: bool,
           **filters: Any) -> None:
    """Query stored events, newest first."""
    f = _filters(filters)
    con = store.connect(db, read_only=True)
    try:
        if fmt == "table" and limit is None:
            limit = 50
        if merged:
            _write_merged(con, f, fmt, output, limit)
        else:
            _write(con, f, fmt, output, limit)
    finally:
        con.close()


def _write_merged(con: Any, f: store.Filters, fmt: str, output: str | None,
                  limit: int | None) -> int:
    from ..store.merged import write_merged

    rows: Iterator[dict[str, Any]] = store.iter_merged(con, f)
    if limit is not None:
        rows = islice(rows, limit)
    if fmt == "parquet":
        return write_merged(rows, fmt, None, output if output != "-" else None)
    if not output or output == "-":
        return write_merged(rows, fmt, sys.stdout)
    try:
        with open(output, "w", encoding="utf-8", newline="") as out:
            return write_merged(rows, fmt, out)
    except OSError as exc:
        raise EventwireError(f"{output}: cannot write: {exc.strerror}") from None


@main.command()
@DB_OPTION
@filter_options
@click.option("--format", "fmt", type=click.Choice(["parquet", "gdelt", "jsonl", "csv"]),
              default="parquet", show_default=True)
@click.option("-o", "--output", required=True, metavar="OUT", help="Output file.")
@user_errors
def export(db: str, fmt: str, output: str, **filters: Any) -> None:
    """Export events to Parquet or a GDELT-style tab-separated file (docs/store.md)."""
    f = _filters(filters)
    con = store.connect(db, read_only=True)
    try:
        n = _write(con, f, fmt, output, None)
    finally:
        con.close()
    click.echo(f"eventwire: wrote {n} events to {output}", err=True)


def _write(con: Any, f: store.Filters, fmt: str, output: str | None, limit: int | None) -> int:
    from ..store import export as export_mod  # pyarrow: imported only to export

    rows: Iterator[dict[str, Any]] = store.iter_events(con, f)
    if limit is not None:
        rows = islice(rows, limit)
    if fmt == "parquet":
        if not output or output == "-":
            raise EventwireError("--format parquet needs -o OUT (a file)")
        return export_mod.write_parquet(rows, output)
    urls: dict[str, str] = {}
    if fmt == "gdelt":
        urls = dict(con.execute(
            "SELECT article_id, url FROM articles WHERE url IS NOT NULL").fetchall())
    if not output or output == "-":
        return export_mod.write_text(rows, fmt, sys.stdout, urls)
    try:
        with open(output, "w", encoding="utf-8", newline="") as out:
            return export_mod.write_text(rows, fmt, out, urls)
    except OSError as exc:
        raise EventwireError(f"{output}: cannot write: {exc.strerror}") from None


@main.command()
@DB_OPTION
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option("--token", envvar="EVENTWIRE_TOKEN", default=None, metavar="TOKEN",
              help="Bearer token required for writes (or env EVENTWIRE_TOKEN).")
@click.option("--allow-anonymous-writes", is_flag=True,
              help="Accept POST /v1/articles without a token (trusted networks only).")
@click.option("--read-only", is_flag=True,
              help="Open the store read-only: several servers may share it, no writes.")
@click.option("--cors-origin", multiple=True, metavar="ORIGIN",
              help="Allow browser calls from this origin (CORS is off by default).")
@click.option("--watch", "watch_sources", multiple=True, metavar="SOURCE",
              help="Also run `eventwire watch` on this source (repeatable) inside the "
                   "server, which then is the store's one writer (docs/watch.md).")
@watch_options
@user_errors
def serve(db: str, host: str, port: int, token: str | None, allow_anonymous_writes: bool,
          read_only: bool, cors_origin: tuple[str, ...], watch_sources: tuple[str, ...],
          **watch: Any) -> None:
    """Serve the HTTP API (docs at /docs) and the dashboard (at /)."""
    import uvicorn

    from ..api import ServerSettings, create_app

    if watch_sources and read_only:
        raise EventwireError("--watch writes to the store: it cannot go with --read-only")

    if not _is_loopback(host) and not token and allow_anonymous_writes:
        warn("warning: anonymous writes on a non-loopback address; anyone who can reach "
             "it can write to the store")
    app = create_app(ServerSettings(db_path=db, token=token or None,
                                    allow_anonymous_writes=allow_anonymous_writes,
                                    read_only=read_only, cors_origins=cors_origin,
                                    watch=watch_settings(watch_sources, **watch)
                                    if watch_sources else None))
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"eventwire: serving {db} at http://{shown}:{port}/ (API docs at /docs)",
               err=True)
    uvicorn.run(app, host=host, port=port, log_level=os.environ.get("EVENTWIRE_LOG", "info"),
                server_header=False)


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
