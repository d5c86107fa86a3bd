"""RSS/Atom reader: feed entries become articles, by feedparser, on feeds written here."""

from __future__ import annotations

from pathlib import Path

import pytest

from eventwire.errors import InputError
from eventwire.read import read_path
from eventwire.records import Article

RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel>
  <title>Valley Courier</title>
  <link>https://courier.example.com/</link>
  <description>Regional news</description>
  <item>
    <title>Mayor meets striking nurses</title>
    <link>https://courier.example.com/n/101</link>
    <guid isPermaLink="false">courier-101</guid>
    <pubDate>Tue, 05 Mar 2024 16:45:00 +0100</pubDate>
    <description>Short teaser.</description>
    <content:encoded><![CDATA[<p>The mayor met <b>striking nurses</b> outside the hospital.</p>
      <p>She promised a new pay offer &amp; more staff.</p><script>track()</script>]]></content:encoded>
  </item>
  <item>
    <title>Bridge reopens</title>
    <link>https://courier.example.com/n/102</link>
    <pubDate>Wed, 06 Mar 2024 23:30:00 -0500</pubDate>
    <description>&lt;p&gt;Engineers reopened the river bridge after repairs.&lt;/p&gt;</description>
  </item>
  {extra}
</channel>
</rss>
"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Coastal Wire</title>
  <id>urn:example:coastal</id>
  <updated>2024-05-02T10:00:00Z</updated>
  <entry>
    <title>Ferry workers end walkout</title>
    <id>urn:example:coastal:1</id>
    <link href="https://coastal.example.org/1"/>
    <updated>2024-05-02T09:00:00Z</updated>
    <published>2024-05-01T22:10:00Z</published>
    <content type="html">&lt;p&gt;Ferry workers ended a two-day walkout after a deal.&lt;/p&gt;</content>
  </entry>
  <entry>
    <title>Storm warning</title>
    <id>urn:example:coastal:2</id>
    <updated>2024-05-02T09:30:00Z</updated>
    <summary>Forecasters warned of a storm on the coast.</summary>
  </entry>
</feed>
"""


def _read(tmp_path: Path, data: str | bytes, name: str = "courier.rss") -> list[object]:
    path = tmp_path / name
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return list(read_path(path))


@pytest.mark.parametrize("name", ["courier.rss", "courier.xml"])
def test_read_feed_rss_entries(tmp_path: Path, name: str) -> None:
    items = _read(tmp_path, RSS.format(extra=""), name)
    assert all(isinstance(i, Article) for i in items), items
    a, b = items
    assert isinstance(a, Article) and isinstance(b, Article)
    assert a.id == "courier-101"
    assert a.text == ("The mayor met striking nurses outside the hospital.\n\n"
                      "She promised a new pay offer & more staff.")
    assert (a.title, a.url, a.outlet) == (
        "Mayor meets striking nurses", "https://courier.example.com/n/101", "Valley Courier")
    # The publisher's own date: 23:30 at -05:00 is still March 6 there
    # (March 7 in UTC), as an ISO timestamp keeps its date part elsewhere.
    assert a.date == "2024-03-05"
    assert b.date == "2024-03-06"
    assert b.id == "https://courier.example.com/n/102"  # no guid: the link
    assert b.text == "Engineers reopened the river bridge after repairs."
    assert a.origin == f"{tmp_path / name}#entry1"


def test_read_feed_atom_entries(tmp_path: Path) -> None:
    items = _read(tmp_path, ATOM, "coastal.atom")
    assert [getattr(i, "id", None) for i in items] == [
        "urn:example:coastal:1", "urn:example:coastal:2"]
    a, b = items
    assert isinstance(a, Article) and isinstance(b, Article)
    assert (a.date, a.outlet, a.url) == ("2024-05-01", "Coastal Wire", "https://coastal.example.org/1")
    assert a.text == "Ferry workers ended a two-day walkout after a deal."
    assert (b.date, b.text) == ("2024-05-02", "Forecasters warned of a storm on the coast.")


@pytest.mark.parametrize(
    ("extra", "needle", "field"),
    [
        ("<item><title>Empty</title><guid>e1</guid></item>", "entry 3 (e1): no text", None),
        ("<item><guid>d1</guid><description>Text.</description>"
         "<pubDate>Mon, 31 Feb 2022 99:00:00 GMT</pubDate></item>",
         "entry 3 (d1): unreadable published date", "date"),
        ("<item><guid>courier-101</guid><description>Again.</description></item>",
         "duplicate id 'courier-101' (first at entry 1)", "id"),
    ],
)
def test_read_feed_bad_entry_reported_others_read(
    tmp_path: Path, extra: str, needle: str, field: str | None
) -> None:
    items = _read(tmp_path, RSS.format(extra=extra))
    assert [type(i).__name__ for i in items] == ["Article", "Article", "InputError"]
    err = items[2]
    assert isinstance(err, InputError)
    assert needle in str(err) and err.field == field


@pytest.mark.parametrize(
    ("data", "needle"),
    [
        (b"", "empty file"),
        (b"<html><body><p>Just a page.</p></body></html>", "not an RSS or Atom feed"),
        (b"<?xml version='1.0'?><note><to>Ann</to></note>", "not an RSS or Atom feed"),
        (b"<rss version='2.0'><channel><title>Quiet</title></channel></rss>", "no entries"),
    ],
)
def test_read_feed_not_a_feed(tmp_path: Path, data: bytes, needle: str) -> None:
    [err] = _read(tmp_path, data)
    assert isinstance(err, InputError)
    assert needle in str(err)


def test_read_feed_truncated_xml_keeps_entries_and_reports(tmp_path: Path) -> None:
    text = RSS.format(extra="")
    cut = text.index("</channel>") - 3
    items = _read(tmp_path, text[:cut])
    assert [getattr(i, "id", None) for i in items[:2]] == [
        "courier-101", "https://courier.example.com/n/102"]
    assert isinstance(items[-1], InputError)
    assert "not well-formed XML" in str(items[-1])
