"""The web editor's "Văn bản" collection, built from the register's own model.

Pure (no Pelican, no I/O). Keys, labels, required keys, the known types,
the ``Number`` format, the file formats and the size limit come from
:mod:`bulletin.documents.model` — what ``invoke check`` applies — never
written here again. A document is saved as ``content/van-ban/<year of its
Date>/<slug>.md`` (``bulletin-cms.js`` pins the Slug and the year before the
first save, as for articles), its files uploaded beside it and listed in
``Files``.
"""

from __future__ import annotations

from bulletin.content.vietnamese import SLUG_MAX, collation_key
from bulletin.documents.model import (
    DOCUMENT_KEYS,
    DOCUMENT_LABELS,
    FORMATS,
    MAX_FILE_MB,
    NUMBER_EXAMPLES,
    NUMBER_RE,
    REQUIRED_DOCUMENT_KEYS,
)
from bulletin.editor.form import movement_options

FOLDER = "content/van-ban"  # DOCUMENT_PATHS' default, below PATH (as content/articles)
DESCRIPTIONS = {
    "remote": "Danh mục văn bản (kế hoạch, quyết định, thông báo…): mỗi văn bản một số hiệu, "
    "kèm tệp PDF. Văn bản mới được lưu thành bản nháp chờ duyệt; khi được duyệt (Xuất bản), "
    "trang tự dựng lại và đăng văn bản.",
    "local": "Danh mục văn bản (kế hoạch, quyết định, thông báo…), soạn trên máy này "
    "(invoke cms): Lưu là ghi văn bản và tệp của nó vào thư mục content/van-ban/<năm>/.",
}
# The build reads a day as ISO or day-first (bulletin.content.dates), never month-first.
DAY_PATTERN = [
    r"^\s*(\d{4}-\d{1,2}-\d{1,2}|\d{1,2}/\d{1,2}/\d{4})\s*$",
    "Viết ngày theo dạng 2023-03-01 hoặc 01/03/2023 (ngày/tháng/năm)",
]


def number_pattern() -> list[str]:
    """:data:`~bulletin.documents.model.NUMBER_RE` for the browser (named
    groups in JavaScript's spelling), spaces around allowed as the check does."""
    body = NUMBER_RE.pattern.removeprefix("^").removesuffix("$").replace("(?P<", "(?<")
    return [
        rf"^\s*{body}\s*$",
        f"Số hiệu viết như trên văn bản, chữ in hoa, ví dụ {NUMBER_EXAMPLES}",
    ]


def file_pattern() -> list[str]:
    """A file name ending in one of :data:`~bulletin.documents.model.FORMATS`
    (either case: the build lowers the extension)."""
    extensions = "|".join(f"{e}|{e.upper()}" for e in FORMATS)
    return [
        rf"\.({extensions})$",
        "Chỉ đăng tệp " + ", ".join(e.upper() for e in FORMATS) + "; chuyển tệp khác sang PDF",
    ]


def label(key: str) -> str:
    text = DOCUMENT_LABELS[key]
    return text[0].upper() + text[1:]


def document_fields(types, registry, issuer: str) -> list[dict]:
    """The form, one field per key of :data:`DOCUMENT_KEYS`, in that order.

    ``types``: :func:`bulletin.documents.model.known_types` (with the site's
    ``DOCUMENT_EXTRA_TYPES``); ``issuer``: the default issuer (the agency).
    """
    names = sorted((t.name for t in types.values()), key=collation_key)
    size = MAX_FILE_MB * 1024 * 1024
    by_key = {
        "title": {
            "widget": "string",
            "hint": "Trích yếu như trên văn bản, ví dụ: Kế hoạch phát động phong trào thi đua "
            "năm 2025.",
        },
        "number": {
            "widget": "string",
            "pattern": number_pattern(),
            "hint": f"Như trên văn bản, ví dụ {NUMBER_EXAMPLES}; không viết chữ “Số”. Bài viết "
            "dẫn văn bản bằng số hiệu này (dòng Documents).",
        },
        "date": {"widget": "string", "pattern": list(DAY_PATTERN), "hint": "Ví dụ 01/03/2025."},
        "type": {
            "widget": "select",
            "options": names,
            "hint": "Loại khác: thêm vào DOCUMENT_EXTRA_TYPES trong pelicanconf.py.",
        },
        "issuer": {"widget": "string", "default": issuer},
        "signer": {"widget": "string", "hint": "Chức vụ hoặc họ tên người ký (không bắt buộc)."},
        "effective": {"widget": "string", "pattern": list(DAY_PATTERN)},
        "expires": {"widget": "string", "pattern": list(DAY_PATTERN)},
        "replaced_by": {
            "widget": "string",
            "pattern": number_pattern(),
            "hint": "Số hiệu của văn bản thay thế văn bản này (văn bản đó phải có trong danh mục).",
        },
        "movement": {
            "widget": "select",
            "multiple": True,
            "options": movement_options(registry),
        },
        "field": {"widget": "string", "hint": "Ví dụ: Thi đua, khen thưởng."},
        "files": {
            "widget": "list",
            "label_singular": "tệp",
            "min": 1,
            "field": {
                "name": "file",
                "label": "Tệp",
                "widget": "file",
                "pattern": file_pattern(),
                "media_library": {"config": {"max_file_size": size}},
            },
            "hint": "Tệp gốc, đăng nguyên vẹn (không nén lại: giữ chữ ký số); tối đa "
            f"{MAX_FILE_MB} MB mỗi tệp; tên tệp không dấu, không dấu cách. Bản quét dạng ảnh "
            "không tìm được chữ bên trong: ghi nội dung chính vào Ghi chú.",
        },
        "slug": {
            "widget": "string",
            "hint": "Để trống: tạo từ trích yếu khi lưu lần đầu (chữ thường không dấu, nối bằng "
            f"“-”, tối đa {SLUG_MAX} ký tự). Không sửa sau khi văn bản đã đăng.",
        },
        "status": {
            "name": "draft",
            "label": "Ẩn văn bản (chưa đăng lên trang)",
            "widget": "boolean",
            "default": False,
            "hint": "Bật: văn bản không xuất hiện ở đâu trên trang (dòng Status: draft).",
        },
    }
    fields = []
    for key in DOCUMENT_KEYS:
        field = {"name": key, "label": label(key)} | by_key[key]
        if key not in REQUIRED_DOCUMENT_KEYS:
            field["required"] = False
        fields.append(field)
    fields.append(
        {
            "name": "body",
            "label": "Ghi chú",
            # A plain text box: Decap's Markdown editors are Slate, which
            # duplicates words typed with the Windows Vietnamese keyboard.
            "widget": "text",
            "required": False,
            "hint": "Vài dòng hiện dưới các trường trên trang văn bản (không bắt buộc).",
        }
    )
    return fields


def documents_collection(types, registry, issuer: str, local: bool) -> dict:
    """Decap's collection of the register (see the module docstring)."""
    return {
        "name": "documents",
        "label": "Văn bản",
        "label_singular": "văn bản",
        "description": DESCRIPTIONS["local" if local else "remote"],
        "folder": FOLDER,
        "extension": "md",
        "format": "pelican-document",
        "create": True,
        "delete": False,  # a published document's address never disappears
        "identifier_field": "title",
        # Filled by bulletin-cms.js before the first save, as for articles.
        "slug": "{{fields.slug}}",
        "path": "{{path_year}}/{{slug}}",
        # The files beside the document (Files: 45-kh-bql.pdf).
        "media_folder": "",
        "public_folder": "",
        "summary": "{{number}} — {{title}}",
        "sortable_fields": [{"field": "date", "default_sort": "desc"}, "number", "title"],
        "view_groups": [{"label": "Loại", "field": "type"}],
        "fields": document_fields(types, registry, issuer),
    }


def document_format() -> dict:
    """What ``pelican-format.js`` needs to read and write a document's header:
    its keys in order, the list key, and no date-time key (days stay as written)."""
    return {"keys": list(DOCUMENT_KEYS), "formKeys": list(DOCUMENT_KEYS), "dateKeys": []}


def document_rules(types, registry, issuer: str) -> dict:
    """The labels the page's messages use for the form's fields (an
    article's come from :func:`bulletin.editor.form.form_rules`)."""
    fields = document_fields(types, registry, issuer)
    return {"labels": {field["name"]: field["label"] for field in fields}, "hints": {}}
