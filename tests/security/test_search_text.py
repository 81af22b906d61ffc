"""Text is text on the search page: an article that *shows* markup (a code
span, a paragraph of ``&lt;`` entities) is found, its excerpt shows the markup
as characters, and nothing of it ever runs — neither through the page's own
code (tested with the Content-Security-Policy stripped) nor with the policy
as the build writes it (``<meta>``) or as the web server should send it (the
header of docs/http-headers.md, which also governs Pagefind's worker).
Queries are typed key by key, in Vietnamese with diacritics and spaces.
"""

from __future__ import annotations

import pytest
from helpers import ROOT, build, copy_fixture_site

from bulletin.build.main import load_settings
from bulletin.site import security
from security.browsing import open_tab, served, without_policy

pytestmark = pytest.mark.browser

SLUG = "trinh-bay-doan-lenh"
URL = f"tin-tuc/2024/{SLUG}/"
IMG = "<img src=x onerror=window.xssFlag=1;alert(1)>"
SCRIPT = "<script>window.xssFlag=2;alert(2)</script>"
ARTICLE = f"""Title: Hướng dẫn trình bày đoạn lệnh trong tin bài
Slug: {SLUG}
Date: 2024-06-03 08:00
Author: Thu Hà
Movement: bac-kan-day-manh-chuyen-doi-so
Tags: an toàn thông tin

Bài viết chỉ cho biên tập viên cách đưa một đoạn lệnh vào bài như chữ thường.

Minh họa mã độc giả mạo: `{IMG}` chỉ hiện như chữ.

Thẻ kịch bản chèn ngầm: {SCRIPT.replace("<", "&lt;").replace(">", "&gt;")} cũng chỉ là chữ.

| Cột trái | Cột giữa | Cột phải |
|:--|:-:|--:|
| một | hai | ba |
"""
# A function, not an expression: Playwright evaluates a bare expression with
# eval(), which the pages' policy forbids.
STATUS = "() => document.querySelector('[data-search-status]').textContent"
DONE = f"() => ({STATUS})().match(/^(Tìm thấy|Không tìm)/)"


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    """The fixture site plus the article above: (output folder, header policy)."""
    root = tmp_path_factory.mktemp("hostile-search")
    content = copy_fixture_site(root)
    (content / "articles" / "2024" / f"{SLUG}.md").write_text(ARTICLE, encoding="utf-8")
    output = root / "output"
    code, report = build(content, output)
    assert code == 0, report
    settings = load_settings(str(ROOT / "pelicanconf.py"), PATH=str(content))
    return output, security.header_policy(settings)


@pytest.fixture(params=["meta", "header", "none"])
def site_tab(request, browser, hostile_site):
    """(site address, a recording tab) with the policy in the page's
    ``<meta>`` as built, also sent as a header, or stripped altogether."""
    output, header = hostile_site
    with served(output, header if request.param == "header" else "") as url:
        context = browser.new_context(locale="vi-VN")
        if request.param == "none":
            without_policy(context)
        yield url, open_tab(context), request.param
        context.close()


def hostile_result(page):
    """The result of the hostile article: its link, its excerpt element."""
    page.wait_for_function(DONE, timeout=15_000)
    assert page.inner_text("[data-search-status]").startswith("Tìm thấy"), "no result"
    item = page.locator(".search-result", has=page.locator(f"a[href$='/{URL}']"))
    assert item.count() == 1, page.inner_text("[data-search-results]")
    return item.locator(".search-result__excerpt")


def assert_only_text_and_marks(excerpt):
    tags = excerpt.evaluate("(p) => Array.from(p.querySelectorAll('*'), (e) => e.tagName)")
    assert tags and set(tags) == {"MARK"}, tags


def assert_nothing_ran(tab):
    assert tab.dialogs == []
    assert tab.flag() is None
    assert tab.errors == []
    # Not even tried: a blocked attempt would be a violation.
    assert tab.violations() == []
    assert tab.page.locator("[data-search-results] img").count() == 0


@pytest.mark.parametrize(("query", "shown"), [("onerror", IMG), ("script", SCRIPT)])
def test_a_query_in_the_address_shows_markup_as_text(site_tab, query, shown):
    url, tab, _mode = site_tab
    tab.page.goto(f"{url}tim-kiem/?q={query}")
    excerpt = hostile_result(tab.page)
    assert shown in excerpt.text_content()
    assert_only_text_and_marks(excerpt)
    marks = excerpt.locator("mark").all_text_contents()
    assert any(query in mark for mark in marks), marks
    assert_nothing_ran(tab)


def test_typed_queries_find_the_article_and_highlight_the_words(site_tab):
    url, tab, _mode = site_tab
    page = tab.page
    page.goto(f"{url}tim-kiem/")
    box = page.locator("#tu-khoa")
    for query, shown in (("mã độc giả mạo", IMG), ("onerror", IMG), ("kịch bản chèn ngầm", SCRIPT)):
        box.clear()
        box.press_sequentially(query, delay=20)
        box.press("Enter")
        page.wait_for_function(
            f"() => ({STATUS})().includes('{query}')",
            timeout=15_000,
        )
        excerpt = hostile_result(page)
        text = excerpt.text_content()
        assert shown in text, text
        assert_only_text_and_marks(excerpt)
        marks = " ".join(excerpt.locator("mark").all_text_contents()).lower()
        for word in query.split():
            assert word in marks, (query, marks)
        # The address keeps the query (reload, share).
        assert page.evaluate("new URLSearchParams(location.search).get('q')") == query
    assert_nothing_ran(tab)


def test_the_article_itself_shows_markup_as_text(site_tab):
    url, tab, mode = site_tab
    tab.page.goto(url + URL)
    body = tab.page.locator(".article__body")
    assert IMG in body.inner_text() and SCRIPT in body.inner_text()
    assert body.locator("img, script").count() == 0
    assert_nothing_ran(tab)
    if mode != "none":
        # Markdown's column alignment is the one inline style the policy
        # allows (by hash): it still applies.
        aligned = tab.page.eval_on_selector_all(
            ".article__body td", "(cells) => cells.map((c) => getComputedStyle(c).textAlign)"
        )
        assert aligned == ["left", "center", "right"]
