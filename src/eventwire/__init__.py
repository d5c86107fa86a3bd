"""eventwire: news in, political event data out.

    import eventwire
    coder = eventwire.load()
    events = coder.code("Russia invaded Ukraine on Thursday.", date="2022-02-25")
"""

from __future__ import annotations

__version__ = "0.1.0"

from .config import Config
from .errors import ConfigError, EventwireError, InputError, ModelError, StoreError
from .pipeline import Coder, load
from .records import Actor, Article, Event, Location

__all__ = [
    "Actor",
    "Article",
    "Coder",
    "Config",
    "ConfigError",
    "Event",
    "EventwireError",
    "InputError",
    "Location",
    "ModelError",
    "StoreError",
    "__version__",
    "load",
]
