"""Updates and corrections (issue 16, item 1) on the built sample site: the
"Cập nhật" line, the "Đính chính" box, /dinh-chinh/, JSON-LD, Atom (read with
feedparser), the JSON Feed and the sitemap; the rules as pure pairs."""

from __future__ import annotations

import json
from datetime import datetime
from types import SimpleNamespace
from xml.etree import ElementTree

import feedparser
import pytest
from helpers import page

from bulletin.content.desk import check_correction

CORRECTED = "tin-tuc/2024/kiem-tra-cong-tac-bao-ve-moi-truong-tai-cac-doanh-nghiep-kcn-thanh-binh/"
PUBLISHED = "2024-05-23T09:00:00+07:00"
MODIFIED = "2024-05-24T10:15:00+07:00"


def json_ld(soup) -> dict:
    return json.loads(soup.find("script", type="application/ld+json").string)


def test_article_shows_the_update_under_the_byline(sample_site):
    meta = page(sample_site, CORRECTED).select_one(".article__meta")
    updated = meta.select_one(".article__updated")
    assert updated.get_text(" ", strip=True) == "Cập nhật: Thứ Sáu, 24/05/2024 10:15"
    assert updated.time["datetime"] == MODIFIED
    # After the byline; the published date stays first.
    assert meta.find("time")["datetime"] == PUBLISHED
    assert meta.select_one(".byline").find_next(class_="article__updated") is updated


def test_correction_box_at_the_top_with_its_date(sample_site):
    article = page(sample_site, CORRECTED).select_one("article.article")
    box = article.select_one("aside.correction")
    assert box is not None
    # Before the body: the first thing read after the header.
    assert box.find_next(class_="article__body") is not None
    heading = box.find(id=box["aria-labelledby"])
    assert heading.name == "h2" and heading.get_text(" ", strip=True).startswith("Đính chính")
    assert box.time["datetime"] == MODIFIED
    text = box.select_one(".correction__text")
    assert text.strong.get_text() == "ngày 30/6/2024"  # Markdown rendered
    assert box.select_one(".correction__more a")["href"].endswith("dinh-chinh/")


def test_uncorrected_articles_have_no_box(sample_site):
    soup = page(sample_site, "tin-tuc/2023/phat-dong-phong-trao-thi-dua-nam-2023/")
    assert soup.select_one("aside.correction") is None
    assert soup.select_one(".article__updated") is None
    assert "correction" not in json_ld(soup)


def test_json_ld_date_modified_and_correction(sample_site):
    data = json_ld(page(sample_site, CORRECTED))
    assert data["datePublished"] == PUBLISHED
    assert data["dateModified"] == MODIFIED
    correction = data["correction"]
    assert correction["@type"] == "CorrectionComment"
    assert correction["datePublished"] == MODIFIED
    assert "ngày 30/6/2024" in correction["text"] and "<" not in correction["text"]


def test_corrections_page_lists_every_corrected_article(sample_site):
    soup = page(sample_site, "dinh-chinh/")
    assert soup.h1.get_text(strip=True) == "Đính chính"
    items = soup.select(".corrections__item")
    assert [i.a["href"].lstrip("./") for i in items] == [CORRECTED.lstrip("./")]
    assert items[0].time["datetime"] == MODIFIED
    assert "ngày 30/6/2024" in items[0].select_one(".corrections__text").get_text()


def test_atom_keeps_published_and_id_and_order(sample_site):
    feed = feedparser.parse((sample_site / "feeds" / "all.atom.xml").read_bytes())
    assert not feed.bozo, feed.bozo_exception
    entry = next(e for e in feed.entries if e.link.endswith(CORRECTED))
    assert entry.published == PUBLISHED
    assert entry.updated == MODIFIED
    # The id is made from the original date: readers do not see a new item.
    assert "2024-05-23" in entry.id and "2024-05-24" not in entry.id
    published = [e.published_parsed for e in feed.entries]
    assert published == sorted(published, reverse=True)  # by Date, not by Modified


def test_json_feed_and_sitemap_carry_the_update(sample_site):
    items = json.loads((sample_site / "feeds" / "all.json").read_text(encoding="utf-8"))["items"]
    item = next(i for i in items if i["url"].endswith(CORRECTED))
    assert (item["date_published"], item["date_modified"]) == (PUBLISHED, MODIFIED)
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    root = ElementTree.parse(sample_site / "sitemap.xml").getroot()
    urls = {u.findtext("s:loc", namespaces=ns): u for u in root.findall("s:url", ns)}
    entry = next(u for loc, u in urls.items() if loc.endswith(CORRECTED))
    assert entry.findtext("s:lastmod", namespaces=ns) == MODIFIED


def test_listings_keep_the_original_position(sample_site):
    # The corrected article sits at its Date among the others (an update
    # does not bring it to the top): listings are ordered by Date alone.
    for url, listing in (("", ".home__news"), ("nam/2024/", "main")):
        soup = page(sample_site, url)
        dates = [t["datetime"] for t in soup.select(f"{listing} .card-list .card__meta time")]
        assert dates == sorted(dates, reverse=True), url
        assert MODIFIED not in dates


def source(**raw):
    lines = {key: n for n, key in enumerate(raw, start=2)}
    return SimpleNamespace(path="a.md", raw=raw, line=lambda key: lines.get(key, 1))


@pytest.mark.parametrize(
    ("raw", "metadata", "messages"),
    [
        ({"modified": "x"}, {"date": datetime(2023, 3, 9), "modified": datetime(2023, 3, 10)}, []),
        (
            {"modified": "x"},
            {"date": datetime(2023, 3, 9), "modified": datetime(2023, 3, 8)},
            ["trước ngày đăng"],
        ),
        ({"correction": "Sửa tên."}, {"date": datetime(2023, 3, 9)}, ["không có ngày cập nhật"]),
        (
            {"modified": "x", "correction": "Sửa."},
            {"date": datetime(2023, 3, 9), "modified": datetime(2023, 3, 9)},
            [],
        ),
    ],
)
def test_correction_rules(raw, metadata, messages):
    problems = check_correction(source(**raw), metadata)
    assert len(problems) == len(messages)
    for problem, message in zip(problems, messages, strict=True):
        assert message in problem.message and problem.hint


def test_footer_and_site_map_link_the_corrections_page(sample_site):
    """Readers find /dinh-chinh/ from every page's footer and from /so-do-trang/."""
    target = (sample_site / "dinh-chinh" / "index.html").resolve()
    for url, links in (("", ".site-footer__links a"), ("so-do-trang/", ".site-map a")):
        soup = page(sample_site, url)
        found = [a for a in soup.select(links) if a.get_text(strip=True).startswith("Đính chính")]
        assert len(found) == 1, url
        href = found[0]["href"]
        assert (sample_site / url / href / "index.html").resolve() == target, href
    article = page(sample_site, CORRECTED.lstrip("./"))
    footer = [a.get_text(strip=True) for a in article.select(".site-footer__links a")]
    assert "Đính chính" in footer
