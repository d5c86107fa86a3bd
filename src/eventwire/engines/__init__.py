"""Engines that code many articles: local processes, or a Ray cluster.

    from eventwire.engines import LocalEngine
    for article, events in LocalEngine(config, workers=4).pipe(articles): ...

    from eventwire.engines.ray_engine import run_ray      # needs `pip install eventwire[ray]`
    run_ray(articles, out_dir, config=config, address="auto", workers=8)

Both build the coder in each worker from the plain Config, never ship a
built coder, and give the same events as one process on the same input. Engines import `pipeline`, `config`, `records` and
`store.coded` (the Parquet they write); only `watch` and the CLI import them.
"""

from __future__ import annotations

from .local import Failure, LocalEngine, default_workers, peak_rss_mb

__all__ = ["Failure", "LocalEngine", "default_workers", "peak_rss_mb"]
