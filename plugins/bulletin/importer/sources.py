"""What to import: each SOURCE of ``invoke import`` as a list of :class:`Item`.

A SOURCE is an http(s) address or a path on this computer; what it is comes
from what it holds, not from its name:

- a sitemap (``<urlset>``) or a sitemap index (``<sitemapindex>``, followed
  three levels deep) — each ``<loc>`` is an item, its ``<lastmod>`` a hint
  for ``--since``;
- an RSS or Atom feed — each item's link, with its date and categories as
  hints;
- a WordPress export (WXR, an RSS file with ``wp:`` elements) —
  :mod:`bulletin.importer.wordpress`;
- an HTML page: with ``--follow REGEX`` a listing whose matching links are
  the items, without it one article;
- a folder of saved pages (a browser's "Save page", ``wget --mirror``): every
  ``.html``/``.htm`` file below it, except the ``*_files`` folders browsers
  save resources in.

XML is parsed without entities, DTDs or network access (a hostile export
cannot read files or call out). A SOURCE that cannot be read is a
:class:`SourceError` with the reason in Vietnamese.
"""

from __future__ import annotations

import email.utils
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

from lxml import etree, html

from bulletin.content.vietnamese import localize
from bulletin.importer.fetch import Fetcher, FetchError, decode_page
from bulletin.site.old_link_maps import old_link_key

SITEMAP_DEPTH = 3
PAGE_SUFFIXES = (".html", ".htm", ".shtml", ".xhtml")


class SourceError(Exception):
    """A SOURCE that cannot be read, in Vietnamese."""


@dataclass
class Item:
    """One article to import, as a source names it."""

    url: str = ""  # where to fetch the page (absolute), "" for a local or exported item
    old_url: str = ""  # its address on the old portal (absolute or a path)
    source: str = ""  # the SOURCE it came from, for the report
    local: Path | None = None  # a saved page
    root: Path | None = None  # the saved folder, for wget's host/path layout
    body: bytes | None = None  # the page, when fetching the source already gave it
    charset: str = ""
    fragment: str = ""  # the article's HTML, when the source holds it (WordPress)
    hints: dict = field(
        default_factory=dict
    )  # title, date, authors, tags, categories, summary, lastmod, documents

    @property
    def key(self) -> str:
        return old_link_key(self.old_url or self.url) if (self.old_url or self.url) else ""


def xml_parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, recover=True
    )


def parse_xml(data: bytes):
    try:
        root = etree.fromstring(data, xml_parser())
    except etree.XMLSyntaxError:
        return None
    return root


def local_name(element) -> str:
    tag = element.tag if isinstance(element.tag, str) else ""
    return tag.rsplit("}", 1)[-1].lower()


def children(element, name: str):
    return [child for child in element if local_name(child) == name]


def child_text(element, name: str) -> str:
    for child in element:
        if local_name(child) == name:
            return " ".join("".join(child.itertext()).split())
    return ""


def parse_feed_date(value: str) -> datetime | None:
    """RFC 822 (RSS) or ISO 8601 (Atom, sitemaps) as Vietnam local time."""
    value = (value or "").strip()
    if not value:
        return None
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        try:
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
    if moment.tzinfo is None:
        return moment
    return localize(moment).replace(tzinfo=None)


# --- reading a SOURCE ---------------------------------------------------------------
def discover(source: str, fetcher: Fetcher, follow: re.Pattern | None = None) -> list[Item]:
    """The items of one SOURCE (see the module docstring)."""
    path = Path(source).expanduser()
    if "://" not in source and path.exists():
        if path.is_dir():
            return saved_folder(path, source)
        try:
            data = path.read_bytes()
        except OSError as error:
            raise SourceError(f"không đọc được {source}: {error.strerror or error}") from None
        return _from_bytes(data, "", source, fetcher, follow, local=path)
    if urlsplit(source).scheme.lower() not in ("http", "https"):
        raise SourceError(
            f'"{source}" không phải địa chỉ http(s)://… hay một tệp, thư mục có trên máy này'
        )
    try:
        fetched = fetcher.get(source)
    except FetchError as error:
        raise SourceError(f"không tải được {source}: {error}") from None
    return _from_bytes(fetched.body, fetched.charset, source, fetcher, follow, url=fetched.url)


def _from_bytes(data, charset, source, fetcher, follow, *, url="", local=None) -> list[Item]:
    head = data[:2048].lstrip().lower()
    if head.startswith(b"<?xml") or re.match(rb"<(urlset|sitemapindex|rss|feed|rdf)", head):
        root = parse_xml(data)
        if root is None:
            raise SourceError(f"{source}: tệp XML hỏng, không đọc được")
        kind = local_name(root)
        if kind in ("urlset", "sitemapindex"):
            return sitemap(root, source, fetcher, depth=0)
        if kind == "rss" and b"wordpress.org/export" in data[:10000]:
            from bulletin.importer.wordpress import wxr_items  # noqa: PLC0415

            return wxr_items(root, source)
        if kind in ("rss", "feed", "rdf"):
            return feed(root, source, url)
        raise SourceError(f"{source}: tệp XML <{kind}> không phải sitemap, RSS, Atom hay WordPress")
    if follow is not None:
        return listing(data, charset, url or (local.as_uri() if local else ""), source, follow)
    if local is not None:
        return [Item(local=local, root=local.parent, source=source)]
    return [Item(url=url, old_url=url, source=source, body=data, charset=charset)]


def sitemap(root, source: str, fetcher: Fetcher, depth: int) -> list[Item]:
    items: list[Item] = []
    if local_name(root) == "sitemapindex":
        if depth >= SITEMAP_DEPTH:
            raise SourceError(f"{source}: sitemap lồng nhau quá {SITEMAP_DEPTH} tầng")
        for entry in children(root, "sitemap"):
            location = child_text(entry, "loc")
            if not location:
                continue
            try:
                fetched = fetcher.get(location)
            except FetchError as error:
                raise SourceError(f"không tải được sitemap con {location}: {error}") from None
            child = parse_xml(fetched.body)
            if child is None:
                raise SourceError(f"sitemap con {location} hỏng, không đọc được")
            items += sitemap(child, source, fetcher, depth + 1)
        return items
    for entry in children(root, "url"):
        location = child_text(entry, "loc")
        if location:
            lastmod = parse_feed_date(child_text(entry, "lastmod"))
            hints = {"lastmod": lastmod} if lastmod else {}
            items.append(Item(url=location, old_url=location, source=source, hints=hints))
    return items


def feed(root, source: str, base: str) -> list[Item]:
    """RSS 2.0, RSS 1.0 (RDF) and Atom entries, with their hints."""
    items = []
    for entry in root.iter("{*}item", "{*}entry"):  # any namespace, or none
        link = child_text(entry, "link")
        for candidate in children(entry, "link"):
            if candidate.get("href") and candidate.get("rel", "alternate") == "alternate":
                link = candidate.get("href")
        if not link:
            continue
        link = urljoin(base, link)
        hints = {"title": child_text(entry, "title")}
        date = parse_feed_date(
            child_text(entry, "pubdate")
            or child_text(entry, "published")
            or child_text(entry, "date")
        )
        if date:
            hints["date"] = hints["lastmod"] = date
        categories = [
            " ".join(("".join(c.itertext()) or c.get("term", "")).split())
            for c in children(entry, "category")
        ]
        hints["categories"] = [c for c in categories if c]
        author = child_text(entry, "creator") or child_text(entry, "author")
        if author:
            hints["authors"] = [author]
        items.append(Item(url=link, old_url=link, source=source, hints=hints))
    return items


def listing(data: bytes, charset: str, base: str, source: str, follow: re.Pattern) -> list[Item]:
    """The links of a listing page whose absolute address matches ``follow``."""
    try:
        text = decode_page(data, charset)
    except FetchError as error:
        raise SourceError(f"{source}: {error}") from None
    tree = html.document_fromstring(text or "<html></html>")
    seen, items = set(), []
    for anchor in tree.iter("a"):
        href = anchor.get("href", "").strip()
        if not href or href.startswith(("javascript:", "mailto:", "#")):
            continue
        url = urldefrag(urljoin(base, href))[0]
        if follow.search(url) and url not in seen and url.startswith(("http://", "https://")):
            seen.add(url)
            items.append(Item(url=url, old_url=url, source=source))
    if not items:
        raise SourceError(f"{source}: không có liên kết nào khớp --follow {follow.pattern!r}")
    return items


def saved_folder(folder: Path, source: str) -> list[Item]:
    pages = []
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if any(part.endswith("_files") or part.startswith(".") for part in relative.parts[:-1]):
            continue  # a browser's resources folder, or a hidden one
        if path.is_file() and not path.is_symlink() and _is_page(path.name):
            pages.append(Item(local=path, root=folder, source=source))
    if not pages:
        raise SourceError(f"thư mục {source} không có trang .html nào")
    return pages


def _is_page(name: str) -> bool:
    lower = name.lower()
    # wget names a page with a query "news?news_id=152" (or "news@news_id=152"
    # with --restrict-file-names=windows), with ".html" added by -E.
    return lower.endswith(PAGE_SUFFIXES) or (("?" in name or "@" in name) and "." not in name)


# --- a saved page's old address --------------------------------------------------------
_SAVED_FROM = re.compile(r"<!--\s*saved from url=\(\d+\)(\S+?)\s*-->", re.IGNORECASE)


def saved_page_address(text: str, path: Path, root: Path | None) -> str:
    """Where a saved page was on the old portal: its canonical link, its
    ``og:url``, the browser's "saved from url" mark, else wget's layout."""
    tree = html.document_fromstring(text or "<html></html>")
    for xpath in ('//link[@rel="canonical"]/@href', '//meta[@property="og:url"]/@content'):
        found = [value.strip() for value in tree.xpath(xpath) if value.strip()]
        if found and urlsplit(found[0]).scheme in ("http", "https"):
            return found[0]
    if match := _SAVED_FROM.search(text[:4096]):
        if urlsplit(match.group(1)).scheme in ("http", "https"):
            return match.group(1)
    return wget_address(path, root)


def wget_address(path: Path, root: Path | None) -> str:
    """``portal.vn/news/news@news_id=152.html`` → ``http://portal.vn/news/news?news_id=152``."""
    parts = list(path.relative_to(root).parts) if root else [path.name]
    host = ""
    if len(parts) > 1 and re.fullmatch(r"[\w.-]+\.[a-z]{2,}(:\d+)?|[\w.-]+:\d+", parts[0], re.I):
        host = parts.pop(0)
    name = parts.pop()
    query = ""
    for mark in ("?", "@"):
        if mark in name:
            name, query = name.split(mark, 1)
            query = re.sub(r"\.html?$", "", query)
            break
    if name in ("index.html", "index.htm") and not query:
        name = ""
    path_part = "/" + "/".join([*parts, name])
    address = path_part + (f"?{query}" if query else "")
    return f"http://{host}{address}" if host else address
