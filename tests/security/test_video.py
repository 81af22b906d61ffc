"""Hostile video addresses (bulletin.content.video): a facade is made only from
a strictly valid id and its every URL is rebuilt from it; anything else stays
the text or link it was, escaped. Editor-written frames: an allowed player
becomes a facade (nothing loads before a click), another host is refused as
before — and www.youtube.com is no longer allowed."""

from __future__ import annotations

import re
from pathlib import Path

from helpers import build, copy_fixture_site, page

from bulletin.content.video import parse_video

HEADER = (
    "Title: Bài {slug}\nDate: 2023-05-02 09:00\nAuthor: Thu Hà\nMovement: dan-van-kheo\n"
    "Slug: {slug}\n"
)
PLAYERS = re.compile(
    r"^https://www\.youtube-nocookie\.com/embed/[A-Za-z0-9_-]{11}\?autoplay=1(&start=\d+)?$"
)


def article(content: Path, slug: str, body: str) -> None:
    path = content / "articles" / "2023" / f"{slug}.md"
    path.write_text(HEADER.format(slug=slug) + f"\n{body}\n", encoding="utf-8")


# Each alone in its paragraph; none may become a facade, none may run.
HOSTILE_ADDRESSES = [
    "https://www.youtube.com/watch?v=%22%3E%3Cscript%3Ealert(1)%3C/script%3E",
    'https://www.youtube.com/watch?v=jNQXAC9IVRw"onmouseover="alert(1)',
    "https://youtu.be/jNQXAC9IVRw%22%20onload=%22alert(1)",
    "https://www.youtube.com/watch?v=jNQXAC9IVRw%0aabc",
    "https://www.youtube.com.evil.example/watch?v=jNQXAC9IVRw",
    "https://evil.example/?u=https://youtu.be/jNQXAC9IVRw",
    "https://www.facebook.com/x/videos/1%22onload=%22alert(1)/",
]


def test_hostile_addresses_stay_text(tmp_path):
    content = copy_fixture_site(tmp_path)
    article(content, "dia-chi", "\n\n".join(HOSTILE_ADDRESSES))
    article(
        content,
        "tieu-de",
        "[Tiêu đề \"trích\" & <b>đậm</b> 'x' onload=alert(1)](https://youtu.be/jNQXAC9IVRw)\n\n"
        '<figure class="video"><a href="https://www.youtube.com/watch?v=jNQXAC9IVRw&quot;&gt;'
        '&lt;script&gt;alert(1)&lt;/script&gt;">Viết tay</a></figure>',
    )
    output = tmp_path / "output"
    code, report = build(content, output)
    assert code == 0, report
    soup = page(output, "tin-tuc/2023/dia-chi/")
    body = soup.select_one(".article__body")
    assert not body.select("figure.video, iframe, button, script, img")
    text = body.get_text()
    for address in HOSTILE_ADDRESSES:
        assert address.split("://", 1)[1][:20] in text
    assert not any(name.startswith("on") for tag in soup.find_all(True) for name in tag.attrs), (
        "an event handler attribute reached the page"
    )

    soup = page(output, "tin-tuc/2023/tieu-de/")
    figures = soup.select("figure.video")
    assert len(figures) == 1  # the hand-written one is not a video: a plain link
    figure = figures[0]
    assert PLAYERS.match(figure["data-video-embed"])
    assert figure.button["aria-label"].startswith("Phát video: Tiêu đề “trích” & đậm")
    assert not figure.find("b") and not figure.find("script")
    link = soup.find("a", string="Viết tay")
    assert link.find_parent("figure") is None
    assert link["href"] == (
        'https://www.youtube.com/watch?v=jNQXAC9IVRw"><script>alert(1)</script>'
    )
    assert all(
        s.get("src") for s in soup.find_all("script") if s.get("type") != "application/ld+json"
    )


def test_scripts_and_other_hosts_are_refused_as_before(tmp_path):
    content = copy_fixture_site(tmp_path)
    article(content, "lien-ket", "[Xem video](javascript:alert(1)//https://youtu.be/jNQXAC9IVRw)")
    article(
        content, "youtube-com", '<iframe src="https://www.youtube.com/embed/jNQXAC9IVRw"></iframe>'
    )
    article(content, "noi-khac", '<iframe src="https://evil.example/embed/jNQXAC9IVRw"></iframe>')
    output = tmp_path / "output"
    code, report = build(content, output)
    assert code == 1 and "Traceback" not in report
    assert (
        'content/articles/2023/lien-ket.md:7: lỗi: Liên kết "javascript:" không an toàn' in report
    )
    assert (
        "content/articles/2023/youtube-com.md:7: lỗi: Khung nhúng <iframe> từ nguồn không được "
        'phép "www.youtube.com"'
    ) in report
    assert 'noi-khac.md:7: lỗi: Khung nhúng <iframe> từ nguồn không được phép "evil.example"' in (
        report
    )
    assert not output.exists()


def test_an_allowed_player_becomes_a_facade(tmp_path):
    content = copy_fixture_site(tmp_path)
    article(
        content,
        "khung",
        '<iframe src="https://www.youtube-nocookie.com/embed/jNQXAC9IVRw?start=7" '
        'title="Phóng sự &quot;KCN&quot;" width="560" height="315" allowfullscreen></iframe>\n\n'
        "Đoạn giữa.\n\n"
        '<iframe src="https://www.facebook.com/plugins/video.php?href=https%3A%2F%2F'
        'www.facebook.com%2FTruyenhinhBacKan%2Fvideos%2F1234567890%2F"></iframe>\n\n'
        '<iframe src="https://www.youtube-nocookie.com/embed/videoseries?list=PL0"></iframe>',
    )
    output = tmp_path / "output"
    code, report = build(content, output)
    assert code == 0, report
    soup = page(output, "tin-tuc/2023/khung/")
    figures = soup.select("figure.video")
    assert [f["data-video-embed"] for f in figures] == [
        "https://www.youtube-nocookie.com/embed/jNQXAC9IVRw?autoplay=1&start=7",
        "https://www.facebook.com/plugins/video.php?href=https%3A%2F%2Fwww.facebook.com"
        "%2FTruyenhinhBacKan%2Fvideos%2F1234567890%2F&autoplay=true",
    ]
    assert figures[0].button["aria-label"] == 'Phát video: Phóng sự "KCN"'
    assert not soup.select("p > figure")
    # Not a video's address (a playlist): the frame the sanitiser allowed, as before.
    frames = soup.find_all("iframe")
    assert [f["src"] for f in frames] == [
        "https://www.youtube-nocookie.com/embed/videoseries?list=PL0"
    ]


def test_every_url_is_rebuilt_from_the_id():
    video = parse_video("https://user:pw@www.youtube.com:443/watch?v=jNQXAC9IVRw&list=x#y")
    assert video.url == "https://www.youtube.com/watch?v=jNQXAC9IVRw"
    assert video.embed == "https://www.youtube-nocookie.com/embed/jNQXAC9IVRw?autoplay=1"
