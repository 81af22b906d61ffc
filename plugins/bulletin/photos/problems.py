"""What can be wrong with a photo, in the editor's words: one table, one check.

A bad photo is found in two places: by the check of each file's Markdown
(:func:`check_photos`, called by ``bulletin.content.validation`` for
``invoke check``, the build and the web editor's check endpoint) and by the
pipeline while it rewrites each page's HTML, which also sees covers and
``<img>`` written in HTML (``bulletin.photos.generator``). Both describe it as
a :class:`PhotoProblem` — the file, the line, the photo's real path and a
``kind`` — and word it through the one table :data:`TEXTS`; the same photo
on the same line is reported once, compared by those fields. No Pelican here.
"""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass
from functools import partial

from bulletin.build.state import state_of
from bulletin.content.model import ERROR, WARNING, Problem
from bulletin.photos import library as photo_library
from bulletin.photos.markup import local_path
from bulletin.photos.plan import DEFAULTS
from bulletin.photos.process import PhotoError

# Narrower than the smallest responsive width: blurred on a large screen.
SMALL_PHOTO_WIDTH = 480


@dataclass(frozen=True)
class Text:
    message: str  # formatted with src, detail
    hint: str  # formatted with small
    severity: str = ERROR


TEXTS = {
    # The file (kinds of bulletin.photos.process.PhotoError, plus "outside").
    "missing": Text(
        'Không tìm thấy tệp ảnh "{src}"',
        "kiểm tra tên tệp (phân biệt chữ hoa, chữ thường) và thư mục ảnh",
    ),
    "outside": Text(
        'Ảnh "{src}" nằm ngoài thư mục content/',
        "chép ảnh vào thư mục anh/ cạnh bài viết và sửa đường dẫn",
    ),
    "unreadable": Text(
        'Không đọc được tệp ảnh "{src}" ({detail})',
        "kiểm tra quyền đọc tệp, rồi chép lại ảnh",
    ),
    "not-image": Text(
        'Ảnh "{src}" không phải là tệp ảnh (có thể bị đổi đuôi tệp)',
        "chọn lại đúng tệp ảnh JPEG hoặc PNG",
    ),
    "heif": Text(
        'Ảnh "{src}" là ảnh HEIC (iPhone), trình duyệt không hiển thị được',
        "xuất ảnh sang JPEG (trên iPhone: Cài đặt › Camera › Định dạng › Tương thích nhất)",
    ),
    "unsupported": Text(
        'Ảnh "{src}" có định dạng {detail} không được hỗ trợ',
        "chuyển ảnh sang JPEG hoặc PNG",
    ),
    "too-large": Text(  # detail: the limit, in megapixels
        'Ảnh "{src}" quá lớn (trên {detail} triệu điểm ảnh), có thể là tệp độc hại',
        "dùng ảnh chụp thông thường, tối đa khoảng 50 megapixel",
    ),
    "damaged": Text(
        'Ảnh "{src}" bị hỏng hoặc chép chưa hết ({detail})',
        "chép lại tệp ảnh từ điện thoại hoặc máy ảnh",
    ),
    "changed": Text(
        'Ảnh "{src}" bị thay đổi trong khi đang dựng trang',
        "chạy lại lệnh dựng trang",
    ),
    "small": Text(  # detail: width×height
        'Ảnh "{src}" nhỏ ({detail} điểm ảnh), sẽ hiển thị mờ trên màn hình lớn',
        "nếu có, dùng ảnh gốc rộng từ {small} điểm ảnh trở lên",
        WARNING,
    ),
    # How the Markdown shows it.
    "no-alt": Text(
        'Ảnh "{src}" thiếu mô tả (alt) cho người khiếm thị',
        "viết mô tả trong ngoặc vuông: ![Mô tả nội dung ảnh](đường/dẫn.jpg)",
    ),
    "no-caption": Text(
        'Ảnh "{src}" chưa có chú thích',
        'thêm chú thích trong ngoặc kép: ![Mô tả](anh.jpg "Chú thích ảnh")',
        WARNING,
    ),
}


@dataclass(frozen=True)
class PhotoProblem:
    """One bad photo where one file shows it."""

    path: str  # the file, as the editor sees it (content/articles/…)
    line: int
    photo: str  # the photo's real path: what two finders compare
    src: str  # the photo as written on that line
    kind: str  # a key of TEXTS
    detail: str = ""
    hint: str = ""  # instead of the table's (the names near a missing photo's)

    @property
    def key(self) -> tuple[str, int, str, str]:
        return (self.path, self.line, self.photo, self.kind)

    @property
    def severity(self) -> str:
        return TEXTS[self.kind].severity

    def problem(self) -> Problem:
        text = TEXTS[self.kind]
        return Problem(
            self.path,
            self.line,
            text.message.format(src=self.src, detail=self.detail),
            self.hint or text.hint.format(small=SMALL_PHOTO_WIDTH),
            text.severity,
        )


def describe(error: PhotoError, max_pixels: int) -> tuple[str, str]:
    """The kind and detail of a :class:`PhotoProblem` for a photo that cannot be used."""
    if error.kind == "too-large":
        return "too-large", f"{max_pixels / 1_000_000:g}"
    kind = error.kind if error.kind in TEXTS else "damaged"
    return kind, error.detail or error.kind


def first_line(text: str, needles) -> tuple[int, str]:
    """The first line of ``text`` that mentions a needle (tried in order,
    case aside), and that needle; line 1 when none is found."""
    lines = text.lower().splitlines()
    for needle in needles:
        for number, line in enumerate(lines, start=1):
            if needle.lower() in line:
                return number, needle
    return 1, needles[-1]


def locate_photo(root: str, folder: str, path: str) -> tuple[str, bool]:
    """The real path of ``path`` written in a file of ``folder`` (``/x``: from
    ``root``, i.e. ``content/``), and whether it is inside ``root``.

    Resolved through every symlink: a photo that is a link to a file outside
    ``content/`` (a private photo, ``/etc/passwd``) is never read.
    """
    base = root if path.startswith("/") else folder
    target = os.path.realpath(os.path.join(os.path.abspath(base), path.lstrip("/")))
    root = os.path.realpath(root)
    return target, os.path.commonpath([target, root]) == root


def similar_files(folder: str, target: str) -> list[str]:
    """Photos near the article whose names resemble the missing one."""
    wanted = os.path.basename(target).lower()
    candidates = {}
    for current, _dirs, files in os.walk(folder):
        for file in files:
            if not file.lower().endswith(".md"):
                relative = os.path.relpath(os.path.join(current, file), folder)
                candidates.setdefault(file.lower(), []).append(relative.replace(os.sep, "/"))
    close = difflib.get_close_matches(wanted, list(candidates), n=3, cutoff=0.6)
    return [path for name in close for path in candidates[name]][:3]


def check_photos(generator, source) -> list[Problem]:
    """Photos of one file's Markdown must exist inside ``content/``, be
    usable, and have alt text and (as a figure) a caption."""
    return [found.problem() for found in source_photo_problems(generator, source)]


def source_photo_problems(generator, source) -> list[PhotoProblem]:
    settings = generator.settings
    # The build's library when the photo generator runs (each photo is then
    # read once per build, and what is reported here is not reported again
    # by the pipeline); the web editor's check has none.
    library = (getattr(generator, "context", None) or {}).get(photo_library.LIBRARY_KEY)
    max_pixels = int(settings.get("PHOTO_MAX_PIXELS", DEFAULTS["PHOTO_MAX_PIXELS"]))
    # `invoke check` makes no derivative: decoding is its only way to find
    # a truncated photo.
    checking = state_of(settings).check_only
    folder = os.path.dirname(source.abspath)
    found = []
    for image in source.images:
        if not image.is_local:
            continue
        line = first_line(source.text, (image.src,))[0]
        target, inside = locate_photo(generator.path, folder, local_path(image.src))
        at = partial(PhotoProblem, source.path, line, target, image.src)
        if not inside:
            found.append(at("outside"))
            continue
        if library is not None:
            info = library.inspect(target, decode=checking)
        else:
            info = photo_library.examine(target, max_pixels, decode=checking)
        if isinstance(info, PhotoError) and info.kind == "missing":
            near = similar_files(folder, target)
            hint = "có phải ý bạn là: " + ", ".join(f'"{n}"' for n in near) if near else ""
            found.append(at("missing", hint=hint))
        elif isinstance(info, PhotoError):
            found.append(at(*describe(info, max_pixels)))
        elif min(info.stored) and info.stored[0] < SMALL_PHOTO_WIDTH:
            found.append(at("small", "{}×{}".format(*info.stored)))
        if not image.alt.strip():
            found.append(at("no-alt"))
        if image.standalone and not image.caption.strip():
            found.append(at("no-caption"))
    if library is not None:
        library.reported.update(problem.key for problem in found)
    return found


def unreported(library, problems) -> list[PhotoProblem]:
    """``problems`` not reported yet this build (by the checks or before),
    now marked reported: the same photo on the same line is reported once."""
    new = []
    for problem in problems:
        if problem.key not in library.reported:
            library.reported.add(problem.key)
            new.append(problem)
    return new
