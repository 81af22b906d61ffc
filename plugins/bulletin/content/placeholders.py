"""Sample text ``invoke new`` writes for the editor to replace (pure)."""

from __future__ import annotations

from dataclasses import dataclass

from bulletin.content.model import Problem
from bulletin.content.vietnamese import nfc

# --- placeholders: what `invoke new` writes for the editor to replace --------
# bulletin.editor.scaffold writes these; check_placeholders finds them (an error once
# "Status: draft" is gone), so template text is never published. The web
# editor imports the same list. "{slug}" is filled in by the scaffold.
PLACEHOLDER_OPENING = "Viết đoạn mở đầu ở đây."
PLACEHOLDER_PARAGRAPHS = "Các đoạn văn cách nhau một dòng trống."
PLACEHOLDER_CONTINUE = "Viết tiếp nội dung ở đây."
PLACEHOLDER_PHOTO_HELP = (
    "Chép ảnh vào thư mục anh/{slug}/ cạnh bài viết và sửa tên tệp ở dòng ảnh phía trên."
)
PLACEHOLDER_PUBLISH_HELP = 'Khi bài đã sẵn sàng để đăng, xóa dòng "Status: draft".'
PLACEHOLDER_PHOTO_FILE = "ten-anh.jpg"
PLACEHOLDER_PHOTO_ALT = "Mô tả nội dung ảnh cho người khiếm thị"
PLACEHOLDER_PHOTO_CAPTION = "Chú thích hiển thị dưới ảnh"


@dataclass(frozen=True)
class Placeholder:
    """One piece of sample text; ``label`` names it in messages."""

    text: str
    label: str
    photo: bool = False  # part of the sample photo line

    @property
    def marker(self) -> str:
        """What the check looks for: the text before any ``{slug}``, without
        its final full stop (an editor may end it with "…" instead)."""
        return _fold(self.text.split("{", 1)[0]).rstrip(".…")


PLACEHOLDERS = (
    Placeholder(PLACEHOLDER_PHOTO_FILE, f'ảnh mẫu "{PLACEHOLDER_PHOTO_FILE}"', photo=True),
    Placeholder(PLACEHOLDER_PHOTO_ALT, f'mô tả ảnh mẫu "{PLACEHOLDER_PHOTO_ALT}"', photo=True),
    Placeholder(
        PLACEHOLDER_PHOTO_CAPTION, f'chú thích ảnh mẫu "{PLACEHOLDER_PHOTO_CAPTION}"', photo=True
    ),
    Placeholder(PLACEHOLDER_OPENING, f'câu mẫu "{PLACEHOLDER_OPENING}"'),
    Placeholder(PLACEHOLDER_PARAGRAPHS, f'câu mẫu "{PLACEHOLDER_PARAGRAPHS}"'),
    Placeholder(PLACEHOLDER_CONTINUE, f'câu mẫu "{PLACEHOLDER_CONTINUE}"'),
    Placeholder(PLACEHOLDER_PHOTO_HELP, 'câu hướng dẫn "Chép ảnh vào thư mục anh/…"'),
    Placeholder(PLACEHOLDER_PUBLISH_HELP, f'câu hướng dẫn "{PLACEHOLDER_PUBLISH_HELP}"'),
)


def _fold(text: str) -> str:
    return " ".join(nfc(text).split()).casefold()


def find_placeholders(text: str) -> list[tuple[int, list[Placeholder]]]:
    """(line number, placeholders on it) for every line of ``text`` that
    still holds sample text of :data:`PLACEHOLDERS` (case and spacing aside)."""
    found = []
    for number, line in enumerate(text.split("\n"), start=1):
        folded = _fold(line)
        on_line = [p for p in PLACEHOLDERS if p.marker in folded] if folded else []
        if on_line:
            found.append((number, on_line))
    return found


def check_placeholders(path: str, text: str) -> list[Problem]:
    """Sample text left in an article, one error per line (a warning in a
    draft: :func:`bulletin.content.report.soften`)."""
    problems = []
    for line, placeholders in find_placeholders(text):
        labels = ", ".join(p.label for p in placeholders)
        hint = (
            "chép ảnh thật vào thư mục anh/ của bài, rồi sửa tên tệp, mô tả và chú thích ở dòng "
            "này — hoặc xóa cả dòng ảnh"
            if any(p.photo for p in placeholders)
            else "viết nội dung thật thay cho câu mẫu, hoặc xóa câu đó"
        )
        problems.append(
            Problem(path, line, f'Còn văn bản mẫu của lệnh "invoke new": {labels}', hint)
        )
    return problems
