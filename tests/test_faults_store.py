"""Faults around the store, on the real CLI with the real coder and real DuckDB
files: a read-only file system or file, a full disk, a lock held by another
writer, and kill -9 at random points of an ingest (20+ times). After each:
the error says what to do, there is no traceback, and the store holds whole
articles only; a rerun ends with exactly the articles and events of a clean
run."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from shutil import copy as shutil_copy

import duckdb
import pytest

from scale_articles import articles, write_jsonl

EVENTWIRE = str(Path(sys.executable).with_name("eventwire"))
ENV = {**os.environ, "RAY_USAGE_STATS_ENABLED": "0"}

pytestmark = pytest.mark.slow  # each case starts the CLI and loads the model


def ingest(src: Path | None, db: Path, *extra: str, user: int | None = None
           ) -> subprocess.CompletedProcess[str]:
    cmd = [EVENTWIRE, "ingest", *([str(src)] if src else []), "--db", str(db), "--workers", "1",
           "--batch-size", "3", *extra]
    if user is not None:
        cmd = ["setpriv", f"--reuid={user}", f"--regid={user}", "--clear-groups", *cmd]
    return subprocess.run(cmd, env=ENV, capture_output=True, text=True, timeout=600)


def assert_user_error(res: subprocess.CompletedProcess[str], *needles: str) -> None:
    assert res.returncode == 1, (res.returncode, res.stderr[-2000:])
    assert "Traceback" not in res.stderr, res.stderr[-2000:]
    last = res.stderr.strip().splitlines()[-1]
    assert last.startswith("eventwire: error:"), res.stderr[-2000:]
    for needle in needles:
        assert needle in last, last


def snapshot(db: Path) -> dict[str, tuple[str, tuple[str, ...]]]:
    """article id -> (content hash, sorted event ids); raises if events lack an
    article, an article row disagrees with its events, or an id repeats."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        if not con.execute("SELECT count(*) FROM information_schema.tables"
                           " WHERE table_name = 'articles'").fetchone()[0]:  # type: ignore[index]
            return {}  # killed before the new store's tables were committed: empty
        arts = con.execute("SELECT article_id, content_hash, n_events FROM articles").fetchall()
        evs = con.execute("SELECT article_id, event_id FROM events").fetchall()
    finally:
        con.close()
    ids = [e for _, e in evs]
    assert len(ids) == len(set(ids)), "an event stored twice"
    by_article: dict[str, list[str]] = {}
    for aid, eid in evs:
        by_article.setdefault(aid, []).append(eid)
    known = {a for a, _, _ in arts}
    assert set(by_article) <= known, "events of an article that is not stored"
    out = {}
    for aid, digest, n in arts:
        got = tuple(sorted(by_article.get(aid, [])))
        assert len(got) == n, f"article {aid}: row says {n} events, store has {len(got)}"
        out[aid] = (digest, got)
    return out


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory
           ) -> tuple[Path, dict[str, tuple[str, tuple[str, ...]]], float]:
    """60 articles, and the store and duration of an uninterrupted ingest."""
    tmp = tmp_path_factory.mktemp("faults")
    src = write_jsonl(tmp / "in.jsonl", articles(60, sentences=8))
    clean = tmp / "clean.duckdb"
    t0 = time.monotonic()
    res = ingest(src, clean)
    assert res.returncode == 0, res.stderr
    expected = snapshot(clean)
    assert len(expected) == 60
    return src, expected, time.monotonic() - t0


@pytest.fixture()
def tmpfs(tmp_path: Path) -> Iterator[Path]:
    """A mount point for a small tmpfs (root only; skipped elsewhere)."""
    mnt = tmp_path / "mnt"
    mnt.mkdir()
    yield mnt
    subprocess.run(["umount", "-l", str(mnt)], capture_output=True)


def mount(mnt: Path, options: str) -> None:
    res = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(mnt)],
                         capture_output=True, text=True)
    if res.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({res.stderr.strip()})")


def remount(mnt: Path, options: str) -> None:
    subprocess.run(["mount", "-o", f"remount,{options}", str(mnt)], check=True)


# -- read-only -----------------------------------------------------------------

def test_faults_read_only_file_system(tmpfs: Path, corpus: tuple[Path, dict, float]) -> None:
    src, expected, _ = corpus
    mount(tmpfs, "size=64m")
    db = tmpfs / "store.duckdb"
    assert ingest(src, db).returncode == 0
    remount(tmpfs, "ro")
    res = ingest(src, db)
    assert_user_error(res, str(db), "read-only")
    # readers still get the stored events, unchanged
    out = subprocess.run([EVENTWIRE, "events", "--db", str(db), "--format", "jsonl",
                          "--modality", "all"], capture_output=True, text=True, env=ENV)
    assert out.returncode == 0, out.stderr
    assert len(out.stdout.splitlines()) == sum(len(e) for _, e in expected.values())
    new = ingest(src, tmpfs / "new.duckdb")
    assert_user_error(new, str(tmpfs / "new.duckdb"))


@pytest.fixture()
def open_dir() -> Iterator[Path]:
    """A folder that an unprivileged user can enter (pytest's tmp_path is root-only)."""
    import shutil
    import tempfile

    path = Path(tempfile.mkdtemp(prefix="eventwire-faults-"))
    path.chmod(0o755)
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.mark.parametrize("case", ["file", "folder", "unreachable"])
def test_faults_read_only_file(open_dir: Path, corpus: tuple[Path, dict, float],
                               case: str) -> None:
    """A store the user may read but not write, or not even reach (run as user nobody)."""
    src, expected, _ = corpus
    src = Path(shutil_copy(src, open_dir / "in.jsonl"))
    (open_dir / "in.jsonl").chmod(0o644)
    folder = open_dir / "data"
    folder.mkdir()
    db = folder / "ro.duckdb"
    assert ingest(src, db).returncode == 0
    db.chmod(0o644 if case == "folder" else 0o444)
    folder.chmod({"file": 0o755, "folder": 0o555, "unreachable": 0o700}[case])
    probe = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                            EVENTWIRE, "--help"], capture_output=True, env=ENV)
    if probe.returncode != 0:
        pytest.skip("cannot run the CLI as an unprivileged user here")
    res = ingest(src, db, user=65534)
    if case == "unreachable":
        assert_user_error(res, str(db), "Permission denied", "write access")
    else:
        assert_user_error(res, str(db), "read-only")
    assert snapshot(db) == expected


# -- full disk -------------------------------------------------------------------

@pytest.mark.parametrize(("size", "where"), [("300k", "articles"), ("600k", "merged view")])
def test_faults_full_disk_then_room_again(tmpfs: Path, corpus: tuple[Path, dict, float],
                                          size: str, where: str) -> None:
    """The disk fills while articles are written (300k), or while the merged
    view is updated after them (600k)."""
    src, expected, _ = corpus
    mount(tmpfs, f"size={size}")
    db = tmpfs / "store.duckdb"
    res = ingest(src, db)
    assert_user_error(res, where, "disk is full", "run the same command again")
    partial = snapshot(db)  # opens: not corrupted, whole articles only
    assert all(expected[a] == v for a, v in partial.items())
    if where == "articles":
        assert len(partial) < len(expected)
    remount(tmpfs, "size=64m")
    again = ingest(src, db)
    assert again.returncode == 0, again.stderr
    assert snapshot(db) == expected


# -- locked ----------------------------------------------------------------------

def test_faults_locked_by_another_writer(tmp_path: Path,
                                         corpus: tuple[Path, dict, float]) -> None:
    src, expected, _ = corpus
    db = tmp_path / "locked.duckdb"
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time, duckdb; c = duckdb.connect(sys.argv[1]); "
         "print('ready', flush=True); time.sleep(120)", str(db)],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        res = ingest(src, db)
        assert_user_error(res, str(db), "locked", f"process {holder.pid}", "wait for it")
        reader = subprocess.run([EVENTWIRE, "events", "--db", str(db)], capture_output=True,
                                text=True, env=ENV)
        assert_user_error(reader, "locked")
    finally:
        holder.kill()
        holder.wait()
    res = ingest(src, db)
    assert res.returncode == 0, res.stderr
    assert snapshot(db) == expected


# -- kill -9 at random points ------------------------------------------------------

KILLS = int(os.environ.get("EVENTWIRE_FAULT_KILLS", "20"))


def test_faults_kill_9_at_random_points(tmp_path: Path,
                                        corpus: tuple[Path, dict, float]) -> None:
    """KILLS runs killed at random moments (start-up, coding, mid-commit), in
    four stores; after each kill the store is consistent, and a final run of
    each ends with exactly the clean run's articles and events."""
    src, expected, clean_s = corpus
    rng = random.Random(int(os.environ.get("EVENTWIRE_FAULT_SEED", "0")) or None)
    stores = [tmp_path / f"killed-{i}.duckdb" for i in range(4)]
    kills = 0
    log = []
    while kills < KILLS:
        db = stores[kills % len(stores)]
        if db.exists() and len(snapshot(db)) == len(expected):
            # complete: start it over, so that kills keep landing in the coding part
            for f in (db, db.with_name(db.name + ".wal")):
                f.unlink(missing_ok=True)
        cmd = [EVENTWIRE, "ingest", str(src), "--db", str(db), "--batch-size", "3",
               "--workers", str(rng.choice([1, 2]))]
        proc = subprocess.Popen(cmd, env=ENV, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, start_new_session=True)
        time.sleep(rng.uniform(0.05, 1.0) * clean_s)
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)  # the CLI and any worker it started
            kills += 1
        proc.wait()
        stored = snapshot(db) if db.exists() else {}
        assert all(expected.get(a) == v for a, v in stored.items()), "a partial article"
        log.append(len(stored))
    for db in stores:
        res = ingest(src, db)
        assert res.returncode == 0, res.stderr
        assert snapshot(db) == expected
    print(f"{kills} kills; articles stored at each kill: {log}")
