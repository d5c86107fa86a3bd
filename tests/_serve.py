"""Start `eventwire serve` on a free loopback port and wait until it answers.

Used by the browser tests (tests/test_dashboard.py, tests/test_alerts_dashboard.py)
and the API bench (bench/bench_api.py, which puts tests/ on its path).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx


class ServeError(RuntimeError):
    """The server exited or did not answer /healthz in time."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serving(db: str | Path, *args: str, timeout: float = 60.0) -> Iterator[str]:
    """`eventwire serve --db DB ARGS...` in a child process; yields its base URL
    once GET /healthz answers 200, and stops the process on exit. The server's
    output is kept and shown in the ServeError if it does not start."""
    port = free_port()
    # a file, not a pipe: a pipe nobody reads would block a server that logs much
    with tempfile.TemporaryFile() as log:
        proc = subprocess.Popen(
            [sys.executable, "-c", "from eventwire.cli import main; main()", "serve",
             "--db", str(db), "--port", str(port), *args],
            env={**os.environ, "EVENTWIRE_LOG": "warning"}, stdout=log,
            stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + timeout
            while True:
                try:
                    if httpx.get(url + "/healthz", timeout=2).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if proc.poll() is not None or time.monotonic() > deadline:
                    proc.kill()
                    proc.wait()
                    log.seek(0)
                    out = log.read().decode(errors="replace")
                    raise ServeError(f"eventwire serve did not start: {out[-2000:]}")
                time.sleep(0.2)
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
