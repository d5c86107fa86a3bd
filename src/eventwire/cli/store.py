"""eventwire CLI: store commands."""

from __future__ import annotations

from . import main  # noqa: F401
