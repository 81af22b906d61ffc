"""A reader finds an official document by a phrase printed only inside its PDF."""

from __future__ import annotations

import pytest

PHRASE = "sáng kiến ứng dụng công nghệ thông tin"  # only in content/van-ban/2022/08-kh-bql.pdf
PLAN = "van-ban/2022/ke-hoach-huong-ung-chuyen-doi-so/"


def wait_for_results(page) -> None:
    # A function, not a bare expression: the page's CSP forbids eval().
    page.wait_for_function(
        "() => document.querySelector('[data-search-status]').textContent"
        ".match(/^(Tìm thấy|Không tìm)/)",
        timeout=15_000,
    )


def first_result(page, site) -> tuple[str, str, str]:
    """(site-relative URL, title, the line under it) of the first result."""
    result = page.locator(".search-result").first
    link = result.locator(".search-result__title a")
    url = link.get_attribute("href").removeprefix(site.url)
    return url, link.inner_text(), result.locator(".search-result__meta").inner_text()


def test_typed_in_the_header_box_on_the_register(open_page, site):
    page = open_page("documents")
    box = page.locator("#tim-kiem-nhanh")
    box.click()
    box.press_sequentially(PHRASE, delay=20)  # key by key, as a reader types
    box.press("Enter")
    page.wait_for_url("**/tim-kiem/?q=*")
    wait_for_results(page)
    url, title, meta = first_result(page, site)
    assert url == PLAN
    assert title.startswith("Kế hoạch hưởng ứng phong trào thi đua")
    assert meta == "Kế hoạch số 08/KH-BQL · 15/02/2022"
    excerpt = page.locator(".search-result").first.locator(".search-result__excerpt")
    assert excerpt.locator("mark").count() >= 1  # the words found, marked
    page.locator(".search-result__title a").first.click()
    page.wait_for_url(site.url + PLAN)
    pdf = page.locator(".doc-files a[type='application/pdf']")
    assert pdf.get_attribute("href").endswith("/08-kh-bql.pdf")


@pytest.mark.parametrize("query", ["sang kien ung dung cong nghe thong tin", "08/KH-BQL"])
def test_typed_without_marks_or_by_number_on_the_search_page(open_page, site, query):
    page = open_page("search")
    box = page.locator("#tu-khoa")
    box.click()
    box.press_sequentially(query, delay=20)
    box.press("Enter")
    wait_for_results(page)
    url, _title, meta = first_result(page, site)
    assert url == PLAN
    assert meta.startswith("Kế hoạch số 08/KH-BQL")
