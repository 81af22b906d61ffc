"""Video without third-party requests: a paragraph that is only a video's
address becomes a click-to-play facade.

A paragraph that is only a YouTube or Facebook video URL — bare, ``<url>`` or
``[title](url)`` — is read in three steps:

1. **Markdown** (this module as a ``MARKDOWN`` extension, before the
   sanitiser): :class:`VideoTreeprocessor` validates the address
   (:func:`parse_video`: strict ids, YouTube ``[A-Za-z0-9_-]{11}``) and turns
   the paragraph into ``<figure class="video"><a href="<canonical URL>">title
   </a></figure>`` — markup the one sanitiser lets through unchanged. An
   address on a video site that is not a video stays the paragraph it was.
2. **Facade** (``content_object_init``, connected before
   ``bulletin.photos.generator``'s, which then makes the poster's
   ``<picture>``): :func:`expand_videos` validates each such figure again (an
   editor could write one by hand) and writes the facade: the poster (the
   article's ``Video_poster``, else its cover, else a neutral panel), a
   ``<button>`` "Phát video: <title>" that ``theme/static/js/video.js`` shows
   and that replaces the facade with the player's ``<iframe>`` on click, and
   a plain link to the video on its site for readers without JavaScript.
   Nothing is fetched from YouTube or Facebook, at build or read time, before
   that click. ``article.bulletin_videos`` lists the videos (the template
   loads ``video.js`` only then).
3. **Checks** (``article_generator_context``, one of
   ``bulletin.editor.checks.PER_FILE_CHECKS``): :func:`check_videos` — a
   ``Video_poster`` that is not a usable photo inside ``content/`` is an
   error; an address on a video site whose id is not valid, an article with a
   video and neither poster nor cover, a poster without video are warnings.

The hosts of the players are ``SAFE_IFRAME_HOSTS`` (the sanitiser's iframe
allow-list and the CSP's ``frame-src``): :data:`PLAYER_HOSTS` must be in it.
"""

from __future__ import annotations

import html
import os
import re
import xml.etree.ElementTree as etree  # noqa: N813 - Python-Markdown's own alias
from dataclasses import dataclass
from urllib.parse import parse_qs, quote, urlsplit

from markdown import Extension, Markdown
from markdown.treeprocessors import Treeprocessor
from pelican import signals
from pelican.contents import Article

from bulletin.content.model import ERROR, WARNING, Problem, field_name
from bulletin.content.validation import add_problems

POSTER_KEY = "video_poster"
# The players' hosts: what SAFE_IFRAME_HOSTS must allow (tested).
PLAYER_HOSTS = ("www.youtube-nocookie.com", "www.facebook.com")

YOUTUBE_HOSTS = frozenset({"youtube.com", "www.youtube.com", "m.youtube.com", "music.youtube.com"})
NOCOOKIE_HOSTS = frozenset({"youtube-nocookie.com", "www.youtube-nocookie.com"})
FACEBOOK_HOSTS = frozenset(
    {"facebook.com", "www.facebook.com", "m.facebook.com", "web.facebook.com"}
)
VIDEO_HOSTS = YOUTUBE_HOSTS | NOCOOKIE_HOSTS | FACEBOOK_HOSTS | {"youtu.be", "fb.watch"}
YOUTUBE_ID = re.compile(r"[A-Za-z0-9_-]{11}")
FACEBOOK_ID = re.compile(r"[0-9]{5,25}")
FB_WATCH_ID = re.compile(r"[A-Za-z0-9_-]{5,25}")
FACEBOOK_PAGE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,79}")
# t=90, t=90s, t=1m30s, t=1h2m3s (YouTube's share links); start=90 (embeds).
START = re.compile(r"(?:(?P<h>\d{1,2})h)?(?:(?P<m>\d{1,4})m)?(?:(?P<s>\d{1,6})s?)?")
ID_HINT = 'mã video YouTube gồm đúng 11 ký tự chữ, số, "-" hoặc "_"'
FB_HINT = 'mã video Facebook là một dãy chữ số; của fb.watch là chữ, số, "-" hoặc "_"'


@dataclass(frozen=True)
class Video:
    """A video as the facade needs it; every URL rebuilt from validated parts."""

    site: str  # "YouTube" or "Facebook", as readers know them
    url: str  # the video on its site: the no-script link
    embed: str  # the player the click loads

    @property
    def kind(self) -> str:
        return self.site.lower()


@dataclass(frozen=True)
class Rejected:
    """An address on a video site that is not a video we can show: why."""

    reason: str


def _start(query: dict) -> int | None:
    """Seconds from ``t=``/``start=``; 0 when absent, None when unreadable."""
    value = (query.get("t") or query.get("start") or [""])[0].strip()
    match = START.fullmatch(value)
    if match is None:
        return None
    return int(match["h"] or 0) * 3600 + int(match["m"] or 0) * 60 + int(match["s"] or 0)


def _youtube(host: str, parts: list[str], query: dict) -> str | None:
    """The id as written in a YouTube video's address; None for other pages."""
    # youtube-nocookie.com serves players only; youtube.com pages and players.
    shapes = ("embed",) if host in NOCOOKIE_HOSTS else ("embed", "shorts", "live")
    if host == "youtu.be" and len(parts) == 1:
        return parts[0]
    if host in YOUTUBE_HOSTS and parts == ["watch"]:
        return (query.get("v") or [""])[0]
    if host != "youtu.be" and len(parts) == 2 and parts[0] in shapes:
        return parts[1]
    return None


def _facebook(host: str, parts: list[str], query: dict) -> tuple[str, str, re.Pattern] | None:
    """(id as written, canonical address with {} for it, the id's pattern)."""
    if host == "fb.watch":
        return (parts[0], "https://fb.watch/{}/", FB_WATCH_ID) if len(parts) == 1 else None
    if parts == ["watch"]:
        return (query.get("v") or [""])[0], "https://www.facebook.com/watch/?v={}", FACEBOOK_ID
    if len(parts) == 3 and parts[1] == "videos" and FACEBOOK_PAGE.fullmatch(parts[0]):
        return parts[2], f"https://www.facebook.com/{parts[0]}/videos/{{}}/", FACEBOOK_ID
    return None


def parse_video(url: str) -> Video | Rejected | None:
    """``url`` as a :class:`Video`; :class:`Rejected` for a video's address
    that is not valid; None for any other address (not a video: not ours)."""
    try:
        address = urlsplit(url.strip())
        host = (address.hostname or "").lower()
    except ValueError:  # "http://[::1" and the like: not an address
        return None
    if address.scheme.lower() not in ("http", "https") or host not in VIDEO_HOSTS:
        return None
    parts = [part for part in address.path.split("/") if part]
    query = parse_qs(address.query)
    if host in FACEBOOK_HOSTS or host == "fb.watch":
        found = _facebook(host, parts, query)
        if found is None:
            return None
        candidate, canonical, pattern = found
        if not pattern.fullmatch(candidate):
            return Rejected(f'mã video Facebook "{candidate[:40]}" không hợp lệ ({FB_HINT})')
        canonical = canonical.format(candidate)
        player = "https://www.facebook.com/plugins/video.php?href="
        return Video("Facebook", canonical, f"{player}{quote(canonical, safe='')}&autoplay=true")
    candidate = _youtube(host, parts, query)
    if candidate is None:
        return None
    if not YOUTUBE_ID.fullmatch(candidate):
        return Rejected(f'mã video "{candidate[:40]}" không hợp lệ ({ID_HINT})')
    start = _start(query)
    if start is None:
        return Rejected("thời điểm bắt đầu (t=) không đọc được; viết dạng t=90 hoặc t=1m30s")
    return Video(
        "YouTube",
        f"https://www.youtube.com/watch?v={candidate}" + (f"&t={start}s" if start else ""),
        f"https://www.youtube-nocookie.com/embed/{candidate}?autoplay=1"
        + (f"&start={start}" if start else ""),
    )


# --- 1. Markdown -------------------------------------------------------------------


def paragraph_address(paragraph: etree.Element) -> tuple[str, str] | None:
    """(address, title) of a paragraph that is only an address: bare, ``<url>``
    or ``[title](url)`` (the title is "" when the link text is the address)."""
    text = (paragraph.text or "").strip()
    if len(paragraph) == 0:
        # Markdown's placeholders (STX, ETX) stand for raw HTML: not an address.
        plain_address = text and not any(c.isspace() or c in "\x02\x03" for c in text)
        return (text, "") if plain_address else None
    if len(paragraph) != 1 or text or (paragraph[0].tail or "").strip():
        return None
    link = paragraph[0]
    if link.tag != "a" or not link.get("href"):
        return None
    title = " ".join("".join(link.itertext()).split())
    href = link.get("href", "")
    return href, ("" if title in (href, "") else title)


class VideoTreeprocessor(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        for paragraph in list(root.iter("p")):
            found = paragraph_address(paragraph)
            video = parse_video(found[0]) if found else None
            if video is None:
                continue
            self.md.bulletin_videos.append((found[0], video))
            if isinstance(video, Rejected):
                continue  # stays the link or text it was; check_videos warns
            paragraph.clear()
            paragraph.tag = "figure"
            paragraph.set("class", "video")
            link = etree.SubElement(paragraph, "a", {"href": video.url})
            link.text = found[1]


class VideoExtension(Extension):
    def extendMarkdown(self, md):  # noqa: N802 - Markdown's API name
        self.md = md
        md.bulletin_videos = []
        md.registerExtension(self)
        # After the inline patterns (20) have made the links, like figures (15).
        md.treeprocessors.register(VideoTreeprocessor(md), "bulletin_video", 14)

    def reset(self):
        self.md.bulletin_videos = []


def makeExtension(**kwargs):  # noqa: N802 - Markdown's API name
    return VideoExtension(**kwargs)


# --- 2. The facade (after the sanitiser) ----------------------------------------------

# The Markdown step's figure, as the sanitiser serialises it.
VIDEO_FIGURE = re.compile(
    r'<figure class="video">\s*<a href="(?P<href>[^"]*)">(?P<title>.*?)</a>\s*</figure>', re.S
)
_TAGS = re.compile(r"<[^>]*>")


def plain(markup: str) -> str:
    """Sanitised, typogrified HTML as the text a reader sees (one line)."""
    return " ".join(html.unescape(_TAGS.sub("", markup)).split())


def facade(video: Video, title: str, poster: str) -> str:
    """The facade's HTML: ``poster`` an ``<img>`` of our own photos or "".

    The button is ``hidden`` until video.js shows it: without script it
    would do nothing, and the link below is the way to the video.
    """
    attr = lambda value: html.escape(value, quote=True)  # noqa: E731
    label = f"Phát video: {title}"
    picture = poster or '<span class="video__poster video__poster--none"></span>'
    return (
        f'<figure class="video video--{video.kind}" data-video-embed="{attr(video.embed)}"'
        f' data-video-title="{attr(title)}">'
        f'<div class="video__frame">{picture}'
        f'<button class="video__play" type="button" aria-label="{attr(label)}" hidden>'
        '<span class="video__icon" aria-hidden="true"></span>'
        '<span class="video__label" aria-hidden="true">Phát video</span></button></div>'
        f'<figcaption class="video__caption"><a class="video__link" href="{attr(video.url)}">'
        f"{html.escape(title, quote=False)}</a> "
        f'<span class="video__site">(video trên {video.site})</span></figcaption></figure>'
    )


def library_of(holder):
    """The build's photo library, from a generator or a content (None in the
    web editor's check: photos are then examined one by one)."""
    from bulletin.photos.library import LIBRARY_KEY  # noqa: PLC0415 - photos imports content

    context = getattr(holder, "context", None) or getattr(holder, "_context", None) or {}
    return context.get(LIBRARY_KEY)


def photo_error(settings, library, folder: str, value: str):
    """Why the photo ``value`` (written in a file of ``folder``) cannot be
    published (a :class:`~bulletin.photos.process.PhotoError`), or None."""
    from bulletin.photos import library as photo_library  # noqa: PLC0415
    from bulletin.photos.markup import local_path  # noqa: PLC0415
    from bulletin.photos.problems import locate_photo  # noqa: PLC0415
    from bulletin.photos.process import PhotoError  # noqa: PLC0415

    target, inside = locate_photo(settings["PATH"], folder, local_path(value))
    if not inside:
        return PhotoError("outside")
    if library is not None:
        found = library.inspect(target)
    else:
        found = photo_library.examine(target, int(settings.get("PHOTO_MAX_PIXELS", 60_000_000)))
    return found if isinstance(found, PhotoError) else None


FIRST_PHOTO = re.compile(r'<img\b[^>]*\bsrc="(?P<src>[{|](?:static|attach)[|}][^"]+)"')


def poster_source(content, library) -> str:
    """The poster as a ``{static}`` link the photo pipeline will make a
    ``<picture>`` of: ``Video_poster``, else the cover (``Cover``, else the
    first photo: the cover's own rule), else "" (a bad one is reported by the
    checks and leaves the neutral poster)."""
    from bulletin.photos.markup import INTRASITE  # noqa: PLC0415

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


def expand_videos(content) -> None:
    """``content_object_init``: every video figure → its facade."""
    text = getattr(content, "_content", None)
    content.bulletin_videos = []
    if not text or 'class="video"' not in text:
        return
    # Articles only: a page's template loads no video.js, and has no poster.
    article = isinstance(content, Article)
    poster = poster_source(content, library_of(content)) if article else ""

    def replace(match: re.Match) -> str:
        href, title = html.unescape(match["href"]), match["title"]
        video = parse_video(href)
        if not article or not isinstance(video, Video):  # e.g. written by hand: a link
            return f'<p><a href="{html.escape(href)}">{title or html.escape(href)}</a></p>'
        content.bulletin_videos.append(video)
        name = plain(title) or plain(str(content.title))
        img = f'<img src="{html.escape(poster)}" alt="">' if poster else ""
        return facade(video, name, img)

    content._content = VIDEO_FIGURE.sub(replace, text)


# --- 3. Checks ----------------------------------------------------------------------

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
    from bulletin.content.model import read_header  # noqa: PLC0415

    size = read_header(source.text).size
    md = Markdown(**settings["MARKDOWN"])
    md.convert("\n".join(source.text.split("\n")[size:]))
    return list(getattr(md, "bulletin_videos", []))


def video_problems(generator, source, metadata) -> list[Problem]:
    """Every problem of one article's videos and ``Video_poster``."""
    from bulletin.photos.problems import TEXTS, describe  # noqa: PLC0415

    problems = []
    poster = source.raw.get(POSTER_KEY, "").strip()
    folder = os.path.dirname(source.abspath)
    library = library_of(generator)
    if poster:
        error = photo_error(generator.settings, library, folder, poster)
        if error is not None:
            kind, detail = describe(error, int(generator.settings.get("PHOTO_MAX_PIXELS", 0)))
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
    add_problems(generator, video_problems(generator, source, metadata))


def register() -> None:
    signals.article_generator_context.connect(check_videos)
    signals.content_object_init.connect(expand_videos)
