"""The figure extension: Markdown in, HTML out."""

import markdown
import pytest

from bulletin.content.figures import ImageRef


def render(source: str) -> tuple[str, list[ImageRef]]:
    md = markdown.Markdown(extensions=["bulletin.content.figures"], output_format="html")
    return md.convert(source), md.bulletin_images


@pytest.mark.parametrize(
    ("source", "html"),
    [
        (
            '![Ảnh tập thể](anh/bai/nhung-11.jpg "Ảnh lưu niệm công chức")',
            '<figure class="photo"><img alt="Ảnh tập thể" src="{static}anh/bai/nhung-11.jpg">'
            "<figcaption>Ảnh lưu niệm công chức</figcaption>\n</figure>",
        ),
        (
            "![Không chú thích]({static}/images/a.jpg)",
            '<figure class="photo"><img alt="Không chú thích" '
            'src="{static}/images/a.jpg"></figure>',
        ),
        (
            "Chữ ![nhỏ](a.png) giữa đoạn",
            '<p>Chữ <img alt="nhỏ" src="{static}a.png"> giữa đoạn</p>',
        ),
        (
            '![Ngoài](https://example.org/a.jpg "Chú thích")',
            '<figure class="photo"><img alt="Ngoài" src="https://example.org/a.jpg">'
            "<figcaption>Chú thích</figcaption>\n</figure>",
        ),
        (
            '![a](a.jpg "Chú thích <b> & “trích”")',
            '<figure class="photo"><img alt="a" src="{static}a.jpg">'
            "<figcaption>Chú thích &lt;b&gt; &amp; “trích”</figcaption>\n</figure>",
        ),
    ],
)
def test_lone_image_becomes_figure(source, html):
    assert render(source)[0] == html


def test_images_are_listed_for_the_checks():
    _html, images = render('![A](a.jpg "Cap")\n\nText ![B](b.jpg) here.')
    assert images == [ImageRef("a.jpg", "A", "Cap", True), ImageRef("b.jpg", "B", "", False)]
