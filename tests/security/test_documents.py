"""Hostile documents: files outside content/ are never read or published,
and every field reaches pages, feeds, JSON-LD and the API as text only."""

from __future__ import annotations

import json
import os
import shutil

import feedparser
from helpers import ROOT, build, copy_fixture_site, page

SAMPLE_PDF = ROOT / "content" / "van-ban" / "2023" / "31-tb-bql.pdf"
HEADER = (
    "Title: {title}\nNumber: {number}\nDate: 2023-03-01\nType: Kế hoạch\n"
    "Issuer: {issuer}\nFiles: {files}\n"
)
SECRET = "bí-mật-không-được-đăng"


def document(content, name, *, title="Kế hoạch", issuer="Ban", files="a.pdf", body=""):
    folder = content / "van-ban" / "2023"
    folder.mkdir(parents=True, exist_ok=True)
    if not (folder / "a.pdf").exists():
        shutil.copyfile(SAMPLE_PDF, folder / "a.pdf")
    text = HEADER.format(title=title, number="45/KH-BQL", issuer=issuer, files=files)
    (folder / f"{name}.md").write_text(text + ("\n" + body if body else ""), encoding="utf-8")
    return folder


def secret_outside(tmp_path):
    outside = tmp_path / "ngoai"
    outside.mkdir()
    secret = outside / "bi-mat.pdf"
    secret.write_bytes(SAMPLE_PDF.read_bytes().replace(b"%%EOF", SECRET.encode() + b"\n%%EOF"))
    return secret


def assert_nothing_published(output, report):
    assert not output.exists(), report
    assert SECRET not in report


def test_a_symlinked_file_leading_out_of_content_is_an_error(tmp_path):
    content = copy_fixture_site(tmp_path)
    folder = document(content, "kh", files="lien-ket.pdf")
    os.symlink(secret_outside(tmp_path), folder / "lien-ket.pdf")
    output = tmp_path / "output"
    code, report = build(content, output)
    assert code == 1
    assert (
        'content/van-ban/2023/kh.md:6: lỗi: Tệp "lien-ket.pdf" nằm ngoài thư mục content/' in report
    )
    assert_nothing_published(output, report)


def test_a_symlinked_folder_or_document_leading_out_is_refused(tmp_path):
    content = copy_fixture_site(tmp_path)
    secret = secret_outside(tmp_path)
    document(content, "kh", files="thu-muc/bi-mat.pdf")
    os.symlink(secret.parent, content / "van-ban" / "2023" / "thu-muc")
    outside_md = tmp_path / "ngoai" / "van-ban-ngoai.md"
    outside_md.write_text(
        HEADER.format(title="Ngoài", number="46/KH-BQL", issuer="Ban", files="bi-mat.pdf"),
        encoding="utf-8",
    )
    os.symlink(outside_md, content / "van-ban" / "2023" / "ngoai.md")
    output = tmp_path / "output"
    code, report = build(content, output)
    assert code == 1
    assert 'Tệp "thu-muc/bi-mat.pdf" nằm ngoài thư mục content/' in report
    assert "content/van-ban/2023/ngoai.md:1: lỗi: Tệp này là liên kết tắt (symlink)" in report
    assert_nothing_published(output, report)


def test_a_plain_link_to_a_symlink_leading_out_is_an_error(tmp_path):
    content = copy_fixture_site(tmp_path)
    folder = content / "articles" / "2023"
    os.symlink(secret_outside(tmp_path), folder / "tai-lieu.pdf")
    (folder / "lien-ket.md").write_text(
        "Title: Tin có liên kết\nDate: 2023-05-01 09:00\nAuthor: Thu Hà\n"
        "Movement: dan-van-kheo\n\nXem [tài liệu](tai-lieu.pdf).\n",
        encoding="utf-8",
    )
    output = tmp_path / "output"
    code, report = build(content, output)
    assert code == 1
    assert 'Tệp đính kèm "tai-lieu.pdf" nằm ngoài thư mục content/' in report
    assert_nothing_published(output, report)


SCRIPT = "<script>alert(1)</script>"


def test_hostile_fields_are_text_everywhere(tmp_path):
    content = copy_fixture_site(tmp_path)
    title = f'Kế hoạch </script><!--<script> "x" {SCRIPT} & <b>đậm</b>'
    issuer = f'"><img src=x onerror=alert(1)> {SCRIPT}'
    body = f"Ghi chú {SCRIPT}\n\n<img src=x onerror=alert(2)>\n\n[nhấn](javascript:alert(3))\n"
    document(content, "kh", title=title, issuer=issuer, body=body)
    output = tmp_path / "output"
    code, report = build(content, output)
    assert code == 1  # the note's script, handler and javascript: link are removed and reported
    assert "content/van-ban/2023/kh.md" in report
    body = "Ghi chú chữ thường.\n"
    document(content, "kh", title=title, issuer=issuer, body=body)
    code, report = build(content, output)
    assert code == 0, report
    for url in ("van-ban/2023/kh/", "van-ban/", "van-ban/loai/ke-hoach/"):
        html = (output / url / "index.html").read_text(encoding="utf-8")
        assert SCRIPT not in html and "<img src=x" not in html and "<b>đậm" not in html
    soup = page(output, "van-ban/2023/kh/")
    assert soup.h1.get_text() == title  # shown as written, as text
    # The document's own JSON-LD, then the agency's (bulletin.site.identity).
    script, _ = soup.select('script[type="application/ld+json"]')
    assert "</script" not in script.string and "<!--" not in script.string
    data = json.loads(script.string)
    assert data["name"] == title and data["publisher"]["name"]
    api = json.loads((output / "api" / "documents.json").read_text(encoding="utf-8"))
    assert api["documents"][0]["title"] == title
    assert api["documents"][0]["issuer"] == issuer
    feed = feedparser.parse((output / "feeds" / "van-ban.atom.xml").read_bytes())
    assert feed.entries[0].title == f"Kế hoạch số 45/KH-BQL: {title}"
    assert "<script" not in (output / "feeds" / "van-ban.atom.xml").read_text(encoding="utf-8")
