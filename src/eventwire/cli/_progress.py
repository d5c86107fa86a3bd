"""Progress for long runs: a tqdm bar on a terminal, plain log lines otherwise."""

from __future__ import annotations

import sys
import time
from types import TracebackType
from typing import Any

import click


def _duration(seconds: float) -> str:
    seconds = int(seconds)
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h}h{m:02d}m" if h else f"{m}m{s:02d}s" if m else f"{s}s"


class Progress:
    """Counts articles; shows rate (articles/s) and, with a known total, an ETA."""

    def __init__(self, total: int | None, *, label: str = "articles",
                 every: float = 10.0, tty: bool | None = None) -> None:
        self.total = total
        self.label = label
        self.every = every
        self.done = 0
        self.start = time.monotonic()
        self._last_log = self.start
        self._bar: Any = None
        if sys.stderr.isatty() if tty is None else tty:
            from tqdm import tqdm

            self._bar = tqdm(total=total, unit=" art", unit_scale=False, file=sys.stderr,
                             desc="coding", dynamic_ncols=True, smoothing=0.1)

    def update(self, n: int = 1) -> None:
        self.done += n
        if self._bar is not None:
            self._bar.update(n)
            return
        now = time.monotonic()
        if now - self._last_log >= self.every:
            self._last_log = now
            click.echo(f"eventwire: {self.line()}", err=True)

    def line(self) -> str:
        elapsed = max(1e-9, time.monotonic() - self.start)
        rate = self.done / elapsed
        if self.total:
            eta = (self.total - self.done) / rate if rate > 0 else float("inf")
            eta_s = _duration(eta) if eta != float("inf") else "?"
            return (f"{self.done}/{self.total} {self.label} ({rate:.1f}/s, "
                    f"{_duration(elapsed)} elapsed, ETA {eta_s})")
        return f"{self.done} {self.label} ({rate:.1f}/s, {_duration(elapsed)} elapsed)"

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()
