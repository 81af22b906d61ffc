"""An old page's article: trafilatura for the body and metadata, then the
portal conventions (:mod:`bulletin.importer.conventions`).

trafilatura is the kept extractor (boilerplate removal, title, date and
author detection on pages nobody here has seen); site selectors are only an
optional override (:class:`bulletin.importer.rules.SiteRules`). What this
module adds, because trafilatura does not do it on portal-shaped pages:

- a page laid out with a ``<table>`` (old portals: menu, body and sidebars
  in cells) comes back whole, sidebars included: it is extracted again
  without tables;
- the time of day: trafilatura's date has none; the portal prints it in the
  line under the title ("2023-03-09 14:59:04"), or in
  ``article:published_time``;
- ``<figcaption>`` (trafilatura drops it) and the tags of ``article:tag`` and
  "Từ khóa:" lines (not ``<meta name="keywords">``: portals put the same
  site-wide words on every page), the breadcrumb as categories.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urljoin

import trafilatura
from lxml import html as lxml_html
from selectolax.lexbor import LexborHTMLParser

from bulletin.content.vietnamese import localize
from bulletin.importer import conventions
from bulletin.importer.blocks import Block, clean_text, from_xml
from bulletin.importer.rules import SiteRules
from bulletin.importer.sources import parse_feed_date

MIN_TEXT = 80  # characters of body text below which a page has no article
TAG_LABELS = re.compile(r"^\s*(từ khóa|từ khoá|tags?|thẻ|chủ đề)\s*:", re.IGNORECASE)


class NoContent(Exception):  # noqa: N818 - a reason to skip a page, reported
    """The page has no article (a listing, a video, an error page)."""


@dataclass
class Extracted:
    title: str
    date: datetime | None = None
    has_time: bool = False
    authors: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    summary: str = ""
    blocks: list[Block] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(block.plain for block in self.blocks if block.kind != "photo")


def extract(
    page: str, url: str, site: SiteRules | None = None, hints: dict | None = None, *, fragment=False
) -> Extracted:
    """The article of ``page`` (a whole page, or with ``fragment`` the
    article's own HTML, as WordPress exports it)."""
    hints = hints or {}
    selected = _select(page, site) if site else {}
    source = selected.get("page", page)
    if fragment:
        source = f"<html><body><article>{page}</article></body></html>"
    document = _trafilatura(source, url)
    if document is None or document.body is None:
        raise NoContent("không tìm thấy nội dung bài trong trang")
    tree = lxml_html.document_fromstring(page or "<html></html>")
    title = clean_text(
        selected.get("title") or hints.get("title") or document.title or _first_heading(tree)
    )
    if not title:
        raise NoContent("trang không có tiêu đề")
    blocks = from_xml(document.body, url)
    cleaned = conventions.apply(blocks, title, _figure_captions(tree, url))
    body_text = "\n".join(b.plain for b in cleaned.blocks if b.kind != "photo")
    photos = sum(1 for b in cleaned.blocks if b.kind == "photo")
    if len(body_text) < MIN_TEXT and not photos:
        raise NoContent(
            "không tìm thấy nội dung bài"
            + (
                f" (chỉ có: “{body_text[:60]}”)"
                if body_text
                else " (trang trống hoặc chỉ có video)"
            )
        )
    if not photos and not any(_is_prose(b) for b in cleaned.blocks):
        raise NoContent(
            "trang không có đoạn văn nào: trang danh sách hoặc chuyên mục, không phải bài"
        )
    result = Extracted(
        title=conventions.recase_title(title, body_text),
        blocks=cleaned.blocks,
        notes=list(cleaned.notes),
    )
    if result.title != title:
        result.notes.append(f'tiêu đề viết hoa → "{result.title}"')
    result.date, result.has_time = _date(
        selected, tree, document, cleaned, hints=hints, title=title
    )
    result.authors = (
        _split_names(selected.get("author", ""))
        or cleaned.authors
        or list(hints.get("authors", []))
        or _meta_author(document.author)
    )
    result.summary = clean_text(
        selected.get("summary") or cleaned.summary or hints.get("summary", "")
    )
    result.tags = _unique(selected.get("tags") or _page_tags(tree) or [], hints.get("tags", []))
    result.categories = _unique(
        list(document.categories or []), _breadcrumb(tree), hints.get("categories", [])
    )
    return result


def _is_prose(block: Block) -> bool:
    """A paragraph of sentences: ten words or more, a full stop among them
    (a listing's run of titles and dates has none)."""
    text = block.plain
    return block.kind in ("paragraph", "item", "quote") and (
        len(text.split()) >= 10 and re.search(r"[.!?…;:](\s|$)", text) is not None
    )


# --- trafilatura -------------------------------------------------------------------
OPTIONS = {
    "with_metadata": True,
    "include_images": True,
    "include_formatting": True,
    "include_links": True,
    "favor_recall": True,
}


def _trafilatura(page: str, url: str):
    document = trafilatura.bare_extraction(page, url=url or None, include_tables=True, **OPTIONS)
    if document is not None and document.body is not None and _layout_table(document.body):
        document = trafilatura.bare_extraction(
            page, url=url or None, include_tables=False, **OPTIONS
        )
    return document


def _layout_table(body) -> bool:
    """A table holding headings or photos, or most of the text, is the page's
    layout, not a table of the article."""
    total = len("".join(body.itertext())) or 1
    for table in body.iter("table"):
        if table.find(".//head") is not None or table.find(".//graphic") is not None:
            return True
        if len("".join(table.itertext())) > 0.6 * total:
            return True
    return False


# --- site rules ----------------------------------------------------------------------
def _select(page: str, site: SiteRules) -> dict:
    tree = LexborHTMLParser(page)
    for selector in site.remove:
        for node in tree.css(selector):
            node.decompose()
    found: dict = {}
    for key in ("title", "date", "author", "summary"):
        selector = getattr(site, key)
        node = tree.css_first(selector) if selector else None
        if node is not None:
            found[key] = clean_text(node.text(separator=" "))
    if site.tags:
        found["tags"] = [clean_text(n.text()) for n in tree.css(site.tags) if clean_text(n.text())]
    node = tree.css_first(site.content) if site.content else None
    if node is not None:
        head = tree.head.html if tree.head is not None else ""
        found["page"] = f"<html>{head}<body><article>{node.html}</article></body></html>"
    elif site.remove:
        found["page"] = tree.html or page
    return found


# --- dates -----------------------------------------------------------------------------
def _date(selected, tree, document, cleaned, *, hints, title) -> tuple[datetime | None, bool]:
    """The publication moment, local time: the first of these that has a
    time of day, else the first date (see the module docstring)."""
    candidates: list[tuple[datetime, bool]] = []
    if selected.get("date"):
        candidates += [(d.moment, d.has_time) for d in conventions.find_dates(selected["date"])[:1]]
    candidates += _meta_dates(tree)
    region = _title_region(tree, title, cleaned.blocks)
    candidates += [(d.moment, d.has_time) for d in conventions.find_dates(region)[:1]]
    candidates += [(d.moment, d.has_time) for d in cleaned.dates[:1]]
    if hints.get("date"):
        moment = hints["date"]
        candidates.append((moment, bool(moment.hour or moment.minute or moment.second)))
    with_time = [c for c in candidates if c[1]]
    if with_time:
        return with_time[0]
    day = candidates[0][0] if candidates else _day(document.date)
    if day is None:
        return None, False
    # A date without time: the same day with a time anywhere in the page.
    for found in conventions.find_dates(_page_text(tree)):
        if found.has_time and found.moment.date() == day.date():
            return found.moment, True
    return day, False


def _day(value) -> datetime | None:
    try:
        return datetime.strptime(str(value or "")[:10], "%Y-%m-%d")
    except ValueError:
        return None


def _meta_dates(tree) -> list[tuple[datetime, bool]]:
    values = tree.xpath(
        '//meta[@property="article:published_time" or @name="article:published_time" '
        'or @itemprop="datePublished" or @name="pubdate"]/@content'
        ' | //*[@itemprop="datePublished"]/@datetime | //time[@pubdate]/@datetime'
    )
    found = []
    for value in values:
        moment = parse_feed_date(str(value))
        if moment is not None:
            found.append((localize(moment).replace(tzinfo=None), "T" in value or ":" in value))
    return found[:1]


def _page_text(tree) -> str:
    body = tree.body if tree.find("body") is not None else tree
    for node in body.iter("script", "style", "noscript"):
        node.text = ""
    return clean_text(" ".join(body.itertext()))


def _title_region(tree, title: str, blocks: list[Block]) -> str:
    """The text between the page's title and its first paragraph: where a
    portal prints the date ("Thứ Năm, 16/03/2023 08:30", "Cập nhật: …")."""
    text = _page_text(tree)
    lower = text.lower()
    first = next((b.plain for b in blocks if b.kind != "photo" and len(b.plain) > 20), "")
    end = lower.find(first[:40].lower()) if first else -1
    if end < 0:
        return ""
    start = lower.rfind(title.lower(), 0, end)
    return text[start + len(title) : end] if start >= 0 else text[max(0, end - 200) : end]


# --- the rest of the metadata ----------------------------------------------------------
def _figure_captions(tree, base: str) -> dict[str, str]:
    captions = {}
    for figure in tree.iter("figure"):
        image, caption = figure.find(".//img"), figure.find(".//figcaption")
        if image is not None and caption is not None and image.get("src"):
            captions[urljoin(base, image.get("src").strip())] = clean_text(caption.text_content())
    return captions


def _first_heading(tree) -> str:
    for tag in ("h1", "h2", "title"):
        for node in tree.iter(tag):
            text = clean_text(node.text_content())
            if text:
                return text
    return ""


def _page_tags(tree) -> list[str]:
    tags = [clean_text(v) for v in tree.xpath('//meta[@property="article:tag"]/@content')]
    for node in tree.iter("div", "p", "span", "ul"):
        if TAG_LABELS.match(node.text or "") and len(node.text_content()) < 400:
            tags += [clean_text(a.text_content()) for a in node.iter("a")]
    return [tag for tag in tags if tag]


def _breadcrumb(tree) -> list[str]:
    """The breadcrumb's sections ("Thi đua - Khen thưởng"), home page aside."""
    for node in tree.xpath(
        '//*[contains(@class, "breadcrumb") or contains(@class, "path") '
        'or contains(@id, "breadcrumb")]'
    ):
        names = [clean_text(a.text_content()) for a in node.iter("a")]
        return [n for n in names if n and n.casefold() not in ("trang chủ", "home")]
    return []


def _split_names(value: str) -> list[str]:
    names = conventions.parse_byline(value) if value else []
    return names or [n.strip() for n in re.split(r"[,;]", value) if n.strip()]


def _meta_author(value) -> list[str]:
    """trafilatura's author, when it is a person ("Cổng TTĐT …" is not)."""
    names = conventions.parse_byline(str(value or ""))
    return names if names and all(len(n.split()) <= 4 for n in names) else []


def _unique(*lists) -> list[str]:
    seen, out = set(), []
    for values in lists:
        for value in values or []:
            text = clean_text(str(value))
            if text and text.casefold() not in seen:
                seen.add(text.casefold())
                out.append(text)
    return out
