"""The DuckDB store: schema and migrations, idempotent ingest, the query layer.

    from eventwire import store
    con = store.connect("eventwire.duckdb")
    report = store.ingest(con, coder.pipe(articles, all_modalities=True))
    page = store.events(con, store.parse_filters({"actor": "RUS", "start": "2022-02-01"}))
"""

from __future__ import annotations

from .coded import is_coded, read_coded, write_coded
from .db import connect
from .ingest import IngestReport, article_key, events_table, ingest, store_coded, unchanged
from .merged import (
    get_merged,
    iter_merged,
    merged_events,
    rebuild_merged,
    refresh_merged,
    sync_merged,
)
from .query import (
    EventPage,
    FilterError,
    Filters,
    events,
    get_article,
    get_event,
    iter_events,
    network,
    overview,
    parse_filters,
    series,
    top_actors,
)
from .schema import SCHEMA_VERSION, current_version, migrate

__all__ = [
    "SCHEMA_VERSION",
    "EventPage",
    "FilterError",
    "Filters",
    "IngestReport",
    "article_key",
    "connect",
    "current_version",
    "events",
    "events_table",
    "get_article",
    "get_event",
    "get_merged",
    "ingest",
    "is_coded",
    "iter_events",
    "iter_merged",
    "merged_events",
    "migrate",
    "network",
    "overview",
    "parse_filters",
    "read_coded",
    "rebuild_merged",
    "refresh_merged",
    "series",
    "store_coded",
    "sync_merged",
    "top_actors",
    "unchanged",
    "write_coded",
]
