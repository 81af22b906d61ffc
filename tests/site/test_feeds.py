"""``/feeds/all.json`` (bulletin.site.feeds): JSON Feed 1.1 (https://jsonfeed.org/version/1.1),
read from the built fixture site and checked against the spec and against the
site's own article pages; the pure ``json_feed`` with a stand-in generator."""

from __future__ import annotations

import json
import re
from datetime import datetime
from types import SimpleNamespace
from urllib.parse import urljoin, urlparse
from xml.etree import ElementTree

import pytest
from bs4 import BeautifulSoup
from helpers import FIXTURE_PUBLISHED, page

import pelicanconf
from bulletin.content.vietnamese import TIMEZONE
from bulletin.site.feeds import json_feed

SITEURL = pelicanconf.SITEURL
# The spec's members; extensions would start with "_" (none are used).
FEED_KEYS = {
    "version",
    "title",
    "home_page_url",
    "feed_url",
    "description",
    "user_comment",
    "next_url",
    "icon",
    "favicon",
    "authors",
    "language",
    "expired",
    "hubs",
    "items",
}
ITEM_KEYS = {
    "id",
    "url",
    "external_url",
    "title",
    "content_html",
    "content_text",
    "summary",
    "image",
    "banner_image",
    "date_published",
    "date_modified",
    "authors",
    "tags",
    "language",
    "attachments",
}
# RFC 3339, always in Vietnam time.
DATE = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00")


@pytest.fixture(scope="module")
def feed(fixture_site) -> dict:
    return json.loads((fixture_site / "feeds" / "all.json").read_text(encoding="utf-8"))


def relative(url: str) -> str:
    assert url.startswith(SITEURL + "/"), url
    return url.removeprefix(SITEURL + "/")


def words(html: str) -> str:
    return " ".join(BeautifulSoup(html, "html.parser").get_text(" ").split())


# --- the feed of the fixture site ------------------------------------------------------


def test_feed_has_the_required_top_level_members(fixture_site, feed):
    assert set(feed) <= FEED_KEYS
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["title"] == pelicanconf.SITENAME
    assert isinstance(feed["items"], list)
    assert feed["home_page_url"] == f"{SITEURL}/"
    assert feed["feed_url"] == f"{SITEURL}/{pelicanconf.FEED_ALL_JSON}"
    assert (fixture_site / relative(feed["feed_url"])).is_file()
    assert feed["language"] == "vi"
    assert feed["description"] == pelicanconf.SITESUBTITLE


def test_feed_file_is_utf8_json_without_escaped_vietnamese(fixture_site):
    text = (fixture_site / "feeds" / "all.json").read_text(encoding="utf-8")
    assert "Bản tin" in text
    assert "\\u" not in text  # readable, and the same bytes on every machine
    assert text.endswith("}\n")


def test_feed_carries_only_published_articles_newest_first(feed):
    assert [relative(item["url"]) for item in feed["items"]] == FIXTURE_PUBLISHED
    published = [datetime.fromisoformat(item["date_published"]) for item in feed["items"]]
    assert published == sorted(published, reverse=True)


def test_feed_has_the_same_items_as_the_atom_feed(fixture_site, feed):
    atom = "{http://www.w3.org/2005/Atom}"
    root = ElementTree.parse(fixture_site / "feeds" / "all.atom.xml").getroot()
    links = [entry.find(atom + "link").get("href") for entry in root.iter(atom + "entry")]
    assert [item["url"] for item in feed["items"]] == links


def test_item_members_follow_the_spec(feed):
    for item in feed["items"]:
        assert set(item) <= ITEM_KEYS, item["id"]
        assert isinstance(item["id"], str) and item["id"]
        assert isinstance(item["content_html"], str) and item["content_html"]
        assert DATE.fullmatch(item["date_published"]), item["date_published"]
        if "date_modified" in item:
            assert DATE.fullmatch(item["date_modified"])
            assert item["date_modified"] >= item["date_published"]
        assert item["authors"] and all(set(a) == {"name", "url"} for a in item["authors"])
        assert all(isinstance(tag, str) and tag for tag in item["tags"])
        assert item["language"] == "vi"


def test_item_id_is_the_article_permanent_address(fixture_site, feed):
    """Readers remember items by id: it is the article's canonical URL,
    which never moves (tests/permalinks.txt), not a position or a build date."""
    for item in feed["items"]:
        assert item["id"] == item["url"]
        canonical = page(fixture_site, relative(item["url"])).find("link", rel="canonical")
        assert item["id"] == canonical["href"]


def test_item_dates_are_the_article_page_dates(fixture_site, feed):
    for item in feed["items"]:
        soup = page(fixture_site, relative(item["url"]))
        published = soup.find("meta", property="article:published_time")["content"]
        assert item["date_published"] == published
        data = json.loads(soup.find("script", type="application/ld+json").string)
        assert item.get("date_modified", item["date_published"]) == data["dateModified"]


def test_item_title_and_summary_are_plain_text(fixture_site, feed):
    titles = {}
    for item in feed["items"]:
        soup = page(fixture_site, relative(item["url"]))
        assert item["title"] == soup.find("meta", property="og:title")["content"]
        assert item["summary"] == soup.find("meta", attrs={"name": "description"})["content"]
        for text in (item["title"], item["summary"]):
            assert "&amp;" not in text and "&nbsp;" not in text and "\xa0" not in text
            assert "<span" not in text
        titles[relative(item["url"])] = item["title"]
    # The title with markup in it stays text: no tag, no entity.
    assert titles["tin-tuc/2024/canh-giac-lua-dao/"] == (
        "Cảnh giác với <script>alert(“x”)</script> & “lừa đảo” trực tuyến"
    )


def test_item_content_html_is_the_article_body(fixture_site, feed):
    for item in feed["items"]:
        soup = page(fixture_site, relative(item["url"]))
        body = soup.select_one("article .article__body")
        assert words(item["content_html"]) == words(body.decode_contents())
        assert not BeautifulSoup(item["content_html"], "html.parser").find("script")


def test_item_authors_are_the_article_bylines(fixture_site, feed):
    for item in feed["items"]:
        soup = page(fixture_site, relative(item["url"]))
        base = item["url"]
        bylines = [
            {"name": a.get_text(strip=True), "url": urljoin(base, a["href"])}
            for a in soup.select(".article__signature .byline__author")
        ]
        assert item["authors"] == bylines
        for author in item["authors"]:
            assert (fixture_site / relative(author["url"]) / "index.html").is_file()


def test_item_tags_are_the_article_tags_then_movements(feed):
    tags = {relative(item["url"]): item["tags"] for item in feed["items"]}
    assert tags["tin-tuc/2023/phat-dong-phong-trao-thi-dua-nam-2023/"] == [
        "thi đua",
        "Đoàn thanh niên",
        "Bắc Kạn đẩy mạnh chuyển đổi số",
        "Cán bộ, công chức, viên chức thi đua thực hiện văn hóa công sở",
    ]
    assert tags["tin-tuc/2023/hoi-nghi-tong-ket-cong-tac-nam-2023/"] == [
        "Bắc Kạn đẩy mạnh chuyển đổi số"
    ]


def test_item_content_html_links_and_photos_are_absolute_and_exist(fixture_site, feed):
    html = "".join(item["content_html"] for item in feed["items"])
    urls = re.findall(r'(?:src|href)="([^"]+)"', html)
    urls += [c.split()[0] for s in re.findall(r'srcset="([^"]+)"', html) for c in s.split(",")]
    assert urls  # the fixture's photo
    for url in urls:
        assert url.startswith(SITEURL + "/"), url
        assert (fixture_site / urlparse(url).path.lstrip("/")).is_file(), url


def test_home_page_advertises_the_json_feed(fixture_site):
    link = page(fixture_site, "").find("link", type="application/feed+json")
    assert link is not None
    assert urljoin(f"{SITEURL}/", link["href"]) == f"{SITEURL}/{pelicanconf.FEED_ALL_JSON}"


# --- json_feed with a stand-in generator -----------------------------------------------


def _article(slug: str, title: str, body: str, **extra):
    return SimpleNamespace(
        url=f"tin-tuc/2024/{slug}/",
        title=title,
        summary=f"<p>{body}</p>",
        get_content=lambda siteurl: f"<p>{body}</p>",
        date=datetime(2024, 5, 2, 10, 0, tzinfo=TIMEZONE),
        authors=[SimpleNamespace(name="Minh Đức", url="tac-gia/minh-duc/")],
        tags=[],
        movements=[],
        **extra,
    )


def _generator(*articles, max_items=20):
    settings = {
        "SITEURL": "https://bantin.example/",
        "SITENAME": "Bản tin",
        "FEED_MAX_ITEMS": max_items,
    }
    return SimpleNamespace(settings=settings, articles=list(articles))


def test_an_item_id_survives_edits_to_the_article():
    before = json_feed(_generator(_article("a", "Tiêu đề", "Thân bài")), "feeds/all.json")
    edited = _article(
        "a",
        "Tiêu đề mới",
        "Thân bài đã sửa",
        modified=datetime(2024, 6, 1, 8, 0, tzinfo=TIMEZONE),
    )
    after = json_feed(_generator(edited), "feeds/all.json")
    assert before["items"][0]["id"] == after["items"][0]["id"]
    assert after["items"][0]["id"] == "https://bantin.example/tin-tuc/2024/a/"
    assert "date_modified" not in before["items"][0]
    assert after["items"][0]["date_modified"] == "2024-06-01T08:00:00+07:00"


@pytest.mark.parametrize(("max_items", "count"), [(2, 2), (None, 3), (0, 0)])
def test_the_feed_is_cut_where_pelican_cuts_the_atom_feed(max_items, count):
    articles = [_article(slug, slug, slug) for slug in ("a", "b", "c")]
    feed = json_feed(_generator(*articles, max_items=max_items), "feeds/all.json")
    assert [item["url"] for item in feed["items"]] == [
        f"https://bantin.example/tin-tuc/2024/{slug}/" for slug in ("a", "b", "c")[:count]
    ]
