"""Real builds of real photos: derivatives, markup, covers, feeds, the cache.

The photos are made in the tests (photo_files.py), never committed.
"""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path
from urllib.parse import urlparse
from xml.etree import ElementTree

import feedparser
import pytest
from helpers import build, copy_fixture_site, page, tree
from pelican import signals
from photo_files import (
    ARTICLE_URL,
    RED,
    SEED_URL,
    build_counting,
    photo_generator,
    photo_site,
)
from PIL import Image

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".avif", ".gif", ".tif", ".tiff"}


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
