"""Opening a store: lock errors made readable, schema migrated or checked.

A writer migrates the schema (schema.py) and fills the merged view of a
store that predates it (merged.py); a reader only checks the version.

DuckDB lets one process open a file for writing, or several processes open
it read-only, never both. Inside one process, every cursor of a connection
sees its own MVCC snapshot, so readers in the API server are never blocked
by its writer and never see half an article.
"""

from __future__ import annotations

import re
from pathlib import Path

import duckdb

from ..errors import StoreError, StoreLockedError
from .merged import rebuild_merged
from .schema import MERGED_VERSION, check_version, migrate
from .txn import advice

MEMORY = ":memory:"


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
            before = migrate(con, path=where)
            if 0 < before < MERGED_VERSION:
                # A store from before the merged view has events but no merged
                # rows: schema.py only creates the tables; the rows are derived
                # data, computed once here (sync_merged would find them stale too).
                rebuild_merged(con)
    except BaseException:
        con.close()
        raise
    return con


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


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
