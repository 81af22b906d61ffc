"""Reads the register of official documents and links it to the news.

Connects:

- ``initialized``: fills the ``DOCUMENT*`` settings' defaults;
- ``static_generator_finalized``: puts the PDFs, DOCX… an article links
  (every plain link to one) beside the article's page;
- ``get_generators``: adds :class:`DocumentsGenerator`. Pelican runs it after
  its article and page generators, so every article is read when it reads
  ``content/van-ban/`` (``DOCUMENT_PATHS``; the article and page generators
  never see that folder: ``ARTICLE_PATHS``/``PAGE_PATHS`` name others).

The generator reads each document with the project's Markdown reader (the
same decoding, NFC, sanitised note and reader cache as an article), checks
it (:mod:`bulletin.documents.model`, :mod:`bulletin.documents.files`),
resolves ``Replaced_by``, ``Movement`` and every article's ``Documents``,
and puts into the context:

- ``documents``: the published documents, newest first (each with
  ``number``, ``kind``, ``files``, ``articles`` citing it, ``replaced_by``,
  ``replaces``…); ``article.documents`` on every article citing one;
- ``document_facets``: the type, year and issuer groupings
  (:class:`~bulletin.documents.pages.Facet`).

Problems go on the generator (``bulletin_problems``), where
``bulletin.content.validation`` collects them with everyone else's and stops
the build before anything is written. Must run after
``bulletin.site.movements`` (it reads the movements from the context).
"""

from __future__ import annotations

import logging
import os
from datetime import datetime

from pelican import signals
from pelican.contents import Content, Static
from pelican.generators import Generator
from pelican.utils import path_to_url

from bulletin.build.cache import project_path
from bulletin.content.model import SLUG_RE, Problem, suggest
from bulletin.content.ordering import newest_first
from bulletin.content.validation import add_problems, check_source_inside
from bulletin.content.vietnamese import bounded_slug, build_now, localize, nfc, slugify
from bulletin.documents import model
from bulletin.documents.files import FileFacts, Inspector, resolve, scan_note

logger = logging.getLogger(__name__)

DEFAULTS = {
    "DOCUMENT_PATHS": ["van-ban"],
    "DOCUMENT_EXCLUDES": [],
    "DOCUMENT_URL": "van-ban/{date:%Y}/{slug}/",
    "DOCUMENT_SAVE_AS": "van-ban/{date:%Y}/{slug}/index.html",
    "DOCUMENTS_URL": "van-ban/",
    "DOCUMENTS_SAVE_AS": "van-ban/index.html",
    "DOCUMENT_TYPE_URL": "van-ban/loai/{slug}/",
    "DOCUMENT_TYPE_SAVE_AS": "van-ban/loai/{slug}/index.html",
    "DOCUMENT_YEAR_URL": "van-ban/nam/{slug}/",
    "DOCUMENT_YEAR_SAVE_AS": "van-ban/nam/{slug}/index.html",
    "DOCUMENT_ISSUER_URL": "van-ban/co-quan/{slug}/",
    "DOCUMENT_ISSUER_SAVE_AS": "van-ban/co-quan/{slug}/index.html",
    "DOCUMENT_FEED_ATOM": "feeds/van-ban.atom.xml",
    "API_DOCUMENTS_SAVE_AS": "api/documents.json",
    "DOCUMENT_EXTRA_TYPES": [],
    # Kept between builds like the photo cache: what each file is (by SHA-256).
    "DOCUMENT_CACHE_PATH": "cache/documents",
}


class Document(Content):
    """One official document; its URL from ``DOCUMENT_URL``/``DOCUMENT_SAVE_AS``.

    Every field is plain text as the editor wrote it (NFC): templates escape
    it. The note below the fields (``content``) went through the sanitiser.
    """

    mandatory_properties = ("title",)
    default_template = "document"
    default_status = "published"
    # Until read_fields sets them (a file that cannot be read keeps these).
    number = issuer = signer = field = replaced_by_number = ""
    kind = effective = expires = replaced_by = None
    movements = files = articles = replaces = ()


class PublishedFile:
    """A file of a document: where it comes from and where it is published.

    In ``generated_content`` and ``static_content`` under its source path, so
    ``{filename}``/``{static}`` links and plain links from articles reach it;
    ``attach_to`` keeps it beside its document.
    """

    def __init__(self, entry: model.FileEntry, source: str, relative: str, facts, document):
        self.entry = entry
        self.source = source  # real path, inside content/
        self.relative = relative  # path below content/, Pelican's key
        self.facts: FileFacts = facts
        self.save_as = os.path.join(os.path.dirname(document.save_as), entry.published_name)
        self.url = os.path.dirname(document.save_as).replace(os.sep, "/") + "/"
        self.url += entry.published_name

    label = property(lambda self: self.entry.label)
    media_type = property(lambda self: self.entry.media_type)
    name = property(lambda self: self.entry.published_name)
    size = property(lambda self: self.facts.size)
    size_text = property(lambda self: model.format_size(self.facts.size))
    note = property(lambda self: scan_note(self.facts, self.entry.extension))

    def attach_to(self, _content) -> None:
        """A document's file stays beside its document, whoever links it."""


class DocumentsGenerator(Generator):
    """Reads ``DOCUMENT_PATHS``; writes the register (:mod:`bulletin.documents.pages`)."""

    def __init__(self, *args, **kwargs):
        self.documents: list[Document] = []
        self.drafts: list[Document] = []  # drafts and scheduled: nowhere in the output
        self.bulletin_problems: list[Problem] = []
        super().__init__(*args, readers_cache_name="DocumentsGenerator-Readers", **kwargs)
        self.inspector = Inspector(
            project_path(self.settings, "DOCUMENT_CACHE_PATH", DEFAULTS["DOCUMENT_CACHE_PATH"])
        )
        self.types = model.known_types(self.settings.get("DOCUMENT_EXTRA_TYPES", ()))

    # -- reading ------------------------------------------------------------------------
    def generate_context(self):
        paths = self.get_files(
            self.settings["DOCUMENT_PATHS"], exclude=self.settings["DOCUMENT_EXCLUDES"]
        )
        for path in sorted(paths):
            try:
                document = self.readers.read_file(
                    base_path=self.path, path=path, content_class=Document, context=self.context
                )
            except Exception:
                logger.exception("Could not process %s", path)
                self._add_failed_source_path(path)
                continue
            self.read_fields(document)
            self.add_source_path(document)
            (self.documents if document.status == "published" else self.drafts).append(document)
        self.documents.sort(key=newest_first)
        self.link_register()
        self.cite_in_articles()
        self.register_sources()
        from bulletin.documents.pages import facets  # noqa: PLC0415 - pages imports this module

        self.context["documents"] = self.documents
        self.context["document_facets"] = facets(self.documents, self.settings)
        self.readers.save_cache()

    def read_fields(self, document: Document) -> None:
        """Typed fields from the header as written, and every problem in it."""
        source = document.bulletin_source
        raw, lines, path = source.raw, source.lines, source.path
        problems = list(source.problems) + check_source_inside(self, source)
        if not source.readable:
            add_problems(self, problems)
            return
        problems += model.check_document_keys(path, lines)
        problems += model.check_required(path, raw, lines)
        text = {key: " ".join(nfc(raw.get(key, "")).split()) for key in model.DOCUMENT_KEYS}
        document.title = text["title"] or document.title
        document.number = model.clean_number(text["number"])
        if document.number:
            problems += model.check_number(path, source.line("number"), text["number"])
        document.kind, found = model.read_type(path, source.line("type"), text["type"], self.types)
        problems += found
        document.issuer, document.signer, document.field = (
            text["issuer"],
            text["signer"],
            text["field"],
        )
        for key in ("effective", "expires"):
            day, found = model.read_day(path, source.line(key), key, text[key])
            setattr(document, key, localize(day) if day else None)
            problems += found
        document.replaced_by_number = model.clean_number(text["replaced_by"])
        document.replaced_by, document.replaces, document.articles = None, [], []
        document.movements = self.read_movements(source, text["movement"], problems)
        slug = text["slug"] if SLUG_RE.match(text["slug"]) else ""
        stem = os.path.splitext(os.path.basename(source.path))[0]
        document.slug = slug or (stem if SLUG_RE.match(stem) else bounded_slug(stem) or "van-ban")
        document.override_url, document.override_save_as = document.url, document.save_as
        if isinstance(document.date, datetime) and localize(document.date) > build_now(
            self.settings
        ):
            document.status = "draft"  # dated ahead: published by the first build after it
            document.metadata["scheduled"] = True
        document.files = self.read_files(document, raw.get("files", ""), problems)
        add_problems(self, problems)

    def read_movements(self, source, value: str, problems: list[Problem]) -> list:
        if not value:
            return []
        movements = self.context.get("movements", [])
        by_key = {slugify(m.name): m for m in movements} | {m.slug: m for m in movements}
        found = []
        for word in (w.strip() for w in value.split(",")):
            movement = by_key.get(slugify(word)) or by_key.get(word)
            if movement is not None:
                found.append(movement)
                continue
            near = suggest(word, [m.name for m in movements] + [m.slug for m in movements])
            problems.append(
                Problem(
                    source.path,
                    source.line("movement"),
                    f'{model.document_field("movement")}: "{word}" không có trong danh mục '
                    "phong trào",
                    "có phải ý bạn là: " + ", ".join(f'"{n}"' for n in near) + "?"
                    if near
                    else "dùng slug hoặc tên chính xác của phong trào (content/movements.toml)",
                )
            )
        return found

    def read_files(self, document, value: str, problems: list[Problem]) -> list[PublishedFile]:
        """Each file: inside ``content/``, present, readable, of its format."""
        source = document.bulletin_source
        line = source.line("files")
        entries, found = model.read_files(source.path, line, value)
        problems += found
        published = []
        for entry in entries:
            target = resolve(self.path, os.path.dirname(source.abspath), entry.written)
            if target is None:
                problems.append(
                    Problem(
                        source.path,
                        line,
                        f'Tệp "{entry.written}" nằm ngoài thư mục content/ (đường dẫn ra ngoài '
                        "hoặc liên kết tắt tới tệp khác)",
                        "chép chính tệp đó vào thư mục cạnh văn bản (không dùng liên kết tắt) "
                        "và sửa dòng Files",
                    )
                )
                continue
            if not os.path.isfile(target):
                near = suggest(entry.written, os.listdir(os.path.dirname(source.abspath)))
                problems.append(
                    Problem(
                        source.path,
                        line,
                        f'Không tìm thấy tệp "{entry.written}"',
                        "có phải là: " + ", ".join(f'"{n}"' for n in near) + "?"
                        if near
                        else "chép tệp vào cạnh tệp văn bản này, tên tệp phân biệt chữ hoa, "
                        "chữ thường",
                    )
                )
                continue
            try:
                facts = self.inspector.facts(target, entry.extension)
            except OSError as error:
                problems.append(
                    Problem(
                        source.path,
                        line,
                        f'Không đọc được tệp "{entry.written}" ({error.strerror or error})',
                        "kiểm tra quyền đọc tệp, hoặc chép lại tệp",
                    )
                )
                continue
            if facts.problem:
                severity, what, hint = facts.problem
                problems.append(
                    Problem(source.path, line, f'Tệp "{entry.written}" {what}', hint, severity)
                )
            elif scan_note(facts, entry.extension):
                problems += model.scan_warning(source.path, line, entry.written)
            problems += model.file_size_warning(source.path, line, entry.written, facts.size)
            relative = os.path.relpath(target, os.path.realpath(self.path)).replace(os.sep, "/")
            published.append(PublishedFile(entry, target, relative, facts, document))
        return published

    # -- the register as a whole --------------------------------------------------------
    def link_register(self) -> None:
        """Duplicate numbers, and ``Replaced_by`` to a document of the register."""
        everything = self.documents + self.drafts
        entries = [
            (d.bulletin_source.path, d.bulletin_source.line("number"), d.number)
            for d in everything
            if getattr(d, "number", "")
        ]
        problems = model.duplicate_numbers(entries)
        self.by_number = {
            model.number_key(d.number): d for d in reversed(everything) if getattr(d, "number", "")
        }
        numbers = [d.number for d in everything if getattr(d, "number", "")]
        for document in everything:
            wanted = getattr(document, "replaced_by_number", "")
            if not wanted:
                continue
            newer = self.by_number.get(model.number_key(wanted))
            source = document.bulletin_source
            if newer is None or newer is document:
                problems.append(
                    model.unknown_number(
                        source.path, source.line("replaced_by"), "replaced_by", wanted, numbers
                    )
                )
                continue
            document.replaced_by = newer
            newer.replaces.append(document)
        add_problems(self, problems)

    def cite_in_articles(self) -> None:
        """``Documents: 45/KH-BQL, …`` → ``article.documents``; ``document.articles``."""
        numbers = [d.number for d in self.documents + self.drafts if getattr(d, "number", "")]
        problems = []
        articles = self.context.get("articles", []) + self.context.get("drafts", [])
        for article in articles:
            source = getattr(article, "bulletin_source", None)
            article.documents = []
            if source is None:
                continue
            problems += attachment_names(article, source)
            for number in model.split_numbers(source.raw.get("documents", "")):
                document = self.by_number.get(model.number_key(number))
                if document is None:
                    problems.append(
                        model.unknown_number(
                            source.path, source.line("documents"), "documents", number, numbers
                        )
                    )
                elif document.status != "published" and article.status == "published":
                    problems.append(
                        Problem(
                            source.path,
                            source.line("documents"),
                            f'Văn bản số "{number}" chưa được đăng (bản nháp hoặc hẹn ngày)',
                            f"đăng văn bản {document.bulletin_source.path} trước, hoặc bỏ số "
                            "này khỏi dòng Documents",
                        )
                    )
                elif document not in article.documents:
                    article.documents.append(document)
                    if article.status == "published":
                        document.articles.append(article)
        for document in self.documents:
            document.articles.sort(key=newest_first)
        add_problems(self, problems)

    def register_sources(self) -> None:
        """Each published document's files where Pelican's links find them
        (``{static}``/``{filename}`` to a document's PDF reach its published
        copy). An edit reaches the next build through
        ``bulletin.build.uptodate``, which hashes every document with its
        files (:mod:`bulletin.documents.keys`)."""
        for document in self.documents:
            for file in document.files:
                self.context["generated_content"].setdefault(file.relative, file)
                self.context["static_content"].setdefault(file.relative, file)

    # -- writing ---------------------------------------------------------------------------
    def generate_output(self, writer):
        from bulletin.documents.pages import write_documents  # noqa: PLC0415

        write_documents(self, writer)


def attachment_names(article, source) -> list[Problem]:
    """A file linked from an article is published under its own name: a
    space or a Vietnamese letter in it makes an address phones and mail
    programs break (and invalid HTML)."""
    problems = []
    for link in sorted(article.get_static_links()):
        name = os.path.basename(link)
        extension = os.path.splitext(name)[1].lower().lstrip(".")
        if extension in model.LINKABLE_EXTENSIONS and name != model.ascii_file_name(name):
            problems.append(
                Problem(
                    source.path,
                    source.find_line(name),
                    f'Tệp đính kèm "{name}" có tên chứa dấu cách, chữ có dấu hoặc chữ hoa',
                    f'đổi tên tệp thành "{model.ascii_file_name(name)}" và sửa liên kết',
                )
            )
    return problems


def place_attachments(static_generator) -> None:
    """A PDF, DOCX… that an article links (every plain link to one becomes a
    ``{static}`` link, :mod:`bulletin.documents.links`) is published beside
    the article's page (``/tin-tuc/2024/<slug>/tep.pdf``), not under the
    source folder's name; linked from several, beside the newest.

    Connected after ``validation.check_linked_files``, which has kept only
    files inside ``content/``; ``{static}`` links read the address set here.
    """
    statics = static_generator.context.get("static_content", {})
    placed = set()
    for article in static_generator.context.get("articles", []):
        for link in sorted(article.get_static_links()):
            static = statics.get(link)
            extension = os.path.splitext(link)[1].lower().lstrip(".")
            if (
                extension not in model.LINKABLE_EXTENSIONS
                or not isinstance(static, Static)
                or link in placed
            ):
                continue
            placed.add(link)
            tail = os.path.relpath(static.source_path, os.path.dirname(article.source_path))
            if tail.startswith(os.pardir + os.sep):
                tail = os.path.basename(tail)
            static.override_save_as = os.path.join(os.path.dirname(article.save_as), tail)
            static.override_url = path_to_url(static.override_save_as)


def set_defaults(pelican) -> None:
    for key, value in DEFAULTS.items():
        pelican.settings.setdefault(key, value)


def get_generators(_pelican):
    return DocumentsGenerator


def register() -> None:
    signals.initialized.connect(set_defaults)
    signals.get_generators.connect(get_generators)
    signals.static_generator_finalized.connect(place_attachments)
