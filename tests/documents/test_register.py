"""The register of the sample site: pages, files byte for byte, feed, API, sitemap."""

from __future__ import annotations

import hashlib
import json
import re

import feedparser
import jsonschema
from helpers import ROOT, page

CONTENT = ROOT / "content" / "van-ban"
KE_HOACH = "van-ban/2023/ke-hoach-phat-dong-thi-dua-nam-2023/"
SEED = "tin-tuc/2023/phat-dong-phong-trao-thi-dua-nam-2023/"


def sha256(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_published_files_are_the_sources_byte_for_byte(sample_site):
    data = json.loads((sample_site / "api" / "documents.json").read_text(encoding="utf-8"))
    sources = {
        sha256(path): path for path in CONTENT.rglob("*") if path.suffix in (".pdf", ".docx")
    }
    published = [file for document in data["documents"] for file in document["files"]]
    assert len(published) == len(sources) == 9
    for file in published:
        path = sample_site / file["url"].split("/", 3)[3]
        assert sha256(path) == file["sha256"]
        assert file["sha256"] in sources  # the same bytes as a source file
        assert path.stat().st_size == file["size"]
        assert re.fullmatch(r"[a-z0-9-]+\.(pdf|docx)", path.name)  # ASCII names
    # A Vietnamese file name is published under its ASCII form.
    assert (
        sample_site
        / "van-ban/2024/bao-cao-tong-ket-thi-dua-nam-2023/bao-cao-tong-ket-thi-dua-2023.pdf"
    ).read_bytes() == (CONTENT / "2024" / "Báo cáo tổng kết thi đua 2023.pdf").read_bytes()


def test_the_register_is_a_real_table_newest_first_and_paginated(sample_site):
    soup = page(sample_site, "van-ban/")
    table = soup.select_one("table.doc-table")
    assert "9 văn bản" in table.caption.get_text()
    assert [th["scope"] for th in table.thead.select("th")] == ["col"] * 6
    rows = table.tbody.select("tr")
    assert [row.th.get_text() for row in rows] == [
        "18/KH-BQL",
        "56/QĐ-BQL",
        "20/BC-BQL",
        "15/2023/QĐ-UBND",
    ]
    assert all(cell.has_attr("data-label") for row in rows for cell in row.select("td, th"))
    assert soup.select_one('a[rel="next"]')["href"].endswith("van-ban/trang/2/")
    assert page(sample_site, "van-ban/trang/3/").select("tbody tr")[-1].th.get_text() == "08/KH-BQL"
    # The menu leads here.
    assert soup.select_one('.site-nav a[aria-current="page"]').get_text() == "Văn bản"


def test_facets_are_static_pages(sample_site):
    soup = page(sample_site, "van-ban/")
    facets = {a.get_text(): a["href"] for a in soup.select(".doc-facets a")}
    assert facets["Kế hoạch"].endswith("van-ban/loai/ke-hoach/")
    assert facets["2023"].endswith("van-ban/nam/2023/")
    assert facets["Ủy ban nhân dân tỉnh Bắc Kạn"].endswith(
        "van-ban/co-quan/uy-ban-nhan-dan-tinh-bac-kan/"
    )
    kinds = page(sample_site, "van-ban/loai/ke-hoach/")
    assert kinds.h1.get_text() == "Văn bản: Kế hoạch"
    assert {row.th.get_text() for row in kinds.select("tbody tr")} == {
        "18/KH-BQL",
        "45/KH-BQL",
        "08/KH-BQL",
    }
    assert kinds.select_one('.doc-facets a[aria-current="page"]').get_text() == "Kế hoạch"
    year = page(sample_site, "van-ban/nam/2022/")
    assert len(year.select("tbody tr")) == 3


def test_the_document_page_shows_every_field_files_and_citing_articles(sample_site):
    soup = page(sample_site, KE_HOACH)
    facts = dict(
        zip(
            [dt.get_text() for dt in soup.select("dt")],
            [dd.get_text(" ", strip=True) for dd in soup.select("dd")],
            strict=True,
        )
    )
    assert facts["Số hiệu"] == "45/KH-BQL"
    assert facts["Loại văn bản"] == "Kế hoạch"
    assert facts["Ngày ban hành"] == "01/03/2023"
    assert facts["Người ký"] == "Trưởng ban"
    assert "Bắc Kạn đẩy mạnh chuyển đổi số" in facts["Phong trào"]
    link = soup.select_one(".doc-files a")
    assert link["href"].endswith(KE_HOACH + "ke-hoach-45-kh-bql.pdf")
    assert link["type"] == "application/pdf"
    assert "PDF, 30 KB" in soup.select_one(".doc-files").get_text()
    assert soup.select_one("#tin-lien-quan + ul a")["href"].endswith(SEED)
    assert [li.get_text() for li in soup.select(".breadcrumb li")][:3] == [
        "Trang chủ",
        "Văn bản",
        "Kế hoạch",
    ]
    data = json.loads(soup.select_one('script[type="application/ld+json"]').string)
    assert data["@type"] == "DigitalDocument" and data["identifier"] == "45/KH-BQL"


def test_normative_documents_are_legislation_and_replacements_link(sample_site):
    soup = page(sample_site, "van-ban/2023/quy-che-thi-dua-khen-thuong-tinh-bac-kan/")
    data = json.loads(soup.select_one('script[type="application/ld+json"]').string)
    assert data["@type"] == "Legislation"
    assert data["legislationIdentifier"] == "15/2023/QĐ-UBND"
    assert data["legislationPassedBy"]["name"] == "Ủy ban nhân dân tỉnh Bắc Kạn"
    assert "bản quét" in soup.select_one(".doc-files").get_text()
    old = page(sample_site, "van-ban/2022/thong-bao-lich-tiep-cong-dan-2022/")
    notice = old.select_one(".document__notice a")
    assert notice["href"].endswith("van-ban/2023/thong-bao-lich-tiep-cong-dan-2023/")
    new = page(sample_site, "van-ban/2023/thong-bao-lich-tiep-cong-dan-2023/")
    assert "25/TB-BQL" in new.select_one(".document__facts").get_text()


def test_the_article_shows_the_documents_it_cites(sample_site):
    box = page(sample_site, SEED).select_one("section.doc-box")
    assert box.h2.get_text() == "Văn bản liên quan"
    assert box.select_one(".doc-box__name a").get_text() == "Kế hoạch số 45/KH-BQL"
    assert "01/03/2023" in box.get_text()
    assert box.select_one(".doc-files a")["href"].endswith("ke-hoach-45-kh-bql.pdf")
    # An article citing nothing has no box and no extra stylesheet.
    other = page(sample_site, "tin-tuc/2024/tong-ket-cong-tac-thi-dua-khen-thuong-nam-2023/")
    assert other.select_one(".doc-box") is None
    assert not other.select('link[href$="documents.css"]')


def test_feed_api_and_sitemap(sample_site):
    feed = feedparser.parse((sample_site / "feeds" / "van-ban.atom.xml").read_bytes())
    assert len(feed.entries) == 9
    assert feed.entries[0].title == (
        "Kế hoạch số 18/KH-BQL: Kế hoạch tổ chức Tháng hành động về an toàn, vệ sinh lao động "
        "năm 2025"
    )
    data = json.loads((sample_site / "api" / "documents.json").read_text(encoding="utf-8"))
    schema = json.loads((ROOT / "schemas" / "documents.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(data, schema)
    assert (sample_site / "api" / "documents.schema.json").read_bytes() == (
        ROOT / "schemas" / "documents.schema.json"
    ).read_bytes()
    seed = next(d for d in data["documents"] if d["number"] == "45/KH-BQL")
    assert seed["articles"] == [f"http://localhost:8000/{SEED}"]
    sitemap = (sample_site / "sitemap.xml").read_text(encoding="utf-8")
    for url in ("van-ban/", KE_HOACH, "van-ban/loai/quyet-dinh/", "van-ban/nam/2024/"):
        assert f"<loc>http://localhost:8000/{url}</loc>" in sitemap
