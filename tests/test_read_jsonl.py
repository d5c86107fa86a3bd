"""JSON Lines reader: one object per line, errors per line, the rest still read."""

from __future__ import annotations

import json
import tracemalloc
from pathlib import Path

import pytest

from eventwire.errors import InputError
from eventwire.read import read_path
from eventwire.records import Article


def _line(**fields: object) -> bytes:
    return json.dumps(fields).encode() + b"\n"


GOOD_A = _line(id="a1", text="Farmers blocked a motorway to protest fuel prices.",
               date="2024-03-02", title="Motorway blocked", url="https://x.example/a1",
               outlet="Example Post", section="rural")
GOOD_B = _line(text="The central bank raised its key rate by half a point.", date=None)


def _read(tmp_path: Path, data: bytes, name: str = "batch.jsonl", **kw: int) -> list[object]:
    path = tmp_path / name
    path.write_bytes(data)
    return list(read_path(path, **kw))


def test_read_jsonl_fields_defaults_and_origins(tmp_path: Path) -> None:
    items = _read(tmp_path, GOOD_A + b"\n   \n" + GOOD_B)
    assert all(isinstance(i, Article) for i in items)
    a, b = items
    assert isinstance(a, Article) and isinstance(b, Article)
    assert (a.id, a.date, a.title, a.url, a.outlet) == (
        "a1", "2024-03-02", "Motorway blocked", "https://x.example/a1", "Example Post")
    assert a.origin == f"{tmp_path / 'batch.jsonl'}:1"
    # Blank lines count for line numbers: the second record is on line 4.
    assert (b.id, b.date, b.title) == ("batch:4", None, None)
    assert b.origin.endswith("batch.jsonl:4")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-03-02", "2024-03-02"),
        ("2024-03-02T23:59:59Z", "2024-03-02"),
        ("2024-03-02T10:00:00.123+05:30", "2024-03-02"),
        ("2024-03-02 10:00", "2024-03-02"),
        (None, None),
        ("", None),
    ],
)
def test_read_jsonl_dates_normalised(tmp_path: Path, value: object, expected: str | None) -> None:
    [art] = _read(tmp_path, _line(text="Talks resumed.", date=value))
    assert isinstance(art, Article)
    assert art.date == expected


@pytest.mark.parametrize(("raw", "expected"), [(7, "7"), (" x9 ", "x9"), ("", "batch:1")])
def test_read_jsonl_id_forms(tmp_path: Path, raw: object, expected: str) -> None:
    [art] = _read(tmp_path, _line(id=raw, text="Talks resumed."))
    assert isinstance(art, Article)
    assert art.id == expected


BAD_LINES = [
    (b'{"text": "unterminated}\n', "malformed JSON", None),
    (b"not json at all\n", "malformed JSON at column 1", None),
    (b'["a list", "of text"]\n', "expected a JSON object, found an array", None),
    (b'"just a string"\n', "expected a JSON object, found str", None),
    (b"42\n", "expected a JSON object, found a number", None),
    (b'{"id": "x"}\n', "'text' is missing", "text"),
    (b'{"text": 12}\n', "'text' must be a string, not a number", "text"),
    (b'{"text": ["a", "b"]}\n', "'text' must be a string, not an array", "text"),
    (b'{"text": "   "}\n', "'text' is empty", "text"),
    (b'{"text": "ok", "date": "2022-02-30"}\n', "impossible date '2022-02-30'", "date"),
    (b'{"text": "ok", "date": "0000-00-00"}\n', "impossible date '0000-00-00'", "date"),
    (b'{"text": "ok", "date": "25/02/2022"}\n', "not an ISO date", "date"),
    (b'{"text": "ok", "date": "2022-02-25Tnoon"}\n', "not an ISO timestamp", "date"),
    (b'{"text": "ok", "date": 20220225}\n', "'date' must be a string or null", "date"),
    (b'{"text": "ok", "title": {"main": "x"}}\n', "'title' must be a string or null, not an object", "title"),
    (b'{"text": "ok", "id": true}\n', "'id' must be a string or an integer", "id"),
    (b'{"text": "caf\xe9"}\n', "invalid UTF-8 at byte offset", None),
    (b'{"text": "a\x00b"}\n', "NUL byte", None),
    (b"[" * 100_000 + b"\n", "JSON not accepted", None),
    (b'{"text": "ok", "n": ' + b"9" * 5000 + b"}\n", "JSON not accepted", None),
]


@pytest.mark.parametrize(("bad", "needle", "field"), BAD_LINES)
def test_read_jsonl_bad_line_reported_and_rest_read(
    tmp_path: Path, bad: bytes, needle: str, field: str | None
) -> None:
    items = _read(tmp_path, GOOD_A + bad + GOOD_B)
    assert len(items) == 3
    first, err, last = items
    assert isinstance(first, Article) and first.id == "a1"
    assert isinstance(last, Article) and last.id == "batch:3"
    assert isinstance(err, InputError)
    assert needle in str(err)
    assert err.line == 2
    assert err.field == field
    assert str(err).startswith(f"{tmp_path / 'batch.jsonl'}:2")


def test_read_jsonl_invalid_utf8_names_line_and_byte_offset(tmp_path: Path) -> None:
    _, err, _ = _read(tmp_path, GOOD_A + b'{"text": "na\xc3ve"}\n' + GOOD_B)
    assert isinstance(err, InputError)
    # The bad byte is byte 13 of line 2; its file offset counts line 1 too.
    assert f"byte offset {len(GOOD_A) + 12} (byte 13 of the line)" in str(err)
    assert "0xc3" in str(err)


@pytest.mark.parametrize("data", [b"", b"\n\n  \n", b"\xef\xbb\xbf"])
def test_read_jsonl_empty_file(tmp_path: Path, data: bytes) -> None:
    [err] = _read(tmp_path, data)
    assert isinstance(err, InputError)
    assert "empty file" in str(err)


def test_read_jsonl_binary_file_is_one_error(tmp_path: Path) -> None:
    [err] = _read(tmp_path, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    assert isinstance(err, InputError)
    assert "binary data" in str(err)


@pytest.mark.parametrize("bom", ["utf-8-sig", "utf-16"])
def test_read_jsonl_with_bom(tmp_path: Path, bom: str) -> None:
    data = (GOOD_A + GOOD_B).decode().encode(bom)
    items = _read(tmp_path, data)
    assert [i.id for i in items if isinstance(i, Article)] == ["a1", "batch:2"]


def test_read_jsonl_crlf_and_ndjson_suffix(tmp_path: Path) -> None:
    items = _read(tmp_path, GOOD_A.replace(b"\n", b"\r\n") + GOOD_B, name="feed.NDJSON")
    assert [i.id for i in items if isinstance(i, Article)] == ["a1", "feed:2"]


def test_read_jsonl_duplicate_id_kept_once_and_reported(tmp_path: Path) -> None:
    dup = _line(id="a1", text="A later record with the same id.")
    items = _read(tmp_path, GOOD_A + GOOD_B + dup)
    assert [type(i).__name__ for i in items] == ["Article", "Article", "InputError"]
    err = items[2]
    assert isinstance(err, InputError)
    assert (err.line, err.field) == (3, "id")
    assert "duplicate id 'a1' (first at line 1)" in str(err)


def test_read_jsonl_long_line_skipped_next_read(tmp_path: Path) -> None:
    big = _line(id="big", text="word " * 400)
    items = _read(tmp_path, GOOD_A + big + GOOD_B, max_bytes=1000)
    assert [type(i).__name__ for i in items] == ["Article", "InputError", "Article"]
    assert isinstance(items[1], InputError)
    assert "1000-byte limit" in str(items[1]) and items[1].line == 2


def test_read_jsonl_huge_line_over_default_limit(tmp_path: Path) -> None:
    # 11 MiB of text on one line is over the real 10 MiB per-article limit.
    big = b'{"id": "huge", "text": "' + b"x" * (11 * 1024 * 1024) + b'"}\n'
    items = _read(tmp_path, GOOD_A + big + GOOD_B)
    assert [getattr(i, "id", None) for i in items] == ["a1", None, "batch:3"]
    assert isinstance(items[1], InputError) and items[1].line == 2


def test_read_jsonl_huge_line_not_held_in_memory(tmp_path: Path) -> None:
    path = tmp_path / "huge.jsonl"
    with path.open("wb") as fh:
        fh.write(GOOD_A + b'{"text": "')
        for _ in range(40):  # 40 MiB on one line
            fh.write(b"y" * (1024 * 1024))
        fh.write(b'"}\n' + GOOD_B)
    tracemalloc.start()
    try:
        items = list(read_path(path, max_bytes=64 * 1024))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert [type(i).__name__ for i in items] == ["Article", "InputError", "Article"]
    assert peak < 8 * 1024 * 1024, f"peak {peak} bytes: the long line was loaded"


def test_read_jsonl_strict_raises_at_first_bad_line(tmp_path: Path) -> None:
    path = tmp_path / "batch.jsonl"
    path.write_bytes(GOOD_A + b"{oops\n" + GOOD_B)
    got = []
    with pytest.raises(InputError) as info:
        for item in read_path(path, strict=True):
            got.append(item)
    assert [a.id for a in got] == ["a1"]
    assert info.value.line == 2


def test_read_jsonl_random_bytes_stop_after_a_few_errors(tmp_path: Path) -> None:
    # Invalid UTF-8 on every line and no NUL: reported, but not line by line
    # for the whole file.
    data = b"\xff\xfe\xfa garbage \xc0\n" * 500
    items = _read(tmp_path, b"\n" + data)
    assert all(isinstance(i, InputError) for i in items)
    assert len(items) == 11
    assert "none of the first 10 lines is readable" in str(items[-1])
