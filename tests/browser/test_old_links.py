"""Old portal addresses with a query string, in Chromium: the fixture portal is
imported, built and served; ``/news/news?news_id=152`` reaches its article
through the fallback page (bulletin.site.old_links), under the pages' CSP."""

from __future__ import annotations

import threading
from functools import partial
from http.server import ThreadingHTTPServer

import pytest
from helpers import build
from importer.old_portal import ARTICLES, import_into, make_portal, new_content, serve

from browser.conftest import QuietHandler


@pytest.fixture(scope="module")
def imported_site(tmp_path_factory):
    """The fixture portal imported into a new site, built and served."""
    folder = tmp_path_factory.mktemp("old-links")
    portal, stop_portal = serve(make_portal(folder / "portal"))
    content = new_content(folder)
    code, report, _ = import_into(content, f"{portal.url}/sitemap.xml", movement="van-hoa-cong-so")
    stop_portal()
    assert code == 0, report
    output = folder / "output"
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(QuietHandler, directory=str(output)))
    base = f"http://127.0.0.1:{server.server_address[1]}"
    code, log = build(content, output, SITEURL=base, FEED_DOMAIN=base, PUBLISHED_REF=False)
    assert code == 0, log
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield base
    server.shutdown()
    server.server_close()


def open_tab(browser, javascript=True):
    context = browser.new_context(java_script_enabled=javascript, locale="vi-VN")
    page = context.new_page()
    problems = []
    page.on("console", lambda message: problems.append(message.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    return context, page, problems


@pytest.mark.parametrize(("old", "slug"), [(o, s) for o, s in ARTICLES.items() if "?" in o])
def test_every_imported_query_address_reaches_its_article(browser, imported_site, old, slug):
    context, page, problems = open_tab(browser)
    try:
        page.goto(imported_site + old)
        page.wait_for_url(f"**/{slug}/", timeout=10_000)
        assert page.locator("h1").first.inner_text()
        assert not problems, problems  # no CSP violation, no script error
    finally:
        context.close()


def test_order_and_tracking_parameters_do_not_matter(browser, imported_site):
    context, page, _ = open_tab(browser)
    try:
        page.goto(imported_site + "/news/news?utm_source=zalo&news_id=153&fbclid=x")
        page.wait_for_url(
            "**/ban-quan-ly-cac-kcn-tap-huan-van-hoa-cong-so-cho-cong-chuc-vien-chuc/"
        )
    finally:
        context.close()


def test_an_unknown_address_offers_search_and_the_archive(browser, imported_site):
    context, page, problems = open_tab(browser)
    try:
        page.goto(imported_site + "/news/news?news_id=999")
        status = page.locator("#duong-dan-cu-trang-thai")
        assert "Không tìm thấy bài viết có địa chỉ cũ này" in status.inner_text()
        assert page.url.endswith("/news/news/?news_id=999")
        form = page.locator('form[aria-label="Tìm bài của cổng thông tin cũ"]')
        form.locator("input").fill("thi đua")
        form.locator("button").click()
        page.wait_for_url("**/tim-kiem/?q=thi+%C4%91ua")
        assert not problems, problems
    finally:
        context.close()


def test_without_javascript_the_page_is_a_plain_page_with_links(browser, imported_site):
    context, page, _ = open_tab(browser, javascript=False)
    try:
        page.goto(imported_site + "/news/news?news_id=152")
        assert page.url.endswith("/news/news/?news_id=152")  # no redirect
        assert page.locator("h1").inner_text() == "Trang đã chuyển sang địa chỉ mới"
        links = page.locator("main a")
        assert links.count() == 2
        assert page.locator("#tim-kiem-trang-cu").is_visible()
        # The map is data, not script: the page holds it as text.
        assert page.locator("script#duong-dan-cu").get_attribute("type") == "application/json"
    finally:
        context.close()
