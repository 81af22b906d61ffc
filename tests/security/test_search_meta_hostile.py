"""Search metadata and queries are text: a byline and a tag carrying markup
reach Pagefind's index as metadata (partials/search_meta.html) and come back
on the search page as characters; a query typed with markup is shown in the
status line (and a suggestion) as characters. Nothing runs, with the page's
Content-Security-Policy as built or stripped (the page's own code alone).
Queries are typed key by key.
"""

from __future__ import annotations

import pytest
from helpers import build, copy_fixture_site

from security.browsing import open_tab, served, without_policy

pytestmark = pytest.mark.browser

SLUG = "tin-co-the-la"
URL = f"tin-tuc/2024/{SLUG}/"
BYLINE = "Minh <img src=x onerror=window.xssFlag=3>"
TAG = "<script>window.xssFlag=4</script>kỳ lân"
ARTICLE = f"""Title: Hội thi kỳ lân xanh của công đoàn
Slug: {SLUG}
Date: 2024-06-04 08:00
Author: {BYLINE}
Movement: bac-kan-day-manh-chuyen-doi-so
Tags: {TAG}

Công đoàn tổ chức hội thi kỳ lân xanh cho đoàn viên.
"""
STATUS = "() => document.querySelector('[data-search-status]').textContent"


@pytest.fixture(scope="module")
def hostile_output(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile-meta")
    content = copy_fixture_site(root)
    (content / "articles" / "2024" / f"{SLUG}.md").write_text(ARTICLE, encoding="utf-8")
    output = root / "output"
    code, report = build(content, output)
    assert code == 0, report
    return output


@pytest.fixture(params=["meta", "none"])
def tab(request, browser, hostile_output):
    with served(hostile_output) as url:
        context = browser.new_context(locale="vi-VN")
        if request.param == "none":
            without_policy(context)
        yield url, open_tab(context)
        context.close()


def typed(page, query: str) -> str:
    box = page.locator("#tu-khoa")
    box.clear()
    box.press_sequentially(query, delay=15)
    box.press("Enter")
    page.wait_for_function(
        f"() => /^(Tìm thấy|Không tìm)/.test(({STATUS})())"
        f" && ({STATUS})().includes({query.strip()!r})",
        timeout=15_000,
    )
    return page.inner_text("[data-search-status]")


def assert_nothing_ran(tab):
    assert tab.dialogs == [] and tab.errors == []
    assert tab.flag() is None
    assert tab.violations() == []
    assert tab.page.locator("[data-search] img, [data-search] script").count() == 0


def test_markup_in_a_byline_comes_back_as_text(tab):
    url, recording = tab
    page = recording.page
    page.goto(url + "tim-kiem/")
    typed(page, "kỳ lân xanh")
    item = page.locator(".search-result", has=page.locator(f"a[href$='/{URL}']"))
    assert item.count() == 1, page.inner_text("[data-search-results]")
    facts = item.locator(".search-result__meta").text_content()
    assert "<img src=x onerror=window.xssFlag=3>" in facts, facts
    assert item.locator("*").evaluate_all("(els) => els.map((e) => e.tagName)") == [
        "H2",
        "A",
        "P",
        "P",
        *["MARK"] * item.locator("mark").count(),
    ]
    assert_nothing_ran(recording)


@pytest.mark.parametrize(
    "query",
    [
        "<img src=x onerror=window.xssFlag=1>",
        "kỳ lân, <script>window.xssFlag=2</script>",
        '"><svg onload=window.xssFlag=5>',
    ],
)
def test_a_typed_query_with_markup_is_shown_as_text(tab, query):
    url, recording = tab
    page = recording.page
    page.goto(url + "tim-kiem/")
    status = typed(page, query)
    assert query.strip() in status
    suggestion = page.locator("[data-search-suggested]")
    assert suggestion.locator("*").count() == 0
    assert_nothing_ran(recording)
