"""Official documents (văn bản) as editors write them: pure rules, no Pelican, no I/O.

One document per file, ``content/van-ban/<year>/<slug>.md``, with ``Key:
value`` lines (:data:`DOCUMENT_KEYS`), its files listed in ``Files``. This
module holds the keys and their Vietnamese labels, the ``Number`` format, the
known ``Type`` list, the file formats, and every check that needs no file
system: each returns :class:`~bulletin.content.model.Problem` records so that
every mistake is reported at once, naming file, line, field and fix.
"""

from __future__ import annotations

import difflib
import os
import re
from dataclasses import dataclass

from bulletin.content.dates import DateError, parse_date
from bulletin.content.model import ERROR, WARNING, Problem, check_keys, suggest
from bulletin.content.vietnamese import nfc, slugify

DOCUMENT_KEYS = (
    "title",
    "number",
    "date",
    "type",
    "issuer",
    "signer",
    "effective",
    "expires",
    "replaced_by",
    "movement",
    "field",
    "files",
    "slug",
    "status",
)
REQUIRED_DOCUMENT_KEYS = ("title", "number", "date", "type", "issuer", "files")
DOCUMENT_LABELS = {
    "title": "trích yếu",
    "number": "số hiệu",
    "date": "ngày ban hành",
    "type": "loại văn bản",
    "issuer": "cơ quan ban hành",
    "signer": "người ký",
    "effective": "ngày có hiệu lực",
    "expires": "ngày hết hiệu lực",
    "replaced_by": "bị thay thế bởi văn bản số",
    "movement": "phong trào",
    "field": "lĩnh vực",
    "files": "tệp văn bản",
    "slug": "đường dẫn",
    "status": "trạng thái",
}
# Field names written in Vietnamese ("Số hiệu:"), read as the key they mean.
VIETNAMESE_DOCUMENT_KEYS = {
    "trich-yeu": "title",
    "so-hieu": "number",
    "so": "number",
    "ngay-ban-hanh": "date",
    "loai": "type",
    "loai-van-ban": "type",
    "co-quan-ban-hanh": "issuer",
    "nguoi-ky": "signer",
    "hieu-luc": "effective",
    "ngay-hieu-luc": "effective",
    "het-hieu-luc": "expires",
    "thay-the-boi": "replaced_by",
    "bi-thay-the-boi": "replaced_by",
    "linh-vuc": "field",
    "tep": "files",
    "tep-dinh-kem": "files",
}
REQUIRED_HINTS = {
    "title": "thêm dòng Title: trích yếu của văn bản, ví dụ Title: Kế hoạch phát động thi đua "
    "năm 2023",
    "number": "thêm dòng Number: số hiệu như trên văn bản, ví dụ Number: 45/KH-BQL",
    "date": "thêm dòng Date: ngày ban hành, ví dụ Date: 2023-03-01 hoặc 01/03/2023",
    "type": "thêm dòng Type: loại văn bản, ví dụ Type: Kế hoạch",
    "issuer": "thêm dòng Issuer: cơ quan ban hành, ví dụ Issuer: Ban Quản lý các Khu công nghiệp",
    "files": "thêm dòng Files: tên tệp PDF cạnh tệp này, ví dụ Files: 45-kh-bql.pdf",
}

# Official documents are numbered "<number>/<year>/<type>-<issuer>" when they
# are normative (văn bản quy phạm pháp luật: 12/2023/QĐ-UBND) and
# "<number>/<type>-<issuer>" otherwise (45/KH-BQL); laws and resolutions of
# the National Assembly end with the body's code alone (202/2025/QH15).
NUMBER_RE = re.compile(
    r"^(?P<sequence>\d{1,6}[a-z]?)/(?:(?P<year>\d{4})/)?"
    r"(?P<code>[A-ZĐ][A-ZĐ0-9]*(?:-[A-ZĐ][A-ZĐ0-9]*)*)$"
)
NUMBER_EXAMPLES = "45/KH-BQL hoặc 12/2023/QĐ-UBND"
_DASHES = str.maketrans({"–": "-", "—": "-", "‐": "-", "‑": "-"})


@dataclass(frozen=True)
class DocumentType:
    """A kind of document (loại văn bản) and its code in numbers (KH, QĐ…)."""

    name: str
    code: str = ""

    @property
    def slug(self) -> str:
        return slugify(self.name)


# The usual kinds (Decree 30/2020/NĐ-CP, Appendix III; Law 64/2025/QH15 on
# normative documents); DOCUMENT_EXTRA_TYPES in the settings adds more.
KNOWN_TYPES = (
    DocumentType("Luật"),
    DocumentType("Pháp lệnh"),
    DocumentType("Nghị quyết", "NQ"),
    DocumentType("Nghị định", "NĐ"),
    DocumentType("Quyết định", "QĐ"),
    DocumentType("Thông tư", "TT"),
    DocumentType("Chỉ thị", "CT"),
    DocumentType("Kế hoạch", "KH"),
    DocumentType("Công văn"),
    DocumentType("Thông báo", "TB"),
    DocumentType("Báo cáo", "BC"),
    DocumentType("Hướng dẫn", "HD"),
    DocumentType("Tờ trình", "TTr"),
    DocumentType("Chương trình", "CTr"),
    DocumentType("Quy chế", "QC"),
    DocumentType("Quy định", "QyĐ"),
    DocumentType("Đề án", "ĐA"),
    DocumentType("Công điện", "CĐ"),
    DocumentType("Giấy mời", "GM"),
    DocumentType("Biên bản", "BB"),
)


def known_types(extra=()) -> dict[str, DocumentType]:
    """{slug: type} of the usual kinds plus the site's own (names, or
    (name, code) pairs in ``DOCUMENT_EXTRA_TYPES``)."""
    types = {t.slug: t for t in KNOWN_TYPES}
    for item in extra:
        name, code = (item, "") if isinstance(item, str) else item
        kind = DocumentType(nfc(name).strip(), code)
        types.setdefault(kind.slug, kind)
    return types


# File formats a document may be published in: extension → (label, MIME type).
FORMATS = {
    "pdf": ("PDF", "application/pdf"),
    "doc": ("Word (DOC)", "application/msword"),
    "docx": (
        "Word (DOCX)",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    "xls": ("Excel (XLS)", "application/vnd.ms-excel"),
    "xlsx": ("Excel (XLSX)", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "odt": ("OpenDocument (ODT)", "application/vnd.oasis.opendocument.text"),
    "ods": ("OpenDocument (ODS)", "application/vnd.oasis.opendocument.spreadsheet"),
    "zip": ("ZIP", "application/zip"),
}
# Extensions an article may link to as a plain Markdown link, published beside it.
LINKABLE_EXTENSIONS = frozenset(FORMATS)
MAX_FILE_MB = 30  # above: a warning (slow on a phone, often a scan at too high a resolution)


def document_field(key: str) -> str:
    """'Trường "Number" (số hiệu)' — the key as written, and its meaning."""
    label = DOCUMENT_LABELS.get(key)
    name = key.capitalize()
    return f'Trường "{name}" ({label})' if label else f'Trường "{name}"'


# --- numbers -------------------------------------------------------------------
def clean_number(text: str) -> str:
    """A number as written, NFC, without spaces, with plain hyphens."""
    return re.sub(r"\s+", "", nfc(text).translate(_DASHES))


def number_key(text: str) -> str:
    """What two spellings of one number share: "45/kh-bql" is "45/KH-BQL"."""
    return clean_number(text).upper()


def split_numbers(value: str) -> list[str]:
    """``Documents: 45/KH-BQL, 12/2023/QĐ-UBND`` → the numbers, in order."""
    parts = re.split(r"[,;\n]", nfc(value))
    return [" ".join(part.split()) for part in parts if part.strip()]


def check_number(path: str, line: int, value: str) -> list[Problem]:
    number = clean_number(value)
    if NUMBER_RE.match(number):
        return []
    fixed = re.sub(r"^(?i:số)[:.]?", "", number).upper()
    hint = f'viết đúng như trên văn bản, ví dụ {NUMBER_EXAMPLES}; không viết chữ "Số"'
    if fixed != number and NUMBER_RE.match(fixed):
        hint = f'có phải là "{fixed}"? ' + hint
    return [
        Problem(
            path,
            line,
            f'{document_field("number")}: "{value}" không đúng dạng số hiệu văn bản '
            "(số/năm/KÝHIỆU hoặc số/KÝHIỆU, chữ in hoa)",
            hint,
        )
    ]


def is_normative(number: str) -> bool:
    """Numbered with a year (12/2023/QĐ-UBND): a normative document
    (văn bản quy phạm pháp luật), schema.org ``Legislation``."""
    match = NUMBER_RE.match(clean_number(number))
    return bool(match and match.group("year"))


# --- fields --------------------------------------------------------------------
def check_document_keys(path: str, lines: dict[str, int]) -> list[Problem]:
    """Unknown keys, with the document meaning of Vietnamese names first."""
    problems, rest = [], {}
    for key, line in lines.items():
        alias = VIETNAMESE_DOCUMENT_KEYS.get(slugify(key))
        if key in DOCUMENT_KEYS or not alias:
            rest[key] = line
            continue
        problems.append(
            Problem(
                path,
                line,
                f'Trường "{key}" không được hỗ trợ',
                f'có phải ý bạn là "{alias.capitalize()}"? (tên trường viết bằng tiếng Anh)',
            )
        )
    return problems + check_keys(path, rest, DOCUMENT_KEYS)


def check_required(path: str, raw: dict[str, str], lines: dict[str, int]) -> list[Problem]:
    problems = []
    for key in REQUIRED_DOCUMENT_KEYS:
        present = key in lines
        if present and raw.get(key, "").strip(" ,;"):
            continue
        what = "bị thiếu" if not present else "đang để trống"
        problems.append(
            Problem(
                path,
                lines.get(key, 1),
                f"{document_field(key)} {what}",
                REQUIRED_HINTS[key],
            )
        )
    return problems


def read_type(path, line, value: str, types: dict[str, DocumentType]):
    """(type or None, problems): an unknown type is an error naming the nearest."""
    value = " ".join(nfc(value).split())
    if not value:
        return None, []
    found = types.get(slugify(value))
    if found:
        return found, []
    names = [t.name for t in types.values()]
    near = suggest(value, names)
    hint = (
        "có phải ý bạn là: " + ", ".join(f'"{n}"' for n in near) + "?"
        if near
        else "các loại văn bản: " + ", ".join(names)
    )
    hint += "; loại mới thêm vào DOCUMENT_EXTRA_TYPES trong pelicanconf.py"
    return None, [
        Problem(
            path, line, f'{document_field("type")}: "{value}" không phải loại văn bản đã biết', hint
        )
    ]


def read_day(path, line, key: str, value: str):
    """(date or None, problems) for Effective / Expires: a day, time optional."""
    if not value.strip():
        return None, []
    try:
        return parse_date(value), []
    except DateError as error:
        return None, [
            Problem(
                path,
                line,
                f"{document_field(key)}: {error}",
                'viết theo dạng "2023-03-09" hoặc "09/03/2023" (ngày/tháng/năm)',
            )
        ]


# --- files ---------------------------------------------------------------------
@dataclass(frozen=True)
class FileEntry:
    """One line of ``Files`` as written, and where it will be published."""

    written: str  # the path as the editor wrote it
    extension: str  # lower case, without the dot
    published_name: str  # ASCII, unique within the document

    @property
    def label(self) -> str:
        return FORMATS.get(self.extension, (self.extension.upper(), ""))[0]

    @property
    def media_type(self) -> str:
        return FORMATS.get(self.extension, ("", "application/octet-stream"))[1]


def split_files(value: str) -> list[str]:
    """``Files`` lists paths separated by commas or one per line."""
    return [part.strip() for part in re.split(r"[,\n]", nfc(value)) if part.strip()]


def ascii_file_name(name: str, taken=()) -> str:
    """ "Kế hoạch 45-KH.PDF" → "ke-hoach-45-kh.pdf", "-2" added if taken."""
    stem, extension = os.path.splitext(os.path.basename(name))
    extension = extension.lower().lstrip(".")
    base = slugify(stem) or "tep"
    candidate, number = base, 2
    while f"{candidate}.{extension}" in taken:
        candidate, number = f"{base}-{number}", number + 1
    return f"{candidate}.{extension}" if extension else candidate


def read_files(path: str, line: int, value: str) -> tuple[list[FileEntry], list[Problem]]:
    """Each path of ``Files`` with the name it is published under; a format
    outside :data:`FORMATS` is an error."""
    entries, problems, taken = [], [], set()
    for written in split_files(value):
        extension = os.path.splitext(written)[1].lower().lstrip(".")
        if extension not in FORMATS:
            what = f'có đuôi ".{extension}"' if extension else "không có đuôi tệp"
            problems.append(
                Problem(
                    path,
                    line,
                    f'{document_field("files")}: tệp "{written}" {what}, không được đăng',
                    "chỉ đăng " + ", ".join(e.upper() for e in FORMATS) + "; chuyển tệp sang PDF "
                    "(tên tệp không chứa dấu phẩy)",
                )
            )
            continue
        published = ascii_file_name(written, taken)
        taken.add(published)
        entries.append(FileEntry(written, extension, published))
    return entries, problems


def file_size_warning(path: str, line: int, written: str, size: int) -> list[Problem]:
    if size <= MAX_FILE_MB * 1024 * 1024:
        return []
    return [
        Problem(
            path,
            line,
            f'Tệp "{written}" nặng {size / 1024 / 1024:.0f} MB (trên {MAX_FILE_MB} MB), '
            "tải chậm trên điện thoại",
            "nếu là bản quét, quét lại ở 200–300 dpi, đen trắng; không nén lại tệp có chữ ký số",
            WARNING,
        )
    ]


def scan_warning(path: str, line: int, written: str) -> list[Problem]:
    """A PDF without a text layer (a scan): published, but what it says is
    not searchable (OCR is not done here)."""
    return [
        Problem(
            path,
            line,
            f'Tệp "{written}": văn bản dạng ảnh quét — nội dung không tìm kiếm được',
            "nếu có bản PDF xuất từ tệp Word (có lớp chữ), đăng bản đó; nếu chỉ có bản quét, "
            "ghi nội dung chính vào phần ghi chú dưới các trường để bạn đọc tìm được",
            WARNING,
        )
    ]


def format_size(size: int) -> str:
    """ "245 KB", "1,2 MB" — Vietnamese decimal comma."""
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / 1024 / 1024:.1f} MB".replace(".", ",")


# --- the register as a whole ----------------------------------------------------------
def near_numbers(number: str, numbers, n: int = 3) -> list[str]:
    """Numbers of the register that look like ``number`` (a typo, a missing year)."""
    by_key = {number_key(k): k for k in numbers}
    wanted = number_key(number)
    close = difflib.get_close_matches(wanted, list(by_key), n=n, cutoff=0.6)
    # "45/KH" for "45/KH-BQL": the same sequence and type code.
    head = wanted.split("-")[0]
    close += [k for k in by_key if k.split("-")[0] == head and k not in close]
    return [by_key[k] for k in close[:n]]


def unknown_number(path: str, line: int, key: str, number: str, numbers) -> Problem:
    near = near_numbers(number, numbers)
    hint = (
        "có phải là: " + ", ".join(f'"{n}"' for n in near) + "?"
        if near
        else "thêm văn bản vào content/van-ban/<năm>/ hoặc sửa số hiệu cho đúng"
    )
    label = {"documents": 'Trường "Documents" (văn bản liên quan)'}.get(key, document_field(key))
    return Problem(
        path, line, f'{label}: không có văn bản số "{number}" trong danh mục văn bản', hint
    )


def duplicate_numbers(entries) -> list[Problem]:
    """``entries``: (path, line, number) of every document; each duplicate is
    reported at every file that uses it."""
    by_key: dict[str, list[tuple[str, int, str]]] = {}
    for path, line, number in entries:
        by_key.setdefault(number_key(number), []).append((path, line, number))
    problems = []
    for same in by_key.values():
        if len(same) < 2:
            continue
        for path, line, number in same:
            others = ", ".join(p for p, _, _ in same if p != path)
            problems.append(
                Problem(
                    path,
                    line,
                    f'{document_field("number")}: số hiệu "{number}" trùng với {others}',
                    "mỗi văn bản một tệp; sửa số hiệu cho đúng hoặc xóa tệp trùng",
                )
            )
    return problems


def severity_of(problems) -> str | None:
    """The worst severity in ``problems``, or None."""
    if any(p.severity == ERROR for p in problems):
        return ERROR
    return WARNING if problems else None
