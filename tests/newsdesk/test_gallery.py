"""Galleries (phóng sự ảnh, issue 16 item 3) on the built HTML: consecutive
photos are one gallery, a single photo is not; each photo keeps its figure,
caption, credit, <picture> and plain link to the large JPEG (the no-JS path);
the lightbox script is only on pages with a gallery. Plus the pure grouping
(bulletin.content.figures.group_galleries) as input → output pairs."""

from __future__ import annotations

import pytest
from helpers import build, copy_fixture_site, page
from markdown import Markdown

from bulletin.content.figures import gallery_runs, group_galleries
from bulletin.content.sanitize import sanitize

SAMPLE = "tin-tuc/2025/hoi-nghi-can-bo-cong-chuc-vien-chuc-va-nguoi-lao-dong-nam-2025/"
WITHOUT = "tin-tuc/2023/nhieu-nha-dau-tu-den-tim-hieu-co-hoi-dau-tu-vao-kcn-thanh-binh/"


def scripts(soup) -> list[str]:
    return [script["src"].rsplit("/", 1)[-1] for script in soup.select("script[src]")]


def test_the_sample_gallery(sample_site):
    soup = page(sample_site, SAMPLE)
    galleries = soup.select(".article__body .gallery")
    assert len(galleries) == 1
    gallery = galleries[0]
    assert gallery.name == "div" and gallery["role"] == "group"
    assert gallery["aria-label"] == "Phóng sự ảnh: 6 ảnh"
    figures = gallery.find_all(recursive=False)
    assert len(figures) == 6 and {figure.name for figure in figures} == {"figure"}
    for figure in figures:
        assert figure["class"] == ["photo"]
        link = figure.select_one(":scope > a.photo__link")
        assert link["href"].startswith("anh/") and link["href"].endswith(".jpg")
        picture = link.select_one(":scope > picture")
        assert picture.select("source[type='image/webp'][srcset]")
        assert picture.img["alt"] and picture.img["srcset"] and picture.img["loading"] == "lazy"
        assert figure.figcaption.get_text(strip=True).startswith("Ảnh minh họa")
    credits = [figure.figcaption.small.get_text() for figure in figures if figure.figcaption.small]
    assert credits == ["Ảnh: Stefan van der Walt", "Ảnh: NASA", "Ảnh: NASA", "Ảnh: SpaceX"]
    # The article's first photo is followed by text: a single figure, no gallery.
    single = soup.select(".article__body > figure.photo")
    assert len(single) == 1 and "tach-ca-phe" in single[0].a["href"]
    assert "gallery.js" in scripts(soup)


def test_a_page_without_a_gallery_has_no_script(sample_site):
    soup = page(sample_site, WITHOUT)
    assert len(soup.select(".article__body > figure.photo")) == 2  # photos with text between
    assert not soup.select(".gallery") and "gallery.js" not in scripts(soup)
    assert "article.js" in scripts(soup)


def test_the_script_ships_once(sample_site):
    assert (sample_site / "theme" / "js" / "gallery.js").is_file()


HEADER = "Title: Ảnh {slug}\nDate: 2023-05-02 09:00\nAuthor: Thu Hà\nMovement: dan-van-kheo\n"
HEADER += "Slug: {slug}\n\n"
PHOTO = "anh/phat-dong/nhung-11.jpg"


def test_photos_on_consecutive_lines_and_paragraphs(tmp_path):
    content = copy_fixture_site(tmp_path)
    bodies = {
        "dong-lien": f'![Một]({PHOTO} "Một")\n![Hai]({PHOTO} "Hai")\n![Ba]({PHOTO} "Ba")\n',
        "doan-lien": f'![Một]({PHOTO} "Một")\n\n![Hai]({PHOTO} "Hai")\n',
        "co-chu-giua": f'![Một]({PHOTO} "Một")\n\nChữ.\n\n![Hai]({PHOTO} "Hai")\n',
        "anh-trong-cau": f"Chữ ![Một]({PHOTO}) và ![Hai]({PHOTO}) trong câu.\n",
    }
    for slug, body in bodies.items():
        path = content / "articles" / "2023" / f"{slug}.md"
        path.write_text(HEADER.format(slug=slug) + body, encoding="utf-8")
    output = tmp_path / "output"
    code, report = build(content, output)
    assert code == 0, report
    lines = page(output, "tin-tuc/2023/dong-lien/")
    assert lines.select_one(".gallery")["aria-label"] == "Phóng sự ảnh: 3 ảnh"
    assert [f.figcaption.get_text() for f in lines.select(".gallery > figure")] == [
        "Một",
        "Hai",
        "Ba",
    ]
    assert page(output, "tin-tuc/2023/doan-lien/").select_one(".gallery")["aria-label"] == (
        "Phóng sự ảnh: 2 ảnh"
    )
    for slug in ("co-chu-giua", "anh-trong-cau"):
        soup = page(output, f"tin-tuc/2023/{slug}/")
        assert not soup.select(".gallery") and "gallery.js" not in scripts(soup), slug
    assert not page(output, "tin-tuc/2023/anh-trong-cau/").select("figure")


# --- the pure grouping ------------------------------------------------------------


def body(markdown_text: str) -> str:
    """A body as the reader makes it: Markdown with the figures extension, sanitised."""
    md = Markdown(extensions=["bulletin.content.figures"])
    return sanitize(md.convert(markdown_text))


FIG = '<figure class="photo"><img src="a.jpg" alt=""></figure>'


@pytest.mark.parametrize(
    ("html", "sizes"),
    [
        (FIG + "\n" + FIG, [2]),
        (FIG + FIG + "\n\n" + FIG, [3]),
        (FIG + "<p>x</p>" + FIG, []),
        (FIG, []),
        (FIG + FIG + "<p>x</p>" + FIG + " " + FIG, [2, 2]),
        # A figure without a photo, or another class, breaks a run.
        (FIG + '<figure class="photo"><p>x</p></figure>' + FIG, []),
        (FIG + "<figure><img src=a.jpg></figure>" + FIG, []),
        # Nested: the outer figure is the photo; the inner does not count twice.
        ('<figure class="photo"><img src="a.jpg">' + FIG + "</figure>" + FIG, [2]),
        # Siblings inside another element are grouped there.
        ("<blockquote>" + FIG + FIG + "</blockquote>", [2]),
        ("<li>" + FIG + "</li><li>" + FIG + "</li>", []),
        # '</figure>' inside an attribute value is not a tag.
        (
            '<figure class="photo"><img src="a.jpg" alt="</figure><figure class=x>"></figure>'
            + FIG,
            [2],
        ),
    ],
)
def test_gallery_runs(html, sizes):
    assert [len(run) for run in gallery_runs(html)] == sizes


def test_nothing_to_group_is_returned_as_it_came():
    for html in ("", "<p>x</p>", FIG, FIG + "<p>x</p>" + FIG):
        assert group_galleries(html) is html


def test_grouping_wraps_only_the_run():
    html = "<p>a</p>\n" + FIG + "\n" + FIG + "\n<p>b</p>"
    assert group_galleries(html) == (
        '<p>a</p>\n<div class="gallery" role="group" aria-label="Phóng sự ảnh: 2 ảnh">'
        + FIG
        + "\n"
        + FIG
        + "</div>\n<p>b</p>"
    )


def test_markdown_photos_become_one_gallery_with_captions_and_credits():
    html = group_galleries(
        body('![A](a.jpg "Một. Ảnh: Lan")\n\n![B](b.jpg "Hai")\n![C](c.jpg "(Ảnh: Minh)")\n')
    )
    assert html.startswith('<div class="gallery" role="group" aria-label="Phóng sự ảnh: 3 ảnh">')
    assert html.count("<figure") == 3 and html.rstrip().endswith("</figure></div>")
    assert "<figcaption>Một. <small>Ảnh: Lan</small></figcaption>" in html
    assert "<figcaption><small>Ảnh: Minh</small></figcaption>" in html


def test_a_single_photo_markdown_body_is_unchanged():
    html = body('Chữ.\n\n![A](a.jpg "Một")\n\nChữ.\n')
    assert group_galleries(html) == html and "gallery" not in html
