"""One article checked as ``invoke check`` would, before the web editor saves it.

Used by the editor's local server (:mod:`bulletin.editor.server`): the same
code as the build — the project's reader on the text, then the per-file
checks of :data:`PER_FILE_CHECKS` with the real ``content/`` — on one
article, without a build (:func:`check_article_text`); the JSON the page
reads (:func:`problems_json`); the slugs a new article may not take
(:func:`taken_slugs`). No HTTP here.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace

from bulletin.build.state import BuildState, with_state
from bulletin.content import addresses, validation, video_facades
from bulletin.content.model import ARTICLE_KEYS, ERROR, Problem, field_name, read_header
from bulletin.content.reader import BulletinMarkdownReader, display_path
from bulletin.content.report import soften, summary_line
from bulletin.content.vietnamese import build_now
from bulletin.editor.scaffold import taken_slugs as folder_slugs
from bulletin.site import movements

# The receivers of ``article_generator_context`` that check one article,
# called in this order by :func:`check_article_text` (bulletin.content.reader's read
# comes first); tests/editor/test_cms_server.py fails when a plugin connects a new one.
PER_FILE_CHECKS = (
    "bulletin.content.validation.check_article_metadata",
    "bulletin.site.movements.resolve_movements",
    "bulletin.content.video_facades.check_videos",
)


class CheckRequestError(ValueError):
    """A request the check cannot answer (its text says why, in Vietnamese)."""


def articles_folder(settings) -> str:
    return os.path.join(os.path.abspath(settings["PATH"]), "articles")


def article_target(settings, path: str) -> str:
    """The absolute path of ``content/articles/<…>.md`` (as Decap names the
    entry: relative to the repository); anything else is refused."""
    content = os.path.abspath(settings["PATH"])
    root = os.path.dirname(content)
    path = str(path or "").replace("\\", "/").lstrip("/")
    target = os.path.normpath(os.path.join(root, path))
    folder = articles_folder(settings)
    if not target.endswith(".md") or os.path.commonpath([target, folder]) != folder:
        raise CheckRequestError(f'"{path}" không phải là tệp bài viết trong content/articles/')
    return target


def check_article_text(settings, path: str, text: str, pending=()) -> list[Problem]:
    """Every problem ``invoke check`` would report in this one article if
    ``text`` were saved at ``path`` (``content/articles/<year>/<slug>.md``).

    The same code: the project's reader (decoding, header, dates, slug,
    Markdown, the sanitiser, photo references) on the text, then the
    per-file checks of :data:`PER_FILE_CHECKS` with the real ``content/``
    (photos that exist, the movements registry). ``pending`` names photos
    uploaded together with this save (not on disk yet): they are not
    reported missing. A ``Status: draft`` article's errors are warnings, as
    in ``check``. What needs the whole site (two articles with one address,
    the old addresses of ``Redirect_from``, ``{static}``/``{attach}`` files
    resolved by Pelican's static generator) is left to the build.
    """
    target = article_target(settings, path)
    content = os.path.abspath(settings["PATH"])
    # Photos decoded, as `check` does.
    settings = with_state(settings, BuildState(check_only=True))
    with tempfile.TemporaryDirectory(prefix="bulletin-check-") as scratch:
        # Outside content/ (the preview watches it); the reader opens a file.
        file = os.path.join(scratch, os.path.basename(target))
        with open(file, "wb") as handle:
            handle.write(str(text).encode("utf-8"))
        _html, metadata = BulletinMarkdownReader(settings).read(file)
        source = metadata["bulletin_source"]
        shown, scratch_shown = display_path(target, settings), source.path
        source.path, source.abspath = shown, target
        source.problems = [
            replace(p, path=shown) if p.path == scratch_shown else p for p in source.problems
        ]
        generator = SimpleNamespace(path=content, settings=settings, context={})
        movements.load_movements(generator)
        generator.bulletin_problems = []  # the registry's own problems are not this article's
        validation.check_article_metadata(generator, metadata)
        movements.resolve_movements(generator, metadata)
        video_facades.check_videos(generator, metadata)
        validation.add_problems(generator, published_address(settings, target, file, metadata))
    uploading = {os.path.basename(str(name)) for name in pending or ()}
    not_yet = {
        f'Không tìm thấy tệp ảnh "{image.src}"'
        for image in source.images
        if os.path.basename(image.src) in uploading
    }
    problems = {
        p for p in generator.bulletin_problems if p.path == shown and p.message not in not_yet
    }
    if source.raw.get("status", "").strip().lower() == "draft":
        problems = {soften(p) for p in problems}
    return sorted(problems, key=lambda p: (p.line, p.message))


def published_address(settings, target: str, file: str, metadata: dict) -> list[Problem]:
    """:func:`bulletin.content.addresses.address_problems` for one article: would
    this text move the address the file has in ``PUBLISHED_REF``?"""
    found = addresses.published_ref(os.path.dirname(target), settings.get("PUBLISHED_REF"))
    if found is None:
        return []
    top, commit = found
    relative = os.path.relpath(os.path.realpath(target), os.path.realpath(top))
    blob = addresses.read_blobs(top, commit, [relative.replace(os.sep, "/")])
    if not blob or not isinstance(metadata.get("date"), datetime):
        return []  # a new file, or a date reported already
    article = SimpleNamespace(
        bulletin_source=metadata["bulletin_source"],
        source_path=file,
        slug=metadata.get("slug", ""),
        date=metadata["date"],
        status=metadata.get("status", "published"),
        redirect_from=metadata.get("redirect_from", ""),
    )
    return addresses.address_problems(
        article, next(iter(blob.values())), settings, build_now(settings)
    )


def problem_field(problem: Problem, text: str) -> str:
    """The form field a problem is about: a metadata key, "body", or "" for
    a header line the form does not show (an unknown key)."""
    for key in ARTICLE_KEYS:
        if problem.message.startswith(field_name(key)):
            return key
    header = read_header(text.replace("\r\n", "\n").lstrip("\ufeff"))
    if problem.line > header.size:
        return "body"
    at = [key for key, line in header.lines.items() if line <= problem.line]
    key = max(at, key=header.lines.get) if at else ""
    return key if key in ARTICLE_KEYS else ""


def problems_json(problems: list[Problem], text: str) -> dict:
    size = read_header(text.replace("\r\n", "\n").lstrip("\ufeff")).size
    return {
        "problems": [
            {
                "field": problem_field(p, text),
                "line": p.line,
                # The body's own line numbers: what the editor sees in the box.
                "bodyLine": max(p.line - size - 1, 0),
                "message": p.message,
                "hint": p.hint,
                "severity": p.severity,
                "text": str(p),
            }
            for p in problems
        ],
        "errors": sum(p.severity == ERROR for p in problems),
        "summary": summary_line(problems),
    }


_SLUG_LINE = re.compile(r"^slug\s*:\s*(\S+)\s*$", re.IGNORECASE | re.MULTILINE)


def taken_slugs(settings, year: str) -> list[str]:
    """What a new article of ``year`` may not be called: the year folder's
    files, photo folders (:func:`bulletin.editor.scaffold.taken_slugs`) and the
    ``Slug:`` lines of its articles (their addresses)."""
    if not re.fullmatch(r"\d{4}", str(year)):
        raise CheckRequestError(f'"{year}" không phải là một năm')
    folder = Path(articles_folder(settings)) / str(year)
    taken = folder_slugs(folder)
    for path in folder.glob("*.md") if folder.is_dir() else ():
        with contextlib.suppress(OSError, UnicodeDecodeError):
            head = path.read_text(encoding="utf-8-sig").split("\n\n", 1)[0]
            taken |= set(_SLUG_LINE.findall(head))
    return sorted(taken)
