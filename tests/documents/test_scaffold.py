"""``invoke new-document``: the file it writes, and every wrong option said at once."""

from __future__ import annotations

import io
import shutil
from datetime import datetime

import pytest
from helpers import ROOT, copy_fixture_site

from bulletin.build.main import check_site
from bulletin.content.vietnamese import TIMEZONE
from bulletin.documents.scaffold import create_document
from bulletin.editor.scaffold import ScaffoldError

ISSUER = "Ban Quản lý các Khu công nghiệp tỉnh Bắc Kạn"
NOW = datetime(2025, 3, 1, 9, 30, tzinfo=TIMEZONE)
SAMPLE_PDF = ROOT / "content" / "van-ban" / "2023" / "31-tb-bql.pdf"


def new(content, title="Kế hoạch tổ chức Ngày hội Đoàn viên 2025", **options):
    options = {"number": "45/KH-BQL", "kind": "Kế hoạch", "issuer": ISSUER, **options}
    return create_document(
        content,
        title,
        options.pop("number"),
        options.pop("kind"),
        now=NOW,
        **options,
    )


def test_the_file_is_a_draft_naming_the_file_to_copy(tmp_path):
    content = tmp_path / "content"
    path, file = new(content)
    assert path == content / "van-ban" / "2025" / "ke-hoach-to-chuc-ngay-hoi-doan-vien-2025.md"
    assert file == "content/van-ban/2025/45-kh-bql.pdf"
    assert path.read_text(encoding="utf-8") == (
        "Title: Kế hoạch tổ chức Ngày hội Đoàn viên 2025\n"
        "Number: 45/KH-BQL\n"
        "Date: 2025-03-01\n"
        "Type: Kế hoạch\n"
        f"Issuer: {ISSUER}\n"
        "Signer: \n"
        "Movement: \n"
        "Field: \n"
        "Files: 45-kh-bql.pdf\n"
        "Slug: ke-hoach-to-chuc-ngay-hoi-doan-vien-2025\n"
        "Status: draft\n"
    )


def test_type_spelled_loosely_and_date_day_first_are_read(tmp_path):
    path, file = new(
        tmp_path / "content", number="12/2024/QĐ-UBND", kind="quyet dinh", date="05/01/2024"
    )
    text = path.read_text(encoding="utf-8")
    assert "Type: Quyết định\n" in text and "Date: 2024-01-05\n" in text
    assert path.parent.name == "2024" and file.endswith("/12-2024-qd-ubnd.pdf")


def test_every_wrong_option_is_said_at_once_with_its_fix(tmp_path):
    content = tmp_path / "content"
    with pytest.raises(ScaffoldError) as raised:
        new(content, title=" ", number="Số 45/kh-bql", kind="Ke hoach x", date="31/02/2025")
    lines = str(raised.value).splitlines()
    assert lines[0].startswith("Trích yếu đang để trống")
    assert lines[1].startswith('Trường "Number" (số hiệu): "Số 45/kh-bql" không đúng dạng')
    assert "(tùy chọn --number)" in lines[1] and 'có phải là "45/KH-BQL"?' in lines[1]
    assert lines[2].startswith('Trường "Type" (loại văn bản): "Ke hoach x" không phải loại')
    assert "(tùy chọn --type)" in lines[2] and 'có phải ý bạn là: "Kế hoạch"' in lines[2]
    assert lines[3].startswith("Ngày ban hành (tùy chọn --date):")
    assert len(lines) == 4
    assert not content.exists()  # nothing written


def test_a_bad_slug_names_a_good_one(tmp_path):
    with pytest.raises(ScaffoldError, match="dùng --slug ke-hoach-45"):
        new(tmp_path / "content", slug="Kế hoạch 45")


def test_never_overwrites_and_names_a_free_slug(tmp_path):
    content = tmp_path / "content"
    path, _ = new(content)
    before = path.read_bytes()
    with pytest.raises(ScaffoldError) as raised:
        new(content, number="46/KH-BQL")
    assert "không ghi đè" in str(raised.value)
    assert "--slug ke-hoach-to-chuc-ngay-hoi-doan-vien-2025-2" in str(raised.value)
    assert path.read_bytes() == before


def test_a_number_already_in_the_register_is_refused(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content" / "van-ban", content / "van-ban")
    with pytest.raises(ScaffoldError) as raised:
        new(content, title="Kế hoạch khác", number="08/kh-BQL ")
    message = str(raised.value)
    assert 'Đã có văn bản số "08/kh-BQL"' in message  # as typed, spaces aside
    assert "content/van-ban/2022/ke-hoach-huong-ung-chuyen-doi-so.md" in message


def test_with_its_file_copied_and_status_removed_it_checks_clean(tmp_path):
    content = copy_fixture_site(tmp_path)
    path, file = new(content)
    shutil.copyfile(SAMPLE_PDF, tmp_path / file)
    path.write_text(path.read_text(encoding="utf-8").replace("Status: draft\n", ""), "utf-8")
    from helpers import settings_for  # noqa: PLC0415

    report = io.StringIO()
    assert check_site(settings_for(content, tmp_path / "output"), stream=report) == 0
    assert report.getvalue().strip() == "0 lỗi, 0 cảnh báo.", report.getvalue()
