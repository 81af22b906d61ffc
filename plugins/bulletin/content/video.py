"""Video without third-party requests: a paragraph that is only a video's
address becomes a click-to-play facade. The pure part: addresses, Markdown, markup.

A paragraph that is only a YouTube or Facebook video URL — bare, ``<url>`` or
``[title](url)`` — is validated by :func:`parse_video` (strict ids: YouTube
``[A-Za-z0-9_-]{11}``, Facebook digits; every URL it gives is rebuilt from
them) and, as this module's ``MARKDOWN`` extension (before the sanitiser),
:class:`VideoTreeprocessor` makes it ``<figure class="video"><a
href="<the video on its site>">title</a></figure>``, markup the one sanitiser
lets through unchanged. An address on a video site whose id is not valid
stays the paragraph it was (``md.bulletin_videos`` lists both kinds, for the
checks). :mod:`bulletin.content.video_facades` turns each such figure into
:func:`facade` after the sanitiser: the poster, a ``<button>`` "Phát video:
<title>" that ``theme/static/js/video.js`` shows and replaces with the
player's ``<iframe>`` on click, and a plain link to the video. No Pelican, no
I/O here.

The players' hosts, :data:`PLAYER_HOSTS`, are what ``SAFE_IFRAME_HOSTS`` (the
sanitiser's iframe allow-list and the CSP's ``frame-src``) must allow.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as etree  # noqa: N813 - Python-Markdown's own alias
from dataclasses import dataclass
from urllib.parse import parse_qs, quote, urlsplit

from markdown import Extension
from markdown.treeprocessors import Treeprocessor

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
    # embed/videoseries?list=… is a playlist's player (11 letters, but no video id).
    if host != "youtu.be" and len(parts) == 2 and parts[0] in shapes:
        return parts[1] if parts[1] != "videoseries" else None
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
    if host in FACEBOOK_HOSTS and parts == ["plugins", "video.php"]:  # Facebook's own player
        inner = parse_video((query.get("href") or [""])[0])
        return None if isinstance(inner, Video) and inner.site != "Facebook" else inner
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


# --- Markdown -------------------------------------------------------------------


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


# --- The facade's markup (written after the sanitiser) ---------------------------

# The Markdown step's figure, as the sanitiser serialises it; or an editor's
# <iframe> of an allowed player (alone in its paragraph or not), which would
# load on opening the page: a facade too, when its address is a video's.
VIDEO_MARKUP = re.compile(
    r'<figure class="video">\s*<a href="(?P<href>[^"]*)">(?P<title>.*?)</a>\s*</figure>'
    r"|(?P<p><p>\s*)?<iframe\b(?P<attrs>[^>]*)>\s*</iframe>(?(p)\s*</p>)",
    re.S,
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
