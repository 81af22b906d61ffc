"""Documents in real builds of the fixture site: plain links publish files,
drafts stay out, a large file warns, and an edit reaches the next build."""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import zipfile

from helpers import ROOT, build, copy_fixture_site, page, settings_for

from bulletin.build.main import check_site

SAMPLE_PDF = ROOT / "content" / "van-ban" / "2023" / "31-tb-bql.pdf"
DOCUMENT = """Title: {title}
Number: {number}
Date: {date}
Type: Kế hoạch
Issuer: Ban Quản lý các Khu công nghiệp tỉnh Bắc Kạn
Files: {files}
"""
ARTICLE = """Title: Tin có tệp đính kèm
Date: 2024-05-02 08:00
Author: Thu Hà
Movement: dan-van-kheo
Documents: 45/KH-BQL

Xem [kế hoạch]({link}) và [trang web](https://example.org/a.pdf).
"""


def write_document(content, name="kh", number="45/KH-BQL", title="Kế hoạch mẫu", **fields):
    folder = content / "van-ban" / "2023"
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(SAMPLE_PDF, folder / "kh.pdf")
    text = DOCUMENT.format(
        title=title,
        number=number,
        date=fields.pop("date", "2023-03-01"),
        files=fields.pop("files", "kh.pdf"),
    )
    text += "".join(f"{key}: {value}\n" for key, value in fields.items())
    (folder / f"{name}.md").write_text(text, encoding="utf-8")
    return folder


def write_article(content, link="tep/ke-hoach.pdf"):
    folder = content / "articles" / "2024"
    (folder / "tep").mkdir(parents=True, exist_ok=True)
    shutil.copyfile(SAMPLE_PDF, folder / "tep" / "ke-hoach.pdf")
    (folder / "dinh-kem.md").write_text(ARTICLE.format(link=link), encoding="utf-8")


def test_a_plain_link_to_a_local_pdf_publishes_it_beside_the_article(tmp_path):
    content = copy_fixture_site(tmp_path)
    write_document(content)
    write_article(content)
    code, report = build(content, tmp_path / "output")
    assert code == 0, report
    output = tmp_path / "output"
    article = "tin-tuc/2024/tin-co-tep-dinh-kem/"
    links = [a["href"] for a in page(output, article).select(".article__body a")]
    assert links[0].endswith(article + "tep/ke-hoach.pdf")
    assert links[1] == "https://example.org/a.pdf"
    published = output / article / "tep" / "ke-hoach.pdf"
    assert published.read_bytes() == SAMPLE_PDF.read_bytes()
    assert page(output, article).select_one(".doc-box a").get_text() == "Kế hoạch số 45/KH-BQL"


def test_a_linked_file_with_a_vietnamese_name_is_an_error(tmp_path):
    content = copy_fixture_site(tmp_path)
    write_document(content)
    write_article(content, link="tep/Kế hoạch.pdf")
    shutil.copyfile(SAMPLE_PDF, content / "articles" / "2024" / "tep" / "Kế hoạch.pdf")
    code, report = build(content, tmp_path / "output")
    assert code == 1
    assert (
        'content/articles/2024/dinh-kem.md:7: lỗi: Tệp đính kèm "Kế hoạch.pdf" có tên chứa dấu cách'
        in report
    )
    assert 'đổi tên tệp thành "ke-hoach.pdf"' in report


def test_draft_and_scheduled_documents_are_nowhere_and_cannot_be_cited(tmp_path):
    content = copy_fixture_site(tmp_path)
    write_document(content, name="nhap", number="46/KH-BQL", Status="draft")
    write_document(content, name="hen", number="47/KH-BQL", date="2098-01-02")
    write_document(content)
    code, report = build(content, tmp_path / "output")
    assert code == 0, report
    output = tmp_path / "output"
    assert not (output / "van-ban" / "2023" / "nhap").exists()
    assert not (output / "van-ban" / "2098").exists()
    register = (output / "api" / "documents.json").read_text(encoding="utf-8")
    assert "46/KH-BQL" not in register and "47/KH-BQL" not in register
    write_article(content)
    article = content / "articles" / "2024" / "dinh-kem.md"
    article.write_text(
        article.read_text(encoding="utf-8").replace("45/KH-BQL", "46/KH-BQL"), encoding="utf-8"
    )
    code, report = build(content, tmp_path / "output")
    assert code == 1
    assert 'Văn bản số "46/KH-BQL" chưa được đăng' in report


def test_a_file_over_30_mb_is_published_with_a_warning(tmp_path):
    content = copy_fixture_site(tmp_path)
    folder = write_document(content, files="lon.zip")
    with zipfile.ZipFile(folder / "lon.zip", "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("phu-luc.bin", b"\0" * (31 * 1024 * 1024))
    stream = io.StringIO()
    assert check_site(settings_for(content, tmp_path / "output"), stream=stream) == 0
    warning = 'content/van-ban/2023/kh.md:6: cảnh báo: Tệp "lon.zip" nặng 31 MB (trên 30 MB)'
    assert warning in stream.getvalue()
    code, report = build(content, tmp_path / "output")
    assert code == 0, report
    assert (tmp_path / "output" / "van-ban" / "2023" / "kh" / "lon.zip").stat().st_size > 31e6


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_an_edited_document_or_a_replaced_pdf_reaches_the_next_build(tmp_path):
    content = copy_fixture_site(tmp_path)
    folder = write_document(content)
    write_article(content)
    output = tmp_path / "output"
    assert build(content, output)[0] == 0
    markdown = folder / "kh.md"
    markdown.write_text(
        markdown.read_text(encoding="utf-8").replace("Kế hoạch mẫu", "Kế hoạch đã sửa"),
        encoding="utf-8",
    )
    assert build(content, output)[0] == 0
    assert page(output, "van-ban/2023/kh/").h1.get_text() == "Kế hoạch đã sửa"
    box = page(output, "tin-tuc/2024/tin-co-tep-dinh-kem/").select_one(".doc-box")
    assert "Kế hoạch đã sửa" in box.get_text()  # the citing article is rendered again
    other = ROOT / "content" / "van-ban" / "2022" / "08-kh-bql.pdf"
    shutil.copyfile(other, folder / "kh.pdf")
    os.utime(folder / "kh.pdf")
    assert build(content, output)[0] == 0
    assert digest(output / "van-ban" / "2023" / "kh" / "kh.pdf") == digest(other)
