"""Publishing: reproducible builds, stable permalinks, redirects, the JSON API."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import jsonschema
import pytest
from helpers import ROOT, build, copy_fixture_site, page, tree

from bulletin.content.vietnamese import TIMEZONE

SITE_FILES = ["pelicanconf.py", "publishconf.py", "content", "theme", "plugins", "schemas"]
SITE_FILES.append("vendor")  # Decap CMS for /admin/, downloaded by set-up (bootstrap.py)


def production_build(checkout: Path, hash_seed: str) -> Path:
    """A production build in its own checkout folder and interpreter."""
    checkout.mkdir(parents=True)
    for name in SITE_FILES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, checkout / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, checkout / name)
    env = dict(
        os.environ,
        SITEURL="https://bantin.example.gov.vn",
        PYTHONHASHSEED=hash_seed,
        PYTHONPATH=str(checkout / "plugins"),
    )
    result = subprocess.run(
        [sys.executable, "-m", "bulletin.build.main", "-s", "publishconf.py", "-o", "output"],
        cwd=checkout,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return checkout / "output"


def test_production_builds_are_byte_identical(tmp_path):
    first = production_build(tmp_path / "a" / "checkout", "1")
    second = production_build(tmp_path / "somewhere-else", "2")
    one, two = tree(first), tree(second)
    assert sorted(one) == sorted(two)
    differing = [name for name in one if one[name] != two[name]]
    assert differing == []
    # Production URLs are absolute and nothing mentions the checkout folder.
    index = one["index.html"].decode()
    assert 'href="https://bantin.example.gov.vn/tin-tuc/' in index
    assert all(str(tmp_path).encode() not in data for data in one.values())


def test_production_build_needs_siteurl(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "SITEURL"}
    env["PYTHONPATH"] = str(ROOT / "plugins")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "bulletin.build.main",
            "-s",
            "publishconf.py",
            "-o",
            str(tmp_path / "o"),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "SITEURL" in result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "o").exists()


def test_permalinks_of_sample_articles_are_stable(tmp_path):
    output = tmp_path / "output"
    assert build(ROOT / "content", output)[0] == 0
    built = {
        p.parent.relative_to(output).as_posix() + "/"
        for p in (output / "tin-tuc").glob("*/*/index.html")
    }
    listed = {
        line.strip()
        for line in (ROOT / "tests" / "permalinks.txt").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    }
    assert built == listed, (
        "published URLs changed; keep old URLs with Redirect_from and update tests/permalinks.txt"
    )


RENAMED = """Title: Bài viết đã đổi tên
Date: 2024-03-01 09:00
Author: Thu Hà
Movement: dan-van-kheo
Redirect_from: /tin-tuc/2024/ten-cu/, {second}

Bài viết này từng có địa chỉ khác.
"""


def test_renamed_article_redirects_from_its_old_urls(tmp_path):
    content = copy_fixture_site(tmp_path)
    (content / "articles" / "2024" / "doi-ten.md").write_text(
        RENAMED.format(second="/tin-tuc/2024/ten-cu-2/"), encoding="utf-8"
    )
    output = tmp_path / "output"
    code, report = build(content, output)
    assert code == 0, report
    for old in ("tin-tuc/2024/ten-cu/", "tin-tuc/2024/ten-cu-2/"):
        soup = page(output, old)
        refresh = soup.find("meta", attrs={"http-equiv": "refresh"})["content"]
        target = refresh.split("url=", 1)[1]
        assert target.endswith("tin-tuc/2024/bai-viet-da-doi-ten/")
        resolved = (output / old / target / "index.html").resolve()
        assert resolved == (output / "tin-tuc/2024/bai-viet-da-doi-ten/index.html").resolve()
        assert soup.find("link", rel="canonical")["href"] == target
        assert soup.find("meta", attrs={"name": "robots"})["content"] == "noindex"


def test_redirect_over_a_real_page_is_an_error(tmp_path):
    content = copy_fixture_site(tmp_path)
    (content / "articles" / "2024" / "doi-ten.md").write_text(
        RENAMED.format(second="/tin-tuc/2024/canh-giac-lua-dao/"), encoding="utf-8"
    )
    code, report = build(content, tmp_path / "output")
    assert code == 1
    assert (
        'content/articles/2024/doi-ten.md:5: lỗi: Trường "Redirect_from": địa chỉ '
        '"/tin-tuc/2024/canh-giac-lua-dao/" đang là một trang khác'
    ) in report


def test_scheduled_article_is_published_once_its_time_has_come(tmp_path):
    content = copy_fixture_site(tmp_path)
    later = datetime(2099, 1, 1, 8, 0, tzinfo=TIMEZONE)
    code, report = build(content, tmp_path / "before", BULLETIN_NOW=later.replace(minute=0, hour=7))
    assert code == 0, report
    assert not (tmp_path / "before" / "tin-tuc" / "2099").exists()
    code, report = build(content, tmp_path / "after", BULLETIN_NOW=later)
    assert code == 0, report
    assert (tmp_path / "after" / "tin-tuc" / "2099" / "tin-hen-gio-dang-nam-2099").is_dir()


@pytest.mark.parametrize("name", ["articles", "movements"])
def test_json_api_validates_against_its_schema(fixture_site, name):
    data = json.loads((fixture_site / "api" / f"{name}.json").read_text(encoding="utf-8"))
    schema = json.loads((ROOT / "schemas" / f"{name}.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(data, schema, format_checker=jsonschema.FormatChecker())
    # The schema is published beside the data for other agencies.
    assert (fixture_site / "api" / f"{name}.schema.json").read_bytes() == (
        ROOT / "schemas" / f"{name}.schema.json"
    ).read_bytes()


def test_json_api_records(fixture_site):
    data = json.loads((fixture_site / "api" / "articles.json").read_text(encoding="utf-8"))
    by_id = {a["id"]: a for a in data["articles"]}
    assert "2024/ban-nhap-chua-dang" not in by_id  # drafts appear nowhere
    assert not any(i.startswith("2099/") for i in by_id)  # nor scheduled items
    seed = by_id["2023/phat-dong-phong-trao-thi-dua-nam-2023"]
    assert seed["date"] == "2023-03-09T14:59:04+07:00"
    assert seed["title"] == "Phát động phong trào thi đua năm 2023"
    assert [a["name"] for a in seed["authors"]] == ["Hồng Nhung"]
    assert [m["slug"] for m in seed["movements"]] == [
        "bac-kan-day-manh-chuyen-doi-so",
        "van-hoa-cong-so",
    ]
    assert seed["cover"]["alt"] == "Cán bộ, công chức chụp ảnh lưu niệm"
    script = by_id["2024/canh-giac-lua-dao"]
    assert script["title"] == "Cảnh giác với <script>alert(“x”)</script> & “lừa đảo” trực tuyến"
    dates = [a["date"] for a in data["articles"]]
    assert dates == sorted(dates, reverse=True)
    movements = json.loads((fixture_site / "api" / "movements.json").read_text(encoding="utf-8"))
    counts = {m["slug"]: m["article_count"] for m in movements["movements"]}
    assert counts == {"bac-kan-day-manh-chuyen-doi-so": 3, "van-hoa-cong-so": 1, "dan-van-kheo": 0}
