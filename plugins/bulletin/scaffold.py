"""``invoke new``: create an article file an editor can fill in.

Pure text (:func:`article_text`) separated from the file system
(:func:`create_article`), which only ever creates: it refuses to overwrite.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from bulletin.content_model import Registry, load_registry
from bulletin.vietnamese import TIMEZONE, nfc, slugify


class ScaffoldError(Exception):
    """A reason not to create the article, in Vietnamese, with what to do."""


def article_text(title: str, moment: datetime, authors: str, movements: str, slug: str) -> str:
    return (
        f"Title: {title}\n"
        f"Date: {moment:%Y-%m-%d %H:%M}\n"
        f"Author: {authors}\n"
        f"Movement: {movements}\n"
        "Tags: \n"
        "Summary: \n"
        "Status: draft\n"
        "\n"
        "Viết đoạn mở đầu ở đây. Các đoạn văn cách nhau một dòng trống.\n"
        "\n"
        f"![Mô tả nội dung ảnh cho người khiếm thị](anh/{slug}/ten-anh.jpg"
        ' "Chú thích hiển thị dưới ảnh")\n'
        "\n"
        "Viết tiếp nội dung ở đây. Chép ảnh vào thư mục "
        f"anh/{slug}/ cạnh bài viết và sửa tên tệp ở dòng ảnh phía trên. "
        'Khi bài đã sẵn sàng để đăng, xóa dòng "Status: draft".\n'
    )


def resolve_movements(registry: Registry, value: str) -> str:
    found, unknown = registry.split(value)
    if unknown or not found:
        word = unknown[0] if unknown else value
        near = registry.suggestions(word)
        hint = ("Có phải ý bạn là: " + ", ".join(near) + "?") if near else ""
        raise ScaffoldError(
            f'Phong trào "{word}" không có trong danh mục content/movements.toml. {hint}'.strip()
        )
    return ", ".join(entry.slug for entry in found)


def create_article(
    content: Path, title: str, movement: str, author: str, now: datetime | None = None
) -> Path:
    """Write ``content/articles/<year>/<slug>.md`` and make its photo folder."""
    title, author = " ".join(nfc(title).split()), " ".join(nfc(author).split())
    if not title:
        raise ScaffoldError("Tiêu đề bài viết đang để trống.")
    if not author:
        raise ScaffoldError('Thiếu tác giả: thêm --author "Họ tên".')
    registry_file = content / "movements.toml"
    registry, problems = load_registry(
        registry_file.read_text(encoding="utf-8-sig"), "content/movements.toml"
    )
    if problems:
        raise ScaffoldError(f"Danh mục phong trào có lỗi: {problems[0]}")
    movements = resolve_movements(registry, movement)
    slug = slugify(title)
    if not slug:
        raise ScaffoldError("Không tạo được đường dẫn từ tiêu đề: tiêu đề cần có chữ hoặc số.")
    moment = (now or datetime.now(TIMEZONE)).astimezone(TIMEZONE)
    folder = content / "articles" / f"{moment:%Y}"
    path = folder / f"{slug}.md"
    if path.exists():
        raise ScaffoldError(
            f"Đã có bài viết {path.as_posix()}; không ghi đè. "
            "Hãy mở tệp đó để sửa, hoặc chọn tiêu đề khác."
        )
    folder.mkdir(parents=True, exist_ok=True)
    text = article_text(title, moment.replace(tzinfo=None), author, movements, slug)
    with open(path, "x", encoding="utf-8", newline="\n") as handle:  # "x": never overwrite
        handle.write(text)
    (folder / "anh" / slug).mkdir(parents=True, exist_ok=True)
    return path
