"""The DuckDB schema and its migrations: the one owner of the store's DDL.

The schema is versioned in the `schema_version` table. Each migration is a
function that takes a store from version N-1 to N; `migrate` applies the
missing ones in order, each in its own transaction, so a store is never left
between two versions. docs/store.md describes every table and column.
Migrations create and alter tables only; rows derived from others (the
merged view) are computed by their owners (db.connect calls merged.py).
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


# The merged view (one row per real-world event, see store/merged.py and
# docs/merge.md): derived from `events`, filled by merged.py.
_MERGED_SQL = (
    """
    CREATE TABLE merged_events (
        merged_id          VARCHAR PRIMARY KEY,  -- 'm' + hash of the smallest member event id
        block              VARCHAR NOT NULL,     -- modality|root|direction|actor|actor
        date               DATE,
        date_precision     VARCHAR,
        first_report_date  DATE,
        last_report_date   DATE,
        source_text VARCHAR, source_code VARCHAR, source_country VARCHAR,
        source_sector VARCHAR, source_name VARCHAR, source_implied BOOLEAN,
        source_basis VARCHAR, source_country_basis VARCHAR,
        target_text VARCHAR, target_code VARCHAR, target_country VARCHAR,
        target_sector VARCHAR, target_name VARCHAR, target_implied BOOLEAN,
        target_basis VARCHAR, target_country_basis VARCHAR,
        cameo VARCHAR, cameo_root VARCHAR, cameo_name VARCHAR, goldstein DOUBLE,
        quad_class TINYINT, plover VARCHAR, plover_mode VARCHAR, modality VARCHAR,
        location_name VARCHAR, location_country VARCHAR, location_lat DOUBLE,
        location_lon DOUBLE, location_admin1 VARCHAR, location_geonames_id BIGINT,
        location_precision VARCHAR, location_basis VARCHAR,
        sentence VARCHAR, trigger VARCHAR,
        article_id VARCHAR,                      -- the representative mention's
        event_id VARCHAR,
        confidence DOUBLE,
        reported_by VARCHAR[], outlets VARCHAR[],
        n_mentions INTEGER NOT NULL, n_articles INTEGER NOT NULL, n_outlets INTEGER NOT NULL,
        event_ids VARCHAR[] NOT NULL, article_ids VARCHAR[] NOT NULL
    )
    """,
    """
    CREATE TABLE merged_mentions (
        merged_id   VARCHAR NOT NULL,
        event_id    VARCHAR PRIMARY KEY,
        article_id  VARCHAR NOT NULL
    )
    """,
    "CREATE INDEX merged_mentions_merged ON merged_mentions(merged_id)",
    "CREATE INDEX merged_mentions_article ON merged_mentions(article_id)",
    "CREATE INDEX merged_events_block ON merged_events(block)",
)

# The version whose tables are derived from `events`: a store that had events
# before it gets its merged rows when db.connect opens it for writing.
MERGED_VERSION = 2


def _v2_merged(con: duckdb.DuckDBPyConnection) -> None:
    for sql in _MERGED_SQL:
        con.execute(sql)


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


# `eventwire watch` state: polled sources and seen URLs (watch/state.py, docs/watch.md).
_WATCH_SQL = (
    """
    CREATE TABLE watch_sources (
        url            VARCHAR PRIMARY KEY,   -- feed or sitemap URL
        kind           VARCHAR,               -- feed | sitemap | sitemap index
        etag           VARCHAR,
        last_modified  VARCHAR,
        polled_at      TIMESTAMP,             -- last attempt
        ok_at          TIMESTAMP,             -- last 200 or 304
        failures       INTEGER NOT NULL,      -- failed polls in a row
        last_error     VARCHAR,
        next_poll_at   TIMESTAMP,             -- not before (backoff after failures)
        children       VARCHAR[]              -- a sitemap index's sitemaps (polled on a 304 too)
    )
    """,
    """
    CREATE TABLE watch_urls (
        url_key      VARCHAR PRIMARY KEY,     -- canonical URL = the article id
        url          VARCHAR NOT NULL,        -- as listed
        source       VARCHAR NOT NULL,        -- feed or sitemap it was first listed in
        title        VARCHAR,
        entry_date   VARCHAR,                 -- YYYY-MM-DD from the listing
        entry_text   VARCHAR,                 -- the entry's own content (fallback text)
        outlet       VARCHAR,
        status       VARCHAR NOT NULL,        -- pending | stored | done | failed
        attempts     INTEGER NOT NULL,
        last_error   VARCHAR,
        next_try_at  TIMESTAMP,
        first_seen   TIMESTAMP NOT NULL,
        updated_at   TIMESTAMP NOT NULL
    )
    """,
    "CREATE INDEX watch_urls_status ON watch_urls(status)",
)

# Alerts and their deliveries (store/alerts.py, eventwire/alerts.py).
_ALERTS_SQL = (
    """
    CREATE TABLE alerts (
        alert_id      VARCHAR PRIMARY KEY,   -- 'a' + hash of rule, name, subject, window
        rule          VARCHAR NOT NULL,      -- new_dyad_conflict | conflict_spike | goldstein_turn | watch
        name          VARCHAR NOT NULL,      -- the rule, or the watch list's name
        subject_kind  VARCHAR NOT NULL,      -- dyad | country | event
        subject       VARCHAR NOT NULL,      -- 'BOL->PER', 'PER', or 'BOLMIL->PER 190'
        window_start  DATE NOT NULL,
        window_end    DATE NOT NULL,
        figures       VARCHAR NOT NULL,      -- JSON object: the numbers that triggered it
        message       VARCHAR NOT NULL,
        merged_ids    VARCHAR[] NOT NULL,
        event_ids     VARCHAR[] NOT NULL,
        article_ids   VARCHAR[] NOT NULL,
        raised_at     TIMESTAMP NOT NULL
    )
    """,
    """
    CREATE TABLE alert_deliveries (
        alert_id      VARCHAR NOT NULL,
        target        VARCHAR NOT NULL,      -- 'webhook:URL' or 'jsonl:PATH'
        attempts      INTEGER NOT NULL,
        delivered_at  TIMESTAMP,
        last_error    VARCHAR,
        PRIMARY KEY (alert_id, target)
    )
    """,
    "CREATE INDEX alerts_raised ON alerts(raised_at)",
)


def _v4_watch(con: duckdb.DuckDBPyConnection) -> None:
    for sql in (*_WATCH_SQL, *_ALERTS_SQL):
        con.execute(sql)


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
