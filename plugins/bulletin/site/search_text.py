"""Search text: how the words of a page and of a query are folded for search.

Connects ``generator_init``: the Jinja filter ``folded_words`` — the words
of a text that contain "đ", folded to "d". Pagefind strips tone and vowel
marks itself ("thi dua" finds "thi đua") but keeps "đ" a letter of its own,
so "doan" would never find "Đoàn": templates give Pagefind these folded words
beside the page's own.

The query side of search, apart from the index building of
:mod:`bulletin.site.search` (which reads only :func:`folded_words`, for the
text of documents' files).
"""

from __future__ import annotations

import re
import unicodedata

from markupsafe import Markup
from pelican import signals

_WORD = re.compile(r"\w+")


def fold(word: str) -> str:
    """ "Đoàn" → "doan": no marks, "đ" → "d", lower case."""
    decomposed = unicodedata.normalize("NFD", word.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def folded_words(*texts) -> str:
    """Unique folded forms of the words containing "đ", in first-seen order."""
    seen = {}
    for text in texts:
        plain = Markup(str(text or "")).striptags()
        for word in _WORD.findall(plain):
            if "đ" in word or "Đ" in word:
                seen.setdefault(fold(word), None)
    return " ".join(seen)


def add_filter(generator) -> None:
    generator.env.filters["folded_words"] = folded_words


def register() -> None:
    signals.generator_init.connect(add_filter)
