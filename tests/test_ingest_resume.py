"""kill -9 during a parallel ingest, then run again: exactly the articles and events
of an uninterrupted run, none lost, none twice, nothing recoded that was stored."""

from __future__ import annotations

import os
import random
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from scale_articles import articles, write_jsonl

EVENTWIRE = [str(Path(sys.executable).with_name("eventwire"))]
ENV = {**os.environ, "RAY_USAGE_STATS_ENABLED": "0"}


def ingest_cmd(src: Path, db: Path) -> list[str]:
    return [*EVENTWIRE, "ingest", str(src), "--db", str(db), "--workers", "2",
            "--batch-size", "3"]


def snapshot(db: Path) -> tuple[list[tuple[str, str]], list[str], list[str]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        arts = con.execute("SELECT article_id, content_hash FROM articles ORDER BY 1").fetchall()
        evs = [r[0] for r in con.execute("SELECT event_id FROM events ORDER BY 1").fetchall()]
        merged = [r[0] for r in con.execute(
            "SELECT merged_id FROM merged_events ORDER BY 1").fetchall()]
    finally:
        con.close()
    return arts, evs, merged


def children_of(pid: int) -> list[int]:
    out = []
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                stat = (d / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                out.append(int(d.name))
    return out


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_ingest_resume_after_kill_9(tmp_path: Path) -> None:
    src = write_jsonl(tmp_path / "in.jsonl", articles(120, sentences=8))
    clean = tmp_path / "clean.duckdb"
    t0 = time.monotonic()
    subprocess.run(ingest_cmd(src, clean), env=ENV, check=True, capture_output=True)
    clean_s = time.monotonic() - t0
    expected = snapshot(clean)
    assert len(expected[0]) == 120 and len(expected[1]) > 100

    rng = random.Random()
    db = tmp_path / "killed.duckdb"
    kills, partial = 0, []
    for _ in range(2):
        proc = subprocess.Popen(ingest_cmd(src, db), env=ENV, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        # a random moment in the part of the run where articles are being coded and
        # committed (the first part of a run is start-up: workers loading the model)
        time.sleep(rng.uniform(0.5, 0.95) * clean_s)
        if proc.poll() is not None:
            break  # finished before the kill: nothing more to interrupt
        kids = children_of(proc.pid)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        kills += 1
        partial.append(len(snapshot(db)[0]) if db.exists() else 0)
        # the workers notice their parent is gone and exit on their own
        deadline = time.monotonic() + 15
        while [k for k in kids if alive(k)] and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not [k for k in kids if alive(k)], "a worker outlived its killed parent"
    assert kills >= 1, "the run finished before it could be killed; make the input larger"
    stored = len(snapshot(db)[0])  # a run that finished before its kill stored all
    print(f"clean run {clean_s:.1f}s; articles stored when killed: {partial}")
    done = subprocess.run(ingest_cmd(src, db), env=ENV, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    m = re.search(r"(\d+) new, (\d+) updated, (\d+) unchanged", done.stderr)
    assert m, done.stderr
    # what the killed runs committed is skipped, not coded again
    assert (int(m[1]), int(m[2]), int(m[3])) == (120 - stored, 0, stored)
    assert snapshot(db) == expected
