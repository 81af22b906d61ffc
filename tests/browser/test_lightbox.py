"""The gallery's lightbox in Chromium, as a reader uses it: a 12-photo gallery
built from a test article, clicked, browsed with ←/→, Tab kept inside, Esc and
focus back on the photo's link; swiped on a phone; the large JPEG fetched only
on the click; axe-clean open and closed; the page inside the 30 KB budget;
without JavaScript each photo is a plain link to its large version."""

from __future__ import annotations

import gzip
from urllib.parse import urljoin, urlparse

import pytest
from bs4 import BeautifulSoup
from helpers import build, copy_fixture_site, make_photo
from security.browsing import served

from browser.pages import VIEWPORTS
from browser.test_page_weight import BUDGET
from browser.test_pages_in_browser import (
    assert_no_horizontal_scroll,
    axe_violations,
    describe_violations,
)

COUNT = 12
URL = "tin-tuc/2023/phong-su-anh-ngay-hoi/"
# Functions, not expressions: Playwright evals a bare expression, which the
# page's Content-Security-Policy (no 'unsafe-eval') refuses.
IS_OPEN = "() => document.querySelector('dialog.lightbox').open"
IS_CLOSED = "() => !document.documentElement.classList.contains('lightbox-open')"
HEADER = (
    "Title: Phóng sự ảnh: ngày hội thi đua\nDate: 2023-06-01 09:00\nAuthor: Thu Hà\n"
    "Movement: dan-van-kheo\nSlug: phong-su-anh-ngay-hoi\n\n"
    "Những hình ảnh tại ngày hội.\n\n"
)


def caption(number: int) -> str:
    return f"Quang cảnh ngày hội, góc số {number}"


@pytest.fixture(scope="module")
def gallery_site(tmp_path_factory):
    """The fixture site plus one article whose body is a 12-photo gallery;
    served at a free local port."""
    root = tmp_path_factory.mktemp("lightbox")
    content = copy_fixture_site(root)
    lines = []
    for number in range(1, COUNT + 1):
        color = (20 * number, 120, 255 - 20 * number)
        folder = content / "articles" / "2023" / "anh" / "ngay-hoi"
        make_photo(folder / f"{number}.jpg", color=color)
        credit = " (Ảnh: Hồng Nhung)" if number % 2 else ""
        lines.append(
            f'![Ô màu số {number}](anh/ngay-hoi/{number}.jpg "{caption(number)}{credit}")\n'
        )
    article = content / "articles" / "2023" / "phong-su-anh-ngay-hoi.md"
    article.write_text(HEADER + "\n".join(lines), encoding="utf-8")
    output = root / "output"
    code, report = build(content, output)
    assert code == 0, report
    with served(output) as url:
        yield url, output


def large_urls(output) -> list[str]:
    """Each photo's large JPEG, as the page links it (page-relative)."""
    html = (output / URL / "index.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "html.parser")
    return [link["href"] for link in soup.select(".gallery a.photo__link")]


def open_gallery(browser, url, width=1280, **options):
    context = browser.new_context(viewport=VIEWPORTS[width], locale="vi-VN", **options)
    page = context.new_page()
    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(url + URL, wait_until="load")
    return context, page, requests, errors


def state(page) -> dict:
    """What the open lightbox shows, and where the focus is."""
    return page.evaluate(
        """() => {
          const dialog = document.querySelector("dialog.lightbox");
          const active = document.activeElement;
          return {
            open: !!(dialog && dialog.open),
            modal: dialog ? dialog.matches(":modal") : false,
            ariaModal: dialog ? dialog.getAttribute("aria-modal") : null,
            counter: dialog ? dialog.querySelector(".lightbox__counter").textContent : "",
            caption: dialog ? dialog.querySelector(".lightbox__caption").textContent : "",
            credit: dialog ? dialog.querySelector(".lightbox__credit").textContent : "",
            src: dialog ? dialog.querySelector(".lightbox__image").src : "",
            alt: dialog ? dialog.querySelector(".lightbox__image").alt : "",
            focusInside: !!(dialog && dialog.contains(active)),
            focused: active ? (active.textContent || active.getAttribute("href") || "") : "",
            focusedHref: active && active.getAttribute("href"),
            scrollLocked: getComputedStyle(document.documentElement).overflow === "hidden",
          };
        }"""
    )


def test_keyboard_path_through_a_12_photo_gallery(browser, gallery_site):
    url, output = gallery_site
    larges = [urljoin(url + URL, href) for href in large_urls(output)]
    assert len(larges) == COUNT
    context, page, requests, errors = open_gallery(browser, url)
    try:
        assert not state(page)["scrollLocked"]
        page.mouse.wheel(0, 3000)  # every thumbnail in view once: lazy ones load
        page.wait_for_timeout(300)
        assert not set(larges) & set(requests), "a large JPEG was fetched before any click"
        page.locator(".gallery a.photo__link").nth(2).click()
        page.wait_for_function(IS_OPEN)
        shown = state(page)
        assert shown["open"] and shown["modal"] and shown["ariaModal"] == "true"
        assert shown["counter"] == f"3/{COUNT}"
        assert shown["caption"].startswith(caption(3)) and shown["credit"] == "Ảnh: Hồng Nhung"
        assert shown["src"] == larges[2] and shown["alt"] == "Ô màu số 3"
        assert shown["focusInside"] and shown["scrollLocked"]
        page.wait_for_function("() => document.querySelector('.lightbox__image').complete")
        assert larges[2] in requests and larges[3] not in requests  # only the one asked for

        page.keyboard.press("ArrowRight")
        shown = state(page)
        assert shown["counter"] == f"4/{COUNT}" and shown["caption"] == caption(4)
        assert shown["credit"] == "" and shown["src"] == larges[3]
        page.keyboard.press("ArrowLeft")
        page.keyboard.press("ArrowLeft")
        assert state(page)["counter"] == f"2/{COUNT}"
        page.keyboard.press("ArrowLeft")
        page.keyboard.press("ArrowLeft")
        assert state(page)["counter"] == f"{COUNT}/{COUNT}"  # wraps round
        page.keyboard.press("ArrowRight")
        assert state(page)["counter"] == f"1/{COUNT}"

        seen = set()
        for _ in range(7):
            page.keyboard.press("Tab")
            shown = state(page)
            assert shown["focusInside"], f"Tab left the dialog: {shown['focused']!r}"
            seen.add(shown["focused"].strip())
        page.keyboard.press("Shift+Tab")
        assert state(page)["focusInside"]
        assert {"✕ Đóng", "‹ Ảnh trước", "Ảnh sau ›"} <= seen, seen
        # The buttons, by their Vietnamese names, as a screen reader hears them.
        for name in ("Đóng", "Ảnh trước", "Ảnh sau"):
            assert page.get_by_role("button", name=name, exact=True).is_visible()
        page.get_by_role("button", name="Ảnh sau", exact=True).click()
        assert state(page)["counter"] == f"2/{COUNT}"

        page.keyboard.press("Escape")
        # The dialog's "close" event comes a task after it shuts.
        page.wait_for_function(IS_CLOSED)
        assert not state(page)["open"]
        shown = state(page)
        assert not shown["scrollLocked"]
        assert shown["focusedHref"] == large_urls(output)[2], "focus not back on the photo"
        assert not errors, errors
    finally:
        context.close()


def test_swipe_on_a_phone(browser, gallery_site):
    url, _output = gallery_site
    context, page, _requests, errors = open_gallery(browser, url, 390, has_touch=True)
    try:
        assert_no_horizontal_scroll(page, "gallery page at 390 px")
        row = page.evaluate(
            """() => {
              const gallery = document.querySelector(".gallery");
              const style = getComputedStyle(gallery);
              const scrolls = gallery.scrollWidth > gallery.clientWidth;
              return {snap: style.scrollSnapType, scrolls: scrolls};
            }"""
        )
        assert row["snap"].startswith("x") and row["scrolls"], row
        page.locator(".gallery a.photo__link").first.tap()
        page.wait_for_function(IS_OPEN)
        assert state(page)["counter"] == f"1/{COUNT}"

        def swipe(dx):
            box = page.locator(".lightbox__frame").bounding_box()
            x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
            moves = (("pointerdown", x), ("pointermove", x + dx / 2), ("pointerup", x + dx))
            for kind, at in moves:
                page.dispatch_event(
                    ".lightbox__frame",
                    kind,
                    {"clientX": at, "clientY": y, "pointerType": "touch", "isPrimary": True},
                )

        swipe(-150)
        assert state(page)["counter"] == f"2/{COUNT}"
        swipe(150)
        swipe(150)
        assert state(page)["counter"] == f"{COUNT}/{COUNT}"
        swipe(-10)  # a tap-sized move is not a swipe
        assert state(page)["counter"] == f"{COUNT}/{COUNT}"
        page.get_by_role("button", name="Đóng", exact=True).tap()
        page.wait_for_function(IS_CLOSED)
        assert not state(page)["open"]
        assert not errors, errors
    finally:
        context.close()


def test_grid_on_a_wide_screen(browser, gallery_site):
    url, _output = gallery_site
    context, page, _requests, _errors = open_gallery(browser, url)
    try:
        columns = page.evaluate(
            "getComputedStyle(document.querySelector('.gallery')).gridTemplateColumns"
        )
        assert len(columns.split()) >= 3, columns
    finally:
        context.close()


@pytest.mark.parametrize("width", list(VIEWPORTS))
def test_axe_finds_nothing_closed_or_open(browser, gallery_site, width):
    url, _output = gallery_site
    context, page, _requests, _errors = open_gallery(browser, url, width)
    try:
        violations = axe_violations(page)
        assert not violations, describe_violations(violations)
        page.locator(".gallery a.photo__link").nth(4).click()
        page.wait_for_function(IS_OPEN)
        violations = axe_violations(page)
        assert not violations, "open lightbox:\n" + describe_violations(violations)
    finally:
        context.close()


def test_without_javascript_a_photo_opens_its_large_version(browser, gallery_site):
    url, output = gallery_site
    context, page, _requests, _errors = open_gallery(browser, url, java_script_enabled=False)
    try:
        page.locator(".gallery a.photo__link").nth(5).click()
        page.wait_for_load_state()
        assert page.url == urljoin(url + URL, large_urls(output)[5])
    finally:
        context.close()


def test_12_photo_gallery_page_is_inside_the_weight_budget(gallery_site):
    _url, output = gallery_site
    html_path = output / URL / "index.html"
    soup = BeautifulSoup(html_path.read_text(encoding="utf-8"), "html.parser")
    files = [html_path]
    for reference in [link["href"] for link in soup.select("link[rel~=stylesheet]")] + [
        script["src"] for script in soup.select("script[src]")
    ]:
        files.append(output / urlparse(urljoin("http://x/" + URL, reference)).path.lstrip("/"))
    assert any(path.name == "gallery.js" for path in files)
    compressed = sum(len(gzip.compress(path.read_bytes(), 9)) for path in files)
    assert compressed < BUDGET, f"{compressed} B gzip -9: {[p.name for p in files]}"
