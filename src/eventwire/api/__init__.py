"""The HTTP API and the dashboard server (FastAPI): `create_app(settings)`."""

from __future__ import annotations

from .app import ServerSettings, create_app

__all__ = ["ServerSettings", "create_app"]
