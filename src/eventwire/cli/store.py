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
from ..errors import EventwireError, InputError
from ..records import Article, Event
from ..store import export as export_mod
from . import main
from ._common import user_errors, warn

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
    ("location_country", "Country where the events took place."),
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
              help="Articles coded and written per transaction.")
@user_errors
def ingest(inputs: tuple[str, ...], db: str, strict: bool, batch_size: int) -> None:
    """Code INPUT files (txt, jsonl, csv, html, warc, feeds; - for stdin) into the store.

    Idempotent: an article already stored with the same text is skipped; one
    whose text changed has its events replaced. With no INPUT, only creates
    or migrates the store.
    """
    from ..read import read_paths

    con = store.connect(db)
    try:
        if not inputs:
            click.echo(f"eventwire: store {db} is at schema version {store.SCHEMA_VERSION}",
                       err=True)
            return
        bad = 0

        def articles() -> Iterator[Article]:
            nonlocal bad
            for item in read_paths(list(inputs), strict=strict):
                if isinstance(item, InputError):
                    bad += 1
                    warn(f"error: {item}")
                    continue
                yield item

        report = store.IngestReport()
        coder = None
        source = articles()
        while chunk := list(islice(source, max(1, batch_size))):
            done = store.unchanged(con, chunk)
            todo = [a for a in chunk if store.article_key(a) not in done]
            report.articles_unchanged += len(chunk) - len(todo)
            if not todo:
                continue
            if coder is None:
                from .. import load

                coder = load()
            pairs: list[tuple[Article, list[Event]]] = [
                (a, list(evs)) for a, evs in coder.pipe(todo, all_modalities=True)]
            report.add(store.store_coded(con, pairs))
        click.echo(
            f"eventwire: {report.articles_seen} articles: {report.articles_new} new, "
            f"{report.articles_updated} updated, {report.articles_unchanged} unchanged; "
            f"{report.events_written} events written to {db}"
            + (f"; {bad} bad input records" if bad else ""), err=True)
        if bad:
            sys.exit(1)
    finally:
        con.close()


@main.command()
@DB_OPTION
@filter_options
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl", "csv", "parquet"]),
              default="table", show_default=True)
@click.option("-o", "--output", default=None, metavar="OUT", help="Output file (default stdout).")
@click.option("--limit", type=click.IntRange(min=1), default=None,
              help="At most this many events (table default: 50).")
@user_errors
def events(db: str, fmt: str, output: str | None, limit: int | None, **filters: Any) -> None:
    """Query stored events, newest first."""
    f = _filters(filters)
    con = store.connect(db, read_only=True)
    try:
        if fmt == "table" and limit is None:
            limit = 50
        _write(con, f, fmt, output, limit)
    finally:
        con.close()


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
@user_errors
def serve(db: str, host: str, port: int, token: str | None, allow_anonymous_writes: bool,
          read_only: bool, cors_origin: tuple[str, ...]) -> None:
    """Serve the HTTP API (docs at /docs) and the dashboard (at /)."""
    import uvicorn

    from ..api import ServerSettings, create_app

    if not _is_loopback(host) and not token and allow_anonymous_writes:
        warn("warning: anonymous writes on a non-loopback address; anyone who can reach "
             "it can write to the store")
    app = create_app(ServerSettings(db_path=db, token=token or None,
                                    allow_anonymous_writes=allow_anonymous_writes,
                                    read_only=read_only, cors_origins=cors_origin))
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
