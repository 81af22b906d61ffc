"""Content checks: every problem in every file, recorded for the report.

Connects:

- ``article_generator_context`` / ``page_generator_context``: required and
  unknown metadata keys, photos (``bulletin.photos.problems``: missing file,
  no alt text, outside ``content/``, no caption), plus what the reader
  recorded (encoding, dates, slugs);
- ``article_generator_finalized``: two articles or pages with the same URL;
- ``page_generator_finalized`` / ``static_generator_finalized``: pages on
  the site's own addresses, linked files outside ``content/``.

Problems are kept on each generator (``generator.bulletin_problems``); other
modules add theirs with :func:`add_problems`. :mod:`bulletin.content.report`
collects them all and stops the build on errors.
"""

from __future__ import annotations

import logging
import os
from collections import defaultdict
from datetime import datetime, timedelta

from pelican import signals
from pelican.readers import ensure_metadata_list

from bulletin.content.desk import check_correction, check_featured
from bulletin.content.model import (
    ARTICLE_KEYS,
    PAGE_KEYS,
    REQUIRED_ARTICLE_KEYS,
    STATUSES,
    WARNING,
    Problem,
    check_keys,
    field_name,
)
from bulletin.content.placeholders import check_placeholders
from bulletin.content.urls import reserved_by, save_as_of
from bulletin.content.vietnamese import build_now, slugify
from bulletin.photos.problems import check_photos

logger = logging.getLogger(__name__)

TITLE_MAX = 120
SUMMARY_MAX = 300

REQUIRED_HINTS = {
    "title": "thêm dòng Title: Tiêu đề bài viết",
    "date": 'thêm dòng Date: 2023-03-09 14:59 (hoặc "09/03/2023 14:59")',
    "author": "thêm dòng Author: Họ tên tác giả (nhiều tác giả cách nhau bằng dấu phẩy)",
    "movement": "thêm dòng Movement: slug-hoac-ten-phong-trao (xem content/movements.toml)",
}


def add_problems(generator, problems) -> None:
    generator.__dict__.setdefault("bulletin_problems", []).extend(problems)


def _source(metadata):
    return metadata.get("bulletin_source")


def check_article_metadata(generator, metadata) -> None:
    source = _source(metadata)
    if source is None:  # not read by our reader (no other reader is enabled)
        return
    problems = list(source.problems) + check_source_inside(generator, source)
    if source.readable:
        problems += article_text_checks(source, metadata)
        problems += check_date_range(source, metadata, generator.settings)
        problems += check_status(source, metadata)
        problems += check_photos(generator, source)
    add_problems(generator, problems)


def article_text_checks(source, metadata) -> list[Problem]:
    """The checks of an article that read only its text (and the dates the
    reader took from it), done once per version of the file: the result
    stays on ``source.checks``, in Pelican's reader cache (whose folder is
    named after this code, bulletin.build.cache), and is computed in the
    reading workers of a cold build (bulletin.build.parallel). The clock,
    photos on disk and the whole site are checked on every build."""
    if "article" in source.checks:
        return source.checks["article"]
    problems = check_keys(source.path, source.lines, ARTICLE_KEYS)
    for key in REQUIRED_ARTICLE_KEYS:
        present = key in source.lines
        if not present or not source.raw.get(key, "").strip(" ,;"):
            what = "bị thiếu" if not present else "đang để trống"
            problems.append(
                Problem(
                    source.path,
                    source.line(key) if present else 1,
                    f"{field_name(key)} {what}",
                    REQUIRED_HINTS[key],
                )
            )
    problems += check_names(source, metadata)
    problems += check_lengths(source)
    problems += check_placeholders(source.path, source.text)
    problems += check_correction(source, metadata)
    problems += check_featured(source)
    source.checks["article"] = problems
    return problems


def check_page_metadata(generator, metadata) -> None:
    source = _source(metadata)
    if source is None:
        return
    problems = list(source.problems) + check_source_inside(generator, source)
    if not source.readable:
        add_problems(generator, problems)
        return
    problems += check_keys(source.path, source.lines, PAGE_KEYS)
    if not source.raw.get("title", "").strip():
        problems.append(
            Problem(source.path, 1, f"{field_name('title')} bị thiếu", REQUIRED_HINTS["title"])
        )
    problems += check_photos(generator, source)
    add_problems(generator, problems)


# Vietnam has kept one offset, +07:00, since 13 June 1975 (tzdata's
# Asia/Ho_Chi_Minh has +08:00 in parts of 1947–1975 and local mean time
# before 1906): the API's schema and the feeds promise +07:00, and the
# bulletin has nothing older. Past the horizon, a date is a typo, not a
# schedule. Checked on every build (the reader cache keeps dates, not "now").
DEFAULT_EARLIEST_DATE = datetime(1976, 1, 1)
DEFAULT_SCHEDULE_HORIZON_DAYS = 366


def check_date_range(source, metadata, settings) -> list[Problem]:
    moment = metadata.get("date")
    line = source.line("date")
    if (
        not isinstance(moment, datetime)
        or not source.raw.get("date", "").strip()
        or any(p.line == line for p in source.problems)
    ):
        return []  # missing, empty or unreadable: reported already
    moment = moment.replace(tzinfo=None)
    earliest = settings.get("EARLIEST_DATE", DEFAULT_EARLIEST_DATE)
    horizon = settings.get("SCHEDULE_HORIZON_DAYS", DEFAULT_SCHEDULE_HORIZON_DAYS)
    latest = build_now(settings).replace(tzinfo=None) + timedelta(days=horizon)
    if moment < earliest:
        what = f"trước {earliest.day:02d}/{earliest.month:02d}/{earliest.year}, sớm hơn mọi bài"
    elif moment > latest:
        what = f"quá xa trong tương lai (chỉ hẹn đăng trước tối đa {horizon} ngày)"
    else:
        return []
    return [
        Problem(
            source.path,
            line,
            f"{field_name('date')}: ngày {moment.day:02d}/{moment.month:02d}/{moment.year:04d} "
            + what,
            "kiểm tra lại năm (có thể gõ nhầm), ví dụ Date: 2023-03-09 14:59",
        )
    ]


def check_names(source, metadata) -> list[Problem]:
    """Every byline and tag gets a page: its name must make a URL."""
    problems = []
    for key in ("author", "tags"):
        for name in ensure_metadata_list(source.raw.get(key, "")):
            if not slugify(name):
                problems.append(
                    Problem(
                        source.path,
                        source.line(key),
                        f'{field_name(key)}: "{name}" không có chữ cái hay chữ số nào, '
                        "không tạo được địa chỉ trang",
                        "viết tên bằng chữ, ví dụ Author: Hồng Nhung; Tags: thi đua",
                    )
                )
    return problems


def check_source_inside(generator, source) -> list[Problem]:
    """Pelican follows symlinked folders and files: an "article" that is a
    link to a file elsewhere on the machine would be published."""
    if _inside(os.path.realpath(source.abspath), os.path.realpath(generator.path)):
        return []
    return [
        Problem(
            source.path,
            1,
            "Tệp này là liên kết tắt (symlink) tới một tệp ngoài thư mục content/",
            "chép chính nội dung bài vào content/ thay cho liên kết tắt",
        )
    ]


def check_status(source, metadata) -> list[Problem]:
    status = metadata.get("status")
    if status is None or status in STATUSES:
        return []
    return [
        Problem(
            source.path,
            source.line("status"),
            f'{field_name("status")}: "{status}" không hợp lệ',
            "dùng Status: draft (bản nháp, chưa đăng) hoặc bỏ dòng này để đăng",
        )
    ]


def check_lengths(source) -> list[Problem]:
    """Portal convention: titles fit a line of a listing, sapos a paragraph."""
    problems = []
    for key, limit in (("title", TITLE_MAX), ("summary", SUMMARY_MAX)):
        length = len(source.raw.get(key, ""))
        if length > limit:
            problems.append(
                Problem(
                    source.path,
                    source.line(key),
                    f"{field_name(key)} dài {length} ký tự (nên dưới {limit})",
                    "rút gọn cho dễ đọc trên điện thoại và trong danh sách tin",
                    WARNING,
                )
            )
    return problems


def check_duplicate_urls(generator) -> None:
    """Two articles writing the same file would silently hide one of them."""
    by_target = defaultdict(list)
    for article in generator.articles + generator.drafts:
        if save_as := save_as_of(article):  # drafts have none unless previewed
            by_target[save_as].append(article)
    problems = []
    for articles in by_target.values():
        if len(articles) < 2:
            continue
        sources = [a.bulletin_source.path for a in articles]
        for article in articles:
            others = ", ".join(s for s in sources if s != article.bulletin_source.path)
            problems.append(
                Problem(
                    article.bulletin_source.path,
                    article.bulletin_source.line("slug") or 1,
                    f'Trùng địa chỉ "/{article.url}" với {others}',
                    "đổi tiêu đề hoặc thêm dòng Slug: duong-dan-khac cho một trong các bài",
                )
            )
    add_problems(generator, problems)


def _inside(path: str, folder: str) -> bool:
    return os.path.commonpath([path, folder]) == folder


def check_linked_files(generator) -> None:
    """``{static}``/``{attach}`` files: read only inside ``content/``, written
    only inside the output folder.

    Pelican copies whatever a link names: a symlink in ``content/`` to
    ``/etc/passwd`` or ``/proc/self/environ``, or ``{static}../../x`` (which
    also lands outside the output). Each such file is taken off the list
    before anything is copied, and reported at the line that links it.
    """
    content_root = os.path.realpath(generator.path)
    output = os.path.abspath(generator.output_path)
    linking = [
        content
        for kind in ("articles", "drafts", "pages", "hidden_pages", "draft_pages")
        for content in generator.context.get(kind, []) or []
        if getattr(content, "bulletin_source", None) is not None
    ]
    kept, problems = [], []
    for static in generator.staticfiles:
        source = os.path.realpath(static.source_path)
        relative = static.relative_source_path
        destination = os.path.normpath(os.path.join(output, static.save_as))
        reserved = reserved_by(static.save_as, generator.settings)
        if _inside(source, content_root) and _inside(destination, output) and not reserved:
            kept.append(static)
            continue
        logger.debug("Not publishing %s (resolves to %s)", relative, source)
        name = os.path.basename(relative)
        where = [c for c in linking if relative in c.get_static_links()]
        if reserved and _inside(source, content_root):
            what = (
                f'Tệp đính kèm "{name}" sẽ được đăng ở "/{static.save_as}", '
                f'thuộc phần "/{reserved}" của chính trang web'
            )
            fix = "đặt tệp vào thư mục cạnh bài viết và liên kết bằng đường dẫn tương đối"
        else:
            what = (
                f'Tệp đính kèm "{name}" nằm ngoài thư mục content/ '
                "(đường dẫn ra ngoài hoặc liên kết tắt tới tệp khác)"
            )
            fix = (
                "chép chính tệp đó vào thư mục cạnh bài viết (không dùng liên kết tắt) "
                "và sửa đường dẫn"
            )
        for content in where:
            problems.append(
                Problem(
                    content.bulletin_source.path,
                    content.bulletin_source.find_line(name),
                    what,
                    fix,
                )
            )
        if not where:
            problems.append(
                Problem(
                    f"{os.path.basename(content_root)}/{relative}",
                    0,
                    "Tệp nằm ngoài thư mục content/ nên không được đăng",
                    "chép chính tệp đó vào content/ (không dùng liên kết tắt)",
                )
            )
    generator.staticfiles[:] = kept
    generator.context["staticfiles"] = kept
    add_problems(generator, problems)


def check_page_addresses(generator) -> None:
    """A page may not take an address the site writes itself (``Slug: admin``
    would replace the web editor) nor one an article redirects from."""
    redirects = generator.context.get("redirect_targets", {})
    problems = []
    for page in generator.pages + generator.hidden_pages + generator.draft_pages:
        source = getattr(page, "bulletin_source", None)
        if source is None or not page.save_as:
            continue
        reserved = reserved_by(page.save_as, generator.settings)
        if reserved:
            message = f'Địa chỉ "/{page.url}" thuộc phần "/{reserved}" của chính trang web'
        elif page.save_as in redirects:
            message = (
                f'Địa chỉ "/{page.url}" đang được {redirects[page.save_as]} dùng làm địa chỉ cũ '
                "(Redirect_from)"
            )
        else:
            continue
        problems.append(
            Problem(
                source.path,
                source.line("slug"),
                message,
                "đổi dòng Slug thành một địa chỉ khác, ví dụ Slug: gioi-thieu-ban-quan-ly",
            )
        )
    add_problems(generator, problems)


def register() -> None:
    signals.article_generator_context.connect(check_article_metadata)
    signals.page_generator_context.connect(check_page_metadata)
    signals.article_generator_finalized.connect(check_duplicate_urls)
    signals.page_generator_finalized.connect(check_page_addresses)
    signals.static_generator_finalized.connect(check_linked_files)
