"""Bad photos (bulletin.photos.problems, bulletin.photos.library): one table of
messages, one way to read a photo, one report per photo whoever finds it."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from types import SimpleNamespace

import pytest
from helpers import ROOT, build, copy_fixture_site, make_photo, tree
from photo_files import (
    SEED_ARTICLE,
    add_bad_photo,
    heic,
    icon,
    phone_photo,
    png_bomb,
    text_file,
    truncated,
)

from bulletin.content.model import ERROR, WARNING
from bulletin.photos.library import PhotoLibrary, examine
from bulletin.photos.plan import DEFAULTS, PhotoInfo
from bulletin.photos.problems import (
    TEXTS,
    PhotoProblem,
    describe,
    first_line,
    locate_photo,
    unreported,
)
from bulletin.photos.process import PhotoError

SEED = "content/" + SEED_ARTICLE

# --- the one table: kind → the editor's words -----------------------------------------------


@pytest.mark.parametrize(
    ("kind", "detail", "expected"),
    [
        (
            "missing",
            "",
            'x.md:7: lỗi: Không tìm thấy tệp ảnh "anh/a.jpg" — kiểm tra tên tệp (phân biệt chữ '
            "hoa, chữ thường) và thư mục ảnh",
        ),
        (
            "outside",
            "",
            'x.md:7: lỗi: Ảnh "anh/a.jpg" nằm ngoài thư mục content/ — chép ảnh vào thư mục anh/ '
            "cạnh bài viết và sửa đường dẫn",
        ),
        (
            "heif",
            "HEIC/HEIF",
            'x.md:7: lỗi: Ảnh "anh/a.jpg" là ảnh HEIC (iPhone), trình duyệt không hiển thị được'
            " — xuất ảnh sang JPEG (trên iPhone: Cài đặt › Camera › Định dạng › Tương thích nhất)",
        ),
        (
            "unsupported",
            "ICO",
            'x.md:7: lỗi: Ảnh "anh/a.jpg" có định dạng ICO không được hỗ trợ — chuyển ảnh sang '
            "JPEG hoặc PNG",
        ),
        (
            "too-large",
            "60",
            'x.md:7: lỗi: Ảnh "anh/a.jpg" quá lớn (trên 60 triệu điểm ảnh), có thể là tệp độc hại'
            " — dùng ảnh chụp thông thường, tối đa khoảng 50 megapixel",
        ),
        (
            "small",
            "320×240",
            'x.md:7: cảnh báo: Ảnh "anh/a.jpg" nhỏ (320×240 điểm ảnh), sẽ hiển thị mờ trên màn '
            "hình lớn — nếu có, dùng ảnh gốc rộng từ 480 điểm ảnh trở lên",
        ),
        (
            "no-caption",
            "",
            'x.md:7: cảnh báo: Ảnh "anh/a.jpg" chưa có chú thích — thêm chú thích trong ngoặc '
            'kép: ![Mô tả](anh.jpg "Chú thích ảnh")',
        ),
    ],
)
def test_each_kind_has_one_wording(kind, detail, expected):
    problem = PhotoProblem("x.md", 7, "/c/anh/a.jpg", "anh/a.jpg", kind, detail)
    assert str(problem.problem()) == expected
    assert problem.severity == (WARNING if kind in {"small", "no-caption"} else ERROR)


def test_every_kind_the_pipeline_gives_has_words():
    kinds = {"missing", "unreadable", "not-image", "heif", "unsupported", "too-large", "damaged"}
    assert kinds | {"changed", "outside"} <= set(TEXTS)
    for kind in kinds:
        assert '"{src}"' in TEXTS[kind].message and TEXTS[kind].severity == ERROR


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (PhotoError("too-large", "20000×20000"), ("too-large", "1.5")),
        (PhotoError("damaged", "image file is truncated"), ("damaged", "image file is truncated")),
        (PhotoError("heif", "HEIC/HEIF"), ("heif", "HEIC/HEIF")),
        (PhotoError("something new"), ("damaged", "something new")),
    ],
)
def test_describe_a_photo_error(error, expected):
    assert describe(error, 1_500_000) == expected


def test_a_problem_found_twice_is_reported_once():
    library = SimpleNamespace(reported=set())
    first = PhotoProblem("x.md", 7, "/c/a.jpg", "anh/a.jpg", "heif", "HEIC/HEIF")
    again = PhotoProblem("x.md", 7, "/c/a.jpg", "{static}anh/a.jpg", "heif", "HEIC/HEIF")
    cover = PhotoProblem("x.md", 6, "/c/a.jpg", "anh/a.jpg", "heif", "HEIC/HEIF")
    assert unreported(library, [first]) == [first]
    assert unreported(library, [again, cover]) == [cover]  # another line: its own report


@pytest.mark.parametrize(
    ("needles", "expected"),
    [
        (("{static}anh/a.jpg", "anh/a.jpg"), (5, "anh/a.jpg")),
        (("ANH/B.JPG",), (6, "ANH/B.JPG")),
        (("anh/khong-co.jpg",), (1, "anh/khong-co.jpg")),
    ],
)
def test_the_line_that_shows_a_photo(needles, expected):
    text = "Title: A\nDate: 2024-01-01\n\nChữ.\n![a](anh/a.jpg)\n![b](anh/b.jpg)\n"
    assert first_line(text, needles) == expected


def test_locate_photo_inside_content_only(tmp_path):
    content = tmp_path / "content"
    folder = content / "articles" / "2024"
    folder.mkdir(parents=True)
    (tmp_path / "private.jpg").write_bytes(b"x")
    (folder / "link.jpg").symlink_to(tmp_path / "private.jpg")
    inside = str(folder / "anh" / "a.jpg")
    assert locate_photo(str(content), str(folder), "anh/a.jpg") == (inside, True)
    assert locate_photo(str(content), str(folder), "/articles/2024/anh/a.jpg") == (inside, True)
    assert locate_photo(str(content), str(folder), "../../../private.jpg")[1] is False
    assert locate_photo(str(content), str(folder), "link.jpg") == (
        str(tmp_path / "private.jpg"),
        False,
    )


# --- reading a photo: examine, for the checks and the pipeline alike --------------------------


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (text_file, PhotoError("not-image")),
        (heic, PhotoError("heif", "HEIC/HEIF")),
        (icon, PhotoError("unsupported", "ICO")),
    ],
)
def test_examine_names_what_is_wrong(tmp_path, make, expected):
    path = tmp_path / "hong.jpg"
    make(path)
    assert examine(str(path), DEFAULTS["PHOTO_MAX_PIXELS"]) == expected


def test_examine_a_bomb_a_truncated_photo_and_a_good_one(tmp_path):
    limit = DEFAULTS["PHOTO_MAX_PIXELS"]
    assert examine(str(png_bomb(tmp_path / "bom.png")), limit).kind == "too-large"
    cut = tmp_path / "cut.jpg"
    truncated(cut)
    assert isinstance(examine(str(cut), limit), PhotoInfo)  # the header is whole
    assert examine(str(cut), limit, decode=True).kind == "damaged"
    found = examine(str(phone_photo(tmp_path / "doc.jpg")), limit, decode=True)
    assert (found.format, found.stored, found.orientation) == ("JPEG", (4000, 3000), 6)


def test_a_truncated_photo_is_damaged_after_weasyprint_is_imported(tmp_path, monkeypatch):
    """WeasyPrint turns Pillow's process-wide LOAD_TRUNCATED_IMAGES on when it
    is imported (the printed bulletin loads it during a build): the photo
    check must still refuse a half-copied photo, and importing it through the
    editions room leaves Pillow's flag as it was."""
    from PIL import ImageFile  # noqa: PLC0415

    from bulletin.editions import printing  # noqa: PLC0415

    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", False)
    printing._weasyprint()
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)  # as WeasyPrint leaves it
    cut = tmp_path / "cut.jpg"
    truncated(cut)
    limit = DEFAULTS["PHOTO_MAX_PIXELS"]
    assert examine(str(cut), limit, decode=True).kind == "damaged"


def test_a_folder_or_a_fifo_is_a_missing_photo_never_opened(tmp_path):
    (tmp_path / "thu-muc.jpg").mkdir()
    os.mkfifo(tmp_path / "ong.jpg")
    found = {}

    def look():  # opening a FIFO would wait for a writer forever
        for name in ("thu-muc.jpg", "ong.jpg", "khong-co.jpg"):
            found[name] = examine(str(tmp_path / name), 1_000_000)

    worker = threading.Thread(target=look, daemon=True)
    worker.start()
    worker.join(timeout=20)
    assert not worker.is_alive()
    assert set(found.values()) == {PhotoError("missing")}


def test_the_library_reads_each_photo_once_and_a_decoded_answer_serves_all(tmp_path):
    settings = {**DEFAULTS, "PATH": str(tmp_path / "content")}
    settings["PHOTO_CACHE_PATH"] = str(tmp_path / "cache")
    library = PhotoLibrary(settings)
    cut = tmp_path / "cut.jpg"
    truncated(cut)
    assert isinstance(library.inspect(str(cut)), PhotoInfo)  # a build: the header only
    assert library.inspect(str(cut), decode=True).kind == "damaged"  # `check`: decoded
    assert library.inspect(str(cut)).kind == "damaged"  # the pipeline agrees since
    good = str(make_photo(tmp_path / "a.jpg"))
    first = library.inspect(good)
    os.remove(good)
    assert library.inspect(good) is first


# --- builds: one report per photo, whoever found it ------------------------------------------


BAD_PHOTOS = [
    (truncated, "hỏng"),
    (text_file, "không phải"),
    (png_bomb, "lớn"),
    (heic, "HEIC"),
    (icon, "ICO"),
]
WITHOUT_CHECKS = """
import sys
from bulletin.build.main import build_site, load_settings
settings = load_settings({conf!r}, PATH={content!r}, OUTPUT_PATH={output!r})
settings["PLUGINS"] = [p for p in settings["PLUGINS"] if p != "bulletin.content.validation"]
sys.exit(build_site(settings))
"""


def assert_named(report: str, line: int, words: str) -> None:
    errors = [row for row in report.splitlines() if "anh/phat-dong/hong.jpg" in row]
    assert len(errors) == 1, report  # one report per photo, whoever found it
    assert errors[0].startswith(f"{SEED}:{line}: lỗi: "), errors[0]
    assert words in errors[0], errors[0]


@pytest.mark.parametrize(("make", "words"), BAD_PHOTOS)
def test_bad_photo_fails_the_build_and_keeps_the_old_output(tmp_path, make, words):
    content = copy_fixture_site(tmp_path)
    output = tmp_path / "output"
    assert build(content, output)[0] == 0
    before = tree(output)
    line = add_bad_photo(content, make)
    code, report = build(content, output)
    assert code == 1, report
    assert_named(report, line, words)
    assert tree(output) == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".output")]


@pytest.mark.parametrize(("make", "words"), BAD_PHOTOS)
def test_the_pipeline_alone_stops_on_a_bad_photo_in_the_same_words(tmp_path, make, words):
    """Without bulletin.content.validation's checks (in a fresh interpreter: signals
    connected by earlier builds in this one would stay connected)."""
    content = copy_fixture_site(tmp_path)
    output = tmp_path / "output"
    assert build(content, output)[0] == 0
    before = tree(output)
    line = add_bad_photo(content, make)
    script = WITHOUT_CHECKS.format(
        conf=str(ROOT / "pelicanconf.py"), content=str(content), output=str(output)
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT / "plugins"), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert_named(result.stderr, line, words)
    assert tree(output) == before


def test_a_bad_cover_is_reported_once_at_its_line_in_the_checks_words(tmp_path):
    """The checks read the body; the pipeline also reads the Cover line."""
    content = copy_fixture_site(tmp_path)
    heic(content / "articles" / "2023" / "anh" / "phat-dong" / "hong.jpg")
    article = content / SEED_ARTICLE
    lines = article.read_text(encoding="utf-8").split("\n")
    lines.insert(1, "Cover: anh/phat-dong/hong.jpg")
    article.write_text("\n".join(lines), encoding="utf-8")
    code, report = build(content, tmp_path / "output")
    assert code == 1, report
    errors = [row for row in report.splitlines() if "hong.jpg" in row]
    assert errors == [
        f'{SEED}:2: lỗi: Ảnh "anh/phat-dong/hong.jpg" là ảnh HEIC (iPhone), trình duyệt '
        "không hiển thị được — xuất ảnh sang JPEG (trên iPhone: Cài đặt › Camera › Định dạng "
        "› Tương thích nhất)"
    ], report


def test_pixel_limit_is_a_setting(tmp_path):
    content = copy_fixture_site(tmp_path)  # its photos are 1200×900: 1.08 megapixels
    code, report = build(content, tmp_path / "output", PHOTO_MAX_PIXELS=1_000_000)
    assert code == 1
    assert 'Ảnh "anh/phat-dong/nhung-11.jpg" quá lớn (trên 1 triệu điểm ảnh)' in report, report
