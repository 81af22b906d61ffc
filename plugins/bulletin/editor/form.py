"""The web editor's form, built from the content model: one field per metadata key.

Pure (no Pelican, no I/O). Limits, keys and placeholders are imported from
the modules ``invoke check`` uses, never written here again, so the form and
the check cannot drift apart: the fields' hints quote ``TITLE_MAX``,
``SUMMARY_MAX`` and ``SLUG_MAX``, and :func:`form_rules` hands the same
constants to the page's own checks (``assets/bulletin-rules.js``).
"""

from __future__ import annotations

from bulletin.content.model import ARTICLE_KEYS, REQUIRED_ARTICLE_KEYS, VIETNAMESE_KEYS
from bulletin.content.placeholders import PLACEHOLDERS
from bulletin.content.validation import SUMMARY_MAX, TITLE_MAX
from bulletin.content.vietnamese import SLUG_MAX, collation_key

# What to do about an empty required field, in the form's words (the check's
# own hints speak of lines in a file: bulletin.content.validation.REQUIRED_HINTS).
FORM_HINTS = {
    "title": "viết tiêu đề bài, như tiêu đề báo",
    "date": "bấm “Bây giờ” hoặc viết theo dạng 09/03/2023 14:59 (ngày/tháng/năm giờ:phút)",
    "author": "gõ họ tên tác giả; nhiều người cách nhau bằng dấu phẩy: Hồng Nhung, Minh Đức",
    "movement": "chọn ít nhất một phong trào trong danh sách",
}
# Buttons of Decap's Markdown editor, one click away from the plain body box.
BODY_BUTTONS = [
    "bold",
    "italic",
    "link",
    "heading-two",
    "heading-three",
    "quote",
    "bulleted-list",
    "numbered-list",
]


def movement_options(registry) -> list[dict[str, str]]:
    """Select options: value is the slug, label the name, Vietnamese order."""
    entries = sorted(registry.entries.values(), key=lambda entry: collation_key(entry.name))
    return [{"label": entry.name, "value": entry.slug} for entry in entries]


def article_fields(registry) -> list[dict]:
    """The form, one field per metadata key of the content model."""
    required = set(REQUIRED_ARTICLE_KEYS)
    fields = [
        {
            "name": "title",
            "label": "Tiêu đề",
            "widget": "string",
            "hint": "Viết như tiêu đề báo (chỉ viết hoa chữ đầu và tên riêng); "
            f"nên dưới {TITLE_MAX} ký tự.",
        },
        {
            "name": "date",
            "label": "Ngày giờ đăng",
            # Day-first text and "now" in Vietnam time (bulletin-cms.js); the
            # browser's own date box is month-first in an English Windows.
            "widget": "bulletin-date",
            # A new article starts at "now" (the widget replaces this marker,
            # as Decap's own datetime widget does).
            "default": "{{now}}",
            "hint": "Giờ Việt Nam, ngày/tháng/năm giờ:phút. Ngày giờ trong tương lai là hẹn "
            "giờ: bài tự đăng ở lần dựng trang đầu tiên sau thời điểm đó.",
        },
        {
            "name": "author",
            "label": "Tác giả",
            # Text, split on save (pelican-format.js): Decap's list widget
            # trims its value on every keystroke, so "Hồng Nhung, Minh Đức"
            # typed key by key became "HồngNhungMinhĐức" (decap-cms #4646).
            "widget": "string",
            "hint": "Họ tên tác giả; nhiều tác giả cách nhau bằng dấu phẩy: Hồng Nhung, Minh Đức",
        },
        {
            "name": "movement",
            "label": "Phong trào thi đua",
            "widget": "select",
            "multiple": True,
            "min": 1,
            "options": movement_options(registry),
            "hint": "Chọn một hoặc nhiều phong trào (danh mục: content/movements.toml).",
        },
        {
            "name": "tags",
            "label": "Chủ đề",
            "widget": "string",  # text, split on save, as Author
            "hint": "Cách nhau bằng dấu phẩy: thi đua, khen thưởng",
        },
        {
            "name": "summary",
            "label": "Tóm tắt (sapo)",
            "widget": "text",
            "hint": "Hiện dưới tiêu đề và trong danh sách tin; "
            f"nên dưới {SUMMARY_MAX} ký tự. Để trống: lấy đầu bài viết.",
        },
        {
            "name": "slug",
            "label": "Đường dẫn",
            "widget": "bulletin-slug",
            "hint": "Để trống: tạo từ tiêu đề khi lưu (chữ thường không dấu, nối bằng “-”, "
            f"tối đa {SLUG_MAX} ký tự). Ghi cố định vào bài ở lần lưu đầu tiên: sửa tiêu đề "
            "sau đó không làm đổi địa chỉ bài.",
        },
        {
            "name": "draft",
            # Status: draft. Not the workflow's "Bản nháp" (an unpublished branch):
            # a published file that stays off the site.
            "label": "Ẩn bài (chưa đăng lên trang)",
            "widget": "boolean",
            "default": False,
            "hint": "Bật: bài không xuất hiện ở đâu trên trang, kể cả sau khi xuất bản "
            "(dòng Status: draft). Tắt để đăng.",
        },
        # Cover and Video_poster: paths of photos in the article's folder
        # (uploaded with "Chèn ảnh"); the build checks each and names the field.
        {
            "name": "cover",
            "label": "Ảnh đại diện",
            "widget": "string",
            "hint": "Để trống: ảnh đầu tiên của bài. Hoặc đường dẫn một ảnh của bài, ví dụ "
            "anh/ten-bai/anh-1.jpg — hiện ở danh sách tin và khi chia sẻ bài.",
        },
        # The news desk's fields (bulletin.content.desk checks them).
        {
            "name": "modified",
            "label": "Ngày giờ cập nhật",
            "widget": "string",
            "hint": "Khi sửa nội dung bài đã đăng: ngày/tháng/năm giờ:phút, sau ngày đăng. "
            "Hiện “Cập nhật: …” dưới tên tác giả; bài giữ nguyên vị trí trong danh sách tin.",
        },
        {
            "name": "correction",
            "label": "Đính chính",
            "widget": "text",
            "hint": "Một đoạn: sai ở đâu, đúng là gì. Hiện trong khung “Đính chính” đầu bài và ở "
            "trang /dinh-chinh/. Cần điền “Ngày giờ cập nhật”.",
        },
        {
            "name": "photo_credit",
            "label": "Tác giả ảnh",
            "widget": "string",
            "hint": "Tên người chụp, hiện “Ảnh: <tên>” dưới mọi ảnh của bài mà chú thích chưa "
            "ghi (chú thích kết thúc bằng “Ảnh: Hồng Nhung” thì theo chú thích).",
        },
        {
            "name": "featured",
            "label": "Tin tiêu điểm",
            "widget": "boolean",
            "default": False,
            "hint": "Bật: bài lên khối “Tin tiêu điểm” đầu trang chủ (tối đa 4 bài cùng lúc).",
        },
        {
            "name": "featured_until",
            "label": "Tiêu điểm đến ngày",
            "widget": "string",
            "hint": "Để trống: tiêu điểm đến khi tắt. Ví dụ 31/03/2024 (hết ngày đó) hoặc "
            "31/03/2024 17:00.",
        },
        {
            "name": "video_poster",
            "label": "Ảnh nền video",
            "widget": "string",
            "hint": "Khi bài có video (dán địa chỉ YouTube hoặc Facebook thành một đoạn riêng): "
            "đường dẫn ảnh hiện trước khi bấm phát, ví dụ anh/ten-bai/anh-2.jpg. "
            "Để trống: dùng ảnh đại diện.",
        },
        {
            "name": "body",
            "label": "Nội dung",
            # A plain text box with a "Chèn ảnh" button (bulletin-cms.js): both
            # of Decap's Markdown modes are Slate editors, which duplicate words
            # typed with the Windows built-in Vietnamese keyboard (slate #5918).
            # Decap's rich-text editor is one click away ("Soạn thảo trực quan").
            "widget": "bulletin-body",
            "modes": ["rich_text", "raw"],
            "buttons": list(BODY_BUTTONS),
            "editor_components": ["image"],
            "sanitize_preview": True,
            "hint": "Mỗi đoạn văn cách nhau một dòng trống. Nút “Chèn ảnh”: chọn hoặc tải "
            "ảnh lên, viết mô tả (bắt buộc) và chú thích hiện dưới ảnh.",
        },
    ]
    for field in fields:
        if field["name"] not in required:
            field["required"] = False
    return fields


def form_rules(registry) -> dict:
    """The rules the form applies before saving (bulletin-rules.js), from the
    constants ``invoke check`` uses: one source for both."""
    return {
        "required": list(REQUIRED_ARTICLE_KEYS),
        "labels": {field["name"]: field["label"] for field in article_fields(registry)},
        "hints": dict(FORM_HINTS),
        "titleMax": TITLE_MAX,
        "summaryMax": SUMMARY_MAX,
        "slugMax": SLUG_MAX,
        "keys": list(ARTICLE_KEYS),
        "aliases": dict(VIETNAMESE_KEYS),
        "placeholders": [
            {"marker": p.marker, "label": p.label, "photo": p.photo} for p in PLACEHOLDERS
        ],
    }
