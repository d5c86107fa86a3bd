"""Package data, once built, kept on disk in a compact form for the next start.

    table = cached("actors", [source_bytes, data_bytes, ...], build)

Building the actor dictionary, the gazetteer and the lexicon from their CSV
and JSON files takes seconds; reading back what a build produced takes a few
hundredths. The dictionary and the gazetteer store each key's value as one
string, decoded on first use (LazyTable): 100,000 small records would take
as long to unpickle as to build.

The file name holds a hash of everything the build reads (the data files,
the user's files, the building module's own source, library versions), so
a change to any of them builds anew. The files are pickles: only a cache
folder of the user's own is read. Files go to `$EVENTWIRE_CACHE_DIR`,
else `$XDG_CACHE_HOME/eventwire`, else `~/.cache/eventwire`;
`EVENTWIRE_CACHE_DIR=off` turns the cache off. A cache that cannot be read
or written is ignored (the data is built, as without a cache).
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from importlib import resources
from pathlib import Path
from typing import Any, Generic, TypeVar

T = TypeVar("T")
V = TypeVar("V")

# files of another Python are rebuilt
FORMAT = f"pickle-{pickle.HIGHEST_PROTOCOL}-{sys.version_info[:2]}"


def cache_dir() -> Path | None:
    env = os.environ.get("EVENTWIRE_CACHE_DIR")
    if env == "off":
        return None
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "eventwire"


def source_of(module_file: str) -> bytes:
    """The bytes of a module's source file: a change to the builder builds anew."""
    try:
        return Path(module_file).read_bytes()
    except OSError:
        return module_file.encode()


@functools.cache
def package_data() -> str:
    """A digest of every file of eventwire/data: a cache built from them is
    stale after any edit there, whichever files its builder reads."""
    digest = hashlib.sha256()
    root = resources.files("eventwire.data")
    stack = [root]
    while stack:
        for item in sorted(stack.pop().iterdir(), key=lambda t: t.name):
            if item.is_dir():
                stack.append(item)
            elif item.is_file():
                digest.update(item.name.encode() + b"\0" + item.read_bytes())
    return digest.hexdigest()


def cached(name: str, parts: Iterable[bytes | str], build: Callable[[], T]) -> T:
    """`build()`'s value, read from the cache when the same inputs built it before."""
    folder = cache_dir()
    if folder is None:
        return build()
    digest = hashlib.sha256(FORMAT.encode())
    for part in parts:
        digest.update(part if isinstance(part, bytes) else part.encode("utf-8"))
        digest.update(b"\0")
    path = folder / f"{name}-{digest.hexdigest()[:24]}.pickle"
    try:
        value: T = pickle.loads(path.read_bytes())
        return value
    except Exception:  # absent, truncated or stale: build it
        pass
    value = build()
    _write(folder, name, path, value)
    return value


def _write(folder: Path, name: str, path: Path, value: Any) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{name}-")
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)  # atomic: a concurrent reader sees the old file or the new
        for old in folder.glob(f"{name}-*.pickle"):
            if old != path:
                old.unlink(missing_ok=True)
    except (OSError, pickle.PicklingError):
        pass  # a read-only or full disk: the next start builds again


class LazyTable(Mapping[str, V], Generic[V]):
    """A read-only mapping over plain cached values, each turned into its
    record on first access (a short article reads a few hundred of 100,000)."""

    __slots__ = ("_decode", "_done", "_raw")

    def __init__(self, raw: dict[str, Any], decode: Callable[[Any], V]) -> None:
        self._raw = raw
        self._decode = decode
        self._done: dict[str, V] = {}

    def get(self, key: str, default: Any = None) -> Any:
        done = self._done.get(key)
        if done is not None:
            return done
        raw = self._raw.get(key)
        if raw is None:
            return default
        value = self._done[key] = self._decode(raw)
        return value

    def __getitem__(self, key: str) -> V:
        value = self.get(key, _MISSING)
        if value is _MISSING:
            raise KeyError(key)
        return value  # type: ignore[no-any-return]

    def __contains__(self, key: object) -> bool:
        return key in self._raw

    def __iter__(self) -> Iterator[str]:
        return iter(self._raw)

    def __len__(self) -> int:
        return len(self._raw)


_MISSING = object()
