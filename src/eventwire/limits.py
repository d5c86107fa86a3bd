"""Bounded time per article: a child process codes, the parent keeps time.

    with TimeLimitedCoder(config, timeout=30) as coder:
        for article, result in coder.pipe_results(articles):
            if isinstance(result, InputError):   # timed out, or the coder failed
                report(result)                   # names the article; batch goes on
            else:
                keep(result)                     # list[Event]

Why a process and not a signal: on hostile text the time goes both into
spaCy's compiled parser, which a Python signal handler cannot interrupt, and
into the coder's Python stages; and SIGALRM works on the main thread only,
so not in the HTTP server's worker threads. A child process can always be
stopped: on overrun the parent kills it (SIGKILL), reports the article as an
ArticleTimeout, starts a fresh child from the same Config (the pipeline is
rebuilt from config, as every worker does) and resends the articles that
were queued behind it. The parent never loads the model itself.

The child codes one article at a time, so the clock of each article starts
when the child is free for it: a slow article never eats another's budget.
A few articles are kept in flight so the child does not wait for the pipe.
An exception inside the coder, or the child dying (a crash in compiled code,
the OOM killer), is reported for the article being coded, not raised.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import multiprocessing.connection
import time
import traceback
from collections import deque
from collections.abc import Iterable, Iterator
from multiprocessing.process import BaseProcess
from types import TracebackType

from .coders import ArticleCoder
from .config import Config
from .errors import InputError, ModelError
from .records import Article, Event

__all__ = ["ArticleTimeout", "TimeLimitedCoder"]

# Articles sent ahead to the child, so it never waits on the pipe.
IN_FLIGHT = 4
# Loading spaCy and the dictionaries takes a few seconds; allow for a busy machine.
START_TIMEOUT = 300.0


class ArticleTimeout(InputError):
    """Coding an article took longer than the time limit; it was skipped."""


def _where(article: Article) -> str:
    return article.origin or article.id or "text"


def _child(conn: multiprocessing.connection.Connection, config: Config) -> None:
    """Child process: build the coder, then code articles one at a time."""
    try:
        from .pipeline import load

        coder = load(config)
    except Exception as exc:  # reported to the parent, which raises ModelError
        conn.send(("fatal", f"{type(exc).__name__}: {exc}"))
        return
    conn.send(("ready", None))
    while True:
        try:
            msg = conn.recv()
        except EOFError:
            return
        if msg is None:
            return
        seq, article, all_modalities = msg
        try:
            events = coder.code_article(article, all_modalities=all_modalities)
            conn.send(("ok", (seq, events)))
        except Exception as exc:
            # The last frame tells the lead engineer where; no full traceback to users.
            frame = traceback.extract_tb(exc.__traceback__)[-1:]
            at = f" at {frame[0].name}" if frame else ""
            conn.send(("error", (seq, f"{type(exc).__name__}{at}: {exc}"[:500])))


class TimeLimitedCoder(ArticleCoder):
    """A coder whose every article gets at most `timeout` seconds.

    Same calls as Coder (`pipe`; `code` and `code_article` from
    coders.ArticleCoder), plus `pipe_results`, which yields the error for an
    article instead of raising it. Close it (or use it as a context manager)
    to stop the child process.
    """

    def __init__(self, config: Config | None = None, timeout: float = 60.0, *,
                 start_timeout: float = START_TIMEOUT) -> None:
        if timeout <= 0:
            raise ValueError("timeout must be positive")
        self.config = config or Config()
        self.timeout = timeout
        self.start_timeout = start_timeout
        self._ctx = multiprocessing.get_context("spawn")  # safe in threaded servers
        self._proc: BaseProcess | None = None
        self._conn: multiprocessing.connection.Connection | None = None
        self._seq = 0
        # Articles sent to the child and not answered yet: a caller that stops
        # reading midway leaves some, and their answers must not be taken for
        # the next call's.
        self._unanswered = 0
        self.restarts = 0

    # -- process management --------------------------------------------------
    def _start(self) -> multiprocessing.connection.Connection:
        parent, child = self._ctx.Pipe()
        proc = self._ctx.Process(target=_child, args=(child, self.config), daemon=True,
                                 name="eventwire-coder")
        proc.start()
        child.close()
        if not parent.poll(self.start_timeout):
            self._kill(proc, parent)
            raise ModelError(f"the coder process did not start within {self.start_timeout:.0f} s")
        try:
            kind, detail = parent.recv()
        except EOFError:
            self._kill(proc, parent)
            raise ModelError(f"the coder process died while starting (exit code "
                             f"{proc.exitcode})") from None
        if kind != "ready":
            self._kill(proc, parent)
            raise ModelError(f"the coder process could not start: {detail}")
        self._proc, self._conn = proc, parent
        self._unanswered = 0
        return parent

    @staticmethod
    def _kill(proc: BaseProcess, conn: multiprocessing.connection.Connection) -> None:
        if proc.is_alive():
            proc.kill()
        proc.join(10)
        conn.close()

    def _restart(self) -> multiprocessing.connection.Connection:
        if self._proc is not None and self._conn is not None:
            self._kill(self._proc, self._conn)
        self._proc = self._conn = None
        self.restarts += 1
        return self._start()

    def _connection(self) -> multiprocessing.connection.Connection:
        if self._conn is None:
            return self._start()
        if self._proc is None or not self._proc.is_alive() or self._unanswered:
            return self._restart()
        return self._conn

    def close(self) -> None:
        if self._proc is not None and self._conn is not None:
            with contextlib.suppress(OSError):
                self._conn.send(None)
            self._proc.join(5)
            self._kill(self._proc, self._conn)
        self._proc = self._conn = None

    def __enter__(self) -> TimeLimitedCoder:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def __del__(self) -> None:
        proc = getattr(self, "_proc", None)
        if proc is not None and proc.is_alive():
            proc.kill()

    # -- coding ------------------------------------------------------------------
    def pipe_results(self, articles: Iterable[Article], *, all_modalities: bool = False
                     ) -> Iterator[tuple[Article, list[Event] | InputError]]:
        """(article, events) in input order; (article, InputError) for one that
        timed out or made the coder fail. Never raises for one article."""
        source = iter(articles)
        pending: deque[tuple[int, Article]] = deque()
        conn = self._connection()
        exhausted = False
        started = time.monotonic()  # when the child became free for pending[0]

        def send(seq: int, art: Article) -> None:
            conn.send((seq, art, all_modalities))
            self._unanswered += 1

        while True:
            while not exhausted and len(pending) < IN_FLIGHT:
                art = next(source, None)
                if art is None:
                    exhausted = True
                    break
                self._seq += 1
                if not pending:
                    started = time.monotonic()
                pending.append((self._seq, art))
                send(self._seq, art)
            if not pending:
                return
            seq, art = pending[0]
            left = self.timeout - (time.monotonic() - started)
            failure: InputError | None = None
            try:
                ready = left > 0 and conn.poll(left)
            except (OSError, EOFError):
                ready = False
            if ready:
                try:
                    kind, (got, payload) = conn.recv()
                except (EOFError, OSError):
                    failure = self._died(art)
                else:
                    if got != seq:  # answers come in order; anything else is a bug
                        raise RuntimeError(f"coder process answered {got}, expected {seq}")
                    pending.popleft()
                    self._unanswered -= 1
                    started = time.monotonic()
                    if kind == "ok":
                        yield art, payload
                    else:
                        yield art, InputError(f"the coder failed on this article ({payload}); "
                                              "skipped", source=_where(art))
                    continue
            elif self._proc is not None and not self._proc.is_alive():
                failure = self._died(art)
            else:
                failure = ArticleTimeout(
                    f"coding took longer than the {self.timeout:g} s limit; skipped "
                    "(very long sentences are the usual cause)",
                    source=_where(art))
            # The child is stuck or gone: start afresh, resend the rest, report the
            # article (last, so a caller that stops there leaves a healthy child).
            pending.popleft()
            conn = self._restart()
            started = time.monotonic()
            for s, a in pending:
                send(s, a)
            yield art, failure

    def _died(self, art: Article) -> InputError:
        code = self._proc.exitcode if self._proc is not None else None
        if self._proc is not None:
            self._proc.join(1)
            code = self._proc.exitcode
        return InputError(f"the coder process died on this article (exit code {code}); "
                          "skipped", source=_where(art))

    def pipe(self, articles: Iterable[Article], *, all_modalities: bool = False
             ) -> Iterator[tuple[Article, list[Event]]]:
        """Like Coder.pipe; raises the InputError of an article that timed out."""
        for art, result in self.pipe_results(articles, all_modalities=all_modalities):
            if isinstance(result, InputError):
                raise result
            yield art, result
