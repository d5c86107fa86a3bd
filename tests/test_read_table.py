"""CSV/TSV reader: header row, quoted newlines, errors at the record's first line."""

from __future__ import annotations

from pathlib import Path

import pytest

from eventwire.errors import InputError
from eventwire.read import read_path
from eventwire.records import Article


def _read(tmp_path: Path, data: str | bytes, name: str = "batch.csv", **kw: int) -> list[object]:
    path = tmp_path / name
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return list(read_path(path, **kw))


def _kinds(items: list[object]) -> list[str]:
    return [i.id if isinstance(i, Article) else f"error@{getattr(i, 'line', None)}"
            for i in items]


CSV = (
    "id,text,date,title,url,outlet,extra\n"
    'r1,"Dock workers went on strike.\n\nThe port is closed.",2024-01-05,Strike,'
    "https://p.example/1,Port News,ignored\n"
    "r2,Lawmakers approved the budget.,,,,,\n"
    '"r3","A court jailed ""two"" activists.",2024-01-07T09:00:00Z,,,,\n'
)


def test_read_table_fields_quoted_newlines_and_origins(tmp_path: Path) -> None:
    items = _read(tmp_path, CSV)
    assert _kinds(items) == ["r1", "r2", "r3"]
    r1, r2, r3 = items
    assert isinstance(r1, Article) and isinstance(r2, Article) and isinstance(r3, Article)
    assert r1.text == "Dock workers went on strike.\n\nThe port is closed."
    assert (r1.date, r1.title, r1.url, r1.outlet) == (
        "2024-01-05", "Strike", "https://p.example/1", "Port News")
    assert (r2.date, r2.title, r2.url, r2.outlet) == (None, None, None, None)
    assert r3.text == 'A court jailed "two" activists.' and r3.date == "2024-01-07"
    # Record 1 spans lines 2-4, so record 2 starts on line 5.
    assert [r.origin.rsplit(":", 1)[1] for r in (r1, r2, r3)] == ["2", "5", "6"]


def test_read_table_tsv_and_header_case(tmp_path: Path) -> None:
    data = " ID \tText\tDATE\nt1\tRebels seized a town.\t2023-09-09\n"
    [art] = _read(tmp_path, data, name="wire.TSV")
    assert isinstance(art, Article)
    assert (art.id, art.text, art.date) == ("t1", "Rebels seized a town.", "2023-09-09")


def test_read_table_text_column_only_gives_default_ids(tmp_path: Path) -> None:
    items = _read(tmp_path, "text\nPolice detained ten people.\n\nTroops withdrew.\n")
    assert _kinds(items) == ["batch:2", "batch:4"]


@pytest.mark.parametrize(
    ("row", "needle", "field"),
    [
        ("r9,too,few\n", "expected 7 fields as in the header (line 1), found 3", None),
        ("r9,a,,,,,,,extra\n", "found 9", None),
        ("r9,,,,,,\n", "'text' is empty", "text"),
        ("r9,Talks ended.,2022-02-30,,,,\n", "impossible date '2022-02-30'", "date"),
        ("r9,Talks ended.,0000-00-00,,,,\n", "impossible date", "date"),
        ("r9,Talks ended.,2022-31-12,,,,\n", "impossible date", "date"),
        ("r9,Talks ended.,yesterday,,,,\n", "not an ISO date", "date"),
        ("r1,Same id again.,,,,,\n", "duplicate id 'r1' (first at line 2)", "id"),
    ],
)
def test_read_table_bad_row_reported_at_its_first_line(
    tmp_path: Path, row: str, needle: str, field: str | None
) -> None:
    header, rest = CSV.split("\n", 1)
    # The bad row comes after record 1 (lines 2-4): it starts on line 5.
    first, rest2 = rest.split(",ignored\n", 1)
    data = f"{header}\n{first},ignored\n{row}{rest2}"
    items = _read(tmp_path, data)
    assert _kinds(items) == ["r1", "error@5", "r2", "r3"]
    err = items[1]
    assert isinstance(err, InputError)
    assert needle in str(err) and err.field == field
    assert str(err).startswith(f"{tmp_path / 'batch.csv'}:5")


def test_read_table_missing_text_column(tmp_path: Path) -> None:
    [err] = _read(tmp_path, "id,body,date\n1,Something happened.,2020-01-01\n")
    assert isinstance(err, InputError)
    assert (err.line, err.field) == (1, "text")
    assert "no 'text' column (columns: id, body, date)" in str(err)


@pytest.mark.parametrize(
    ("data", "needle"),
    [
        (b"", "empty file: no header row"),
        (b"\n\n", "empty file: no header row"),
        (b"id,text,date\n", "no records after the header"),
        (b"PK\x03\x04\x14\x00\x00\x00\x08\x00", "binary data"),
    ],
)
def test_read_table_empty_or_binary(tmp_path: Path, data: bytes, needle: str) -> None:
    [err] = _read(tmp_path, data)
    assert isinstance(err, InputError)
    assert needle in str(err)


def test_read_table_invalid_utf8_spoils_only_its_record(tmp_path: Path) -> None:
    data = b"id,text\na,Ministers met.\nb,Caf\xe9 owners protested.\nc,Rain fell.\n"
    items = _read(tmp_path, data)
    assert _kinds(items) == ["a", "error@3", "c"]
    assert "invalid UTF-8 at byte offset 30 (byte 6 of the line)" in str(items[1])


def test_read_table_nul_byte_spoils_only_its_record(tmp_path: Path) -> None:
    data = b"id,text\na,Ministers met.\nb,Two\x00words.\nc,Rain fell.\n"
    items = _read(tmp_path, data)
    assert _kinds(items) == ["a", "error@3", "c"]
    assert "NUL byte at byte offset 30" in str(items[1])


def test_read_table_invalid_utf8_inside_a_quoted_field(tmp_path: Path) -> None:
    data = b'id,text\na,"Line one\nline \xff two"\nb,Fine.\n'
    items = _read(tmp_path, data)
    # The error names the line that holds the bad byte; the next record is read.
    assert _kinds(items) == ["error@3", "b"]


@pytest.mark.parametrize("codec", ["utf-8-sig", "utf-16"])
def test_read_table_bom(tmp_path: Path, codec: str) -> None:
    items = _read(tmp_path, CSV.encode(codec))
    assert _kinds(items) == ["r1", "r2", "r3"]


def test_read_table_long_record_skipped(tmp_path: Path) -> None:
    long_one = "word " * 100
    data = f"id,text\na,Short.\nb,{long_one}\nc,\"{'more ' * 10}\n{'more ' * 10}\n{'x ' * 30}\"\nd,Ok.\n"
    items = _read(tmp_path, data, max_bytes=150)
    # b is one long line; c is over the limit only across its three lines.
    assert _kinds(items) == ["a", "error@3", "error@4", "d"]
    assert all("150-byte limit" in str(items[i]) for i in (1, 2))


def test_read_table_strict_raises(tmp_path: Path) -> None:
    path = tmp_path / "batch.csv"
    path.write_text("id,text\na,Fine.\nb\n")
    with pytest.raises(InputError, match="expected 2 fields"):
        list(read_path(path, strict=True))
