"""Hostile old pages through ``invoke import``: what it writes is text in the
project's Markdown (the build's sanitiser finds nothing to remove), every file
lands inside the article's own folder, and nothing breaks out of ``content/``.
"""

from __future__ import annotations

import io
import os
import re
import time

import pytest
from bs4 import BeautifulSoup
from helpers import build, make_photo, settings_for
from importer.old_portal import import_into, new_content, serve

from bulletin.build.main import check_site
from bulletin.importer.sources import parse_xml

HOSTILE = """<!doctype html><html><head><meta charset="utf-8">
<title>Tin có mã độc</title></head><body><article>
<h1>Tin có mã độc &lt;script&gt;alert(0)&lt;/script&gt;</h1>
<p>Ngày đăng: 09/03/2023 14:59</p>
<p>Đoạn đầu tiên của bài viết này có đủ dài để là một bài thật, với nhiều câu chữ.
<script>alert(1)</script><img src=x onerror="alert(2)"> Chữ &lt;script&gt;alert(3)&lt;/script&gt;
là chữ, không phải mã. Ký hiệu *sao*, [ngoặc](javascript:alert(4)) và `huyền`.</p>
<p>Liên kết <a href="javascript:alert(5)">nhấn vào đây</a>, <a href="data:text/html,x">dữ
liệu</a> và <a href="https://cu.vn/tin.html" onclick="alert(6)">tin cũ</a>.</p>
<p style="position:fixed;top:0">Đoạn có style che trang, và một khung
<iframe src="https://evil.example/"></iframe> nhúng từ nơi khác.</p>
<p><img src="/anh/..%2F..%2F..%2Fngoai.jpg" alt="Ảnh một"></p>
<p><img src="/anh/a/../../../../ngoai-2.jpg" alt="Ảnh hai"></p>
<p><img src="/anh/%2E%2E/.htaccess.jpg" alt="Ảnh ba"></p>
<p>Tin, ảnh: Thu Hà</p>
</article></body></html>"""


@pytest.fixture
def hostile_portal(tmp_path):
    root = tmp_path / "portal"
    (root / "tin").mkdir(parents=True)
    (root / "tin" / "doc.html").write_text(HOSTILE, encoding="utf-8")
    (root / "lon.html").write_bytes(b"<html><body>" + b"<p>x</p>" * 1_400_000 + b"</body></html>")
    served, stop = serve(root)
    served.any_photo = make_photo(tmp_path / "anh.jpg")
    yield served
    stop()


def test_a_hostile_page_becomes_text_and_files_stay_in_the_article_folder(hostile_portal, tmp_path):
    content = new_content(tmp_path / "site")
    code, report, _ = import_into(
        content, f"{hostile_portal.url}/tin/doc.html", movement="van-hoa-cong-so"
    )
    assert code == 0, report
    [path] = (content / "articles" / "2023").glob("*.md")
    text = path.read_text(encoding="utf-8")
    # The header is text by the content model (the reader escapes Title).
    assert text.startswith("Title: Tin có mã độc <script>alert(0)</script>\n")
    body = text.split("\n\n", 1)[1]
    for dangerous in ("<script", "data:text", "onerror", "onclick", "<iframe", "style="):
        assert dangerous not in body, dangerous
    # "[ngoặc](javascript:…)" was text on the page: its brackets are escaped, no link.
    assert not re.search(r"(?<!\\)\]\(javascript:", body)
    assert "\\[ngoặc\\](javascript:alert(4))" in body
    assert "&lt;script>alert(3)&lt;/script>" in text  # the text that looked like a tag
    assert "\\*sao\\*" in text and "\\[ngoặc\\]" in text
    assert "[tin cũ](https://cu.vn/tin.html)" in text
    # Every file the import wrote is in the article's own photo folder.
    written = [p for p in content.rglob("*") if p.is_file()]
    folder = path.parent / "anh" / path.stem
    for file in written:
        if file.suffix != ".md" and "pages" not in file.parts and file.name != "movements.toml":
            assert file.parent == folder, file
            assert not file.name.startswith(".")
    assert sorted(f.name for f in folder.iterdir()) == ["htaccess.jpg", "ngoai-2.jpg", "ngoai.jpg"]
    assert (
        not (tmp_path / "ngoai.jpg").exists() and not (tmp_path / "site" / "ngoai-2.jpg").exists()
    )
    # The build's own checks find nothing to remove; the page shows text only.
    stream = io.StringIO()
    assert check_site(settings_for(content, tmp_path / "out", PUBLISHED_REF=False), stream) == 0
    *warnings, count = stream.getvalue().splitlines()
    assert count == "0 lỗi, 3 cảnh báo."
    assert all("chưa có chú thích" in line for line in warnings)  # nothing removed
    code, log = build(content, tmp_path / "out", PUBLISHED_REF=False)
    assert code == 0, log
    html = next((tmp_path / "out" / "tin-tuc" / "2023").glob("*/index.html")).read_text("utf-8")
    soup = BeautifulSoup(html, "html.parser")
    assert all(script.get("src") or script.get("type") for script in soup.find_all("script"))
    for element in soup.find_all(True):
        assert not any(name.startswith("on") for name in element.attrs), element
        assert not element.get("href", "").startswith(("javascript:", "data:")), element
    assert soup.h1.get_text().replace("\xa0", " ") == "Tin có mã độc <script>alert(0)</script>"
    assert "Chữ <script>alert(3)</script> là chữ" in soup.get_text()


def test_a_huge_page_is_refused_without_reading_it_whole(hostile_portal, tmp_path):
    content = new_content(tmp_path)
    code, report, _ = import_into(content, f"{hostile_portal.url}/lon.html")
    assert code == 1  # the one SOURCE could not be read
    assert "lon.html: tệp quá lớn (trên 10 MB" in report
    assert not list((content / "articles").rglob("*.md"))


def test_a_saved_folder_never_reads_outside_itself(tmp_path):
    secret = tmp_path / "bi-mat"
    secret.mkdir()
    make_photo(secret / "rieng.jpg")
    (secret / "trang.html").write_text(HOSTILE, encoding="utf-8")
    saved = tmp_path / "da-luu"
    (saved / "tin").mkdir(parents=True)
    page = HOSTILE.replace('src="/anh/a/../../../../ngoai-2.jpg"', 'src="../../bi-mat/rieng.jpg"')
    (saved / "tin" / "doc.html").write_text(page, encoding="utf-8")
    os.symlink(secret / "trang.html", saved / "tin" / "lien-ket.html")  # a page outside
    os.symlink(secret / "rieng.jpg", saved / "tin" / "anh.jpg")
    content = new_content(tmp_path / "site")
    code, report, _ = import_into(content, str(saved), movement="van-hoa-cong-so")
    assert code == 0, report
    assert "- Đã nhập: 1 bài, 0 ảnh" in report  # photos outside the folder are not read
    assert "lien-ket.html" not in report
    photos = list((content / "articles").rglob("*.jpg"))
    assert photos == []


def test_an_xml_bomb_and_external_entities_are_not_expanded():
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa">'
        + b"".join(
            f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">'.encode() for i in range(8)
        )
        + b"]><urlset><url><loc>&i;</loc></url></urlset>"
    )
    started = time.perf_counter()
    root = parse_xml(bomb)
    assert time.perf_counter() - started < 1
    assert root is None or len("".join(root.itertext())) < 1000
