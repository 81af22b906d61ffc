"""Photo markup as pure string functions (bulletin.photos.markup): input → expected."""

from __future__ import annotations

import pytest

from bulletin.photos.markup import (
    Picture,
    absolute_photo_urls,
    intrasite_path,
    local_path,
    rewrite_photos,
)

PICTURE = Picture(
    sources=(("image/webp", "anh/a-1-480.webp 480w, anh/a-1-960.webp 960w"),),
    srcset="anh/a-1-480.jpg 480w, anh/a-1-960.jpg 960w",
    src="anh/a-1-960.jpg",
    width=960,
    height=720,
    large="anh/a-1-2000.jpg",
)


def test_markup_of_figures_and_inline_photos():
    html = (
        '<figure class="photo"><img alt="Ảnh &amp; “chữ”" src="{static}anh/a.jpg">'
        "<figcaption>Chú thích</figcaption>\n</figure>\n"
        '<p>Chữ <img alt="nhỏ" src="{static}anh/a.jpg" title="T"> và '
        '<a href="{static}anh/a.jpg">ảnh gốc</a>, <a href="{static}tai-lieu.pdf">PDF</a> '
        '<img alt="x" src="https://example.org/x.jpg"></p>'
    )
    seen = []

    def lookup(path, value, attrs):
        seen.append((path, value, attrs.get("alt")))
        return PICTURE

    sizes = "(min-width: 50rem) 42rem, 100vw"
    assert rewrite_photos(html, lookup, sizes) == (
        '<figure class="photo"><a class="photo__link" href="anh/a-1-2000.jpg"><picture>'
        '<source type="image/webp" srcset="anh/a-1-480.webp 480w, anh/a-1-960.webp 960w" '
        f'sizes="{sizes}">'
        '<img src="anh/a-1-960.jpg" srcset="anh/a-1-480.jpg 480w, anh/a-1-960.jpg 960w" '
        f'sizes="{sizes}" width="960" height="720" alt="Ảnh &amp; “chữ”" loading="eager" '
        'fetchpriority="high"></picture></a><figcaption>Chú thích</figcaption>\n</figure>\n'
        "<p>Chữ <picture>"
        '<source type="image/webp" srcset="anh/a-1-480.webp 480w, anh/a-1-960.webp 960w" '
        f'sizes="{sizes}">'
        '<img src="anh/a-1-960.jpg" srcset="anh/a-1-480.jpg 480w, anh/a-1-960.jpg 960w" '
        f'sizes="{sizes}" width="960" height="720" alt="nhỏ" title="T" loading="lazy" '
        'decoding="async"></picture> và <a href="anh/a-1-2000.jpg">ảnh gốc</a>, '
        '<a href="{static}tai-lieu.pdf">PDF</a> <img alt="x" src="https://example.org/x.jpg"></p>'
    )
    assert [s[:2] for s in seen] == [("anh/a.jpg", "{static}anh/a.jpg")] * 3
    assert seen[0][2] == "Ảnh & “chữ”"


def test_a_photo_that_cannot_be_used_loses_its_static_link():
    html = '<p><img alt="a" src="{static}anh/hong.jpg"></p>'
    assert rewrite_photos(html, lambda *_: "anh/hong.jpg", "100vw") == (
        '<p><img alt="a" src="anh/hong.jpg"></p>'
    )


def test_feed_urls_of_photos_become_absolute():
    html = (
        '<a class="photo__link" href="anh/a-1-2000.jpg"><picture>'
        '<source type="image/webp" srcset="anh/a-1-480.webp 480w, anh/a-1-960.webp 960w">'
        '<img src="anh/a-1-960.jpg" alt="x"></picture></a> <a href="../khac/">khác</a>'
    )
    base = "https://bantin.example/tin-tuc/2023/a/"
    assert absolute_photo_urls(html, base, "anh") == (
        f'<a class="photo__link" href="{base}anh/a-1-2000.jpg"><picture>'
        f'<source type="image/webp" srcset="{base}anh/a-1-480.webp 480w, '
        f'{base}anh/a-1-960.webp 960w"><img src="{base}anh/a-1-960.jpg" alt="x"></picture></a>'
        ' <a href="../khac/">khác</a>'
    )


@pytest.mark.parametrize(
    ("written", "path", "intrasite"),
    [
        ("{static}anh/x%20y.jpg?v=1", "anh/x y.jpg", "anh/x y.jpg"),
        ("|attach|anh/x.jpg", "anh/x.jpg", "anh/x.jpg"),
        ("anh/hội nghị.jpg", "anh/hội nghị.jpg", None),
        ("/articles/2023/anh/x.jpg#a", "/articles/2023/anh/x.jpg", None),
        ("{static}", "", None),
    ],
)
def test_a_photos_url_names_one_file(written, path, intrasite):
    """One rule for the checks (Markdown as written) and the pipeline (HTML)."""
    assert local_path(written) == path
    assert intrasite_path(written) == intrasite
