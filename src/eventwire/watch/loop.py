"""The watch loop: poll sources, fetch new articles, code, store, raise alerts.

    with Watcher(con, WatchSettings(sources=("https://example.org/feed.xml",))) as w:
        report = w.run_round()        # one round; report.summary() is one line
        w.run(stop_event)             # rounds every `settings.every` seconds until stopped

A round:

1. polls every source (conditional GET; a sitemap index's children too) and
   records, per source in one transaction, its new validators and its
   entries not seen before (the queue, watch/state.py);
2. fetches the due queue with the polite client, a few URLs at a time in
   threads, and extracts each page's text with trafilatura, falling back to
   the entry's own text from the feed when the page has none or cannot be
   had (robots.txt, too large, an HTTP error, tries used up);
3. codes the articles in batches in this thread and stores each batch with
   the ingest path (`store.store_coded`: whole articles per transaction,
   unchanged ones never coded again);
4. brings the merged view up to date, evaluates the alert rules on the
   articles stored (also those a killed run stored but did not evaluate),
   and delivers the alerts.

Every write happens in this thread, under `lock` when one is given (the API
server passes its write lock, so its own writes and the watcher's never
interleave inside a transaction).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

import duckdb

from .. import alerts as alerts_mod
from .. import store
from ..engines.local import code_with
from ..errors import EventwireError, FetchError, InputError
from ..read._common import MAX_TEXT_BYTES
from ..read.webpage import html_article
from ..records import Article
from . import state
from .fetch import Fetcher, FetchSettings
from .sources import Listing, expand_sources, parse_listing

_HTML_TYPES = ("text/html", "application/xhtml+xml")
# A source failing this many polls in a row is named in the round's report.
FAILING_REPORTED = 3
_MAX_SOURCE_BACKOFF = 6 * 3600.0


@dataclass(frozen=True, slots=True)
class WatchSettings:
    sources: tuple[str, ...]
    every: float = 900.0          # seconds between round starts
    rules: str | None = None      # rules file; None: the packaged defaults
    fetch: FetchSettings = field(default_factory=FetchSettings)
    workers: int = 8              # URLs fetched at once (all hosts together)
    batch_size: int = 16          # articles coded and stored per transaction
    max_attempts: int = 3         # tries of a page that fails transiently
    retry_wait: float = 300.0     # seconds before the next try of such a page (doubles)
    source_backoff: float = 60.0  # seconds a failing source rests (doubles per failure)
    max_sitemaps: int = 50        # child sitemaps of an index polled per round


@dataclass(slots=True)
class RoundReport:
    number: int = 0
    sources_polled: int = 0
    not_modified: int = 0
    sources_resting: int = 0
    source_failures: list[tuple[str, str]] = field(default_factory=list)
    failing: list[tuple[str, int, str]] = field(default_factory=list)  # url, rounds, reason
    new_entries: int = 0
    fetched: int = 0
    articles_stored: int = 0
    from_entry_text: int = 0
    fetch_failures: list[tuple[str, str]] = field(default_factory=list)
    events_stored: int = 0
    alerts_raised: int = 0
    delivery_failures: list[str] = field(default_factory=list)
    seconds: float = 0.0
    fetch_seconds: float = 0.0    # summed over the fetch threads
    code_seconds: float = 0.0
    store_seconds: float = 0.0

    def summary(self) -> str:
        def some(items: list[tuple[str, str]]) -> str:
            shown = "; ".join(f"{url}: {why}" for url, why in items[:3])
            return shown + (f"; and {len(items) - 3} more" if len(items) > 3 else "")

        parts = [f"{self.sources_polled} sources polled", f"{self.not_modified} not modified"]
        if self.sources_resting:
            parts.append(f"{self.sources_resting} resting after failures")
        if self.source_failures:
            parts.append(f"{len(self.source_failures)} failed ({some(self.source_failures)})")
        parts.append(f"{self.new_entries} new articles")
        parts.append(f"{self.articles_stored} stored"
                     + (f" ({self.from_entry_text} from the feed's own text)"
                        if self.from_entry_text else ""))
        n = len(self.fetch_failures)
        parts.append(f"{n} failed fetch{'es' if n != 1 else ''}"
                     + (f" ({some(self.fetch_failures)})" if n else ""))
        parts.append(f"{self.events_stored} events stored")
        parts.append(f"{self.alerts_raised} alert{'s' if self.alerts_raised != 1 else ''} raised")
        line = f"round {self.number}: " + ", ".join(parts) + f" in {self.seconds:.1f} s"
        for url, rounds, why in self.failing:
            line += f"\n  source failing {rounds} polls in a row, resting: {url} ({why})"
        for problem in self.delivery_failures[:3]:
            line += f"\n  alert delivery failed: {problem}"
        return line


@dataclass(slots=True)
class _Outcome:
    """A fetched URL: an article to code, or why not."""

    queued: state.Queued
    article: Article | None = None
    from_entry: bool = False
    error: FetchError | None = None
    seconds: float = 0.0


class Watcher:
    """Runs rounds on one store connection; see the module doc."""

    def __init__(self, con: duckdb.DuckDBPyConnection, settings: WatchSettings, *,
                 coder_factory: Callable[[], Any] | None = None,
                 lock: threading.Lock | None = None,
                 on_write: Callable[[], None] | None = None,
                 progress: Callable[[str], None] | None = None) -> None:
        self.con = con
        self.settings = settings
        self.rules = alerts_mod.load_rules(settings.rules)  # a bad file fails now
        self._coder_factory = coder_factory
        self._coder: Any = None
        self._lock = lock or threading.Lock()
        self._on_write = on_write or (lambda: None)  # e.g. the server's response cache
        self._fetcher = Fetcher(settings.fetch)
        self._rounds = 0
        self._progress = progress or (lambda _: None)

    def close(self) -> None:
        self._fetcher.close()

    def __enter__(self) -> Watcher:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    @contextlib.contextmanager
    def _writing(self) -> Iterator[None]:
        with self._lock:
            try:
                yield
            finally:
                self._on_write()

    def run(self, stop: threading.Event, log: Callable[[str], None] = lambda _: None) -> None:
        """Rounds until `stop` is set; a round's failure is logged and the loop goes on."""
        while not stop.is_set():
            started = time.monotonic()
            try:
                log(self.run_round(stop).summary())
            except (EventwireError, duckdb.Error, OSError) as exc:  # the next round retries
                log(f"round {self._rounds} failed: {exc}")
            stop.wait(max(0.0, self.settings.every - (time.monotonic() - started)))

    def run_round(self, stop: threading.Event | None = None) -> RoundReport:
        self._rounds += 1
        report = RoundReport(number=self._rounds)
        t0 = time.monotonic()
        stop = stop or threading.Event()
        urls, errors = expand_sources(self.settings.sources)
        report.source_failures += [(e.source if e.line is None else f"{e.source}:{e.line}",
                                    e.reason) for e in errors]
        self._poll(urls, report)
        if not stop.is_set():
            self._fetch_and_store(report, stop)
        self._evaluate(report)
        report.seconds = time.monotonic() - t0
        return report

    # -- 1. sources ----------------------------------------------------------------------

    def _poll(self, urls: list[str], report: RoundReport) -> None:
        polled: set[str] = set()
        wave = urls
        with ThreadPoolExecutor(max_workers=max(1, self.settings.workers),
                                thread_name_prefix="eventwire-poll") as pool:
            while wave:
                states = state.source_states(self.con, wave)
                now = state.utcnow()
                todo = []
                for url in wave:
                    s = states.get(url) or state.SourceState(url)
                    if s.next_poll_at is not None and s.next_poll_at > now:
                        report.sources_resting += 1
                    else:
                        todo.append(s)
                    polled.add(url)
                results = list(pool.map(self._poll_one, todo))
                with self._writing():
                    report.new_entries += state.record_polls(
                        self.con, [p for p, _ in results], self._source_backoff)
                children: list[str] = []
                for poll, listing in results:
                    report.sources_polled += 1
                    if poll.error is not None:
                        report.source_failures.append((poll.url, poll.error))
                    else:
                        report.not_modified += listing is None
                        children += [u for u in poll.children if u not in polled]
                room = self.settings.max_sitemaps
                wave = list(dict.fromkeys(children))[:room]
        for s in state.failing_sources(self.con, sorted(polled), FAILING_REPORTED):
            report.failing.append((s.url, s.failures, s.last_error or "?"))

    def _poll_one(self, s: state.SourceState) -> tuple[state.Poll, Listing | None]:
        try:
            r = self._fetcher.get(s.url, etag=s.etag, last_modified=s.last_modified)
        except FetchError as exc:
            return state.Poll(s.url, error=exc.reason), None
        if r.not_modified:
            return state.Poll(s.url, etag=s.etag, last_modified=s.last_modified,
                              children=s.children), None
        try:
            listing = parse_listing(r.body, s.url)
        except InputError as exc:
            return state.Poll(s.url, error=exc.reason), None
        return state.Poll(s.url, kind=listing.kind, etag=r.etag, last_modified=r.last_modified,
                          entries=tuple(listing.entries),
                          children=tuple(listing.sitemaps)), listing

    def _source_backoff(self, failures: int) -> float:
        return float(min(_MAX_SOURCE_BACKOFF,
                         self.settings.source_backoff * 2 ** (failures - 1)))

    # -- 2-3. articles -------------------------------------------------------------------

    def _fetch_and_store(self, report: RoundReport, stop: threading.Event) -> None:
        with self._writing():
            queue = state.due(self.con, state.utcnow())
        if not queue:
            return
        batch: list[_Outcome] = []
        with ThreadPoolExecutor(max_workers=max(1, self.settings.workers),
                                thread_name_prefix="eventwire-fetch") as pool:
            futures: list[Future[_Outcome]] = [pool.submit(self._fetch_one, q) for q in queue]
            try:
                for future in as_completed(futures):
                    outcome = future.result()
                    report.fetched += 1
                    report.fetch_seconds += outcome.seconds
                    if outcome.article is None:
                        self._failed(outcome, report)
                        continue
                    batch.append(outcome)
                    if len(batch) >= self.settings.batch_size:
                        self._code_and_store(batch, report)
                        batch = []
                    if stop.is_set():
                        break
                if batch:
                    self._code_and_store(batch, report)
            finally:
                for f in futures:
                    f.cancel()

    def _fetch_one(self, q: state.Queued) -> _Outcome:
        t0 = time.perf_counter()
        entry = q.entry
        out = _Outcome(q)
        try:
            r = self._fetcher.get(entry.url)
            ctype = (r.content_type or "").split(";")[0].strip().lower()
            if ctype and ctype not in _HTML_TYPES:
                raise FetchError(entry.url, f"not an HTML page ({ctype})", transient=False)
            found = html_article(r.body, source=entry.url, article_id=entry.key,
                                 origin=r.final_url, max_bytes=MAX_TEXT_BYTES,
                                 url=entry.url, fallback_date=entry.date)
            if isinstance(found, InputError):
                raise FetchError(entry.url, found.reason, transient=False)
            out.article = Article(
                id=entry.key, text=found.text,
                date=entry.date or found.date or _today(),
                title=found.title or entry.title, url=entry.url,
                outlet=entry.outlet or found.outlet, origin=r.final_url)
        except FetchError as exc:
            out.error = exc
            last_try = not exc.transient or q.attempts + 1 >= self.settings.max_attempts
            if last_try and entry.text:
                out.article = Article(
                    id=entry.key, text=entry.text, date=entry.date or _today(),
                    title=entry.title, url=entry.url, outlet=entry.outlet,
                    origin=f"{entry.source} (entry text; page: {exc.reason})")
                out.from_entry = True
        out.seconds = time.perf_counter() - t0
        return out

    def _failed(self, outcome: _Outcome, report: RoundReport) -> None:
        err = outcome.error
        assert err is not None
        q = outcome.queued
        report.fetch_failures.append((q.entry.url, err.reason))
        with self._writing():
            if err.transient and q.attempts + 1 < self.settings.max_attempts:
                state.retry_later(self.con, q.entry.key, err.reason,
                                  self.settings.retry_wait * 2 ** q.attempts)
            else:
                state.set_status(self.con, [q.entry.key], "failed", err.reason)

    def _code_and_store(self, batch: list[_Outcome], report: RoundReport) -> None:
        articles = [o.article for o in batch if o.article is not None]
        done = store.unchanged(self.con, articles)
        todo = [a for a in articles if store.article_key(a) not in done]
        t0 = time.perf_counter()
        result = code_with(self._get_coder(), todo, True) if todo else None
        report.code_seconds += time.perf_counter() - t0
        pairs = []
        failed: dict[str, str] = {}
        for i, article in enumerate(todo):
            events = result.events[i] if result else None
            if events is None:
                failed[article.id] = result.errors.get(i, "coding failed") if result else "?"
            else:
                pairs.append((article, events))
        t0 = time.perf_counter()
        with self._writing():
            written = store.store_coded(self.con, pairs)
            state.set_status(self.con, [a.id for a, _ in pairs] + sorted(done), "stored")
            for key, why in failed.items():
                state.set_status(self.con, [key], "failed", f"coding failed: {why}")
        report.store_seconds += time.perf_counter() - t0
        self._progress(f"stored {written.articles_new + written.articles_updated} articles, "
                       f"{written.events_written} events")
        report.articles_stored += written.articles_new + written.articles_updated
        report.events_stored += written.events_written
        for o in batch:
            if o.article is not None and o.article.id not in failed:
                report.from_entry_text += o.from_entry
                if o.from_entry and o.error is not None:
                    report.fetch_failures.append((o.queued.entry.url,
                                                  o.error.reason + " (feed text used)"))
        report.fetch_failures += [(k, f"coding failed: {v}") for k, v in failed.items()]

    def _get_coder(self) -> Any:
        if self._coder is None:
            if self._coder_factory is None:
                from ..pipeline import load

                self._coder = load()
            else:
                self._coder = self._coder_factory()
        return self._coder

    # -- 4. alerts -----------------------------------------------------------------------

    def _evaluate(self, report: RoundReport) -> None:
        with self._writing():
            store.sync_merged(self.con)
            keys = state.stored_not_evaluated(self.con)
            raised = alerts_mod.evaluate(self.con, self.rules, keys)
            state.set_status(self.con, keys, "done")
            report.alerts_raised += len(raised)
        # outside the lock: a slow webhook must not hold up the server's writes
        report.delivery_failures += alerts_mod.deliver_pending(self.con)


def _today() -> str:
    return dt.datetime.now(dt.UTC).date().isoformat()

