"""eventwire CLI: `code` and `explain`."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TextIO

import click

from ..config import Config
from ..engines import LocalEngine, default_workers
from ..errors import ConfigError, InputError
from ..limits import TimeLimitedCoder
from ..output import FORMATS, write_events
from ..pipeline import load
from ..records import Event
from . import main
from ._common import ReadableArticles, user_errors, warn

# More worker processes than this gain little for one output stream, and each
# holds its own model (about 450 MB).
MAX_DEFAULT_WORKERS = 4
# Articles per worker task: up to this many, or this many characters of text.
CHUNK_ARTICLES = 64
CHUNK_CHARS = 20_000


def config_from(config_path: str | None, model: str | None, actors: tuple[str, ...]) -> Config:
    cfg = Config.from_file(config_path) if config_path else Config()
    if model:
        cfg = cfg.with_(model=model)
    if actors:
        cfg = cfg.with_(actor_files=cfg.actor_files + actors)
    return cfg


def pipeline_options(func: Callable[..., Any]) -> Callable[..., Any]:
    for opt in reversed([
        click.option("--config", "config_path", type=click.Path(dir_okay=False),
                     help="JSON config file (model, actor files, batch size)."),
        click.option("--model", help="spaCy pipeline to parse with (default en_core_web_sm)."),
        click.option("--actors", multiple=True, type=click.Path(dir_okay=False),
                     help="Extra actor CSV file on top of the packaged dictionaries."),
    ]):
        func = opt(func)
    return func


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Output file (default stdout).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default=None,
              help="jsonl, csv, parquet or table (default: by -o suffix, else jsonl).")
@click.option("--all-modalities", is_flag=True, help="Also output negated and hypothetical events.")
@click.option("--strict", is_flag=True, help="Stop at the first bad input record.")
@click.option("--article-timeout", type=click.FloatRange(min=0, min_open=True), default=None,
              metavar="SECONDS", help="Skip (and report) an article that takes longer to code "
                                      "(codes on one child process).")
@click.option("--workers", "-j", type=click.IntRange(min=0), default=0,
              help=f"Processes that code (default 0: one per core, at most "
                   f"{MAX_DEFAULT_WORKERS}; a short input is coded in this process).")
@pipeline_options
@user_errors
def code(inputs: tuple[str, ...], output: str | None, fmt: str | None, all_modalities: bool,
         strict: bool, article_timeout: float | None, workers: int, config_path: str | None,
         model: str | None, actors: tuple[str, ...]) -> None:
    """Code news articles (.txt, .jsonl, .csv, .html, .warc, feeds, or - for stdin) into events."""
    fmt = fmt or _format_for(output)
    if fmt == "parquet" and not output:
        raise ConfigError("--format parquet needs -o FILE")
    config = config_from(config_path, model, actors)
    articles = ReadableArticles(inputs, strict=strict)
    failed = 0

    def coded() -> Iterator[Event]:
        # events are written as their article is coded (JSONL and CSV stream;
        # a table or Parquet file is written at the end)
        nonlocal failed
        if article_timeout is not None:
            # each article in a child process that is killed when it overruns
            with TimeLimitedCoder(config, article_timeout) as limited:
                for _article, result in limited.pipe_results(articles,
                                                             all_modalities=all_modalities):
                    if isinstance(result, InputError):
                        failed += 1
                        warn(f"skipped: {result}")
                    else:
                        yield from result
            return
        engine = LocalEngine(config, workers=workers or min(default_workers(),
                                                            MAX_DEFAULT_WORKERS),
                             chunk_size=CHUNK_ARTICLES, chunk_chars=CHUNK_CHARS,
                             all_modalities=all_modalities)
        for _article, events in engine.pipe(articles):
            yield from events
        for failure in engine.failures:
            warn(f"skipped: {failure.origin or failure.article_id}: {failure.error}")
        failed += len(engine.failures)

    if output:
        with Path(output).open("w" if fmt != "parquet" else "wb") as fh:
            write_events(coded(), fh, fmt, path=output)
    else:
        write_events(coded(), sys.stdout, fmt)
    if articles.bad or failed:
        warn(f"{articles.bad + failed} input record(s) could not be read or coded")
        sys.exit(1)


def _format_for(output: str | None) -> str:
    if output:
        suffix = Path(output).suffix.lower().lstrip(".")
        if suffix in FORMATS:
            return suffix
    return "jsonl"


@main.command()
@click.argument("sentence")
@click.option("--date", help="Report date, YYYY-MM-DD.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@pipeline_options
@user_errors
def explain(sentence: str, date: str | None, as_json: bool, config_path: str | None,
            model: str | None, actors: tuple[str, ...]) -> None:
    """Show how one sentence is parsed and coded, and why events were dropped."""
    coder = load(config_from(config_path, model, actors))
    ex = coder.explain(sentence, date=date)
    out: TextIO = sys.stdout
    if as_json:
        json.dump({"sentence": ex.sentence, "tokens": ex.tokens,
                   "triggers": [t.__dict__ for t in ex.traces],
                   "events": [e.to_dict() for e in ex.events]}, out, indent=2)
        out.write("\n")
        return
    out.write(f"sentence: {ex.sentence}\n\ntokens:\n")
    for t in ex.tokens:
        out.write(f"  {t['i']:>3} {t['text']:<16} {t['lemma']:<14} {t['pos']:<6} "
                  f"{t['dep']:<10} head={t['head']:<3} {t['ent']}\n")
    out.write("\ntriggers:\n")
    if not ex.traces:
        out.write("  (no verb or event noun in the lexicon)\n")
    for tr in ex.traces:
        out.write(f"  {tr.trigger}: {tr.rule}\n")
        if tr.modality:
            out.write(f"    modality: {tr.modality}\n")
        for s in tr.sources:
            out.write(f"    source: {s}\n")
        for s in tr.targets:
            out.write(f"    target: {s}\n")
        out.write(f"    => {tr.outcome}\n")
    out.write("\nevents:\n")
    write_events(ex.events, out, "table")
    notes = [f"  {e.trigger} {role} {a.code}: "
             + "; ".join(filter(None, [f"implied by {a.basis}" if a.implied else "",
                                       f"country from {a.country_basis}" if a.country_basis
                                       else ""]))
             for e in ex.events for role, a in (("source", e.source), ("target", e.target))
             if a is not None and (a.implied or a.country_basis)]
    if notes:
        out.write("\nnot stated (actors.implied):\n" + "\n".join(notes) + "\n")
