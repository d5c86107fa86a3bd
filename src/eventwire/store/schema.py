"""The DuckDB schema and its migrations.

The schema is versioned in the `schema_version` table. Each migration is a
function that takes a store from version N-1 to N; `migrate` applies the
missing ones in order, each in its own transaction, so a store is never left
between two versions. docs/store.md describes every table and column.
"""

from __future__ import annotations

from collections.abc import Callable

import duckdb

from ..errors import StoreError

Migration = Callable[[duckdb.DuckDBPyConnection], None]


def _v1_initial(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(
        """
        CREATE TABLE articles (
            article_id    VARCHAR PRIMARY KEY,  -- input id, or 'sha-<content hash>' without one
            content_hash  VARCHAR NOT NULL,     -- sha256 of the text, first 16 hex digits
            date          DATE,                 -- report date
            title         VARCHAR,
            url           VARCHAR,
            outlet        VARCHAR,
            origin        VARCHAR,              -- file:line it was read from
            text          VARCHAR NOT NULL,
            n_events      INTEGER NOT NULL,
            ingested_at   TIMESTAMP NOT NULL
        )
        """
    )
    con.execute(
        """
        CREATE TABLE events (
            event_id          VARCHAR PRIMARY KEY,
            article_id        VARCHAR NOT NULL,
            sentence_index    INTEGER NOT NULL,
            sentence          VARCHAR NOT NULL,
            span_start        INTEGER NOT NULL,
            span_end          INTEGER NOT NULL,
            trigger           VARCHAR NOT NULL,
            date              DATE,               -- first day of the period for month/year precision
            date_precision    VARCHAR NOT NULL,   -- day | month | year
            report_date       DATE,
            source_text       VARCHAR,
            source_code       VARCHAR,
            source_country    VARCHAR,
            source_sector     VARCHAR,
            source_name       VARCHAR,
            target_text       VARCHAR,
            target_code       VARCHAR,
            target_country    VARCHAR,
            target_sector     VARCHAR,
            target_name       VARCHAR,
            cameo             VARCHAR NOT NULL,
            cameo_root        VARCHAR NOT NULL,
            cameo_name        VARCHAR NOT NULL,
            goldstein         DOUBLE,
            quad_class        TINYINT,
            plover            VARCHAR,
            plover_mode       VARCHAR,
            modality          VARCHAR NOT NULL,   -- asserted | negated | hypothetical
            location_name     VARCHAR,
            location_country  VARCHAR,
            location_lat      DOUBLE,
            location_lon      DOUBLE,
            reported_by       VARCHAR[] NOT NULL,
            confidence        DOUBLE NOT NULL
        )
        """
    )
    # Point look-ups by article (article page, replace-on-change) and the
    # usual filter columns. DuckDB's zonemaps do the rest.
    con.execute("CREATE INDEX events_article ON events(article_id)")


def _v2_merged(con: duckdb.DuckDBPyConnection) -> None:
    # The merged view (one row per real-world event), built from the events
    # already stored; see store/merged.py and docs/merge.md. It reads the events
    # with today's columns, so those of later versions come first.
    from .merged import create_tables

    _add_columns(con, "events", GEO_COLUMNS + IMPLIED_COLUMNS)
    create_tables(con)


GEO_COLUMNS = (("location_admin1", "VARCHAR"), ("location_geonames_id", "BIGINT"),
               ("location_precision", "VARCHAR"), ("location_basis", "VARCHAR"))
IMPLIED_COLUMNS = tuple((f"{side}_{part}", kind) for side in ("source", "target")
                        for part, kind in (("implied", "BOOLEAN"), ("basis", "VARCHAR"),
                                           ("country_basis", "VARCHAR")))


def _add_columns(con: duckdb.DuckDBPyConnection, table: str,
                 columns: tuple[tuple[str, str], ...]) -> None:
    for column, kind in columns:
        con.execute(f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS {column} {kind}")


def _v3_geo(con: duckdb.DuckDBPyConnection) -> None:
    # Where events happened, in full (eventwire.geo): stores of version 2 keep
    # their rows, with the new columns NULL until their articles are coded again.
    for table in ("events", "merged_events"):
        _add_columns(con, table, GEO_COLUMNS)


def _v4_watch(con: duckdb.DuckDBPyConnection) -> None:
    # `eventwire watch` state (polled sources, seen URLs) and alerts; see
    # watch/state.py, store/alerts.py and docs/watch.md.
    from ..watch.state import create_tables as create_watch
    from .alerts import create_tables as create_alerts

    create_watch(con)
    create_alerts(con)


def _v5_implied(con: duckdb.DuckDBPyConnection) -> None:
    # What an actor's record only implies (actors.implied): NULL in older rows.
    for table in ("events", "merged_events"):
        _add_columns(con, table, IMPLIED_COLUMNS)


MIGRATIONS: tuple[Migration, ...] = (_v1_initial, _v2_merged, _v3_geo, _v4_watch, _v5_implied)
SCHEMA_VERSION = len(MIGRATIONS)


def current_version(con: duckdb.DuckDBPyConnection) -> int:
    """Version of an open store; 0 for an empty database."""
    has_table = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_version'"
    ).fetchone()
    if not has_table or not has_table[0]:
        return 0
    row = con.execute("SELECT max(version) FROM schema_version").fetchone()
    return int(row[0]) if row and row[0] is not None else 0


def migrate(con: duckdb.DuckDBPyConnection, *, path: str = "store") -> int:
    """Bring the store up to SCHEMA_VERSION; returns the version it had before."""
    before = current_version(con)
    if before > SCHEMA_VERSION:
        raise StoreError(
            f"{path}: schema version {before} is newer than this eventwire "
            f"(knows up to {SCHEMA_VERSION}); upgrade eventwire"
        )
    if before == 0:
        con.execute(
            "CREATE TABLE IF NOT EXISTS schema_version "
            "(version INTEGER PRIMARY KEY, applied_at TIMESTAMP NOT NULL)"
        )
    for version in range(before + 1, SCHEMA_VERSION + 1):
        con.execute("BEGIN TRANSACTION")
        try:
            MIGRATIONS[version - 1](con)
            con.execute(
                "INSERT INTO schema_version VALUES (?, current_timestamp)", [version]
            )
            con.execute("COMMIT")
        except duckdb.Error as exc:
            con.execute("ROLLBACK")
            raise StoreError(f"{path}: migration to schema version {version} failed: {exc}") from exc
    return before


def check_version(con: duckdb.DuckDBPyConnection, *, path: str = "store") -> None:
    """For read-only connections, which cannot migrate: the version must match."""
    version = current_version(con)
    if version == 0:
        raise StoreError(f"{path}: not an eventwire store (no schema_version table)")
    if version != SCHEMA_VERSION:
        raise StoreError(
            f"{path}: schema version {version}, this eventwire needs {SCHEMA_VERSION}; "
            "open it once for writing (e.g. `eventwire ingest --db PATH` with no input) to migrate"
            if version < SCHEMA_VERSION
            else f"{path}: schema version {version} is newer than this eventwire; upgrade eventwire"
        )
