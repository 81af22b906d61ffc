"""Published addresses never move: a check against the last published version.

An article is *published* when the same file path exists in a git revision
(``PUBLISHED_REF``; default: ``origin/HEAD`` or ``origin/main`` if the
repository has that remote branch, else ``HEAD``) and is not a draft nor
scheduled there. Its URL there is computed with the same rules as now
(:func:`bulletin.content.model.article_slug`, the year of ``Date``,
``ARTICLE_URL``). If the current URL differs and the old one is not in the
article's ``Redirect_from``, that is an error at the ``Title``, ``Slug`` or
``Date`` line, saying how to keep the address or redirect it. A published
article without a ``Slug:`` line gets a warning suggesting to pin it.

The revision is found with ``rev-parse``; then three git calls whatever the
archive's size: ``ls-tree`` (which files the revision has), ``diff
--name-only`` (which of them changed since) and one ``cat-file --batch`` for
the old bytes of the changed ones. No git, no repository, no such revision,
a new file: nothing to compare, no problem reported.

Connects ``article_generator_finalized`` (after ``bulletin.site.redirects``);
problems go through :func:`bulletin.content.validation.add_problems`.
"""

from __future__ import annotations

import logging
import os
import subprocess
from dataclasses import dataclass
from datetime import datetime

from pelican import signals

from bulletin.content.dates import DateError, parse_date
from bulletin.content.model import ERROR, WARNING, Problem, article_slug, read_header
from bulletin.content.reader import decode
from bulletin.content.validation import add_problems
from bulletin.content.vietnamese import build_now, localize
from bulletin.site.redirects import redirect_save_as

logger = logging.getLogger(__name__)

# Tried in order when PUBLISHED_REF is not set: what the remote publishes
# from, else the last commit.
DEFAULT_REFS = ("refs/remotes/origin/HEAD", "refs/remotes/origin/main", "HEAD")
GIT_TIMEOUT = 60  # seconds; a check of thousands of articles takes well under one


@dataclass(frozen=True)
class Published:
    """What the published version of one file says about its address."""

    url: str  # e.g. tin-tuc/2023/ten-cu/
    slug: str
    year: int


def article_url(settings, slug: str, date: datetime) -> str:
    """``ARTICLE_URL`` filled in as Pelican does for these fields."""
    return settings["ARTICLE_URL"].format_map(_Fields(slug=slug, date=date))


class _Fields(dict):
    def __missing__(self, key):  # a field the header cannot give: empty
        return ""


def published_version(text: str, settings, now: datetime) -> Published | None:
    """The address a published version of a file had; None if that version
    was a draft, scheduled after ``now``, or has no readable date."""
    header = read_header(text)
    raw = {key: "\n".join(values).strip() for key, values in header.meta.items()}
    if raw.get("status", "").strip().lower() == "draft":
        return None
    try:
        date = parse_date(raw.get("date", ""))
    except DateError:
        return None
    if localize(date) > now:
        return None
    slug = article_slug(raw.get("slug", ""), raw.get("title", ""))
    if not slug:
        return None
    return Published(article_url(settings, slug, date), slug, date.year)


def _git(args, cwd, stdin: bytes | None = None) -> bytes | None:
    """Run git; None if git is missing or fails (never an exception)."""
    try:
        result = subprocess.run(
            ["git", *args],
            cwd=cwd,
            input=stdin,
            capture_output=True,
            timeout=GIT_TIMEOUT,
            check=False,
            env=dict(os.environ, GIT_OPTIONAL_LOCKS="0", LC_ALL="C"),
        )
    except (OSError, subprocess.SubprocessError) as error:
        logger.debug("git %s: %s", args[0], error)
        return None
    if result.returncode != 0:
        logger.debug("git %s: %s", args[0], result.stderr.decode(errors="replace").strip())
        return None
    return result.stdout


def published_ref(folder: str, setting) -> tuple[str, str] | None:
    """(repository top folder, commit) to compare against, or None."""
    if setting is False or setting == "":
        return None
    top = _git(["rev-parse", "--show-toplevel"], folder)
    if top is None:
        return None
    for ref in [setting] if setting else DEFAULT_REFS:
        commit = _git(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], folder)
        if commit:
            return top.decode().strip(), commit.decode().strip()
    return None


def read_blobs(top: str, commit: str, paths: list[str]) -> dict[str, bytes]:
    """The bytes of each path (relative to ``top``) in ``commit``, read by
    one ``git cat-file --batch``; paths the commit does not have are left out."""
    paths = [p for p in paths if "\n" not in p]
    if not paths:
        return {}
    request = "".join(f"{commit}:{path}\n" for path in paths).encode()
    out = _git(["cat-file", "--batch"], top, stdin=request)
    if out is None:
        return {}
    blobs, position = {}, 0
    for path in paths:
        end = out.find(b"\n", position)
        if end < 0:
            break
        header = out[position:end].split()
        position = end + 1
        if len(header) != 3 or header[1] != b"blob" or not header[2].isdigit():
            continue  # "<name> missing", a folder…
        size = int(header[2])
        blobs[path] = out[position : position + size]
        position += size + 1  # the content, then a newline
    return blobs


def git_paths(args, top: str) -> set[str] | None:
    """The NUL-separated paths a git command prints (``-z``), or None."""
    out = _git(args, top)
    return None if out is None else {p for p in out.decode("utf-8", "replace").split("\0") if p}


def check_addresses(generator) -> None:
    settings = generator.settings
    found = published_ref(generator.path, settings.get("PUBLISHED_REF"))
    if found is None:
        return
    top, commit = found
    real_top = os.path.realpath(top)
    scope = os.path.relpath(os.path.realpath(generator.path), real_top)
    if scope.startswith(".."):
        return
    articles = {}
    for article in generator.articles + generator.drafts:
        source = getattr(article, "bulletin_source", None)
        if source is None or not source.readable:
            continue
        relative = os.path.relpath(os.path.realpath(article.source_path), real_top)
        articles[relative.replace(os.sep, "/")] = article
    # Three git calls whatever the archive's size: which files the revision
    # has, which of them differ in the working tree, then the old bytes of
    # those only (one cat-file for all of them).
    in_ref = git_paths(["ls-tree", "-r", "-z", "--name-only", commit, "--", scope], top)
    if in_ref is None:
        return
    published = sorted(in_ref.intersection(articles))
    changed = git_paths(
        ["diff", "-z", "--name-only", "--no-renames", "--no-ext-diff", commit, "--", scope], top
    )
    changed = set(published) if changed is None else changed.intersection(published)
    blobs = read_blobs(top, commit, sorted(changed))
    now = build_now(settings)
    problems = []
    for path in published:
        if path in changed and path not in blobs:
            continue  # could not be read: nothing to compare
        problems += address_problems(articles[path], blobs.get(path), settings, now)
    add_problems(generator, problems)
    logger.debug(
        "Addresses of %d articles compared with %s (%d changed)",
        len(published),
        commit[:12],
        len(changed),
    )


def address_problems(article, blob: bytes | None, settings, now: datetime) -> list[Problem]:
    """Problems of one article against its published bytes ``blob`` (None:
    the file did not change since)."""
    source = article.bulletin_source
    current = article_url(settings, article.slug, article.date)
    if blob is None:  # unchanged: published if it is published now
        published = getattr(article, "status", "") == "published"
    else:
        text, _problem, _hint = decode(blob)
        before = published_version(text, settings, now) if text is not None else None
        published = before is not None
        if published and current != before.url and not _redirected(article, before.url):
            return [moved(source, before, current, article.slug)]
    if published and "slug" not in source.lines:
        return [
            Problem(
                source.path,
                source.line("title"),
                f'Bài đã đăng ở "/{current}" nhưng chưa có dòng Slug: sửa tiêu đề sẽ đổi địa '
                "chỉ bài",
                f"thêm dòng Slug: {article.slug} để giữ địa chỉ",
                WARNING,
            )
        ]
    return []


def moved(source, published: Published, current: str, slug: str) -> Problem:
    """The error for a published article whose address would change to
    ``current``: at the line that moved it, with how to keep or redirect it."""
    if slug == published.slug:  # the year of Date changed
        line, keep = source.line("date"), f"giữ năm {published.year} ở dòng Date"
    elif "slug" in source.lines:
        line, keep = source.line("slug"), f"sửa lại thành Slug: {published.slug}"
    else:
        line, keep = source.line("title"), f"thêm dòng Slug: {published.slug}"
    return Problem(
        source.path,
        line,
        f'Bài đã đăng ở "/{published.url}"; sửa như vậy sẽ đổi địa chỉ bài thành "/{current}"',
        f"{keep} để giữ địa chỉ, hoặc thêm Redirect_from: /{published.url} nếu muốn đổi",
        ERROR,
    )


def _redirected(article, old_url: str) -> bool:
    wanted = redirect_save_as("/" + old_url)
    raw = getattr(article, "redirect_from", "") or ""
    return any(redirect_save_as(part) == wanted for part in raw.split(",") if part.strip())


def register() -> None:
    signals.article_generator_finalized.connect(check_addresses)
