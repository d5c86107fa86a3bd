"""Shared pieces of the readers: limits, decoding, line iteration, dates, fields.

Every reader yields `Article | InputError`; nothing here raises InputError,
it is returned or yielded so a batch can go on past a bad record.
"""

from __future__ import annotations

import datetime as _dt
import io
import re
from collections.abc import Iterator, Mapping
from typing import BinaryIO

from ..errors import InputError
from ..records import Article

ReadResult = Article | InputError

# One article's text may be at most this many bytes (UTF-8). Larger records are
# reported and skipped, and are never read into memory whole where the format
# allows it (JSONL/CSV lines are read with a bounded readline).
MAX_TEXT_BYTES = 10 * 1024 * 1024
# HTML, WARC payloads and feed files carry markup around the text: allow this
# many times the text limit for the raw document.
MARKUP_FACTOR = 5

# How much of the start of a file is inspected for NUL bytes (as git does).
_SNIFF_BYTES = 8192
# A file whose first lines are all unreadable is not a text file: stop
# rather than report every "line" of an image.
_BAD_LINES_BEFORE_GIVING_UP = 10
_UTF8_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")

ARTICLE_FIELDS = ("id", "text", "date", "title", "url", "outlet")

_SURROGATE = re.compile("[\ud800-\udfff]")
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[T ](.*))?", re.ASCII)


def normalise_date(value: str) -> str:
    """Return `value` as ISO `YYYY-MM-DD`; raise ValueError saying why not.

    Accepts a plain ISO date or a full ISO timestamp (the date part is kept).
    Impossible calendar dates ("2022-02-30", "0000-00-00") are refused.
    """
    text = value.strip()
    m = _ISO_DATE.fullmatch(text)
    if m is None:
        raise ValueError(f"{value!r} is not an ISO date (expected YYYY-MM-DD)")
    year, month, day = (int(g) for g in m.group(1, 2, 3))
    try:
        date = _dt.date(year, month, day)
    except ValueError as exc:
        raise ValueError(f"impossible date {value!r} ({exc})") from None
    if m.group(4) is not None:
        try:
            _dt.datetime.fromisoformat(text)
        except ValueError:
            raise ValueError(
                f"{value!r} is not an ISO timestamp (expected YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS)"
            ) from None
    return date.isoformat()


def _where(data: bytes, pos: int) -> tuple[int, int]:
    """1-based line number and 1-based byte column of byte `pos` in `data`."""
    line = data.count(b"\n", 0, pos) + 1
    col = pos - (data.rfind(b"\n", 0, pos) + 1) + 1
    return line, col


def decode_document(data: bytes, source: str) -> str | InputError:
    """Decode a whole text document: UTF-8 (BOM optional) or UTF-16 with a BOM.

    NUL bytes in a document without a UTF-16 BOM mean binary data.
    """
    if data.startswith(_UTF16_BOMS):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            return InputError(
                f"invalid UTF-16 at byte offset {exc.start} ({exc.reason})", source=source
            )
    nul = data.find(b"\0")
    if nul >= 0:
        line, _ = _where(data, nul)
        return InputError(
            f"binary data, not a text file (NUL byte at byte offset {nul}); "
            "if it is UTF-16, save it with a byte order mark",
            source=source, line=line,
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line, col = _where(data, exc.start)
        return InputError(
            f"invalid UTF-8 at byte offset {exc.start} (byte {col} of the line): "
            f"byte 0x{data[exc.start]:02x}; save the file as UTF-8",
            source=source, line=line,
        )


def _looks_binary(head: bytes, nul: int) -> bool:
    """A NUL on the first line, or NULs beside bytes that are not UTF-8, mean a
    binary file (zip, image, UTF-16 without a BOM) rather than a text file with
    one bad record."""
    if b"\n" not in head[:nul]:
        return True
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start < len(head) - 3  # not merely a character cut by the window
    return False


def _drain_line(fh: BinaryIO) -> int:
    """Skip to the end of the current line in bounded chunks; return bytes skipped."""
    skipped = 0
    while True:
        chunk = fh.readline(1 << 20)
        skipped += len(chunk)
        if not chunk or chunk.endswith(b"\n"):
            return skipped


def iter_lines(
    fh: io.BufferedReader, source: str, max_bytes: int
) -> Iterator[tuple[int, str | InputError, str]]:
    """Yield (line number, decoded line with its newline, same) or (line
    number, error, stand-in). The stand-in is the line decoded with
    replacement characters (or a bare newline for a line skipped unread), so a
    parser that spans lines (csv) keeps its place after a bad line.

    Lines are read with a bounded readline, so a 100 MB line is reported and
    skipped without being held in memory. A UTF-8 BOM is dropped; a UTF-16 BOM
    switches to UTF-16 decoding. A binary start (see `_looks_binary`), or ten
    unreadable lines before any readable one, give one error and no lines.
    Otherwise a NUL or a bad UTF-8 byte spoils its line only.
    """
    head = fh.peek(_SNIFF_BYTES)[:_SNIFF_BYTES]
    if head.startswith(_UTF16_BOMS):
        yield from _iter_utf16_lines(fh, source, max_bytes)
        return
    offset = 0
    if head.startswith(_UTF8_BOM):
        offset = len(fh.read(len(_UTF8_BOM)))
        head = head[len(_UTF8_BOM):]
    nul = head.find(b"\0")
    if nul >= 0 and _looks_binary(head, nul):
        yield 1, InputError(
            f"binary data, not a text file (NUL byte at byte offset {offset + nul}); "
            "if it is UTF-16, save it with a byte order mark",
            source=source, line=1,
        ), ""
        return
    lineno = 0
    bad_before_good = 0
    good_seen = False
    while True:
        if bad_before_good >= _BAD_LINES_BEFORE_GIVING_UP:
            yield lineno, InputError(
                f"none of the first {bad_before_good} lines is readable text (binary data "
                "or not UTF-8); the rest of the file is skipped",
                source=source, line=lineno,
            ), ""
            return
        raw = fh.readline(max_bytes + 1)
        if not raw:
            return
        lineno += 1
        start = offset
        offset += len(raw)
        if len(raw) > max_bytes and not raw.endswith(b"\n"):
            offset += _drain_line(fh)
            yield lineno, InputError(
                f"record is longer than the {max_bytes}-byte limit; skipped",
                source=source, line=lineno,
            ), "\n"
            continue
        nul = raw.find(b"\0")
        if nul >= 0:
            if not good_seen:
                bad_before_good += 1
            yield lineno, InputError(
                f"binary data (NUL byte at byte offset {start + nul})", source=source, line=lineno
            ), raw.replace(b"\0", b" ").decode("utf-8", "replace")
            continue
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            if not good_seen:
                bad_before_good += 1
            yield lineno, InputError(
                f"invalid UTF-8 at byte offset {start + exc.start} (byte {exc.start + 1} "
                f"of the line): byte 0x{raw[exc.start]:02x}; save the file as UTF-8",
                source=source, line=lineno,
            ), raw.decode("utf-8", "replace")
            continue
        good_seen = good_seen or bool(text.strip())
        yield lineno, text, text


def _iter_utf16_lines(
    fh: io.BufferedReader, source: str, max_bytes: int
) -> Iterator[tuple[int, str | InputError, str]]:
    max_chars = max(1, max_bytes // 2)
    # newline="" keeps line ends as they are, which the csv module needs.
    wrapper = io.TextIOWrapper(fh, encoding="utf-16", newline="")
    lineno = 0
    try:
        while True:
            try:
                line = wrapper.readline(max_chars + 1)
            except UnicodeDecodeError as exc:
                yield lineno + 1, InputError(
                    f"invalid UTF-16 ({exc.reason}); rest of the file skipped",
                    source=source, line=lineno + 1,
                ), ""
                return
            if not line:
                return
            lineno += 1
            if len(line) > max_chars and not line.endswith(("\n", "\r")):
                while line and not line.endswith(("\n", "\r")):
                    line = wrapper.readline(1 << 20)
                yield lineno, InputError(
                    f"record is longer than the {max_bytes}-byte limit; skipped",
                    source=source, line=lineno,
                ), "\n"
                continue
            yield lineno, line, line
    finally:
        # Leave the underlying stream (maybe stdin) open for its owner.
        wrapper.detach()


def article_from_fields(
    fields: Mapping[str, object],
    *,
    source: str,
    line: int | None,
    default_id: str,
    origin: str,
) -> ReadResult:
    """Build an Article from a JSON object or a CSV row; extra keys are ignored."""
    text = fields.get("text")
    if text is None:
        return InputError("'text' is missing", source=source, line=line, field="text")
    if not isinstance(text, str):
        return InputError(
            f"'text' must be a string, not {kind_of(text)}", source=source, line=line, field="text"
        )
    text = without_surrogates(text).strip()
    if not text:
        return InputError("'text' is empty", source=source, line=line, field="text")

    raw_id = fields.get("id")
    if raw_id is None or raw_id == "":
        art_id = default_id
    elif isinstance(raw_id, bool) or not isinstance(raw_id, str | int):
        return InputError(
            f"'id' must be a string or an integer, not {kind_of(raw_id)}",
            source=source, line=line, field="id",
        )
    else:
        art_id = str(raw_id).strip() or default_id

    values: dict[str, str | None] = {}
    for name in ("date", "title", "url", "outlet"):
        value = fields.get(name)
        if value is None or value == "":
            values[name] = None
        elif isinstance(value, str):
            values[name] = without_surrogates(value).strip() or None
        else:
            return InputError(
                f"'{name}' must be a string or null, not {kind_of(value)}",
                source=source, line=line, field=name,
            )
    if values["date"] is not None:
        try:
            values["date"] = normalise_date(values["date"])
        except ValueError as exc:
            return InputError(str(exc), source=source, line=line, field="date")
    return Article(
        id=art_id, text=text, date=values["date"], title=values["title"],
        url=values["url"], outlet=values["outlet"], origin=origin,
    )


def without_surrogates(text: str) -> str:
    """JSON may escape lone UTF-16 surrogates ("\\ud800"), which no UTF-8 text
    holds and which make spaCy fail: each becomes U+FFFD, so offsets stay put."""
    return _SURROGATE.sub("\ufffd", text)


def kind_of(value: object) -> str:
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    return type(value).__name__


class IdTracker:
    """Duplicate ids within one file: the first record wins, later ones are
    reported and skipped, so an id names one article downstream (event ids and
    idempotent ingest key on it)."""

    __slots__ = ("_first",)

    def __init__(self) -> None:
        self._first: dict[str, str] = {}

    def check(self, item: ReadResult, where: str, *, source: str,
              line: int | None) -> ReadResult:
        if isinstance(item, InputError):
            return item
        first = self._first.get(item.id)
        if first is None:
            self._first[item.id] = where
            return item
        return InputError(
            f"duplicate id {item.id!r} (first at {first}); record skipped",
            source=source, line=line, field="id",
        )
