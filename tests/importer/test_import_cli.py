"""Bad options: a clear Vietnamese message and exit code 2, never a traceback;
the task itself through the project's invoke."""

from __future__ import annotations

import subprocess
import sys

import pytest
from helpers import ROOT
from old_portal import PORTAL, import_into, new_content

from bulletin.importer.cli import split_sources


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"movement": "khong-co-phong-trao"}, '--movement "khong-co-phong-trao" không có'),
        ({"since": "09/13/2023"}, "--since: ngày"),
        ({"limit": "-3"}, '--limit "-3" phải là số bài'),
        ({"follow": "news(["}, "không phải biểu thức chính quy"),
        ({"rate": "nhanh"}, '--rate "nhanh" phải là số'),
        ({"rules": "/khong/co.toml"}, "Không đọc được tệp quy tắc"),
    ],
)
def test_bad_options_are_refused_before_anything_is_fetched(tmp_path, options, message):
    content = new_content(tmp_path)
    code, out, err = import_into(content, str(PORTAL / "rss.xml"), **options)
    assert code == 2 and out == ""
    assert err.startswith("Không nhập: ") and message in err


def test_a_rules_file_with_mistakes_lists_every_one(tmp_path):
    rules = tmp_path / "quy-tac.toml"
    rules.write_text(
        '[[movement]]\nslug = "van-hoa-cong-s"\nkeywords = ["x"]\n'
        '[[movement]]\nslug = "xanh-sach-dep"\n'
        '[[site]]\ncontent = "div..x"\ncolor = "red"\n'
        "[khac]\n",
        encoding="utf-8",
    )
    code, _, err = import_into(new_content(tmp_path), "x", rules=str(rules))
    assert code == 2
    assert 'bảng "khac" không được hỗ trợ' in err
    assert 'phong trào "van-hoa-cong-s" không có trong content/movements.toml' in err
    assert '"van-hoa-cong-so"' in err  # the suggestion
    assert 'cần ít nhất một "categories" hoặc "keywords"' in err
    assert 'bộ chọn CSS "div..x" của "content" không hợp lệ' in err
    assert 'khóa "color" không được hỗ trợ' in err


def test_no_source_and_unreadable_sources(tmp_path):
    content = new_content(tmp_path)
    code, _, err = import_into(content)
    assert code == 2 and "Thiếu nguồn cần nhập" in err
    code, out, _ = import_into(content, "/khong/co")
    assert code == 1 and "## Nguồn không đọc được" in out


def test_several_sources_in_one_argument():
    assert split_sources(" a.xml  http://b/rss ") == ["a.xml", "http://b/rss"]
    assert split_sources(str(PORTAL)) == [str(PORTAL)]


def test_invoke_import_speaks_vietnamese_without_a_traceback():
    invoke = [sys.executable, "-m", "invoke"]
    result = subprocess.run(
        [*invoke, "import", "--limit", "nhieu", "x"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert '"nhieu" không phải là số' in result.stderr + result.stdout
    assert "Traceback" not in result.stderr
    result = subprocess.run(
        [*invoke, "import", "x", "--dry-run", "--movement", "khong-co"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert 'Không nhập: --movement "khong-co" không có trong content/movements.toml' in (
        result.stderr
    )
