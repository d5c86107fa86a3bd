"""eventwire CLI: `batch`, coding an archive to Parquet with local processes or Ray."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from itertools import islice
from pathlib import Path

import click

from ..errors import EventwireError
from ..records import Article
from . import main
from ._common import ReadableArticles, user_errors, warn

ARTICLES_PER_FILE = 1000


@main.command()
@click.argument("inputs", nargs=-1, required=True, metavar="INPUT...")
@click.option("-o", "--output", "out_dir", required=True, metavar="OUT_DIR",
              help="Folder for the Parquet files (load them with `eventwire ingest OUT_DIR`).")
@click.option("--engine", type=click.Choice(["local", "ray"]), default="local",
              show_default=True, help="local: processes on this machine; ray: Ray Data.")
@click.option("--address", default=None, metavar="ADDR",
              help="Ray cluster to use: 'auto' (the one this node joined), "
                   "ray://HOST:10001, or HOST:6379. Default: start a local one.")
@click.option("--workers", "-j", type=click.IntRange(min=0), default=0, show_default=True,
              help="Coder processes / Ray actors (0: every local core; "
                   "with --address: the cluster's CPUs).")
@click.option("--batch-size", default=8, show_default=True, type=click.IntRange(min=1),
              help="Articles per worker call.")
@click.option("--wave-size", default=10_000, show_default=True, type=click.IntRange(min=1),
              help="Ray: articles read into the driver at once (the input streams in waves).")
@click.option("--overwrite", is_flag=True, help="Delete Parquet files already in OUT_DIR.")
@click.option("--strict", is_flag=True, help="Stop at the first bad input record.")
@user_errors
def batch(inputs: tuple[str, ...], out_dir: str, engine: str, address: str | None,
          workers: int, batch_size: int, wave_size: int, overwrite: bool, strict: bool) -> None:
    """Code INPUT files into Parquet (one row per event, with article metadata).

    Every event modality is kept (negated and hypothetical flagged), as
    `ingest` does. Each worker builds the coder from the configuration.
    """
    from ..engines import default_workers

    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise EventwireError(f"{out_dir}: exists and is not a folder")
    old = sorted(out.rglob("*.parquet")) if out.exists() else []
    if old:
        if not overwrite:
            raise EventwireError(f"{out_dir}: already holds {len(old)} Parquet files; "
                                 "use --overwrite or another folder")
        for f in old:
            f.unlink()
    out.mkdir(parents=True, exist_ok=True)
    articles = ReadableArticles(inputs, strict=strict)

    if engine == "ray":
        # Ray Data logs each dataset's plan and progress; the command prints its own
        # summary (set RAY_DATA_LOG_LEVEL=INFO to see them).
        os.environ.setdefault("RAY_DATA_LOG_LEVEL", "ERROR")
        from ..engines.ray_engine import run_ray

        if workers == 0:
            workers = _cluster_cpus(address) if address else default_workers()
        run = run_ray(iter(articles), out, address=address, workers=workers,
                      batch_size=batch_size, wave_size=wave_size)
        n_articles, n_files = run.articles, len(run.files)
        failed = 0
    else:
        n_articles, n_files, failed = _local(iter(articles), out, workers, batch_size)
    click.echo(f"eventwire: coded {n_articles} articles into {n_files} Parquet files in "
               f"{out_dir} ({engine} engine); load them with: eventwire ingest {out_dir}"
               + (f"; {articles.bad} bad input records" if articles.bad else "")
               + (f"; {failed} articles failed to code" if failed else ""), err=True)
    if articles.bad or failed:
        sys.exit(1)


def _local(source: Iterator[Article], out: Path, workers: int,
           batch_size: int) -> tuple[int, int, int]:
    from ..engines import LocalEngine
    from ..store.coded import write_coded
    from ._progress import Progress

    engine = LocalEngine(workers=workers, chunk_size=batch_size)
    n = files = 0
    coded = engine.pipe(source)
    with Progress(None) as progress:
        while part := list(islice(coded, ARTICLES_PER_FILE)):
            write_coded(part, out / f"part-{files:05d}.parquet")
            files += 1
            n += len(part)
            progress.update(len(part))
    for failure in engine.failures:
        warn(f"error: {failure.origin or failure.article_id}: coding failed: {failure.error}")
    return n, files, len(engine.failures)


def _cluster_cpus(address: str) -> int:
    import logging

    from ..engines.ray_engine import _import_ray, check_address

    check_address(address)
    ray = _import_ray()
    try:
        ray.init(address=address, logging_level=logging.ERROR, log_to_driver=False)
    except (ConnectionError, RuntimeError, ValueError) as exc:
        raise EventwireError(f"cannot reach a Ray cluster at {address}: {exc}") from None
    return max(1, int(ray.cluster_resources().get("CPU", 1)))
