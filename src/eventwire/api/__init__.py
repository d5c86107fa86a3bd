"""The HTTP API and the dashboard server (FastAPI): `create_app(settings)`.

Owns the routes (app.py), the response cache (cache.py) and the error
responses (errors.py); it is a thin layer over `store` and `alerts` (and
`pipeline`/`limits` for coding requests, `watch` for `serve --watch`) and never holds coding logic.
"""

from __future__ import annotations

from .app import ServerSettings, create_app

__all__ = ["ServerSettings", "create_app"]
