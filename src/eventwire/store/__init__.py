"""The DuckDB store: schema and migrations, idempotent ingest, the query layer.

    from eventwire import store
    con = store.connect("eventwire.duckdb")
    report = store.ingest(con, coder.pipe(articles, all_modalities=True))
    page = store.events(con, store.parse_filters({"actor": "RUS", "start": "2022-02-01"}))
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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

# Each name is imported from its submodule on first use (PEP 562): DuckDB and
# pyarrow cost about 0.2 s to import, which `eventwire code` does not need.
_WHERE = {
    "is_coded": "coded",
    "read_coded": "coded",
    "write_coded": "coded",
    "connect": "db",
    "IngestReport": "ingest",
    "article_key": "ingest",
    "events_table": "ingest",
    "ingest": "ingest",
    "store_coded": "ingest",
    "unchanged": "ingest",
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


class _Package(types.ModuleType):
    def __setattr__(self, name: str, value: Any) -> None:
        # Importing the submodule `ingest` would bind the package attribute
        # `ingest` to it; the name belongs to the function store.ingest.
        if isinstance(value, types.ModuleType) and name in _WHERE:
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
