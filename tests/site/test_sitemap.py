"""``/sitemap.xml`` and ``/robots.txt`` (bulletin.site.sitemap): the files of the
built fixture site read as a search engine reads them, and the pure functions
as input → expected pairs."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from types import SimpleNamespace
from urllib.robotparser import RobotFileParser
from xml.etree import ElementTree

import pytest
from helpers import FIXTURE_PUBLISHED, page

import pelicanconf
from bulletin.content.vietnamese import TIMEZONE
from bulletin.site.sitemap import robots_txt, sitemap_entries, sitemap_xml

SITEURL = pelicanconf.SITEURL
NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
# W3C Datetime as the sitemap protocol asks, always in Vietnam time.
LASTMOD = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00")


def sitemap(output) -> list[tuple[str, str | None]]:
    """(URL relative to SITEURL, lastmod or None) of each <url>, in file order."""
    root = ElementTree.parse(output / "sitemap.xml").getroot()
    assert root.tag == NS + "urlset"
    entries = []
    for url in root:
        assert url.tag == NS + "url"
        assert {child.tag for child in url} <= {NS + "loc", NS + "lastmod"}
        loc = url.findtext(NS + "loc")
        assert loc.startswith(SITEURL + "/"), loc
        lastmod = url.findtext(NS + "lastmod")
        entries.append((loc.removeprefix(SITEURL + "/"), lastmod))
    return entries


def html_pages(output) -> set[str]:
    """The URL of every HTML page the build wrote (``x/`` for ``x/index.html``)."""
    return {
        path.relative_to(output).as_posix().removesuffix("index.html")
        for path in output.rglob("*.html")
        if "pagefind" not in path.parts
    }


# --- sitemap.xml of the fixture site ---------------------------------------------------


def test_sitemap_is_a_sitemaps_org_urlset_of_unique_absolute_urls(fixture_site):
    text = (fixture_site / "sitemap.xml").read_text(encoding="utf-8")
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    entries = sitemap(fixture_site)
    urls = [url for url, _ in entries]
    assert len(urls) == len(set(urls)), "a URL listed twice"
    assert urls[:2] == ["", "phong-trao/"]  # the home page and the movements first
    for url, lastmod in entries:
        assert lastmod is None or LASTMOD.fullmatch(lastmod), (url, lastmod)


def test_sitemap_lists_the_promised_page_types_and_nothing_else(fixture_site):
    listed = {url for url, _ in sitemap(fixture_site)}
    written = html_pages(fixture_site)
    promised = {
        url
        for url in written
        if url == ""
        or url.startswith(
            ("tin-tuc/", "phong-trao/", "nam/", "van-ban/", "dinh-chinh/", "ban-tin/")
        )
        or url in {"gioi-thieu/", "lien-he/"}  # the fixture's pages
    }
    assert listed == promised
    # Written but deliberately not listed: tags, authors, search, 404, editor.
    assert {url.split("/")[0] for url in written - listed} == {
        "chu-de",
        "tac-gia",
        "tim-kiem",
        "404.html",
        "admin",
        "so-do-trang",  # the human site map and the accessibility statement
        "tuyen-bo-tiep-can",  # (bulletin.site.mandatory_pages): no news to index
    }


def test_sitemap_lists_only_published_articles_newest_first(fixture_site):
    articles = [url for url, _ in sitemap(fixture_site) if url.startswith("tin-tuc/")]
    assert articles == FIXTURE_PUBLISHED  # no draft, no article scheduled for 2099
    assert not [url for url in html_pages(fixture_site) if "2099" in url or "ban-nhap" in url]


def test_sitemap_lastmod_of_an_article_is_its_structured_data_date(fixture_site):
    for url, lastmod in sitemap(fixture_site):
        if url.startswith("tin-tuc/"):
            script = page(fixture_site, url).find("script", type="application/ld+json")
            data = json.loads(script.string)
            assert lastmod == data["dateModified"], url


def test_sitemap_lastmod_of_a_listing_is_its_newest_article(fixture_site):
    lastmods = dict(sitemap(fixture_site))
    assert (
        lastmods[""] == lastmods["phong-trao/"] == lastmods["nam/"] == "2024-05-02T10:00:00+07:00"
    )
    assert lastmods["nam/2023/"] == "2023-12-25T08:30:00+07:00"
    assert lastmods["phong-trao/van-hoa-cong-so/"] == "2023-03-09T14:59:04+07:00"
    # A movement with no published article yet (only a draft and a scheduled
    # one) is listed without a date; pages have none.
    assert lastmods["phong-trao/dan-van-kheo/"] is None
    assert lastmods["gioi-thieu/"] is None


def test_every_sitemap_url_is_a_page_that_may_be_indexed(fixture_site):
    for url, _ in sitemap(fixture_site):
        soup = page(fixture_site, url)  # fails when the file is missing
        robots = soup.find("meta", attrs={"name": "robots"})
        assert robots is None or "noindex" not in robots["content"], url
        canonical = soup.find("link", rel="canonical")
        assert canonical is None or canonical["href"] == f"{SITEURL}/{url}", url


# --- robots.txt of the fixture site ----------------------------------------------------


def robots(output) -> RobotFileParser:
    parser = RobotFileParser()
    parser.parse((output / "robots.txt").read_text(encoding="utf-8").splitlines())
    return parser


def test_robots_txt_points_at_the_sitemap_that_was_written(fixture_site):
    assert robots(fixture_site).site_maps() == [f"{SITEURL}/sitemap.xml"]
    assert (fixture_site / "sitemap.xml").is_file()


def test_robots_txt_lets_crawlers_read_every_sitemap_url(fixture_site):
    parser = robots(fixture_site)
    for url, _ in sitemap(fixture_site):
        for agent in ("*", "Googlebot", "coccocbot-web"):
            assert parser.can_fetch(agent, f"{SITEURL}/{url}"), (agent, url)


def test_robots_txt_keeps_crawlers_out_of_draft_previews(fixture_site):
    draft = pelicanconf.DRAFT_URL.format(slug="ban-nhap-chua-dang")
    parser = robots(fixture_site)
    assert not parser.can_fetch("*", f"{SITEURL}/{draft}")
    assert not parser.can_fetch("Googlebot", f"{SITEURL}/{draft}")


# --- the pure functions ----------------------------------------------------------------


def test_sitemap_xml_escapes_urls_and_omits_an_unknown_lastmod():
    xml = sitemap_xml(
        "https://bantin.example",
        [("", "2024-05-02T10:00:00+07:00"), ("tim?a=1&b=<2>", None)],
    )
    assert xml == (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        "<url><loc>https://bantin.example/</loc>"
        "<lastmod>2024-05-02T10:00:00+07:00</lastmod></url>\n"
        "<url><loc>https://bantin.example/tim?a=1&amp;b=&lt;2&gt;</loc></url>\n"
        "</urlset>\n"
    )
    assert ElementTree.fromstring(xml.split("\n", 1)[1])  # well-formed


def test_robots_txt_text():
    assert robots_txt("https://bantin.example", "ban-nhap") == (
        "User-agent: *\nDisallow: /ban-nhap/\n\nSitemap: https://bantin.example/sitemap.xml\n"
    )


def _article(url, date, modified=None):
    return SimpleNamespace(url=url, date=date, modified=modified)


def test_sitemap_entries_order_dates_and_optional_parts():
    new = _article("tin-tuc/2024/b/", datetime(2024, 5, 2, 10, 0, tzinfo=TIMEZONE))
    # An aware date in UTC is written in Vietnam time; a modified date wins.
    old = _article(
        "tin-tuc/2023/a/",
        datetime(2023, 3, 9, 7, 59, 4, tzinfo=UTC),
        modified=datetime(2024, 1, 2, 8, 0, tzinfo=TIMEZONE),
    )
    year_2024 = SimpleNamespace(url="phong-trao/m/2024/", articles=[new])
    year_2023 = SimpleNamespace(url="phong-trao/m/2023/", articles=[old])
    context = {
        "articles": [new, old],
        "pages": [SimpleNamespace(url="lien-he/"), SimpleNamespace(url="gioi-thieu/")],
        "movements": [
            SimpleNamespace(url="phong-trao/m/", articles=[new, old], years=[year_2024, year_2023]),
            SimpleNamespace(url="phong-trao/trong/", articles=[], years=[]),
        ],
        "period_archives": {"year": [{"url": "nam/2024/", "articles": [new]}]},
    }
    settings = {"MOVEMENTS_URL": "phong-trao/", "ARCHIVES_SAVE_AS": "", "ARCHIVES_URL": "nam/"}
    newest = "2024-05-02T10:00:00+07:00"
    assert sitemap_entries(context, settings) == [
        ("", newest),
        ("phong-trao/", newest),
        ("tin-tuc/2024/b/", newest),
        ("tin-tuc/2023/a/", "2024-01-02T08:00:00+07:00"),
        ("gioi-thieu/", None),  # pages by URL
        ("lien-he/", None),
        ("phong-trao/m/", newest),
        ("phong-trao/m/2024/", newest),
        ("phong-trao/m/2023/", "2023-03-09T14:59:04+07:00"),
        ("phong-trao/trong/", None),
        # no archives index: ARCHIVES_SAVE_AS is empty
        ("nam/2024/", newest),
    ]


@pytest.mark.parametrize("save_as", ["nam/index.html", ""])
def test_an_empty_site_has_a_sitemap_of_its_home_page(save_as):
    settings = {"MOVEMENTS_URL": "phong-trao/", "ARCHIVES_SAVE_AS": save_as, "ARCHIVES_URL": "nam/"}
    expected = [("", None), ("phong-trao/", None)] + ([("nam/", None)] if save_as else [])
    assert sitemap_entries({}, settings) == expected
