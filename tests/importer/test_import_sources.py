"""What a SOURCE lists: sitemaps, feeds, listings, saved folders; bad sources."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bulletin.importer.fetch import Fetcher
from bulletin.importer.sources import SourceError, discover, parse_xml, wget_address


def test_a_sitemap_index_lists_every_page_with_lastmod(portal):
    items = discover(f"{portal.url}/sitemap.xml", Fetcher(rate=0))
    assert len(items) == 9
    assert items[0].url == f"{portal.url}/news/news?news_id=152"
    assert items[0].hints["lastmod"].isoformat(" ") == "2023-03-09 14:59:04"


def test_a_feed_gives_dates_in_vietnam_time_and_categories(portal):
    items = discover(f"{portal.url}/rss.xml", Fetcher(rate=0))
    first = items[0]
    assert first.hints["date"].isoformat(" ") == "2024-07-10 14:20:00"  # 07:20 GMT
    assert first.hints["categories"] == ["Cải cách hành chính"]


def test_an_atom_feed(tmp_path):
    atom = tmp_path / "atom.xml"
    atom.write_text(
        '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><entry>'
        "<title>Tin</title><link rel='alternate' href='http://cu.vn/tin/1'/>"
        "<published>2023-03-09T07:59:04Z</published><category term='Thi đua'/>"
        "<author><name>Thu Hà</name></author></entry></feed>",
        encoding="utf-8",
    )
    [item] = discover(str(atom), Fetcher(rate=0))
    assert item.url == "http://cu.vn/tin/1"
    assert item.hints["date"].isoformat(" ") == "2023-03-09 14:59:04"
    assert item.hints["categories"] == ["Thi đua"] and item.hints["authors"] == ["Thu Hà"]


def test_a_listing_with_follow_and_without_a_match(portal):
    items = discover(f"{portal.url}/news/list?cat=4", Fetcher(rate=0), re.compile(r"news_id="))
    assert [i.url.rsplit("=", 1)[1] for i in items] == ["152", "153", "155"]
    with pytest.raises(SourceError, match="không có liên kết nào khớp --follow"):
        discover(f"{portal.url}/news/list?cat=4", Fetcher(rate=0), re.compile("khong-co"))


@pytest.mark.parametrize(
    ("relative", "address"),
    [
        ("portal.vn/news/news@news_id=152.html", "http://portal.vn/news/news?news_id=152"),
        ("portal.vn/news/news?news_id=152", "http://portal.vn/news/news?news_id=152"),
        ("news/index.html", "/news/"),
        ("tin/a.html", "/tin/a.html"),
    ],
)
def test_wget_names_give_back_the_address(relative, address):
    root = Path("/saved")
    assert wget_address(root / relative, root) == address


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("ftp://cu.vn/sitemap.xml", "không phải địa chỉ http"),
        ("/khong/co/thu/muc", "không phải địa chỉ http"),
        ("http://127.0.0.1:9/sitemap.xml", "không tải được"),
    ],
)
def test_a_source_that_cannot_be_read_says_why(source, message):
    with pytest.raises(SourceError, match=message):
        discover(source, Fetcher(rate=0, retries=0, ignore_robots=True))


def test_xml_entities_and_dtds_are_not_read(tmp_path):
    secret = tmp_path / "bi-mat.txt"
    secret.write_text("BÍ MẬT", encoding="utf-8")
    data = (
        f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file://{secret}">]>'
        "<urlset><url><loc>http://cu.vn/&x;</loc></url></urlset>"
    ).encode()
    root = parse_xml(data)
    assert "BÍ MẬT" not in "".join(root.itertext())
