"""The local engine: code articles on N processes of this machine, in input order.

    engine = LocalEngine(config, workers=4)
    for article, events in engine.pipe(articles):   # same order as `articles`
        ...
    engine.peak_rss_mb    # {worker pid: peak resident memory in MB}

Each worker process builds its own Coder from the (plain, picklable) Config
once, then codes chunks of articles. The parent keeps at most a few chunks
in flight, so memory stays bounded however long the input is, and results
come back in input order, so a single writer in the parent sees exactly the
sequence a one-process run would. `workers=1` codes in this process.

An article whose coding raises is reported in `failures` and left out (not
stored, so a later run tries it again); a worker that dies (killed, out of
memory) stops the run with an error that says how to resume.
"""

from __future__ import annotations

import functools
import json
import multiprocessing as mp
import os
import resource
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from itertools import chain, islice
from typing import Any

from ..config import Config
from ..errors import EventwireError
from ..records import Article, Event

DEFAULT_CHUNK = 8


def default_workers() -> int:
    """Cores this process may use (the affinity mask, not the machine's count)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


@dataclass(slots=True)
class Failure:
    """An article whose coding raised: left out of the results."""

    article_id: str
    origin: str | None
    error: str


@dataclass(slots=True)
class ChunkResult:
    events: list[list[Event] | None]   # None where coding failed
    errors: dict[int, str]
    pid: int
    rss_mb: float
    seconds: float


@functools.cache
def _worker_coder(config_json: str) -> Any:
    # One coder per worker process and config, built on first use: the cache is
    # the per-process state a pool worker needs (the parent never calls this).
    from ..pipeline import load

    return load(Config.from_dict(json.loads(config_json)))


def _watch_parent(parent: int) -> None:
    # A worker whose parent was killed (kill -9) must not linger: nobody reads
    # its results any more.
    def loop() -> None:
        while True:
            if os.getppid() != parent:
                os._exit(1)
            time.sleep(1.0)

    threading.Thread(target=loop, name="eventwire-parent-watch", daemon=True).start()


def _init_worker(config_json: str, parent: int) -> None:
    _watch_parent(parent)
    _worker_coder(config_json)


def code_chunk(config_json: str, articles: list[Article], all_modalities: bool) -> ChunkResult:
    """Code one chunk in a worker process."""
    return code_with(_worker_coder(config_json), articles, all_modalities)


def code_with(coder: Any, articles: list[Article], all_modalities: bool) -> ChunkResult:
    """Code a chunk; on an error, retry article by article to isolate the bad one."""
    t0 = time.perf_counter()
    out: list[list[Event] | None]
    errors: dict[int, str] = {}
    try:
        out = [list(evs) for _, evs in coder.pipe(articles, all_modalities=all_modalities)]
    except Exception:
        out = []
        for i, article in enumerate(articles):
            try:
                out.append(list(coder.code_article(article, all_modalities=all_modalities)))
            except Exception as exc:
                out.append(None)
                errors[i] = f"{type(exc).__name__}: {exc}"
    return ChunkResult(out, errors, os.getpid(), peak_rss_mb(), time.perf_counter() - t0)


@dataclass
class LocalEngine:
    """Code articles on `workers` processes (1 = in this process)."""

    config: Config = field(default_factory=Config)
    workers: int = 0                     # 0 = every core this process may use
    chunk_size: int = DEFAULT_CHUNK
    # a chunk also ends when its texts reach this many characters (0: no bound),
    # so that a chunk of short sentences is as large as one of long articles
    chunk_chars: int = 0
    all_modalities: bool = True
    failures: list[Failure] = field(default_factory=list)
    peak_rss_mb: dict[int, float] = field(default_factory=dict)
    coder: Any = None                    # an already-built Coder, used when workers == 1

    def __post_init__(self) -> None:
        if self.workers <= 0:
            self.workers = default_workers()

    def pipe(self, articles: Iterable[Article]) -> Iterator[tuple[Article, list[Event]]]:
        chunks = self._chunks(articles)
        if self.workers == 1:
            yield from self._pipe_here(chunks)
            return
        # An input of one chunk or less gains nothing from a pool, whose workers
        # each pay the model load: code it here.
        head = list(islice(chunks, 2))
        if len(head) <= 1:
            yield from self._pipe_here(iter(head))
        else:
            yield from self._pipe_pool(chain(head, chunks))

    def _chunks(self, articles: Iterable[Article]) -> Iterator[list[Article]]:
        size = max(1, self.chunk_size)
        chunk: list[Article] = []
        chars = 0
        for article in articles:
            chunk.append(article)
            chars += len(article.text)
            if len(chunk) >= size or (self.chunk_chars and chars >= self.chunk_chars):
                yield chunk
                chunk, chars = [], 0
        if chunk:
            yield chunk

    # -- one process -----------------------------------------------------------
    def _pipe_here(self, chunks: Iterator[list[Article]]
                   ) -> Iterator[tuple[Article, list[Event]]]:
        for chunk in chunks:
            if self.coder is None:
                from ..pipeline import load

                self.coder = load(self.config)
            result = code_with(self.coder, chunk, self.all_modalities)
            self.peak_rss_mb[os.getpid()] = peak_rss_mb()
            yield from self._emit(chunk, result)

    # -- a pool of processes ---------------------------------------------------
    def _pipe_pool(self, chunks: Iterator[list[Article]]
                   ) -> Iterator[tuple[Article, list[Event]]]:
        config_json = json.dumps(self.config.to_dict(), sort_keys=True)
        # spawn, not fork: the parent holds a DuckDB connection and its threads.
        ctx = mp.get_context("spawn")
        in_flight: deque[tuple[list[Article], Future[ChunkResult]]] = deque()
        limit = 2 * self.workers
        with ProcessPoolExecutor(max_workers=self.workers, mp_context=ctx,
                                 initializer=_init_worker,
                                 initargs=(config_json, os.getpid())) as pool:
            try:
                while True:
                    while len(in_flight) < limit:
                        chunk = next(chunks, None)
                        if chunk is None:
                            break
                        in_flight.append((chunk, pool.submit(
                            code_chunk, config_json, chunk, self.all_modalities)))
                    if not in_flight:
                        return
                    chunk, future = in_flight.popleft()
                    try:
                        result = future.result()
                    except BrokenProcessPool:
                        raise EventwireError(
                            "a worker process died (killed or out of memory); what was "
                            "stored is complete: run the same command again to resume, "
                            "with fewer --workers if memory is short") from None
                    self.peak_rss_mb[result.pid] = max(result.rss_mb,
                                                       self.peak_rss_mb.get(result.pid, 0.0))
                    yield from self._emit(chunk, result)
            finally:
                for _, future in in_flight:
                    future.cancel()

    def _emit(self, chunk: list[Article], result: ChunkResult
              ) -> Iterator[tuple[Article, list[Event]]]:
        for i, (article, events) in enumerate(zip(chunk, result.events, strict=True)):
            if events is None:
                self.failures.append(Failure(article.id, article.origin,
                                             result.errors.get(i, "unknown error")))
                continue
            yield article, events
