"""What ``invoke new-document`` says for bad input: Vietnamese, the field, the fix, exit 1.

The real ``.venv/bin/invoke`` in a subprocess, as tests/build/test_tasks_messages.py runs it.
Every command here is wrong on purpose: none may write into the checkout's
content/ (checked).
"""

from __future__ import annotations

import os
import subprocess

import pytest
from helpers import ROOT

INVOKE = ROOT / ".venv" / ("Scripts" if os.name == "nt" else "bin") / "invoke"
ENGLISH = ("Traceback", "did not receive", "No idea what", "needed value", "invalid literal")


def invoke(*args: str) -> subprocess.CompletedProcess:
    if not INVOKE.exists():
        pytest.skip(f"{INVOKE} is missing (python3 bootstrap.py sets it up)")
    return subprocess.run(
        [str(INVOKE), *args], cwd=ROOT, capture_output=True, text=True, timeout=60, check=False
    )


def assert_vietnamese(result, *expected: str) -> str:
    """Every expected line said, and no English of invoke's or Python's."""
    text = result.stdout + result.stderr
    assert not [english for english in ENGLISH if english in text], text
    assert not [line for line in expected if line not in text], text
    return text


@pytest.fixture
def register_untouched():
    """The checkout's content/van-ban/ is exactly as before the command."""
    folder = ROOT / "content" / "van-ban"
    before = sorted(p.relative_to(folder) for p in folder.rglob("*"))
    yield
    assert sorted(p.relative_to(folder) for p in folder.rglob("*")) == before


def test_missing_options_give_the_usage(register_untouched):
    result = invoke("new-document")
    assert result.returncode == 1
    assert_vietnamese(
        result,
        'Lệnh "new-document" còn thiếu: --title, --number, --type.',
        'Cách dùng: invoke new-document "<title>" --number "<number>" --type "<type>"',
        "--number: số hiệu như trên văn bản, ví dụ 45/KH-BQL",
        "--issuer: cơ quan ban hành",
        "Xem thêm: invoke --help new-document",
    )


def test_a_wrong_number_type_and_date_are_each_named_with_the_fix(register_untouched):
    result = invoke(
        "new-document",
        "Kế hoạch thử",
        "--number",
        "45-KH",
        "--type",
        "Ke hoach x",
        "--date",
        "2025-13-01",
    )
    assert result.returncode == 1
    text = assert_vietnamese(
        result,
        "Không tạo văn bản:",
        'Trường "Number" (số hiệu): "45-KH" không đúng dạng số hiệu văn bản',
        "(tùy chọn --number) — viết đúng như trên văn bản, ví dụ 45/KH-BQL hoặc 12/2023/QĐ-UBND",
        'Trường "Type" (loại văn bản): "Ke hoach x" không phải loại văn bản đã biết '
        '(tùy chọn --type) — có phải ý bạn là: "Kế hoạch"?',
        "Ngày ban hành (tùy chọn --date):",
    )
    assert "Đã tạo" not in text


def test_a_number_already_in_the_register(register_untouched):
    result = invoke("new-document", "Kế hoạch khác", "--number", "45/KH-BQL", "--type", "Kế hoạch")
    assert result.returncode == 1
    assert_vietnamese(
        result,
        'Đã có văn bản số "45/KH-BQL": content/van-ban/2023/ke-hoach-phat-dong-thi-dua-nam-2023.md',
    )


def test_an_option_without_its_value(register_untouched):
    result = invoke("new-document", "Kế hoạch thử", "--number", "46/KH-BQL", "--type")
    assert result.returncode == 1
    assert_vietnamese(result, 'Tùy chọn --type cần một giá trị, ví dụ --type "…"')


def test_help_names_every_option(register_untouched):
    result = invoke("--help", "new-document")
    assert result.returncode == 0
    assert_vietnamese(
        result,
        "invoke new-document: Create content/van-ban/<year>/<slug>.md",
        "--date: ngày ban hành, ví dụ 2025-03-01 hoặc 01/03/2025",
        "--slug: đường dẫn của văn bản",
    )
