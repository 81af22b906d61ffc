"""An article full of markup shown as text, and of pasted leftovers the
sanitiser dropped with a warning, runs no script in Chromium and covers
nothing: a reader clicking every link of its body sees no dialog, and every
element of the body stays in the flow of the page."""

from __future__ import annotations

import threading
from functools import partial
from http.server import ThreadingHTTPServer

import pytest
from helpers import build, copy_fixture_site
from security.vectors import PASTED_LEFTOVERS, TEXT_VECTORS

from browser.conftest import QuietHandler

URL = "tin-tuc/2023/vi-du-ma-doc/"


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile-site")
    content = copy_fixture_site(root)
    links = "\n\n".join(
        f"[Liên kết {n}]({href})"
        for n, href in enumerate(["https://backan.gov.vn/", "#doan-ket", "mailto:a@backan.gov.vn"])
    )
    body = "\n\n".join([*TEXT_VECTORS, *PASTED_LEFTOVERS, links])
    (content / "articles" / "2023" / "vi-du-ma-doc.md").write_text(
        "Title: Ví dụ mã độc chỉ là chữ <img src=x onerror=alert(1)>\n"
        "Date: 2023-05-02 09:00\nAuthor: Thu Hà\nMovement: dan-van-kheo\n"
        "Slug: vi-du-ma-doc\nSummary: Tóm tắt <script>alert(1)</script>\n\n" + body + "\n",
        encoding="utf-8",
    )
    output = root / "output"
    code, report = build(content, output)
    assert code == 0, report
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(QuietHandler, directory=str(output)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def test_article_with_shown_markup_runs_no_script_and_covers_nothing(browser, hostile_site):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN")
    page = context.new_page()
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.add_init_script("window.__ran = []; window.alert = (m) => window.__ran.push(m);")
    page.goto(hostile_site + URL, wait_until="load")
    body = page.locator(".article__body")
    assert "<img src=x onerror=alert(1)>" in body.inner_text()
    assert "onerror=alert(1)>" in page.locator("h1").inner_text()  # widont: a no-break space
    # A reader clicks every link of the body (same-page ones stay on the page).
    for link in body.locator("a").all():
        href = link.get_attribute("href") or ""
        if href.startswith("#"):
            link.click()
    page.mouse.move(100, 300)
    page.wait_for_timeout(300)
    assert dialogs == []
    assert page.evaluate("window.__ran") == []
    # Nothing in the body is taken out of the flow to cover the page.
    positioned = page.evaluate(
        """() => [...document.querySelectorAll('.article__body *')]
               .map(e => getComputedStyle(e).position)
               .filter(p => p === 'fixed' || p === 'absolute' || p === 'sticky')"""
    )
    assert positioned == []
    # The site's own top is what a reader sees at the top of the page: its
    # header, or the site's dated notice above it (bulletin.site.identity) —
    # never anything from the article's body.
    page.evaluate("window.scrollTo(0, 0)")
    top = page.evaluate(
        """() => { const e = document.elementFromPoint(195, 5);
                   return e.closest('header, .site-banner') !== null
                       && e.closest('.article__body') === null; }"""
    )
    assert top
    context.close()
