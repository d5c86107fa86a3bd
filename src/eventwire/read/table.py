"""CSV and TSV: a header row naming the fields, then one article per record.

Columns `id, text, date, title, url, outlet` (case and surrounding spaces in
the header are ignored); `text` is required, the others optional, extra
columns ignored. The csv module does the parsing, so quoted fields may hold
newlines; an error names the file line where its record starts. `id`
defaults to `<stem>:<line>`.
"""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Iterator

from ..errors import InputError
from ._common import IdTracker, ReadResult, article_from_fields, iter_lines


class _Lines:
    """Feeds decoded lines to csv.reader; a line that could not be read is
    fed as its stand-in (so quoting stays in step) and its error spoils the
    record it belongs to."""

    def __init__(self, fh: io.BufferedReader, source: str, max_bytes: int) -> None:
        self._it = iter_lines(fh, source, max_bytes)
        self.errors: list[tuple[int, InputError]] = []

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        lineno, line, stand_in = next(self._it)
        if isinstance(line, InputError):
            self.errors.append((lineno, line))
        return stand_in

    def take_errors(self, upto: int) -> list[InputError]:
        taken = [err for n, err in self.errors if n <= upto]
        self.errors = [(n, err) for n, err in self.errors if n > upto]
        return taken


def read_table(
    fh: io.BufferedReader, *, source: str, stem: str, max_bytes: int, delimiter: str = ","
) -> Iterator[ReadResult]:
    # The csv module's field limit (128 KiB by default) is process-wide; raise
    # it (never lower it) so one article may fill the whole per-record limit.
    if csv.field_size_limit() < max_bytes:
        csv.field_size_limit(max_bytes)
    lines = _Lines(fh, source, max_bytes)
    reader = csv.reader(lines, delimiter=delimiter)
    header: list[str] | None = None
    header_line = 0
    ids = IdTracker()
    seen_record = False
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            reason = (f"record is longer than the {max_bytes}-byte limit; skipped"
                      if "field limit" in str(exc) else f"malformed record: {exc}")
            yield InputError(reason, source=source, line=start)
            continue
        errors = lines.take_errors(reader.line_num)
        if errors:
            yield from errors
            if header is None:
                return  # without a header no record can be read
            continue
        if not row or (len(row) == 1 and not row[0].strip()):
            continue  # blank line
        if header is None:
            header = [name.strip().lower() for name in row]
            header_line = start
            if "text" not in header:
                yield InputError(
                    f"the header has no 'text' column (columns: {', '.join(row)})",
                    source=source, line=start, field="text",
                )
                return
            continue
        seen_record = True
        if len(row) != len(header):
            yield InputError(
                f"expected {len(header)} fields as in the header (line {header_line}), "
                f"found {len(row)}",
                source=source, line=start,
            )
            continue
        if sum(len(value) for value in row) > max_bytes:
            # Each line was under the limit but a quoted field ran over many.
            yield InputError(f"record is longer than the {max_bytes}-byte limit; skipped",
                             source=source, line=start)
            continue
        fields = {name: value for name, value in zip(header, row, strict=True) if name}
        item = article_from_fields(fields, source=source, line=start,
                                   default_id=f"{stem}:{start}", origin=f"{source}:{start}")
        yield ids.check(item, f"line {start}", source=source, line=start)
    yield from lines.take_errors(sys.maxsize)
    if header is None:
        yield InputError("empty file: no header row", source=source)
    elif not seen_record:
        yield InputError("no records after the header", source=source, line=header_line)
