"""Opening a store: lock errors made readable, schema migrated or checked.

DuckDB lets one process open a file for writing, or several processes open
it read-only, never both. Inside one process, every cursor of a connection
sees its own MVCC snapshot, so readers in the API server are never blocked
by its writer and never see half an article.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import duckdb

from ..errors import StoreError, StoreLockedError
from .schema import check_version, migrate

MEMORY = ":memory:"
T = TypeVar("T")


def connect(path: str | Path, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open (and for writers, create and migrate) the store at `path`."""
    where = str(path)
    if where != MEMORY:
        p = Path(where)
        try:
            exists, is_dir = p.exists(), p.is_dir()
        except OSError as exc:  # a folder on the way that this user may not enter
            raise StoreError(f"{where}: cannot open database: {exc.strerror}"
                             f"{advice(str(exc.strerror))}") from None
        if read_only and not exists:
            raise StoreError(f"{where}: no such database; create it with `eventwire ingest`")
        if is_dir:
            raise StoreError(f"{where}: is a directory, not a DuckDB file")
    try:
        con = duckdb.connect(where, read_only=read_only)
    except duckdb.IOException as exc:
        raise _open_error(where, exc) from None
    except duckdb.Error as exc:
        raise StoreError(f"{where}: cannot open database: {_first_line(exc)}"
                         f"{advice(str(exc))}") from None
    try:
        if read_only:
            check_version(con, path=where)
        else:
            migrate(con, path=where)
    except BaseException:
        con.close()
        raise
    return con


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


def _open_error(where: str, exc: duckdb.Error) -> StoreError:
    message = str(exc)
    if "lock" in message.lower():
        pid = re.search(r"PID (\d+)", message)
        by = f" (process {pid.group(1)})" if pid else ""
        return StoreLockedError(
            f"{where}: locked by another eventwire process that is writing or serving it{by}; "
            "wait for it to finish, or send articles to the running server (POST /v1/articles)"
        )
    return StoreError(f"{where}: cannot open database: {_first_line(exc)}{advice(message)}")


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


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
