"""The search page as a reader uses it (js/search.js over the sample site):
the index loads on focus, results follow the typing, only the shown page of
results is fetched, the filters and the order work, and the vocabulary is
fetched only for a query that finds nothing."""

from __future__ import annotations

import re

STATUS = "() => document.querySelector('[data-search-status]').textContent"
DONE = f"() => /^(Tìm thấy|Không tìm)/.test(({STATUS})())"
DATE = re.compile(r"(\d\d)/(\d\d)/(\d{4})")


def recording(open_page):
    page = open_page("search")
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    return page, requests


def fetched(requests, part: str) -> list[str]:
    return [url for url in requests if part in url]


def days(page) -> list[str]:
    """Each shown result's date, as YYYY-MM-DD."""
    lines = page.locator(".search-result__meta").all_inner_texts()
    return ["{2}-{1}-{0}".format(*DATE.search(line).groups()) for line in lines]


def test_index_loads_on_focus_and_results_follow_the_typing(open_page):
    page, requests = recording(open_page)
    assert not fetched(requests, "pagefind")
    page.locator("#tu-khoa").focus()
    page.wait_for_function(
        "() => performance.getEntriesByType('resource').some((e) => e.name.includes('.pagefind'))"
    )
    assert fetched(requests, "pagefind.js") and fetched(requests, "wasm")
    assert not fetched(requests, "pf_fragment")  # nothing to show yet
    page.locator("#tu-khoa").press_sequentially("nông thôn mới", delay=40)  # no Enter
    page.wait_for_function(
        f"() => ({DONE})() && ({STATUS})().includes('“nông thôn mới”')", timeout=15_000
    )
    assert page.inner_text("[data-search-status]").startswith("Tìm thấy")
    assert "nông thôn mới" in page.inner_text("[data-search-status]")
    assert "q=" not in page.url  # the address changes on Enter only
    assert not fetched(requests, "tu-vung")


def test_only_the_shown_page_of_results_is_fetched(open_page, site):
    page = open_page("search")
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(site.url + "tim-kiem/?q=thi%20dua")
    page.wait_for_function(DONE, timeout=15_000)
    assert len(fetched(requests, "pf_fragment")) == 10
    shown = page.locator(".search-result").count()
    assert 0 < shown <= 10
    more = page.locator("[data-search-more]")
    assert more.is_visible()
    more.click()
    page.wait_for_function(f"() => document.querySelectorAll('.search-result').length > {shown}")
    assert 10 < len(fetched(requests, "pf_fragment")) <= 20
    # Keyboard users land on the first new result.
    focused = page.evaluate("document.activeElement.closest('.search-result') !== null")
    assert focused


def test_year_and_movement_filters_and_newest_first(open_page):
    page = open_page("search")
    box = page.locator("#tu-khoa")
    box.press_sequentially("doanh nghiep", delay=20)
    box.press("Enter")
    page.wait_for_function(DONE, timeout=15_000)
    everything = page.locator(".search-result").count()
    page.select_option("#loc-nam", label="2024")
    page.wait_for_function(
        f"() => ({STATUS})().startsWith('Tìm thấy')"
        " && document.querySelectorAll('.search-result').length"
        f" < {everything}"
    )
    assert days(page) and all(day.startswith("2024-") for day in days(page))
    page.select_option("#loc-nam", "")
    page.select_option("#loc-phong-trao", label="Cả nước chung sức xây dựng nông thôn mới")
    page.select_option("#sap-xep", "moi-nhat")
    page.wait_for_timeout(300)
    page.wait_for_function(DONE, timeout=15_000)
    shown = days(page)
    assert len(shown) >= 2 and shown == sorted(shown, reverse=True), shown
    titles = " ".join(page.locator(".search-result__title").all_inner_texts()).lower()
    assert "nông thôn mới" in titles


def test_the_vocabulary_is_fetched_only_to_suggest(open_page):
    page, requests = recording(open_page)
    box = page.locator("#tu-khoa")
    box.press_sequentially("tuyn", delay=40)
    box.press("Enter")
    page.wait_for_function(f"() => ({STATUS})().startsWith('Không tìm')", timeout=15_000)
    assert len(fetched(requests, "tu-vung.txt")) == 1
    suggested = page.locator("[data-search-suggested]")
    assert suggested.inner_text() == "tuyến"
    suggested.click()
    page.wait_for_function(f"() => ({STATUS})().startsWith('Tìm thấy')", timeout=15_000)
    assert "q=tuy%E1%BA%BFn" in page.url
    excerpts = " ".join(page.locator(".search-result__excerpt mark").all_inner_texts()).lower()
    assert "tuyến" in excerpts
