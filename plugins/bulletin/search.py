"""Search: a Pagefind index of the built site, that understands unaccented Vietnamese.

Connects:

- ``generator_init``: the Jinja filter ``folded_words`` — the words of a
  text that contain "đ", folded to "d". Pagefind strips tone and vowel
  marks itself ("thi dua" finds "thi đua") but keeps "đ" a letter of its
  own, so "doan" would never find "Đoàn": templates put these folded words
  in a hidden, indexed element of each article;
- ``finalized``: runs Pagefind (the ``pagefind`` PyPI package ships the
  binary; nothing is downloaded) over the output folder, which is the
  build's staging folder, so a failed index fails the build.

Ranking exact matches first (Pagefind conflates "Hương" and "hướng") is
done in the browser by ``theme/static/js/search.js``.
"""

from __future__ import annotations

import logging
import re
import subprocess
import sys
import unicodedata

from markupsafe import Markup
from pelican import signals

logger = logging.getLogger(__name__)

DEFAULTS = {"SEARCH_INDEX": True, "SEARCH_BUNDLE_DIR": "pagefind"}
_WORD = re.compile(r"\w+")


class SearchIndexError(RuntimeError):
    """Pagefind failed: the build must not publish a site without search."""


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


def build_index(pelican) -> None:
    settings = pelican.settings
    if not settings.get("SEARCH_INDEX", DEFAULTS["SEARCH_INDEX"]):
        return
    command = [
        sys.executable,
        "-m",
        "pagefind",
        "--site",
        pelican.output_path,
        "--output-subdir",
        settings.get("SEARCH_BUNDLE_DIR", DEFAULTS["SEARCH_BUNDLE_DIR"]),
        "--silent",
    ]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SearchIndexError(
            "Không tạo được chỉ mục tìm kiếm (Pagefind): "
            + (result.stderr or result.stdout).strip()[-2000:]
        )
    logger.info("Search index written by Pagefind")


def register() -> None:
    signals.generator_init.connect(add_filter)
    signals.finalized.connect(build_index)
