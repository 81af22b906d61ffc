"""Reads the printed bulletin's issues, checks them and lays each out as a PDF.

Connects:

- ``initialized``: fills the ``EDITION*`` settings' defaults;
- ``get_generators``: adds :class:`EditionsGenerator`. Pelican runs it after
  its article and page generators and after the photo generator (whose
  ``PhotoLibrary`` it reads photos through), so every article is read,
  checked and has its photos when it reads ``content/ban-tin/``
  (``EDITION_PATHS``; articles and pages never see that folder).

The generator reads each issue with the project's Markdown reader (the
same decoding, NFC, sanitised editorial and reader cache as an article),
checks it (:mod:`bulletin.editions.model`), resolves ``Articles`` to
published articles and ``Cover`` to a photo, reads the identity settings,
and — while checking, so that a 65-page issue stops the build before a
single file is written — lays every published issue out
(:mod:`bulletin.editions.printing`, cached by digest: an unchanged issue
costs a hash). Puts ``editions`` (newest first) into the context; problems
go on the generator (``bulletin_problems``) where ``bulletin.content.report``
collects them with everyone else's. Must run after ``bulletin.photos.generator``.
"""

from __future__ import annotations

import logging
import os
import time
from datetime import datetime

from markupsafe import Markup
from pelican import signals
from pelican.contents import Content
from pelican.generators import Generator

from bulletin.build.cache import project_path
from bulletin.content.model import ERROR, WARNING, Problem
from bulletin.content.ordering import newest_first
from bulletin.content.validation import add_problems, check_source_inside
from bulletin.content.vietnamese import build_now, localize, nfc, plain
from bulletin.editions import model
from bulletin.editions.print_photos import PrintPhoto, make_print_photo, print_key
from bulletin.editions.printing import Rendered, print_body, print_img, render
from bulletin.photos.contents import PhotoUse, use_photo
from bulletin.photos.covers import cover_photo
from bulletin.photos.library import LIBRARY_KEY
from bulletin.photos.markup import INTRASITE
from bulletin.photos.problems import PhotoProblem

logger = logging.getLogger(__name__)

DEFAULTS = {
    "EDITION_PATHS": ["ban-tin"],
    "EDITION_EXCLUDES": [],
    "EDITION_URL": "ban-tin/{date:%Y}/so-{number}/",
    "EDITION_SAVE_AS": "ban-tin/{date:%Y}/so-{number}/index.html",
    "EDITIONS_URL": "ban-tin/",
    "EDITIONS_SAVE_AS": "ban-tin/index.html",
    "EDITION_PAGE_MM": model.MAX_PAGE_MM,
    "EDITION_STYLESHEET": "print/edition.css",  # inside the theme
    # Print photos and PDFs, by digest; outside output/, like the photo cache.
    "EDITION_CACHE_PATH": "cache/editions",
}


class Edition(Content):
    """One numbered issue (số); its URL from ``EDITION_URL``/``EDITION_SAVE_AS``.

    ``content`` is the editorial (Lời tòa soạn), sanitised like an article's
    body; every other field is plain text or a number.
    """

    mandatory_properties = ()
    default_template = "edition"
    default_status = "published"


class EditionsGenerator(Generator):
    """Reads ``EDITION_PATHS``; writes ``/ban-tin/`` (:mod:`bulletin.editions.pages`)."""

    def __init__(self, *args, **kwargs):
        self.editions: list[Edition] = []
        self.drafts: list[Edition] = []  # drafts and scheduled: nowhere in the output
        self.bulletin_problems: list[Problem] = []
        self.render_seconds = 0.0
        super().__init__(*args, readers_cache_name="EditionsGenerator-Readers", **kwargs)
        self.cache = project_path(
            self.settings, "EDITION_CACHE_PATH", DEFAULTS["EDITION_CACHE_PATH"]
        )

    # -- reading ------------------------------------------------------------------------
    def generate_context(self):
        paths = self.get_files(
            self.settings["EDITION_PATHS"], exclude=self.settings["EDITION_EXCLUDES"]
        )
        for path in sorted(paths):
            try:
                edition = self.readers.read_file(
                    base_path=self.path, path=path, content_class=Edition, context=self.context
                )
            except Exception:
                logger.exception("Could not process %s", path)
                self._add_failed_source_path(path)
                continue
            problems = self.read_fields(edition)
            self.add_source_path(edition)
            (self.editions if edition.status == "published" else self.drafts).append(edition)
            edition.problems = problems
        self.editions.sort(key=newest_first)
        self.number_problems()
        for edition in self.editions:
            if not any(p.severity == ERROR for p in edition.problems):
                self.lay_out(edition)
        add_problems(self, [p for e in self.editions + self.drafts for p in e.problems])
        self.context["editions"] = self.editions
        self.readers.save_cache()

    def read_fields(self, edition: Edition) -> list[Problem]:
        """Typed fields from the header as written, and every problem in it."""
        source = edition.bulletin_source
        raw, lines, path = source.raw, source.lines, source.path
        problems = list(source.problems) + check_source_inside(self, source)
        edition.stories, edition.rendered, edition.print_photos = [], None, []
        edition.number, edition.bulletin_cover, edition.cover_photo = None, None, None
        if not source.readable:
            return problems
        problems += model.check_edition_keys(path, lines)
        problems += model.check_required(path, raw, lines)
        number_line = source.line("number")
        edition.number, found = model.read_number(path, number_line, raw.get("number", ""))
        problems += found
        stem = os.path.splitext(os.path.basename(path))[0]
        if edition.number:
            problems += model.file_number_warning(path, source.line("number"), stem, edition.number)
        number = edition.number or 0
        edition.identity, found = model.read_identity(self.settings, path)
        problems += found
        name = edition.identity.name if edition.identity else ""
        title = " ".join(nfc(raw.get("title", "")).split())
        edition.title = title or model.default_title(name, number, edition.date.year)
        edition.slug = f"so-{number}"
        fields = {"date": edition.date, "number": number}
        edition.override_url = self.settings["EDITION_URL"].format(**fields)
        edition.override_save_as = self.settings["EDITION_SAVE_AS"].format(**fields)
        edition.pdf_name = model.pdf_name(number, edition.date.year)
        edition.pdf_url = os.path.dirname(edition.save_as).replace(os.sep, "/")
        edition.pdf_url += "/" + edition.pdf_name
        if isinstance(edition.date, datetime) and localize(edition.date) > build_now(self.settings):
            edition.status = "draft"  # dated ahead: published by the first build after it
            edition.metadata["scheduled"] = True
        edition.stories = self.read_articles(edition, problems)
        edition.bulletin_cover = self.read_cover(edition, problems)
        return problems

    def read_articles(self, edition: Edition, problems: list[Problem]) -> list:
        source = edition.bulletin_source
        line = source.line("articles")
        published = self.context.get("articles", [])
        drafts = self.context.get("drafts", [])
        by_path, by_slug = {}, {}
        for article in published + drafts:
            by_path.setdefault(article.get_relative_source_path(), article)
            by_slug.setdefault(article.slug, article)
        stories = []
        for reference in model.split_articles(source.raw.get("articles", "")):
            path, slug = model.reference_keys(reference)
            article = by_path.get(path) if path else by_slug.get(slug)
            if article is None:
                known = [a.get_relative_source_path() if path else a.slug for a in published]
                problems.append(model.unknown_article(source.path, line, reference, known))
            elif article.status != "published" or article not in published:
                origin = article.bulletin_source.path
                problems.append(model.unpublished_article(source.path, line, reference, origin))
            elif article in stories:
                problems.append(model.repeated_article(source.path, line, reference))
            else:
                stories.append(article)
        return stories

    def read_cover(self, edition: Edition, problems: list[Problem]) -> PhotoUse | None:
        """``Cover:`` (a photo, written relative to the issue file), else the
        first article's cover."""
        source = edition.bulletin_source
        wanted = nfc(source.raw.get("cover", "")).strip()
        library = self.context.get(LIBRARY_KEY)
        if wanted and library is not None:
            found = use_photo(
                edition,
                library,
                INTRASITE.sub("", wanted),
                wanted,
                "",
                cover_line=source.line("cover"),
            )
            if isinstance(found, PhotoProblem):
                problems.append(found.problem())
                return None
            return found
        first = edition.stories[0] if edition.stories else None
        return getattr(first, "bulletin_cover", None) if first else None

    def number_problems(self) -> None:
        entries = [
            (e.bulletin_source.path, e.bulletin_source.line("number"), e.date.year, e.number)
            for e in self.editions + self.drafts
            if e.number
        ]
        problems = model.duplicate_numbers(entries)
        for edition in self.editions + self.drafts:
            edition.problems += [p for p in problems if p.path == edition.bulletin_source.path]

    # -- laying out ---------------------------------------------------------------------
    def lay_out(self, edition: Edition) -> None:
        """Print photos, print HTML, PDF (cached); problems the layout finds."""
        started = time.perf_counter()
        identity, source = edition.identity, edition.bulletin_source
        line = source.line("articles")
        page_mm = identity.page_mm
        stories, photos = [], {}
        siteurl = self.settings.get("SITE_URL_ABSOLUTE") or self.settings.get("SITEURL", "")
        for article in edition.stories:
            html = article.get_content(siteurl)
            long = model.is_long(len(plain(html)))
            mode = "columns" if long else "single"
            frame = model.column_width_mm(page_mm) if long else model.text_width_mm(page_mm)
            found = {}
            for use in getattr(article, "bulletin_photos", []):
                photo = self.print_photo(edition, use, frame, mode, line)
                if photo is not None:
                    found[f"{use.stem}-{use.plan.short_hash}"] = photo
                    photos[photo.url] = photo.path
            movements = getattr(article, "movements", [])
            stories.append(
                {
                    "article": article,
                    "body": print_body(html, found),
                    "long": long,
                    "movement": movements[0].name if movements else "",
                }
            )
        cover = ""
        use = edition.bulletin_cover
        if use is not None:
            photo = self.print_photo(edition, use, model.text_width_mm(page_mm), "cover", line)
            if photo is not None:
                photos[photo.url] = photo.path
                # A Cover: line has no alt text; the same photo in a story has.
                shown = [u for a in edition.stories for u in getattr(a, "bulletin_photos", [])]
                alt = use.alt or next((u.alt for u in shown if u.path == use.path and u.alt), "")
                cover = print_img(photo, alt or f"Ảnh bìa {edition.title}")
        template = self.get_template("edition_print")
        page = {"width": page_mm[0], "height": page_mm[1], **model.MARGINS_MM}

        def html(last_page: int) -> str:
            return template.render(
                edition=edition,
                editorial=Markup(print_body(edition.content or "", {})),
                identity=identity,
                stories=stories,
                cover=cover,
                page=page,
                last_page=last_page,
            )

        stylesheet = os.path.join(self.theme, self.settings["EDITION_STYLESHEET"])
        with open(stylesheet, encoding="utf-8") as handle:
            css = handle.read()
        rendered = render(
            html,
            css,
            cache=self.cache,
            roots=(self.path, self.theme),
            photos=photos,
            base_url=siteurl.rstrip("/") + "/",
            max_pages=model.MAX_PAGES,
        )
        edition.rendered = rendered
        edition.problems += model.too_many_pages(source.path, line, rendered.pages)
        edition.problems += self.overflow_problems(source.path, line, rendered)
        if rendered.refused:
            edition.problems.append(
                Problem(
                    source.path,
                    1,
                    "Bản in bỏ qua nội dung lấy từ ngoài trang: " + ", ".join(rendered.refused[:3]),
                    "bản in chỉ dùng ảnh và tệp trong content/; bỏ liên kết ảnh ngoài khỏi bài",
                    WARNING,
                )
            )
        self.render_seconds += time.perf_counter() - started

    def print_photo(self, edition, use: PhotoUse, frame: float, mode: str, line: int):
        placement = model.place_photo(use.plan.size, frame, model.MAX_PHOTO_HEIGHT_MM[mode])
        path = edition.bulletin_source.path
        edition.problems += model.low_resolution(path, line, use.value, placement)
        library = self.context[LIBRARY_KEY]
        try:
            cached = make_print_photo(
                use.path, use.plan.info, placement, self.cache, library.max_pixels
            )
        except Exception as error:  # noqa: BLE001 - a photo changed since it was checked
            edition.problems.append(
                Problem(
                    path,
                    line,
                    f'Không in được ảnh "{use.value}" ({error})',
                    "chép lại ảnh rồi chạy lại",
                )
            )
            return None
        photo = PrintPhoto(print_key(use.plan.info, placement), cached, placement, use.path,
                           use.value)  # fmt: skip
        edition.print_photos.append(photo)
        return photo

    @staticmethod
    def overflow_problems(path: str, line: int, rendered: Rendered) -> list[Problem]:
        if not rendered.overflow:
            return []
        return [
            Problem(
                path,
                line,
                "Có nội dung rộng hơn khổ giấy "
                f"{model.MAX_PAGE_MM[0] / 10:g} × {model.MAX_PAGE_MM[1] / 10:g} cm: "
                + ", ".join(rendered.overflow),
                "rút gọn bảng (ít cột hơn) hoặc bỏ nội dung quá rộng khỏi bài in",
            )
        ]

    # -- writing ---------------------------------------------------------------------------
    def generate_output(self, writer):
        from bulletin.editions.pages import write_editions  # noqa: PLC0415 - imports this

        for edition in self.editions:
            edition.cover_photo = cover_photo(edition, self.settings)
        write_editions(self, writer)
        if self.editions:
            logger.info(
                "Bản tin in: %d số, %.2f s dàn trang (bộ nhớ đệm: %s)",
                len(self.editions),
                self.render_seconds,
                self.cache,
            )


def set_defaults(pelican) -> None:
    for key, value in DEFAULTS.items():
        pelican.settings.setdefault(key, value)


def get_generators(_pelican):
    return EditionsGenerator


def register() -> None:
    signals.initialized.connect(set_defaults)
    signals.get_generators.connect(get_generators)
