"""Video facades in articles: the signal glue of :mod:`bulletin.content.video`.

Connects:

- ``content_object_init`` (before ``bulletin.photos.generator``'s, which then
  makes the poster's ``<picture>``): :func:`expand_videos` validates each
  ``<figure class="video">`` again (an editor could write one by hand) and
  writes its facade — the poster (the article's ``Video_poster``, else its
  cover, else a neutral panel), the play button, the plain link — and an
  editor's ``<iframe>`` of an allowed player becomes one too, so nothing is
  fetched from YouTube or Facebook before the reader presses play.
  ``article.bulletin_videos`` lists the videos: ``article.html`` loads
  ``video.js`` only then. A page (no poster, no script) gets plain links.
- ``article_generator_context`` (one of
  ``bulletin.editor.checks.PER_FILE_CHECKS``): :func:`check_videos` — a
  ``Video_poster`` that is not a usable photo inside ``content/`` is an error
  naming the field; a video address whose id is not valid, a video with
  neither poster nor cover, a poster without video are warnings.
"""

from __future__ import annotations

import html
import os
import re

from markdown import Markdown
from pelican import signals
from pelican.contents import Article

from bulletin.content.model import ERROR, WARNING, Problem, field_name, read_header
from bulletin.content.validation import add_problems
from bulletin.content.video import VIDEO_MARKUP, Rejected, Video, facade, parse_video, plain
from bulletin.photos import library as photo_library
from bulletin.photos.library import LIBRARY_KEY
from bulletin.photos.markup import INTRASITE, local_path, parse_attributes
from bulletin.photos.plan import DEFAULTS as PHOTO_DEFAULTS
from bulletin.photos.problems import TEXTS, describe, locate_photo
from bulletin.photos.process import PhotoError

POSTER_KEY = "video_poster"


def library_of(holder):
    """The build's photo library, from a generator or a content (None in the
    web editor's check: photos are then examined one by one)."""
    context = getattr(holder, "context", None) or getattr(holder, "_context", None) or {}
    return context.get(LIBRARY_KEY)


def max_pixels(settings) -> int:
    return int(settings.get("PHOTO_MAX_PIXELS", PHOTO_DEFAULTS["PHOTO_MAX_PIXELS"]))


def photo_error(settings, library, folder: str, value: str):
    """Why the photo ``value`` (written in a file of ``folder``) cannot be
    published (a :class:`~bulletin.photos.process.PhotoError`), or None."""
    target, inside = locate_photo(settings["PATH"], folder, local_path(value))
    if not inside:
        return PhotoError("outside")
    if library is not None:
        found = library.inspect(target)
    else:
        found = photo_library.examine(target, max_pixels(settings))
    return found if isinstance(found, PhotoError) else None


FIRST_PHOTO = re.compile(r'<img\b[^>]*\bsrc="(?P<src>[{|](?:static|attach)[|}][^"]+)"')


def poster_source(content, library) -> str:
    """The poster as a ``{static}`` link the photo pipeline will make a
    ``<picture>`` of: ``Video_poster``, else the cover (``Cover``, else the
    first photo: the cover's own rule), else "" (a bad one is reported by the
    checks and leaves the neutral poster)."""
    wanted = str(content.metadata.get(POSTER_KEY) or content.metadata.get("cover") or "").strip()
    if not wanted:
        first = FIRST_PHOTO.search(content._content or "")
        wanted = html.unescape(first["src"]) if first else ""
    if not wanted or library is None:
        return ""
    folder = os.path.dirname(os.path.abspath(content.source_path))
    if photo_error(content.settings, library, folder, wanted) is not None:
        return ""
    return "{static}" + INTRASITE.sub("", wanted)


def frame_attributes(match: re.Match) -> dict:
    """The attributes of a :data:`VIDEO_MARKUP` match's ``<iframe>`` ({} for a figure)."""
    return dict(parse_attributes(f"<iframe {match['attrs']}>")) if match["attrs"] else {}


def expand_videos(content) -> None:
    """``content_object_init``: every video figure → its facade."""
    text = getattr(content, "_content", None)
    content.bulletin_videos = []
    if not text or ('class="video"' not in text and "<iframe" not in text):
        return
    # Articles only: a page's template loads no video.js, and has no poster.
    article = isinstance(content, Article)
    poster = poster_source(content, library_of(content)) if article else ""

    def replace(match: re.Match) -> str:
        if match["attrs"] is not None:  # an <iframe> the sanitiser let through
            attrs = frame_attributes(match)
            href, title = attrs.get("src") or "", html.escape(attrs.get("title") or "")
        else:
            href, title = html.unescape(match["href"]), match["title"]
        video = parse_video(href)
        if match["attrs"] is not None and not (article and isinstance(video, Video)):
            return match.group(0)  # another player of an allowed host, as today
        if not article or not isinstance(video, Video):  # e.g. written by hand: a link
            return f'<p><a href="{html.escape(href)}">{title or html.escape(href)}</a></p>'
        content.bulletin_videos.append(video)
        name = plain(title) or plain(str(content.title))
        img = f'<img src="{html.escape(poster)}" alt="">' if poster else ""
        return facade(video, name, img)

    content._content = VIDEO_MARKUP.sub(replace, text)


# --- Checks -------------------------------------------------------------------------

POSTER_HINT = (
    "chép ảnh vào thư mục anh/ cạnh bài viết và ghi đường dẫn, ví dụ "
    "Video_poster: anh/<tên bài>/anh-video.jpg (ảnh JPEG hoặc PNG)"
)


def videos_of(source, settings) -> list[tuple[str, Video | Rejected]]:
    """The videos (and rejected addresses) of one file, as the build reads
    it; Markdown runs again only for a text that names a video site."""
    lowered = source.text.lower()
    if not any(site in lowered for site in ("youtu", "facebook.com", "fb.watch")):
        return []
    size = read_header(source.text).size
    md = Markdown(**settings["MARKDOWN"])
    markup = md.convert("\n".join(source.text.split("\n")[size:]))
    found = list(getattr(md, "bulletin_videos", []))
    # An editor's player <iframe> becomes a facade too (expand_videos).
    for match in VIDEO_MARKUP.finditer(markup):
        src = frame_attributes(match).get("src") or ""
        if match["attrs"] is not None and isinstance(video := parse_video(src), Video):
            found.append((src, video))
    return found


def video_problems(generator, source) -> list[Problem]:
    """Every problem of one article's videos and ``Video_poster``."""
    problems = []
    poster = source.raw.get(POSTER_KEY, "").strip()
    folder = os.path.dirname(source.abspath)
    library = library_of(generator)
    if poster:
        error = photo_error(generator.settings, library, folder, poster)
        if error is not None:
            kind, detail = describe(error, max_pixels(generator.settings))
            text = TEXTS[kind].message.format(src=poster, detail=detail)
            problems.append(
                Problem(
                    source.path,
                    source.line(POSTER_KEY),
                    f"{field_name(POSTER_KEY)}: {text[:1].lower()}{text[1:]}",
                    POSTER_HINT,
                    ERROR,
                )
            )
    found = videos_of(source, generator.settings)
    for address, rejected in ((a, v) for a, v in found if isinstance(v, Rejected)):
        problems.append(
            Problem(
                source.path,
                source.find_line(address),
                f'Địa chỉ "{address[:120]}" không thành khung video: {rejected.reason}',
                "sao chép lại địa chỉ từ nút Chia sẻ của video; đoạn này vẫn được đăng "
                "như một liên kết thường",
                WARNING,
            )
        )
    videos = [address for address, v in found if isinstance(v, Video)]
    cover = source.raw.get("cover", "").strip() or any(i.is_local for i in source.images)
    if videos and not poster and not cover:
        problems.append(
            Problem(
                source.path,
                source.find_line(videos[0]),
                "Bài có video nhưng không có ảnh nền (Video_poster) hay ảnh đại diện (Cover): "
                "khung video sẽ là một ô màu trơn",
                "thêm dòng Video_poster: anh/<tên bài>/anh-video.jpg (một ảnh của chính "
                "video hoặc sự kiện)",
                WARNING,
            )
        )
    if poster and not videos:
        problems.append(
            Problem(
                source.path,
                source.line(POSTER_KEY),
                f"{field_name(POSTER_KEY)}: bài không có video nào để dùng ảnh này",
                "đặt địa chỉ video (YouTube hoặc Facebook) thành một đoạn riêng, hoặc bỏ dòng "
                "Video_poster",
                WARNING,
            )
        )
    return problems


def check_videos(generator, metadata) -> None:
    """``article_generator_context``: :func:`video_problems`, recorded."""
    source = metadata.get("bulletin_source")
    if source is None or not source.readable:
        return
    add_problems(generator, video_problems(generator, source))


def register() -> None:
    signals.article_generator_context.connect(check_videos)
    signals.content_object_init.connect(expand_videos)
