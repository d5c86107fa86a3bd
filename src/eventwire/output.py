"""Writing events: JSONL (the record schema), flat CSV/Parquet, a readable table."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from typing import IO, Any

from .records import Event

FORMATS = ("jsonl", "csv", "parquet", "table")

FLAT_COLUMNS = [
    "event_id", "article_id", "sentence_index", "date", "date_precision", "report_date",
    "source_code", "source_country", "source_sector", "source_name", "source_text",
    "target_code", "target_country", "target_sector", "target_name", "target_text",
    "cameo", "cameo_root", "cameo_name", "goldstein", "quad_class", "plover", "plover_mode",
    "modality", "location_name", "location_country", "location_lat", "location_lon",
    "reported_by", "confidence", "trigger", "span_start", "span_end", "sentence",
]


def flatten(e: Event) -> dict[str, Any]:
    """One flat row per event (for CSV, Parquet and tables)."""
    d = e.to_dict()
    row: dict[str, Any] = {k: d[k] for k in FLAT_COLUMNS if k in d}
    for role in ("source", "target"):
        a = d[role] or {}
        for f in ("code", "country", "sector", "name", "text"):
            row[f"{role}_{f}"] = a.get(f)
    loc = d["location"] or {}
    for f in ("name", "country", "lat", "lon"):
        row[f"location_{f}"] = loc.get(f)
    row["reported_by"] = "; ".join(e.reported_by)
    row["span_start"], row["span_end"] = e.span
    return {k: row.get(k) for k in FLAT_COLUMNS}


def write_events(events: Iterable[Event], fh: IO[Any], fmt: str, path: str | None = None) -> None:
    if fmt == "jsonl":
        for e in events:
            fh.write(json.dumps(e.to_dict(), ensure_ascii=False) + "\n")
    elif fmt == "csv":
        w = csv.DictWriter(fh, fieldnames=FLAT_COLUMNS)
        w.writeheader()
        for e in events:
            w.writerow(flatten(e))
    elif fmt == "parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        rows = [flatten(e) for e in events]
        table = pa.Table.from_pylist(rows) if rows else pa.table({c: [] for c in FLAT_COLUMNS})
        pq.write_table(table, fh)
    elif fmt == "table":
        fh.write(format_table(list(events)))
    else:
        raise ValueError(f"unknown format {fmt!r}")


def format_table(events: list[Event]) -> str:
    """A compact, readable table for terminals."""
    if not events:
        return "(no events)\n"
    rows = [(
        e.date or "", e.date_precision[0], e.source.code if e.source else "-",
        e.target.code if e.target else "-", e.cameo, (e.plover or "") + (f"/{e.plover_mode}" if e.plover_mode else ""),
        e.modality[:4], ", ".join(e.reported_by) or "-", f"{e.trigger}: {_clip(e.cameo_name, 34)}",
    ) for e in events]
    head = ("date", "p", "source", "target", "cameo", "plover", "mod", "reported_by", "trigger: event")
    widths = [max(len(str(r[i])) for r in [head, *rows]) for i in range(len(head))]
    lines = ["  ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)).rstrip()
             for r in [head, *rows]]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines) + "\n"


def _clip(s: str, n: int) -> str:
    return s if len(s) <= n else s[: n - 1] + "…"
