"""Search text: how the words of a page and of a query are folded for search.

Connects:

- ``initialized``: the defaults below;
- ``generator_init``: the Jinja filters ``folded`` (:func:`fold`) and
  ``folded_words`` — the words of a
  text that contain "đ", folded to "d". Pagefind strips tone and vowel
  marks itself ("thi dua" finds "thi đua") but keeps "đ" a letter of its
  own, so "doan" would never find "Đoàn": ``partials/search_meta.html``
  gives Pagefind these folded words as weighted metadata. Also the Jinja
  global ``search_synonyms``: the spelling and synonym table
  (``SEARCH_SYNONYMS_FILE``, TOML) that ``js/search.js`` reads from the
  search page;
- ``article_writer_finalized``: the vocabulary file
  (``SEARCH_VOCABULARY_SAVE_AS``): every word of the site's articles, pages
  and documents with its count, one ``word<TAB>count`` a line, sorted — the
  search page fetches it only when a query finds nothing, to suggest the
  nearest word ("tuyn" → "tuyến").

The query side of search, apart from the index building of
:mod:`bulletin.site.search` (which reads only :func:`folded_words`, for the
text of documents' files).
"""

from __future__ import annotations

import html
import logging
import os
import re
import tomllib
import unicodedata
from collections import Counter

from markupsafe import Markup
from pelican import signals
from pelican.generators import ArticlesGenerator

from bulletin.content.model import WARNING, Problem

logger = logging.getLogger(__name__)

DEFAULTS = {
    "SEARCH_VOCABULARY_SAVE_AS": "tim-kiem/tu-vung.txt",
    "SEARCH_SYNONYMS_FILE": os.path.join(os.path.dirname(__file__), "search_synonyms.toml"),
}
_WORD = re.compile(r"\w+")
# Vocabulary words: letters only (a number is never misspelt into another).
_LETTERS = re.compile(r"[^\W\d_]+")
_TAG = re.compile(r"<[^>]*>")


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


def words_of(text: str) -> list[str]:
    """The words of ``text`` (HTML or plain), NFC and lower case."""
    plain = html.unescape(_TAG.sub(" ", str(text or "")))
    return _LETTERS.findall(unicodedata.normalize("NFC", plain).lower())


def vocabulary(texts) -> str:
    """``word<TAB>count`` lines, sorted by word: what the search page reads
    to suggest a near word. Deterministic: the same texts, the same bytes."""
    counts = Counter()
    for text in texts:
        counts.update(words_of(text))
    return "".join(f"{word}\t{count}\n" for word, count in sorted(counts.items()))


def read_synonyms(text: str) -> tuple[list[list[str]], list[tuple[int, str, str]]]:
    """The groups of ``[[group]] words = [...]`` in ``text`` (TOML): words or
    phrases a reader may type for one another ("tỷ"/"tỉ", "KCN"/"khu công
    nghiệp"), NFC, lower case. Returns (groups, problems): each problem is
    (line, message, hint) in Vietnamese; a wrong group is left out, the
    others are used."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        found = re.search(r"line (\d+)", str(error))
        return [], [
            (
                int(found.group(1)) if found else 0,
                "Bảng từ đồng nghĩa không đúng cú pháp TOML",
                'mỗi nhóm viết [[group]] rồi words = ["…", "…"] trên dòng sau',
            )
        ]
    lines = [n for n, line in enumerate(text.splitlines(), 1) if line.strip() == "[[group]]"]
    entries = data.get("group", [])
    if not isinstance(entries, list):
        entries = [entries]
    groups, problems = [], []
    for number, entry in enumerate(entries, start=1):
        line = lines[number - 1] if number <= len(lines) else 0
        words = entry.get("words") if isinstance(entry, dict) else None
        if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
            problems.append(
                (line, f"Nhóm {number}: thiếu danh sách words", 'viết words = ["…", "…"]')
            )
            continue
        cleaned = [" ".join(unicodedata.normalize("NFC", w).lower().split()) for w in words]
        cleaned = [w for w in dict.fromkeys(cleaned) if w]
        if len(cleaned) < 2:
            problems.append(
                (line, f"Nhóm {number}: chỉ có một cách viết", "thêm cách viết kia, hoặc xóa nhóm")
            )
            continue
        groups.append(cleaned)
    return groups, problems


def load_synonyms(settings, report: bool) -> list[list[str]]:
    """The table of ``SEARCH_SYNONYMS_FILE``; with ``report``, its problems
    said as warnings (``path:line: cảnh báo: …``). The plugin's own file is
    part of the code fingerprint (``PACKAGE_DIR``): an edit renders the
    search page again."""
    path = settings.get("SEARCH_SYNONYMS_FILE", DEFAULTS["SEARCH_SYNONYMS_FILE"])
    if not path:
        return []
    try:
        with open(path, "rb") as handle:
            text = handle.read().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        problems, groups = [(0, f"Không đọc được bảng từ đồng nghĩa ({error})", "")], []
    else:
        groups, problems = read_synonyms(text)
    for line, message, hint in problems if report else ():
        logger.warning("%s", Problem(path, line, message, hint, WARNING))
    return groups


def set_defaults(pelican) -> None:
    for key, value in DEFAULTS.items():
        pelican.settings.setdefault(key, value)


def add_filter(generator) -> None:
    generator.env.filters["folded_words"] = folded_words
    generator.env.filters["folded"] = fold
    # Its problems said once a build: the articles' generator is made once.
    report = isinstance(generator, ArticlesGenerator)
    generator.env.globals["search_synonyms"] = load_synonyms(generator.settings, report)


def page_texts(generator) -> list[str]:
    """What a reader may search for, page by page: articles, pages, documents."""
    texts = []
    for article in generator.articles:
        texts += [article.title, getattr(article, "summary", ""), article.content]
        texts += [str(tag) for tag in getattr(article, "tags", ())]
        texts += [str(author) for author in getattr(article, "authors", ())]
    for page in generator.context.get("pages", ()):
        texts += [page.title, page.content]
    for document in generator.context.get("documents", ()):
        kind = getattr(document, "kind", None)
        texts += [document.title, getattr(document, "issuer", ""), document.content]
        texts.append(getattr(kind, "name", ""))
    return texts


def write_vocabulary(generator, writer) -> None:
    save_as = generator.settings.get(
        "SEARCH_VOCABULARY_SAVE_AS", DEFAULTS["SEARCH_VOCABULARY_SAVE_AS"]
    )
    if not save_as:
        return
    path = os.path.join(writer.output_path, save_as)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(vocabulary(page_texts(generator)))


def register() -> None:
    signals.initialized.connect(set_defaults)
    signals.generator_init.connect(add_filter)
    signals.article_writer_finalized.connect(write_vocabulary)
