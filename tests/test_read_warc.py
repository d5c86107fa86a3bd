"""WARC reader: HTML responses of a crawl written here with warcio's WARCWriter."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from eventwire.errors import InputError
from eventwire.read import read_path
from eventwire.records import Article


def _page(headline: str, sentence: str, date: str | None) -> bytes:
    meta = f'<meta property="article:published_time" content="{date}">' if date else ""
    paras = "".join(f"<p>{sentence} Paragraph {i} adds more detail for the reader here.</p>"
                    for i in range(3))
    return (f"<html><head><title>{headline}</title>"
            f'<meta property="og:site_name" content="Harbour Times">{meta}</head>'
            f"<body><article><h1>{headline}</h1>{paras}</article></body></html>").encode()


PAGES = [
    ("https://harbour.example.org/a/1", _page(
        "Navy escorts grain ships",
        "Naval vessels escorted a convoy of grain ships through the strait on Monday.",
        "2023-08-07")),
    ("https://harbour.example.org/a/2", _page(
        "Unions call general strike",
        "Three unions called a general strike over pension cuts, their leaders said.",
        None)),  # no date in the page: WARC-Date is used
    ("https://harbour.example.org/a/3", _page(
        "Envoy recalled",
        "The government recalled its envoy after a row over fishing rights.",
        "2023-08-09")),
]


def _http(body: bytes, ctype: str) -> StatusAndHeaders:
    return StatusAndHeaders("200 OK", [("Content-Type", ctype),
                                       ("Content-Length", str(len(body)))],
                            protocol="HTTP/1.1")


def make_warc(gz: bool) -> tuple[bytes, list[str], list[int]]:
    """A small crawl: warcinfo, a request, three HTML pages, an image, a
    redirect. Returns the bytes, the page record ids and their offsets."""
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=gz)
    writer.write_record(writer.create_warcinfo_record("crawl.warc", {"software": "test"}))
    ids, offsets = [], []
    for n, (uri, body) in enumerate(PAGES):
        req = writer.create_warc_record(
            uri, "request", payload=io.BytesIO(b""),
            http_headers=StatusAndHeaders(f"GET /a/{n + 1} HTTP/1.1",
                                          [("Host", "harbour.example.org")],
                                          is_http_request=True))
        writer.write_record(req)
        rec = writer.create_warc_record(
            uri, "response", payload=io.BytesIO(body),
            http_headers=_http(body, "text/html; charset=utf-8"),
            warc_headers_dict={"WARC-Date": f"2023-08-{10 + n:02d}T12:00:00Z"})
        offsets.append(buf.tell())
        ids.append(rec.rec_headers.get_header("WARC-Record-ID").strip("<>"))
        writer.write_record(rec)
        if n == 0:
            png = b"\x89PNG\r\n\x1a\n" + bytes(64)
            writer.write_record(writer.create_warc_record(
                "https://harbour.example.org/logo.png", "response", payload=io.BytesIO(png),
                http_headers=_http(png, "image/png")))
            writer.write_record(writer.create_warc_record(
                "https://harbour.example.org/old", "response", payload=io.BytesIO(b""),
                http_headers=StatusAndHeaders("301 Moved", [("Location", "/a/1")],
                                              protocol="HTTP/1.1")))
    return buf.getvalue(), ids, offsets


SUFFIX = {False: "crawl.warc", True: "crawl.warc.gz"}


@pytest.mark.parametrize("gz", [False, True])
def test_read_warc_html_responses_become_articles(tmp_path: Path, gz: bool) -> None:
    data, ids, offsets = make_warc(gz)
    path = tmp_path / SUFFIX[gz]
    path.write_bytes(data)
    items = list(read_path(path))
    assert all(isinstance(i, Article) for i in items), items
    arts = [i for i in items if isinstance(i, Article)]
    assert [a.id for a in arts] == ids
    assert [a.url for a in arts] == [uri for uri, _ in PAGES]
    # Page dates where the page has one, else the crawl date.
    assert [a.date for a in arts] == ["2023-08-07", "2023-08-11", "2023-08-09"]
    assert {a.outlet for a in arts} == {"Harbour Times"}
    assert arts[0].title == "Navy escorts grain ships"
    assert "escorted a convoy of grain ships" in arts[0].text
    assert [a.origin for a in arts] == [f"{path}@{o}" for o in offsets]


@pytest.mark.parametrize("gz", [False, True])
@pytest.mark.parametrize("where", [0.1, 0.5, 0.9])
def test_read_warc_truncated_names_offset_after_good_records(
    tmp_path: Path, gz: bool, where: float
) -> None:
    data, ids, offsets = make_warc(gz)
    end = len(data)
    # Cut inside the third page's record: headers, middle or tail of it.
    cut = offsets[2] + int((end - offsets[2]) * where)
    path = tmp_path / SUFFIX[gz]
    path.write_bytes(data[:cut])
    items = list(read_path(path))
    assert [i.id for i in items if isinstance(i, Article)] == ids[:2]
    err = items[-1]
    assert isinstance(err, InputError)
    assert str(path) in str(err)
    assert f"byte offset {offsets[2]}" in str(err)
    with pytest.raises(InputError, match="byte offset"):
        list(read_path(path, strict=True))


@pytest.mark.parametrize(
    ("data", "needle"),
    [
        (b"", "empty WARC file"),
        (b"this is a plain text file, not an archive\n", "record at byte offset 0: not a WARC record"),
        (b"hello\nworld\n", "corrupt or truncated WARC at byte offset 0"),
        (b"\x1f\x8b\x08\x00garbage that is not gzip", "at byte offset 0"),
        (b"WARC/1.0\r\nWARC-Type: resp", "byte offset 0"),
    ],
)
def test_read_warc_not_an_archive(tmp_path: Path, data: bytes, needle: str) -> None:
    path = tmp_path / "x.warc"
    path.write_bytes(data)
    [err] = list(read_path(path))
    assert isinstance(err, InputError)
    assert needle in str(err)


def test_read_warc_page_over_limit_skipped(tmp_path: Path) -> None:
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=True)
    for uri, body in PAGES[:2]:
        body = body if uri.endswith("/2") else body.replace(b"</article>", b"x " * 5000 + b"</article>")
        writer.write_record(writer.create_warc_record(
            uri, "response", payload=io.BytesIO(body), http_headers=_http(body, "text/html")))
    path = tmp_path / "big.warc.gz"
    path.write_bytes(buf.getvalue())
    items = list(read_path(path, max_bytes=1000))
    assert isinstance(items[0], InputError) and "5000-byte limit" in str(items[0])
    assert "harbour.example.org/a/1" in str(items[0])
    assert isinstance(items[1], Article) and items[1].url.endswith("/a/2")
