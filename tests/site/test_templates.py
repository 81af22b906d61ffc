"""Theme components rendered on their own: tags, attributes and escaping.

Each test renders one macro of ``theme/templates/partials/macros.html`` (or a
page template over a small context) in a Jinja environment made as Pelican
makes it: the project's settings, its ``JINJA_ENVIRONMENT`` and filters, and
Pelican's own ``Paginator`` for the pages of a list. The whole pages are
proved byte-identical by ``bench/manifest.py``; these say what each
component promises, one promise per test.
"""

from __future__ import annotations

from datetime import datetime
from types import SimpleNamespace

import pytest
from bs4 import BeautifulSoup
from helpers import ROOT
from jinja2 import Environment, FileSystemLoader
from pelican.paginator import Paginator
from pelican.settings import read_settings

from bulletin.content.vietnamese import FILTERS, TIMEZONE
from bulletin.site.pagination import page_window

HOSTILE = '<b>"Xanh" & sạch</b>'


@pytest.fixture(scope="module")
def settings():
    return {**read_settings(str(ROOT / "pelicanconf.py")), "SITEURL": ""}


@pytest.fixture(scope="module")
def env(settings):
    environment = Environment(
        loader=FileSystemLoader(str(ROOT / "theme" / "templates")),
        **settings["JINJA_ENVIRONMENT"],
    )
    environment.filters.update(FILTERS)
    environment.filters["page_window"] = page_window
    environment.globals.update(settings)
    return environment


def macro(env, name):
    return getattr(env.get_template("partials/macros.html").make_module(), name)


def soup(html) -> BeautifulSoup:
    return BeautifulSoup(str(html), "html.parser")


def listing_page(settings, number, pages, url="chu-de/xanh/"):
    """Page ``number`` of a list of ``pages`` pages, by Pelican's Paginator."""
    paginator = Paginator(url + "index.html", url, list(range(pages * 10)), settings, 10)
    return paginator.page(number)


def neighbours(page):
    previous = page.paginator.page(page.number - 1) if page.has_previous() else None
    following = page.paginator.page(page.number + 1) if page.has_next() else None
    return previous, following


# --- pagination -----------------------------------------------------------------


def test_pagination_is_nothing_for_one_page(env, settings):
    page = listing_page(settings, 1, 1)
    assert str(macro(env, "pagination")(page, None, None)).strip() == ""


def test_pagination_links_the_ends_and_the_neighbours(env, settings):
    page = listing_page(settings, 5, 200)
    nav = soup(macro(env, "pagination")(page, *neighbours(page), "Phân trang chủ đề Xanh")).nav
    assert nav["aria-label"] == "Phân trang chủ đề Xanh"
    numbers = [a.get_text() for a in nav.select(".pagination__list a")]
    assert numbers == ["1", "4", "5", "6", "200"]
    ellipses = nav.select(".pagination__item--ellipsis")
    assert [li["aria-hidden"] for li in ellipses] == ["true", "true"]
    current = nav.select_one('[aria-current="page"]')
    assert current.get_text() == "5"
    assert current["href"] == "/chu-de/xanh/trang/5/"
    assert current["aria-label"] == "Trang 5, trang hiện tại"
    last = nav.select(".pagination__list a")[-1]
    assert last["aria-label"] == "Trang 200 (trang cuối)"
    assert nav.select_one(".pagination__list a")["href"] == "/chu-de/xanh/"


def test_pagination_prev_and_next_are_named_in_full(env, settings):
    page = listing_page(settings, 2, 7)
    nav = soup(macro(env, "pagination")(page, *neighbours(page))).nav
    previous = nav.select_one('a[rel="prev"]')
    following = nav.select_one('a[rel="next"]')
    assert previous["href"] == "/chu-de/xanh/"
    assert following["href"] == "/chu-de/xanh/trang/3/"
    # Arrows are decoration; the hidden text completes the link's name.
    assert previous.select_one('[aria-hidden="true"]').get_text() == "←"
    assert previous.get_text() == "← Trang trước: trang 1 trên 7"
    assert following.get_text() == "Trang sau: trang 3 trên 7 →"
    assert nav["aria-label"] == "Phân trang"


def test_pagination_has_no_prev_on_the_first_page_nor_next_on_the_last(env, settings):
    first = listing_page(settings, 1, 2)
    nav = soup(macro(env, "pagination")(first, *neighbours(first))).nav
    assert nav.select_one('a[rel="prev"]') is None
    assert nav.select_one('a[rel="next"]')["href"] == "/chu-de/xanh/trang/2/"
    last = listing_page(settings, 2, 2)
    nav = soup(macro(env, "pagination")(last, *neighbours(last))).nav
    assert nav.select_one('a[rel="next"]') is None
    assert not nav.select(".pagination__item--ellipsis")


def test_pagination_label_is_escaped(env, settings):
    page = listing_page(settings, 1, 3)
    html = str(macro(env, "pagination")(page, *neighbours(page), HOSTILE))
    assert "<b>" not in html
    assert soup(html).nav["aria-label"] == HOSTILE


# --- page_suffix ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "suffix"), [(None, ""), (1, ""), (2, " – trang 2"), (30, " – trang 30")]
)
def test_page_suffix(env, settings, number, suffix):
    page = listing_page(settings, number, 30) if number else None
    assert str(macro(env, "page_suffix")(page)) == suffix


# --- social_meta ------------------------------------------------------------------

COVER = SimpleNamespace(
    og_url="https://example.vn/tin-tuc/2024/a/anh/og.jpg", og_width=1200, og_height=630, alt=""
)


def metas(html):
    tags = soup(html).find_all("meta")
    return [(tag.get("property") or tag.get("name"), tag["content"]) for tag in tags]


def social(env, **overrides):
    arguments = {
        "url": "https://example.vn/tin-tuc/2024/a/",
        "title": "Tiêu đề",
        "description": "Tóm tắt",
    }
    return str(macro(env, "social_meta")(**{**arguments, **overrides}))


def test_social_meta_without_image_is_a_summary_card(env):
    tags = metas(social(env, published=datetime(2024, 3, 9, 14, 59, tzinfo=TIMEZONE)))
    assert ("twitter:card", "summary") in tags
    assert [name for name, _ in tags].count("twitter:card") == 1
    assert not [name for name, _ in tags if name.startswith(("og:image", "twitter:image"))]
    assert ("og:type", "article") in tags
    assert ("og:url", "https://example.vn/tin-tuc/2024/a/") in tags
    assert ("og:locale", "vi_VN") in tags
    assert ("article:published_time", "2024-03-09T14:59:00+07:00") in tags


def test_social_meta_with_image_is_a_large_image_card(env):
    tags = metas(social(env, image=COVER))
    assert [value for name, value in tags if name == "twitter:card"] == ["summary_large_image"]
    assert ("og:image", COVER.og_url) in tags
    assert ("twitter:image", COVER.og_url) in tags
    assert ("og:image:width", "1200") in tags
    assert ("og:image:height", "630") in tags
    # A cover without alt text gets no empty og:image:alt.
    assert "og:image:alt" not in dict(tags)
    alt = SimpleNamespace(**{**vars(COVER), "alt": "Công nhân ở KCN Thanh Bình"})
    assert ("og:image:alt", "Công nhân ở KCN Thanh Bình") in metas(social(env, image=alt))


def test_social_meta_sections_and_optional_date(env):
    tags = metas(social(env, sections=["Thi đua yêu nước", "Chuyển đổi số"]))
    assert [value for name, value in tags if name == "article:section"] == [
        "Thi đua yêu nước",
        "Chuyển đổi số",
    ]
    assert "article:published_time" not in dict(tags)


def test_social_meta_cuts_descriptions_and_escapes(env):
    description = "Nội dung " * 60
    html = social(env, title=HOSTILE, description=HOSTILE + description)
    assert "<b>" not in html
    tags = dict(metas(html))
    assert tags["og:title"] == tags["twitter:title"] == HOSTILE
    assert len(tags["og:description"]) <= 300
    assert len(tags["twitter:description"]) <= 200
    assert tags["twitter:description"].endswith("…")


def test_social_meta_lines_are_indented_for_the_head(env):
    lines = social(env, image=COVER).split("\n")
    assert lines[0].startswith("<meta ")
    assert all(line.startswith("  <meta ") for line in lines[1:])


# --- breadcrumb -------------------------------------------------------------------


def test_breadcrumb_links_the_trail_and_marks_the_current_page(env):
    html = macro(env, "breadcrumb")([("Trang chủ", ""), ("Chủ đề", "chu-de/")], HOSTILE)
    nav = soup(html).nav
    assert nav["aria-label"] == "Đường dẫn"
    assert [(a.get_text(), a["href"]) for a in nav.select("a")] == [
        ("Trang chủ", "/"),
        ("Chủ đề", "/chu-de/"),
    ]
    current = nav.select_one('[aria-current="page"]')
    assert current.name == "li"
    assert current.get_text() == HOSTILE
    assert current.a is None


# --- base.html: navigation and footer from MENUITEMS --------------------------------


def render_base(env, output_file, **context):
    template = env.from_string('{% extends "base.html" %}')
    policy = {"page": "default-src 'self'", "search": "default-src 'self'"}
    return soup(template.render(output_file=output_file, content_security_policy=policy, **context))


@pytest.mark.parametrize(
    ("output_file", "current"),
    [
        ("index.html", {"Trang chủ": "page"}),
        ("trang/2/index.html", {}),
        ("phong-trao/index.html", {"Phong trào thi đua": "page"}),
        ("phong-trao/thi-dua/index.html", {"Phong trào thi đua": "true"}),
        ("nam/2024/index.html", {"Lưu trữ theo năm": "true"}),
        ("gioi-thieu/index.html", {"Giới thiệu": "page"}),
        ("tin-tuc/2024/a/index.html", {}),
    ],
)
def test_navigation_marks_where_the_reader_is(env, output_file, current):
    nav = render_base(env, output_file).select_one("nav.site-nav")
    links = nav.select("a.site-nav__link")
    assert [a.get_text() for a in links] == [label for label, _ in env.globals["MENUITEMS"]]
    marked = {a.get_text(): a["aria-current"] for a in links if a.has_attr("aria-current")}
    assert marked == current


def test_footer_repeats_the_menu_entries_it_names(env, settings):
    footer = render_base(env, "index.html").select_one("footer .site-footer__links")
    assert [(a.get_text(), a["href"]) for a in footer.select("a")] == [
        ("Giới thiệu", "/gioi-thieu/"),
        ("Liên hệ", "/lien-he/"),
        ("Tác giả", "/" + settings["AUTHORS_URL"]),
        ("Chủ đề", "/" + settings["TAGS_URL"]),
        ("Đính chính", "/" + settings["DINH_CHINH_URL"]),
        ("Sơ đồ trang", "/" + settings["SITE_MAP_URL"]),
        ("Tuyên bố về khả năng tiếp cận", "/" + settings["ACCESSIBILITY_URL"]),
        ("Nguồn tin Atom", "/" + settings["FEED_ALL_ATOM"]),
    ]


def test_footer_labels_come_from_menuitems(env):
    menu = [("Trang chủ", ""), ("Về chúng tôi", "gioi-thieu/"), ("Liên hệ", "lien-he/")]
    footer = render_base(env, "index.html", MENUITEMS=menu).select_one(".site-footer__links")
    assert [a.get_text() for a in footer.select("a")][:2] == ["Về chúng tôi", "Liên hệ"]
    nav = render_base(env, "index.html", MENUITEMS=menu).select_one("nav.site-nav")
    assert "Về chúng tôi" in nav.get_text()


# --- listing.html: the skeleton of tag, author, year and movement × year pages ----


class Named:
    """A Tag or Author: its name, and str() of it."""

    def __init__(self, name):
        self.name = name

    def __str__(self):
        return self.name


def render_listing(env, settings, template, number, pages, **context):
    page = listing_page(settings, number, pages)
    page.object_list = []
    previous, following = neighbours(page)
    html = env.get_template(template).render(
        articles_page=page,
        articles_previous_page=previous,
        articles_next_page=following,
        output_file=page.save_as,
        content_security_policy={"page": ""},
        **context,
    )
    assert "<b>" not in html
    return soup(html)


def test_listing_skeleton_for_a_tag(env, settings):
    page = render_listing(env, settings, "tag.html", 3, 4, tag=Named(HOSTILE))
    short = settings["SITE_SHORTNAME"]
    assert page.title.get_text() == f"Chủ đề: {HOSTILE} – trang 3 – {short}"
    assert page.h1.get_text() == f"Chủ đề: {HOSTILE}"
    description = page.select_one('meta[name="description"]')["content"]
    assert description == f"Các tin bài về chủ đề {HOSTILE}."
    crumbs = page.select(".breadcrumb__item")
    assert [li.get_text() for li in crumbs] == ["Trang chủ", "Chủ đề", HOSTILE]
    assert crumbs[1].a["href"] == "/" + settings["TAGS_URL"]
    nav = page.select_one("nav.pagination")
    assert nav["aria-label"] == f"Phân trang chủ đề {HOSTILE}"
    assert nav.select_one('[aria-current="page"]').get_text() == "3"
    # One <main>, its first heading the <h1>, the list of cards after it.
    assert len(page.find_all("main")) == 1
    assert page.main.find(["h1", "h2"]).name == "h1"
    assert page.main.select_one("h1 ~ ul.card-list") is not None


def test_listing_first_page_has_no_suffix(env, settings):
    page = render_listing(env, settings, "tag.html", 1, 4, tag=Named("Xanh"))
    assert page.title.get_text() == f"Chủ đề: Xanh – {settings['SITE_SHORTNAME']}"


def test_listing_blocks_heading_and_intro(env, settings):
    author = Named("Nguyễn Thị Hoa")
    page = render_listing(env, settings, "author.html", 2, 2, author=author, articles=[1, 2, 3])
    assert page.title.get_text().startswith("Tác giả Nguyễn Thị Hoa – trang 2 – ")
    assert page.h1.get_text() == "Tác giả: Nguyễn Thị Hoa"
    assert page.h1.find_next_sibling().get_text() == "3 tin bài"
