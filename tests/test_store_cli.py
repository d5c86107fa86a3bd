"""`eventwire ingest`, `events`, `export` as a user runs them."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from eventwire import store
from eventwire.cli import main
from eventwire.store.export import GDELT_COLUMNS
from store_factories import sample_pairs


@pytest.fixture()
def db(tmp_path: Path) -> Path:
    path = tmp_path / "cli.duckdb"
    con = store.connect(path)
    store.ingest(con, sample_pairs())
    con.close()
    return path


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize(("args", "expected"), [
    ([], 7),
    (["--modality", "all"], 9),
    (["--actor", "USA"], 1),
    (["--dyad", "RUS,UKR", "--cameo-root", "05"], 2),
    (["--text", "ceasefire"], 2),
    (["--start", "2022-03-01", "--end", "2022-03-31", "--quad-class", "2"], 2),
])
def test_store_cli_events_jsonl(db: Path, args: list[str], expected: int) -> None:
    code, out, _ = run("events", "--db", str(db), "--format", "jsonl", *args)
    assert code == 0
    rows = [json.loads(line) for line in out.splitlines()]
    assert len(rows) == expected
    assert all({"event_id", "source", "target", "cameo", "reported_by"} <= set(r) for r in rows)


def test_store_cli_events_table_and_csv(db: Path) -> None:
    code, out, _ = run("events", "--db", str(db))
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split()[:4] == ["date", "source", "target", "cameo"]
    assert len(lines) == 2 + 7 and "RUSGOV" in out
    code, out, _ = run("events", "--db", str(db), "--format", "csv", "--dyad", "RUS,UKR")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and len(rows) == 4
    assert {r["source_country"] for r in rows} == {"RUS", "UKR"}
    assert "Daily Ledger; UN officials" in {r["reported_by"] for r in rows}


def test_store_cli_events_parquet(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "e.parquet"
    code, _, _ = run("events", "--db", str(db), "--format", "parquet", "-o", str(out),
                     "--modality", "all")
    assert code == 0
    table = pq.read_table(out)
    assert table.num_rows == 9
    assert {"source_code", "reported_by", "location_lat", "outlet"} <= set(table.column_names)
    code, _, err = run("events", "--db", str(db), "--format", "parquet")
    assert code == 1 and "needs -o" in err


def test_store_cli_export_gdelt(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "g.tsv"
    code, _, err = run("export", "--db", str(db), "--format", "gdelt", "-o", str(out))
    assert code == 0 and "wrote 7 events" in err
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0].split("\t") == list(GDELT_COLUMNS)
    rows = [dict(zip(GDELT_COLUMNS, line.split("\t"), strict=True)) for line in lines[1:]]
    war = next(r for r in rows if r["EventCode"] == "190")
    assert war["Day"] == "20220224" and war["Actor1CountryCode"] == "RUS"
    assert war["EventRootCode"] == "19" and war["QuadClass"] == "4"
    assert war["ActionGeo_FullName"] == "Kyiv, Kyiv City" and war["SOURCEURL"].endswith("/war-1")
    # a world city, with its province and GeoNames feature id
    assert (war["ActionGeo_Type"], war["ActionGeo_CountryCode"], war["ActionGeo_ADM1Code"],
            war["ActionGeo_FeatureID"]) == ("4", "UKR", "Kyiv City", "703448")
    unlocated = next(r for r in rows if r["EventCode"] == "111")
    assert unlocated["ActionGeo_Type"] == "0" and unlocated["ActionGeo_FeatureID"] == ""


@pytest.mark.parametrize(("loc", "kind"), [
    ({}, 0), ({"name": "Peru", "country": "PER", "precision": "country"}, 1),
    ({"name": "Texas", "country": "USA", "precision": "admin1"}, 2),
    ({"name": "Austin", "country": "USA", "precision": "place"}, 3),
    ({"name": "Lima", "country": "PER", "precision": "place"}, 4),
    ({"name": "Donbas", "country": "UKR", "precision": "admin1"}, 5),
    ({"name": "Kyiv", "country": "UKR", "lat": 50.4, "lon": 30.5}, 4),  # a record before precision
])
def test_store_cli_gdelt_action_geo_type(loc: dict[str, object], kind: int) -> None:
    from eventwire.store.export import action_geo_type

    assert action_geo_type(loc) == kind


@pytest.mark.parametrize(("args", "message"), [
    (["--start", "2022-05-01", "--end", "2022-01-01"], "after end"),
    (["--quad-class", "7"], "quad class"),
    (["--side", "source"], "needs an 'actor'"),
])
def test_store_cli_bad_filters_one_line(db: Path, args: list[str], message: str) -> None:
    code, out, err = run("events", "--db", str(db), *args)
    assert code == 1 and out == ""
    assert err.startswith("eventwire: error:") and message in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_store_cli_missing_db(tmp_path: Path) -> None:
    code, _, err = run("events", "--db", str(tmp_path / "none.duckdb"))
    assert code == 1 and "no such database" in err


def test_store_cli_locked_store_says_so(db: Path) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import duckdb, sys
            con = duckdb.connect({str(db)!r})
            print("ready", flush=True)
            sys.stdin.readline()
        """)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        for args in (["events"], ["ingest"]):
            code, _, err = run(*args, "--db", str(db))
            assert code == 1 and "another eventwire process" in err
    finally:
        assert holder.stdin is not None
        holder.stdin.write("\n")
        holder.stdin.close()
        holder.wait(timeout=20)


@pytest.mark.slow
def test_store_cli_ingest_codes_and_is_idempotent(tmp_path: Path) -> None:
    """Real coder (spaCy) end to end: JSONL in, events stored, bad line reported."""
    src = tmp_path / "news.jsonl"
    src.write_text("\n".join([
        json.dumps({"id": "n1", "date": "2023-03-14", "outlet": "Harbour Times",
                    "text": "Police in Lima arrested twelve protesters on Monday."}),
        "{this line is broken",
        json.dumps({"id": "n2", "date": "2023-03-15",
                    "text": "Russian troops attacked Ukrainian positions near Kharkiv."}),
    ]) + "\n", encoding="utf-8")
    db = tmp_path / "real.duckdb"
    code, _, err = run("ingest", str(src), "--db", str(db))
    assert code == 1  # the bad line makes the run fail at the end...
    assert "news.jsonl:2" in err and "2 new" in err  # ...after storing the good ones
    con = store.connect(db, read_only=True)
    stored = store.events(con, store.parse_filters({"modality": "all"}), limit=100).items
    con.close()
    assert {e["article_id"] for e in stored} <= {"n1", "n2"} and stored
    code, _, err = run("ingest", str(src), "--db", str(db))
    assert "2 unchanged" in err and "0 events written" in err


@pytest.mark.slow
def test_store_cli_ingest_article_timeout_skips_reports_and_resumes(tmp_path: Path) -> None:
    """A budget too small for any article: nothing stored, each one reported; a
    second run with room to spare stores them (a timed-out article is not lost)."""
    src = tmp_path / "news.jsonl"
    src.write_text("\n".join(json.dumps({"id": f"t{i}", "date": "2023-03-14",
                                         "text": "Police in Lima arrested twelve protesters."})
                             for i in range(2)) + "\n", encoding="utf-8")
    db = tmp_path / "timeout.duckdb"
    code, _, err = run("ingest", str(src), "--db", str(db), "--article-timeout", "0.001")
    assert code == 1 and "0 new" in err and "2 articles failed to code" in err
    assert "news.jsonl:1" in err and "news.jsonl:2" in err and "Traceback" not in err
    code, _, err = run("ingest", str(src), "--db", str(db), "--article-timeout", "120")
    assert code == 0, err
    assert "2 new" in err
