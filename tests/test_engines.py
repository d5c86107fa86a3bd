"""The local engine (processes), coded Parquet round trips, and the ingest CLI on top."""

from __future__ import annotations

import io
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

import eventwire
from eventwire import Config, store
from eventwire.cli import main
from eventwire.cli._progress import Progress
from eventwire.engines import LocalEngine
from eventwire.records import Article, Event
from eventwire.store.coded import read_coded, write_coded
from eventwire.store.columns import own_events
from scale_articles import articles, write_jsonl


def ids(pairs: Iterable[tuple[Article, list[Event]]]) -> list[tuple[str, list[str]]]:
    return [(a.id, sorted(e.event_id for e in evs)) for a, evs in pairs]


class FlakyCoder:
    """Wraps the real coder; raises on one article, as a coder bug would."""

    def __init__(self, real: eventwire.Coder, bad_id: str) -> None:
        self.real, self.bad_id = real, bad_id

    def pipe(self, items: Iterable[Article], *, all_modalities: bool = False
             ) -> Iterator[tuple[Article, list[Event]]]:
        for a in items:
            yield a, self.code_article(a, all_modalities=all_modalities)

    def code_article(self, a: Article, *, all_modalities: bool = False) -> list[Event]:
        if a.id == self.bad_id:
            raise RuntimeError("boom in the coder")
        return self.real.code_article(a, all_modalities=all_modalities)


def test_engines_in_process_same_as_coder_pipe(coder: eventwire.Coder) -> None:
    items = articles(6, sentences=3)
    engine = LocalEngine(workers=1, chunk_size=4, coder=coder)
    got = ids(engine.pipe(items))
    assert got == ids((a, list(evs)) for a, evs in coder.pipe(items, all_modalities=True))
    assert [a for a, _ in got] == [a.id for a in items]
    assert sum(len(e) for _, e in got) > 0
    assert 50 < next(iter(engine.peak_rss_mb.values())) < 5000


def test_engines_failed_article_left_out_and_reported(coder: eventwire.Coder) -> None:
    items = articles(5, sentences=2)
    engine = LocalEngine(workers=1, chunk_size=5, coder=FlakyCoder(coder, items[2].id))
    got = [a.id for a, _ in engine.pipe(items)]
    assert got == [a.id for i, a in enumerate(items) if i != 2]
    assert [(f.article_id, "boom" in f.error) for f in engine.failures] == [(items[2].id, True)]


@pytest.mark.slow
def test_engines_two_processes_same_events_in_order(coder: eventwire.Coder) -> None:
    items = articles(10, sentences=3)
    engine = LocalEngine(Config(), workers=2, chunk_size=2)
    got = ids(engine.pipe(items))
    assert got == ids(LocalEngine(workers=1, coder=coder).pipe(items))
    # results come from worker processes (one may take every chunk while the other
    # is still loading the model on a busy machine)
    assert 1 <= len(engine.peak_rss_mb) <= 2
    assert os.getpid() not in engine.peak_rss_mb
    assert all(v < 1000 for v in engine.peak_rss_mb.values())


def test_engines_coded_parquet_round_trip(tmp_path: Path, coder: eventwire.Coder) -> None:
    items = [*articles(4, sentences=3),
             Article(id="", text="Nothing happened here.", date="2024-02-02")]
    pairs = [(a, list(e)) for a, e in coder.pipe(items, all_modalities=True)]
    assert any(not e for _, e in pairs)  # an article without events travels too
    out = tmp_path / "coded"
    out.mkdir()
    (out / "sub").mkdir()
    write_coded(pairs[:2], out / "part-0.parquet")
    write_coded(pairs[2:], out / "sub" / "part-1.parquet")
    back = {a.id: (a, evs) for a, evs in read_coded(out)}
    assert len(back) == len(pairs)
    for a, evs in pairs:
        key = store.article_key(a)
        b, bevs = back[key]
        assert (b.text, b.date, b.outlet, b.title) == (a.text, a.date, a.outlet, a.title)
        # the ids the store will give them (keyed by the store key)
        assert sorted(e.event_id for e in bevs) == sorted(
            e.event_id for e in own_events(key, evs))
        assert sorted(e.to_dict()["cameo"] for e in bevs) == sorted(e.cameo for e in evs)
    table = pq.read_table(out / "part-0.parquet")
    assert {"event_id", "source_code", "cameo", "article_text", "article_outlet"} <= set(
        table.column_names)


def test_engines_ingest_coded_dir_equals_direct_ingest(tmp_path: Path,
                                                       coder: eventwire.Coder) -> None:
    items = articles(5, sentences=3)
    pairs = [(a, list(e)) for a, e in coder.pipe(items, all_modalities=True)]
    out = tmp_path / "coded"
    out.mkdir()
    write_coded(pairs, out / "part-00000.parquet")
    db = tmp_path / "a.duckdb"
    res = CliRunner().invoke(main, ["ingest", str(out), "--db", str(db)])
    assert res.exit_code == 0, res.output
    assert "5 new" in res.output
    con = store.connect(tmp_path / "b.duckdb")
    store.ingest(con, pairs)
    direct = con.execute("SELECT event_id FROM events ORDER BY 1").fetchall()
    con.close()
    con = store.connect(db, read_only=True)
    assert con.execute("SELECT event_id FROM events ORDER BY 1").fetchall() == direct
    assert con.execute("SELECT count(*) FROM merged_mentions").fetchone() == (len(direct),)
    con.close()
    again = CliRunner().invoke(main, ["ingest", str(out), "--db", str(db)])
    assert "0 new" in again.output and "5 unchanged" in again.output


def test_engines_ingest_skips_stored_articles_without_coding(tmp_path: Path) -> None:
    src = write_jsonl(tmp_path / "in.jsonl", articles(3, sentences=2))
    db = tmp_path / "s.duckdb"
    first = CliRunner().invoke(main, ["ingest", str(src), "--db", str(db), "--workers", "1"])
    assert first.exit_code == 0, first.output
    import eventwire.engines.local as local

    real = local.LocalEngine._pipe_here

    def refuse(self: LocalEngine, items: Iterable[Article]) -> Iterator[tuple[Article, list[Event]]]:
        for _ in items:
            raise AssertionError("a stored article was sent to the coder")
        yield from real(self, [])

    try:
        local.LocalEngine._pipe_here = refuse  # type: ignore[method-assign]
        second = CliRunner().invoke(
            main, ["ingest", str(src), "--db", str(db), "--workers", "1"])
    finally:
        local.LocalEngine._pipe_here = real  # type: ignore[method-assign]
    assert second.exit_code == 0, second.output
    assert "3 unchanged" in second.output


@pytest.mark.parametrize(("total", "pattern"), [
    (10, r"^4/10 articles \(\d+\.\d/s, \d+s elapsed, ETA \d+s\)$"),
    (None, r"^4 articles \(\d+\.\d/s, \d+s elapsed\)$"),
])
def test_engines_progress_plain_lines(total: int | None, pattern: str,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    with Progress(total, every=0.0, tty=False) as p:
        p.update(4)
    err = capsys.readouterr().err.strip().splitlines()
    assert re.match(pattern, err[-1].removeprefix("eventwire: ")), err


def test_engines_progress_bar_on_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    buf = io.StringIO()
    monkeypatch.setattr("sys.stderr", buf)
    with Progress(8, tty=True) as p:
        p.update(8)
    assert "8/8" in buf.getvalue() and "art/s" in buf.getvalue()
