"""The news desk's fields as pure rules: corrections and featured news.

``Modified`` after ``Date``, ``Correction`` only with ``Modified`` (the date
the notice shows), ``Featured`` yes/no and ``Featured_until`` a readable date.
Called by :mod:`bulletin.content.validation` for every article;
:mod:`bulletin.site.featured` reads ``Featured`` with the same functions.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from bulletin.content.dates import DATE_FORMATS_HINT, DateError, parse_date
from bulletin.content.model import WARNING, Problem, field_name


def check_correction(source, metadata) -> list[Problem]:
    """An update is dated after the article; a correction says when it was made."""
    problems = []
    modified, date = metadata.get("modified"), metadata.get("date")
    if isinstance(modified, datetime) and isinstance(date, datetime):
        if modified.replace(tzinfo=None) < date.replace(tzinfo=None):
            problems.append(
                Problem(
                    source.path,
                    source.line("modified"),
                    f"{field_name('modified')}: {modified:%d/%m/%Y %H:%M} trước ngày đăng "
                    f"{date:%d/%m/%Y %H:%M}",
                    "ngày cập nhật phải sau ngày đăng; kiểm tra lại năm, tháng",
                )
            )
    if source.raw.get("correction", "").strip() and not source.raw.get("modified", "").strip():
        problems.append(
            Problem(
                source.path,
                source.line("correction"),
                f"{field_name('correction')} không có ngày cập nhật",
                "thêm dòng Modified: 2023-03-10 08:00 (lúc đính chính) ngay trên dòng Correction",
            )
        )
    return problems


FEATURED_YES = frozenset({"yes", "true", "1", "có", "co"})
FEATURED_NO = frozenset({"no", "false", "0", "không", "khong", ""})


def featured_flag(value: str) -> bool | None:
    """``Featured: yes`` (or có/true/1) → True, no/không/false/0 → False,
    anything else None."""
    word = " ".join(value.split()).lower()
    if word in FEATURED_YES:
        return True
    return False if word in FEATURED_NO else None


def featured_until(value: str) -> datetime:
    """The moment ``Featured_until`` ends: a date alone means the whole day.
    Raises :class:`~bulletin.content.dates.DateError`."""
    moment = parse_date(value)
    has_time = re.search(r"\d[:hg]\d", value, re.IGNORECASE) is not None
    return moment if has_time else moment + timedelta(days=1)


def check_featured(source) -> list[Problem]:
    problems = []
    flag = source.raw.get("featured")
    if flag is not None and featured_flag(flag) is None:
        problems.append(
            Problem(
                source.path,
                source.line("featured"),
                f'{field_name("featured")}: "{flag}" không hợp lệ',
                "dùng Featured: yes (đưa lên Tin tiêu điểm) hoặc bỏ dòng này",
            )
        )
    until = source.raw.get("featured_until")
    if until is not None:
        try:
            featured_until(until)
        except DateError as error:
            problems.append(
                Problem(
                    source.path,
                    source.line("featured_until"),
                    f"{field_name('featured_until')}: {error}",
                    DATE_FORMATS_HINT,
                )
            )
        if not featured_flag(flag or ""):
            problems.append(
                Problem(
                    source.path,
                    source.line("featured_until"),
                    f"{field_name('featured_until')} có nhưng bài không phải tin tiêu điểm",
                    "thêm dòng Featured: yes, hoặc bỏ dòng Featured_until",
                    WARNING,
                )
            )
    return problems
