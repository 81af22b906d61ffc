"""The photo pipeline: sizing rules, markup, and real builds of real photos.

Every photo is made here with Pillow: a 4000×3000 phone photo turned by EXIF
(Orientation 6) carrying GPS, maker and serial-number tags, an ICC profile and
XMP; a CMYK JPEG; a PNG with transparency; a 16-bit greyscale PNG; a JPEG
tagged with a non-sRGB (linear) ICC profile; a 300×200 photo.
"""

from __future__ import annotations

import hashlib
import io
import re
import shutil
import struct
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse
from xml.etree import ElementTree

import feedparser
import pytest
from helpers import ROOT, build, copy_fixture_site, page, tree
from pelican import signals
from PIL import Image, ImageCms, ImageDraw

from bulletin.photos.generator import PhotoGenerator
from bulletin.photos.markup import Picture, absolute_photo_urls, rewrite_photos
from bulletin.photos.plan import (
    PhotoInfo,
    PipelineSettings,
    crop_size,
    displayed_size,
    fit_long_side,
    plan_photo,
    responsive_sizes,
)

ARTICLE_URL = "tin-tuc/2023/thu-nghiem-anh/"
SEED_URL = "tin-tuc/2023/phat-dong-phong-trao-thi-dua-nam-2023/"
PHOTOS = "articles/2023/anh/thu-nghiem"
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".avif", ".gif", ".tif", ".tiff"}
RED = (220, 20, 20)
GREY = (128, 128, 128)
SRGB_ICC = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()

ARTICLE = """Title: Thử nghiệm ảnh
Date: 2023-06-01 08:00
Author: Hồng Nhung
Movement: dan-van-kheo
Slug: thu-nghiem-anh
Summary: Bài thử nghiệm ảnh.
Cover: anh/thu-nghiem/cmyk.jpg

Đoạn đầu.

![Ảnh dọc chụp bằng điện thoại](anh/thu-nghiem/doc.jpg "Ảnh dọc")

![Ảnh in bốn màu](anh/thu-nghiem/cmyk.jpg "Ảnh CMYK")

![Hình tròn đỏ trên nền trong suốt](anh/thu-nghiem/trong-suot.png "Ảnh PNG trong suốt")

![Dải xám](anh/thu-nghiem/xam-16.png "Ảnh xám 16 bit")

![Mảng xám](anh/thu-nghiem/ho-so-mau.jpg "Ảnh có hồ sơ màu tuyến tính")

![Ảnh nhỏ](anh/thu-nghiem/nho.jpg "Ảnh nhỏ")

Chữ có ảnh nhỏ ![biểu tượng](anh/thu-nghiem/nho.jpg) giữa đoạn.
"""


# --- photos made in the tests ------------------------------------------------------------


def phone_photo(path: Path) -> Path:
    """4000×3000 as stored, shown 3000×4000: red block at the stored top-left."""
    image = Image.new("RGB", (4000, 3000), GREY)
    draw = ImageDraw.Draw(image)
    for x in range(0, 4000, 250):  # some detail, so it is not one flat colour
        draw.line([(x, 0), (4000 - x, 3000)], fill=(60, 90, 140), width=9)
    draw.rectangle([0, 0, 600, 450], fill=RED)
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: turn 90° clockwise to show
    exif[0x010F] = "Apple"  # Make
    exif[0x0110] = "iPhone 12"  # Model
    exif.get_ifd(0x8769)[0xA431] = "SERIAL-0042"  # BodySerialNumber
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (22.0, 8.0, 30.0), 3: "E", 4: (105.0, 50.0, 0.0)})
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(
        path,
        "JPEG",
        quality=85,
        exif=exif,
        icc_profile=SRGB_ICC,
        xmp=b'<x:xmpmeta xmlns:x="adobe:ns:meta/">exif:GPSLatitude 22,8.5N</x:xmpmeta>',
    )
    return path


def _s15(value: float) -> bytes:
    return struct.pack(">i", round(value * 65536))


def _xyz(x: float, y: float, z: float) -> bytes:
    return b"XYZ \0\0\0\0" + _s15(x) + _s15(y) + _s15(z)


def linear_rgb_profile() -> bytes:
    """An ICC v2 display profile: sRGB's primaries, but a linear tone curve.

    Mid grey 128 tagged with it is 50 % light, which sRGB writes as 188: a
    pipeline that ignores the profile leaves 128.
    """
    name = b"Linear RGB (test)\0"
    desc = b"desc\0\0\0\0" + struct.pack(">I", len(name)) + name + bytes(78)
    curve = b"curv\0\0\0\0" + struct.pack(">IH", 1, 0x0100) + b"\0\0"  # gamma 1.0
    tags = [
        (b"desc", desc),
        (b"wtpt", _xyz(0.9642, 1.0, 0.8249)),
        (b"rXYZ", _xyz(0.4361, 0.2225, 0.0139)),
        (b"gXYZ", _xyz(0.3851, 0.7169, 0.0971)),
        (b"bXYZ", _xyz(0.1431, 0.0606, 0.7141)),
        (b"rTRC", curve),
        (b"gTRC", curve),
        (b"bTRC", curve),
        (b"cprt", b"text\0\0\0\0CC0\0"),
    ]
    start = 128 + 4 + 12 * len(tags)
    table, data = struct.pack(">I", len(tags)), b""
    for signature, body in tags:
        data += bytes(-len(data) % 4)
        table += signature + struct.pack(">II", start + len(data), len(body))
        data += body
    data += bytes(-len(data) % 4)
    header = struct.pack(
        ">I4s4s4s4s4s12s4s4sI4s4s8sI",
        start + len(data),
        b"lcms",
        b"\x02\x10\0\0",
        b"mntr",
        b"RGB ",
        b"XYZ ",
        bytes(12),
        b"acsp",
        bytes(4),
        0,
        bytes(4),
        bytes(4),
        bytes(8),
        0,
    )
    header += _s15(0.9642) + _s15(1.0) + _s15(0.8249) + bytes(48)
    return header + table + data


def png_bomb(path: Path, size=(20000, 20000)) -> Path:
    """A tiny PNG whose header claims 400 megapixels."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        import zlib  # noqa: PLC0415

        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", *size, 8, 2, 0, 0, 0)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", b"") + chunk(b"IEND", b"")
    )
    return path


def photo_site(root: Path) -> Path:
    """The fixture site plus an article with every kind of photo."""
    content = copy_fixture_site(root)
    folder = content / PHOTOS
    phone_photo(folder / "doc.jpg")
    Image.new("CMYK", (1200, 800), (0, 200, 200, 0)).save(folder / "cmyk.jpg", quality=90)
    clear = Image.new("RGBA", (1000, 700), (0, 0, 0, 0))
    ImageDraw.Draw(clear).ellipse([300, 150, 700, 550], fill=(200, 0, 0, 255))
    clear.save(folder / "trong-suot.png")
    grey = Image.linear_gradient("L").resize((800, 600)).convert("I").point(lambda v: v * 257)
    grey.convert("I;16").save(folder / "xam-16.png")
    Image.new("RGB", (900, 600), GREY).save(
        folder / "ho-so-mau.jpg", quality=95, icc_profile=linear_rgb_profile()
    )
    Image.new("RGB", (300, 200), (20, 120, 60)).save(folder / "nho.jpg", quality=90)
    (content / "articles" / "2023" / "thu-nghiem-anh.md").write_text(ARTICLE, encoding="utf-8")
    about = content / "pages" / "gioi-thieu.md"
    about.write_text(
        about.read_text(encoding="utf-8")
        # {static}/… is relative to content/, wherever the page is.
        + '\n![Trụ sở]({static}/articles/2023/anh/thu-nghiem/nho.jpg "Trụ sở Ban")\n',
        encoding="utf-8",
    )
    return content


@contextmanager
def photo_generator():
    """The build's :class:`PhotoGenerator` (its ``stats``), caught as it is made."""
    found = {}

    def grab(generators):
        found["generator"] = next(g for g in generators if isinstance(g, PhotoGenerator))

    signals.all_generators_finalized.connect(grab)
    try:
        yield found
    finally:
        signals.all_generators_finalized.disconnect(grab)


def build_counting(content: Path, output: Path, **overrides):
    """Build; (exit code, report, photo stats or None).

    Unchanged builds are not skipped here: these tests look at the photo
    cache, which a skipped build never reaches.
    """
    overrides.setdefault("SKIP_UNCHANGED_BUILDS", False)
    with photo_generator() as found:
        code, report = build(content, output, **overrides)
    generator = found.get("generator")
    return code, report, generator.stats if generator else None


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The photo site built once: (content folder, output folder, stats)."""
    root = tmp_path_factory.mktemp("photo-site")
    content = photo_site(root)
    code, report, stats = build_counting(content, root / "output")
    assert code == 0, report
    return content, root / "output", stats


def article_figures(output: Path):
    return page(output, ARTICLE_URL).select(".article__body figure.photo")


def open_relative(output: Path, url: str) -> Path:
    path = (output / ARTICLE_URL / url).resolve()
    assert path.is_file(), url
    return path


# --- pure rules: input → expected ------------------------------------------------------


@pytest.mark.parametrize(
    ("stored", "orientation", "shown"),
    [
        ((4000, 3000), 1, (4000, 3000)),
        ((4000, 3000), 3, (4000, 3000)),
        ((4000, 3000), 6, (3000, 4000)),
        ((4000, 3000), 8, (3000, 4000)),
        ((4000, 3000), 5, (3000, 4000)),
    ],
)
def test_displayed_size_follows_exif_orientation(stored, orientation, shown):
    assert displayed_size(stored, orientation) == shown


@pytest.mark.parametrize(
    ("size", "expected"),
    [
        ((4000, 3000), ((480, 360), (960, 720), (1600, 1200))),
        ((3000, 4000), ((480, 640), (960, 1280), (1600, 2133))),
        ((1200, 900), ((480, 360), (960, 720), (1200, 900))),
        ((960, 540), ((480, 270), (960, 540))),
        ((300, 200), ((300, 200),)),
    ],
)
def test_responsive_sizes_never_upscale(size, expected):
    assert responsive_sizes(size, (480, 960, 1600)) == expected


@pytest.mark.parametrize(
    ("size", "target", "expected"),
    [
        ((4000, 3000), (480, 320), (480, 320)),
        ((3000, 4000), (1200, 630), (1200, 630)),
        ((300, 200), (480, 320), (300, 200)),
        ((300, 200), (1200, 630), (300, 158)),
        ((1000, 3000), (1200, 630), (1000, 525)),
    ],
)
def test_crops_fill_their_frame_and_never_upscale(size, target, expected):
    assert crop_size(size, target) == expected


@pytest.mark.parametrize(
    ("size", "long_side", "expected"),
    [
        ((4000, 3000), 2048, (2048, 1536)),
        ((3000, 4000), 2048, (1536, 2048)),
        ((800, 600), 2048, (800, 600)),
    ],
)
def test_fit_long_side(size, long_side, expected):
    assert fit_long_side(size, long_side) == expected


@pytest.mark.parametrize(
    ("photo", "expected"),
    [
        # 4000 px: half scale gives 2000 px, within 5 % of 2048: decode at ½.
        (("JPEG", (4000, 3000), 1, 0.05), (2, (2000, 1500), (2000, 1500))),
        # Turned by EXIF: the request stays in stored orientation.
        (("JPEG", (4000, 3000), 6, 0.05), (2, (1500, 2000), (2000, 1500))),
        # An exact 2048 px large version needs the full-scale decode.
        (("JPEG", (4000, 3000), 1, 0.0), (1, (2048, 1536), None)),
        (("JPEG", (8000, 6000), 1, 0.05), (4, (2000, 1500), (2000, 1500))),
        (("JPEG", (6000, 4000), 1, 0.05), (2, (2048, 1365), (3000, 2000))),
        # Half of 3000 px is too small for the 1600 px derivative.
        (("JPEG", (3000, 2000), 1, 0.05), (1, (2048, 1365), None)),
        (("JPEG", (1200, 900), 1, 0.05), (1, (1200, 900), None)),
        # Only JPEG decoders scale while decoding.
        (("PNG", (4000, 3000), 1, 0.05), (1, (2048, 1536), None)),
    ],
)
def test_draft_scale_and_large_size(photo, expected):
    """(format, stored size, orientation, tolerance) → (scale, large, draft request)."""
    fmt, stored, orientation, tolerance = photo
    plan = plan_photo(
        PhotoInfo("0" * 64, fmt, stored, orientation), PipelineSettings(large_tolerance=tolerance)
    )
    assert (plan.draft_scale, plan.large, plan.draft_request) == expected


def test_portrait_plan_and_derivative_names():
    plan = plan_photo(PhotoInfo("ab" * 32, "JPEG", (4000, 3000), 6), PipelineSettings())
    assert plan.size == (3000, 4000)
    assert plan.default == (960, 1280)
    assert [d.name for d in plan.derivatives("body")] == [
        "480.webp",
        "480.jpg",
        "960.webp",
        "960.jpg",
        "1500.webp",
        "1500.jpg",  # the large version too: a 1600 px wide portrait would be taller
    ]
    assert [d.name for d in plan.derivatives("cover")] == [
        "480x320.jpg",
        "960x640.jpg",
        "1200x630.jpg",
    ]
    assert plan.file_name("doc", plan.derivatives("body")[0]) == f"doc-{plan.key[:8]}-480.webp"


def test_a_tiny_photo_has_only_its_own_size():
    plan = plan_photo(PhotoInfo("cd" * 32, "JPEG", (300, 200), 1), PipelineSettings())
    assert [d.name for d in plan.derivatives("body")] == ["300.webp", "300.jpg"]
    assert [d.name for d in plan.derivatives("cover")] == ["300x200.jpg", "300x158.jpg"]


def test_cache_key_changes_with_bytes_and_settings_only():
    info = PhotoInfo("ab" * 32, "JPEG", (4000, 3000), 6)
    base = plan_photo(info, PipelineSettings()).key
    assert plan_photo(info, PipelineSettings()).key == base  # no path, no time involved
    for changed in [
        PipelineSettings(jpeg_quality=70),
        PipelineSettings(webp_quality=90),
        PipelineSettings(widths=(480, 1200)),
        PipelineSettings(formats=("avif", "webp")),
        PipelineSettings(large=1600),
    ]:
        assert plan_photo(info, changed).key != base
    assert plan_photo(PhotoInfo("ef" * 32, "JPEG", (4000, 3000), 6), PipelineSettings()).key != base


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


# --- a real build of real photos -------------------------------------------------------


def test_portrait_photo_is_turned_and_its_size_is_true(built):
    _content, output, _stats = built
    img = article_figures(output)[0].find("img")
    assert int(img["height"]) > int(img["width"])
    with Image.open(open_relative(output, img["src"])) as derivative:
        assert derivative.size == (int(img["width"]), int(img["height"])) == (960, 1280)
        rgb = derivative.convert("RGB")
        # The red block stored at the top-left is shown at the top-right.
        assert _close(rgb.getpixel((940, 40)), RED)
        assert not _close(rgb.getpixel((20, 40)), RED)
    for candidate in _srcset_urls(article_figures(output)[0]):
        with Image.open(open_relative(output, candidate)) as derivative:
            assert derivative.height > derivative.width, candidate


def test_no_published_image_carries_metadata(built):
    _content, output, _stats = built
    images = [p for p in output.rglob("*") if p.suffix.lower() in IMAGE_SUFFIXES]
    assert len(images) >= 40
    for path in images:
        with Image.open(path) as image:
            assert not image.getexif(), path
            leaked = {"exif", "icc_profile", "xmp", "XML:com.adobe.xmp", "photoshop"} & set(
                image.info
            )
            assert not leaked, (path, leaked)
        data = path.read_bytes()
        assert b"SERIAL-0042" not in data and b"iPhone" not in data and b"GPS" not in data, path


def test_originals_are_never_published(built):
    content, output, _stats = built
    originals = {
        sha256(p.read_bytes()) for p in content.rglob("*") if p.suffix.lower() in IMAGE_SUFFIXES
    }
    assert len(originals) >= 8
    published = {name: sha256(data) for name, data in tree(output).items()}
    assert not [name for name, digest in published.items() if digest in originals]
    names = {Path(name).name for name in published}
    assert not names & {"doc.jpg", "cmyk.jpg", "trong-suot.png", "nho.jpg", "nhung-11.jpg"}


def test_figure_markup(built):
    _content, output, _stats = built
    figures = article_figures(output)
    assert len(figures) == 6
    for number, figure in enumerate(figures):
        link = figure.find("a", class_="photo__link")
        picture = link.find("picture")
        sources = picture.find_all("source")
        assert [s["type"] for s in sources] == ["image/webp"]
        img = picture.find("img")
        assert img["alt"].strip()  # the link's accessible name
        assert sources[0]["sizes"] == img["sizes"] == "(min-width: 50rem) 42rem, 100vw"
        for url in [img["src"], *_srcset_urls(figure)]:
            open_relative(output, url)
        if number == 0:
            assert (img["loading"], img["fetchpriority"]) == ("eager", "high")
            assert not img.has_attr("decoding")
        else:
            assert (img["loading"], img["decoding"]) == ("lazy", "async")
            assert not img.has_attr("fetchpriority")
        assert figure.figcaption.get_text()
        with Image.open(open_relative(output, link["href"])) as large:
            assert large.format == "JPEG"
            assert max(large.size) <= 2048
    doc = figures[0]
    assert _widths(doc.source["srcset"]) == _widths(doc.img["srcset"]) == [480, 960, 1500]
    with Image.open(open_relative(output, doc.find("a")["href"])) as large:
        assert large.size == (1500, 2000)  # ½-scale decode of 4000 px, turned


def test_tiny_photo_is_not_upscaled(built):
    _content, output, _stats = built
    tiny = article_figures(output)[5]
    assert _widths(tiny.img["srcset"]) == [300]
    assert (tiny.img["width"], tiny.img["height"]) == ("300", "200")
    for path in (output / ARTICLE_URL / "anh").glob("nho-*"):
        with Image.open(path) as image:
            assert image.width <= 300, path


def test_inline_photo_is_a_picture_without_link(built):
    _content, output, _stats = built
    paragraph = next(
        p for p in page(output, ARTICLE_URL).select(".article__body p") if p.find("picture")
    )
    assert not paragraph.find("a")
    assert paragraph.img["alt"] == "biểu tượng"
    assert paragraph.img["loading"] == "lazy"
    open_relative(output, paragraph.img["src"])


def test_colour_spaces_and_transparency(built):
    _content, output, _stats = built
    figures = article_figures(output)

    def default(figure_number):
        return Image.open(open_relative(output, figures[figure_number].img["src"]))

    with default(1) as cmyk:
        assert cmyk.mode == "RGB"
        r, g, b = cmyk.getpixel((10, 10))
        assert r > 200 and g < 120 and b < 120  # magenta + yellow ink is red
    with default(2) as flat:  # JPEG: transparency flattened onto white
        assert flat.mode == "RGB"
        assert _close(flat.getpixel((5, 5)), (255, 255, 255))
        assert _close(flat.getpixel((flat.width // 2, flat.height // 2)), (200, 0, 0))
    webp = open_relative(output, _srcset_urls(figures[2], "source")[0])
    with Image.open(webp) as clear:  # WebP keeps the alpha channel
        assert clear.mode == "RGBA" and clear.getpixel((5, 5))[3] == 0
    with default(3) as grey:  # 16-bit: scaled to 8 bits, not clipped to white
        middle = grey.convert("L").getpixel((grey.width // 2, grey.height // 2))
        assert 100 < middle < 160
    with default(4) as tagged:  # linear profile: 50 % grey is sRGB 188
        assert _close(tagged.getpixel((10, 10)), (188, 188, 188), 4)


def test_feeds_carry_absolute_photo_urls_that_exist(built):
    _content, output, _stats = built
    # Read the XML itself: feedparser's sanitiser drops <picture> and srcset.
    atom = "{http://www.w3.org/2005/Atom}"
    feed = ElementTree.parse(output / "feeds" / "all.atom.xml").getroot()
    entry = next(
        e
        for e in feed.iter(atom + "entry")
        if e.find(atom + "link").get("href").endswith("/" + ARTICLE_URL)
    )
    html = entry.find(atom + "content").text
    urls = re.findall(r'(?:src|href)="([^"]+)"', html)
    urls += [u.split()[0] for s in re.findall(r'srcset="([^"]+)"', html) for u in s.split(",")]
    assert len(urls) == 6 + 7 + 30  # figure links, src, srcset candidates (JPEG and WebP)
    for url in urls:
        assert url.startswith("http://localhost:8000/" + ARTICLE_URL + "anh/"), url
        assert (output / urlparse(url).path.lstrip("/")).is_file(), url
    assert feedparser.parse((output / "feeds" / "all.atom.xml").read_bytes()).bozo == 0


def test_cover_thumbnail_and_opengraph_image(built):
    _content, output, _stats = built
    home = page(output, "")
    card = next(c for c in home.select(".card") if "Thử nghiệm\xa0ảnh" in c.get_text())
    img = card.find("img", class_="card__image")
    assert (img["width"], img["height"]) == ("480", "320")
    assert img["alt"] == ""
    candidates = [img["src"], *(c.strip().split()[0] for c in img["srcset"].split(","))]
    for url in candidates:
        path = (output / url).resolve()  # relative to the home page
        assert path.is_file(), url
        assert path.parent == (output / ARTICLE_URL / "anh").resolve()
    with Image.open(output / img["src"]) as thumb:
        assert thumb.size == (480, 320)
    # The Cover metadata picks the photo, not the first one of the body.
    assert Path(img["src"]).name.startswith("cmyk-")
    og = page(output, ARTICLE_URL).find("meta", property="og:image")["content"]
    assert og.startswith("http://localhost:8000/" + ARTICLE_URL + "anh/cmyk-")
    with Image.open(output / urlparse(og).path.lstrip("/")) as image:
        assert image.size == (1200, 630)
    seed = page(output, SEED_URL).find("meta", property="og:image")["content"]
    assert (output / urlparse(seed).path.lstrip("/")).is_file()


def test_a_page_shows_its_photos_from_its_own_folder(built):
    _content, output, _stats = built
    img = page(output, "gioi-thieu/").select_one("figure.photo img")
    assert img["loading"] == "eager"  # the first photo of that page
    assert img["src"].startswith("anh/nho-")
    assert (output / "gioi-thieu" / img["src"]).is_file()


def test_first_build_processed_every_photo(built):
    _content, _output, stats = built
    fixture_photos = 1  # nhung-11.jpg; the draft's photo is never processed
    assert stats.photos == stats.processed == 6 + fixture_photos
    assert stats.cached == 0


# --- the cache ---------------------------------------------------------------------------


def test_second_build_processes_nothing_and_writes_the_same_bytes(tmp_path):
    content = photo_site(tmp_path)
    code, report, first = build_counting(content, tmp_path / "output")
    assert code == 0, report
    before = tree(tmp_path / "output")
    code, report, second = build_counting(content, tmp_path / "output")
    assert code == 0, report
    assert (first.processed, second.processed, second.cached) == (7, 0, 7)
    assert tree(tmp_path / "output") == before


def test_renamed_photo_is_not_processed_again(tmp_path):
    content = copy_fixture_site(tmp_path)
    assert build_counting(content, tmp_path / "output")[2].processed == 1
    folder = content / "articles" / "2023" / "anh" / "phat-dong"
    shutil.move(folder / "nhung-11.jpg", folder / "doi-ten.jpg")
    article = content / "articles" / "2023" / "phat-dong-phong-trao-thi-dua-nam-2023.md"
    article.write_text(
        article.read_text(encoding="utf-8").replace("nhung-11.jpg", "doi-ten.jpg"), encoding="utf-8"
    )
    code, report, stats = build_counting(content, tmp_path / "output")
    assert code == 0, report
    assert (stats.processed, stats.cached) == (0, 1)
    src = page(tmp_path / "output", SEED_URL).select_one("figure.photo img")["src"]
    assert src.startswith("anh/doi-ten-")
    assert (tmp_path / "output" / SEED_URL / src).is_file()


def test_changed_quality_setting_processes_again(tmp_path):
    content = copy_fixture_site(tmp_path)
    assert build_counting(content, tmp_path / "output")[2].processed == 1
    first = page(tmp_path / "output", SEED_URL).select_one("figure.photo img")["src"]
    code, report, stats = build_counting(content, tmp_path / "output", PHOTO_JPEG_QUALITY=60)
    assert code == 0, report
    assert stats.processed == 1
    second = page(tmp_path / "output", SEED_URL).select_one("figure.photo img")["src"]
    assert first != second  # new bytes, new name: no stale copy in a browser cache


def test_published_derivatives_are_read_only_links_or_copies(tmp_path):
    content = copy_fixture_site(tmp_path)
    cache = tmp_path / "cache" / "photos"
    assert build(content, tmp_path / "linked")[0] == 0
    assert build(content, tmp_path / "copied", PHOTO_HARDLINKS=False)[0] == 0
    cached = {p.read_bytes(): p for p in cache.rglob("*") if p.suffix in {".jpg", ".webp"}}
    assert cached and all(not p.stat().st_mode & 0o222 for p in cached.values())
    for name, expect_link in (("linked", True), ("copied", False)):
        published = list((tmp_path / name / SEED_URL / "anh").iterdir())
        assert len(published) == len(cached)
        for path in published:
            source = cached[path.read_bytes()]
            assert path.samefile(source) is expect_link, path


def test_drafts_photos_are_processed_only_for_a_preview(tmp_path):
    content = copy_fixture_site(tmp_path)
    code, report = build(content, tmp_path / "output")
    assert code == 0, report
    assert not [p for p in (tmp_path / "output").rglob("rieng*")]
    code, report = build(content, tmp_path / "preview", DRAFT_SAVE_AS="ban-nhap/{slug}/index.html")
    assert code == 0, report
    draft = tmp_path / "preview" / "ban-nhap" / "ban-nhap-chua-dang"
    src = page(tmp_path / "preview", "ban-nhap/ban-nhap-chua-dang/").select_one("figure img")["src"]
    assert (draft / src).is_file() and src.startswith("anh/rieng-")


# --- bad photos ----------------------------------------------------------------------------


def truncated(path: Path) -> None:
    phone_photo(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def text_file(path: Path) -> None:
    path.write_text("Đây không phải là ảnh.\n", encoding="utf-8")


def heic(path: Path) -> None:
    path.write_bytes(b"\0\0\0\x18ftypheic\0\0\0\0mif1heic" + bytes(64))


def icon(path: Path) -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (32, 32), RED).save(buffer, "ICO")
    path.write_bytes(buffer.getvalue())


BAD_PHOTOS = [
    (truncated, "hỏng"),
    (text_file, "không phải"),
    (png_bomb, "lớn"),
    (heic, "HEIC"),
    (icon, "ICO"),
]
WITHOUT_CHECKS = """
import sys
from bulletin.build.main import build_site, load_settings
settings = load_settings({conf!r}, PATH={content!r}, OUTPUT_PATH={output!r})
settings["PLUGINS"] = [p for p in settings["PLUGINS"] if p != "bulletin.content.validation"]
sys.exit(build_site(settings))
"""


def add_bad_photo(content: Path, make) -> int:
    """A bad photo in the seed article; the line that shows it."""
    make(content / "articles" / "2023" / "anh" / "phat-dong" / "hong.jpg")
    article = content / "articles" / "2023" / "phat-dong-phong-trao-thi-dua-nam-2023.md"
    text = article.read_text(encoding="utf-8").rstrip("\n")
    text += '\n\n![Ảnh hỏng](anh/phat-dong/hong.jpg "Hỏng")\n'
    article.write_text(text, encoding="utf-8")
    return text.count("\n")


def assert_named(report: str, line: int, words: str) -> None:
    errors = [row for row in report.splitlines() if "anh/phat-dong/hong.jpg" in row]
    assert len(errors) == 1, report  # one report per photo, whoever found it
    article = "content/articles/2023/phat-dong-phong-trao-thi-dua-nam-2023.md"
    assert errors[0].startswith(f"{article}:{line}: lỗi: "), errors[0]
    assert words in errors[0], errors[0]


@pytest.mark.parametrize(("make", "words"), BAD_PHOTOS)
def test_bad_photo_fails_the_build_and_keeps_the_old_output(tmp_path, make, words):
    content = copy_fixture_site(tmp_path)
    output = tmp_path / "output"
    assert build(content, output)[0] == 0
    before = tree(output)
    line = add_bad_photo(content, make)
    code, report = build(content, output)
    assert code == 1, report
    assert_named(report, line, words)
    assert tree(output) == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".output")]


@pytest.mark.parametrize(("make", "words"), BAD_PHOTOS[:3])
def test_the_pipeline_alone_stops_on_a_bad_photo(tmp_path, make, words):
    """Without bulletin.content.validation's checks (in a fresh interpreter: signals
    connected by earlier builds in this one would stay connected)."""
    content = copy_fixture_site(tmp_path)
    output = tmp_path / "output"
    assert build(content, output)[0] == 0
    before = tree(output)
    line = add_bad_photo(content, make)
    script = WITHOUT_CHECKS.format(
        conf=str(ROOT / "pelicanconf.py"), content=str(content), output=str(output)
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT / "plugins"), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert_named(result.stderr, line, words)
    assert tree(output) == before


def test_pixel_limit_is_a_setting(tmp_path):
    content = copy_fixture_site(tmp_path)  # its photos are 1200×900: 1.08 megapixels
    code, report = build(content, tmp_path / "output", PHOTO_MAX_PIXELS=1_000_000)
    assert code == 1
    assert "anh/phat-dong/nhung-11.jpg" in report and "lớn" in report, report


# --- helpers -------------------------------------------------------------------------------


def _close(pixel, expected, tolerance=24) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel[:3], expected, strict=True))


def _widths(srcset: str) -> list[int]:
    return [int(c.strip().split()[1].rstrip("w")) for c in srcset.split(",")]


def _srcset_urls(figure, tag="img") -> list[str]:
    return [c.strip().split()[0] for c in figure.find(tag)["srcset"].split(",")]


def test_photos_are_processed_while_the_pages_are_written(tmp_path):
    """The batch starts before the first article page is written (on the
    other cores), and a build stopped by a content error processes none."""
    import time  # noqa: PLC0415

    content = photo_site(tmp_path)
    writes = []

    def written(path, context=None):
        writes.append(time.perf_counter())

    signals.content_written.connect(written)
    try:
        with photo_generator() as found:
            code, report = build(content, tmp_path / "output", PHOTO_WORKERS=2)
    finally:
        signals.content_written.disconnect(written)
    assert code == 0, report
    batch = found["generator"].library.batch
    assert batch is not None and batch.pool is not None  # several photos, two workers
    assert batch.started < writes[0]  # running before the first page is written
    assert found["generator"].stats.processed == 7
    assert list((tmp_path / "cache" / "photos").rglob("*.webp"))  # where the cache is

    broken = tmp_path / "broken"
    content = photo_site(broken)
    article = next((content / "articles").rglob("*.md"))
    article.write_text(
        article.read_text(encoding="utf-8").replace("Author:", "Tác giả:"), encoding="utf-8"
    )
    code, _report = build(content, broken / "output", PHOTO_WORKERS=2)
    assert code == 1
    assert not (broken / "output").exists()
    assert list((broken / "cache" / "photos").rglob("*.webp")) == []  # none processed
