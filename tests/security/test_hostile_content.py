"""Hostile content through the real check and build: an error at file:line and
nothing published, or a page on which the markup is only text.

Also the files a build may read: nothing outside ``content/`` — symlinked
attachments, folders, covers, photos and articles — is ever published.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from helpers import FIXTURE_SETTINGS, ROOT, build, copy_fixture_site, make_photo, page

from bulletin.build.main import check_site, load_settings
from security.vectors import PASTED_LEFTOVERS, SCRIPT_VECTORS, TEXT_VECTORS

HEADER = "Title: {title}\nDate: 2023-05-{day:02d} 09:00\nAuthor: Thu Hà\nMovement: dan-van-kheo\n"
SLUG = "Slug: {slug}\n"


def article(content: Path, slug: str, body: str, day: int = 1, extra: str = "") -> Path:
    path = content / "articles" / "2023" / f"{slug}.md"
    header = HEADER.format(title=f"Bài {slug}", day=day) + SLUG.format(slug=slug) + extra
    path.write_text(f"{header}\nĐoạn mở đầu.\n\n{body}\n\nĐoạn kết.\n", encoding="utf-8")
    return path


def check(content: Path) -> tuple[int, str]:
    settings = load_settings(str(ROOT / "pelicanconf.py"), PATH=str(content), **FIXTURE_SETTINGS)
    stream = io.StringIO()
    return check_site(settings, stream=stream), stream.getvalue()


def every_file_bytes(folder: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file())


def test_every_hostile_vector_is_an_error_at_its_line_and_nothing_is_published(tmp_path):
    content = copy_fixture_site(tmp_path)
    for number, vector in enumerate(SCRIPT_VECTORS):
        article(content, f"doc-hai-{number}", vector, day=1 + number % 28)
    code, report = check(content)
    assert code == 1
    for number, vector in enumerate(SCRIPT_VECTORS):
        # The vector is on line 9 of its file (header, blank, paragraph, blank).
        wanted = f"content/articles/2023/doc-hai-{number}.md:9: lỗi: "
        assert wanted in report, f"{vector!r} not reported at its line:\n{report}"
    assert "Traceback" not in report
    output = tmp_path / "output"
    code, log = build(content, output)
    assert code == 1 and "Traceback" not in log
    assert not output.exists()


def test_markup_shown_as_text_is_published_as_text(tmp_path):
    content = copy_fixture_site(tmp_path)
    body = "\n\n".join(TEXT_VECTORS + PASTED_LEFTOVERS)
    article(content, "vi-du-ma", body)
    code, report = check(content)
    assert code == 0, report
    assert "cảnh báo: Thẻ HTML <font> không được hỗ trợ" in report  # never silently
    output = tmp_path / "output"
    code, log = build(content, output)
    assert code == 0, log
    body = page(output, "tin-tuc/2023/vi-du-ma/").select_one(".article__body")
    elements = body.find_all(True)
    assert not [e.name for e in elements if e.name in {"script", "svg", "font", "center", "img"}]
    assert not [a for e in elements for a in e.attrs if a.startswith("on") or a == "style"]
    text = body.get_text().replace("\xa0", " ")
    assert "<img src=x onerror=alert(1)>" in text
    assert "</script><script>alert(1)</script>" in text
    assert "chữ đỏ" in text and "văn bản Word" in text


def test_movement_description_goes_through_the_sanitiser(tmp_path):
    content = copy_fixture_site(tmp_path)
    registry = content / "movements.toml"
    text = registry.read_text(encoding="utf-8")
    registry.write_text(
        text.replace(
            "[dan-van-kheo]",
            "[dan-van-kheo]\n"
            'description = "Mô tả <img src=x onerror=alert(1)> <script>x()</script>"',
            1,
        ),
        encoding="utf-8",
    )
    line = registry.read_text(encoding="utf-8").splitlines().index("[dan-van-kheo]") + 1
    code, report = check(content)
    assert code == 1
    assert f'content/movements.toml:{line}: lỗi: Phong trào "[dan-van-kheo]", khóa ' in report
    assert "onerror" in report and "<script>" in report
    assert build(content, tmp_path / "output")[0] == 1


# --- nothing outside content/ -------------------------------------------------------


@pytest.fixture
def secret(tmp_path) -> Path:
    """A file outside content/ that must never reach the output."""
    path = tmp_path / "outside" / "bi-mat.txt"
    path.parent.mkdir()
    path.write_text("MẬT KHẨU CI: s3cr3t-token-123\n", encoding="utf-8")
    return path


def assert_refused(tmp_path, content, expected: str) -> None:
    code, report = check(content)
    assert code == 1, report
    assert expected in report, report
    output = tmp_path / "output"
    code, log = build(content, output)
    assert code == 1, log
    assert "Traceback" not in log
    assert not output.exists() or b"s3cr3t-token-123" not in every_file_bytes(output)


@pytest.mark.parametrize("marker", ["{static}", "{attach}"])
def test_linked_file_that_is_a_symlink_outside_is_refused(tmp_path, secret, marker):
    content = copy_fixture_site(tmp_path)
    (content / "articles" / "2023" / "tai-lieu.txt").symlink_to(secret)
    article(content, "lien-ket", f"Tải [tài liệu]({marker}tai-lieu.txt).")
    assert_refused(
        tmp_path,
        content,
        'content/articles/2023/lien-ket.md:9: lỗi: Tệp đính kèm "tai-lieu.txt" nằm ngoài thư mục',
    )


def test_file_in_a_symlinked_folder_is_refused(tmp_path, secret):
    content = copy_fixture_site(tmp_path)
    (content / "articles" / "2023" / "kho").symlink_to(secret.parent, target_is_directory=True)
    article(content, "thu-muc", "Xem [tệp]({static}kho/bi-mat.txt).")
    assert_refused(
        tmp_path, content, 'content/articles/2023/thu-muc.md:9: lỗi: Tệp đính kèm "bi-mat.txt"'
    )


def test_static_link_climbing_out_is_refused(tmp_path):
    content = copy_fixture_site(tmp_path)
    article(content, "leo-ra", "Xem [tệp]({static}../../../../../../../../../etc/hostname).")
    assert_refused(
        tmp_path, content, 'content/articles/2023/leo-ra.md:9: lỗi: Tệp đính kèm "hostname"'
    )
    assert not (tmp_path / "etc").exists()


def test_photo_and_cover_that_are_symlinks_outside_are_refused(tmp_path):
    content = copy_fixture_site(tmp_path)
    private = make_photo(tmp_path / "outside" / "rieng-tu.jpg")
    folder = content / "articles" / "2023" / "anh" / "anh-lien-ket"
    folder.mkdir(parents=True)
    (folder / "a.jpg").symlink_to(private)
    (folder / "bia.jpg").symlink_to(private)
    article(
        content,
        "anh-lien-ket",
        '![Ảnh mô tả](anh/anh-lien-ket/a.jpg "Chú thích")',
        extra="Cover: anh/anh-lien-ket/bia.jpg\n",
    )
    code, report = check(content)
    assert code == 1
    assert (
        'anh-lien-ket.md:10: lỗi: Ảnh "anh/anh-lien-ket/a.jpg" nằm ngoài thư mục content/' in report
    )
    assert 'anh-lien-ket.md:6: lỗi: Ảnh "anh/anh-lien-ket/bia.jpg" nằm ngoài thư mục content/' in (
        report
    )
    assert build(content, tmp_path / "output")[0] == 1


def test_article_that_is_a_symlink_outside_is_refused(tmp_path, secret):
    content = copy_fixture_site(tmp_path)
    outside = secret.parent / "bai.md"
    outside.write_text(HEADER.format(title="Bài ngoài", day=3) + "\nNội dung.\n", "utf-8")
    os.symlink(outside, content / "articles" / "2023" / "bai-ngoai.md")
    code, report = check(content)
    assert code == 1
    assert "content/articles/2023/bai-ngoai.md:1: lỗi: Tệp này là liên kết tắt (symlink)" in report


def test_attachment_that_would_replace_a_page_of_the_site_is_refused(tmp_path):
    content = copy_fixture_site(tmp_path)
    fake = content / "admin" / "index.html"
    fake.parent.mkdir()
    fake.write_text("<script>steal(localStorage)</script>", encoding="utf-8")
    article(content, "de-admin", "Xem [trang]({static}/admin/index.html).")
    code, report = check(content)
    assert code == 1
    assert (
        'content/articles/2023/de-admin.md:9: lỗi: Tệp đính kèm "index.html" sẽ được đăng ở '
        '"/admin/index.html", thuộc phần "/admin/" của chính trang web'
    ) in report
    assert build(content, tmp_path / "output")[0] == 1
