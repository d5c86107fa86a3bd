"""read_path/read_paths: dispatch by suffix, directories, stdin, strict mode, dates."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from eventwire.errors import InputError
from eventwire.read import SUFFIXES, normalise_date, read_path, read_paths
from eventwire.records import Article


def _jsonl(*texts: str) -> bytes:
    return b"".join(json.dumps({"text": t}).encode() + b"\n" for t in texts)


def _ids(items: list[object]) -> list[str]:
    return [i.id if isinstance(i, Article) else f"error:{i}" for i in items]


@pytest.mark.parametrize(
    ("name", "data", "ids"),
    [
        ("a.txt", b"date 2020-01-01 Troops crossed the river.", ["a"]),
        ("a.TXT", b"Troops crossed the river.", ["a"]),
        ("a.jsonl", _jsonl("One.", "Two."), ["a:1", "a:2"]),
        ("a.ndjson", _jsonl("One."), ["a:1"]),
        ("a.csv", b"text\nOne.\n", ["a:2"]),
        ("a.tsv", b"id\ttext\nk\tOne.\n", ["k"]),
        ("my.report.v2.jsonl", _jsonl("One."), ["my.report.v2:1"]),
    ],
)
def test_read_path_dispatches_by_suffix(tmp_path: Path, name: str, data: bytes,
                                        ids: list[str]) -> None:
    (tmp_path / name).write_bytes(data)
    assert _ids(list(read_path(tmp_path / name))) == ids
    assert _ids(list(read_path(str(tmp_path / name)))) == ids


@pytest.mark.parametrize("name", ["notes.docx", "archive.gz", "README", "data.json"])
def test_read_path_unknown_suffix_names_file_and_formats(tmp_path: Path, name: str) -> None:
    (tmp_path / name).write_bytes(b"whatever")
    [err] = list(read_path(tmp_path / name))
    assert isinstance(err, InputError)
    assert str(tmp_path / name) in str(err)
    assert "unknown input format" in str(err)
    for suffix in (".txt", ".jsonl", ".csv", ".html", ".warc.gz", ".rss"):
        assert suffix in str(err)


def test_read_path_missing_file(tmp_path: Path) -> None:
    [err] = list(read_path(tmp_path / "nowhere.jsonl"))
    assert isinstance(err, InputError)
    assert "no such file" in str(err) and "nowhere.jsonl" in str(err)


def test_read_path_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "locked.txt"
    path.write_text("Secret text.")
    path.chmod(0)
    try:
        if _can_read(path):
            pytest.skip("running as a user who can read mode-000 files")
        [err] = list(read_path(path))
        assert isinstance(err, InputError) and "cannot read" in str(err)
    finally:
        path.chmod(0o644)


def _can_read(path: Path) -> bool:
    try:
        path.read_bytes()
    except PermissionError:
        return False
    return True


def test_read_path_directory_walked_sorted_and_recursive(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "inner").mkdir()
    (tmp_path / ".hidden").mkdir()
    (tmp_path / "z.txt").write_text("Last file.")
    (tmp_path / "a.txt").write_text("First file.")
    (tmp_path / "b" / "m.jsonl").write_bytes(_jsonl("Nested one.", "Nested two."))
    (tmp_path / "b" / "inner" / "c.csv").write_text("id,text\ndeep,Deep file.\n")
    (tmp_path / "b" / "notes.docx").write_bytes(b"skipped in a directory")
    (tmp_path / ".hidden" / "h.txt").write_text("Hidden.")
    (tmp_path / ".dot.txt").write_text("Hidden too.")
    first = _ids(list(read_path(tmp_path)))
    assert first == ["a", "deep", "b/m:1", "b/m:2", "z"]
    assert _ids(list(read_path(tmp_path))) == first  # deterministic


def test_read_path_directory_ids_keep_same_named_files_apart(tmp_path: Path) -> None:
    for folder in ("east", "west"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "report.txt").write_text(f"News from the {folder}.")
    assert _ids(list(read_path(tmp_path))) == ["east/report", "west/report"]
    # Named directly, a file's id is its stem.
    assert _ids(list(read_path(tmp_path / "east" / "report.txt"))) == ["report"]


def test_read_path_empty_directory(tmp_path: Path) -> None:
    (tmp_path / "readme.md").write_text("nothing to read")
    [err] = list(read_path(tmp_path))
    assert isinstance(err, InputError)
    assert "no input files" in str(err) and ".jsonl" in str(err)


def test_read_paths_in_order_with_errors_between(tmp_path: Path) -> None:
    (tmp_path / "one.txt").write_text("First.")
    (tmp_path / "bad.txt").write_bytes(b"")
    (tmp_path / "two.jsonl").write_bytes(_jsonl("Second."))
    paths = [str(tmp_path / n) for n in ("one.txt", "bad.txt", "two.jsonl")]
    items = list(read_paths(paths))
    assert [type(i).__name__ for i in items] == ["Article", "InputError", "Article"]
    with pytest.raises(InputError, match="empty file"):
        list(read_paths(paths, strict=True))


def _stdin(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))


def test_read_path_stdin_jsonl(monkeypatch: pytest.MonkeyPatch) -> None:
    _stdin(monkeypatch, b"\n  \n" + _jsonl("Piped one.", "Piped two.") + b"{broken\n")
    items = list(read_path("-"))
    # Leading blank lines still count: records are on lines 3 and 4.
    assert _ids(items[:2]) == ["stdin:3", "stdin:4"]
    assert isinstance(items[0], Article) and items[0].origin == "<stdin>:3"
    err = items[2]
    assert isinstance(err, InputError) and err.line == 5 and err.source == "<stdin>"


@pytest.mark.parametrize("data", [
    b"date 2022-06-01 Protesters marched to parliament.",
    b"\xef\xbb\xbf  date 2022-06-01 Protesters marched to parliament.",
    b"\n\ndate 2022-06-01\nProtesters marched to parliament.",
])
def test_read_path_stdin_text(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    _stdin(monkeypatch, data)
    [art] = list(read_path("-"))
    assert isinstance(art, Article)
    assert (art.id, art.date, art.text) == ("stdin", "2022-06-01", "Protesters marched to parliament.")


@pytest.mark.parametrize(("data", "needle"), [
    (b"", "empty file"),
    (b"   \n", "empty file"),
    (b"ok \xff text", "invalid UTF-8"),
])
def test_read_path_stdin_bad(monkeypatch: pytest.MonkeyPatch, data: bytes, needle: str) -> None:
    _stdin(monkeypatch, data)
    [err] = list(read_path("-"))
    assert isinstance(err, InputError) and needle in str(err) and "<stdin>" in str(err)


def test_read_path_stdin_text_stream_without_buffer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO('{"id": "s", "text": "From a StringIO."}\n'))
    assert _ids(list(read_path("-"))) == ["s"]


def test_read_path_strict_raises_after_good_records(tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(_jsonl("Good.") + b'{"text": "x", "date": "2021-02-29"}\n' + _jsonl("Never."))
    seen: list[object] = []
    with pytest.raises(InputError) as info:
        for item in read_path(path, strict=True):
            seen.append(item)
    assert _ids(seen) == ["mixed:1"]
    assert (info.value.line, info.value.field) == (2, "date")


def test_read_suffixes_cover_the_formats() -> None:
    assert set(SUFFIXES) >= {".txt", ".jsonl", ".ndjson", ".csv", ".tsv", ".html", ".htm",
                             ".warc", ".warc.gz", ".rss", ".atom", ".xml"}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2022-02-25", "2022-02-25"),
        (" 2022-02-25 ", "2022-02-25"),
        ("2022-02-25T00:00:00", "2022-02-25"),
        ("2022-02-25T23:59:59.999999-11:00", "2022-02-25"),
        ("2020-02-29", "2020-02-29"),
    ],
)
def test_read_normalise_date_accepts(value: str, expected: str) -> None:
    assert normalise_date(value) == expected


@pytest.mark.parametrize(
    ("value", "needle"),
    [
        ("2022-02-30", "impossible date"),
        ("2021-02-29", "impossible date"),
        ("0000-00-00", "impossible date"),
        ("2022-00-10", "impossible date"),
        ("2022-2-3", "not an ISO date"),
        ("25.02.2022", "not an ISO date"),
        ("2022-02-25T25:00:00", "not an ISO timestamp"),
        ("", "not an ISO date"),
    ],
)
def test_read_normalise_date_refuses(value: str, needle: str) -> None:
    with pytest.raises(ValueError, match=needle):
        normalise_date(value)
