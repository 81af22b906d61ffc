"""The web editor's file format (plugins/bulletin/cms_assets/pelican-format.js),
run in Node: the very file /admin/ loads.

Round trip: ``toFile(fromFile(file)) == file`` byte for byte for every article
the project has (samples, test fixtures, bad inputs that are UTF-8), so the
editor never rewrites what an editor did not touch. Reading agrees with the
build (dates, bylines, movements with commas in their names); writing follows
``invoke new``'s key order, NFC; slugs are the build's.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from conftest import ROOT, make_photo
from pelican.readers import ensure_metadata_list

from bulletin.build import check_site, load_settings
from bulletin.content_model import (
    ARTICLE_KEYS,
    DateError,
    header_lines,
    load_registry,
    parse_date,
)
from bulletin.vietnamese import slugify

FORMAT_JS = ROOT / "plugins" / "bulletin" / "cms_assets" / "pelican-format.js"
NODE = shutil.which("node")

# Reads one JSON job on stdin, answers one JSON object.
DRIVER = r"""
const fs = require("fs");
const job = JSON.parse(fs.readFileSync(0, "utf8"));
const F = require(job.format);
const format = F.createFormat(job.settings);
const plain = (data) => {
  const copy = Object.assign({}, data);
  delete copy[F.STATE];
  return copy;
};
const out = { files: {}, edited: {}, created: [], slugs: {}, dates: {}, photos: [] };
for (const [name, text] of Object.entries(job.files || {})) {
  const data = format.fromFile(text);
  // Through JSON, as Decap keeps entry data (Immutable, then toJS()).
  out.files[name] = { data: plain(data), written: format.toFile(JSON.parse(JSON.stringify(data))) };
}
for (const [name, edit] of Object.entries(job.edits || {})) {
  const data = format.fromFile(edit.text);
  out.edited[name] = format.toFile(Object.assign(JSON.parse(JSON.stringify(data)), edit.changes));
}
for (const data of job.create || []) out.created.push(format.toFile(data));
for (const title of job.slugs || []) out.slugs[title] = F.slugify(title);
for (const text of job.dates || []) out.dates[text] = F.parseDate(text);
for (const photo of job.photos || []) out.photos.push(F.photoLine(photo));
if (job.folder) out.folder = F.photosIntoFolder(job.folder.body, job.folder.slug);
process.stdout.write(JSON.stringify(out));
"""

pytestmark = pytest.mark.skipif(
    NODE is None and os.environ.get("CI") != "true", reason="Node.js is not installed"
)


def run_format(content: Path = ROOT / "content", **job) -> dict:
    if NODE is None:
        pytest.fail("CI=true: Node.js is needed to test the editor's format (.ci/run)")
    registry, problems = load_registry(
        (content / "movements.toml").read_text(encoding="utf-8"), "movements.toml"
    )
    assert not problems
    job["settings"] = {
        "keys": list(ARTICLE_KEYS),
        "movements": [{"slug": e.slug, "name": e.name} for e in registry.entries.values()],
    }
    job["format"] = str(FORMAT_JS)
    result = subprocess.run(
        [NODE, "-e", DRIVER],
        input=json.dumps(job, ensure_ascii=False),
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def articles(content: Path) -> dict[str, str]:
    """Every article under ``content`` that is UTF-8 (what Decap can open)."""
    found = {}
    for path in sorted(content.glob("**/articles/**/*.md")):
        try:
            found[path.relative_to(ROOT).as_posix()] = path.read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            continue  # UTF-16 / Windows-1258 cases: the check rejects them first
    return found


FIXTURE = ROOT / "tests" / "fixtures" / "site" / "content"
BAD_INPUTS = ROOT / "tests" / "bad_inputs"
# (articles, the registry they are read with): bad inputs are laid over the
# fixture site (tests/test_check.py), so they use its registry.
SOURCES = {
    "sample": (ROOT / "content", ROOT / "content"),
    "fixture": (FIXTURE, FIXTURE),
    "bad_inputs": (BAD_INPUTS, FIXTURE),
}


@pytest.fixture(scope="module")
def samples():
    files = articles(ROOT / "content")
    assert len(files) >= 20
    return files, run_format(files=files)["files"]


@pytest.mark.parametrize("source", list(SOURCES))
def test_round_trip_is_byte_for_byte(source):
    folder, registry = SOURCES[source]
    files = articles(folder)
    assert files
    result = run_format(registry, files=files)["files"]
    for name, text in files.items():
        assert result[name]["written"].encode("utf-8") == text.encode("utf-8"), name


def test_round_trip_covers_bom_crlf_nfd_and_odd_headers():
    cases = {
        "bom-crlf": "\ufeffTitle: Tiêu đề\r\nDate: 09/03/2023 14:59\r\n\r\nThân bài.\r\n",
        "nfd": unicodedata.normalize("NFD", "Title: Phát động\nAuthor: Đỗ Văn Lâm\n\nNội dung\n"),
        "no-final-newline": "Title: x\nDate: 2023-03-09\n\nBody",
        "header-only": "Title: x\nMovement: van-hoa-cong-so\n",
        "continuation": "Title: x\nSummary: dòng một\n    dòng hai\n\nBody\n",
        "yaml-fence": "---\nTitle: x\n---\nBody\n",
        "unknown-and-extra": "Title: x\nCover: anh/x.jpg\nTác giả: Ai\nRedirect_from: /a/\n\nB\n",
        "two-blank-lines": "Title: x\n\n\nBody\n\n\n",
        "empty": "",
    }
    result = run_format(files=cases)["files"]
    for name, text in cases.items():
        assert result[name]["written"] == text, name


def test_reading_agrees_with_the_build(samples):
    files, result = samples
    registry, _ = load_registry(
        (ROOT / "content" / "movements.toml").read_text(encoding="utf-8"), "m"
    )
    for name, text in files.items():
        raw = {}
        for line in text.split("\n\n", 1)[0].splitlines():
            key, _, value = line.partition(":")
            raw[key.strip().lower()] = value.strip()
        data = result[name]["data"]
        assert data["title"] == raw["title"], name
        assert data["date"] == f"{parse_date(raw['date']):%Y-%m-%d %H:%M}", name
        assert data["author"] == ensure_metadata_list(raw["author"]), name
        assert data["tags"] == ensure_metadata_list(raw.get("tags", "")), name
        found, unknown = registry.split(raw["movement"])
        assert not unknown
        assert data["movement"] == [entry.slug for entry in found], name
        assert data.get("draft", False) is (raw.get("status") == "draft"), name
    # A name with commas in it is matched whole, then the slug after it.
    name = "content/articles/2025/hoi-nghi-can-bo-cong-chuc-vien-chuc-va-nguoi-lao-dong-nam-2025.md"
    assert result[name]["data"]["movement"] == [
        "van-hoa-cong-so",
        "thi-dua-phat-trien-kinh-te-xa-hoi",
    ]


def test_an_edit_changes_only_its_own_line(samples):
    files, _ = samples
    name = "content/articles/2023/phat-dong-phong-trao-thi-dua-nam-2023.md"
    text = files[name]
    edits = {
        "title": {"text": text, "changes": {"title": "Phát động thi đua năm 2023"}},
        "movement": {
            "text": text,
            "changes": {
                "movement": [
                    "thi-dua-phat-trien-kinh-te-xa-hoi",
                    "bac-kan-day-manh-chuyen-doi-so",
                    "van-hoa-cong-so",
                ]
            },
        },
        "same-date": {"text": text, "changes": {"date": "2023-03-09 14:59"}},
        "draft": {"text": text, "changes": {"draft": True}},
        "undraft": {"text": text.replace("Summary:", "Status: draft\nSummary:"), "changes": {}},
        "body": {"text": text, "changes": {"body": "Một đoạn.\n\nHai đoạn."}},
    }
    edits["undraft"]["changes"] = {"draft": False}
    out = run_format(edits=edits)["edited"]
    before = text.splitlines()

    def changed(after: str) -> list[tuple[str, str]]:
        lines = after.splitlines()
        return [(a, b) for a, b in zip(before, lines, strict=False) if a != b]

    assert changed(out["title"]) == [(before[0], "Title: Phát động thi đua năm 2023")]
    assert changed(out["movement"]) == [
        (
            before[3],
            "Movement: thi-dua-phat-trien-kinh-te-xa-hoi, bac-kan-day-manh-chuyen-doi-so, "
            "van-hoa-cong-so",
        )
    ]
    # Same minute: the seconds written in the file stay.
    assert out["same-date"] == text
    # Status goes where `invoke new` writes it: after Summary.
    assert out["draft"].split("\n\n", 1)[0].splitlines()[-1] == "Status: draft"
    assert out["undraft"] == text
    assert out["body"] == text.split("\n\n", 1)[0] + "\n\nMột đoạn.\n\nHai đoạn.\n"


def test_a_new_article_has_the_content_models_keys_in_order_and_nfc():
    nfd = unicodedata.normalize("NFD", "Đoàn Thanh niên ra quân")
    data = {
        "title": nfd,
        "date": "2025-03-05 08:30",
        "author": ["Thu Hà", unicodedata.normalize("NFD", "Đỗ Văn Lâm")],
        "movement": ["van-hoa-cong-so", "bac-kan-day-manh-chuyen-doi-so"],
        "tags": [],
        "summary": "  Dòng một\ndòng hai ",
        "slug": "doan-thanh-nien-ra-quan",
        "draft": True,
        "body": unicodedata.normalize("NFD", "Nội dung bài.\n\n"),
    }
    written = run_format(create=[data])["created"][0]
    assert written == unicodedata.normalize("NFC", written)
    assert written == (
        "Title: Đoàn Thanh niên ra quân\n"
        "Date: 2025-03-05 08:30\n"
        "Author: Thu Hà, Đỗ Văn Lâm\n"
        "Movement: van-hoa-cong-so, bac-kan-day-manh-chuyen-doi-so\n"
        "Summary: Dòng một dòng hai\n"
        "Slug: doan-thanh-nien-ra-quan\n"
        "Status: draft\n"
        "\n"
        "Nội dung bài.\n"
    )
    keys = list(header_lines(written))
    assert keys == sorted(keys, key=ARTICLE_KEYS.index)


def test_a_new_article_passes_invoke_check(tmp_path):
    shutil.copytree(ROOT / "content", tmp_path / "content", ignore=shutil.ignore_patterns("*.md"))
    shutil.copytree(ROOT / "content" / "pages", tmp_path / "content" / "pages", dirs_exist_ok=True)
    photo = "anh/doan-cong-tac-kiem-tra-du-an/hien-truong.jpg"
    body = (
        "Sáng 5/3, đoàn làm việc tại KCN Thanh Bình.\n\n"
        + run_format(
            photos=[{"image": photo, "alt": "Đoàn đứng trước nhà xưởng", "title": "Hiện trường"}]
        )["photos"][0]
    )
    data = {
        "title": "Đoàn công tác kiểm tra dự án",
        "date": "2025-03-05 08:30",
        "author": ["Thu Hà"],
        "movement": ["van-hoa-cong-so"],
        "slug": "doan-cong-tac-kiem-tra-du-an",
        "body": body,
    }
    article = tmp_path / "content" / "articles" / "2025" / "doan-cong-tac-kiem-tra-du-an.md"
    article.parent.mkdir(parents=True, exist_ok=True)
    article.write_text(run_format(create=[data])["created"][0], encoding="utf-8")
    make_photo(article.parent / photo)
    import io  # noqa: PLC0415

    report = io.StringIO()
    settings = load_settings(str(ROOT / "pelicanconf.py"), PATH=str(tmp_path / "content"))
    assert check_site(settings, stream=report) == 0, report.getvalue()
    assert report.getvalue().strip().endswith("0 lỗi, 0 cảnh báo.")


TITLES = [
    "Đoàn Thanh niên ra quân hỗ trợ doanh nghiệp",
    "ĐẢNG BỘ KHỐI CƠ QUAN",
    "Đoàn công tác “Sở Công Thương” làm việc – kiểm tra 100% dự án",
    "Hội nghị: tổng kết; phương hướng (2024 — 2025)!",
    "Tuyển 1.000 lao động, lương 7,5 triệu/tháng",
    "Phụ nữ & chuyển đổi số <b>mới</b>",
    "  khoảng   trắng\tthừa  ",
    "Xanh - Sạch - Đẹp",
    "Ưu tiên ươm mầm ơn nghĩa",
]


def test_slugs_are_the_builds(samples):
    files, result = samples
    titles = TITLES + [result[name]["data"]["title"] for name in files]
    titles += [unicodedata.normalize("NFD", title) for title in titles]
    slugs = run_format(slugs=titles)["slugs"]
    for title in titles:
        assert slugs[title] == slugify(title), title
    # The sample files are named by their slug.
    for name in files:
        assert slugs[result[name]["data"]["title"]] == Path(name).stem
    # One deliberate difference: "_" (kept by Pelican) is not allowed in a Slug.
    assert run_format(slugs=["a_b"])["slugs"]["a_b"] == "a-b"


DATES = [
    "2023-03-09 14:59",
    "2023-03-09 14:59:04",
    "2023-3-9",
    "2023-03-09T08:05",
    "09/03/2023 14:59",
    "9/3/2023",
    "09.03.2023 14h59",
    "09-03-2023, 14:59",
    "31/02/2023 09:00",
    "29/02/2024 09:00",
    "2023-13-01",
    "09/03/23 14:59",
    "2023-03-09 24:00",
    "hôm qua",
    "",
]


def test_dates_are_read_as_the_content_model_reads_them():
    read = run_format(dates=DATES)["dates"]
    for text in DATES:
        try:
            moment = parse_date(text)
        except DateError:
            assert read[text] is None, text
        else:
            assert read[text][:5] == [
                moment.year,
                moment.month,
                moment.day,
                moment.hour,
                moment.minute,
            ], text


def test_photo_lines_and_their_folder():
    out = run_format(
        photos=[
            {"image": "anh/bai/a.jpg", "alt": "Ảnh [1]", "title": 'Đoàn "kiểm tra" dự án'},
            {"image": "anh/bai/b.jpg", "alt": "B", "title": ""},
        ],
        folder={
            "body": 'Mở đầu.\n\n![A](anh/a.jpg "c")\n\n![B](anh/khac/b.png)\n\n[liên kết](anh/x)',
            "slug": "bai-moi",
        },
    )
    assert out["photos"] == [
        '![Ảnh [1\\]](anh/bai/a.jpg "Đoàn “kiểm tra” dự án")',
        "![B](anh/bai/b.jpg)",
    ]
    # Chosen before the first save: into the article's folder; others untouched.
    assert out["folder"] == (
        'Mở đầu.\n\n![A](anh/bai-moi/a.jpg "c")\n\n![B](anh/khac/b.png)\n\n[liên kết](anh/x)'
    )
