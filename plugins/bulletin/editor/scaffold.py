"""``invoke new``: create an article file an editor can fill in.

Pure text (:func:`article_text`) separated from the file system
(:func:`create_article`), which only ever creates: it refuses to overwrite.
The address is pinned from the first save: the file always carries a
``Slug:`` line (bounded by :func:`bulletin.content.vietnamese.bounded_slug`), so a
later title edit never moves the published page. The sample sentences come
from :data:`bulletin.content.placeholders.PLACEHOLDERS`, which ``check`` finds.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from bulletin.content.model import SLUG_RE
from bulletin.content.placeholders import (
    PLACEHOLDER_CONTINUE,
    PLACEHOLDER_OPENING,
    PLACEHOLDER_PARAGRAPHS,
    PLACEHOLDER_PHOTO_ALT,
    PLACEHOLDER_PHOTO_CAPTION,
    PLACEHOLDER_PHOTO_FILE,
    PLACEHOLDER_PHOTO_HELP,
    PLACEHOLDER_PUBLISH_HELP,
)
from bulletin.content.registry import Registry, load_registry
from bulletin.content.vietnamese import SLUG_MAX, TIMEZONE, bounded_slug, nfc, unique_slug


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
        f"Slug: {slug}\n"
        "Status: draft\n"
        "\n"
        f"{PLACEHOLDER_OPENING} {PLACEHOLDER_PARAGRAPHS}\n"
        "\n"
        f"![{PLACEHOLDER_PHOTO_ALT}](anh/{slug}/{PLACEHOLDER_PHOTO_FILE}"
        f' "{PLACEHOLDER_PHOTO_CAPTION}")\n'
        "\n"
        f"{PLACEHOLDER_CONTINUE} {PLACEHOLDER_PHOTO_HELP.format(slug=slug)} "
        f"{PLACEHOLDER_PUBLISH_HELP}\n"
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


def check_slug_option(slug: str) -> str:
    """``--slug`` as given: lowercase ASCII words joined by ``-``, bounded."""
    slug = slug.strip()
    if not SLUG_RE.match(slug):
        suggestion = bounded_slug(slug) or "bai-viet"
        raise ScaffoldError(
            f'Đường dẫn "{slug}" chỉ được gồm chữ thường không dấu, chữ số và dấu "-": '
            f"dùng --slug {suggestion}"
        )
    if len(slug) > SLUG_MAX:
        raise ScaffoldError(
            f"Đường dẫn dài {len(slug)} ký tự (tối đa {SLUG_MAX}): dùng --slug {bounded_slug(slug)}"
        )
    return slug


def taken_slugs(folder: Path) -> set[str]:
    """Slugs a new article of this year folder may not take: its files and
    photo folders."""
    taken = {path.stem for path in folder.glob("*.md")} if folder.is_dir() else set()
    photos = folder / "anh"
    if photos.is_dir():
        taken |= {path.name for path in photos.iterdir() if path.is_dir()}
    return taken


def create_article(
    content: Path,
    title: str,
    movement: str,
    author: str,
    now: datetime | None = None,
    *,
    slug: str | None = None,
) -> Path:
    """Write ``content/articles/<year>/<slug>.md`` and make its photo folder.

    ``slug`` defaults to the bounded slug of the title; the file is never
    overwritten (the message says which ``--slug`` is free instead).
    """
    title, author = " ".join(nfc(title).split()), " ".join(nfc(author).split())
    if not title:
        raise ScaffoldError("Tiêu đề bài viết đang để trống.")
    if not author:
        raise ScaffoldError('Thiếu tác giả: thêm --author "Họ tên".')
    registry_file = content / "movements.toml"
    try:
        text = registry_file.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or str(error)
        raise ScaffoldError(
            f"Không đọc được danh mục phong trào content/movements.toml ({reason})."
        ) from None
    registry, problems = load_registry(text, "content/movements.toml")
    if problems:
        raise ScaffoldError(f"Danh mục phong trào có lỗi: {problems[0]}")
    movements = resolve_movements(registry, movement)
    slug = check_slug_option(slug) if slug else bounded_slug(title)
    if not slug:
        raise ScaffoldError("Không tạo được đường dẫn từ tiêu đề: tiêu đề cần có chữ hoặc số.")
    moment = (now or datetime.now(TIMEZONE)).astimezone(TIMEZONE)
    folder = content / "articles" / f"{moment:%Y}"
    path = folder / f"{slug}.md"
    shown = f"{content.name}/{path.relative_to(content).as_posix()}"
    if path.exists() or (folder / "anh" / slug).exists():
        free = unique_slug(slug, taken_slugs(folder))
        raise ScaffoldError(
            f"Đã có bài viết {shown} (hoặc thư mục ảnh của nó); không ghi đè. "
            "Muốn sửa bài đó thì mở tệp đó; nếu là một bài khác, đặt đường dẫn khác bằng "
            f"--slug {free}"
        )
    text = article_text(title, moment.replace(tzinfo=None), author, movements, slug)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with open(path, "x", encoding="utf-8", newline="\n") as handle:  # "x": never overwrite
            handle.write(text)
        (folder / "anh" / slug).mkdir(parents=True, exist_ok=True)
    except FileExistsError:  # created meanwhile
        raise ScaffoldError(f"Đã có bài viết {shown}; không ghi đè.") from None
    except OSError as error:
        raise ScaffoldError(f"Không ghi được {shown}: {error.strerror or error}") from None
    return path
