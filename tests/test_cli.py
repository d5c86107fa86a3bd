"""The `eventwire code` and `explain` commands, run as a user runs them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

GOOD = "date 2024-05-02 Turkish police arrested twelve protesters in Ankara on Thursday."


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "eventwire", *args], input=stdin,
                          capture_output=True, text=True, timeout=300)


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02binary\x00")
    (tmp_path / "latin1.txt").write_bytes("date 2024-05-02 Caf\xe9 owners protested.".encode("latin-1"))
    (tmp_path / "items.jsonl").write_text(
        '{"id": "a1", "text": "Iran condemned Israel.", "date": "2024-04-02"}\n'
        '{"id": "a2", "text": broken\n'
        '{"id": "a3", "text": "Egypt hosted talks.", "date": "2024-02-30"}\n'
        '{"id": "a4", "text": "Qatar mediated between Israel and Hamas.", "date": "2024-04-03"}\n',
        encoding="utf-8")
    (tmp_path / "rows.csv").write_text(
        'id,text,date\nc1,"Kenya expelled a Somali diplomat.",2024-01-09\nc2,"missing column"\n',
        encoding="utf-8")
    return tmp_path


def test_cli_code_reports_each_bad_record_and_goes_on(inputs: Path) -> None:
    res = run("code", *sorted(str(p) for p in inputs.iterdir()))
    assert res.returncode == 1
    assert "Traceback" not in res.stderr
    for where in ("empty.txt", "binary.txt", "latin1.txt", "items.jsonl:2", "items.jsonl:3",
                  "rows.csv:3"):
        assert where in res.stderr, where
    assert "field 'date'" in res.stderr  # the impossible 2024-02-30
    events = [json.loads(line) for line in res.stdout.splitlines()]
    assert {e["article_id"] for e in events} >= {"good", "a1", "a4", "c1"}
    assert any(e["cameo"] == "173" and e["date"] == "2024-05-02" for e in events)


def test_cli_code_strict_stops_at_first_bad_record(inputs: Path) -> None:
    res = run("code", "--strict", str(inputs / "items.jsonl"))
    assert res.returncode == 1
    assert "items.jsonl:2" in res.stderr and "items.jsonl:3" not in res.stderr
    assert "Traceback" not in res.stderr


def test_cli_code_reads_stdin_and_writes_each_format(tmp_path: Path) -> None:
    res = run("code", "-", "--format", "table", stdin=GOOD)
    assert res.returncode == 0, res.stderr
    assert "173" in res.stdout and "source" in res.stdout.splitlines()[0]
    out = tmp_path / "events.parquet"
    res = run("code", "-", "-o", str(out), stdin=GOOD)
    assert res.returncode == 0, res.stderr
    table = pq.read_table(out)
    assert "cameo" in table.column_names and table.num_rows >= 1
    res = run("code", "-", "--format", "csv", stdin=GOOD)
    assert res.stdout.splitlines()[0].startswith("event_id,article_id")


def test_cli_code_all_modalities_flag(tmp_path: Path) -> None:
    text = "date 2024-05-02 Russia did not attack Ukraine."
    default = run("code", "-", stdin=text)
    everything = run("code", "-", "--all-modalities", stdin=text)
    assert not [line for line in default.stdout.splitlines() if '"negated"' in line]
    assert [line for line in everything.stdout.splitlines() if '"negated"' in line]


def test_cli_explain_shows_parse_rule_and_actors() -> None:
    res = run("explain", "Russia invaded Ukraine on Thursday, Feb. 24.", "--date", "2022-02-25")
    assert res.returncode == 0, res.stderr
    assert "tokens:" in res.stdout and "dobj" in res.stdout
    assert "INVADE" in res.stdout  # the lexicon block that matched
    assert "Russia -> RUS" in res.stdout and "2022-02-24" in res.stdout


def test_cli_bad_model_is_one_clear_line() -> None:
    res = run("code", "-", "--model", "no_such_model", stdin=GOOD)
    assert res.returncode == 1
    assert "no_such_model" in res.stderr and "Traceback" not in res.stderr


@pytest.mark.slow
def test_cli_code_article_timeout_skips_and_reports(tmp_path: Path) -> None:
    good = '{"id": "ok", "text": "Iran condemned Israel.", "date": "2024-04-02"}'
    res = run("code", "-", "--article-timeout", "60", stdin=good + "\n")
    assert res.returncode == 0, res.stderr
    assert any(json.loads(line)["article_id"] == "ok" for line in res.stdout.splitlines())
    # an impossibly small budget: every article is skipped and reported, none lost silently
    res = run("code", "-", "--article-timeout", "0.001", stdin=good + "\n")
    assert res.returncode == 1 and "ok" in res.stderr and "Traceback" not in res.stderr


def test_cli_explain_marks_implied_actors() -> None:
    res = run("explain", "Forty protesters were arrested in Nairobi on Monday.")
    assert res.returncode == 0, res.stderr
    notes = res.stdout.split("not stated (actors.implied):", 1)[1]
    assert "source KENCOP: implied by agentless arrest" in notes
    assert "country from place" in notes
