"""Hostile input against the gallery (issue 16, item 3): markup in a caption
or credit stays text in the figure and in the lightbox (gallery.js sets text,
never HTML); an editor's own <div class="gallery" role="group" aria-label>
cannot fake a gallery (the wrapper is made after the sanitiser, which strips
all three) and raw figures cannot point the lightbox at another site."""

from __future__ import annotations

import pytest
from helpers import build, copy_fixture_site, page

from bulletin.content.sanitize import removed, sanitize
from security.browsing import open_tab, served

# A function, not an expression: Playwright evals a bare expression, which the
# page's Content-Security-Policy (no 'unsafe-eval') refuses.
IS_OPEN = "() => document.querySelector('dialog.lightbox').open"
HEADER = (
    "Title: Ảnh {slug}\nDate: 2023-05-02 09:00\nAuthor: Thu Hà\nMovement: dan-van-kheo\n"
    "Slug: {slug}\n\n"
)
PHOTO = "anh/phat-dong/nhung-11.jpg"
# No double quotes: they end a Markdown title. Each would set window.xssFlag.
CAPTIONS = [
    "<img src=x onerror=window.xssFlag=1>",
    "</figcaption><script>window.xssFlag=2</script>",
    "<svg onload=window.xssFlag=3>",
    "Hội nghị. Ảnh: <b onmouseover=window.xssFlag=4>Lan</b>",
    "<a href=javascript:window.xssFlag=5>bấm</a> &lt;i&gt;",
]
FORGED = (
    '<div class="gallery" role="group" aria-label="Giả mạo">\n'
    '<figure class="photo"><a class="photo__link" href="https://evil.example/big.jpg">'
    '<img src="https://evil.example/a.jpg" alt="a"></a></figure>\n'
    '<figure class="photo"><a class="photo__link" href="https://evil.example/big.jpg">'
    '<img src="https://evil.example/b.jpg" alt="b"></a></figure>\n'
    "</div>\n"
)


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("gallery-hostile")
    content = copy_fixture_site(root)
    photos = "\n".join(f'![Ảnh {n}]({PHOTO} "{text}")' for n, text in enumerate(CAPTIONS))
    articles = content / "articles" / "2023"
    (articles / "chu-thich-doc.md").write_text(
        HEADER.format(slug="chu-thich-doc") + photos + "\n", encoding="utf-8"
    )
    (articles / "thu-vien-gia.md").write_text(
        HEADER.format(slug="thu-vien-gia") + "Chữ.\n\n" + FORGED, encoding="utf-8"
    )
    output = root / "output"
    code, report = build(content, output)
    assert code == 0, report
    return output, report


def test_markup_in_captions_is_text_in_the_figures(hostile_site):
    output, _report = hostile_site
    soup = page(output, "tin-tuc/2023/chu-thich-doc/")
    figures = soup.select(".gallery > figure.photo")
    assert len(figures) == len(CAPTIONS)
    for figure in figures:
        caption = figure.figcaption
        assert not caption.find_all(lambda tag: tag.name not in {"small"})
    texts = [figure.figcaption.get_text() for figure in figures]
    assert texts[0] == CAPTIONS[0] and texts[1] == CAPTIONS[1]
    assert figures[3].figcaption.small.get_text() == "Ảnh: <b onmouseover=window.xssFlag=4>Lan</b>"


@pytest.mark.browser
def test_markup_in_captions_stays_text_in_the_lightbox(browser, hostile_site):
    output, _report = hostile_site
    with served(output) as url:
        context = browser.new_context(locale="vi-VN")
        tab = open_tab(context)
        try:
            tab.page.goto(url + "tin-tuc/2023/chu-thich-doc/", wait_until="load")
            tab.page.locator(".gallery a.photo__link").first.click()
            tab.page.wait_for_function(IS_OPEN)
            for number in range(len(CAPTIONS)):
                shown = tab.page.evaluate(
                    """() => {
                      const dialog = document.querySelector("dialog.lightbox");
                      const caption = dialog.querySelector(".lightbox__caption");
                      return {
                        caption: caption.textContent,
                        elements: Array.from(caption.querySelectorAll("*"), (e) => e.tagName),
                        images: dialog.querySelectorAll("img").length,
                      };
                    }"""
                )
                assert shown["elements"] == ["SPAN", "SMALL"], shown
                assert shown["images"] == 1, shown
                if number in (0, 1, 2):
                    assert CAPTIONS[number] in shown["caption"], shown
                tab.page.keyboard.press("ArrowRight")
            tab.page.mouse.move(10, 10)
            tab.page.keyboard.press("Escape")
            assert tab.flag() is None and tab.dialogs == [] and tab.errors == []
            assert tab.violations() == []
        finally:
            context.close()


def test_an_editor_cannot_forge_a_gallery(hostile_site):
    output, _report = hostile_site
    html = (output / "tin-tuc/2023/thu-vien-gia/index.html").read_text(encoding="utf-8")
    assert "Giả mạo" not in html
    soup = page(output, "tin-tuc/2023/thu-vien-gia/")
    # The editor's two raw photo figures are consecutive photos: at most the
    # site's own wrapper, with the true count, around what the sanitiser kept.
    for gallery in soup.select(".gallery"):
        assert gallery["aria-label"] == "Phóng sự ảnh: 2 ảnh"
        assert gallery.find_parent(class_="article__body")
    # No link of the lightbox leaves the site: photo__link is made only for
    # the site's own photos, after the sanitiser (which drops the class).
    assert not soup.select("a.photo__link")
    # What the sanitiser removed is said to the editor (warnings, nothing silent).
    said = " ".join(removal.message for removal in removed(FORGED, sanitize(FORGED)))
    assert '"role"' in said and '"aria-label"' in said, said
