"""`invoke check` and the build on a corpus of bad inputs, one folder per case.

Each ``tests/bad_inputs/<case>/`` holds files laid over a copy of the fixture
site's ``content/`` and a ``case.toml`` with the expected exit code and the
lines (or line starts) the report must contain.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
import tomllib
from datetime import datetime
from pathlib import Path

import pytest
from helpers import FIXTURE_SETTINGS, ROOT, build, copy_fixture_site

from bulletin.build.main import check_site, load_settings
from bulletin.content.vietnamese import TIMEZONE
from bulletin.editor.scaffold import ScaffoldError, create_article

CASES = Path(__file__).resolve().parent.parent / "bad_inputs"


def run_check(content: Path, **overrides) -> tuple[int, str]:
    overrides = {**FIXTURE_SETTINGS, **overrides}
    settings = load_settings(str(ROOT / "pelicanconf.py"), PATH=str(content), **overrides)
    stream = io.StringIO()
    code = check_site(settings, stream=stream)
    return code, stream.getvalue()


def site_with_case(tmp_path: Path, case: str) -> Path:
    content = copy_fixture_site(tmp_path)
    shutil.copytree(CASES / case / "content", content, dirs_exist_ok=True)
    return content


@pytest.mark.parametrize("case", sorted(p.name for p in CASES.iterdir() if p.is_dir()))
def test_bad_input_is_reported_with_file_line_and_fix(tmp_path, case):
    spec = tomllib.loads((CASES / case / "case.toml").read_text(encoding="utf-8"))
    content = site_with_case(tmp_path, case)
    code, report = run_check(content)
    lines = report.splitlines()
    for expected in spec["expect"]:
        assert any(expected in line for line in lines), f"{expected!r} not in:\n{report}"
    for unexpected in spec.get("absent", []):
        assert not any(unexpected in line for line in lines), f"{unexpected!r} in:\n{report}"
    assert code == spec["exit"], report
    # Every problem line names a file (and a line), then a count ends the report.
    assert all(line.startswith("content/") for line in lines[:-1]), report
    assert lines[-1].endswith("cảnh báo.")
    # The build runs the same checks: same verdict, nothing half-written.
    output = tmp_path / "output"
    build_code, build_report = build(content, output)
    assert build_code == spec["exit"], build_report
    assert output.exists() == (spec["exit"] == 0)


# The sample's one warning: its scanned decree, a scan on purpose (issue 14).
SAMPLE_SCAN = (
    "content/van-ban/2023/quy-che-thi-dua-khen-thuong-tinh-bac-kan.md:9: cảnh báo: "
    'Tệp "15-2023-qd-ubnd-ban-chup.pdf": văn bản dạng ảnh quét — nội dung không tìm kiếm được — '
)


def assert_sample_report(report: str) -> None:
    """Nothing wrong with the sample but its scan, said once."""
    first, last = report.strip().splitlines()
    assert first.startswith(SAMPLE_SCAN), report
    assert last == "0 lỗi, 1 cảnh báo.", report


def test_sample_content_checks_clean():
    code, report = run_check(ROOT / "content")
    assert code == 0, report
    assert_sample_report(report)


def test_check_reports_every_problem_in_one_run(tmp_path):
    content = copy_fixture_site(tmp_path)
    for case in ("thieu-truong-bat-buoc", "ngay-khong-ton-tai", "html-khong-an-toan"):
        shutil.copytree(CASES / case / "content", content, dirs_exist_ok=True)
    code, report = run_check(content)
    assert code == 1
    assert report.splitlines()[-1] == "9 lỗi, 0 cảnh báo."


def test_failed_build_leaves_previous_output_byte_identical(tmp_path):
    content = copy_fixture_site(tmp_path)
    output = tmp_path / "output"
    assert build(content, output)[0] == 0
    before = {p.relative_to(output): p.read_bytes() for p in output.rglob("*") if p.is_file()}
    shutil.copytree(CASES / "anh-bi-cat-cut" / "content", content, dirs_exist_ok=True)
    code, report = build(content, output)
    assert code == 1 and "bị hỏng hoặc chép chưa hết" in report
    after = {p.relative_to(output): p.read_bytes() for p in output.rglob("*") if p.is_file()}
    assert after == before


def test_check_command_runs_without_traceback():
    result = subprocess.run(
        [sys.executable, "-m", "bulletin.build.main", "--check", "-s", "pelicanconf.py"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT / "plugins"), "PATH": "/usr/bin:/bin"},
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert_sample_report(result.stdout)
    assert "Traceback" not in result.stderr


def test_new_creates_an_article_that_checks(tmp_path):
    content = copy_fixture_site(tmp_path)
    now = datetime(2024, 9, 2, 8, 15, tzinfo=TIMEZONE)
    path = create_article(content, "Đoàn thanh niên ra quân", "Dân vận khéo", "Thu Hà", now)
    assert path == content / "articles" / "2024" / "doan-thanh-nien-ra-quan.md"
    text = path.read_text(encoding="utf-8")
    assert text.startswith(
        "Title: Đoàn thanh niên ra quân\nDate: 2024-09-02 08:15\nAuthor: Thu Hà\n"
        "Movement: dan-van-kheo\n"
    )
    assert "Slug: doan-thanh-nien-ra-quan\nStatus: draft\n" in text  # the address is pinned
    assert (content / "articles" / "2024" / "anh" / "doan-thanh-nien-ra-quan").is_dir()
    # The example photo line points at a file the editor still has to add:
    # check says so, as a warning while the article is a draft.
    code, report = run_check(content)
    assert code == 0, report
    assert (
        'cảnh báo: (bản nháp) Không tìm thấy tệp ảnh "anh/doan-thanh-nien-ra-quan/ten-anh.jpg"'
        in report
    )
    # The sample text is a warning while the article is a draft.
    assert (
        "doan-thanh-nien-ra-quan.md:10: cảnh báo: (bản nháp) Còn văn bản mẫu của lệnh "
        '"invoke new": câu mẫu "Viết đoạn mở đầu ở đây."' in report
    )
    # Never overwrites; says which slug is free.
    path.write_text("Sửa tay", encoding="utf-8")
    with pytest.raises(ScaffoldError, match=r"không ghi đè.*--slug doan-thanh-nien-ra-quan-2"):
        create_article(content, "Đoàn thanh niên ra quân", "dan-van-kheo", "Thu Hà", now)
    assert path.read_text(encoding="utf-8") == "Sửa tay"
    other = create_article(
        content, "Đoàn thanh niên ra quân", "dan-van-kheo", "Thu Hà", now, slug="doan-ra-quan-2"
    )
    assert other.name == "doan-ra-quan-2.md"


def test_placeholders_are_errors_once_the_draft_line_is_gone(tmp_path):
    content = copy_fixture_site(tmp_path)
    now = datetime(2024, 9, 2, 8, 15, tzinfo=TIMEZONE)
    path = create_article(content, "Tin mẫu", "dan-van-kheo", "Thu Hà", now)
    # The editor drops the photo line and "Status: draft", keeps the sample text.
    kept = [
        line
        for line in path.read_text(encoding="utf-8").splitlines()
        if line != "Status: draft" and not line.startswith("![")
    ]
    path.write_text("\n".join(kept) + "\n", encoding="utf-8")
    code, report = run_check(content)
    assert code == 1, report
    assert (
        'content/articles/2024/tin-mau.md:9: lỗi: Còn văn bản mẫu của lệnh "invoke new": '
        'câu mẫu "Viết đoạn mở đầu ở đây."' in report
    )
    assert "tin-mau.md:12: lỗi: Còn văn bản mẫu" in report


def test_new_bounds_a_300_character_title(tmp_path):
    content = copy_fixture_site(tmp_path)
    title = " ".join(["Ban Quản lý các Khu công nghiệp tỉnh Bắc Kạn tổ chức hội nghị"] * 5)
    now = datetime(2024, 9, 2, 8, 15, tzinfo=TIMEZONE)
    path = create_article(content, title, "dan-van-kheo", "Thu Hà", now)
    assert len(path.stem) <= 80 and not path.stem.endswith("-")
    assert f"Slug: {path.stem}\n" in path.read_text(encoding="utf-8")
    with pytest.raises(ScaffoldError, match="tối đa 80"):
        create_article(content, "Tin", "dan-van-kheo", "Thu Hà", now, slug="a-" * 50 + "b")


def test_new_refuses_an_unknown_movement(tmp_path):
    content = copy_fixture_site(tmp_path)
    with pytest.raises(ScaffoldError, match='Có phải ý bạn là: "dan-van-kheo"'):
        create_article(content, "Tin", "dan van khoe", "Thu Hà")
    assert not (content / "articles" / str(datetime.now(TIMEZONE).year) / "tin.md").exists()
