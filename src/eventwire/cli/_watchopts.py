"""Options shared by `eventwire watch` and `eventwire serve --watch`."""

from __future__ import annotations

import re
from typing import Any

import click

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$")
_UNIT = {"": 1.0, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0}


def parse_duration(text: str) -> float:
    """'15m', '30s', '1h', '2d' or plain seconds."""
    m = _DURATION.match(text.lower())
    if m is None or float(m.group(1)) <= 0:
        raise click.BadParameter(f"'{text}' is not a duration such as 30s, 15m or 1h")
    return float(m.group(1)) * _UNIT[m.group(2)]


def watch_options(func: Any) -> Any:
    """Options shared by `watch` and `serve --watch`."""
    for option in reversed((
        click.option("--every", default="15m", show_default=True, metavar="DURATION",
                     help="Time between round starts (30s, 15m, 1h)."),
        click.option("--rules", default=None, metavar="FILE",
                     help="Alert rules (TOML); default: the packaged rules "
                          "(`eventwire alerts --default-rules` prints them)."),
        click.option("--delay", type=click.FloatRange(min=0), default=1.0, show_default=True,
                     metavar="SECONDS", help="Pause between two requests to one host."),
        click.option("--per-host", type=click.IntRange(min=1), default=2, show_default=True,
                     help="Requests in flight to one host."),
        click.option("--timeout", type=click.FloatRange(min=0.1), default=20.0,
                     show_default=True, metavar="SECONDS", help="HTTP connect/read timeout."),
        click.option("--batch-size", type=click.IntRange(min=1), default=16, show_default=True,
                     help="Articles coded and stored per transaction."),
    )):
        func = option(func)
    return func


def watch_settings(sources: tuple[str, ...], every: str, rules: str | None, delay: float,
                   per_host: int, timeout: float, batch_size: int) -> Any:
    from ..watch.fetch import FetchSettings
    from ..watch.loop import WatchSettings

    return WatchSettings(sources=sources, every=parse_duration(every), rules=rules,
                         fetch=FetchSettings(delay=delay, per_host=per_host, timeout=timeout),
                         batch_size=batch_size)
