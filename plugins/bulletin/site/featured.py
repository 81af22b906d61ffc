"""Tin tiêu điểm: the featured news block at the top of the home page.

Connects ``article_generator_finalized`` (after ``bulletin.content.ordering``
and ``bulletin.content.validation``): puts ``featured_articles`` into the
context — the published articles with ``Featured: yes`` whose
``Featured_until`` has not passed at the build's "now" (newest first, at most
:data:`FEATURED_MAX`), then the newest other articles up to that number: one
large item and three smaller. More featured at once than the block shows is a
warning on each article left out. Adds to the context's ``output_changes``
the ``Featured_until`` moments still ahead, so that an unchanged site is built
again when one passes (:func:`bulletin.build.uptodate.next_due`). The rules (yes/no, the date) are
:mod:`bulletin.content.desk`'s; a wrong value is reported there, and such an
article is not featured.
"""

from __future__ import annotations

from pelican import signals

from bulletin.content.dates import DateError
from bulletin.content.desk import featured_flag, featured_until
from bulletin.content.model import WARNING, Problem, field_name
from bulletin.content.validation import add_problems
from bulletin.content.vietnamese import build_now, localize

FEATURED_MAX = 4  # one large item, three smaller


def _until(metadata: dict):
    """The moment a featured article stops being featured, None if never;
    False when not featured (no flag, or a wrong date: reported by
    bulletin.content.desk)."""
    if not featured_flag(str(metadata.get("featured", ""))):
        return False
    until = metadata.get("featured_until")
    if not until:
        return None
    try:
        return localize(featured_until(str(until)))
    except DateError:
        return False


def is_featured(metadata: dict, now) -> bool:
    """``Featured: yes`` and, if given, ``Featured_until`` still ahead of ``now``."""
    until = _until(metadata)
    return until is None or (until is not False and until > now)


def featured_ends(articles, now) -> list:
    """The ``Featured_until`` moments still ahead of ``now``: the home page
    changes at each, with no file changed."""
    return sorted({until for a in articles if (until := _until(a.metadata)) and until > now})


def featured_block(articles, now, limit: int = FEATURED_MAX) -> tuple[list, list]:
    """(the block's articles, the featured ones left out). ``articles`` newest first."""
    featured = [a for a in articles if is_featured(a.metadata, now)]
    shown = featured[:limit]
    others = [a for a in articles if a not in shown]
    return shown + others[: limit - len(shown)], featured[limit:]


def collect(generator) -> None:
    now = build_now(generator.settings)
    block, left_out = featured_block(generator.articles, now)
    generator.context["featured_articles"] = block
    generator.context.setdefault("output_changes", []).extend(
        featured_ends(generator.articles, now)
    )
    problems = []
    for article in left_out:
        source = getattr(article, "bulletin_source", None)
        if source is None:
            continue
        problems.append(
            Problem(
                source.path,
                source.line("featured"),
                f"{field_name('featured')}: đang có hơn {FEATURED_MAX} tin tiêu điểm cùng lúc; "
                "bài này không hiện trong khối Tin tiêu điểm (chỉ "
                f"{FEATURED_MAX} tin mới nhất được hiện)",
                "bỏ dòng Featured ở các bài cũ, hoặc thêm Featured_until: <ngày> để bài tự hết "
                "tiêu điểm",
                WARNING,
            )
        )
    add_problems(generator, problems)


def register() -> None:
    signals.article_generator_finalized.connect(collect)
