"""Benchmark: ingest rate into DuckDB and GET /v1/events latency under load.

    python bench/bench_api.py [--events 100000] [--requests 2000] [--clients 50]

prints JSON; `make bench` calls `run(out)`, which adds the figures under
out["store_api"]. Everything stays on this machine: a temporary DuckDB file,
`eventwire serve` on a free loopback port, a bounded number of requests.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import random
import statistics
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import httpx

from eventwire import store
from eventwire.records import Actor, Article, Event, Location

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
# tests/_serve.py, shared with the browser tests (free_port: bench_load.py takes it from here)
from _serve import free_port as free_port
from _serve import serving

EVENTS_PER_ARTICLE = 5
COUNTRIES = ("RUS", "UKR", "CHN", "USA", "FRA", "DEU", "KEN", "PER", "VNM", "IND",
             "BRA", "NGA", "TUR", "IRN", "ISR", "EGY", "JPN", "KOR", "MEX", "GBR")
SECTORS = ("GOV", "MIL", "CVL", "COP", "OPP", "")
CODES = (("042", "04", 1.9, 1, "CONSULT"), ("057", "05", 8.0, 2, "AGREE"),
         ("111", "11", -2.0, 3, "DISAPPROVE"), ("163", "16", -8.0, 3, "REDUCE"),
         ("145", "14", -7.5, 4, "PROTEST"), ("173", "17", -5.0, 4, "SEIZE"),
         ("190", "19", -10.0, 4, "ASSAULT"), ("0874", "08", 9.0, 2, "RETREAT"))
WORDS = ("talks", "border", "troops", "sanctions", "ceasefire", "protest", "election",
         "minister", "agreement", "embassy", "port", "aid", "refugees", "court")


def synthetic(n_articles: int, seed: int = 1) -> Iterator[tuple[Article, list[Event]]]:
    rng = random.Random(seed)
    start = dt.date(2015, 1, 1)
    for i in range(n_articles):
        day = (start + dt.timedelta(days=rng.randrange(3650))).isoformat()
        sentences, events = [], []
        pos = 0
        for j in range(EVENTS_PER_ARTICLE):
            s, t = rng.sample(COUNTRIES, 2)
            cameo, root, g, quad, plover = rng.choice(CODES)
            sent = (f"Officials from {s} met counterparts from {t} about "
                    f"{rng.choice(WORDS)} and {rng.choice(WORDS)} ({i}.{j}).")
            sentences.append(sent)
            events.append(Event(
                article_id=f"b{i}", sentence_index=j, sentence=sent, span=(pos, pos + len(sent)),
                trigger="met", date=day, date_precision="day", report_date=day,
                source=Actor(s, s + rng.choice(SECTORS), s), target=Actor(t, t, t),
                cameo=cameo, cameo_root=root, cameo_name="synthetic", goldstein=g,
                quad_class=quad, plover=plover, plover_mode=None,
                modality=rng.choice(("asserted",) * 8 + ("negated", "hypothetical")),
                location=Location("Somewhere", t, rng.uniform(-50, 60), rng.uniform(-120, 140))
                if rng.random() < 0.3 else None,
                reported_by=("officials",) if rng.random() < 0.3 else (),
                confidence=rng.random()))
            pos += len(sent) + 1
        yield (Article(id=f"b{i}", text=" ".join(sentences), date=day,
                       outlet=f"Outlet {rng.randrange(30)}"), events)


QUERIES: tuple[dict[str, str], ...] = (
    {}, {"actor": "RUS"}, {"start": "2018-01-01", "end": "2018-12-31"},
    {"dyad": "CHN,USA"}, {"quad_class": "4", "actor": "UKR", "side": "target"},
    {"q": "ceasefire"}, {"plover": "PROTEST", "modality": "all"}, {"cameo_root": "19"},
    {"outlet": "Outlet 7"}, {"limit": "200"},
)


def distinct_query(n: int) -> dict[str, str]:
    """The n-th of queries that are all different (no response is served from
    the server's cache): the bench's queries, each with its own start date."""
    day = dt.date(2014, 1, 1) + dt.timedelta(days=n % 3000)
    return {**QUERIES[n % len(QUERIES)], "start": day.isoformat()} if n % len(QUERIES) != 2 \
        else {"start": day.isoformat(), "end": "2024-12-31"}


Get = Callable[[str], Awaitable[int]]  # path and query -> HTTP status


async def _raw_client(host: str, port: int) -> tuple[Get, Callable[[], None]]:
    """One keep-alive HTTP/1.1 connection, written and read by hand.

    The load generator shares 2 cores with the server: httpx's AsyncClient spends
    about a millisecond of CPU per request, and with 50 clients in one event loop
    its own queueing showed up as server latency (an earlier report's 50-client
    p99 of 1.6 s was mostly the client: cached responses came back in 15 ms when
    read this way). The server answers every GET with a Content-Length body.
    """
    reader, writer = await asyncio.open_connection(host, port)

    async def get(target: str) -> int:
        writer.write(f"GET {target} HTTP/1.1\r\nHost: {host}:{port}\r\n\r\n".encode())
        head = await reader.readuntil(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        await reader.readexactly(length)
        return int(head.split(b" ", 2)[1])

    return get, writer.close


async def load(url: str, clients: int, requests: int, *, distinct: bool = False,
               client: str = "raw") -> dict[str, Any]:
    """`requests` GET /v1/events from `clients` concurrent clients (each one request
    at a time), over the light hand-written client or (client="httpx") httpx."""
    latencies: list[float] = []
    errors: dict[str, int] = {}
    counter = iter(range(requests))
    parts = urllib.parse.urlsplit(url)
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=url, timeout=60, limits=limits) as pool:
        async def via_httpx(target: str) -> int:
            return (await pool.get(target)).status_code

        async def worker() -> None:
            get, close = ((via_httpx, lambda: None) if client == "httpx" else
                          await _raw_client(parts.hostname or "127.0.0.1", parts.port or 80))
            try:
                for n in counter:
                    params = distinct_query(n) if distinct else QUERIES[n % len(QUERIES)]
                    target = "/v1/events" + ("?" + urllib.parse.urlencode(params)
                                             if params else "")
                    t0 = time.perf_counter()
                    try:
                        status = await asyncio.wait_for(get(target), 60)
                        key = str(status)
                    except (OSError, EOFError, asyncio.IncompleteReadError, TimeoutError,
                            httpx.HTTPError) as exc:
                        status, key = 0, type(exc).__name__
                    latencies.append(time.perf_counter() - t0)
                    if status != 200:
                        errors[key] = errors.get(key, 0) + 1
                        if client != "httpx":  # the connection may be gone: a new one
                            close()
                            get, close = await _raw_client(parts.hostname or "127.0.0.1",
                                                           parts.port or 80)
            finally:
                close()

        t0 = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(clients)))
        wall = time.perf_counter() - t0
    latencies.sort()
    return {
        "clients": clients, "requests": len(latencies), "errors": errors, "client": client,
        "p50_ms": round(1000 * latencies[len(latencies) // 2], 1),
        "p99_ms": round(1000 * latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))], 1),
        "mean_ms": round(1000 * statistics.fmean(latencies), 1),
        "requests_per_s": round(len(latencies) / wall, 1),
    }


def run(out: dict[str, Any], *, events: int = 100_000, requests: int = 2000,
        clients: int = 50) -> None:
    """Fill a temporary store with `events` synthetic events, time the ingest, then
    load-test GET /v1/events with `clients` concurrent clients."""
    n_articles = max(1, events // EVENTS_PER_ARTICLE)
    with tempfile.TemporaryDirectory(prefix="eventwire-bench-") as tmp:
        db = Path(tmp) / "bench.duckdb"
        pairs = list(synthetic(n_articles))
        con = store.connect(db)
        t0 = time.perf_counter()
        report = store.ingest(con, pairs)
        ingest_s = time.perf_counter() - t0
        # One article per call: the rate a trickle of single POSTs would see.
        single = list(synthetic(200, seed=2))
        single = [(a.__class__(**{**a.to_dict(), "id": "s" + a.id}), evs) for a, evs in single]
        t1 = time.perf_counter()
        for pair in single:
            store.ingest(con, [pair])
        single_s = time.perf_counter() - t1
        con.close()
        result: dict[str, Any] = {
            "events_stored": report.events_written,
            "ingest_articles_per_s": round(report.articles_new / ingest_s, 1),
            "ingest_events_per_s": round(report.events_written / ingest_s, 1),
            "ingest_batch_size": store.ingest.__kwdefaults__["batch_size"],
            "ingest_one_article_per_transaction_articles_per_s": round(len(single) / single_s, 1),
            "db_bytes": db.stat().st_size,
        }
        with serving(db, "--read-only") as url:
            # Every query different first (nothing can come from the server's cache),
            # then the bench's ten queries over and over, as a dashboard asks them.
            result["get_events_one_client_distinct"] = asyncio.run(
                load(url, 1, min(200, requests), distinct=True))
            result["get_events_50_clients_distinct"] = asyncio.run(
                load(url, clients, min(500, requests), distinct=True))
            # One client: the latency of a request that does not queue.
            result["get_events_one_client"] = asyncio.run(load(url, 1, min(200, requests)))
            result["get_events_10_clients"] = asyncio.run(load(url, 10, requests))
            result["get_events"] = asyncio.run(load(url, clients, requests))
            # The same through httpx, to show what the load generator itself costs.
            result["get_events_httpx_client"] = asyncio.run(
                load(url, clients, requests, client="httpx"))
    result["queries"] = [q or {"(none)": ""} for q in QUERIES]
    out["store_api"] = result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=50)
    args = parser.parse_args()
    out: dict[str, Any] = {}
    run(out, events=args.events, requests=args.requests, clients=args.clients)
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
