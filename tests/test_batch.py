"""`eventwire batch`: Ray (a local cluster with 2 workers) and local processes give the
events of the single-process path; `eventwire ingest OUT_DIR` loads them."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

import eventwire
from eventwire.cli import main
from eventwire.store.coded import read_coded
from eventwire.store.columns import article_key, own_events
from scale_articles import articles, write_jsonl

EVENTWIRE = str(Path(sys.executable).with_name("eventwire"))
ENV = {**os.environ, "RAY_USAGE_STATS_ENABLED": "0"}
ITEMS = articles(8, seed=11, sentences=4)


def single_process_ids(coder: eventwire.Coder) -> dict[str, list[str]]:
    return {article_key(a): sorted(e.event_id for e in own_events(article_key(a), evs))
            for a, evs in coder.pipe(ITEMS, all_modalities=True)}


def parquet_ids(out: Path) -> dict[str, list[str]]:
    return {a.id: sorted(e.event_id for e in evs) for a, evs in read_coded(out)}


def db_ids(db: Path) -> list[str]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return [r[0] for r in con.execute("SELECT event_id FROM events ORDER BY 1").fetchall()]
    finally:
        con.close()


@pytest.mark.slow
@pytest.mark.timeout(900)
@pytest.mark.parametrize("engine", ["ray", "local"])
def test_batch_engine_equals_single_process(engine: str, tmp_path: Path,
                                           coder: eventwire.Coder) -> None:
    src = write_jsonl(tmp_path / "in.jsonl", ITEMS)
    out = tmp_path / "out"
    # a subprocess: Ray starts its own local cluster (2 CPUs, 2 workers) and stops it
    # Ray reads the input in waves of 5 articles (two datasets into one folder)
    res = subprocess.run([EVENTWIRE, "batch", str(src), "--engine", engine, "--workers", "2",
                          "--batch-size", "2", "--wave-size", "5", "-o", str(out)],
                         env=ENV, capture_output=True, text=True, timeout=600)
    assert res.returncode == 0, res.stderr[-3000:]
    assert f"coded {len(ITEMS)} articles" in res.stderr
    expected = single_process_ids(coder)
    assert sum(len(v) for v in expected.values()) > 10
    assert parquet_ids(out) == expected
    db = tmp_path / "b.duckdb"
    loaded = CliRunner().invoke(main, ["ingest", str(out), "--db", str(db)])
    assert loaded.exit_code == 0, loaded.output
    assert db_ids(db) == sorted(i for v in expected.values() for i in v)


def test_batch_refuses_non_empty_output(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "old.parquet").write_bytes(b"x")
    src = write_jsonl(tmp_path / "in.jsonl", ITEMS[:1])
    res = CliRunner().invoke(main, ["batch", str(src), "-o", str(out), "--workers", "1"])
    assert res.exit_code == 1 and "--overwrite" in res.output
    assert "Traceback" not in res.output


def test_batch_local_one_worker_writes_loadable_parquet(tmp_path: Path) -> None:
    src = write_jsonl(tmp_path / "in.jsonl", ITEMS[:3])
    out = tmp_path / "out"
    res = CliRunner().invoke(main, ["batch", str(src), "-o", str(out), "--workers", "1"])
    assert res.exit_code == 0, res.output
    assert sorted(parquet_ids(out)) == [a.id for a in ITEMS[:3]]


@pytest.mark.parametrize(("address", "message"), [
    ("127.0.0.1:1", "cannot reach a Ray cluster at 127.0.0.1:1"),
    ("ray://127.0.0.1:1", "cannot reach a Ray cluster at ray://127.0.0.1:1"),
    ("nonsense", "is not auto, HOST:PORT or ray://HOST:PORT"),
])
def test_batch_unreachable_ray_address_fails_fast(tmp_path: Path, address: str,
                                                  message: str) -> None:
    src = write_jsonl(tmp_path / "in.jsonl", ITEMS[:1])
    res = CliRunner().invoke(main, ["batch", str(src), "--engine", "ray", "--address", address,
                                    "-o", str(tmp_path / "out")])
    assert res.exit_code == 1
    assert message in res.output and "Traceback" not in res.output


def _ray_workers() -> list[int]:
    """PIDs of Ray Data's coder workers (their process title names the class)."""
    pids = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                if b"MapWorker" in (proc / "cmdline").read_bytes():
                    pids.append(int(proc.name))
            except OSError:
                continue
    return pids


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_batch_ray_worker_killed_mid_batch(tmp_path: Path, coder: eventwire.Coder) -> None:
    items = articles(80, seed=5, sentences=4)
    src = write_jsonl(tmp_path / "in.jsonl", items)
    out = tmp_path / "out"
    proc = subprocess.Popen([EVENTWIRE, "batch", str(src), "--engine", "ray", "--workers", "2",
                             "--batch-size", "2", "-o", str(out)],
                            env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    killed = None
    deadline = time.monotonic() + 300
    while killed is None and proc.poll() is None and time.monotonic() < deadline:
        workers = _ray_workers()
        if workers:
            time.sleep(6)  # let it load the model and start coding
            os.kill(workers[0], signal.SIGKILL)
            killed = workers[0]
        time.sleep(0.2)
    _, err = proc.communicate(timeout=600)
    assert killed is not None, "no Ray worker seen"
    assert "Traceback" not in err
    if proc.returncode == 0:
        # Ray restarted the worker and redid its batch: nothing lost, nothing twice
        expected = {article_key(a): sorted(e.event_id for e in own_events(article_key(a), evs))
                    for a, evs in coder.pipe(items, all_modalities=True)}
        assert parquet_ids(out) == expected
    else:
        assert "error" in err.lower(), err[-2000:]  # a clear message, and the run can be redone
