"""The `eventwire` command: a thin layer over the library.

Each command module parses its arguments and calls library functions; user
errors (EventwireError) are printed on one line to stderr, never as a
traceback. The CLI may import any library package; nothing in the library
imports it.
"""

from __future__ import annotations

import click

from .. import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="eventwire")
def main() -> None:
    """News in, political event data out (CAMEO and PLOVER)."""


def _register() -> None:
    # Imported for their side effect of adding commands to `main`.
    from . import batch, coding, evaluation, store, watch  # noqa: F401


_register()
