"""``invoke new-document``: create a document file an editor can complete.

Pure text (:func:`document_text`) separated from the file system
(:func:`create_document`), which checks every option with the register's
own rules first (:func:`bulletin.documents.model.check_number`,
:func:`~bulletin.documents.model.read_type`: the same messages and
suggestions as ``invoke check``), reports every problem at once, and only
ever creates: it refuses to overwrite. The file is a draft (``Status:
draft``) naming the file the editor copies beside it, so ``invoke check``
does not fail before the PDF is there; the address is pinned by a ``Slug:``
line from the first save, as for articles (:mod:`bulletin.editor.scaffold`).
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

from bulletin.content.dates import DateError, parse_date
from bulletin.content.vietnamese import TIMEZONE, bounded_slug, nfc, slugify, unique_slug
from bulletin.documents import model
from bulletin.editor.scaffold import ScaffoldError, check_slug_option

FOLDER = "van-ban"  # DOCUMENT_PATHS' default: content/van-ban/<year>/


def document_text(title: str, *, number, kind, day: datetime, issuer, file_name, slug) -> str:
    """The header in the order of :data:`~bulletin.documents.model.DOCUMENT_KEYS`
    (the web editor adds keys in that order too)."""
    return (
        f"Title: {title}\n"
        f"Number: {number}\n"
        f"Date: {day:%Y-%m-%d}\n"
        f"Type: {kind}\n"
        f"Issuer: {issuer}\n"
        "Signer: \n"
        "Movement: \n"
        "Field: \n"
        f"Files: {file_name}\n"
        f"Slug: {slug}\n"
        "Status: draft\n"
    )


def option_problem(option: str, problem) -> str:
    """A register's check as a line about one option of the command."""
    text = f"{problem.message} (tùy chọn {option})"
    return f"{text} — {problem.hint}" if problem.hint else text


def numbers_in(folder: Path) -> dict[str, Path]:
    """{number key: file} of the documents already in ``folder`` (their
    ``Number:`` or ``Số hiệu:`` line), to refuse a second file for one number."""
    found = {}
    for path in sorted(folder.glob("*/*.md")) if folder.is_dir() else ():
        try:
            lines = path.read_text(encoding="utf-8-sig").splitlines()
        except (OSError, UnicodeDecodeError):
            continue
        for line in lines:
            if not line.strip():
                break  # the header ends at the first blank line
            key, _, value = line.partition(":")
            if "number" in (slugify(key), model.VIETNAMESE_DOCUMENT_KEYS.get(slugify(key))):
                found.setdefault(model.number_key(value), path)
    return found


def create_document(
    content: Path,
    title: str,
    number: str,
    kind: str,
    *,
    issuer: str = "",
    date: str = "",
    slug: str | None = None,
    extra_types=(),
    now: datetime | None = None,
) -> tuple[Path, str]:
    """Write ``content/van-ban/<year>/<slug>.md``: (its path, the name of the
    file the editor must copy beside it). Every problem with the options is
    one :class:`ScaffoldError`, a line each."""
    title, issuer = " ".join(nfc(title).split()), " ".join(nfc(issuer).split())
    written, number = " ".join(nfc(number).split()), model.clean_number(number)
    problems = []
    if not title:
        problems.append('Trích yếu đang để trống: viết trong ngoặc kép, ví dụ "Kế hoạch …".')
    if not number:
        problems.append(f"Thiếu số hiệu: thêm --number, ví dụ --number {model.NUMBER_EXAMPLES}.")
    else:
        problems += [option_problem("--number", p) for p in model.check_number("", 0, written)]
    types = model.known_types(extra_types)
    found, type_problems = model.read_type("", 0, kind, types)
    problems += [option_problem("--type", p) for p in type_problems]
    if not kind.strip():
        problems.append('Thiếu loại văn bản: thêm --type, ví dụ --type "Kế hoạch".')
    if not issuer:
        problems.append('Thiếu cơ quan ban hành: thêm --issuer "Tên cơ quan".')
    day = (now or datetime.now(TIMEZONE)).astimezone(TIMEZONE).replace(tzinfo=None)
    if date.strip():
        try:
            day = parse_date(date)
        except DateError as error:
            problems.append(
                f'Ngày ban hành (tùy chọn --date): {error} — viết "2023-03-01" hoặc "01/03/2023"'
            )
    try:
        slug = check_slug_option(slug) if slug else bounded_slug(title)
    except ScaffoldError as error:
        problems.append(str(error))
    if title and not slug:
        problems.append("Không tạo được đường dẫn từ trích yếu: trích yếu cần có chữ hoặc số.")
    register = content / FOLDER
    same = numbers_in(register).get(model.number_key(number)) if number else None
    if same is not None:
        problems.append(
            f'Đã có văn bản số "{written}": {content.name}/{same.relative_to(content).as_posix()}; '
            "không tạo tệp thứ hai cho một số hiệu. Muốn sửa văn bản đó thì mở tệp đó."
        )
    if problems:
        raise ScaffoldError("\n".join(problems))
    folder = register / f"{day:%Y}"
    path = folder / f"{slug}.md"
    shown = f"{content.name}/{path.relative_to(content).as_posix()}"
    if path.exists():
        taken = {p.stem for p in folder.glob("*.md")}
        raise ScaffoldError(
            f"Đã có tệp {shown}; không ghi đè. Nếu là một văn bản khác, đặt đường dẫn khác "
            f"bằng --slug {unique_slug(slug, taken)}"
        )
    file_name = model.ascii_file_name(number.replace("/", "-") + ".pdf")
    text = document_text(
        title,
        number=number,
        kind=found.name,
        day=day,
        issuer=issuer,
        file_name=file_name,
        slug=slug,
    )
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with open(path, "x", encoding="utf-8", newline="\n") as handle:  # "x": never overwrite
            handle.write(text)
    except FileExistsError:  # created meanwhile
        raise ScaffoldError(f"Đã có tệp {shown}; không ghi đè.") from None
    except OSError as error:
        raise ScaffoldError(f"Không ghi được {shown}: {error.strerror or error}") from None
    return path, os.path.join(os.path.dirname(shown), file_name)
