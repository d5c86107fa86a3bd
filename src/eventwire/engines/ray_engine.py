"""The Ray engine: code articles with Ray Data on a cluster (or a local one), to Parquet.

    stats = run_ray(articles, "out/", config=Config(), address="auto", workers=8)

Articles become a Ray dataset; `map_batches` runs `CoderWorker`, a callable
class that builds the coder once per worker from the plain Config (never a
pickled coder), on `workers` actors of one CPU each. Each batch comes back
as an Arrow table in the coded-output layout (store/coded.py), and the
dataset is written as Parquet files into the output folder, which
`eventwire ingest OUT_DIR` loads. Needs `pip install 'eventwire[ray]'`, and
eventwire (same version) on every node of a cluster.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

import pyarrow as pa

from ..config import Config
from ..errors import ConfigError, EventwireError
from ..records import Article
from ..store.coded import coded_table
from .local import peak_rss_mb

ARTICLE_FIELDS = ("id", "text", "date", "title", "url", "outlet", "origin")
WAVE_SIZE = 10_000  # articles the driver holds at once


class CoderWorker:
    """Ray Data UDF: one coder per actor, built from the config on start."""

    def __init__(self, config_json: str, all_modalities: bool = True,
                 stats_dir: str | None = None) -> None:
        from ..pipeline import load

        t0 = time.time()
        self.coder = load(Config.from_dict(json.loads(config_json)))
        self.load_s = time.time() - t0
        self.all_modalities = all_modalities
        self.stats_dir = stats_dir
        self.first_start: float | None = None
        self.busy = 0.0
        self.done = 0

    def __call__(self, batch: pa.Table) -> pa.Table:
        start = time.time()
        if self.first_start is None:
            self.first_start = start
        cols = batch.to_pydict()
        articles = [Article(**{k: cols[k][i] for k in ARTICLE_FIELDS})
                    for i in range(batch.num_rows)]
        pairs = list(self.coder.pipe(articles, all_modalities=self.all_modalities))
        table = coded_table(pairs)
        if self.stats_dir:
            # Side channel for benchmarks: this worker's memory and time so far.
            end = time.time()
            self.busy += end - start
            self.done += len(articles)
            Path(self.stats_dir, f"{os.getpid()}.json").write_text(json.dumps({
                "pid": os.getpid(), "peak_rss_mb": peak_rss_mb(), "first_start": self.first_start,
                "last_end": end, "busy_s": self.busy, "articles": self.done,
                "load_s": self.load_s}))
        return table


@dataclass(slots=True)
class RayRun:
    articles: int = 0
    seconds: float = 0.0          # dataset execution, without cluster start-up
    files: list[str] = field(default_factory=list)
    worker_peak_rss_mb: dict[int, float] = field(default_factory=dict)
    # first batch started to last batch finished, over all workers (with stats_dir)
    coding_seconds: float | None = None
    worker_busy_s: dict[int, float] = field(default_factory=dict)
    worker_load_s: dict[int, float] = field(default_factory=dict)  # model and data load


def _wave(source: Iterator[Article], size: int) -> list[dict[str, Any]]:
    return [{k: getattr(a, k) for k in ARTICLE_FIELDS} for a in islice(source, max(1, size))]


def _import_ray() -> Any:
    try:
        import ray
    except ImportError:
        raise ConfigError("the Ray engine needs Ray: pip install 'eventwire[ray]'") from None
    return ray


def check_address(address: str, timeout: float = 5.0) -> None:
    """Fail fast on an unreachable HOST:PORT (Ray itself retries for minutes)."""
    if address in ("auto", "local"):
        return
    hostport = address.removeprefix("ray://").split("/")[0]
    host, _, port = hostport.rpartition(":")
    if not host or not port.isdigit():
        raise ConfigError(f"Ray address '{address}' is not auto, HOST:PORT or ray://HOST:PORT")
    try:
        socket.create_connection((host.strip("[]"), int(port)), timeout=timeout).close()
    except OSError as exc:
        raise EventwireError(f"cannot reach a Ray cluster at {address}: {exc}; is it "
                             "running (`ray start --head`) and is the port open?") from None


def run_ray(articles: Iterable[Article], out_dir: str | Path, *, config: Config | None = None,
            address: str | None = None, workers: int = 2, batch_size: int = 8,
            all_modalities: bool = True, stats_dir: str | None = None,
            shutdown: bool = True, wave_size: int = WAVE_SIZE) -> RayRun:
    """Code `articles` on Ray and write coded Parquet into `out_dir`.

    The input is read `wave_size` articles at a time, each wave one Ray
    dataset, so an archive larger than the driver's memory streams through;
    each wave's actors load the model again (a few seconds per wave)."""
    ray = _import_ray()
    config = config or Config()
    source = iter(articles)
    first = _wave(source, wave_size)
    run = RayRun()
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    if not first:
        return run
    started_here = False
    if not ray.is_initialized():
        try:
            if address:
                check_address(address)
                ray.init(address=address, logging_level=logging.ERROR, log_to_driver=False)
            else:
                # one CPU more than the coder actors: Ray Data's read and write
                # tasks need a slot too, or they wait until every actor is done
                ray.init(num_cpus=max(1, workers) + 1, include_dashboard=False,
                         logging_level=logging.ERROR, log_to_driver=False)
        except (ConnectionError, RuntimeError, ValueError) as exc:
            where = f"at {address}" if address else "locally"
            raise EventwireError(f"cannot start or reach a Ray cluster {where}: {exc}") from None
        started_here = True
    try:
        # Ray Data logs every dataset at INFO; eventwire reports its own summary.
        logging.getLogger("ray.data").setLevel(logging.ERROR)
        ray.data.DataContext.get_current().enable_progress_bars = False
        t0 = time.perf_counter()
        items = first
        while items:
            run.articles += len(items)
            # Enough blocks that every worker gets work, small enough to balance.
            blocks = max(workers * 4, min(len(items) // max(1, batch_size), 1000), 1)
            ds = ray.data.from_items(items, override_num_blocks=min(blocks, len(items)))
            coded = ds.map_batches(
                CoderWorker, batch_format="pyarrow", batch_size=batch_size,
                fn_constructor_kwargs={"config_json": json.dumps(config.to_dict(), sort_keys=True),
                                       "all_modalities": all_modalities,
                                       "stats_dir": stats_dir},
                compute=ray.data.ActorPoolStrategy(size=workers), num_cpus=1)
            coded.write_parquet(str(out))  # file names are unique per dataset: waves add files
            items = _wave(source, wave_size)
        run.seconds = time.perf_counter() - t0
    finally:
        if started_here and shutdown:
            ray.shutdown()
    run.files = sorted(str(p) for p in out.rglob("*.parquet"))
    if stats_dir:
        spans = []
        for f in Path(stats_dir).glob("*.json"):
            data = json.loads(f.read_text())
            run.worker_peak_rss_mb[int(data["pid"])] = float(data["peak_rss_mb"])
            run.worker_busy_s[int(data["pid"])] = float(data["busy_s"])
            run.worker_load_s[int(data["pid"])] = float(data["load_s"])
            spans.append((float(data["first_start"]), float(data["last_end"])))
        if spans:
            run.coding_seconds = max(e for _, e in spans) - min(s for s, _ in spans)
    return run
