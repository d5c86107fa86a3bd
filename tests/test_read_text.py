"""Plain-text reader: one article per file, optional `date YYYY-MM-DD` token."""

from __future__ import annotations

from pathlib import Path

import pytest

from eventwire.errors import InputError
from eventwire.read import read_path
from eventwire.records import Article

BODY = "Border guards of two neighbouring states exchanged fire overnight.\n\nNo one was hurt."


def _read(tmp_path: Path, data: bytes, name: str = "report.txt", **kw: int) -> list[object]:
    path = tmp_path / name
    path.write_bytes(data)
    return list(read_path(path, **kw))


@pytest.mark.parametrize("prefix", [b"", b" ", b"\xef\xbb\xbf", b"\xef\xbb\xbf ", b"\n\n"])
def test_read_text_date_token_sets_date_and_leaves_text(tmp_path: Path, prefix: bytes) -> None:
    [art] = _read(tmp_path, prefix + b"date 2023-07-14 " + BODY.encode())
    assert isinstance(art, Article)
    assert art.date == "2023-07-14"
    assert art.text == BODY
    assert art.id == "report"
    assert art.origin == str(tmp_path / "report.txt")


@pytest.mark.parametrize(
    ("header", "date"),
    [
        ("date 2023-07-14T08:30:00Z", "2023-07-14"),
        ("date 2023-07-14T08:30:00+02:00", "2023-07-14"),
        ("Date 2019-12-31", "2019-12-31"),
        ("date\t2020-02-29", "2020-02-29"),
    ],
)
def test_read_text_date_token_variants(tmp_path: Path, header: str, date: str) -> None:
    [art] = _read(tmp_path, f"{header}\n{BODY}".encode())
    assert isinstance(art, Article)
    assert (art.date, art.text) == (date, BODY)


@pytest.mark.parametrize(
    "text",
    [
        BODY,
        "Date palms lined the road where the convoy stopped.",
        "The date of the vote has not been set.",
    ],
)
def test_read_text_without_date_token_keeps_all_text(tmp_path: Path, text: str) -> None:
    [art] = _read(tmp_path, text.encode())
    assert isinstance(art, Article)
    assert art.date is None
    assert art.text == text


def test_read_text_windows_line_ends_become_newlines(tmp_path: Path) -> None:
    [art] = _read(tmp_path, BODY.replace("\n", "\r\n").encode())
    assert isinstance(art, Article)
    assert art.text == BODY


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be"])
def test_read_text_utf16_with_bom(tmp_path: Path, codec: str) -> None:
    raw = f"date 2021-05-06 {BODY} Señora Ünal spoke."
    data = raw.encode(codec)
    if codec != "utf-16":  # the plain codec writes its own BOM
        data = ("\ufeff" + raw).encode(codec)
    [art] = _read(tmp_path, data)
    assert isinstance(art, Article)
    assert art.date == "2021-05-06"
    assert art.text.endswith("Señora Ünal spoke.")


@pytest.mark.parametrize(
    ("data", "needle", "line", "field"),
    [
        (b"", "empty file", None, None),
        (b"  \n\n\t ", "empty file", None, None),
        (b"\xef\xbb\xbf\n", "empty file", None, None),
        (b"PK\x03\x04\x00\x00binary\x00stuff", "binary data", 1, None),
        (b"first line\nsecond \x00 line", "NUL byte at byte offset 18", 2, None),
        (b"first line\nsecond \xff line", "invalid UTF-8 at byte offset 18", 2, None),
        (b"caf\xe9 au lait", "byte 0xe9", 1, None),
        (b"date 2022-02-30 " + BODY.encode(), "impossible date '2022-02-30'", 1, "date"),
        (b"date 0000-00-00 " + BODY.encode(), "impossible date '0000-00-00'", 1, "date"),
        (b"date 2022-13-01 " + BODY.encode(), "impossible date", 1, "date"),
        (b"date 2022/02/25 " + BODY.encode(), "not an ISO date", 1, "date"),
        (b"date 2022-02-25\n\n", "no text after the date line", 1, None),
    ],
)
def test_read_text_bad_input_is_one_clear_error(
    tmp_path: Path, data: bytes, needle: str, line: int | None, field: str | None
) -> None:
    [err] = _read(tmp_path, data)
    assert isinstance(err, InputError)
    assert needle in str(err)
    assert str(tmp_path / "report.txt") in str(err)
    assert (err.line, err.field) == (line, field)


def test_read_text_over_the_limit_is_reported(tmp_path: Path) -> None:
    [err] = _read(tmp_path, b"word " * 100, max_bytes=200)
    assert isinstance(err, InputError)
    assert "200-byte limit" in str(err)
    [art] = _read(tmp_path, b"word " * 30, max_bytes=200)
    assert isinstance(art, Article)


def test_read_text_strict_raises(tmp_path: Path) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(b"date 2021-02-29 Leap years only.")
    with pytest.raises(InputError, match="impossible date"):
        list(read_path(path, strict=True))
