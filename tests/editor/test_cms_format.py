"""The web editor's file format (plugins/bulletin/editor/assets/pelican-format.js),
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
import unicodedata
from pathlib import Path

import pytest
from helpers import ROOT, make_photo, run_node
from pelican.readers import ensure_metadata_list

from bulletin.build.main import check_site, load_settings
from bulletin.content.dates import DateError, parse_date
from bulletin.content.model import ARTICLE_KEYS, header_lines
from bulletin.content.registry import load_registry
from bulletin.content.vietnamese import slugify

FORMAT_JS = ROOT / "plugins" / "bulletin" / "editor" / "assets" / "pelican-format.js"
RULES_JS = FORMAT_JS.with_name("bulletin-rules.js")
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
if (job.bounded) {
  out.bounded = {};
  for (const title of job.bounded.titles) {
    out.bounded[title] = {
      bounded: F.boundedSlug(title, job.bounded.limit),
      article: F.articleSlug("", title, job.bounded.limit),
    };
  }
  const limit = job.bounded.limit;
  out.unique = job.bounded.unique.map(([slug, taken]) => F.uniqueSlug(slug, taken, limit));
  out.slugLines = job.bounded.slugLines.map((line) => F.articleSlug(line, "Tiêu đề", limit));
}
if (job.rules) {
  const R = require(job.rulesModule).create(job.rules, F);
  out.checks = job.checks.map(([data, context]) => R.check(data, context));
}
if (job.headers) out.headers = job.headers.map((text) => F.splitFile(text).lines.map((l) => l.key));
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
    job["rulesModule"] = str(RULES_JS)
    return run_node(DRIVER, job)


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
# fixture site (tests/content/test_check.py), so they use its registry.
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
        # Text in the form (a string field accepts typing), the same names.
        assert ensure_metadata_list(data["author"]) == ensure_metadata_list(raw["author"]), name
        assert ensure_metadata_list(data["tags"]) == ensure_metadata_list(raw.get("tags", "")), name
        assert data["author"] == ", ".join(ensure_metadata_list(raw["author"])), name
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
    # Status goes where `invoke new` writes it: after Summary and Slug, before
    # the keys that follow it in ARTICLE_KEYS (the seed's Documents).
    header = text.split("\n\n", 1)[0].splitlines()
    after = next(i for i, line in enumerate(header) if line.startswith("Slug:")) + 1
    assert out["draft"].split("\n\n", 1)[0].splitlines() == [
        *header[:after],
        "Status: draft",
        *header[after:],
    ]
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
        # The photo fields hold a path, as typed; a video paragraph uses the poster.
        "cover": photo,
        "video_poster": photo,
        "body": body + "\n\nhttps://www.youtube.com/watch?v=jNQXAC9IVRw\n",
    }
    created = run_format(create=[data])["created"][0]
    keys = list(header_lines(created))
    assert "cover" in keys and "video_poster" in keys, created
    assert keys == sorted(keys, key=ARTICLE_KEYS.index)
    assert f"\nCover: {photo}\n" in created and f"\nVideo_poster: {photo}\n" in created
    article = tmp_path / "content" / "articles" / "2025" / "doan-cong-tac-kiem-tra-du-an.md"
    article.parent.mkdir(parents=True, exist_ok=True)
    article.write_text(created, encoding="utf-8")
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


# --- bounded slugs: the web editor's port of bulletin.content.vietnamese ---------------------
LONG = (
    "Ban Quản lý các Khu công nghiệp tỉnh Bắc Kạn tổ chức hội nghị tổng kết công tác thi đua, "
    "khen thưởng năm 2024, triển khai nhiệm vụ năm 2025, phát động phong trào thi đua “Doanh "
    "nghiệp KCN đẩy mạnh chuyển đổi số, bảo đảm an toàn, vệ sinh lao động và bảo vệ môi trường” "
    "với sự tham gia của đại diện các sở, ngành, doanh nghiệp"
)
BOUNDED_TITLES = [
    *TITLES,
    LONG,
    LONG[:300],
    LONG + " " + LONG,
    "Đ" * 300,
    "Đường-dây-nóng-" * 20,
    "Hội nghị " + "x" * 90,
    "Chuyển đổi số: 100% hồ sơ được tiếp nhận trực tuyến, tiết kiệm 2,5 tỷ đồng mỗi năm!",
    "Đoàn công tác Bộ Kế hoạch và Đầu tư làm việc tại KCN Thanh Bình về tiến độ dự án",
    "Đảng bộ Ban Quản lý các KCN: Đại hội đại biểu lần thứ V, nhiệm kỳ 2025–2030",
    "Tập huấn “Kỹ năng ứng phó sự cố hóa chất” cho 120 lao động — ngày 15/3/2025",
    "Nhiệt độ 38°C: doanh nghiệp điều chỉnh giờ làm việc, bảo đảm sức khỏe người lao động",
    "Tuyển dụng 1.500 lao động, thu nhập 8–12 triệu đồng/tháng (áp dụng từ 01/7/2025)",
    "Khánh thành nhà máy chế biến gỗ 25 triệu USD tại KCN Thanh Bình",
    "Giá điện tăng 4,8%: doanh nghiệp tiết kiệm năng lượng thế nào?",
    "“Ngày hội việc làm” năm 2025 thu hút hơn 2.000 lượt người tham gia",
    "Đồng chí Nguyễn Đức Đạt được bầu làm Bí thư Chi bộ",
    "Đẩy mạnh cải cách hành chính & cải thiện môi trường đầu tư",
    "Quyết định số 123/QĐ-BQL ngày 09/03/2023 về việc khen thưởng",
    "Thông báo… lịch tiếp công dân tháng 4",
    "Phòng chống dịch COVID-19 trong các doanh nghiệp KCN",
    "Ứng dụng AI, IoT và dữ liệu lớn (Big Data) trong quản lý lao động",
    "Ươm mầm ước mơ: trao 50 suất học bổng cho con công nhân",
    "Ấm áp chương trình “Tết sum vầy” năm Ất Tỵ 2025",
    "Ổn định việc làm cho 3.200 lao động sau bão số 3 (Yagi)",
    "Ưu đãi đầu tư: miễn 4 năm, giảm 50% thuế TNDN trong 9 năm tiếp theo",
    "Hỏi – đáp: thủ tục cấp giấy chứng nhận đăng ký đầu tư?",
    "KCN Thanh Bình giai đoạn II: hoàn thành 85% hạng mục hạ tầng",
    "Đường dây nóng 0209.3.870.xxx tiếp nhận phản ánh của doanh nghiệp",
    "Trao tặng Kỷ niệm chương “Vì sự nghiệp phát triển các KCN Việt Nam”",
    "Sơ kết 6 tháng: thu hút 3 dự án mới, tổng vốn 1.250 tỷ đồng",
    "Cán bộ, công chức, viên chức thi đua thực hiện văn hóa công sở",
    "Hướng dẫn khai báo, điều tra tai nạn lao động (Nghị định 39/2016/NĐ-CP)",
    "Đối thoại với doanh nghiệp FDI: tháo gỡ 12 kiến nghị",
    "Bảo vệ môi trường: 100% doanh nghiệp có hệ thống xử lý nước thải đạt QCVN 40:2011/BTNMT",
    "Chào mừng 95 năm Ngày thành lập Đảng Cộng sản Việt Nam (3/2/1930 – 3/2/2025)",
    "Hội thi “Bàn tay vàng” ngành may mặc năm 2025",
    "Lễ ký kết quy chế phối hợp giữa Ban Quản lý và Công an tỉnh",
    "Phụ nữ KCN với phong trào “Xây dựng gia đình 5 không, 3 sạch”",
    "Thủ tướng Chính phủ phê duyệt điều chỉnh quy hoạch KCN Thanh Bình",
    "Dự án 50 ha — giai đoạn 1 — đã giải phóng mặt bằng 90%",
    "Xuân yêu thương 2025: 500 phần quà cho công nhân có hoàn cảnh khó khăn",
    "Kiểm tra PCCC tại 15 doanh nghiệp: phát hiện 7 tồn tại",
    "Đoàn thanh niên ra quân “Ngày Chủ nhật xanh”",
    "Tổng kết năm 2024: kim ngạch xuất khẩu đạt 120 triệu USD",
    "Hệ thống quản lý chất lượng ISO 9001:2015 được duy trì hiệu quả",
    "Chi bộ sinh hoạt chuyên đề: “Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh”",
    "Ðại hội (Đ viết bằng chữ Ð của tiếng Iceland)",
    unicodedata.normalize("NFD", "Đổi mới sáng tạo trong doanh nghiệp nhỏ và vừa"),
    "Tin ngắn",
    "2025",
    "!!!",
    "",
    "Hội nghị\u00a0trực tuyến\u2009toàn quốc",
    "Ảnh: “Công nhân làm việc ca đêm” — tác giả Thu Hà",
    "Tin có thẻ <b>đậm</b> & ký hiệu &amp;",
]


def test_bounded_slugs_are_the_builds():
    """pelican-format.js's boundedSlug/articleSlug/uniqueSlug give what
    bulletin.content.vietnamese and bulletin.content.model give: the editor pins the
    address and names the file as `invoke new` and the reader would."""
    from bulletin.content.model import article_slug  # noqa: PLC0415
    from bulletin.content.vietnamese import SLUG_MAX, bound_slug, bounded_slug, unique_slug  # noqa: PLC0415

    assert len(BOUNDED_TITLES) >= 50
    assert any(len(title) >= 300 for title in BOUNDED_TITLES)
    long_slug = bounded_slug(LONG)
    unique = [
        ["tin-ngan", ["tin-ngan"]],
        ["tin-ngan", ["tin-ngan", "tin-ngan-2", "tin-ngan-3"]],
        [long_slug, [long_slug]],
        [long_slug, [long_slug, bound_slug(long_slug, SLUG_MAX - 2) + "-2"]],
        ["d" * 80, ["d" * 80]],
        ["moi", []],
    ]
    # Not "tin_moi": Pelican keeps "_", which the Slug rule refuses; the editor writes "-".
    slug_lines = ["tin-moi", "Tin Mới", "x" * 100, "a-" * 50, "  tin-moi  ", "Đ/ổ", ""]
    out = run_format(
        bounded={
            "titles": BOUNDED_TITLES,
            "limit": SLUG_MAX,
            "unique": unique,
            "slugLines": slug_lines,
        }
    )
    for title in BOUNDED_TITLES:
        expected = bounded_slug(title)
        assert out["bounded"][title]["bounded"] == expected, title
        assert out["bounded"][title]["article"] == article_slug("", title), title
        assert len(expected) <= SLUG_MAX
        assert not expected.endswith("-")
    assert out["unique"] == [unique_slug(slug, set(taken)) for slug, taken in unique]
    assert all(len(slug) <= SLUG_MAX for slug in out["unique"])
    assert out["slugLines"] == [article_slug(line, "Tiêu đề") for line in slug_lines]
    # Cut at a word boundary: whole words of the title, never a half word.
    assert out["bounded"][LONG]["bounded"] == long_slug
    assert len(long_slug) <= SLUG_MAX and slugify(LONG).startswith(long_slug + "-")


def test_the_ascii_table_is_unidecodes():
    """The characters pelican-format.js transliterates itself (ASCII) are
    unidecode's (Pelican's slugify), generated by bulletin.editor.slug_port.ascii_table;
    every character of those blocks gives the build's slug."""
    import re  # noqa: PLC0415

    from bulletin.content.vietnamese import bounded_slug  # noqa: PLC0415
    from bulletin.editor import slug_port  # noqa: PLC0415

    line = next(
        line
        for line in FORMAT_JS.read_text(encoding="utf-8").splitlines()
        if line.startswith("  var ASCII = ")
    )
    embedded = json.loads(re.fullmatch(r"  var ASCII = (\{.*\});", line).group(1))
    table = slug_port.ascii_table()
    assert embedded == table, "regenerate: " + json.dumps(table, separators=(",", ":"))
    chars = [
        chr(point)
        for start, stop in slug_port.ASCII_RANGES
        for point in range(start, stop)
        if unicodedata.category(chr(point)) not in ("Cn", "Cs", "Co")
    ]
    titles = [f"Tin {char} mới" for char in chars]
    out = run_format(bounded={"titles": titles, "limit": 80, "unique": [], "slugLines": []})
    differ = {
        title[4]: (out["bounded"][title]["bounded"], bounded_slug(title))
        for title in titles
        if out["bounded"][title]["bounded"] != bounded_slug(title)
    }
    # "_" is kept by Pelican but is not allowed in a Slug (bulletin.content.model.SLUG_RE):
    # the editor writes "-". "ǯ" decomposes to a letter unidecode spells differently.
    assert set(differ) <= {"\u203f", "\uff3f", "\u01ef"}, differ


# --- the form's rules (bulletin-rules.js) --------------------------------------------
def form_rules():
    from bulletin.editor.form import form_rules as rules_for  # noqa: PLC0415

    return rules_for(
        load_registry((ROOT / "content" / "movements.toml").read_text(encoding="utf-8"), "m")[0]
    )


def test_the_form_refuses_what_check_refuses_naming_the_field():
    from bulletin.content.placeholders import (  # noqa: PLC0415
        PLACEHOLDER_CONTINUE,
        PLACEHOLDER_PHOTO_ALT,
        PLACEHOLDER_PHOTO_FILE,
    )
    from bulletin.content.validation import SUMMARY_MAX, TITLE_MAX  # noqa: PLC0415

    good = {
        "title": "Tin thử",
        "date": "2025-03-05 08:30",
        "author": "Hồng Nhung, Minh Đức",
        "movement": ["van-hoa-cong-so"],
        "tags": "thanh niên, môi trường",
        "body": "Một đoạn.",
    }
    new = {"isNew": True, "slug": "tin-thu"}
    cases = [
        (good, new),
        (dict(good, author=""), new),
        (dict(good, author=" , ; "), new),
        (dict(good, author="Hồng Nhung, ..."), new),
        (dict(good, movement=[]), new),
        (dict(good, title="T" * (TITLE_MAX + 1), summary="S" * (SUMMARY_MAX + 1)), new),
        (dict(good, title="!!!"), {"isNew": True, "slug": ""}),
        (
            dict(
                good,
                body=f"Mở đầu.\n\n{PLACEHOLDER_CONTINUE}\n\n"
                f"![{PLACEHOLDER_PHOTO_ALT}](anh/x/{PLACEHOLDER_PHOTO_FILE})",
            ),
            new,
        ),
        (dict(good, body=PLACEHOLDER_CONTINUE, draft=True), new),
        (good, {"isNew": False, "slug": "tin-thu", "publishedYear": 2024}),
        (good, {"isNew": False, "file": {"lines": [{"key": "tác giả", "name": "Tác giả"}]}}),
        (good, {"isNew": False, "server": True, "file": {"lines": [{"key": "x", "name": "X"}]}}),
    ]
    checks = run_format(rules=form_rules(), checks=[list(case) for case in cases])["checks"]

    def said(index):
        return [(p["field"], p["severity"], p["message"]) for p in checks[index]]

    assert said(0) == []
    assert said(1) == [("author", "error", "Trường “Tác giả” đang để trống")]
    assert checks[1][0]["hint"].startswith("gõ họ tên tác giả")
    assert said(2) == [("author", "error", "Trường “Tác giả” đang để trống")]
    assert said(3) == [
        (
            "author",
            "error",
            "Trường “Tác giả”: “...” không có chữ cái hay chữ số nào, không tạo được địa chỉ trang",
        )
    ]
    assert said(4) == [("movement", "error", "Trường “Phong trào thi đua” đang để trống")]
    assert said(5) == [
        ("title", "warning", f"Trường “Tiêu đề” dài {TITLE_MAX + 1} ký tự (nên dưới {TITLE_MAX})"),
        (
            "summary",
            "warning",
            f"Trường “Tóm tắt (sapo)” dài {SUMMARY_MAX + 1} ký tự (nên dưới {SUMMARY_MAX})",
        ),
    ]
    assert [p[0] for p in said(6)] == ["slug"]
    assert [(p["field"], p["bodyLine"]) for p in checks[7]] == [("body", 3), ("body", 5)]
    assert "ảnh mẫu" in checks[7][1]["message"]
    # A hidden article (Status: draft): warnings, as `invoke check` softens drafts.
    assert [(p["severity"], p["message"][:14]) for p in checks[8]] == [
        ("warning", "(bài đang ẩn) ")
    ]
    assert said(9)[0][:2] == ("date", "error") and "năm 2024" in said(9)[0][2]
    assert said(10) == [
        (
            "",
            "error",
            "Dòng “Tác giả:” ở đầu tệp bài không phải là trường được hỗ trợ "
            "(có phải ý là “Author”?)",
        )
    ]
    # With the local server, the header and body are the build's to check.
    assert said(11) == []


def test_a_key_in_vietnamese_does_not_end_the_header():
    """As bulletin.content.model.read_header: the lines after "Tác giả:" are
    still the header (the form shows Movement), and the line is kept."""
    text = "Title: x\nTác giả: Hồng Nhung\nMovement: van-hoa-cong-so\n\nThân bài.\n"
    out = run_format(headers=[text], files={"tv": text})
    assert out["headers"] == [["title", "tác giả", "movement"]]
    assert out["files"]["tv"]["data"]["movement"] == ["van-hoa-cong-so"]
    assert out["files"]["tv"]["data"]["body"] == "Thân bài."
    assert out["files"]["tv"]["written"] == text
