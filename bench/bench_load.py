"""Load test: many concurrent clients mixing reads and codings against
`eventwire serve` on loopback, with hard caps on time and request count.

    python bench/bench_load.py [--clients 200] [--seconds 30] [--events 20000]

prints JSON; `make bench` calls `run(out)`, which adds the figures under
out["load"]. The server is a real `eventwire serve` subprocess (real coder,
in its time-limited child process) over a temporary DuckDB store of
synthetic events. Reported: requests by endpoint and status, p50/p99
latency, any 5xx or transport error, and the server's resident memory
(server + coder child) sampled through the run.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_api import free_port, synthetic
from eventwire import store

TOKEN = "bench-load-token"
READS: tuple[tuple[str, dict[str, str]], ...] = (
    ("/v1/events", {}), ("/v1/events", {"actor": "RUS"}),
    ("/v1/events", {"start": "2018-01-01", "end": "2018-12-31", "limit": "100"}),
    ("/v1/events", {"dyad": "CHN,USA", "modality": "all"}), ("/v1/events", {"q": "ceasefire"}),
    ("/v1/series", {"interval": "month", "by": "quad_class"}), ("/v1/actors", {"limit": "10"}),
    ("/v1/events", {"q": "'; DROP TABLE events; --"}), ("/v1/overview", {}),
)
TEXTS = (
    "Police in Lima arrested twelve protesters outside the Congress building on Tuesday.",
    "The foreign ministers of Kenya and Ethiopia signed a trade agreement in Nairobi.",
    "Turkish President Recep Tayyip Erdogan hosted the Iraqi prime minister in Ankara.",
    "Rebels attacked an army convoy near the border, killing four soldiers, officials said.",
)


def _rss_kib(pid: int) -> int:
    """Resident memory of a process and its children (the coder child), in KiB."""
    total = 0
    pids = [pid]
    # children are listed per thread; the coder child is started from a worker thread
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):
            pids += [int(p) for p in (task / "children").read_text().split()]
    for p in pids:
        try:
            with open(f"/proc/{p}/status") as fh:
                for line in fh:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
        except OSError:
            pass
    return total


def _pct(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    values = sorted(values)
    return round(1000 * values[min(len(values) - 1, int(len(values) * q))], 1)


async def hammer(url: str, pid: int, *, clients: int, seconds: float, max_requests: int,
                 code_share: float, seed: int = 3) -> dict[str, Any]:
    rng = random.Random(seed)
    latency: dict[str, list[float]] = {"read": [], "code": []}
    statuses: dict[str, int] = {}
    server_errors: list[str] = []
    leaks: list[str] = []
    rss: list[int] = []
    sent = 0
    stop_at = time.monotonic() + seconds
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)

    async def sample_memory() -> None:
        while time.monotonic() < stop_at:
            rss.append(_rss_kib(pid))
            await asyncio.sleep(0.5)

    async with httpx.AsyncClient(base_url=url, timeout=120, limits=limits) as client:
        async def worker() -> None:
            nonlocal sent
            while time.monotonic() < stop_at and sent < max_requests:
                sent += 1
                coding = rng.random() < code_share
                t0 = time.perf_counter()
                try:
                    if coding:
                        res = await client.post("/v1/code", json={
                            "text": rng.choice(TEXTS), "date": "2023-03-14"})
                    else:
                        path, params = rng.choice(READS)
                        res = await client.get(path, params=params)
                    key = str(res.status_code)
                    if res.status_code >= 500:
                        server_errors.append(f"{res.status_code} {res.text[:200]}")
                    if any(s in res.text for s in ("Traceback", "/work/", ".py\"")):
                        leaks.append(res.text[:200])
                except httpx.HTTPError as exc:
                    key = type(exc).__name__
                    server_errors.append(key)
                latency["code" if coding else "read"].append(time.perf_counter() - t0)
                statuses[key] = statuses.get(key, 0) + 1

        t0 = time.perf_counter()
        await asyncio.gather(sample_memory(), *(worker() for _ in range(clients)))
        wall = time.perf_counter() - t0
    served = sum(len(v) for v in latency.values())
    return {
        "clients": clients, "seconds": round(wall, 1), "requests": served,
        "requests_per_s": round(served / wall, 1), "statuses": statuses,
        "server_errors": len(server_errors), "server_error_samples": server_errors[:5],
        "responses_leaking_internals": len(leaks),
        "reads": {"n": len(latency["read"]), "p50_ms": _pct(latency["read"], 0.5),
                  "p99_ms": _pct(latency["read"], 0.99)},
        "codings": {"n": len(latency["code"]), "p50_ms": _pct(latency["code"], 0.5),
                    "p99_ms": _pct(latency["code"], 0.99)},
        "server_rss_mib": {"start": round(rss[0] / 1024, 1) if rss else None,
                           "max": round(max(rss) / 1024, 1) if rss else None,
                           "end": round(rss[-1] / 1024, 1) if rss else None},
    }


def run(out: dict[str, Any], *, clients: int = 200, seconds: float = 30.0,
        events: int = 20_000, max_requests: int = 200_000, code_share: float = 0.1) -> None:
    """Fill a store, start `eventwire serve`, warm the coder, then load it."""
    with tempfile.TemporaryDirectory(prefix="eventwire-load-") as tmp:
        db = Path(tmp) / "load.duckdb"
        con = store.connect(db)
        store.ingest(con, list(synthetic(max(1, events // 5))))
        con.close()
        port = free_port()
        env = {**os.environ, "EVENTWIRE_LOG": "warning", "EVENTWIRE_TOKEN": TOKEN}
        proc = subprocess.Popen(
            [sys.executable, "-c", "from eventwire.cli import main; main()", "serve",
             "--db", str(db), "--port", str(port)],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 120
            while True:
                try:
                    # the first coding starts the coder child; not part of the figures
                    res = httpx.post(url + "/v1/code", json={"text": TEXTS[0]}, timeout=120)
                    if res.status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("eventwire serve did not start")
                time.sleep(0.3)
            result = asyncio.run(hammer(url, proc.pid, clients=clients, seconds=seconds,
                                        max_requests=max_requests, code_share=code_share))
            result["alive_after"] = httpx.get(url + "/healthz", timeout=10).status_code == 200
        finally:
            proc.terminate()
            try:
                _, err = proc.communicate(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                _, err = proc.communicate()
    result["events_stored"] = events
    result["code_share"] = code_share
    result["server_log_tracebacks"] = err.decode(errors="replace").count("Traceback")
    out["load"] = result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clients", type=int, default=200)
    ap.add_argument("--seconds", type=float, default=30.0)
    ap.add_argument("--events", type=int, default=20_000)
    ap.add_argument("--max-requests", type=int, default=200_000)
    ap.add_argument("--code-share", type=float, default=0.1)
    args = ap.parse_args()
    out: dict[str, Any] = {}
    run(out, clients=args.clients, seconds=args.seconds, events=args.events,
        max_requests=args.max_requests, code_share=args.code_share)
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
