"""Input readers: files, directories and stdin in, Articles out.

    from eventwire.read import read_path, read_paths
    for item in read_paths(["news.jsonl", "crawl.warc.gz", "-"]):
        if isinstance(item, InputError): report(item)
        else: code(item)

Errors are *yielded*, not raised, so a batch goes on past a bad record and
reports each one; with `strict=True` the first error is raised instead.

Formats, by suffix (case-insensitive):

    .txt                 one article; optional first token `date YYYY-MM-DD`
    .jsonl .ndjson       one JSON object per line
    .csv .tsv            header row, then one record per article
    .html .htm           main text and metadata (trafilatura)
    .warc .warc.gz       HTML responses of a crawl (warcio + trafilatura)
    .rss .atom .xml      feed entries (feedparser)
    -                    stdin: JSON Lines if the first non-blank character
                         is `{`, else one plain-text article (id "stdin")

A directory is walked recursively, in order of relative path; files with other suffixes
and hidden files or folders (name starting with ".") are skipped there, while
a file named explicitly with an unknown suffix is an error. Ids that come
from a file name (the stem of a .txt or .html, the `<stem>:<line>` default
of JSONL/CSV) use the path below the walked folder there: `sub/report`.

Text input is UTF-8 (a BOM is fine) or UTF-16 with a BOM. One article may be
at most `max_bytes` (10 MiB) of text; larger records are reported and
skipped. Report dates are ISO `YYYY-MM-DD`; a timestamp keeps its date
part; an impossible date is an error naming the field `date`.

Duplicate ids within one file: the first record is kept, each later one is
reported as an InputError (field `id`) and skipped, so that an id names one
article downstream (event ids and idempotent ingest key on it). Ids repeated
across files are left to the store's article dedup.
"""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import BinaryIO, cast

from ..errors import InputError
from ..records import Article
from ._common import MAX_TEXT_BYTES, ReadResult, normalise_date
from .jsonl import read_jsonl
from .table import read_table
from .text import read_text

__all__ = [
    "MAX_TEXT_BYTES",
    "SUFFIXES",
    "normalise_date",
    "read_path",
    "read_paths",
    "read_stream",
]

STDIN = "-"
STDIN_NAME = "<stdin>"

_Reader = Callable[[io.BufferedReader, str, str, int], Iterator[ReadResult]]


def _txt(fh: io.BufferedReader, source: str, stem: str, max_bytes: int) -> Iterator[ReadResult]:
    return read_text(fh, source=source, article_id=stem, max_bytes=max_bytes)


def _jsonl(fh: io.BufferedReader, source: str, stem: str, max_bytes: int) -> Iterator[ReadResult]:
    return read_jsonl(fh, source=source, stem=stem, max_bytes=max_bytes)


def _csv(fh: io.BufferedReader, source: str, stem: str, max_bytes: int) -> Iterator[ReadResult]:
    return read_table(fh, source=source, stem=stem, max_bytes=max_bytes)


def _tsv(fh: io.BufferedReader, source: str, stem: str, max_bytes: int) -> Iterator[ReadResult]:
    return read_table(fh, source=source, stem=stem, max_bytes=max_bytes, delimiter="\t")


# HTML, WARC and feed readers import their libraries (trafilatura, warcio,
# feedparser: about 0.4 s) only when such a file is read: start-up matters.
def _html(fh: io.BufferedReader, source: str, stem: str, max_bytes: int) -> Iterator[ReadResult]:
    from .webpage import read_html

    return read_html(fh, source=source, article_id=stem, max_bytes=max_bytes)


def _warc(fh: io.BufferedReader, source: str, stem: str, max_bytes: int) -> Iterator[ReadResult]:
    from .warc import read_warc

    return read_warc(fh, source=source, max_bytes=max_bytes)


def _feed(fh: io.BufferedReader, source: str, stem: str, max_bytes: int) -> Iterator[ReadResult]:
    from .feed import read_feed

    return read_feed(fh, source=source, max_bytes=max_bytes)


_READERS: dict[str, _Reader] = {
    ".txt": _txt,
    ".jsonl": _jsonl,
    ".ndjson": _jsonl,
    ".csv": _csv,
    ".tsv": _tsv,
    ".html": _html,
    ".htm": _html,
    ".warc": _warc,
    ".warc.gz": _warc,
    ".rss": _feed,
    ".atom": _feed,
    ".xml": _feed,
}
SUFFIXES: tuple[str, ...] = tuple(_READERS)


def _suffix(path: Path) -> str:
    name = path.name.lower()
    if name.endswith(".warc.gz"):
        return ".warc.gz"
    return path.suffix.lower()


def _stem(path: Path) -> str:
    name = path.name
    suffix = _suffix(path)
    return name[: len(name) - len(suffix)] if suffix and len(name) > len(suffix) else name


def read_path(
    path: str | Path, *, strict: bool = False, max_bytes: int = MAX_TEXT_BYTES
) -> Iterator[Article | InputError]:
    """Articles (and InputErrors) of one file, directory, or `-` for stdin."""
    for item in _read_any(str(path), max_bytes):
        if strict and isinstance(item, InputError):
            raise item
        yield item


def read_paths(
    paths: Sequence[str | Path], *, strict: bool = False, max_bytes: int = MAX_TEXT_BYTES
) -> Iterator[Article | InputError]:
    """read_path over several inputs, in the order given."""
    for path in paths:
        yield from read_path(path, strict=strict, max_bytes=max_bytes)


def read_stream(
    stream: BinaryIO, *, name: str = STDIN_NAME, stem: str = "stdin",
    max_bytes: int = MAX_TEXT_BYTES,
) -> Iterator[ReadResult]:
    """Read an open binary stream: JSON Lines if its first non-blank character
    is `{`, else one plain-text article."""
    prefix = bytearray()
    while True:
        byte = stream.read(1)
        prefix += byte
        if not byte or not (byte.isspace() or prefix == b"\xef" or prefix == b"\xef\xbb"
                            or prefix == b"\xef\xbb\xbf"):
            break
    fh = cast("io.BufferedReader", io.BufferedReader(_Prefixed(bytes(prefix), stream)))
    try:
        if prefix.rstrip().endswith(b"{"):
            yield from read_jsonl(fh, source=name, stem=stem, max_bytes=max_bytes)
        else:
            yield from read_text(fh, source=name, article_id=stem,
                                 max_bytes=max_bytes)
    except OSError as exc:
        yield InputError(f"cannot read: {exc.strerror or exc}", source=name)


class _Prefixed(io.RawIOBase):
    """A stream that replays the bytes already read for sniffing, then goes on."""

    def __init__(self, prefix: bytes, rest: BinaryIO) -> None:
        self._prefix = prefix
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        view = memoryview(buffer).cast("B")
        if self._prefix:
            n = min(len(view), len(self._prefix))
            view[:n] = self._prefix[:n]
            self._prefix = self._prefix[n:]
            return n
        data = self._rest.read(len(view))
        view[: len(data)] = data
        return len(data)


def _stdin_bytes() -> BinaryIO:
    stdin = sys.stdin
    buffer = getattr(stdin, "buffer", None)
    if buffer is not None:
        return buffer  # type: ignore[no-any-return]
    # A text stream without bytes underneath (tests, embedding): re-encode it.
    return io.BytesIO(stdin.read().encode("utf-8"))


def _read_any(path: str, max_bytes: int) -> Iterator[ReadResult]:
    if path == STDIN:
        yield from read_stream(_stdin_bytes(), max_bytes=max_bytes)
        return
    p = Path(path)
    if p.is_dir():
        files = _walk(p)
        if not files:
            yield InputError(
                f"no input files in the directory (looked for {', '.join(SUFFIXES)})",
                source=path,
            )
        for f in files:
            # The path below the walked folder keeps ids apart: a/x.txt and
            # b/x.txt would both be "x" by stem alone.
            rel = f.relative_to(p)
            yield from _read_file(f, max_bytes, stem=(rel.parent / _stem(f)).as_posix())
        return
    yield from _read_file(p, max_bytes)


def _walk(root: Path) -> list[Path]:
    """Supported files under `root`, sorted by relative path (as `find | sort`)."""
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for name in filenames:
            f = Path(dirpath) / name
            if not name.startswith(".") and _suffix(f) in _READERS:
                found.append(f)
    return sorted(found, key=lambda f: f.relative_to(root).parts)


def _read_file(path: Path, max_bytes: int, stem: str | None = None) -> Iterator[ReadResult]:
    source = str(path)
    reader = _READERS.get(_suffix(path))
    if reader is None:
        yield InputError(
            f"unknown input format {_suffix(path) or '(no suffix)'!r}; "
            f"supported: {', '.join(SUFFIXES)} and - for stdin",
            source=source,
        )
        return
    try:
        with open(path, "rb") as fh:
            yield from reader(fh, source, stem or _stem(path), max_bytes)
    except FileNotFoundError:
        yield InputError("no such file or directory", source=source)
    except IsADirectoryError:
        yield InputError("is a directory", source=source)
    except OSError as exc:
        yield InputError(f"cannot read: {exc.strerror or exc}", source=source)
