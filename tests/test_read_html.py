"""HTML reader: main text and metadata by trafilatura, on pages written here."""

from __future__ import annotations

from pathlib import Path

import pytest

from eventwire.errors import InputError
from eventwire.read import read_path
from eventwire.records import Article

PARAS = [
    "The interior ministers of two neighbouring states met in a border town on Tuesday "
    "to discuss a wave of smuggling along their shared frontier, officials said.",
    "Both sides agreed to set up joint patrols and to share customs data every week, "
    "according to a statement issued after the talks.",
    "A follow-up meeting is planned for the autumn, the statement added.",
]


def page(title: str = "Ministers agree joint border patrols", *, date: str | None = "2024-04-16",
         site: str | None = "Frontier Herald",
         canonical: str | None = "https://herald.example.net/2024/04/patrols",
         paras: list[str] = PARAS) -> str:
    meta = []
    if site:
        meta.append(f'<meta property="og:site_name" content="{site}">')
    if date:
        meta.append(f'<meta property="article:published_time" content="{date}T08:15:00Z">')
    if canonical:
        meta.append(f'<link rel="canonical" href="{canonical}">')
    body = "".join(f"<p>{p}</p>" for p in paras)
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title} | {site}</title>"
            f"{''.join(meta)}</head><body><nav><a href='/'>Home</a> | <a href='/w'>World</a>"
            f"</nav><article><h1>{title}</h1>{body}</article>"
            "<footer>Contact us. All rights reserved.</footer></body></html>")


def _read(tmp_path: Path, data: str | bytes, name: str = "patrols.html") -> list[object]:
    path = tmp_path / name
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return list(read_path(path))


@pytest.mark.parametrize("name", ["patrols.html", "patrols.htm", "patrols.HTML"])
def test_read_html_main_text_and_metadata(tmp_path: Path, name: str) -> None:
    [art] = _read(tmp_path, page(), name)
    assert isinstance(art, Article)
    assert art.id == "patrols"
    assert art.title == "Ministers agree joint border patrols"
    assert art.date == "2024-04-16"
    assert art.outlet == "Frontier Herald"
    assert art.url == "https://herald.example.net/2024/04/patrols"
    assert art.origin == str(tmp_path / name)
    for para in PARAS:
        assert para in art.text
    # Boilerplate is dropped; paragraphs are separated by a blank line.
    assert "All rights reserved" not in art.text and "Home" not in art.text
    assert f"{PARAS[0]}\n\n{PARAS[1]}" in art.text


def test_read_html_without_metadata(tmp_path: Path) -> None:
    [art] = _read(tmp_path, page(date=None, site=None, canonical=None))
    assert isinstance(art, Article)
    assert art.url is None and art.outlet is None
    assert PARAS[1] in art.text


def test_read_html_legacy_charset(tmp_path: Path) -> None:
    text = "Le ministre a rencontré son homologue à Genève pour parler de sécurité régionale."
    html = page(paras=[text * 2, PARAS[1]]).replace("charset='utf-8'", "charset='iso-8859-1'")
    [art] = _read(tmp_path, html.encode("latin-1"))
    assert isinstance(art, Article)
    assert "rencontré son homologue à Genève" in art.text


@pytest.mark.parametrize(
    ("data", "needle"),
    [
        (b"", "empty page"),
        (b"   \n", "empty page"),
        (b"<html><head><title>x</title></head><body></body></html>", "no main text"),
        (b"<html><body><script>var a = 1;</script><img src='x.png'></body></html>", "no main text"),
    ],
)
def test_read_html_no_text_is_an_error(tmp_path: Path, data: bytes, needle: str) -> None:
    [err] = _read(tmp_path, data)
    assert isinstance(err, InputError)
    assert needle in str(err)
    assert str(tmp_path / "patrols.html") in str(err)


def test_read_html_too_large(tmp_path: Path) -> None:
    path = tmp_path / "big.html"
    path.write_text(page(paras=PARAS * 20))
    [err] = list(read_path(path, max_bytes=500))  # markup limit: 5 x 500 bytes
    assert isinstance(err, InputError)
    assert "2500-byte limit" in str(err)
