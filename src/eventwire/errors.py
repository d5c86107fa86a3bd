"""The exception tree. Library code raises these; only the CLI prints them.

    EventwireError
    ├── InputError        bad input: names the file, line or field
    ├── ConfigError       bad configuration or dictionary file
    ├── ModelError        the spaCy pipeline cannot be loaded
    ├── StoreError        the database cannot be opened or written
    │   └── StoreLockedError
    └── FetchError        a page or feed that `eventwire watch` cannot fetch
"""

from __future__ import annotations


class EventwireError(Exception):
    """Base class of every error eventwire raises on purpose."""


class InputError(EventwireError):
    """An input file, record or field that cannot be read."""

    def __init__(self, message: str, *, source: str = "-", line: int | None = None,
                 field: str | None = None) -> None:
        self.source = source
        self.line = line
        self.field = field
        self.reason = message
        where = source if line is None else f"{source}:{line}"
        if field:
            where += f": field '{field}'"
        super().__init__(f"{where}: {message}")


class ConfigError(EventwireError):
    """A configuration value or a user dictionary that is not usable."""


class ModelError(EventwireError):
    """The spaCy model named in the configuration cannot be loaded."""


class StoreError(EventwireError):
    """The DuckDB store cannot be opened, migrated or written."""


class StoreLockedError(StoreError):
    """Another process holds the write lock on the store."""


class FetchError(EventwireError):
    """A URL that cannot be fetched; `transient` ones (timeouts, 5xx) are worth a retry."""

    def __init__(self, url: str, reason: str, *, transient: bool) -> None:
        self.url = url
        self.reason = reason
        self.transient = transient
        super().__init__(f"{url}: {reason}")
