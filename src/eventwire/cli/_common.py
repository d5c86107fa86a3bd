"""Shared CLI plumbing: turning library errors into one-line messages."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from ..errors import EventwireError

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
