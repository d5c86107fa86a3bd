"""JSON Lines (.jsonl, .ndjson): one JSON object per line, one article each.

Fields `id, text, date, title, url, outlet`; `text` is required, `id`
defaults to `<stem>:<line>`, `date` may be null, other keys are ignored.
Lines are read one at a time with a size bound, so a huge line is reported
and skipped without being loaded. Blank lines are skipped. A bad line is one
InputError naming the line; the lines after it are still read.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator

from ..errors import InputError
from ._common import IdTracker, ReadResult, article_from_fields, iter_lines, kind_of


def read_jsonl(
    fh: io.BufferedReader, *, source: str, stem: str, max_bytes: int
) -> Iterator[ReadResult]:
    ids = IdTracker()
    seen_any = False
    for lineno, line, _ in iter_lines(fh, source, max_bytes):
        if isinstance(line, InputError):
            seen_any = True
            yield line
            continue
        if not line.strip():
            continue
        seen_any = True
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield InputError(f"malformed JSON at column {exc.colno}: {exc.msg}",
                             source=source, line=lineno)
            continue
        except (ValueError, RecursionError) as exc:
            # Deep nesting or a 5000-digit number: valid JSON we will not build.
            yield InputError(f"JSON not accepted: {type(exc).__name__}: {exc}",
                             source=source, line=lineno)
            continue
        if not isinstance(obj, dict):
            yield InputError(f"expected a JSON object, found {kind_of(obj)}",
                             source=source, line=lineno)
            continue
        item = article_from_fields(obj, source=source, line=lineno,
                                   default_id=f"{stem}:{lineno}", origin=f"{source}:{lineno}")
        yield ids.check(item, f"line {lineno}", source=source, line=lineno)
    if not seen_any:
        yield InputError("empty file: no JSON lines", source=source)
