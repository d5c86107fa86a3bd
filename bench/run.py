"""`make bench`: speed, scale and accuracy figures in one JSON file.

    python bench/run.py --out bench/report.json [--quick] [--skip ray,api,accuracy]

Sections of the report:

- startup: `eventwire code` on one short article, wall and CPU seconds (medians),
  with the data cache as a user has it after the first run, against the same
  with the cache off, and against a bare `import spacy; spacy.load(model)`.
- code: `eventwire code` end to end (start-up included) on short sentences
  (the dev gold texts when ../shared/gold/dev exists, else the examples' sentences):
  sentences/s with the default workers and with --workers 1.
- pipeline: words/s of `coder.pipe` (the full pipeline) against bare
  `nlp.pipe` of the same spaCy model on the same texts in the same process
  (one core), medians of repeated runs, and their ratio; plus the time per
  spaCy component and per eventwire stage (cProfile) for one pass.
- geo: the same pipeline with and without geolocation (Config.geolocate) on
  the same articles in the same process, runs interleaved: CPU seconds
  (medians) and their ratio; and, in a fresh process, the memory that the
  gazetteer and the locate stage add (resident and private, from
  /proc/self/smaps_rollup).
- ray: `eventwire batch --engine ray` on a local cluster with 1 and with 2
  workers on the same articles: seconds (medians), speed-up, and the peak
  resident memory of each worker.
- merge: seconds to rebuild the merged view of a store of synthetic events.
- store_api: ingest rate into DuckDB and GET /v1/events latency (bench_api.py).
- watch: one `eventwire watch` round over feeds on a loopback news site
  (tests/watch_site.py) with new articles: articles/s, the share of the round
  spent coding and storing (the rest is polling and waiting on fetches, which
  run in threads alongside), and the same articles coded directly (no HTTP,
  no store) as the baseline; then a second round (all 304) in seconds.
- accuracy: `eventwire evaluate` on ../shared/gold/dev/ when it exists
  (written to bench/accuracy.json; skipped otherwise).

The articles are the bundled examples/ (written for the project), repeated
under distinct ids.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import platform
import pstats
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")

from eventwire import Config, load, store  # noqa: E402
from eventwire.records import Article  # noqa: E402

GOLD = ROOT.parent / "shared" / "gold" / "dev"


def example_articles(copies: int) -> list[Article]:
    from eventwire.read import read_paths

    base = [a for a in read_paths(sorted(str(p) for p in (ROOT / "examples").glob("*.txt")))
            if isinstance(a, Article)]
    return [Article(id=f"{a.id}#{i}", text=a.text, date=a.date, outlet=a.outlet)
            for i in range(copies) for a in base]


def words(items: list[Article]) -> int:
    return sum(len(a.text.split()) for a in items)


def bench_pipeline(out: dict[str, Any], copies: int, repeats: int,
                   items: list[Article] | None = None, section: str = "pipeline") -> None:
    coder = load()
    items = items or example_articles(copies)
    texts = [a.text for a in items]
    n_words = words(items)
    list(coder.pipe(items[:5], all_modalities=True))  # warm-up
    bare_s, full_s, bare_cpu, full_cpu = [], [], [], []
    for _ in range(repeats):
        t, c = time.perf_counter(), time.process_time()
        for _doc in coder.nlp.pipe(texts, batch_size=coder.config.batch_size):
            pass
        bare_s.append(time.perf_counter() - t)
        bare_cpu.append(time.process_time() - c)
        t, c = time.perf_counter(), time.process_time()
        for _pair in coder.pipe(items, all_modalities=True):
            pass
        full_s.append(time.perf_counter() - t)
        full_cpu.append(time.process_time() - c)
    bare, full = statistics.median(bare_s), statistics.median(full_s)
    # where the time goes: each spaCy component alone, then our stages under cProfile
    docs = [coder.nlp.make_doc(t) for t in texts]
    components: dict[str, float] = {}
    for name, proc in coder.nlp.pipeline:
        t = time.perf_counter()
        docs = list(proc.pipe(docs, batch_size=64)) if hasattr(proc, "pipe") \
            else [proc(d) for d in docs]
        components[name] = round(time.perf_counter() - t, 3)
    prof = cProfile.Profile()
    prof.enable()
    for _pair in coder.pipe(items, all_modalities=True):
        pass
    prof.disable()
    stats = pstats.Stats(prof).stats  # type: ignore[attr-defined]
    stages = {}
    for (file, _line, func), (_cc, _nc, _tt, ct, _callers) in stats.items():
        if "/eventwire/" in file and func in (
                "_code_doc", "find_predicates", "resolve_date", "locate", "modality_of",
                "roles", "dedup_article", "sentence_attribution", "according_to"):
            key = f"{Path(file).stem}.{func}"
            stages[key] = round(stages.get(key, 0.0) + ct, 3)
    out[section] = {
        "articles": len(items), "words": n_words, "repeats": repeats,
        "model": coder.config.model, "spacy_components": coder.nlp.pipe_names,
        "bare_nlp_pipe_words_per_s": round(n_words / bare),
        "full_pipeline_words_per_s": round(n_words / full),
        "ratio_full_over_bare": round(bare / full, 3),
        # CPU seconds of this process: steadier than wall time on a shared machine
        "ratio_full_over_bare_cpu": round(statistics.median(bare_cpu)
                                          / statistics.median(full_cpu), 3),
        "runs_s": {"bare": [round(x, 3) for x in bare_s], "full": [round(x, 3) for x in full_s]},
        "spacy_component_s": components,
        "eventwire_stage_s_cumulative_profiled": dict(sorted(stages.items(),
                                                             key=lambda kv: -kv[1])),
    }


def bench_geo(out: dict[str, Any], copies: int, repeats: int) -> None:
    items = example_articles(copies)
    coders = {"with": load(), "without": load(Config(geolocate=False))}
    for coder in coders.values():
        list(coder.pipe(items[:5], all_modalities=True))  # warm-up
    cpu: dict[str, list[float]] = {"with": [], "without": []}
    for _ in range(repeats):
        for name, coder in coders.items():
            c = time.process_time()
            for _pair in coder.pipe(items, all_modalities=True):
                pass
            cpu[name].append(time.process_time() - c)
    located = sum(e.location is not None for _a, evs in coders["with"].pipe(items[:len(items)
                  // max(copies, 1)]) for e in evs)
    with_s, without_s = statistics.median(cpu["with"]), statistics.median(cpu["without"])
    probe = (
        "import json, sys\n"
        "def mem():\n"
        "    d = dict(l.split(':') for l in open('/proc/self/smaps_rollup').read().splitlines()[1:])\n"
        "    kb = lambda k: int(d[k].split()[0])\n"
        "    return kb('Rss'), kb('Private_Clean') + kb('Private_Dirty')\n"
        "import eventwire\n"
        "from eventwire.read import read_paths\n"
        "coder = eventwire.load(eventwire.Config(geolocate=False))\n"
        "arts = [a for a in read_paths(sys.argv[1:])]\n"
        "list(coder.pipe(arts))\n"
        "rss0, priv0 = mem()\n"
        "from eventwire.geo.locate import Locator\n"
        "from eventwire.geo.stage import Geolocate\n"
        "coder.event_stages.append(Geolocate(Locator(dictionary=coder.dictionary)))\n"
        "for _ in range(3): list(coder.pipe(arts))\n"
        "rss1, priv1 = mem()\n"
        "print(json.dumps({'rss_added_mb': round((rss1 - rss0) / 1024, 1),\n"
        "                  'private_added_mb': round((priv1 - priv0) / 1024, 1)}))\n")
    paths = sorted(str(p) for p in (ROOT / "examples").glob("*.txt"))
    res = subprocess.run([sys.executable, "-c", probe, *paths], capture_output=True, text=True,
                         check=True)
    out["geo"] = {
        "articles": len(items), "repeats": repeats,
        "cpu_s": {k: [round(x, 3) for x in v] for k, v in cpu.items()},
        "median_cpu_s_with": round(with_s, 3), "median_cpu_s_without": round(without_s, 3),
        "ratio_with_over_without_cpu": round(with_s / without_s, 3),
        "located_events_one_copy": located,
        "memory": json.loads(res.stdout.strip().splitlines()[-1]),
    }


def _timed(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Wall and CPU seconds (user + system, children included) of one command."""
    before = os.times()
    t = time.perf_counter()
    res = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, **(env or {})})
    wall = time.perf_counter() - t
    after = os.times()
    if res.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd[:3])} failed: {res.stderr.strip()[-300:]}")
    cpu = (after.children_user - before.children_user) + (after.children_system
                                                          - before.children_system)
    return wall, cpu


def _median_runs(cmd: list[str], repeats: int, env: dict[str, str] | None = None
                 ) -> dict[str, Any]:
    runs = [_timed(cmd, env) for _ in range(repeats)]
    return {"wall_s": round(statistics.median(w for w, _ in runs), 2),
            "cpu_s": round(statistics.median(c for _, c in runs), 2),
            "runs_wall_s": [round(w, 2) for w, _ in runs]}


def bench_startup(out: dict[str, Any], repeats: int) -> None:
    exe = str(Path(sys.executable).with_name("eventwire"))
    with tempfile.TemporaryDirectory(prefix="eventwire-start-") as tmp:
        one = Path(tmp) / "one.txt"
        one.write_text("date 2024-05-02 Police in Lagos detained two journalists on Monday.\n",
                       encoding="utf-8")
        cmd = [exe, "code", str(one)]
        _timed(cmd)  # builds the data cache if this machine has none yet
        cached = _median_runs(cmd, repeats)
        uncached = _median_runs(cmd, repeats, {"EVENTWIRE_CACHE_DIR": "off"})
        bare = _median_runs([sys.executable, "-c", "import spacy; spacy.load("
                             f"{Config().model!r})"], repeats)
    out["startup"] = {
        "input": "one sentence, one article", "repeats": repeats,
        "eventwire_code": cached, "eventwire_code_cache_off": uncached,
        "bare_spacy_load": bare,
        "ratio_cpu_over_cache_off": round(cached["cpu_s"] / uncached["cpu_s"], 3),
        "ratio_cpu_over_bare_spacy_load": round(cached["cpu_s"] / bare["cpu_s"], 3),
        "load_average": os.getloadavg()[0],
    }


def short_sentences(limit: int) -> tuple[list[dict[str, Any]], str]:
    if GOLD.is_dir() and any(GOLD.glob("*.jsonl")):
        rows = [json.loads(line) for p in sorted(GOLD.glob("*.jsonl"))
                for line in p.read_text(encoding="utf-8").splitlines() if line.strip()]
        return ([{"id": f"s{i}", "text": r["text"], "date": r.get("date")}
                 for i, r in enumerate(rows[:limit])], "dev gold texts")
    sents = [s.strip() + "." for a in example_articles(1) for s in a.text.split(". ") if s.strip()]
    return ([{"id": f"s{i}", "text": sents[i % len(sents)], "date": "2024-01-01"}
             for i in range(limit)], "examples' sentences, repeated")


def bench_code(out: dict[str, Any], limit: int) -> None:
    exe = str(Path(sys.executable).with_name("eventwire"))
    rows, source = short_sentences(limit)
    with tempfile.TemporaryDirectory(prefix="eventwire-code-") as tmp:
        src = Path(tmp) / "sents.jsonl"
        src.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
        res: dict[str, Any] = {"sentences": len(rows), "input": source}
        for label, extra in (("default_workers", []), ("one_worker", ["--workers", "1"])):
            wall, cpu = _timed([exe, "code", str(src), "-o", str(Path(tmp) / "out.jsonl"),
                                *extra])
            res[label] = {"wall_s": round(wall, 1), "cpu_s": round(cpu, 1),
                          "sentences_per_s": round(len(rows) / wall, 1)}
        res["speedup_default_over_one_worker"] = round(
            res["one_worker"]["wall_s"] / res["default_workers"]["wall_s"], 3)
        res["load_average"] = os.getloadavg()[0]
    out["code"] = res


def bench_ray(out: dict[str, Any], copies: int, repeats: int) -> None:
    from eventwire.engines.ray_engine import run_ray

    items = example_articles(copies)
    runs: dict[int, list[float]] = {1: [], 2: []}
    coding: dict[int, list[float]] = {1: [], 2: []}
    rss: dict[int, list[float]] = {1: [], 2: []}
    load_s: list[float] = []
    busy_s: dict[int, list[float]] = {1: [], 2: []}
    for _ in range(repeats):
        for workers in (1, 2):
            with tempfile.TemporaryDirectory(prefix="eventwire-ray-") as tmp:
                stats_dir = Path(tmp) / "stats"
                stats_dir.mkdir()
                run = run_ray(items, Path(tmp) / "out", config=Config(), workers=workers,
                              batch_size=8, stats_dir=str(stats_dir))
                runs[workers].append(run.seconds)
                coding[workers].append(run.coding_seconds or run.seconds)
                rss[workers] += list(run.worker_peak_rss_mb.values())
                load_s += list(run.worker_load_s.values())
                busy_s[workers].append(sum(run.worker_busy_s.values()))
    one, two = statistics.median(runs[1]), statistics.median(runs[2])
    c1, c2 = statistics.median(coding[1]), statistics.median(coding[2])
    out["ray"] = {
        "articles": len(items), "words": words(items), "repeats": repeats,
        "seconds_1_worker": round(one, 2), "seconds_2_workers": round(two, 2),
        "runs_s": {str(k): [round(x, 2) for x in v] for k, v in runs.items()},
        "speedup_2_over_1": round(one / two, 3),
        "coding_seconds_1_worker": round(c1, 2), "coding_seconds_2_workers": round(c2, 2),
        "coding_speedup_2_over_1": round(c1 / c2, 3),
        "note": "seconds: dataset execution including each worker's model load, excluding "
                "cluster start-up; coding_seconds: first batch started to last batch done "
                "(steady state, after the model loads)",
        "load_average_before": os.getloadavg()[0],
        # where the time goes: each actor's model and data load, and the coding
        # time summed over actors (the rest of `seconds` is Ray's scheduling and the
        # Parquet writes)
        "worker_model_load_s_median": round(statistics.median(load_s), 2) if load_s else None,
        "worker_busy_s_sum": {str(k): round(statistics.median(v), 2)
                              for k, v in busy_s.items() if v},
        "worker_peak_rss_mb": {"max": round(max(rss[1] + rss[2]), 1),
                               "median": round(statistics.median(rss[1] + rss[2]), 1)},
        "cpus": os.cpu_count(),
    }


def bench_merge(out: dict[str, Any], n_events: int) -> None:
    import bench_api

    with tempfile.TemporaryDirectory(prefix="eventwire-merge-") as tmp:
        con = store.connect(Path(tmp) / "m.duckdb")
        store.ingest(con, bench_api.synthetic(max(1, n_events // bench_api.EVENTS_PER_ARTICLE)))
        t = time.perf_counter()
        n = store.rebuild_merged(con)
        rebuild = time.perf_counter() - t
        extra = list(bench_api.synthetic(20, seed=9))
        extra = [(Article(**{**a.to_dict(), "id": "x" + a.id}), evs) for a, evs in extra]
        store.ingest(con, extra)
        t = time.perf_counter()
        store.sync_merged(con)
        sync = time.perf_counter() - t
        row = con.execute("SELECT count(*) FROM events").fetchone()
        con.close()
    out["merge"] = {"events": int(row[0]) if row else 0, "merged_events": n,
                    "rebuild_s": round(rebuild, 2),
                    "sync_after_20_articles_s": round(sync, 2)}


def bench_accuracy(out: dict[str, Any]) -> None:
    files = sorted(GOLD.glob("*.jsonl")) if GOLD.is_dir() else []
    if not files:
        out["accuracy"] = {"skipped": f"no gold files at {GOLD}"}
        return
    target = HERE / "accuracy.json"
    exe = Path(sys.executable).with_name("eventwire")
    t = time.perf_counter()
    res = subprocess.run([str(exe), "evaluate", *map(str, files), "--format", "json",
                          "-o", str(target)], capture_output=True, text=True)
    if res.returncode != 0 or not target.exists():
        out["accuracy"] = {"error": res.stderr.strip().splitlines()[-1:] or "failed"}
        return
    report = json.loads(target.read_text())
    out["accuracy"] = {"file": "bench/accuracy.json", "seconds": round(time.perf_counter() - t, 1),
                       "summary": summarize(report)}


def bench_watch(out: dict[str, Any], feeds: int, per_feed: int) -> None:
    import tempfile

    sys.path.insert(0, str(ROOT / "tests"))
    from eventwire.watch.fetch import FetchSettings
    from eventwire.watch.loop import Watcher, WatchSettings
    from scale_articles import articles
    from watch_site import Page, Site

    coder = load()
    texts = articles(feeds * per_feed, seed=5, sentences=4)
    today = time.strftime("%Y-%m-%d")
    with Site() as site, tempfile.TemporaryDirectory() as tmp:
        for i, a in enumerate(texts):
            site.add(Page(f"/news/a{i:05d}.html", a.title or a.id, a.text.split("\n\n"),
                          __import__("datetime").date.fromisoformat(today),
                          feed=f"/feeds/f{i % feeds}.xml"))
        con = store.connect(Path(tmp) / "watch.duckdb")
        settings = WatchSettings(
            sources=tuple(f"{site.url}/feeds/f{i}.xml" for i in range(feeds)),
            fetch=FetchSettings(delay=0.0, per_host=8), workers=8, batch_size=32)
        with Watcher(con, settings, coder_factory=lambda: coder) as w:
            first = w.run_round()
            second = w.run_round()
        # the baseline codes the very texts the round extracted and stored
        pages = [Article(id=r[0], text=r[1], date=today) for r in
                 con.execute("SELECT article_id, text FROM articles").fetchall()]
        con.close()
    t = time.perf_counter()
    for _ in coder.pipe(pages, all_modalities=True):
        pass
    bare = time.perf_counter() - t
    n = first.articles_stored
    out["watch"] = {
        "feeds": feeds, "articles": n, "round_seconds": round(first.seconds, 2),
        "articles_per_second": round(n / first.seconds, 1),
        "coding_share": round(first.code_seconds / first.seconds, 3),
        "storing_share": round(first.store_seconds / first.seconds, 3),
        "fetch_seconds_per_article": round(first.fetch_seconds / max(1, first.fetched), 4),
        "baseline_coding_only_articles_per_second": round(len(pages) / bare, 1),
        "ratio_vs_coding_only": round((n / first.seconds) / (len(pages) / bare), 3),
        "unchanged_round_seconds": round(second.seconds, 3),
        "unchanged_round_not_modified": second.not_modified,
        "failed_fetches": len(first.fetch_failures),
    }


def summarize(report: Any) -> dict[str, Any]:
    """Per dataset: its scheme, size, speed, and the F1 and rate figures (not per label)."""
    out: dict[str, Any] = {}
    for name, ds in (report.get("datasets") or {}).items():
        row = {k: ds.get(k) for k in ("scheme", "records", "crashes", "words_per_second")}
        row.update({f"{k}_f1": v.get("f1") for k, v in (ds.get("prf") or {}).items()
                    if isinstance(v, dict)})
        row.update(ds.get("rates") or {})
        out[name] = row
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(HERE / "report.json"))
    ap.add_argument("--quick", action="store_true", help="small inputs, one repeat")
    ap.add_argument("--skip", default="",
                    help="comma-separated: startup,code,pipeline,pipeline_short,geo,ray,merge,api,load,watch,accuracy")
    args = ap.parse_args()
    skip = set(filter(None, args.skip.split(",")))
    q = args.quick
    out: dict[str, Any] = {"machine": {"python": platform.python_version(),
                                       "cpus": os.cpu_count(), "platform": platform.platform()},
                           "started": time.strftime("%Y-%m-%dT%H:%M:%S")}
    steps = [
        ("startup", lambda: bench_startup(out, 2 if q else 5)),
        ("code", lambda: bench_code(out, 1000 if q else 20_000)),
        ("pipeline", lambda: bench_pipeline(out, 4 if q else 60, 1 if q else 5)),
        ("geo", lambda: bench_geo(out, 4 if q else 30, 3 if q else 5)),
        ("pipeline_short", lambda: bench_pipeline(
            out, 0, 1 if q else 3, section="pipeline_short",
            items=[Article(id=r["id"], text=r["text"], date=r["date"])
                   for r in short_sentences(500 if q else 3000)[0]])),
        ("ray", lambda: bench_ray(out, 8 if q else 1000, 1)),
        ("merge", lambda: bench_merge(out, 5_000 if q else 50_000)),
        ("api", lambda: __import__("bench_api").run(
            out, events=10_000 if q else 100_000, requests=200 if q else 2000)),
        ("load", lambda: __import__("bench_load").run(out)),
        ("watch", lambda: bench_watch(out, 20, 5 if q else 25)),
        ("accuracy", lambda: bench_accuracy(out)),
    ]
    timings: dict[str, float] = {}
    loads: dict[str, list[float]] = {}
    for name, step in steps:
        if name in skip:
            continue
        t = time.perf_counter()
        print(f"bench: {name} ...", file=sys.stderr, flush=True)
        load_before = os.getloadavg()[0]
        step()
        timings[name] = round(time.perf_counter() - t, 1)
        # other jobs on the machine skew wall time: record how busy it was
        loads[name] = [load_before, os.getloadavg()[0]]
        out["load_average_before_after"] = loads
        Path(args.out).write_text(json.dumps({**out, "step_seconds": timings}, indent=2) + "\n")
    out["step_seconds"] = timings
    Path(args.out).write_text(json.dumps(out, indent=2) + "\n")
    print(json.dumps({k: v for k, v in out.items() if k != "accuracy"}, indent=2))


if __name__ == "__main__":
    main()
