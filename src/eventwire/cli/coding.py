"""eventwire CLI: coding commands."""

from __future__ import annotations

from . import main  # noqa: F401
