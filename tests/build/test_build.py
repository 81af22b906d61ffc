"""End-to-end: build the fixture site into tmp_path and read the output."""

from __future__ import annotations

import json

import feedparser
import pytest
from helpers import ROOT, build, copy_fixture_site, page

SEED_URL = "tin-tuc/2023/phat-dong-phong-trao-thi-dua-nam-2023/"
SCRIPT_URL = "tin-tuc/2024/canh-giac-lua-dao/"


def test_seed_article_page(fixture_site):
    soup = page(fixture_site, SEED_URL)
    assert soup.html["lang"] == "vi"
    assert len(soup.find_all("h1")) == 1
    assert soup.h1.get_text() == "Phát động phong trào thi đua năm\xa02023"
    assert soup.title.get_text().startswith("Phát động phong trào thi đua năm 2023 – ")

    time = soup.select_one(".article__meta time")
    assert time["datetime"] == "2023-03-09T14:59:04+07:00"
    assert time.get_text() == "Thứ Năm, 09/03/2023 14:59"

    figure = soup.select_one(".article__body figure.photo")
    img = figure.find("img")
    assert img["alt"] == "Cán bộ, công chức chụp ảnh lưu niệm"
    assert figure.figcaption.get_text() == (
        "Ảnh lưu niệm công chức, viên Chức Ban Quản lý tham gia các phong trào thi đua"
    )
    # The photo is published and the link resolves from the article's folder.
    photo = (fixture_site / SEED_URL / img["src"]).resolve()
    assert photo.is_file() and photo.stat().st_size > 0

    byline = soup.select_one(".byline a")
    assert byline.get_text() == "Hồng Nhung"
    assert (fixture_site / SEED_URL / byline["href"]).resolve() == (
        fixture_site / "tac-gia" / "hong-nhung"
    ).resolve()

    movements = [a.get_text() for a in soup.select(".article__header .movement-links a")]
    assert movements == [
        "Bắc Kạn đẩy mạnh chuyển đổi số",
        "Cán bộ, công chức, viên chức thi đua thực hiện văn hóa công sở",
    ]
    tags = [a.get_text() for a in soup.select(".tag-links a")]
    assert tags == ["thi đua", "Đoàn thanh niên"]
    assert soup.select_one("a.skip-link")["href"] == "#noi-dung"
    assert soup.find("main", id="noi-dung")
    assert soup.find("nav", attrs={"aria-label": "Đường dẫn"})


def test_typogrify_does_not_mangle_vietnamese(fixture_site):
    html = (fixture_site / SEED_URL / "index.html").read_text(encoding="utf-8")
    assert 'class="caps"' not in html
    assert "Đảng" in html and "Đại hội" in html


def test_every_url_of_the_table_is_written(fixture_site):
    for url in [
        "",
        SEED_URL,
        "phong-trao/",
        "phong-trao/bac-kan-day-manh-chuyen-doi-so/",
        "phong-trao/bac-kan-day-manh-chuyen-doi-so/2024/",
        "nam/2023/",
        "tac-gia/do-van-lam/",
        "chu-de/doan-thanh-nien/",
        "gioi-thieu/",
        "lien-he/",
    ]:
        assert (fixture_site / url / "index.html").is_file(), url
    assert (fixture_site / "404.html").is_file()
    assert (fixture_site / "feeds" / "all.atom.xml").is_file()
    assert (fixture_site / "feeds" / "bac-kan-day-manh-chuyen-doi-so.atom.xml").is_file()


def test_movement_page_groups_articles_by_year(fixture_site):
    soup = page(fixture_site, "phong-trao/bac-kan-day-manh-chuyen-doi-so/")
    assert soup.h1.get_text() == "Bắc Kạn đẩy mạnh chuyển đổi số"
    facts = soup.select_one("dl.facts").get_text(" ", strip=True)
    assert "2022–2025" in facts
    groups = soup.select("section.year-group")
    headings = [g.h2.get_text(" ", strip=True) for g in groups]
    assert headings == ["Năm 2024 (1 tin)", "Năm 2023 (2 tin)"]
    titles_2023 = [a.get_text() for a in groups[1].select(".headlines a")]
    assert titles_2023 == [
        "Hội nghị tổng kết công tác năm\xa02023",
        "Phát động phong trào thi đua năm\xa02023",
    ]


def test_movement_description_period_and_launcher(fixture_site):
    soup = page(fixture_site, "phong-trao/van-hoa-cong-so/")
    assert soup.select_one(".movement-header__description strong").get_text() == "văn hóa công sở"
    facts = soup.select_one("dl.facts").get_text(" ", strip=True)
    assert "Ban Thi đua - Khen thưởng tỉnh" in facts
    assert "2021–2025" in facts


def test_year_and_movement_year_pages_hold_the_right_articles(fixture_site):
    def titles(url):
        return [a.get_text() for a in page(fixture_site, url).select(".card__title a")]

    assert titles("nam/2023/") == [
        "Hội nghị tổng kết công tác năm\xa02023",
        "Phát động phong trào thi đua năm\xa02023",
    ]
    assert titles("phong-trao/van-hoa-cong-so/2023/") == [
        "Phát động phong trào thi đua năm\xa02023"
    ]
    assert len(titles("nam/2024/")) == 1


def test_movements_and_authors_sort_in_vietnamese_order(fixture_site):
    names = [
        a.get_text() for a in page(fixture_site, "phong-trao/").select(".movement-item__name a")
    ]
    assert names == [
        "Bắc Kạn đẩy mạnh chuyển đổi số",
        "Cán bộ, công chức, viên chức thi đua thực hiện văn hóa công sở",
        "Dân vận khéo",
    ]
    authors = [a.get_text() for a in page(fixture_site, "tac-gia/").select(".name-list a")]
    assert authors == ["Đỗ Văn Lâm", "Hồng Nhung", "Minh Đức", "Thu Hà"]


def test_feeds_parse_and_carry_vietnamese_titles(fixture_site):
    feed = feedparser.parse((fixture_site / "feeds" / "all.atom.xml").read_bytes())
    assert not feed.bozo
    titles = [entry.title for entry in feed.entries]
    assert "Phát động phong trào thi đua năm 2023" in titles
    assert titles[0] == "Cảnh giác với <script>alert(“x”)</script> & “lừa đảo” trực tuyến"
    movement = feedparser.parse((fixture_site / "feeds" / "van-hoa-cong-so.atom.xml").read_bytes())
    assert [e.title for e in movement.entries] == ["Phát động phong trào thi đua năm 2023"]
    assert movement.entries[0].published == "2023-03-09T14:59:04+07:00"


def test_drafts_and_scheduled_articles_appear_nowhere(fixture_site):
    every_file = [p for p in fixture_site.rglob("*") if p.is_file()]
    text = "\n".join(
        p.read_text(encoding="utf-8") for p in every_file if p.suffix in {".html", ".xml"}
    )
    assert "Bản nháp chưa đăng" not in text
    assert "Tin hẹn giờ" not in text
    assert not any("rieng" in p.name for p in every_file), "a draft's photo was published"
    assert not (fixture_site / "ban-nhap").exists()
    assert not (fixture_site / "tin-tuc" / "2099").exists()
    # The movement with only unpublished items lists none of them.
    assert page(fixture_site, "phong-trao/dan-van-kheo/").select(".headlines a") == []


def test_drafts_preview_build_writes_drafts(tmp_path):
    content = copy_fixture_site(tmp_path)
    code, report = build(
        content,
        tmp_path / "output",
        DRAFT_SAVE_AS="ban-nhap/{slug}/index.html",
    )
    assert code == 0, report
    assert (tmp_path / "output" / "ban-nhap" / "ban-nhap-chua-dang" / "index.html").is_file()
    assert (tmp_path / "output" / "ban-nhap" / "tin-hen-gio-dang-nam-2099" / "index.html").is_file()


def test_metadata_is_text_everywhere(fixture_site):
    soup = page(fixture_site, SCRIPT_URL)
    # Never markup: the only scripts are the page's own (JSON-LD, js/article.js).
    scripts = soup.find_all("script")
    assert all(s.get("type") == "application/ld+json" or s.get("src") for s in scripts)
    assert [s["src"] for s in scripts if s.get("src")] == ["../../../theme/js/article.js"]
    ld = next(s for s in scripts if s.get("type") == "application/ld+json").string
    assert "</script>" not in ld and json.loads(ld)["headline"].startswith("Cảnh giác với <script>")
    assert soup.h1.get_text().startswith("Cảnh giác với <script>alert(“x”)</script>")
    assert soup.title.get_text().startswith("Cảnh giác với <script>alert(“x”)</script> & “lừa")
    og = soup.find("meta", property="og:title")["content"]
    assert og.startswith("Cảnh giác với <script>") and "&nbsp;" not in og and "\xa0" not in og
    raw = (fixture_site / SCRIPT_URL / "index.html").read_text(encoding="utf-8")
    assert "<script>alert" not in raw
    assert "&lt;script&gt;" in raw
    # Summaries with quotes and ampersands are text in listings and meta.
    card = page(fixture_site, "nam/2023/").select(".card__summary")[0].get_text()
    assert card == "Tóm tắt “có ngoặc kép” & dấu và."
    description = page(fixture_site, "tin-tuc/2023/hoi-nghi-tong-ket-cong-tac-nam-2023/").find(
        "meta", attrs={"name": "description"}
    )["content"]
    assert description == "Tóm tắt “có ngoặc kép” & dấu và."
    feed = feedparser.parse((fixture_site / "feeds" / "all.atom.xml").read_bytes())
    entry = next(e for e in feed.entries if e.link.endswith("/" + SCRIPT_URL))
    assert entry.title.startswith("Cảnh giác với <script>alert(")


def test_listings_paginate_accessibly(tmp_path):
    content = copy_fixture_site(tmp_path)
    code, report = build(content, tmp_path / "output", DEFAULT_PAGINATION=2)
    assert code == 0, report
    output = tmp_path / "output"
    first = page(output, "")
    nav = first.find("nav", class_="pagination")
    assert nav["aria-label"]
    assert nav.find("a", attrs={"aria-current": "page"}).get_text() == "1"
    following = nav.find("a", rel="next")
    assert (output / following["href"] / "index.html").resolve() == (
        output / "trang" / "2" / "index.html"
    ).resolve()
    second = page(output, "trang/2/")
    assert second.find("a", rel="prev")
    assert len(second.select(".card")) == 1


def test_long_listings_link_first_last_and_nearby_pages_only(tmp_path):
    """A ten-year archive has hundreds of listing pages: "1 … 4 5 6 … 11"."""
    content = copy_fixture_site(tmp_path)
    for number in range(8):
        (content / "articles" / "2024" / f"them-{number}.md").write_text(
            f"Title: Tin thêm {number}\nDate: 2024-02-{number + 1:02d} 08:00\nAuthor: Thu Hà\n"
            "Movement: dan-van-kheo\n\nNội dung.\n",
            encoding="utf-8",
        )
    code, report = build(content, tmp_path / "output", DEFAULT_PAGINATION=1)
    assert code == 0, report
    nav = page(tmp_path / "output", "trang/5/").find("nav", class_="pagination")
    numbers = [a.get_text() for a in nav.select(".pagination__list a")]
    assert numbers == ["1", "4", "5", "6", "11"]
    assert len(nav.select(".pagination__item--ellipsis")) == 2
    assert nav.find("a", attrs={"aria-current": "page"}).get_text() == "5"
    first = page(tmp_path / "output", "").find("nav", class_="pagination")
    assert [a.get_text() for a in first.select(".pagination__list a")] == ["1", "2", "11"]


def test_content_error_fails_the_build_and_keeps_the_old_output(tmp_path):
    content = copy_fixture_site(tmp_path)
    output = tmp_path / "output"
    assert build(content, output)[0] == 0
    before = {p: p.read_bytes() for p in output.rglob("*") if p.is_file()}

    bad = content / "articles" / "2023" / "phat-dong-phong-trao-thi-dua-nam-2023.md"
    bad.write_text(
        bad.read_text(encoding="utf-8")
        .replace("Date: 2023-03-09 14:59:04", "Date: 31/02/2023 14:59")
        .replace("Movement: bac-kan", "Movement: chuyen-doi-so-bac-kan"),
        encoding="utf-8",
    )
    (content / "articles" / "2023" / "khong-tieu-de.md").write_text(
        "Date: 2023-01-01 08:00\nAuthor: A\nMovement: dan-van-kheo\n\nNội dung.\n",
        encoding="utf-8",
    )
    code, report = build(content, output)
    assert code == 1
    lines = report.splitlines()
    path = "content/articles/2023/phat-dong-phong-trao-thi-dua-nam-2023.md"
    assert any(line.startswith(f'{path}:2: lỗi: Trường "Date"') for line in lines), report
    assert any(line.startswith(f'{path}:4: lỗi: Trường "Movement"') for line in lines), report
    assert any(
        line.startswith('content/articles/2023/khong-tieu-de.md:1: lỗi: Trường "Title"')
        for line in lines
    ), report
    assert "3 lỗi" in report
    after = {p: p.read_bytes() for p in output.rglob("*") if p.is_file()}
    assert after == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".output")]


def test_missing_photo_is_an_error_naming_file_and_line(tmp_path):
    content = copy_fixture_site(tmp_path)
    (content / "articles" / "2023" / "anh" / "phat-dong" / "nhung-11.jpg").rename(
        content / "articles" / "2023" / "anh" / "phat-dong" / "nhung_11.jpg"
    )
    code, report = build(content, tmp_path / "output")
    assert code == 1
    assert (
        "content/articles/2023/phat-dong-phong-trao-thi-dua-nam-2023.md:9: lỗi: "
        'Không tìm thấy tệp ảnh "anh/phat-dong/nhung-11.jpg" — có phải ý bạn là: '
        '"anh/phat-dong/nhung_11.jpg"'
    ) in report
    assert not (tmp_path / "output").exists()


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        (
            "Title: A\r\nDate: 09/03/2023 14:59\r\nAuthor: Á\r\n"
            "Movement: dan-van-kheo\r\n\r\nB\r\n",
            None,
        ),
        ("\ufeffTitle: A\nDate: 2023-03-09 14:59\nAuthor: Á\nMovement: dan-van-kheo\n\nB\n", None),
    ],
)
def test_bom_and_crlf_are_fine(tmp_path, raw, fragment):
    content = copy_fixture_site(tmp_path)
    (content / "articles" / "2023" / "windows.md").write_bytes(raw.encode("utf-8"))
    code, report = build(content, tmp_path / "output")
    assert code == 0, report
    soup = page(tmp_path / "output", "tin-tuc/2023/a/")
    assert soup.select_one(".article__meta time")["datetime"] == "2023-03-09T14:59:00+07:00"


def test_sample_site_builds_without_warnings(tmp_path, warnings_log):
    """Without warnings but the one the sample has on purpose: its scanned
    decree (tests/content/test_check.py's SAMPLE_SCAN; logged once per
    process — Pelican's log filter drops a repeated message)."""
    code, report = build(ROOT / "content", tmp_path / "output")
    assert code == 0, report
    problems = [r.getMessage() for r in warnings_log.records if r.levelname in {"WARNING", "ERROR"}]
    scans = [m for m in problems if "15-2023-qd-ubnd-ban-chup.pdf" in m and "ảnh quét" in m]
    assert len(scans) <= 1, problems
    assert [m for m in problems if m not in scans] == []
    assert (tmp_path / "output" / "index.html").is_file()


def test_sample_site_reference_article(tmp_path):
    output = tmp_path / "output"
    assert build(ROOT / "content", output)[0] == 0
    soup = page(output, SEED_URL)
    assert soup.select_one(".article__meta time")["datetime"] == "2023-03-09T14:59:04+07:00"
    body = soup.select_one(".article__body")
    text = body.get_text(" ", strip=True).replace("\xa0", " ")
    assert "Nhung-11" not in text and "Hồng Nhung!" not in text
    assert text.startswith("Năm 2023 là năm thứ 3 thực hiện các Nghị Quyết")
    assert "tạo sự lan tỏa trong toàn Ban Quản lý các khu công nghiệp." in text
    assert len(body.find_all("p")) == 3
    figure = body.find("figure")
    assert figure.figcaption.get_text() == (
        "Ảnh lưu niệm công chức, viên Chức Ban Quản lý tham gia các phong trào thi đua"
    )
    assert figure.img["alt"].strip()
    assert [a.get_text() for a in soup.select(".byline a")] == ["Hồng Nhung"]


def test_no_broken_internal_links_or_images(fixture_site):
    from bulletin.build.linkcheck import broken_links  # noqa: PLC0415

    assert broken_links(str(fixture_site), "http://localhost:8000") == []


def test_rebuild_rewrites_only_what_changed(tmp_path):
    import os  # noqa: PLC0415

    content = copy_fixture_site(tmp_path)
    output = tmp_path / "output"
    assert build(content, output)[0] == 0
    old = {p: p.stat().st_mtime_ns for p in output.rglob("*") if p.is_file()}
    for path in old:  # make any rewrite visible in the mtime
        os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    assert build(content, output)[0] == 0
    unchanged = {p: p.stat().st_mtime_ns for p in output.rglob("*") if p.is_file()}
    assert set(unchanged) == set(old)
    assert all(mtime == 1_000_000_000 for mtime in unchanged.values())
    # An edit rewrites its article page; a removed article's page disappears.
    article = content / "articles" / "2023" / "tin-ngay-viet-kieu-viet-nam.md"
    article.write_text(
        article.read_text(encoding="utf-8") + "\nĐoạn mới được thêm vào bài.\n", encoding="utf-8"
    )
    (content / "articles" / "2024" / "tieu-de-co-script.md").unlink()
    assert build(content, output)[0] == 0
    edited = output / "tin-tuc/2023/hoi-nghi-tong-ket-cong-tac-nam-2023/index.html"
    assert edited.stat().st_mtime_ns != 1_000_000_000
    assert "Đoạn mới được thêm" in edited.read_text(encoding="utf-8")
    assert not (output / "tin-tuc" / "2024" / "canh-giac-lua-dao").exists()
    assert (output / "gioi-thieu" / "index.html").stat().st_mtime_ns == 1_000_000_000
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".output")]


def test_sharing_metadata_is_absolute_and_plain(fixture_site):
    soup = page(fixture_site, SEED_URL)

    def meta(**attrs):
        return soup.find("meta", attrs=attrs)["content"]

    url = "http://localhost:8000/" + SEED_URL
    assert soup.find("link", rel="canonical")["href"] == url
    assert meta(property="og:url") == url
    assert meta(property="og:locale") == "vi_VN"
    assert meta(name="twitter:title") == "Phát động phong trào thi đua năm 2023"
    assert meta(name="twitter:card") == "summary_large_image"
    image = meta(property="og:image")
    assert image.startswith(url + "anh/") and image.endswith(".jpg")
    assert (fixture_site / image.removeprefix("http://localhost:8000/")).is_file()
    assert [m["content"] for m in soup.find_all("meta", property="article:section")] == [
        "Bắc Kạn đẩy mạnh chuyển đổi số",
        "Cán bộ, công chức, viên chức thi đua thực hiện văn hóa công sở",
    ]
