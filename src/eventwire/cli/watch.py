"""eventwire CLI: live monitoring (watch) and its alerts."""

from __future__ import annotations

import signal
import sys
import threading
from typing import Any

import click

from ..errors import EventwireError, StoreLockedError
from . import main
from ._common import user_errors, warn
from ._watchopts import watch_options, watch_settings
from .store import DB_OPTION


@main.command()
@click.argument("sources", nargs=-1, required=True, metavar="SOURCE...")
@DB_OPTION
@click.option("--once", is_flag=True, help="One round, then exit (for cron).")
@click.option("--verbose", "-v", is_flag=True, help="Also a line per batch of articles stored.")
@watch_options
@user_errors
def watch(sources: tuple[str, ...], db: str, once: bool, verbose: bool, **options: Any) -> None:
    """Poll feeds and sitemaps, code new articles into the store, raise alerts.

    A SOURCE is an RSS/Atom feed URL, a sitemap URL (news sitemaps and
    sitemap indexes too), or a file listing such URLs one per line (#
    comments; read again each round). Runs until stopped (Ctrl-C, SIGTERM);
    a stop, even kill -9, loses nothing: the next start goes on where it was.
    One summary line per round on stderr. docs/watch.md has the details.
    """
    from .. import store
    from ..watch.loop import Watcher
    from ..watch.sources import expand_sources

    settings = watch_settings(sources, **options)
    urls, problems = expand_sources(sources)
    for problem in problems:
        warn(f"warning: {problem}")
    if not urls:
        raise EventwireError("no source to watch: give feed or sitemap URLs, or files "
                             "that list them one per line")
    try:
        con = store.connect(db)
    except StoreLockedError as exc:
        raise StoreLockedError(f"{exc}; to watch a store that is being served, let the "
                               "server do it: `eventwire serve --watch SOURCE...`") from None
    stop = threading.Event()
    _stop_on_signals(stop)
    try:
        progress = (lambda line: click.echo(f"eventwire: {line}", err=True)) if verbose else None
        with Watcher(con, settings, progress=progress) as watcher:
            if once:
                click.echo(f"eventwire: {watcher.run_round(stop).summary()}", err=True)
            else:
                click.echo(f"eventwire: watching {len(sources)} source argument(s) every "
                           f"{options['every']} into {db}; Ctrl-C stops", err=True)
                watcher.run(stop, log=lambda line: click.echo(f"eventwire: {line}", err=True))
    finally:
        con.close()


def _stop_on_signals(stop: threading.Event) -> None:
    """SIGTERM and a first Ctrl-C stop after the current batch; a second Ctrl-C at once."""
    def handler(signum: int, frame: Any) -> None:
        if stop.is_set() and signum == signal.SIGINT:
            raise KeyboardInterrupt
        warn("stopping after the current batch (Ctrl-C again to stop now)")
        stop.set()

    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGINT, handler)


@main.command()
@DB_OPTION
@click.option("--since", default=None, metavar="DATE",
              help="Alerts whose window ends on or after this date (YYYY-MM-DD).")
@click.option("--rule", default=None,
              type=click.Choice(["new_dyad_conflict", "conflict_spike", "goldstein_turn",
                                 "watch"]), help="Only this rule's alerts.")
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl", "csv"]), default="table",
              show_default=True)
@click.option("--limit", type=click.IntRange(min=1), default=None, help="At most this many.")
@click.option("--default-rules", is_flag=True,
              help="Print the packaged rules file (to copy and edit) and exit.")
@user_errors
def alerts(db: str, since: str | None, rule: str | None, fmt: str, limit: int | None,
           default_rules: bool) -> None:
    """List the alerts raised by `eventwire watch`, newest window first."""
    import datetime as dt

    from .. import store
    from ..alerts import default_rules_text
    from ..store.alerts import list_alerts, write_alerts

    if default_rules:
        click.echo(default_rules_text(), nl=False)
        return
    day = None
    if since:
        try:
            day = dt.date.fromisoformat(since.strip())
        except ValueError:
            raise EventwireError(f"--since: '{since}' is not a date (YYYY-MM-DD)") from None
    con = store.connect(db, read_only=True)
    try:
        write_alerts(list_alerts(con, since=day, rule=rule, limit=limit), fmt, sys.stdout)
    finally:
        con.close()
