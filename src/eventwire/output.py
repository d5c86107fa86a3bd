"""Writing events: JSONL (the record schema), flat CSV/Parquet, a readable table."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Sequence
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


def write_jsonl(rows: Iterable[dict[str, Any]], out: IO[str]) -> int:
    """One JSON object a line; returns the count."""
    n = 0
    for row in rows:
        out.write(json.dumps(row, ensure_ascii=False) + "\n")
        n += 1
    return n


def write_csv(rows: Iterable[dict[str, Any]], out: IO[str], columns: Sequence[str],
              lineterminator: str = "\r\n") -> int:
    """A header, then one row per flat dict; returns the count."""
    writer = csv.DictWriter(out, fieldnames=list(columns), lineterminator=lineterminator)
    writer.writeheader()
    n = 0
    for row in rows:
        writer.writerow(row)
        n += 1
    return n


def fixed_width(head: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A readable fixed-width table for terminals: header, rule, rows."""
    widths = [max(len(str(r[i])) for r in [head, *rows]) for i in range(len(head))]
    lines = ["  ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)).rstrip()
             for r in [head, *rows]]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines) + "\n"


def clip(s: str, n: int) -> str:
    return s if len(s) <= n else s[: n - 1] + "…"


def write_events(events: Iterable[Event], fh: IO[Any], fmt: str, path: str | None = None) -> None:
    if fmt == "jsonl":
        write_jsonl((e.to_dict() for e in events), fh)
    elif fmt == "csv":
        write_csv((flatten(e) for e in events), fh, FLAT_COLUMNS)
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
        e.modality[:4], ", ".join(e.reported_by) or "-", f"{e.trigger}: {clip(e.cameo_name, 34)}",
    ) for e in events]
    head = ("date", "p", "source", "target", "cameo", "plover", "mod", "reported_by", "trigger: event")
    return fixed_width(head, rows)
