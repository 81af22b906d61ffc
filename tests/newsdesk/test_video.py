"""Video without third-party requests (issue 16, item 4): a paragraph that is
only a YouTube or Facebook video's address becomes a click-to-play facade
(bulletin.content.video) — poster from our own photos, a hidden play button
video.js shows, a plain link to the video, and no iframe in the page."""

from __future__ import annotations

import io
import re
import shutil

import pytest
from helpers import ROOT, build, copy_fixture_site, make_photo, page, settings_for
from markdown import Markdown

import pelicanconf
from bulletin.build.main import check_site
from bulletin.content.video import PLAYER_HOSTS, Rejected, Video, parse_video

SAMPLE = "tin-tuc/2023/nhieu-nha-dau-tu-den-tim-hieu-co-hoi-dau-tu-vao-kcn-thanh-binh/"
SAMPLE_TITLE = "Video minh họa: “Me at the zoo”, đoạn phim đầu tiên đăng trên YouTube (2005)"
WATCH = "https://www.youtube.com/watch?v=jNQXAC9IVRw"
PLAYER = "https://www.youtube-nocookie.com/embed/jNQXAC9IVRw?autoplay=1"


@pytest.mark.parametrize(
    ("address", "url", "embed"),
    [
        (WATCH, WATCH, PLAYER),
        ("https://youtu.be/jNQXAC9IVRw", WATCH, PLAYER),
        ("http://m.youtube.com/watch?v=jNQXAC9IVRw&si=abc&feature=share", WATCH, PLAYER),
        ("https://www.youtube.com/shorts/jNQXAC9IVRw", WATCH, PLAYER),
        ("https://www.youtube.com/embed/jNQXAC9IVRw", WATCH, PLAYER),
        ("https://www.youtube-nocookie.com/embed/jNQXAC9IVRw/", WATCH, PLAYER),
        ("https://youtu.be/jNQXAC9IVRw?t=90", WATCH + "&t=90s", PLAYER + "&start=90"),
        ("https://youtu.be/jNQXAC9IVRw?t=1m30s", WATCH + "&t=90s", PLAYER + "&start=90"),
        ("https://www.youtube.com/embed/jNQXAC9IVRw?start=5", WATCH + "&t=5s", PLAYER + "&start=5"),
        (
            "https://www.facebook.com/TruyenhinhBacKan/videos/1234567890/",
            "https://www.facebook.com/TruyenhinhBacKan/videos/1234567890/",
            "https://www.facebook.com/plugins/video.php?href=https%3A%2F%2Fwww.facebook.com"
            "%2FTruyenhinhBacKan%2Fvideos%2F1234567890%2F&autoplay=true",
        ),
        (
            "https://m.facebook.com/watch/?v=10153231379946729",
            "https://www.facebook.com/watch/?v=10153231379946729",
            "https://www.facebook.com/plugins/video.php?href=https%3A%2F%2Fwww.facebook.com"
            "%2Fwatch%2F%3Fv%3D10153231379946729&autoplay=true",
        ),
        (
            "https://fb.watch/aBcD12_-x/",
            "https://fb.watch/aBcD12_-x/",
            "https://www.facebook.com/plugins/video.php?href=https%3A%2F%2Ffb.watch%2FaBcD12_-x%2F"
            "&autoplay=true",
        ),
    ],
)
def test_video_addresses(address, url, embed):
    video = parse_video(address)
    assert isinstance(video, Video)
    assert (video.url, video.embed) == (url, embed)


@pytest.mark.parametrize(
    "address",
    [
        "https://youtu.be/jNQXAC9IVR",  # 10 characters
        "https://youtu.be/jNQXAC9IVRww",  # 12
        "https://www.youtube.com/watch?v=jNQXAC9IVR%3D",
        "https://www.youtube.com/watch?v=%3Cscript%3Ealert(1)%3C/script%3E",
        "https://www.youtube.com/watch?v=jNQXAC9IVRw%22onload=%22x",
        "https://www.youtube.com/watch",
        "https://youtu.be/jNQXAC9IVRw?t=soon",
        "https://www.facebook.com/watch/?v=abc",
        "https://www.facebook.com/page/videos/12ab34/",
        "https://fb.watch/a/",
    ],
)
def test_invalid_video_ids_are_rejected(address):
    assert isinstance(parse_video(address), Rejected)


@pytest.mark.parametrize(
    "address",
    [
        "https://www.youtube.com/@TruyenhinhBacKan",  # a channel: a link like any other
        "https://www.facebook.com/TruyenhinhBacKan",
        "https://www.youtube-nocookie.com/shorts/jNQXAC9IVRw",
        "https://www.youtube-nocookie.com/embed/videoseries?list=PL0",  # a playlist's player
        "https://example.com/watch?v=jNQXAC9IVRw",
        "https://www.youtube.com.example.com/watch?v=jNQXAC9IVRw",
        "javascript:alert(1)//youtu.be/jNQXAC9IVRw",
        "ftp://youtu.be/jNQXAC9IVRw",
        "http://[::1",
    ],
)
def test_other_addresses_are_not_videos(address):
    assert parse_video(address) is None


def render(body: str) -> str:
    return Markdown(**pelicanconf.MARKDOWN).convert(body)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (WATCH, f'<figure class="video"><a href="{WATCH}"></a></figure>'),
        (f"<{WATCH}>", f'<figure class="video"><a href="{WATCH}"></a></figure>'),
        (
            f"[Phóng sự & tin]({WATCH})",
            f'<figure class="video"><a href="{WATCH}">Phóng sự &amp; tin</a></figure>',
        ),
        # A sentence with an address in it, an invalid id: left as written.
        (f"Xem {WATCH} nhé", f"<p>Xem {WATCH} nhé</p>"),
        ("https://youtu.be/abc", "<p>https://youtu.be/abc</p>"),
        ("https://example.com/a", "<p>https://example.com/a</p>"),
    ],
)
def test_markdown_makes_a_video_figure(body, expected):
    assert render(body) == expected


# --- the sample site ---------------------------------------------------------------------


def test_sample_facade(sample_site):
    soup = page(sample_site, SAMPLE)
    body = soup.select_one(".article__body")
    figures = body.select("figure.video")
    assert len(figures) == 1
    figure = figures[0]
    assert figure["data-video-embed"] == PLAYER
    assert figure["data-video-title"] == SAMPLE_TITLE
    # The play button: a real button, named for the video, shown by video.js.
    button = figure.select_one("button.video__play")
    assert button["type"] == "button" and button.has_attr("hidden")
    assert button["aria-label"] == f"Phát video: {SAMPLE_TITLE}"
    # Without script: a plain link to the video on YouTube.
    link = figure.select_one("figcaption a.video__link")
    assert link["href"] == WATCH and link.get_text() == SAMPLE_TITLE
    # Nothing of YouTube's is loaded by the page.
    assert not soup.find("iframe")
    for tag in soup.find_all(src=True):
        assert "youtube" not in tag["src"] and "facebook" not in tag["src"], tag
    for tag in soup.find_all(srcset=True):
        assert "youtube" not in tag["srcset"], tag


def test_sample_poster_is_our_photo(sample_site):
    figure = page(sample_site, SAMPLE).select_one("figure.video")
    img = figure.select_one(".video__frame picture img")
    assert img["alt"] == ""  # the button names the video
    assert img["src"].startswith("anh/gach-xay-")
    folder = sample_site / SAMPLE
    for candidate in [img["src"]] + [c.split()[0] for c in img["srcset"].split(",")]:
        assert (folder / candidate).is_file(), candidate
    for source in figure.select("picture source"):
        for candidate in source["srcset"].split(","):
            assert (folder / candidate.split()[0]).is_file()


def test_script_only_on_pages_with_a_video(sample_site):
    def scripts(url: str) -> list[str]:
        return [s["src"] for s in page(sample_site, url).find_all("script", src=True)]

    assert any(src.endswith("theme/js/video.js") for src in scripts(SAMPLE))
    other = "tin-tuc/2023/phat-dong-phong-trao-thi-dua-nam-2023/"
    for url in (other, "", "tim-kiem/"):
        assert not any("video.js" in src for src in scripts(url)), url
    assert (sample_site / "theme" / "js" / "video.js").is_file()


def test_csp_frames_only_the_players(sample_site):
    meta = page(sample_site, SAMPLE).find("meta", attrs={"http-equiv": "Content-Security-Policy"})
    frame = next(d for d in meta["content"].split(";") if d.strip().startswith("frame-src"))
    assert frame.split()[1:] == ["https://www.facebook.com", "https://www.youtube-nocookie.com"]


# --- a site with every case ----------------------------------------------------------------

ARTICLE = """Title: Phóng sự & video
Date: 2023-06-05 09:00
Author: Thu Hà
Movement: dan-van-kheo
{header}
Mở đầu.

{body}
"""


@pytest.fixture(scope="module")
def cases(tmp_path_factory):
    root = tmp_path_factory.mktemp("video-cases")
    content = copy_fixture_site(root)
    folder = content / "articles" / "2023"
    make_photo(folder / "anh" / "video" / "anh-nen.jpg", color=(20, 60, 160))
    make_photo(folder / "anh" / "video" / "bia.jpg", color=(20, 160, 60))
    articles = {
        "poster": ("Video_poster: anh/video/anh-nen.jpg\n", f"{WATCH}&t=30"),
        "cover": ("Cover: anh/video/bia.jpg\nSlug: bia\n", "https://fb.watch/aBcD12_-x/"),
        "none": ("Slug: none\n", "https://youtu.be/jNQXAC9IVRw\n\nhttps://youtu.be/bad"),
        "hand": (
            "Slug: hand\nVideo_poster: anh/video/anh-nen.jpg\n",
            f'{WATCH}\n\n<figure class="video"><a href="https://example.com/x">Trang khác</a>'
            "</figure>",
        ),
        "frame": (
            "Slug: frame\nVideo_poster: anh/video/anh-nen.jpg\n",
            '<iframe src="https://www.youtube-nocookie.com/embed/jNQXAC9IVRw"></iframe>',
        ),
        "no-video": ("Slug: no-video\nVideo_poster: anh/video/anh-nen.jpg\n", "Không có video."),
    }
    for name, (header, body) in articles.items():
        text = ARTICLE.format(header=header, body=body)
        if name == "poster":
            text = text.replace("Title: Phóng sự & video", "Title: Phóng sự có ảnh nền")
        (folder / f"video-{name}.md").write_text(text, encoding="utf-8")
    shutil.copy(folder / "video-poster.md", content / "pages" / "trang-video.md")
    page_text = (content / "pages" / "trang-video.md").read_text(encoding="utf-8")
    page_text = "\n".join(
        line
        for line in page_text.splitlines()
        if not line.startswith(("Date:", "Author:", "Movement:", "Video_poster:"))
    )
    (content / "pages" / "trang-video.md").write_text(
        page_text.replace("Title: Phóng sự có ảnh nền", "Title: Trang video\nSlug: trang-video"),
        encoding="utf-8",
    )
    output = root / "output"
    code, report = build(content, output)
    assert code == 0, report
    stream = io.StringIO()  # the warnings, as `invoke check` prints them
    check_site(settings_for(content, root / "checked"), stream=stream)
    return output, stream.getvalue()


def test_title_is_the_article_title_for_a_bare_address(cases):
    output, _ = cases
    figure = page(output, "tin-tuc/2023/phong-su-co-anh-nen/").select_one("figure.video")
    assert figure.button["aria-label"] == "Phát video: Phóng sự có ảnh nền"
    assert figure.select_one("a.video__link")["href"] == WATCH + "&t=30s"
    assert figure["data-video-embed"] == PLAYER + "&start=30"
    assert figure.img["src"].startswith("anh/anh-nen-")


def test_cover_is_the_poster_without_video_poster(cases):
    output, _ = cases
    figure = page(output, "tin-tuc/2023/bia/").select_one("figure.video")
    assert "video--facebook" in figure["class"]
    assert figure.img["src"].startswith("anh/bia-")
    assert figure.select_one("a.video__link")["href"] == "https://fb.watch/aBcD12_-x/"
    assert figure.button["aria-label"] == "Phát video: Phóng sự & video"


def test_neutral_poster_and_invalid_id(cases):
    output, report = cases
    soup = page(output, "tin-tuc/2023/none/")
    figure = soup.select_one("figure.video")
    assert not figure.find("img")
    assert figure.select_one(".video__poster--none") is not None
    # The invalid id stays text, with a warning; no facade for it.
    assert len(soup.select("figure.video")) == 1
    assert "https://youtu.be/bad" in soup.select_one(".article__body").get_text()
    assert (
        'content/articles/2023/video-none.md:11: cảnh báo: Địa chỉ "https://youtu.be/bad" '
        "không thành khung video"
    ) in report
    assert "content/articles/2023/video-none.md:9: cảnh báo: Bài có video nhưng không có" in report


def test_poster_without_video_is_a_warning(cases):
    output, report = cases
    assert (
        'video-no-video.md:6: cảnh báo: Trường "Video_poster" (ảnh nền video): bài không có '
        "video nào"
    ) in report
    assert "video-frame.md:6" not in report  # its <iframe> is a video: a facade
    figure = page(output, "tin-tuc/2023/frame/").select_one("figure.video")
    assert figure.img["src"].startswith("anh/anh-nen-")


def test_hand_written_figure_is_checked_again(cases):
    output, _ = cases
    soup = page(output, "tin-tuc/2023/hand/")
    assert len(soup.select("figure.video")) == 1
    link = soup.find("a", href="https://example.com/x")
    assert link.get_text() == "Trang khác" and link.find_parent("figure") is None


def test_pages_get_a_plain_link(cases):
    output, _ = cases
    soup = page(output, "trang-video/")
    assert not soup.select("figure.video") and not soup.find("button", class_="video__play")
    # The video's address, as the facade's link gives it (t=30 → t=30s).
    assert soup.find("a", href=WATCH + "&t=30s").get_text() == WATCH + "&t=30s"
    assert not any("video.js" in s["src"] for s in soup.find_all("script", src=True))


# --- one rule in three places: the players' hosts, the CSP, video.js ---------------------


def test_players_are_exactly_the_allowed_frames():
    assert sorted(PLAYER_HOSTS) == sorted(pelicanconf.SAFE_IFRAME_HOSTS)


def test_video_js_accepts_what_the_build_writes_and_nothing_else():
    """video.js refuses any player address but the build's own: its patterns
    (JavaScript regex literals, read from the file) match every embed
    parse_video writes, and none of a hostile one."""
    script = (ROOT / "theme" / "static" / "js" / "video.js").read_text(encoding="utf-8")
    patterns = [re.compile(p) for p in re.findall(r"^\s*/(\^https:.*\$)/,?$", script, re.M)]
    assert len(patterns) == 2
    addresses = [
        "https://youtu.be/jNQXAC9IVRw?t=1h2m3s",
        WATCH,
        "https://fb.watch/aBcD12_-x/",
        "https://www.facebook.com/watch/?v=10153231379946729",
        "https://www.facebook.com/TruyenhinhBacKan/videos/1234567890/",
    ]
    for address in addresses:
        embed = parse_video(address).embed
        assert any(p.search(embed) for p in patterns), embed
    for hostile in (
        PLAYER + '"><script>',
        "https://www.youtube-nocookie.com/embed/jNQXAC9IVRw?autoplay=1&start=1&x=javascript:",
        "javascript:alert(1)//https://www.youtube-nocookie.com/embed/jNQXAC9IVRw?autoplay=1",
        "https://www.facebook.com/plugins/video.php?href=https://evil.example/&autoplay=true",
        "https://evil.example/embed/jNQXAC9IVRw?autoplay=1",
    ):
        assert not any(p.search(hostile) for p in patterns), hostile
