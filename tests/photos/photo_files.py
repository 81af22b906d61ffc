"""Photos made in the photo tests, and a build that counts what the pipeline did.

Every photo is made here with Pillow: a 4000×3000 phone photo turned by EXIF
(Orientation 6) carrying GPS, maker and serial-number tags, an ICC profile and
XMP; a CMYK JPEG; a PNG with transparency; a 16-bit greyscale PNG; a JPEG
tagged with a non-sRGB (linear) ICC profile; a 300×200 photo; and bad ones (a
truncated JPEG, text named .jpg, a PNG bomb, a HEIC header, an icon).
Imported as ``from photo_files import ...`` by the tests beside it.
"""

from __future__ import annotations

import io
import struct
import zlib
from contextlib import contextmanager
from pathlib import Path

from helpers import build, copy_fixture_site
from pelican import signals
from PIL import Image, ImageCms, ImageDraw

from bulletin.photos.generator import PhotoGenerator

ARTICLE_URL = "tin-tuc/2023/thu-nghiem-anh/"
SEED_URL = "tin-tuc/2023/phat-dong-phong-trao-thi-dua-nam-2023/"
SEED_ARTICLE = "articles/2023/phat-dong-phong-trao-thi-dua-nam-2023.md"
PHOTOS = "articles/2023/anh/thu-nghiem"
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


def add_bad_photo(content: Path, make) -> int:
    """A bad photo in the seed article; the line that shows it."""
    make(content / "articles" / "2023" / "anh" / "phat-dong" / "hong.jpg")
    article = content / SEED_ARTICLE
    text = article.read_text(encoding="utf-8").rstrip("\n")
    text += '\n\n![Ảnh hỏng](anh/phat-dong/hong.jpg "Hỏng")\n'
    article.write_text(text, encoding="utf-8")
    return text.count("\n")
