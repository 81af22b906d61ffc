"""Search in Vietnamese, with or without diacritics, in the browser."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from browser.pages import PAGE_TYPES


def search(open_page, site, query: str) -> list[str]:
    """Result URLs (site-relative) for a query typed into the search page."""
    page = open_page("search")
    page.fill("#tu-khoa", query)
    page.press("#tu-khoa", "Enter")
    # A function, not a bare expression: Playwright evaluates an expression
    # with eval(), which the page's Content-Security-Policy forbids.
    page.wait_for_function(
        "() => document.querySelector('[data-search-status]').textContent"
        ".match(/^(Tìm thấy|Không tìm)/)",
        timeout=15_000,
    )
    urls = page.eval_on_selector_all(".search-result__title a", "links => links.map(a => a.href)")
    return [url.removeprefix(site.url) for url in urls]


def text_of(site, url: str) -> str:
    html = (site.output / url / "index.html").read_text(encoding="utf-8")
    body = BeautifulSoup(html, "html.parser").find(attrs={"data-pagefind-body": True})
    return body.get_text(" ").replace("\xa0", " ").lower()


@pytest.mark.parametrize(
    ("query", "must_contain"),
    [
        ("thi dua", "thi đua"),  # tone and vowel marks left out
        ("doan thanh nien", "đoàn thanh niên"),  # "đ" typed as "d"
        ("Đoàn thanh niên", "đoàn thanh niên"),
        ("chuyen doi so", "chuyển đổi số"),
    ],
)
def test_unaccented_queries_find_accented_text(open_page, site, query, must_contain):
    urls = search(open_page, site, query)
    assert urls, f"no result for {query!r}"
    assert must_contain in text_of(site, urls[0]), f"{query!r} → {urls[0]}"
    assert all(url.startswith(("tin-tuc/", "gioi-thieu/", "lien-he/", "van-ban/")) for url in urls)


def test_a_query_with_marks_finds_only_those_marks(open_page, site):
    # Pagefind strips marks, so "Đảng" also finds "đăng": a query typed with
    # marks shows only the pages that have its words as typed.
    urls = search(open_page, site, "Đảng")
    assert urls
    # A document's files' text is indexed, not on its page: left out here.
    pages = [url for url in urls if not url.startswith("van-ban/")]
    assert pages and all("đảng" in text_of(site, url) for url in pages), urls


def test_without_javascript_the_page_says_so(browser, site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site.url + PAGE_TYPES["search"])
    message = page.locator("[data-search-nojs]")
    assert message.is_visible() and "JavaScript" in message.inner_text()
    assert message.locator("a").first.get_attribute("href").endswith("nam/")
    assert not page.locator("[data-search-form]").is_visible()
    context.close()
