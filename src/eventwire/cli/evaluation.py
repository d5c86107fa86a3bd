"""eventwire CLI: `eventwire evaluate`, accuracy on hand-coded gold files."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import main
from ._common import user_errors, warn


@main.command("evaluate")
@click.argument("gold", nargs=-1, required=True,
                type=click.Path(dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True, help="table for people, json for `make bench` and scripts.")
@click.option("--errors", "errors_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Write each miss, false alarm and wrong code as JSONL here.")
@click.option("--limit", type=click.IntRange(min=1),
              help="Score only the first N records of each file.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the report here instead of stdout.")
@click.option("--batch-size", type=click.IntRange(min=1), default=64, show_default=True,
              help="Records coded per pipe() call.")
@click.option("--case", type=click.Choice(["lower", "upper"]),
              help="Recase every text before coding (how casing-robust the coder is).")
@user_errors
def evaluate_command(gold: tuple[Path, ...], fmt: str, errors_path: Path | None,
                     limit: int | None, output: Path | None, batch_size: int,
                     case: str | None) -> None:
    """Code GOLD.jsonl files and score the events against their labels, per dataset."""
    from .. import load
    from ..errors import InputError
    from ..evaluate import evaluate, write_errors

    coder = load()
    show = sys.stderr.isatty()
    last: dict[str, int] = {}

    def progress(dataset: str, done: int, total: int) -> None:
        # A line per 10% on a terminal: long runs (10,000 records) show they move.
        step = max(total // 10, 1)
        if show and (done == total or done // step != last.get(dataset, -1)):
            last[dataset] = done // step
            click.echo(f"\r{dataset}: {done}/{total}", err=True, nl=done == total)

    report = evaluate(gold, coder, limit=limit, batch_size=batch_size, progress=progress,
                      case=case)
    text = report.to_json() + "\n" if fmt == "json" else report.format_table()
    if output is None:
        click.echo(text, nl=False)
    else:
        try:
            output.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise InputError(f"cannot write report: {exc.strerror or exc}",
                             source=str(output)) from exc
    if errors_path is not None:
        count = write_errors(report, errors_path)
        warn(f"{count} error cases written to {errors_path}")
