"""Emulation movements (phong trào thi đua): registry, article links, pages, feeds.

Connects:

- ``initialized``: fills the ``MOVEMENT*`` settings' defaults;
- ``article_generator_init``: loads ``content/movements.toml`` into
  ``generator.movements`` (one :class:`Movement` per table);
- ``article_generator_context``: resolves each article's ``Movement`` field
  into ``article.movements``, reporting unknown names with suggestions;
- ``article_generator_finalized``: groups published articles per movement and
  per year, and puts ``movements`` (Vietnamese order) into the context;
- ``article_writer_finalized``: writes ``/phong-trao/``, one page per
  movement, one paginated page per movement × year, and one Atom feed per
  movement.

Must run after ``bulletin.content.reader`` (it reads ``bulletin_source``).
"""

from __future__ import annotations

import logging
import os
from functools import partial
from itertools import groupby

from markdown import Markdown
from markupsafe import Markup
from pelican import signals
from pelican.urlwrappers import URLWrapper

from bulletin.content.model import Problem, field_name
from bulletin.content.ordering import newest_first
from bulletin.content.registry import load_registry, table_lines
from bulletin.content.sanitize import policy_for, removed, sanitize
from bulletin.content.validation import add_problems
from bulletin.content.vietnamese import collation_key

logger = logging.getLogger(__name__)

DEFAULTS = {
    "MOVEMENTS_FILE": "movements.toml",
    "MOVEMENTS_URL": "phong-trao/",
    "MOVEMENTS_SAVE_AS": "phong-trao/index.html",
    "MOVEMENT_URL": "phong-trao/{slug}/",
    "MOVEMENT_SAVE_AS": "phong-trao/{slug}/index.html",
    "MOVEMENT_YEAR_URL": "phong-trao/{slug}/{year}/",
    "MOVEMENT_YEAR_SAVE_AS": "phong-trao/{slug}/{year}/index.html",
    "MOVEMENT_FEED_ATOM": "feeds/{slug}.atom.xml",
    "MOVEMENT_FEED_ATOM_URL": None,  # defaults to MOVEMENT_FEED_ATOM
    # How many newest items each year shows on a movement's own page.
    "MOVEMENT_ITEMS_PER_YEAR": 5,
}


class Movement(URLWrapper):
    """One movement of the registry; URLs from ``MOVEMENT_URL``/``_SAVE_AS``."""

    def __init__(self, entry, settings, description_html=""):
        super().__init__(entry.name, settings)
        self.slug = entry.slug
        self.start = entry.start
        self.end = entry.end
        self.launched_by = entry.launched_by
        self.description = Markup(description_html)
        self.articles = []
        self.years = []

    @property
    def period(self) -> str:
        """ "2022–2025", or "từ 2022" when the movement has no end year."""
        if self.end is None:
            return f"từ {self.start}"
        if self.end == self.start:
            return str(self.start)
        return f"{self.start}–{self.end}"

    @property
    def feed_save_as(self):
        pattern = self.settings["MOVEMENT_FEED_ATOM"]
        return pattern.format(slug=self.slug) if pattern else None

    @property
    def feed_url(self):
        pattern = self.settings["MOVEMENT_FEED_ATOM_URL"] or self.settings["MOVEMENT_FEED_ATOM"]
        return pattern.format(slug=self.slug) if pattern else None


class MovementYear:
    """The articles of one movement in one year: ``/phong-trao/<slug>/<year>/``."""

    def __init__(self, movement, year, articles):
        self.movement = movement
        self.year = year
        self.articles = articles
        fields = {"slug": movement.slug, "year": year}
        self.url = movement.settings["MOVEMENT_YEAR_URL"].format(**fields)
        self.save_as = movement.settings["MOVEMENT_YEAR_SAVE_AS"].format(**fields)
        self.page_name = os.path.splitext(self.save_as)[0]

    def __repr__(self):
        return f"<MovementYear {self.movement.slug} {self.year}>"


def set_defaults(pelican) -> None:
    for key, value in DEFAULTS.items():
        pelican.settings.setdefault(key, value)


def load_movements(generator) -> None:
    settings = generator.settings
    path = os.path.join(generator.path, settings["MOVEMENTS_FILE"])
    shown = os.path.relpath(path, os.path.dirname(os.path.abspath(generator.path)))
    generator.movements = {}
    generator.movements_file = shown
    try:
        with open(path, "rb") as handle:
            text = handle.read().decode("utf-8-sig")
    except FileNotFoundError:
        add_problems(
            generator,
            [
                Problem(
                    shown,
                    0,
                    "Không có tệp danh mục phong trào",
                    'tạo tệp với mỗi phong trào một bảng: [slug] name = "…" start = 2023',
                )
            ],
        )
        return
    except UnicodeDecodeError:
        add_problems(
            generator,
            [Problem(shown, 0, "Tệp danh mục phong trào không phải UTF-8", "lưu lại bằng UTF-8")],
        )
        return
    registry, problems = load_registry(text, shown)
    add_problems(generator, problems)
    markdown = Markdown(output_format="html")
    generator.movement_registry = registry
    # Descriptions are Markdown written by editors: the same sanitiser as bodies.
    policy = policy_for(tuple(settings.get("SAFE_IFRAME_HOSTS", ())))
    lines = table_lines(text)
    for slug, entry in registry.entries.items():
        markup = markdown.reset().convert(entry.description) if entry.description else ""
        html = sanitize(markup, policy)
        add_problems(
            generator,
            [
                Problem(
                    shown,
                    lines.get(slug, 0),
                    f'Phong trào "[{slug}]", khóa "description": {removal.message}',
                    removal.hint,
                    removal.severity,
                )
                for removal in removed(markup, html, policy)
            ],
        )
        generator.movements[slug] = Movement(entry, settings, html)


def resolve_movements(generator, metadata) -> None:
    """``Movement: slug, Exact name`` → ``article.movements``."""
    source = metadata.get("bulletin_source")
    raw = metadata.get("movement")
    metadata["movements"] = []
    if source is None or not isinstance(raw, str) or not raw.strip():
        return  # a missing Movement is reported by the validation module
    registry = getattr(generator, "movement_registry", None)
    if registry is None:
        return  # the registry itself is broken and already reported
    entries, unknown = registry.split(raw)
    metadata["movements"] = [generator.movements[e.slug] for e in entries]
    problems = []
    for word in unknown:
        near = registry.suggestions(word)
        hint = (
            "có phải ý bạn là: " + ", ".join(near) + "?"
            if near
            else f"dùng slug hoặc tên chính xác của một phong trào trong {generator.movements_file}"
        )
        problems.append(
            Problem(
                source.path,
                source.line("movement"),
                f'{field_name("movement")}: "{word}" không có trong danh mục '
                f"{generator.movements_file}",
                hint,
            )
        )
    add_problems(generator, problems)


def group_articles(generator) -> None:
    movements = getattr(generator, "movements", {})
    for movement in movements.values():
        movement.articles = []
    for article in generator.articles:  # newest first (ARTICLE_ORDER_BY)
        for movement in getattr(article, "movements", []):
            movement.articles.append(article)
    for movement in movements.values():
        movement.articles.sort(key=newest_first)
        movement.years = [
            MovementYear(movement, year, list(items))
            for year, items in groupby(movement.articles, key=lambda a: a.date.year)
        ]
    generator.context["movements"] = sorted(movements.values(), key=lambda m: collation_key(m.name))


def write_movements(generator, writer) -> None:
    settings = generator.settings
    context = generator.context
    movements = context.get("movements", [])
    write = partial(writer.write_file, relative_urls=settings["RELATIVE_URLS"])
    write(
        settings["MOVEMENTS_SAVE_AS"],
        generator.get_template("movements"),
        context,
        template_name="movements",
        url=settings["MOVEMENTS_URL"],
        page_name=os.path.splitext(settings["MOVEMENTS_SAVE_AS"])[0],
    )
    movement_template = generator.get_template("movement")
    year_template = generator.get_template("movement_year")
    for movement in movements:
        write(
            movement.save_as,
            movement_template,
            context,
            movement=movement,
            template_name="movement",
            url=movement.url,
            page_name=movement.page_name,
        )
        for year in movement.years:
            write(
                year.save_as,
                year_template,
                context,
                movement=movement,
                movement_year=year,
                articles=year.articles,
                dates=year.articles,
                template_name="movement_year",
                url=year.url,
                page_name=year.page_name,
            )
        # An empty feed would carry the build time as <updated>: none until
        # the movement has news (the page shows no feed link until then).
        if movement.feed_save_as and movement.articles:
            writer.write_feed(
                movement.articles,
                context,
                movement.feed_save_as,
                movement.feed_url,
                feed_title=movement.name,
            )


def register() -> None:
    signals.initialized.connect(set_defaults)
    signals.article_generator_init.connect(load_movements)
    signals.article_generator_context.connect(resolve_movements)
    signals.article_generator_finalized.connect(group_articles)
    signals.article_writer_finalized.connect(write_movements)
