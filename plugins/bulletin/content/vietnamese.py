"""Vietnamese text: NFC normalisation, slugs, collation and date formatting.

Pure functions, plus ``register()`` which connects ``generator_init`` to add
the Jinja filters ``vi_datetime``, ``vi_date``, ``iso_datetime`` and ``plain``
to every generator's template environment.
"""

from __future__ import annotations

import html
import os
import re
import unicodedata
from datetime import datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from markupsafe import Markup
from pelican import signals
from pelican.utils import slugify as pelican_slugify

TIMEZONE = ZoneInfo("Asia/Ho_Chi_Minh")

# Pelican's own default substitutions: drop punctuation, hyphenate spaces.
SLUG_SUBSTITUTIONS = [
    # "_" is a word character to regexes but not allowed in a Slug
    # (bulletin.content.model.SLUG_RE): a separator, like a space.
    (r"_", " "),
    (r"[^\w\s-]", ""),
    (r"(?u)\A\s*", ""),
    (r"(?u)\s*\Z", ""),
    (r"[-\s]+", "-"),
]


def nfc(text: str) -> str:
    """Text pasted from some editors is decomposed (NFD); compose it."""
    return unicodedata.normalize("NFC", text)


def slugify(text: str) -> str:
    """ASCII slug: "Đảng bộ" → "dang-bo" (unidecode folds đ to d, not "dj")."""
    return pelican_slugify(nfc(text), regex_subs=SLUG_SUBSTITUTIONS).strip("-")


# --- bounded slugs: the one rule for URLs and file names --------------------
# An article's slug is its URL part and its file name (<slug>.md, anh/<slug>/):
# a 300-character title must not make a 300-character file name (Errno 36 on
# ext4, ENAMETOOLONG in decap-server) nor an address no one can read out.
SLUG_MAX = 80


def bound_slug(slug: str, limit: int = SLUG_MAX) -> str:
    """Cut an existing slug to at most ``limit`` characters at a word boundary.

    The rule, for ports (the web editor's JS must give the same result):
    ``slug`` is lowercase ASCII words joined by single ``-``. If it fits, it
    is returned unchanged. Else it is cut at the last ``-`` at index
    ``<= limit`` and that ``-`` is dropped, so the result is whole words and
    never ends with ``-``. Only when the first word alone is longer than
    ``limit`` (a pasted URL, no boundary to cut at) is it cut mid-word, at
    ``limit``.
    """
    if len(slug) <= limit:
        return slug
    cut = slug.rfind("-", 0, limit + 1)
    return slug[:cut] if cut > 0 else slug[:limit]


def bounded_slug(text: str, limit: int = SLUG_MAX) -> str:
    """The slug of the plain text ``text`` (a title), at most ``limit``
    characters, cut at a word boundary (:func:`bound_slug`).

    ``text`` is text, not markup: ``<`` and ``&`` are characters (they are
    dropped like all punctuation), so "Cảnh giác <script>" gives
    ``canh-giac-script`` — what Pelican made of the escaped title.

    Used by ``invoke new`` for the file name and ``Slug:`` line, by the
    reader for the URL of an article without a ``Slug:`` line, and by the
    check's suggestion for a ``Slug:`` line that is too long. The web editor
    imports it (and ports it to JS, tested for equality).
    """
    return bound_slug(slugify(html.escape(text, quote=False)), limit)


def unique_slug(slug: str, taken, limit: int = SLUG_MAX) -> str:
    """``slug`` if it is not in ``taken``, else ``slug-2``, ``slug-3``…

    The number is added after the slug is cut (at a word boundary) to leave
    room for it, so the result is still at most ``limit`` characters:
    ``unique_slug("tin-moi", {"tin-moi"})`` → ``"tin-moi-2"``.
    """
    if slug not in taken:
        return slug
    number = 2
    while True:
        suffix = f"-{number}"
        candidate = bound_slug(slug, limit - len(suffix)) + suffix
        if candidate not in taken:
            return candidate
        number += 1


# --- collation -------------------------------------------------------------
# Vietnamese alphabetical order: ă and â follow a, đ follows d, ê follows e,
# ô and ơ follow o, ư follows u. Foreign letters f j w z keep their Latin slot.
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_LETTER_RANK = {letter: rank for rank, letter in enumerate(_ALPHABET, start=1)}
# Tones are secondary differences, in dictionary order:
# ngang, huyền, hỏi, ngã, sắc, nặng.
_TONE_RANK = {"": 0, "\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}  # breve, circumflex, horn


def _split_tone(char: str) -> tuple[str, str]:
    """Split one character into (letter without tone, tone mark)."""
    decomposed = unicodedata.normalize("NFD", char)
    base, marks = decomposed[0], decomposed[1:]
    tone = "".join(m for m in marks if m in _TONE_RANK)
    kept = "".join(m for m in marks if m in _LETTER_MARKS)
    return unicodedata.normalize("NFC", base + kept), tone


def collation_key(text: str) -> tuple:
    """Sort key that puts names in Vietnamese dictionary order.

    Python's ``sorted()`` compares code points, so "Đ" lands after "Z" and
    "Â" after "B". Primary: letters in the Vietnamese alphabet; secondary:
    tones; tertiary: case.
    """
    primary, secondary, tertiary = [], [], []
    for char in nfc(text):
        lower = char.lower()
        letter, tone = _split_tone(lower)
        if letter in _LETTER_RANK:
            primary.append((1, _LETTER_RANK[letter]))
        elif lower.isdigit():
            primary.append((0, ord(lower)))
        elif lower.isspace() or not lower.isalnum():
            # Word boundaries sort before letters: "Hà" before "Hà Nam".
            primary.append((-1, 0))
        else:
            primary.append((2, ord(letter)))
        secondary.append(_TONE_RANK.get(tone, 0))
        tertiary.append(0 if char == lower else 1)
    return tuple(primary), tuple(secondary), tuple(tertiary)


# --- dates -----------------------------------------------------------------
def localize(moment: datetime) -> datetime:
    """A naive datetime is Vietnam local time; an aware one is converted."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=TIMEZONE)
    return moment.astimezone(TIMEZONE)


def build_now(settings=None) -> datetime:
    """ "Now" for scheduling: ``SOURCE_DATE_EPOCH`` if set (to rebuild a past
    day exactly), else the clock, in Vietnam time."""
    override = (settings or {}).get("BULLETIN_NOW")
    if override is not None:
        return localize(override)
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return datetime.fromtimestamp(int(epoch), TIMEZONE)
    return datetime.now(TIMEZONE)


def vi_datetime(moment: datetime) -> str:
    """ "Thứ Năm, 09/03/2023 14:59" — Babel, not the OS locale (absent on CI)."""
    return format_datetime(localize(moment), "EEEE, dd/MM/yyyy HH:mm", tzinfo=TIMEZONE, locale="vi")


@lru_cache(maxsize=65536)
def vi_date(moment: datetime) -> str:
    """ "09/03/2023" — the short form used in listings."""
    return format_datetime(localize(moment), "dd/MM/yyyy", tzinfo=TIMEZONE, locale="vi")


@lru_cache(maxsize=65536)
def iso_datetime(moment: datetime) -> str:
    """ "2023-03-09T14:59:04+07:00" for ``<time datetime>`` and structured data."""
    return localize(moment).isoformat(timespec="seconds")


_SPACES = re.compile(r"\s+")


def plain(html: str) -> str:
    """Plain text of an HTML fragment, for ``<title>``, meta tags and attributes.

    Pelican typogrifies titles: they carry entities, ``<span class="amp">`` and
    widont's ``&nbsp;``. ``Markup.striptags`` removes tags and unescapes
    entities; the result is plain text that autoescaping escapes again.
    """
    text = Markup(html or "").striptags()
    return _SPACES.sub(" ", text.replace("\xa0", " ")).strip()


FILTERS = {
    "vi_datetime": vi_datetime,
    "vi_date": vi_date,
    "iso_datetime": iso_datetime,
    "plain": plain,
    "vi_sorted": lambda items, attribute="name": sorted(
        items, key=lambda item: collation_key(str(_attr(item, attribute)))
    ),
}


def _attr(item, attribute):
    """Attribute or item or, for (key, value) pairs, the key's attribute."""
    if isinstance(item, tuple):
        item = item[0]
    return getattr(item, attribute, item)


def add_filters(generator) -> None:
    generator.env.filters.update(FILTERS)


def register() -> None:
    signals.generator_init.connect(add_filters)
