"""The identity settings' checks (bulletin.site.identity): a production build
stops on an empty mandatory setting, naming it in Vietnamese with no
traceback; a development build warns; malformed notices and archives are
errors. Pure rules as input → problems pairs, then real builds."""

from __future__ import annotations

from datetime import datetime

import pytest
from helpers import ROOT, build, copy_fixture_site

from bulletin.build.main import load_settings
from bulletin.content.model import ERROR, WARNING
from bulletin.site.identity import MANDATORY, check_identity, read_archive, read_notice

COMPLETE = {
    "SITE_ORGANIZATION": "Ban Quản lý các Khu công nghiệp tỉnh Bắc Kạn",
    "SITE_GOVERNING_BODY": "Ủy ban nhân dân tỉnh Bắc Kạn",
    "SITE_ADDRESS": "Phường Đức Xuân",
    "SITE_PHONE": "(0209) 387 1234",
    "SITE_EMAIL": "bqlkcn@backan.gov.vn",
    "SITE_RESPONSIBLE": "Trưởng Ban",
}


def test_complete_settings_have_no_problem():
    assert check_identity(COMPLETE, required=True) == []


@pytest.mark.parametrize("key", list(MANDATORY))
@pytest.mark.parametrize(("required", "severity"), [(True, ERROR), (False, WARNING)])
def test_each_empty_mandatory_setting_is_named(key, required, severity):
    for empty in ("", "   ", None):
        (problem,) = check_identity({**COMPLETE, key: empty}, required=required)
        assert problem.severity == severity
        assert problem.path == "pelicanconf.py"
        assert problem.message == f"{key} ({MANDATORY[key]}) đang để trống"
        assert key in problem.hint


def test_a_bad_email_and_a_missing_emblem_are_errors():
    problems = check_identity(
        {**COMPLETE, "SITE_EMAIL": "bqlkcn", "SITE_EMBLEM": "img/x.svg"},
        required=False,
        emblem_found=False,
    )
    assert [p.severity for p in problems] == [ERROR, ERROR]
    assert problems[0].message.startswith("SITE_EMAIL") and "img/x.svg" in problems[1].message


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ({"text": "Bảo trì", "start": "31/02/2025"}, 'SITE_NOTICE, khóa "start"'),
        ({"text": "Bảo trì", "start": "2025-07-05", "end": "2025-07-01"}, '"end" trước "start"'),
        ({"start": "2025-07-01"}, 'thiếu nội dung "text"'),
        ({"text": "Bảo trì", "tu": "2025-07-01"}, 'khóa "tu" không được hỗ trợ'),
        (["Bảo trì"], "không đúng dạng"),
    ],
)
def test_a_malformed_notice_is_an_error(value, fragment):
    notice, problems = read_notice(value)
    assert notice is None and problems
    assert any(fragment in p.message for p in problems), problems
    assert all(p.severity == ERROR for p in problems)


def test_a_notice_with_times_and_whole_days():
    notice, _ = read_notice({"text": "Bảo trì", "start": "2025-07-05 17:00", "end": "2025-07-06"})
    assert notice.start_text == "17:00 05/07/2025" and notice.end_text == "06/07/2025"
    assert notice.shown_at(notice.start) and not notice.shown_at(notice.end)
    assert read_notice("Luôn hiện")[0].shown_at(datetime(2030, 1, 1).astimezone())


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ({"successor": "Ban mới"}, 'thiếu "until"'),
        ({"until": "2025-06-30", "successor_url": "javascript:alert(1)"}, "successor_url"),
        ("có", "không đúng dạng"),
    ],
)
def test_a_malformed_archive_is_an_error(value, fragment):
    archive, problems = read_archive(value, "Ban cũ")
    assert archive is None and any(fragment in p.message for p in problems), problems


def test_publishconf_requires_the_identity(monkeypatch):
    monkeypatch.setenv("SITEURL", "https://bantin.example.vn")
    settings = load_settings(str(ROOT / "publishconf.py"))
    assert settings["IDENTITY_REQUIRED"] is True
    assert all(settings[key] for key in MANDATORY)


def test_a_production_build_stops_naming_the_setting(tmp_path):
    content = copy_fixture_site(tmp_path)
    code, log = build(content, tmp_path / "output", IDENTITY_REQUIRED=True, SITE_RESPONSIBLE="")
    assert code != 0
    assert (
        "pelicanconf.py: lỗi: SITE_RESPONSIBLE (người chịu trách nhiệm nội dung) đang để trống"
        in log
    )
    assert "Traceback" not in log
    assert not (tmp_path / "output").exists()


def test_a_development_build_warns_and_builds(tmp_path, caplog):
    content = copy_fixture_site(tmp_path)
    code, log = build(content, tmp_path / "output", SITE_PHONE="")
    assert code == 0, log
    assert "SITE_PHONE (số điện thoại) đang để trống" in caplog.text
    assert (tmp_path / "output" / "index.html").exists()
