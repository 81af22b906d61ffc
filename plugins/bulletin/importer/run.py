"""One import, item by item: skip, fetch, extract, choose, write, report.

:func:`run_import` reads every SOURCE first (so an address listed by the
sitemap and the feed is one item, with the feed's date and categories as
hints), then takes the items one at a time. Nothing an item does stops the
others: a 404, a page without an article, an undecodable page, a photo that
is not a photo — each is a line of the :class:`~bulletin.importer.report.Report`.

An item is skipped, before anything is fetched, when its old address is the
``Redirect_from`` of an article already in ``content/`` (so a second run
imports only what is new), and after extraction when an article with the
same title and minute exists. A second address of an article this run
wrote is added to that article's ``Redirect_from``.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from bulletin.content.urls import reserved_by
from bulletin.importer import conventions, writer
from bulletin.importer.blocks import Block, Run
from bulletin.importer.extract import NoContent, extract
from bulletin.importer.fetch import Fetcher, FetchError, decode_page
from bulletin.importer.report import Entry, Report
from bulletin.importer.rules import Rules, match_movements
from bulletin.importer.sources import Item, SourceError, discover, saved_page_address
from bulletin.importer.writer import ContentState, Draft, Known, PhotoError
from bulletin.site.old_link_maps import (
    fallback_save_as,
    has_query,
    old_link_key,
    redirect_value,
)
from bulletin.site.redirects import redirect_save_as

# The host of an old page whose saved copy does not say where it was.
UNKNOWN_HOST = "http://dia-chi-cu.invalid"


@dataclass
class Options:
    sources: list[str]
    content: Path
    settings: dict = field(default_factory=dict)  # the site's (AUTHOR, ARTICLE_SAVE_AS…)
    rules: Rules = field(default_factory=Rules)
    movement: str = ""  # a movement slug for items no rule places
    since: datetime | None = None
    limit: int = 0
    dry_run: bool = False
    follow: re.Pattern | None = None


@dataclass
class Session:
    """One import's state: options, client, what content/ holds, the report."""

    options: Options
    fetcher: Fetcher
    state: ContentState
    report: Report
    written: dict[Path, Draft] = field(default_factory=dict)

    def shown(self, path: Path) -> str:
        root = self.options.content.parent
        try:
            return path.relative_to(root).as_posix()
        except ValueError:
            return path.as_posix()


def collect(options: Options, fetcher: Fetcher, report: Report) -> list[Item]:
    """Every item of every SOURCE, one per old address, hints merged."""
    items: dict[str, Item] = {}
    loose: list[Item] = []
    for source in options.sources:
        try:
            found = discover(source, fetcher, options.follow)
        except SourceError as error:
            report.failed_sources.append(str(error))
            continue
        for item in found:
            key = item.key
            if not key:
                loose.append(item)  # a saved page: its address is read with it
            elif key in items:
                merged = items[key]
                for name, value in item.hints.items():
                    merged.hints.setdefault(name, value)
            else:
                items[key] = item
    return list(items.values()) + loose


def run_import(options: Options, fetcher: Fetcher, progress=None) -> Report:
    report = Report(dry_run=options.dry_run, sources=list(options.sources))
    session = Session(options, fetcher, ContentState.scan(options.content), report)
    items = collect(options, fetcher, report)
    for number, item in enumerate(items, start=1):
        if progress:
            progress(number, len(items), item.old_url or str(item.local or ""))
        if options.limit and len(report.imported) >= options.limit:
            report.left = len(items) - number + 1  # "--limit": the rest waits for a next run
            break
        entry = Entry(old=item.old_url or str(item.local or item.url))
        try:
            import_item(session, item, entry)
        except _Skip as skip:
            entry.reason = str(skip)
        report.add(entry)
    report.requests = fetcher.requests
    return report


class _Skip(Exception):  # noqa: N818 - not an error: a report line
    """Why an item is not imported (a report line)."""


def import_item(session: Session, item: Item, entry: Entry) -> None:
    options, state = session.options, session.state
    if item.hints.get("skip"):
        raise _Skip(item.hints["skip"])
    _skip_if_known(session, item.key)
    lastmod = item.hints.get("lastmod")
    if options.since and lastmod and lastmod < options.since:
        raise _Skip(f"trước ngày --since (cập nhật lần cuối {lastmod:%d/%m/%Y})")
    text, url = _load(session, item)
    entry.old = item.old_url or entry.old
    site = options.rules.for_host(urlsplit(url).hostname or "")
    try:
        page = extract(text, url, site, item.hints, fragment=bool(item.fragment))
    except NoContent as error:
        raise _Skip(str(error)) from None
    if page.date is None:
        raise _Skip("không tìm thấy ngày đăng trong trang")
    if options.since and page.date < options.since:
        raise _Skip(f"trước ngày --since (đăng ngày {page.date:%d/%m/%Y})")
    entry.notes += page.notes
    if not page.has_time:
        entry.notes.append("trang cũ không ghi giờ đăng: để 00:00:00")
    old = _old_values(session, item, entry)
    title_key = writer.title_key(page.title, page.date)
    if known := state.titles.get(title_key):
        _same_article(session, known, old)
    movements = match_movements(
        options.rules.movements,
        title=page.title,
        text=page.summary + "\n" + page.text,
        categories=page.categories + page.tags,
    )
    if not movements:
        entry.needs_movement = True
        movements = [options.movement] if options.movement else []
        entry.notes.append(
            f"không khớp quy tắc phong trào nào: dùng --movement {options.movement}"
            if options.movement
            else "chưa có phong trào: ghi là bản nháp (Status: draft)"
        )
    authors = page.authors
    if not authors:
        authors = [options.settings.get("AUTHOR") or "Ban biên tập"]
        entry.notes.append(f'không tìm thấy tác giả: ghi "{authors[0]}"')
    draft = Draft(
        page.title, page.date, authors, movements, page.tags, page.summary, page.blocks, old
    )
    writer.plan(draft, state)
    entry.new = session.shown(draft.path)
    for block in draft.blocks:
        if block.kind == "photo" and block.photo:
            block.photo.alt, made_up = conventions.photo_alt(block.photo, page.title)
            if made_up:
                entry.notes.append(f"ảnh thiếu mô tả, dùng: “{block.photo.alt[:60]}”")
    documents = _document_urls(draft, item)
    if options.dry_run:
        entry.photos = sum(1 for b in draft.blocks if b.kind == "photo")
        entry.documents = len(documents)
    else:
        _write(session, item, draft, documents, entry)
    known = Known(draft.path, created=True)
    state.titles[title_key] = known
    for value in old:
        state.imported[old_link_key(value)] = known
    session.written[draft.path] = draft


def _skip_if_known(session: Session, key: str) -> None:
    known = session.state.imported.get(key) if key else None
    if known:
        raise _Skip(f"đã nhập trước đây: {session.shown(known.path)}")


def _same_article(session: Session, known: Known, old: list[str]) -> None:
    draft = session.written.get(known.path)
    if known.created and draft is not None:
        added = [value for value in old if value not in draft.old]
        if added and not session.options.dry_run:
            draft.old += added
            writer.rewrite_own(known.path, writer.article_text(draft), session.options.content)
        for value in added:
            session.state.imported[old_link_key(value)] = known
        raise _Skip(
            f"cùng một bài với {session.shown(known.path)}: địa chỉ cũ này được thêm vào "
            "Redirect_from của bài đó"
        )
    raise _Skip(
        f"trùng bài đã có {session.shown(known.path)} (cùng tiêu đề và giờ đăng); muốn giữ liên "
        "kết cũ này thì thêm nó vào dòng Redirect_from của bài đó"
    )


def _load(session: Session, item: Item) -> tuple[str, str]:
    """The page's text and the address its links are relative to."""
    if item.fragment:
        return item.fragment, item.url or item.old_url or UNKNOWN_HOST + "/"
    try:
        if item.local is not None:
            data, charset = item.local.read_bytes(), ""
        elif item.body is not None:
            data, charset = item.body, item.charset
        else:
            fetched = session.fetcher.get(item.url)
            data, charset, item.url = fetched.body, fetched.charset, fetched.url
        text = decode_page(data, charset)
    except FetchError as error:
        raise _Skip(str(error)) from None
    except OSError as error:
        raise _Skip(f"không đọc được tệp: {error.strerror or error}") from None
    if item.local is not None:
        item.old_url = saved_page_address(text, item.local, item.root)
        _skip_if_known(session, old_link_key(item.old_url))
        return text, urljoin(UNKNOWN_HOST, item.old_url)
    return text, item.url


def _old_values(session: Session, item: Item, entry: Entry) -> list[str]:
    """``Redirect_from`` of the new article: the old address, unless the new
    site itself uses it (then the report says so)."""
    if not item.old_url:
        return []
    value = redirect_value(item.old_url)
    path = urlsplit(value).path
    save_as = fallback_save_as(path) if has_query(value) else redirect_save_as(path)
    settings = session.options.settings
    articles_folder = settings.get("ARTICLE_SAVE_AS", "tin-tuc/").split("/", 1)[0]
    if save_as and settings and reserved_by(save_as, settings, frozenset({articles_folder})):
        entry.notes.append(
            f"địa chỉ cũ {value} trùng một địa chỉ của trang mới: không chuyển hướng"
        )
        return []
    if save_as is None and not has_query(value):
        entry.notes.append(f"địa chỉ cũ {value} là trang chủ: không chuyển hướng")
        return []
    return [value]


def _document_urls(draft: Draft, item: Item) -> list[str]:
    urls = [
        text.href
        for block in draft.blocks
        for text in block.runs
        if text.href and writer.document_extension(text.href)
    ]
    urls += [u for u in item.hints.get("documents", []) if writer.document_extension(u)]
    return list(dict.fromkeys(urls))


def _download(session: Session, item: Item, url: str, kind: str) -> bytes:
    """A photo or file of the page: from the saved folder when it is there,
    else from the old portal."""
    if item.local is not None and item.old_url:
        local = _saved_resource(item, url)
        if local is not None:
            return local.read_bytes()
        if urlsplit(url).netloc == urlsplit(UNKNOWN_HOST).netloc:
            raise FetchError("không có trong thư mục trang đã lưu (và không biết địa chỉ cũ)")
    return session.fetcher.get(url, kind).body


def _saved_resource(item: Item, url: str) -> Path | None:
    page, resource = urlsplit(urljoin(UNKNOWN_HOST, item.old_url)), urlsplit(url)
    if page.netloc != resource.netloc:
        return None
    relative = posixpath.relpath(unquote(resource.path), posixpath.dirname(unquote(page.path)))
    candidate = (item.local.parent / relative).resolve()
    root = (item.root or item.local.parent).resolve()
    if not writer.inside(candidate, root) or not candidate.is_file():
        return None  # never a file outside the saved folder
    return candidate


def _write(session: Session, item: Item, draft: Draft, documents: list[str], entry: Entry) -> None:
    content = session.options.content
    folder = writer.photo_folder(draft)
    names: set[str] = set()
    kept = []
    for block in draft.blocks:
        if block.kind == "photo" and block.photo:
            photo = block.photo
            try:
                data, extension = writer.prepare_photo(_download(session, item, photo.src, "photo"))
                photo.file = writer.file_name(photo.src, extension, names)
                writer.write_new(folder / photo.file, data, content)
            except (FetchError, PhotoError, OSError) as error:
                session.report.broken_files.append(f"{photo.src} (bài {entry.new}) — {_why(error)}")
                continue
            entry.photos += 1
        kept.append(block)
    draft.blocks = kept
    for url in documents:
        try:
            data = _download(session, item, url, "document")
            name = writer.file_name(url, writer.document_extension(url).lstrip("."), names)
            writer.write_new(folder / name, data, content)
        except (FetchError, OSError) as error:
            session.report.broken_files.append(f"{url} (bài {entry.new}) — {_why(error)}")
            continue
        # A plain link: bulletin.documents publishes the file beside the article.
        draft.links[url] = f"{writer.PHOTO_FOLDER}/{draft.slug}/{name}"
        entry.documents += 1
        text = " ".join(r.text for b in draft.blocks for r in b.runs if r.href == url).strip()
        numbers = writer.document_numbers(text)
        session.report.attachments.append(
            f"{session.shown(folder / name)}"
            + (f" — “{text}”" if text else "")
            + (f" (số hiệu {', '.join(numbers)})" if numbers else "")
        )
    _attach_unlinked(draft, documents)
    try:
        writer.write_new(draft.path, writer.article_text(draft), content)
    except OSError as error:
        raise _Skip(f"không ghi được {entry.new}: {error.strerror or error}") from None


def _attach_unlinked(draft: Draft, documents: list[str]) -> None:
    """Files the export attached to the post without linking them in its text."""
    linked = {text.href for block in draft.blocks for text in block.runs}
    extra = [url for url in documents if url in draft.links and url not in linked]
    for url in extra:
        name = unquote(urlsplit(url).path.rsplit("/", 1)[-1]) or "Tệp đính kèm"
        draft.blocks.append(Block("item", runs=[Run(name, href=url)], level=0))


def _why(error: Exception) -> str:
    if isinstance(error, OSError) and not isinstance(error, FetchError):
        return f"không ghi được ({error.strerror or error})"
    return str(error)
