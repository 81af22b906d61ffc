"""The ASCII table of the web editor's slug port (``assets/pelican-format.js``).

The page makes a slug as ``invoke new`` does
(:func:`bulletin.content.vietnamese.bounded_slug`): NFKC, "đ" → "d", NFKD,
marks removed — and for what that would drop, the table
:func:`ascii_table` generates from unidecode (Pelican's slugify), embedded in
``pelican-format.js`` as ``ASCII``. ``tests/editor/test_cms_format.py`` checks the
embedded table is this one. Not used by the build.
"""

from __future__ import annotations

import re
import unicodedata

# Unicode blocks a Vietnamese title may draw on: Latin (Vietnamese letters,
# Latin-1 and Extended-A/B), punctuation, currency, letterlike symbols and
# arrows, enclosed numbers, CJK and fullwidth punctuation (from Chinese and
# Japanese input methods).
ASCII_RANGES = (
    (0x00A0, 0x0250),
    (0x1E00, 0x1F00),
    (0x2000, 0x2070),
    (0x20A0, 0x20D0),
    (0x2100, 0x2200),
    (0x2460, 0x2500),
    (0x3000, 0x3040),
    (0xFF00, 0xFF65),
)


def ascii_table() -> dict[str, str]:
    """What unidecode makes of the characters of :data:`ASCII_RANGES` that the
    slug port would otherwise drop, reduced to what the slug keeps (letters,
    digits, spaces, "-")."""
    from unidecode import unidecode  # noqa: PLC0415 - Pelican's dependency, only for the table

    table = {}
    for start, stop in ASCII_RANGES:
        for point in range(start, stop):
            text = unicodedata.normalize("NFKC", chr(point)).replace("đ", "d").replace("Đ", "D")
            for char in re.sub("[\u0300-\u036f]", "", unicodedata.normalize("NFKD", text)):
                if ord(char) < 128 or char in table:
                    continue
                value = re.sub(r"[^\w\s-]", "", unidecode(char))
                if value:
                    table[char] = value
    return dict(sorted(table.items()))
