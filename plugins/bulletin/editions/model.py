"""The printed bulletin's issues as editors write them: pure rules, no Pelican, no I/O.

One issue per file, ``content/ban-tin/<year>/so-<n>.md``, with ``Key: value``
lines (:data:`EDITION_KEYS`) and, below them, the editorial ("Lời tòa
soạn"). This module holds the keys and their Vietnamese labels, the legal
limits of a *bản tin* (Luật Báo chí 2016, Art. 34(1): at most 19 × 27 cm and
64 pages; the masthead and colophon contents — docs/print-editions.md), the
identity settings every issue needs, the page geometry, where a photo is
placed and at what resolution, and every check that needs no file: each
returns :class:`~bulletin.content.model.Problem` records so that every
mistake is reported at once, naming file, line, field and fix.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from bulletin.content.dates import DateError, parse_date
from bulletin.content.model import ERROR, WARNING, Problem, check_keys, suggest
from bulletin.content.vietnamese import nfc, slugify

EDITION_KEYS = ("number", "date", "title", "articles", "cover", "status")
REQUIRED_EDITION_KEYS = ("number", "date", "articles")
EDITION_LABELS = {
    "number": "số bản tin",
    "date": "ngày xuất bản",
    "title": "tên số",
    "articles": "các bài, theo thứ tự in",
    "cover": "ảnh bìa",
    "status": "trạng thái",
}
# Field names written in Vietnamese ("Số:"), read as the key they mean.
VIETNAMESE_EDITION_KEYS = {
    "so": "number",
    "so-ban-tin": "number",
    "ngay": "date",
    "ngay-xuat-ban": "date",
    "ten": "title",
    "tieu-de": "title",
    "bai": "articles",
    "cac-bai": "articles",
    "bai-viet": "articles",
    "anh-bia": "cover",
    "bia": "cover",
    "trang-thai": "status",
}
REQUIRED_HINTS = {
    "number": "thêm dòng Number: số thứ tự của số bản tin trong năm, ví dụ Number: 3",
    "date": "thêm dòng Date: ngày xuất bản, ví dụ Date: 2024-06-30 hoặc 30/06/2024",
    "articles": "thêm dòng Articles: các bài theo thứ tự in, mỗi bài một dòng (thụt vào) "
    "hoặc cách nhau bằng dấu phẩy, ghi slug hoặc đường dẫn tệp của bài",
}

# --- the law's limits and the page ----------------------------------------------------
# Luật Báo chí 2016, Art. 34(1)(a): "khuôn khổ tối đa 19 cm × 27 cm, số trang
# tối đa 64 trang" (docs/print-editions.md).
MAX_PAGE_MM = (190.0, 270.0)
MAX_PAGES = 64
# The print stylesheet's page box (edition_print.html writes @page from these);
# "colophon": the last page's bottom margin, which holds the colophon.
MARGINS_MM = {"top": 22.0, "bottom": 20.0, "inner": 20.0, "outer": 15.0, "colophon": 42.0}
COLUMN_GAP_MM = 6.0
# An article this long (characters of its text) is set in two columns.
LONG_ARTICLE_CHARS = 1800
# Photos: placed so that they print at PRINT_DPI or better, never smaller than
# MIN_PHOTO_MM wide (or the frame); under WARN_DPI at that size a warning
# names the photo. Originals above EMBED_DPI are resampled down to it (a
# printer gains nothing from more; the PDF would only grow).
PRINT_DPI = 250
WARN_DPI = 150
EMBED_DPI = 300
MIN_PHOTO_MM = 60.0
MAX_PHOTO_HEIGHT_MM = {"single": 120.0, "columns": 95.0, "cover": 120.0}
MM_PER_INCH = 25.4

# Settings every issue needs (the masthead and the colophon the law asks
# for): name → what it is, in the editors' words.
# What every issue prints (LAW). The publishing body and the person
# responsible are the agency's identity, read where the site reads them
# (bulletin.site.identity: one place for both); the rest is the printed
# bulletin's own.
IDENTITY_SETTINGS = {
    "EDITION_NAME": "tên bản tin (như trong giấy phép)",
    "SITE_ORGANIZATION": "cơ quan, tổ chức xuất bản",
    "EDITION_LICENCE": "giấy phép xuất bản (số, ngày cấp, nơi cấp)",
    "SITE_RESPONSIBLE": "người chịu trách nhiệm xuất bản",
    "EDITION_PRINTER": "nơi in",
    "EDITION_PRINT_RUN": "số lượng in (bản)",
    "EDITION_FREQUENCY": "kỳ hạn xuất bản",
    "EDITION_PAGE_MM": "khổ giấy (rộng, cao) tính bằng mm",
}
LAW = "Luật Báo chí 2016, Điều 34 khoản 1"
# Settings of an earlier version, now read from the identity: named when still set.
MOVED_SETTINGS = {
    "EDITION_PUBLISHER": "SITE_ORGANIZATION",
    "EDITION_RESPONSIBLE": "SITE_RESPONSIBLE",
}

Size = tuple[int, int]


def edition_field(key: str) -> str:
    """'Trường "Number" (số bản tin)' — the key as written, and its meaning."""
    label = EDITION_LABELS.get(key)
    name = key.capitalize()
    return f'Trường "{name}" ({label})' if label else f'Trường "{name}"'


def default_title(name: str, number: int, year: int) -> str:
    """ "Bản tin Khu công nghiệp Bắc Kạn số 3/2024": the title when none is written."""
    return f"Bản tin {name} số {number}/{year}"


def pdf_name(number: int, year: int) -> str:
    return f"ban-tin-so-{number}-{year}.pdf"


# --- fields -------------------------------------------------------------------------------
def check_edition_keys(path: str, lines: Mapping[str, int]) -> list[Problem]:
    """Unknown keys, with the issue meaning of Vietnamese names first (the
    article keys' aliases of :func:`~bulletin.content.model.check_keys` mean
    other things here: "Số" is the issue's number)."""
    aliases = {
        key: VIETNAMESE_EDITION_KEYS[slugify(key)]
        for key in lines
        if key not in EDITION_KEYS and slugify(key) in VIETNAMESE_EDITION_KEYS
    }
    hint = 'có phải ý bạn là "{}"? (tên trường viết bằng tiếng Anh)'
    named = [
        Problem(path, lines[key], f'Trường "{key}" không được hỗ trợ', hint.format(alias.title()))
        for key, alias in aliases.items()
    ]
    rest = {key: line for key, line in lines.items() if key not in aliases}
    return named + check_keys(path, rest, EDITION_KEYS)


def check_required(path: str, raw: Mapping[str, str], lines: Mapping[str, int]) -> list[Problem]:
    problems = []
    for key in REQUIRED_EDITION_KEYS:
        if key in lines and raw.get(key, "").strip(" ,;"):
            continue
        what = "bị thiếu" if key not in lines else "đang để trống"
        problems.append(
            Problem(path, lines.get(key, 1), f"{edition_field(key)} {what}", REQUIRED_HINTS[key])
        )
    return problems


def read_number(path: str, line: int, value: str) -> tuple[int | None, list[Problem]]:
    """``Number: 3`` → 3; "Số 3", "03" are read too; anything else is an error."""
    text = " ".join(nfc(value).split())
    if not text:
        return None, []
    match = re.fullmatch(r"(?i:số\s*)?0*(\d{1,4})(?:\s*/\s*\d{4})?", text)
    if match and int(match[1]) > 0:
        return int(match[1]), []
    return None, [
        Problem(
            path,
            line,
            f'{edition_field("number")}: "{text}" không phải số thứ tự của số bản tin',
            "viết một số nguyên dương, ví dụ Number: 3 (năm lấy từ dòng Date)",
        )
    ]


def file_number_warning(path: str, line: int, stem: str, number: int) -> list[Problem]:
    """``so-3.md`` holding ``Number: 4`` is almost always a copied file."""
    match = re.fullmatch(r"so-0*(\d+)", stem)
    if not match or int(match[1]) == number:
        return []
    return [
        Problem(
            path,
            line,
            f"Tệp tên so-{match[1]}.md nhưng {edition_field('number')} là {number}",
            f"đổi tên tệp thành so-{number}.md hoặc sửa dòng Number",
            WARNING,
        )
    ]


def split_articles(value: str) -> list[str]:
    """``Articles:`` lists slugs or paths, one a line or separated by commas."""
    return [part.strip() for part in re.split(r"[,;\n]", nfc(value)) if part.strip()]


def reference_keys(reference: str) -> tuple[str, str]:
    """(path below content/, slug) that a reference may name; either may be ""."""
    ref = reference.strip().strip("/")
    ref = re.sub(r"^(?:\./)?(?:content/)?", "", ref)
    if ref.endswith(".md"):
        return ref, ""
    return "", ref.rsplit("/", 1)[-1]


def unknown_article(path: str, line: int, reference: str, known) -> Problem:
    near = suggest(reference_keys(reference)[1] or reference_keys(reference)[0], known)
    hint = (
        "có phải là: " + ", ".join(f'"{n}"' for n in near) + "?"
        if near
        else "ghi slug của bài (phần cuối địa chỉ bài, ví dụ phat-dong-phong-trao-thi-dua-"
        "nam-2023) hoặc đường dẫn tệp (articles/2023/….md)"
    )
    return Problem(
        path, line, f'{edition_field("articles")}: không có bài "{reference}" trên trang', hint
    )


def unpublished_article(path: str, line: int, reference: str, source: str) -> Problem:
    return Problem(
        path,
        line,
        f'{edition_field("articles")}: bài "{reference}" chưa được đăng (bản nháp hoặc hẹn ngày)',
        f"đăng bài {source} trước, hoặc bỏ bài khỏi dòng Articles",
    )


def repeated_article(path: str, line: int, reference: str) -> Problem:
    return Problem(
        path,
        line,
        f'{edition_field("articles")}: bài "{reference}" được ghi hai lần',
        "mỗi bài chỉ in một lần trong một số; bỏ dòng lặp",
    )


def duplicate_numbers(entries) -> list[Problem]:
    """``entries``: (path, line, year, number) of every issue; a number used
    twice in one year is reported at every file that uses it."""
    by_key: dict[tuple[int, int], list[str]] = {}
    for path, _line, year, number in entries:
        by_key.setdefault((year, number), []).append(path)
    problems = []
    for path, line, year, number in entries:
        others = [p for p in by_key[(year, number)] if p != path]
        if others:
            problems.append(
                Problem(
                    path,
                    line,
                    f"Bản tin số {number}/{year} trùng với {', '.join(others)}",
                    "mỗi số trong một năm chỉ có một tệp; sửa dòng Number hoặc xóa tệp trùng",
                )
            )
    return problems


# --- identity settings ---------------------------------------------------------------------
@dataclass(frozen=True)
class Identity:
    """What the masthead and the colophon print, from the settings."""

    name: str
    publisher: str
    licence_number: str
    licence_date: str  # as the editor wrote it: printed as written
    licence_issuer: str
    responsible: str
    printer: str
    print_run: int
    frequency: str
    page_mm: tuple[float, float]


def _text(value) -> str:
    return " ".join(nfc(str(value)).split()) if isinstance(value, (str, int)) else ""


def read_identity(settings: Mapping, path: str) -> tuple[Identity | None, list[Problem]]:
    """The identity settings, or every missing or malformed one as a problem
    on ``path`` (the issue that needs them: a report names a file)."""
    problems = []

    def missing(key: str, what: str = "chưa khai báo") -> None:
        section = "The site" if key.startswith("SITE_") else "The printed bulletin"
        problems.append(
            Problem(
                path,
                1,
                f"{key} ({IDENTITY_SETTINGS[key]}) {what} trong pelicanconf.py",
                f"bản tin in phải ghi thông tin này ({LAW}); khai báo {key} trong phần "
                f'"{section}" của pelicanconf.py',
            )
        )

    for old, new in MOVED_SETTINGS.items():
        if _text(settings.get(old, "")) and _text(settings.get(old)) != _text(settings.get(new)):
            problems.append(
                Problem(
                    path,
                    1,
                    f"{old} không còn được dùng: bản tin in ghi {new} "
                    f"({IDENTITY_SETTINGS[new]}), như trang web",
                    f"xóa dòng {old} khỏi pelicanconf.py; nếu cần, sửa {new}",
                    WARNING,
                )
            )
    text = {key: _text(settings.get(key, "")) for key in IDENTITY_SETTINGS}
    for key in ("EDITION_NAME", "SITE_ORGANIZATION", "SITE_RESPONSIBLE", "EDITION_PRINTER"):
        if not text[key]:
            missing(key)
    if not text["EDITION_FREQUENCY"]:
        missing("EDITION_FREQUENCY")
    licence = settings.get("EDITION_LICENCE")
    licence = licence if isinstance(licence, Mapping) else {}
    number, issued = _text(licence.get("number", "")), _text(licence.get("date", ""))
    if not number or not issued:
        missing("EDITION_LICENCE", "thiếu số hoặc ngày cấp")
    elif _bad_date(issued):
        missing("EDITION_LICENCE", f'có ngày cấp "{issued}" không đọc được')
    run = settings.get("EDITION_PRINT_RUN")
    if isinstance(run, bool) or not isinstance(run, int) or run <= 0:
        missing("EDITION_PRINT_RUN", "phải là một số nguyên dương")
    page = settings.get("EDITION_PAGE_MM", MAX_PAGE_MM)
    try:
        width, height = (float(v) for v in page)
    except (TypeError, ValueError):
        width = height = 0.0
    if not (0 < width <= MAX_PAGE_MM[0] and 0 < height <= MAX_PAGE_MM[1]):
        missing(
            "EDITION_PAGE_MM",
            f"phải nằm trong khổ tối đa {MAX_PAGE_MM[0]:g} × {MAX_PAGE_MM[1]:g} mm",
        )
    if any(p.severity == ERROR for p in problems):
        return None, problems
    return Identity(
        name=text["EDITION_NAME"],
        publisher=text["SITE_ORGANIZATION"],
        licence_number=number,
        licence_date=issued,
        licence_issuer=_text(licence.get("issuer", "")),
        responsible=text["SITE_RESPONSIBLE"],
        printer=text["EDITION_PRINTER"],
        print_run=run,
        frequency=text["EDITION_FREQUENCY"],
        page_mm=(width, height),
    ), problems


def _bad_date(text: str) -> bool:
    try:
        parse_date(text)
    except DateError:
        return True
    return False


# --- the page and the photos ----------------------------------------------------------------
def text_width_mm(page_mm: tuple[float, float]) -> float:
    return page_mm[0] - MARGINS_MM["inner"] - MARGINS_MM["outer"]


def column_width_mm(page_mm: tuple[float, float]) -> float:
    return (text_width_mm(page_mm) - COLUMN_GAP_MM) / 2


def is_long(text_length: int) -> bool:
    return text_length > LONG_ARTICLE_CHARS


@dataclass(frozen=True)
class Placement:
    """Where a photo prints: its size on paper and the pixels embedded."""

    width_mm: float
    height_mm: float
    dpi: float  # of the original at this size
    embed: Size  # pixels of the image put in the PDF

    @property
    def embed_dpi(self) -> float:
        return self.embed[0] / (self.width_mm / MM_PER_INCH)


def place_photo(pixels: Size, frame_mm: float, max_height_mm: float) -> Placement:
    """The size a photo of ``pixels`` (as displayed, after EXIF rotation)
    prints at in a frame ``frame_mm`` wide.

    As large as the frame (and ``max_height_mm``) allow, but no larger than
    :data:`PRINT_DPI` allows; never narrower than :data:`MIN_PHOTO_MM` (or
    the fitted size, if smaller): a small photo then prints under
    :data:`PRINT_DPI`, which :func:`low_resolution` warns about below
    :data:`WARN_DPI`. The embedded pixels are the original's, resampled
    down to :data:`EMBED_DPI` when there are more.
    """
    px_w, px_h = pixels
    ratio = px_h / px_w
    width = min(frame_mm, max_height_mm / ratio)
    sharp = px_w / PRINT_DPI * MM_PER_INCH
    if sharp < width:
        width = max(sharp, min(MIN_PHOTO_MM, width))
    height = width * ratio
    dpi = px_w / (width / MM_PER_INCH)
    embed = pixels
    if dpi > EMBED_DPI:
        embed_w = round(width / MM_PER_INCH * EMBED_DPI)
        embed = (embed_w, max(1, round(embed_w * ratio)))
    return Placement(round(width, 2), round(height, 2), dpi, embed)


def low_resolution(path: str, line: int, photo: str, placement: Placement) -> list[Problem]:
    if placement.dpi >= WARN_DPI:
        return []
    return [
        Problem(
            path,
            line,
            f'Ảnh "{photo}" chỉ đạt {placement.dpi:.0f} dpi khi in rộng '
            f"{placement.width_mm:.0f} mm (dưới {WARN_DPI} dpi: bản in sẽ mờ, vỡ hạt)",
            f"thay bằng ảnh gốc lớn hơn (ít nhất "
            f"{round(placement.width_mm / MM_PER_INCH * PRINT_DPI)} điểm ảnh chiều ngang)",
            WARNING,
        )
    ]


def too_many_pages(path: str, line: int, pages: int) -> list[Problem]:
    if pages <= MAX_PAGES:
        return []
    return [
        Problem(
            path,
            line,
            f"Bản tin in ra {pages} trang, quá {MAX_PAGES} trang ({LAW})",
            "bớt bài khỏi dòng Articles, hoặc chia thành hai số",
        )
    ]
