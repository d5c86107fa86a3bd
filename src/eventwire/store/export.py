"""Writing query results: JSONL, CSV, Parquet, a text table, GDELT-style TSV.

The GDELT-style file follows the column order of the GDELT 2.0 event table
for the columns eventwire has (docs/store.md lists the mapping); columns it
cannot fill (tone, mention counts beyond 1, ADM2) are left empty. ActionGeo_Type
follows GDELT: 1 country, 2 US state, 3 US city, 4 world city, 5 world state
(an admin1 or a region); ActionGeo_FeatureID is the GeoNames id.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

import pyarrow as pa
import pyarrow.parquet as pq

from ..errors import StoreError
from ..output import clip, fixed_width, write_csv, write_jsonl
from ..records import Event
from .columns import LOCATION_PARTS, events_table

FORMATS = ("table", "jsonl", "csv", "parquet", "gdelt")

CSV_COLUMNS = (
    "event_id", "article_id", "date", "date_precision", "report_date",
    "source_code", "source_country", "source_sector", "source_text",
    "target_code", "target_country", "target_sector", "target_text",
    "cameo", "cameo_root", "cameo_name", "goldstein", "quad_class", "plover", "plover_mode",
    "modality", "location_name", "location_country", "location_lat", "location_lon",
    "location_admin1", "location_geonames_id", "location_precision", "location_basis",
    "reported_by", "confidence", "outlet", "trigger", "sentence",
)

GDELT_COLUMNS = (
    "GlobalEventID", "Day", "MonthYear", "Year", "FractionDate",
    "Actor1Code", "Actor1Name", "Actor1CountryCode", "Actor1Type1Code",
    "Actor2Code", "Actor2Name", "Actor2CountryCode", "Actor2Type1Code",
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass",
    "GoldsteinScale", "NumMentions", "NumSources", "NumArticles", "AvgTone",
    "ActionGeo_Type", "ActionGeo_FullName", "ActionGeo_CountryCode", "ActionGeo_ADM1Code",
    "ActionGeo_ADM2Code", "ActionGeo_Lat", "ActionGeo_Long", "ActionGeo_FeatureID",
    "DATEADDED", "SOURCEURL",
)


def flat(event: dict[str, Any]) -> dict[str, Any]:
    """A DESIGN.md event dict flattened to CSV_COLUMNS (reported_by joined by '; ')."""
    out: dict[str, Any] = {k: event.get(k) for k in CSV_COLUMNS}
    for side in ("source", "target"):
        actor = event.get(side) or {}
        for part in ("code", "country", "sector", "text"):
            out[f"{side}_{part}"] = actor.get(part)
    loc = event.get("location") or {}
    for part in LOCATION_PARTS:
        out[f"location_{part}"] = loc.get(part)
    out["reported_by"] = "; ".join(event.get("reported_by") or [])
    return out


def _digits(date: str | None) -> str:
    return date.replace("-", "") if date else ""


def gdelt_row(event: dict[str, Any], url: str | None = None) -> list[str]:
    def s(v: Any) -> str:
        # Tabs and newlines would break the TSV; GDELT files have none inside fields.
        return "" if v is None else " ".join(str(v).split())

    src = event.get("source") or {}
    tgt = event.get("target") or {}
    loc = event.get("location") or {}
    day = _digits(event.get("date"))
    frac = ""
    if day:
        y, m, d = int(day[:4]), int(day[4:6]), int(day[6:8])
        frac = f"{y + ((m - 1) * 30 + d) / 365:.4f}"  # GDELT's own approximation
    cameo = str(event.get("cameo") or "")
    return [s(v) for v in (
        event.get("event_id"), day, day[:6], day[:4], frac,
        src.get("code"), src.get("name") or src.get("text"), src.get("country"), src.get("sector"),
        tgt.get("code"), tgt.get("name") or tgt.get("text"), tgt.get("country"), tgt.get("sector"),
        1 if event.get("sentence_index") == 0 else 0,
        cameo, cameo[:3], event.get("cameo_root"), event.get("quad_class"),
        event.get("goldstein"), 1, 1, 1, None,
        action_geo_type(loc),
        ", ".join(p for p in (loc.get("name"), loc.get("admin1") if loc.get("admin1") != loc.get(
            "name") else None) if p) or None,
        loc.get("country"), loc.get("admin1"), None, loc.get("lat"), loc.get("lon"),
        loc.get("geonames_id"), _digits(event.get("report_date")), url,
    )]


def action_geo_type(loc: dict[str, Any]) -> int:
    """GDELT's ActionGeo_Type of a location (module docstring); 0 for none."""
    if not loc:
        return 0
    us = loc.get("country") == "USA"
    precision = loc.get("precision")
    if precision == "country":
        return 1
    if precision == "admin1":
        return 2 if us else 5
    if precision == "place" or loc.get("lat") is not None:  # older records: no precision
        return 3 if us else 4
    return 1


def table_text(events: Iterable[dict[str, Any]], width: int = 60) -> str:
    """A readable fixed-width table for terminals."""
    head = ("date", "source", "target", "cameo", "plover", "modality", "reported_by", "sentence")
    rows = [(
        e.get("date") or "", (e.get("source") or {}).get("code") or "-",
        (e.get("target") or {}).get("code") or "-", e.get("cameo") or "",
        e.get("plover") or "", e.get("modality") or "",
        ", ".join(e.get("reported_by") or []) or "-",
        clip(" ".join(str(e.get("sentence") or "").split()), width),
    ) for e in events]
    return fixed_width(head, rows)


def write_text(events: Iterable[dict[str, Any]], fmt: str, out: IO[str],
               urls: dict[str, str] | None = None) -> int:
    """Write events as table, jsonl, csv or gdelt to a text stream; returns the count."""
    n = 0
    if fmt == "table":
        buffered = list(events)
        out.write(table_text(buffered))
        return len(buffered)
    if fmt == "jsonl":
        return write_jsonl(events, out)
    if fmt == "csv":
        return write_csv((flat(e) for e in events), out, CSV_COLUMNS, lineterminator="\n")
    if fmt == "gdelt":
        out.write("\t".join(GDELT_COLUMNS) + "\n")
        for e in events:
            out.write("\t".join(gdelt_row(e, (urls or {}).get(e["article_id"]))) + "\n")
            n += 1
        return n
    raise StoreError(f"unknown format '{fmt}'; choose one of {', '.join(FORMATS)}")


def write_parquet(events: Iterable[dict[str, Any]], path: str | Path,
                  batch: int = 50_000) -> int:
    """Parquet with the store's flattened event columns (+ outlet)."""
    target = Path(path)
    writer: pq.ParquetWriter | None = None
    n = 0
    chunk: list[dict[str, Any]] = []

    def flush() -> None:
        nonlocal writer
        tbl = events_table(Event.from_dict(e) for e in chunk)
        tbl = tbl.append_column("outlet", pa.array([e.get("outlet") for e in chunk], pa.string()))
        if writer is None:
            writer = pq.ParquetWriter(str(target), tbl.schema)
        writer.write_table(tbl)

    try:
        for e in events:
            chunk.append(e)
            n += 1
            if len(chunk) >= batch:
                flush()
                chunk = []
        if chunk or writer is None:
            flush()
    except OSError as exc:
        raise StoreError(f"{target}: cannot write Parquet: {exc}") from exc
    finally:
        if writer is not None:
            writer.close()
    return n


def to_string(events: Iterable[dict[str, Any]], fmt: str) -> str:
    buf = io.StringIO()
    write_text(events, fmt, buf)
    return buf.getvalue()
