"""The import's rules file (``--rules FILE``, TOML): site selectors and movements.

Both parts are optional::

    # Selectors for one old portal, only where the extractor gets it wrong
    [[site]]
    host = "bqlkcn.backan.gov.vn"        # or "*" for every host
    content = "div.news-content"         # CSS selector of the article's body
    title = "h1.news-title"
    date = ".news-date"
    author = ".news-author"
    summary = ".news-sapo"
    tags = ".tags a"
    remove = [".news-tools", ".other-news"]   # taken out before extraction

    # Which movement an old item belongs to: by the old portal's category
    # (breadcrumb, RSS/WordPress category) or by words of its title and text
    [[movement]]
    slug = "thi-dua-phat-trien-kinh-te-xa-hoi"   # a table of content/movements.toml
    categories = ["Thi đua - Khen thưởng"]
    keywords = ["phát động thi đua", "phong trào thi đua"]

Every mistake is reported at once, with its line, before anything is
fetched (:class:`RulesError`). Matching is pure: :func:`match_movements`.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser, SelectolaxError

from bulletin.content.registry import Registry
from bulletin.content.vietnamese import nfc

SITE_KEYS = ("host", "content", "title", "date", "author", "summary", "tags", "remove")
MOVEMENT_KEYS = ("slug", "categories", "keywords")
KEYWORD_CONTEXT = 2000  # characters of the body read for keywords, after title and summary


class RulesError(Exception):
    """Every problem of the rules file, one per line, in Vietnamese."""


@dataclass(frozen=True)
class SiteRules:
    host: str = "*"
    content: str = ""
    title: str = ""
    date: str = ""
    author: str = ""
    summary: str = ""
    tags: str = ""
    remove: tuple[str, ...] = ()


@dataclass(frozen=True)
class MovementRule:
    slug: str
    categories: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()


@dataclass
class Rules:
    sites: list[SiteRules] = field(default_factory=list)
    movements: list[MovementRule] = field(default_factory=list)

    def for_host(self, host: str) -> SiteRules | None:
        host = host.lower()
        exact = [s for s in self.sites if s.host.lower() == host]
        return (exact or [s for s in self.sites if s.host == "*"] or [None])[0]


def _fold(text: str) -> str:
    return " ".join(nfc(text).casefold().split())


def load_rules(path: Path, registry: Registry) -> Rules:
    shown = path.as_posix()
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as error:
        raise RulesError(f"Không đọc được tệp quy tắc {shown}: {error.strerror or error}") from None
    except UnicodeDecodeError:
        raise RulesError(
            f"Tệp quy tắc {shown} không phải UTF-8: lưu lại bằng mã hóa UTF-8"
        ) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise RulesError(f"{shown}: lỗi cú pháp TOML ({error})") from None
    problems: list[str] = []
    rules = Rules()
    for key in data:
        if key not in ("site", "movement"):
            problems.append(
                f'{shown}: bảng "{key}" không được hỗ trợ — chỉ có [[site]] và [[movement]]'
            )
    for number, table in enumerate(_tables(data, "site", shown, problems), start=1):
        where = f"{shown}: [[site]] thứ {number}"
        problems += _unknown_keys(table, SITE_KEYS, where)
        values = {k: table[k] for k in SITE_KEYS if k in table}
        for key, value in values.items():
            if key == "remove":
                ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
            else:
                ok = isinstance(value, str)
            if not ok:
                problems.append(
                    f'{where}: "{key}" phải là chuỗi'
                    + (" hoặc danh sách chuỗi" if key == "remove" else "")
                )
                continue
            for selector in value if key == "remove" else [] if key == "host" else [value]:
                if not _valid_selector(selector):
                    problems.append(f'{where}: bộ chọn CSS "{selector}" của "{key}" không hợp lệ')
        values["remove"] = tuple(values.get("remove", ()))
        rules.sites.append(SiteRules(**values))
    for number, table in enumerate(_tables(data, "movement", shown, problems), start=1):
        where = f"{shown}: [[movement]] thứ {number}"
        problems += _unknown_keys(table, MOVEMENT_KEYS, where)
        slug = table.get("slug")
        entry = registry.lookup(slug) if isinstance(slug, str) else None
        if entry is None:
            near = registry.suggestions(slug) if isinstance(slug, str) else []
            hint = f" — có phải ý bạn là: {', '.join(near)}?" if near else ""
            problems.append(
                f'{where}: phong trào "{slug}" không có trong content/movements.toml{hint}'
            )
        lists = {}
        for key in ("categories", "keywords"):
            value = table.get(key, [])
            if not isinstance(value, list) or not all(
                isinstance(v, str) and v.strip() for v in value
            ):
                problems.append(f'{where}: "{key}" phải là danh sách chuỗi, ví dụ ["thi đua"]')
                value = []
            lists[key] = tuple(_fold(v) for v in value)
        if not lists["categories"] and not lists["keywords"]:
            problems.append(f'{where}: cần ít nhất một "categories" hoặc "keywords"')
        if entry is not None:
            rules.movements.append(MovementRule(entry.slug, **lists))
    if problems:
        raise RulesError("\n".join(problems))
    return rules


def _tables(data, key, shown, problems) -> list[dict]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(t, dict) for t in value):
        problems.append(f"{shown}: viết [[{key}]] (hai dấu ngoặc vuông) cho mỗi mục")
        return []
    return value


def _unknown_keys(table: dict, known, where: str) -> list[str]:
    return [
        f'{where}: khóa "{key}" không được hỗ trợ (các khóa: {", ".join(known)})'
        for key in table
        if key not in known
    ]


def _valid_selector(selector: str) -> bool:
    try:
        LexborHTMLParser("<p></p>").css(selector)
    except SelectolaxError:
        return False
    return True


def match_movements(rules: list[MovementRule], *, title: str, text: str, categories) -> list[str]:
    """The movements an old item belongs to, in the rules' order: one whose
    category the item has, or one of whose keywords its title, summary or
    first paragraphs contain (whole words, case aside)."""
    folded_categories = {_fold(c) for c in categories}
    haystack = _fold(title + " \n " + text[:KEYWORD_CONTEXT])
    found = []
    for rule in rules:
        hit = folded_categories & set(rule.categories) or any(
            re.search(rf"(?<!\w){re.escape(keyword)}(?!\w)", haystack) for keyword in rule.keywords
        )
        if hit and rule.slug not in found:
            found.append(rule.slug)
    return found
