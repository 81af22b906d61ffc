"""The agency's mandatory information on the built site (bulletin.site.identity,
bulletin.site.mandatory_pages): header, footer, /lien-he/, JSON-LD, the site
map, the accessibility statement, SITE_NOTICE in and out of its dates, ARCHIVE."""

from __future__ import annotations

import json
from datetime import datetime

import pytest
from helpers import ROOT, build, copy_fixture_site, page

IDENTITY = {
    "SITE_ORGANIZATION": "Ban Quản lý các Khu công nghiệp tỉnh Bắc Kạn",
    "SITE_GOVERNING_BODY": "Ủy ban nhân dân tỉnh Bắc Kạn",
    "SITE_ADDRESS": "Số 10, đường Trường Chinh, phường Đức Xuân",
    "SITE_PHONE": "(0209) 387 1234",
    "SITE_EMAIL": "bqlkcn@backan.gov.vn",
    "SITE_RESPONSIBLE": "Bà Nguyễn Thị Mẫu, Trưởng Ban",
    "SITE_LICENCE": "Giấy phép số 01/GP-TTĐT ngày 15/01/2023",
    "SITE_EMBLEM": "img/favicon.svg",
}
MERGER = "Từ 01/07/2025, tỉnh Bắc Kạn hợp nhất với tỉnh Thái Nguyên."
NOTICE = {"text": MERGER, "start": "2025-06-20", "end": "2025-07-15"}


def built(tmp_path_factory, name, **settings):
    root = tmp_path_factory.mktemp(name)
    content = copy_fixture_site(root)
    # The sample's /lien-he/ is written this way (content/pages/lien-he.md).
    contact = content / "pages" / "lien-he.md"
    contact.write_text(
        contact.read_text(encoding="utf-8").replace("\n\n", "\nTemplate: contact\n\n", 1),
        encoding="utf-8",
    )
    code, log = build(content, root / "output", **{**IDENTITY, **settings})
    assert code == 0, log
    return root / "output"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """Inside the notice's dates (the last day it shows)."""
    return built(
        tmp_path_factory, "inside", SITE_NOTICE=NOTICE, BULLETIN_NOW=datetime(2025, 7, 15, 23, 0)
    )


def organization(soup):
    blocks = [json.loads(s.string) for s in soup.select('script[type="application/ld+json"]')]
    found = [b for b in blocks if b.get("@type") == "GovernmentOrganization"]
    assert len(found) == 1
    return found[0]


@pytest.mark.parametrize(
    "url", ["", "lien-he/", "tin-tuc/2023/phat-dong-phong-trao-thi-dua-nam-2023/"]
)
def test_every_page_names_the_agency_in_header_footer_and_json_ld(site, url):
    soup = page(site, url)
    assert soup.select_one(".site-header__province").get_text() == IDENTITY["SITE_GOVERNING_BODY"]
    logo = soup.select_one(".site-header__brand img.site-header__logo")
    assert logo["src"].endswith("theme/img/favicon.svg") and logo["alt"] == ""
    footer = soup.select_one("footer.site-footer")
    assert footer.select_one(".site-footer__org").get_text() == IDENTITY["SITE_ORGANIZATION"]
    details = {
        dt.get_text(): dt.find_next_sibling("dd").get_text(" ", strip=True)
        for dt in footer.select("dl.identity dt")
    }
    assert details == {
        "Cơ quan chủ quản": IDENTITY["SITE_GOVERNING_BODY"],
        "Địa chỉ": IDENTITY["SITE_ADDRESS"],
        "Điện thoại": IDENTITY["SITE_PHONE"],
        "Thư điện tử": IDENTITY["SITE_EMAIL"],
        "Chịu trách nhiệm nội dung": IDENTITY["SITE_RESPONSIBLE"],
        "Giấy phép": IDENTITY["SITE_LICENCE"],
    }
    assert footer.select_one('a[href="tel:02093871234"]')
    links = [a["href"] for a in footer.select(".site-footer__links a")]
    assert any(h.endswith("so-do-trang/") for h in links)
    assert any(h.endswith("tuyen-bo-tiep-can/") for h in links)
    data = organization(soup)
    assert data["name"] == IDENTITY["SITE_ORGANIZATION"]
    assert data["telephone"] == IDENTITY["SITE_PHONE"]
    assert data["email"] == IDENTITY["SITE_EMAIL"]
    assert data["address"]["streetAddress"] == IDENTITY["SITE_ADDRESS"]
    assert data["parentOrganization"]["name"] == IDENTITY["SITE_GOVERNING_BODY"]
    assert data["logo"].endswith("/theme/img/favicon.svg")
    assert "dissolutionDate" not in data


def test_the_contact_page_prints_the_settings_above_the_editors_text(site):
    sample = ROOT / "content" / "pages" / "lien-he.md"
    assert "\nTemplate: contact\n" in sample.read_text(encoding="utf-8")
    body = page(site, "lien-he/").select_one("article")
    values = [dd.get_text(" ", strip=True) for dd in body.select("dl.identity dd")]
    assert IDENTITY["SITE_ADDRESS"] in values and IDENTITY["SITE_EMAIL"] in values
    assert body.select_one("h2").get_text() == IDENTITY["SITE_ORGANIZATION"]
    # The editor's own text follows (the fixture's page is one line).
    assert "Điện thoại: (0209)" in body.select(".article__body")[-1].get_text()


def test_the_site_map_lists_sections_movements_years_and_pages(site):
    soup = page(site, "so-do-trang/")
    groups = {
        section.h2.get_text(): [a["href"] for a in section.select("a")]
        for section in soup.select(".site-map section")
    }
    assert {
        "Chuyên mục",
        "Phong trào thi đua",
        "Tin theo năm",
        "Trang thông tin",
        "Tra cứu",
    } <= set(groups)
    assert "../nam/2023/" in groups["Tin theo năm"] and "../nam/2024/" in groups["Tin theo năm"]
    assert "../lien-he/" in groups["Trang thông tin"]
    assert any(
        h.startswith("../phong-trao/") and h.count("/") == 4 for h in groups["Phong trào thi đua"]
    )
    for href in (h for hrefs in groups.values() for h in hrefs if not h.endswith(".xml")):
        target = site / "so-do-trang" / href / "index.html"
        assert target.resolve().is_file(), href


def test_the_accessibility_statement_names_the_standard_limits_and_contact(site):
    soup = page(site, "tuyen-bo-tiep-can/")
    text = soup.select_one("main").get_text(" ", strip=True)
    assert "WCAG" in text and "2.1" in text and "AA" in text and "axe" in text
    headings = [h.get_text() for h in soup.select("main h2")]
    assert headings == ["Tiêu chuẩn áp dụng", "Hạn chế đã biết", "Báo lỗi về khả năng tiếp cận"]
    assert soup.select_one(f'main a[href="mailto:{IDENTITY["SITE_EMAIL"]}"]')


def test_the_notice_is_a_labelled_dated_region_on_every_page(site):
    for url in ("", "so-do-trang/", "404.html"):
        banner = page(site, url).select_one("section.site-banner--notice")
        assert banner["aria-label"] == "Thông báo"
        assert MERGER in banner.get_text()
        times = [t["datetime"] for t in banner.select("time")]
        assert times == ["2025-06-20T00:00:00+07:00", "2025-07-16T00:00:00+07:00"]
        assert "đến hết 15/07/2025" in banner.get_text(" ", strip=True)


@pytest.mark.parametrize("now", [datetime(2025, 6, 19, 23, 59), datetime(2025, 7, 16, 0, 0)])
def test_no_notice_outside_its_dates(tmp_path_factory, now):
    output = built(tmp_path_factory, "outside", SITE_NOTICE=NOTICE, BULLETIN_NOW=now)
    assert page(output, "").select_one(".site-banner") is None


def test_an_archive_is_marked_on_every_page_and_still_works(tmp_path_factory):
    archive = {
        "until": "2025-06-30",
        "successor": "Ban Quản lý các Khu công nghiệp tỉnh Thái Nguyên",
        "successor_url": "https://kcn.thainguyen.gov.vn",
    }
    output = built(tmp_path_factory, "archive", ARCHIVE=archive)
    for url in ("", "tin-tuc/2023/phat-dong-phong-trao-thi-dua-nam-2023/", "lien-he/"):
        soup = page(output, url)
        banner = soup.select_one("section.site-banner--archive")
        assert banner["aria-label"] == "Trang lưu trữ"
        assert banner.select_one("a")["href"] == archive["successor_url"]
        assert banner.time["datetime"] == "2025-06-30"
        valid = soup.select_one('meta[name="dcterms.valid"]')["content"]
        assert valid.startswith("end=2025-06-30")
        replaced = soup.select_one('meta[name="dcterms.isReplacedBy"]')["content"]
        assert replaced == archive["successor_url"]
        data = organization(soup)
        assert data["dissolutionDate"] == "2025-06-30"
        assert data["sameAs"] == [archive["successor_url"]]
    assert page(output, "tim-kiem/").select_one("main")
