"""Old URLs keep working: a renamed article lists them in ``Redirect_from``.

``Redirect_from: /tin-tuc/2023/ten-cu/, /tin-tuc/2023/ten-cu-khac/`` writes a
small page at each old address that sends readers (and search engines, via
``rel=canonical`` and an instant refresh) to the article's current URL.

Connects ``article_generator_finalized`` (collects the redirects, reports a
redirect that would overwrite a real page) and ``article_writer_finalized``
(writes them with the ``redirect.html`` template).
"""

from __future__ import annotations

import posixpath
from urllib.parse import urlparse

from pelican import signals

from bulletin.content.model import Problem
from bulletin.content.urls import reserved_by, save_as_of
from bulletin.content.validation import add_problems
from bulletin.site.old_link_maps import has_query


def redirect_save_as(old: str) -> str | None:
    """``/tin-tuc/2023/ten-cu/`` → ``tin-tuc/2023/ten-cu/index.html``."""
    path = urlparse(old.strip()).path.strip()
    if not path or ".." in path.split("/"):
        return None
    path = path.lstrip("/")
    if not path:
        return None
    if path.endswith("/"):
        return path + "index.html"
    if posixpath.splitext(path)[1] in (".html", ".htm"):
        return path
    return path + "/index.html"


def collect_redirects(generator) -> None:
    taken = {save_as_of(a) for a in generator.articles}
    # Old article addresses live under the articles' own folder; every other
    # folder the site writes (admin/, tim-kiem/, feeds/…) is not an old URL.
    articles_folder = generator.settings["ARTICLE_SAVE_AS"].split("/", 1)[0]
    redirects, problems = {}, []
    for article in generator.articles:
        raw = getattr(article, "redirect_from", "") or ""
        source = article.bulletin_source
        for old in (part for part in raw.split(",") if part.strip()):
            if has_query(old):
                continue  # "/news/news?news_id=152": bulletin.site.old_links
            save_as = redirect_save_as(old)
            if save_as is None:
                problems.append(
                    Problem(
                        source.path,
                        source.line("redirect_from"),
                        f'Trường "Redirect_from": "{old.strip()}" không phải địa chỉ hợp lệ',
                        "viết đường dẫn cũ của bài, ví dụ /tin-tuc/2023/ten-cu/",
                    )
                )
            elif reserved := reserved_by(save_as, generator.settings, frozenset({articles_folder})):
                problems.append(
                    Problem(
                        source.path,
                        source.line("redirect_from"),
                        f'Trường "Redirect_from": "{old.strip()}" là địa chỉ của chính trang web '
                        f'("/{reserved}"), không thể dùng làm địa chỉ cũ',
                        "chỉ ghi địa chỉ cũ của bài này, ví dụ /tin-tuc/2023/ten-cu/",
                    )
                )
            elif save_as in taken or save_as in redirects:
                problems.append(
                    Problem(
                        source.path,
                        source.line("redirect_from"),
                        f'Trường "Redirect_from": địa chỉ "{old.strip()}" đang là một trang khác',
                        "chỉ ghi địa chỉ cũ không còn dùng",
                    )
                )
            else:
                redirects[save_as] = article
    add_problems(generator, problems)
    generator.redirects = redirects
    # Pages are read after articles: bulletin.content.validation checks them against these.
    generator.context["redirect_targets"] = {
        save_as: article.bulletin_source.path for save_as, article in redirects.items()
    }


def write_redirects(generator, writer) -> None:
    redirects = getattr(generator, "redirects", {})
    if not redirects:
        return
    template = generator.get_template("redirect")
    for save_as, article in sorted(redirects.items()):
        writer.write_file(
            save_as,
            template,
            generator.context,
            relative_urls=generator.settings["RELATIVE_URLS"],
            article=article,
            template_name="redirect",
        )


def register() -> None:
    signals.article_generator_finalized.connect(collect_redirects)
    signals.article_writer_finalized.connect(write_redirects)
