"""trafilatura's XML → blocks → the project's Markdown: text stays text."""

from __future__ import annotations

import pytest
from lxml import etree
from markdown import Markdown

from bulletin.importer.blocks import Block, Photo, Run, from_xml, photo_markdown, to_markdown


def blocks(xml: str):
    return from_xml(etree.fromstring(f"<body>{xml}</body>"), "http://cu.vn/tin/1")


def rendered(text: str) -> str:
    """What Python-Markdown makes of ``text`` (the build's own reading)."""
    return Markdown(extensions=["markdown.extensions.tables"]).convert(text)


@pytest.mark.parametrize(
    "text",
    [
        "# không phải tiêu đề",
        "1. không phải danh sách",
        "- không phải danh sách",
        "> không phải trích dẫn",
        "===",
        "*không nghiêng* và **không đậm** và `không mã`",
        "[không phải liên kết](javascript:alert(1))",
        "![không phải ảnh](x.jpg)",
        "<script>alert(1)</script> &amp; &lt;b&gt;",
        "a_b_c và 5 * 3 = 15 \\ x",
    ],
)
def test_text_that_looks_like_markdown_or_html_stays_text(text):
    paragraph = Block("paragraph", runs=[Run(text)])
    html = rendered(to_markdown([paragraph], "anh/x"))
    assert html.startswith("<p>") and html.endswith("</p>")
    for tag in (
        "<h1",
        "<ol",
        "<ul",
        "<blockquote",
        "<em",
        "<strong",
        "<code",
        "<a ",
        "<img",
        "<script",
    ):
        assert tag not in html


def test_a_photo_in_a_paragraph_splits_it_and_a_line_break_starts_its_caption():
    found = blocks(
        '<p>Trước ảnh.<lb/><graphic src="../anh/a.jpg" alt="A"/><lb/>Chú thích<lb/>Sau.</p>'
    )
    assert [b.kind for b in found] == ["paragraph", "photo", "paragraph", "paragraph"]
    assert found[1].photo == Photo("http://cu.vn/anh/a.jpg", "A")
    assert [b.plain for b in found if b.kind == "paragraph"] == ["Trước ảnh.", "Chú thích", "Sau."]


def test_styles_links_lists_headings_tables_and_spaces():
    found = blocks(
        '<p>\u00a0\u00a0 Có <hi rend="#b">đậm</hi>, <hi rend="#i">nghiêng</hi> và '
        '<ref target="/van-ban/a.pdf">tệp</ref>, <ref target="javascript:x()">xấu</ref>.</p>'
        '<head rend="h3">Mục</head>'
        '<list rend="ul"><item>một</item><item>hai</item></list>'
        '<table><row><cell role="head">Đội</cell><cell>Điểm</cell></row><row><cell>A|B</cell>'
        "<cell>9</cell></row></table>"
        "<p>   </p>"
    )
    text = to_markdown(found, "anh/x", {"http://cu.vn/van-ban/a.pdf": "anh/x/a.pdf"})
    assert text == (
        "Có **đậm**, *nghiêng* và [tệp](anh/x/a.pdf), xấu.\n\n"
        "### Mục\n\n"
        "- một\n- hai\n\n"
        "| Đội | Điểm |\n|---|---|\n| A\\|B | 9 |\n"
    )


def test_photo_markdown_is_the_figure_syntax_and_quotes_cannot_end_the_caption():
    photo = Photo("http://cu.vn/a.jpg", alt="Ảnh [1]", caption='Hội nghị "Diên Hồng"', file="a.jpg")
    assert photo_markdown(photo, "anh/x") == '![Ảnh \\[1\\]](anh/x/a.jpg "Hội nghị ”Diên Hồng”")'
    html = rendered(photo_markdown(photo, "anh/x"))
    assert 'title="Hội nghị ”Diên Hồng”"' in html and 'alt="Ảnh [1]"' in html


def test_a_photo_that_was_not_downloaded_is_left_out():
    assert to_markdown(blocks('<p><graphic src="/a.jpg"/></p><p>Chữ.</p>'), "anh/x") == "Chữ.\n"


def test_text_after_an_image_without_an_address_is_kept():
    # trafilatura puts the rest of the paragraph inside <graphic> for <img src=x>.
    found = blocks("<p>Trước. <graphic>Sau ảnh hỏng.</graphic> Cuối.</p>")
    assert [b.plain for b in found] == ["Trước. Sau ảnh hỏng. Cuối."]


def test_entities_in_text_stay_text():
    paragraph = Block("paragraph", runs=[Run("&lt;b&gt; và &amp; và <i>")])
    assert (
        rendered(to_markdown([paragraph], "anh/x"))
        == "<p>&amp;lt;b&amp;gt; và &amp;amp; và &lt;i&gt;</p>"
    )
