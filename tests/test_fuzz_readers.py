"""Property tests over every reader: whatever the bytes, each result is an
Article or an InputError that names the input, and nothing raises or hangs.

Budgets are small here (the default test run); `python fuzz/run.py` runs the
same generators with a large budget. See docs/reliability.md.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import os
import tempfile
import time
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from eventwire.errors import InputError
from eventwire.read import read_path
from eventwire.read._common import without_surrogates
from eventwire.records import Article

FAST = settings(max_examples=int(os.environ.get("EVENTWIRE_FUZZ_EXAMPLES", "40")), deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
# Each read of one generated file must finish well inside this (seconds).
READ_BUDGET = 20.0

ALL_NAMES = ["a.txt", "a.jsonl", "a.ndjson", "a.csv", "a.tsv", "a.html", "a.htm",
             "a.warc", "a.warc.gz", "a.rss", "a.atom", "a.xml"]
# Strings that break naive readers: RTL marks, emoji, lone surrogates escaped
# in JSON, NUL, control characters, a BOM in the middle, CR-only line ends.
ODD_TEXT = ["\u202eevil\u202c", "\U0001f4a3\u200d\U0001f525", "\\ud800", "\x00", "\x1b[31m",
            "\ufeff", "\r", "\u2028", "ثم قالت الحكومة", "政府发表声明", "\U000e0041"]


def read_all(path: Path, max_bytes: int = 4096) -> list[Article | InputError]:
    start = time.monotonic()
    items = list(read_path(path, max_bytes=max_bytes))
    assert time.monotonic() - start < READ_BUDGET, f"reading {path.name} took too long"
    for item in items:
        assert isinstance(item, Article | InputError), type(item)
        if isinstance(item, InputError):
            assert str(path) in str(item), f"error does not name the input: {item}"
            assert "Traceback" not in str(item)
        else:
            assert item.text.strip() == item.text and item.text
            assert item.date is None or (len(item.date) == 10 and item.date[:4] != "0000")
    return items


def write(tmp: str, name: str, data: bytes) -> Path:
    path = Path(tmp) / name
    path.write_bytes(data)
    return path


# -- random bytes, any format --------------------------------------------------

@FAST
@given(name=st.sampled_from(ALL_NAMES), data=st.binary(max_size=2000))
@example(name="a.jsonl", data=b"\xff\xfe\x00")
@example(name="a.csv", data=b"\xef\xbb\xbf\x00text\n")
@example(name="a.warc.gz", data=b"\x1f\x8b\x08\x00\x00\x00")
def test_fuzz_readers_random_bytes(name: str, data: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        read_all(write(tmp, name, data))


@FAST
@given(name=st.sampled_from(["a.txt", "a.jsonl", "a.csv"]),
       good=st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1,
                    max_size=60).filter(lambda s: s.strip()),
       bad=st.sampled_from([b"\xff", b"\xc3\x28", b"\xed\xa0\x80", b"\xf4\x90\x80\x80",
                            b"\xe2\x82", b"\xc0\xaf"]))
def test_fuzz_readers_invalid_utf8_is_reported_on_its_line(name: str, good: str,
                                                          bad: bytes) -> None:
    """A bad byte spoils its own record (named by line) and no other."""
    clean = " ".join(good.split())
    if name == "a.txt":
        data = clean.encode() + b" " + bad
    elif name == "a.jsonl":
        ok = json.dumps({"id": "ok", "text": clean}).encode()
        data = b'{"id": "bad", "text": "x' + bad + b'"}\n' + ok + b"\n"
    else:
        buf = io.StringIO()
        csv.writer(buf).writerow(["ok", clean])
        data = b"id,text\nbad,x" + bad + b"\n" + buf.getvalue().encode()
    with tempfile.TemporaryDirectory() as tmp:
        items = read_all(write(tmp, name, data))
    errors = [i for i in items if isinstance(i, InputError)]
    assert errors and "UTF-8" in str(errors[0])
    if name != "a.txt":
        assert errors[0].line == (1 if name == "a.jsonl" else 2)
        assert [i.id for i in items if isinstance(i, Article)] == ["ok"]


# -- JSON Lines: any JSON value per line ----------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False)
    | st.text(max_size=30) | st.sampled_from(ODD_TEXT),
    lambda kids: st.lists(kids, max_size=4) | st.dictionaries(st.text(max_size=8), kids,
                                                               max_size=4),
    max_leaves=20,
)
records = st.fixed_dictionaries({}, optional={
    "id": json_values | st.text(max_size=10), "text": json_values | st.text(max_size=80),
    "date": st.sampled_from(["2022-02-25", "0000-00-00", "2022-02-30", "9999-12-31",
                             "2022-13-01", "-2022-01-01", "2022-02-25T25:00:00", "", None]),
    "title": json_values, "url": json_values, "outlet": json_values,
}) | json_values


@FAST
@given(lines=st.lists(records, min_size=1, max_size=8))
def test_fuzz_readers_jsonl_one_result_per_line(lines: list[object]) -> None:
    """Every non-blank line gives exactly one result, in order, named by line."""
    body = "\n".join(json.dumps(v) for v in lines) + "\n"
    with tempfile.TemporaryDirectory() as tmp:
        items = read_all(write(tmp, "a.jsonl", body.encode()))
    assert len(items) == len(lines)
    for n, (value, item) in enumerate(zip(lines, items, strict=True), start=1):
        if isinstance(item, InputError):
            assert item.line == n
        else:
            assert isinstance(value, dict) and isinstance(value.get("text"), str)
            assert item.text == value["text"].strip()
            assert value.get("date") not in ("0000-00-00", "2022-02-30", "2022-13-01")


@pytest.mark.parametrize("depth", [10, 1000, 100_000])
@pytest.mark.parametrize("opener,closer", [("[", "]"), ('{"a":', "}")])
def test_fuzz_readers_jsonl_deep_nesting(tmp_path: Path, depth: int, opener: str,
                                         closer: str) -> None:
    nested = opener * depth + "1" + closer * depth
    data = (nested + "\n" + '{"text": "' + "x" + '", "extra": ' + nested + "}\n"
            + '{"id": "last", "text": "still read"}\n')
    path = tmp_path / "deep.jsonl"
    path.write_text(data, encoding="utf-8")
    items = read_all(path, max_bytes=1 << 22)
    assert len(items) == 3
    assert isinstance(items[0], InputError) and items[0].line == 1
    assert isinstance(items[2], Article) and items[2].id == "last"


# -- CSV/TSV with missing and extra columns -------------------------------------

cells = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=20) | \
    st.sampled_from([*ODD_TEXT, "0000-00-00", '"', '""', "\n"])


@FAST
@given(header=st.lists(st.sampled_from(["id", "text", "date", "title", "url", "outlet",
                                        "Text ", "extra", ""]), max_size=7),
       rows=st.lists(st.lists(cells, max_size=9), max_size=6),
       tsv=st.booleans())
def test_fuzz_readers_csv_ragged_rows(header: list[str], rows: list[list[str]],
                                      tsv: bool) -> None:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter="\t" if tsv else ",")
    writer.writerow(header)
    writer.writerows(rows)
    with tempfile.TemporaryDirectory() as tmp:
        items = read_all(write(tmp, "a.tsv" if tsv else "a.csv", buf.getvalue().encode()))
    has_text = any(h.strip().lower() == "text" for h in header)
    if not has_text:
        assert not any(isinstance(i, Article) for i in items)
    assert len(items) <= max(1, len(rows) + 1)


# -- HTML with no text, odd markup ------------------------------------------------

tags = st.sampled_from(["<html>", "</html>", "<body>", "</body>", "<div>", "</div>", "<p>",
                        "</p>", "<script>var a=1;</script>", "<style>p{}</style>", "<br/>",
                        "<!-- x -->", "<![CDATA[", "<meta charset='utf-16'>", "<img src=x>",
                        "<meta name='date' content='0000-00-00'>", "<title></title>",
                        "<svg><text></text></svg>", "&nbsp;", "&#0;", "<", ">", "\u202e"])


@FAST
@given(parts=st.lists(tags, max_size=30), deep=st.integers(0, 3000))
@example(parts=["<html><body>"], deep=0)
def test_fuzz_readers_html_without_text_is_an_error(parts: list[str], deep: int) -> None:
    page = "<html><body>" + "<div>" * deep + "".join(parts) + "</div>" * deep
    with tempfile.TemporaryDirectory() as tmp:
        items = read_all(write(tmp, "a.html", page.encode()), max_bytes=1 << 20)
    assert len(items) == 1
    if isinstance(items[0], Article):  # only markup: any "text" found is entity residue
        assert len(items[0].text) < 20


# -- WARC truncated anywhere -------------------------------------------------------

def _warc(gz: bool, n: int = 3) -> bytes:
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=gz)
    for i in range(n):
        body = (f"<html><head><title>Report {i}</title></head><body><article>"
                f"<p>The harbour authority of Port Ellery reopened berth {i} on Monday after "
                f"inspectors finished a survey of the breakwater and the cranes.</p>"
                f"</article></body></html>").encode()
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")],
                                protocol="HTTP/1.1")
        rec = writer.create_warc_record(f"https://news.example/{i}", "response",
                                        payload=io.BytesIO(body), http_headers=http)
        writer.write_record(rec)
    return buf.getvalue()


WARCS = {gz: _warc(gz) for gz in (False, True)}


@FAST
@given(gz=st.booleans(), cut=st.floats(0.0, 1.0), garbage=st.binary(max_size=30))
def test_fuzz_readers_warc_truncated_mid_record(gz: bool, cut: float, garbage: bytes) -> None:
    full = WARCS[gz]
    data = full[: int(len(full) * cut)] + garbage
    name = "a.warc.gz" if gz else "a.warc"
    with tempfile.TemporaryDirectory() as tmp:
        whole = [i for i in read_all(write(tmp, name, full)) if isinstance(i, Article)]
        items = read_all(write(tmp, name, data))
    got = [i for i in items if isinstance(i, Article)]
    assert len(whole) == 3
    # The good records before the damage, in order, then at most one error.
    assert [a.url for a in got] == [a.url for a in whole[: len(got)]]
    assert sum(isinstance(i, InputError) for i in items) <= 1


# -- dates that do not exist -------------------------------------------------------

BAD_DATES = ["0000-00-00", "2022-00-10", "2022-02-30", "2021-02-29", "10000-01-01",
             "2022-1-5", "２０２２-０１-０１", "2022-02-25T99:00"]


@pytest.mark.parametrize("date", BAD_DATES)
@pytest.mark.parametrize("fmt", ["txt", "jsonl", "csv"])
def test_fuzz_readers_impossible_dates_name_the_field(tmp_path: Path, date: str,
                                                      fmt: str) -> None:
    text = "The council met on Tuesday."
    path = tmp_path / f"d.{fmt}"
    if fmt == "txt":
        path.write_text(f"date {date} {text}", encoding="utf-8")
    elif fmt == "jsonl":
        path.write_text(json.dumps({"text": text, "date": date}) + "\n", encoding="utf-8")
    else:
        path.write_text(f"text,date\n{text},{date}\n", encoding="utf-8")
    items = read_all(path)
    if fmt == "txt" and not date[:4].isdigit():
        # not a date header at all ("date ２０２２..." is ordinary text)
        assert isinstance(items[0], Article) and items[0].date is None
        return
    assert len(items) == 1 and isinstance(items[0], InputError), items
    assert items[0].field == "date" and date in str(items[0])


# -- a 100 MB line, streamed to disk, never held in memory --------------------------

def _write_huge(path: Path, head: bytes, tail: bytes, size: int) -> None:
    block = b"x" * (1 << 20)
    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "wb") as out:
        out.write(head)
        for _ in range(size // len(block)):
            out.write(block)
        out.write(tail)


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "txt", "html", "warc", "warc.gz"])
def test_fuzz_readers_100mb_line_is_skipped_in_bounded_memory(tmp_path: Path, fmt: str) -> None:
    size = 100 * (1 << 20)
    path = tmp_path / f"huge.{fmt}"
    after = {"jsonl": b'"}\n{"id": "after", "text": "The mayor opened the bridge."}\n',
             "csv": b'"\nafter,The mayor opened the bridge.\n'}
    heads = {"jsonl": b'{"id": "huge", "text": "', "csv": b'id,text\nhuge,"'}
    _write_huge(path, heads.get(fmt, b"date 2022-01-01 " if fmt == "txt" else b""),
                after.get(fmt, b"\n"), size)
    tracemalloc.start()
    try:
        items = read_all(path, max_bytes=10 * (1 << 20))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    errors = [i for i in items if isinstance(i, InputError)]
    assert errors and any(w in str(errors[0]) for w in ("limit", "not a", "no WARC header")), errors
    if fmt in after:
        assert errors[0].line == (1 if fmt == "jsonl" else 2)
        assert [i.id for i in items if isinstance(i, Article)] == ["after"]
    # The limit is 10 MiB of text (x5 for markup); 100 MB must never be loaded.
    assert peak < 80 * (1 << 20), f"peak {peak >> 20} MiB while reading a 100 MB {fmt}"


# -- odd text is kept, not mangled --------------------------------------------------

@FAST
@given(text=st.text(min_size=1, max_size=200).filter(lambda s: s.strip()))
def test_fuzz_readers_any_unicode_round_trips_through_jsonl(text: str) -> None:
    line = json.dumps({"id": "u", "text": text})  # lone surrogates escaped as \udXXX
    with tempfile.TemporaryDirectory() as tmp:
        items = read_all(write(tmp, "a.jsonl", line.encode() + b"\n"))
    assert len(items) == 1
    if isinstance(items[0], Article):
        assert items[0].text == without_surrogates(text).strip()
        items[0].text.encode("utf-8")  # no lone surrogate reaches the coder


def test_fuzz_readers_gzip_bomb_like_warc_is_bounded(tmp_path: Path) -> None:
    """A small .warc.gz that inflates to 200 MB of zeros: refused, not inflated whole."""
    path = tmp_path / "bomb.warc.gz"
    with gzip.open(path, "wb") as out:
        for _ in range(200):
            out.write(b"\0" * (1 << 20))
    start = time.monotonic()
    items = read_all(path)
    assert time.monotonic() - start < READ_BUDGET
    assert len(items) == 1 and isinstance(items[0], InputError)
