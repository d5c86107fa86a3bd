"""Work on an open store in one transaction, with DuckDB's failures made readable.

The helpers every writer shares (ingest, the merged view, alerts, watch
state); it imports nothing from the store.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import TypeVar

import duckdb

from ..errors import StoreError

T = TypeVar("T")


def transaction(con: duckdb.DuckDBPyConnection, work: Callable[[], T], what: str) -> T:
    """Run `work` in one transaction; a DuckDB error becomes a StoreError saying
    what could not be done ("cannot <what>: ...")."""
    try:
        con.execute("BEGIN TRANSACTION")
        out = work()
        con.execute("COMMIT")
        return out
    except duckdb.Error as exc:
        with contextlib.suppress(duckdb.Error):
            con.execute("ROLLBACK")
        raise StoreError(f"cannot {what}: {str(exc).splitlines()[0]}"
                         f"{advice(str(exc))}") from exc
    except BaseException:
        with contextlib.suppress(duckdb.Error):
            con.execute("ROLLBACK")
        raise


def advice(message: str) -> str:
    """What to do about an operating-system failure that DuckDB passes on."""
    low = message.lower()
    if "read-only file system" in low or "permission denied" in low:
        return ("; the store is read-only here (file or file system): writing needs "
                "write access to the file and its folder. To read it, use `eventwire "
                "events` or `eventwire serve --read-only`; to write, copy it somewhere "
                "writable")
    if "no space left" in low or "disk is full" in low or "disk full" in low:
        return ("; the disk is full: free some space (or choose a --db on another disk) "
                "and run the same command again; what was stored is kept and skipped")
    return ""
