"""A document created in /admin/ by typing, in local mode (`invoke cms`): the
"Văn bản" collection (bulletin.editor.documents), decap-server writing into a
git checkout's content/, Chromium typing key by key.

What is asserted is what the editor sees (Decap refusing a malformed number
with the register's own rule) and what lands in content/ (the document and
its PDF beside it, byte for byte; `invoke check` and a build on them).
"""

from __future__ import annotations

import hashlib
import io
import re
import shutil

from conftest import ROOT, build

from browser.test_cms_browser import node  # noqa: F401 - a fixture
from browser.test_cms_editing import (  # noqa: F401 - fixtures
    checkout,
    decap_fs,
    editor,
    editor_url,
    publish,
    shot,
    wait_for_file,
)
from bulletin.build.main import check_site, load_settings
from bulletin.content.vietnamese import bounded_slug

TITLE = "Kế hoạch tổ chức Ngày hội Đoàn viên công nhân các KCN năm 2025"
PDF = ROOT / "content" / "van-ban" / "2025" / "18-kh-bql.pdf"


def sha256(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_document_typed_in_the_editor_is_published_with_its_pdf(editor, checkout, tmp_path):  # noqa: F811
    page = editor
    slug = bounded_slug(TITLE)
    path = checkout / "content" / "van-ban" / "2025" / f"{slug}.md"
    page.get_by_role("link", name="Văn bản").click()
    page.get_by_text("Viết văn bản mới").click()
    page.get_by_label("Trích yếu").press_sequentially(TITLE)
    page.get_by_label("Số hiệu").press_sequentially("Số 52/KH")  # as a newcomer types it
    page.get_by_label("Ngày ban hành").press_sequentially("20/03/2025")
    kind = page.get_by_label("Loại văn bản")
    kind.press_sequentially("Kế hoạch")
    kind.press("Enter")
    assert page.get_by_label("Cơ quan ban hành").input_value() == (
        "Ban Quản lý các Khu công nghiệp tỉnh Bắc Kạn"
    )
    page.get_by_role("button", name=re.compile("Thêm tệp")).click()
    page.get_by_role("button", name="Chọn một tập tin").click()
    upload = shutil.copy(PDF, tmp_path / "52-kh-bql.pdf")
    page.set_input_files("input[type=file]", str(upload))
    # Decap's media library (its words, "ảnh", are the articles' photos' too).
    page.get_by_role("button", name="Dùng ảnh đã chọn").click()
    page.get_by_text("52-kh-bql.pdf").first.wait_for()

    # The register's Number rule, in the form: refused, nothing written.
    publish(page)
    page.locator("#bulletin-report").get_by_text(
        "Trường “Số hiệu”: Số hiệu không khớp với mẫu: Số hiệu viết như trên văn bản, chữ in hoa"
    ).wait_for()
    shot(page, "van-ban-sai-so-hieu")
    assert not path.exists()

    number = page.get_by_label("Số hiệu")
    number.press("Control+a")
    number.press("Backspace")
    number.press_sequentially("52/KH-BQL")
    publish(page)
    written = wait_for_file(page, path)
    assert written.splitlines()[:7] == [
        f"Title: {TITLE}",
        "Number: 52/KH-BQL",
        "Date: 20/03/2025",
        "Type: Kế hoạch",
        "Issuer: Ban Quản lý các Khu công nghiệp tỉnh Bắc Kạn",
        "Files: 52-kh-bql.pdf",
        f"Slug: {slug}",
    ]
    published_pdf = path.parent / "52-kh-bql.pdf"
    assert sha256(published_pdf) == sha256(PDF)  # uploaded byte for byte

    report = io.StringIO()
    settings = load_settings(str(ROOT / "pelicanconf.py"), PATH=str(checkout / "content"))
    assert check_site(settings, stream=report) == 0, report.getvalue()
    assert slug not in report.getvalue()
    output = tmp_path / "output"
    code, log = build(checkout / "content", output)
    assert code == 0, log
    document = output / "van-ban" / "2025" / slug
    assert "52/KH-BQL" in (document / "index.html").read_text(encoding="utf-8")
    assert sha256(document / "52-kh-bql.pdf") == sha256(PDF)
