"""Readers never raise on arbitrary bytes: each result is an Article or an InputError."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eventwire.errors import InputError
from eventwire.read import read_path
from eventwire.records import Article

# Bytes that look a little like each format, mixed with noise, so the
# generator reaches past the first-byte checks.
SEEDS = [b"", b"{", b'{"text": "a", "date": "', b"id,text,date\n", b"date 2020-01-01 ",
         b"\xef\xbb\xbf", b"\xff\xfe", b"<html><body><p>", b"<rss version='2.0'><channel><item>",
         b"WARC/1.0\r\nWARC-Type: response\r\n", b"\x1f\x8b\x08\x00", b"\x00", b"\n", b'"']
NAMES = ["x.txt", "x.jsonl", "x.csv", "x.tsv", "x.html", "x.warc", "x.warc.gz", "x.rss"]

chunks = st.one_of(st.sampled_from(SEEDS), st.binary(max_size=40),
                   st.text(max_size=40).map(lambda s: s.encode("utf-8")))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.sampled_from(NAMES), parts=st.lists(chunks, max_size=8))
def test_read_any_bytes_never_raise(name: str, parts: list[bytes]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(b"".join(parts))
        items = list(read_path(path, max_bytes=4096))
    for item in items:
        assert isinstance(item, Article | InputError)
        if isinstance(item, InputError):
            assert str(path) in str(item)
        else:
            assert item.text.strip()
            assert item.date is None or len(item.date) == 10
