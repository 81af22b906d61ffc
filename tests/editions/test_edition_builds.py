"""Issues in real builds of the fixture site: the cache (a warm build lays
nothing out; an edit does), the same bytes twice, missing identity settings,
the 64-page limit, drafts and scheduled issues."""

from __future__ import annotations

import hashlib
import os

import pytest
from helpers import build, copy_fixture_site, page

from bulletin.editions.model import MAX_PAGES

ISSUE = """Number: {number}
Date: {date}
Cover: ../../articles/2023/anh/phat-dong/nhung-11.jpg
Articles:
    phat-dong-phong-trao-thi-dua-nam-2023
    canh-giac-lua-dao

Lời tòa soạn của số {number}.
"""


def write_issue(content, number=1, date="2024-06-30", year="2024", text=ISSUE):
    folder = content / "ban-tin" / year
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"so-{number}.md"
    path.write_text(text.format(number=number, date=date), encoding="utf-8")
    return path


def pdf_files(cache):
    return sorted(p for p in (cache / "pdf").rglob("*.pdf"))


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("edition-builds")
    content = copy_fixture_site(folder)
    write_issue(content)
    cache = folder / "cache" / "editions"
    code, report = build(content, folder / "output", EDITION_CACHE_PATH=str(cache))
    assert code == 0, report
    return folder, content, cache


def test_an_issue_is_published_with_its_pdf(site):
    folder, _content, _cache = site
    output = folder / "output"
    pdf = output / "ban-tin/2024/so-1/ban-tin-so-1-2024.pdf"
    assert pdf.read_bytes().startswith(b"%PDF-1.7")
    listing = page(output, "ban-tin/")
    assert listing.select_one(".edition-card__title a").get_text() == (
        "Bản tin Khu công nghiệp Bắc Kạn số 1/2024"
    )
    issue = page(output, "ban-tin/2024/so-1/")
    first = issue.select_one(".edition__contents a").get_text()
    assert first.replace("\xa0", " ") == "Phát động phong trào thi đua năm 2023"
    editorial = issue.select_one(".edition__editorial").get_text()
    assert " ".join(editorial.split()) == "Lời tòa soạn của số 1."
    assert issue.select_one(".edition__cover")["src"].startswith("../../../ban-tin/2024/so-1/anh/")
    cover = issue.select_one(".edition__cover")["src"].split("ban-tin/2024/so-1/", 1)[1]
    assert (output / "ban-tin/2024/so-1" / cover).is_file()


def test_a_warm_build_lays_nothing_out_and_writes_the_same_pdf(site):
    folder, content, cache = site
    pdf = folder / "output/ban-tin/2024/so-1/ban-tin-so-1-2024.pdf"
    before = hashlib.sha256(pdf.read_bytes()).hexdigest()
    cached = {p: p.stat().st_mtime_ns for p in pdf_files(cache)}
    (content / "articles" / "2024" / "tieu-de-co-script.md").touch()  # past layer 1
    code, report = build(content, folder / "output", EDITION_CACHE_PATH=str(cache))
    assert code == 0, report
    assert {p: p.stat().st_mtime_ns for p in pdf_files(cache)} == cached
    assert hashlib.sha256(pdf.read_bytes()).hexdigest() == before


def test_the_same_inputs_make_the_same_bytes_in_a_fresh_cache(site, tmp_path):
    folder, content, _cache = site
    code, report = build(content, tmp_path / "output", EDITION_CACHE_PATH=str(tmp_path / "c"))
    assert code == 0, report
    name = "ban-tin/2024/so-1/ban-tin-so-1-2024.pdf"
    assert (tmp_path / "output" / name).read_bytes() == (folder / "output" / name).read_bytes()


def test_an_edited_article_lays_the_issue_out_again(site):
    folder, content, cache = site
    before = set(pdf_files(cache))
    article = content / "articles" / "2024" / "tieu-de-co-script.md"
    article.write_text(article.read_text(encoding="utf-8") + "\nMột câu mới.\n", "utf-8")
    code, report = build(content, folder / "output", EDITION_CACHE_PATH=str(cache))
    assert code == 0, report
    assert len(set(pdf_files(cache)) - before) == 1
    pdf = folder / "output/ban-tin/2024/so-1/ban-tin-so-1-2024.pdf"
    assert os.stat(pdf).st_nlink >= 2  # a hard link of the cached file


def test_missing_licence_settings_stop_the_build_naming_each(tmp_path):
    content = copy_fixture_site(tmp_path)
    write_issue(content)
    code, report = build(
        content,
        tmp_path / "output",
        EDITION_LICENCE={},
        EDITION_PRINTER="",
        EDITION_CACHE_PATH=str(tmp_path / "c"),
    )
    assert code == 1
    assert "content/ban-tin/2024/so-1.md:1: lỗi: EDITION_LICENCE (giấy phép xuất bản" in report
    assert "content/ban-tin/2024/so-1.md:1: lỗi: EDITION_PRINTER (nơi in)" in report
    assert "Luật Báo chí 2016, Điều 34 khoản 1" in report
    assert not (tmp_path / "output").exists()


def test_drafts_and_scheduled_issues_are_not_published(tmp_path):
    content = copy_fixture_site(tmp_path)
    write_issue(content, number=1)
    write_issue(content, number=2, date="2099-01-01", year="2099")
    draft = write_issue(content, number=3)
    draft.write_text(
        draft.read_text(encoding="utf-8").replace("Articles:", "Status: draft\nArticles:")
    )
    code, report = build(content, tmp_path / "output", EDITION_CACHE_PATH=str(tmp_path / "c"))
    assert code == 0, report
    assert (tmp_path / "output/ban-tin/2024/so-1/index.html").is_file()
    assert not (tmp_path / "output/ban-tin/2099").exists()
    assert not (tmp_path / "output/ban-tin/2024/so-3").exists()


@pytest.mark.slow
def test_an_issue_over_64_pages_stops_the_build(tmp_path):
    content = copy_fixture_site(tmp_path)
    # A small page (allowed: under the maximum) fills 65 pages with less text.
    paragraph = "Nội dung rất dài của bài viết để làm đầy trang giấy in bản tin. " * 30
    long = "Title: Bài rất dài\nDate: 2024-03-01 08:00\nAuthor: Thu Hà\nMovement: dan-van-kheo\n\n"
    long += "\n\n".join([paragraph] * 80)
    (content / "articles" / "2024" / "dai.md").write_text(long, encoding="utf-8")
    write_issue(content, text=ISSUE.replace("    canh-giac-lua-dao", "    bai-rat-dai"))
    code, report = build(
        content,
        tmp_path / "output",
        EDITION_CACHE_PATH=str(tmp_path / "c"),
        EDITION_PAGE_MM=(90, 120),
    )
    assert code == 1
    assert f"trang, quá {MAX_PAGES} trang (Luật Báo chí 2016, Điều 34 khoản 1)" in report
    assert "content/ban-tin/2024/so-1.md:4: lỗi: Bản tin in ra" in report


def test_no_original_photo_is_published(site):
    """A Cover photo or a print photo never reaches output/ as it is."""
    folder, content, _cache = site
    originals = {p.name for p in content.rglob("*.jpg")}
    published = {p.name for p in (folder / "output").rglob("*.jpg")}
    assert not originals & published
