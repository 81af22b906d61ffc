"""Editors' dates, read as Vietnam local time without guessing (pure)."""

from __future__ import annotations

import re
from datetime import datetime

from bulletin.content.vietnamese import nfc

_ISO = re.compile(
    r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"
    r"(?:[ T](?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?)?$"
)
_DAY_FIRST = re.compile(
    r"^(?P<d>\d{1,2})[/.-](?P<m>\d{1,2})[/.-](?P<y>\d{2,4})"
    r"(?:,?\s+(?P<H>\d{1,2})[:hg](?P<M>\d{2})(?::(?P<S>\d{2}))?)?$"
)
DATE_FORMATS_HINT = (
    'viết theo dạng "2023-03-09 14:59" hoặc "09/03/2023 14:59" (ngày/tháng/năm giờ:phút)'
)


class DateError(ValueError):
    """A date that cannot be read without guessing."""


def parse_date(value: str) -> datetime:
    """Read an editor's date as Vietnam local time (a naive datetime).

    ISO ``2023-03-09 14:59[:04]`` and day-first ``09/03/2023 14:59``; never
    month-first (dateutil would read 09/03/2023 as 3 September).
    """
    text = nfc(value).strip()
    if not text:
        raise DateError("ngày đăng đang để trống")
    match = _ISO.match(text) or _DAY_FIRST.match(text)
    if not match:
        raise DateError(f'không đọc được ngày "{text}"')
    parts = match.groupdict()
    if len(parts["y"]) != 4:
        raise DateError(f'năm "{parts["y"]}" phải có đủ 4 chữ số (ví dụ 2023)')
    try:
        return datetime(
            int(parts["y"]),
            int(parts["m"]),
            int(parts["d"]),
            int(parts["H"] or 0),
            int(parts["M"] or 0),
            int(parts["S"] or 0),
        )
    except ValueError as error:
        raise DateError(f'ngày "{text}" không tồn tại ({error})') from None
