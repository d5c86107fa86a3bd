"""The DuckDB store: schema and migrations, idempotent ingest, the query layer.

The package owns everything in the DuckDB file: the tables and their
migrations (schema.py, the one place with DDL), writing coded articles
(write.py), the merged view (merged.py), queries (query.py), export,
coded Parquet and alerts' SQL. It may import the layers below it (records,
errors, output, merge) and never the ones above (pipeline, api, cli, watch,
engines), which call it. Inside, imports run one way: the foundations
(columns.py for shared columns and conversions, schema.py, txn.py) import no
sibling; db.py (opening a store) sits on top; tests/test_store_imports.py
checks both.

    from eventwire import store
    con = store.connect("eventwire.duckdb")
    report = store.ingest(con, coder.pipe(articles, all_modalities=True))
    page = store.events(con, store.parse_filters({"actor": "RUS", "start": "2022-02-01"}))
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .coded import is_coded, read_coded, write_coded
    from .columns import article_key, events_table
    from .db import connect
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
    from .write import IngestReport, ingest, store_coded, unchanged

# Each name is imported from its submodule on first use (PEP 562): DuckDB and
# pyarrow cost about 0.2 s to import, which `eventwire code` does not need.
# No submodule is named like a public name (a test checks it): importing a
# submodule binds it as a package attribute, which would hide the function.
_WHERE = {
    "is_coded": "coded",
    "read_coded": "coded",
    "write_coded": "coded",
    "connect": "db",
    "IngestReport": "write",
    "article_key": "columns",
    "events_table": "columns",
    "ingest": "write",
    "store_coded": "write",
    "unchanged": "write",
    "get_merged": "merged",
    "iter_merged": "merged",
    "merged_events": "merged",
    "rebuild_merged": "merged",
    "refresh_merged": "merged",
    "sync_merged": "merged",
    "EventPage": "query",
    "FilterError": "query",
    "Filters": "query",
    "events": "query",
    "get_article": "query",
    "get_event": "query",
    "iter_events": "query",
    "network": "query",
    "overview": "query",
    "parse_filters": "query",
    "series": "query",
    "top_actors": "query",
    "SCHEMA_VERSION": "schema",
    "current_version": "schema",
    "migrate": "schema",
}


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


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{_WHERE[name]}", __name__), name)
    globals()[name] = value
    return value
