"""Shared CLI plumbing: turning library errors into one-line messages."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

import click

from ..errors import EventwireError, InputError
from ..read import read_paths
from ..records import Article

F = TypeVar("F", bound=Callable[..., Any])


def user_errors(func: F) -> F:
    """Print EventwireError as `eventwire: error: ...` and exit 1, without a traceback."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except EventwireError as exc:
            click.echo(f"eventwire: error: {exc}", err=True)
            sys.exit(1)
        except KeyboardInterrupt:
            click.echo("eventwire: interrupted", err=True)
            sys.exit(130)

    return wrapper  # type: ignore[return-value]


def warn(message: str) -> None:
    click.echo(f"eventwire: {message}", err=True)


class ReadableArticles:
    """The articles of some inputs; each unreadable record is reported on
    stderr and counted in `bad`, and the batch goes on (`strict` stops it)."""

    def __init__(self, inputs: Sequence[str], *, strict: bool) -> None:
        self.inputs = list(inputs)
        self.strict = strict
        self.bad = 0

    def __iter__(self) -> Iterator[Article]:
        for item in read_paths(self.inputs, strict=self.strict):
            if isinstance(item, InputError):
                self.bad += 1
                warn(f"skipped: {item}")
                continue
            yield item
