"""Weight: a page without its photos (HTML + the CSS and JavaScript it
references) is under 30 KB gzip-compressed; no web font; no render-blocking
script; no request leaves the site."""

from __future__ import annotations

import gzip
from urllib.parse import urljoin, urlparse

import pytest
from bs4 import BeautifulSoup

from browser.pages import PAGE_TYPES

BUDGET = 30_000  # bytes, compressed
NON_BLOCKING_TYPES = {"module", "application/ld+json", "application/json"}


def parse(site, name):
    return BeautifulSoup(site.file(name).read_text(encoding="utf-8"), "html.parser")


def local_file(site, name, url):
    """The built file behind a URL that a page references."""
    absolute = urljoin(site.page_url(name), url)
    assert absolute.startswith(site.url), f"{name} loads {url} from another site"
    return site.output / urlparse(absolute).path.lstrip("/")


def page_weight(site, name) -> dict[str, tuple[int, int]]:
    """{file: (bytes, gzip -9 bytes)} for the page and its CSS and scripts."""
    soup = parse(site, name)
    files = [site.file(name)]
    files += [local_file(site, name, link["href"]) for link in soup.select("link[rel~=stylesheet]")]
    files += [local_file(site, name, script["src"]) for script in soup.select("script[src]")]
    weights = {}
    for path in files:
        data = path.read_bytes()
        weights[path.relative_to(site.output).as_posix()] = (
            len(data),
            len(gzip.compress(data, 9)),
        )
    return weights


@pytest.mark.parametrize("name", list(PAGE_TYPES))
def test_page_without_photos_is_under_30_kb_compressed(site, name):
    weights = page_weight(site, name)
    compressed = sum(gzipped for _, gzipped in weights.values())
    detail = ", ".join(f"{path} {raw} B → {gz} B" for path, (raw, gz) in weights.items())
    assert compressed < BUDGET, f"{name}: {compressed} B gzip -9 ({detail})"


@pytest.mark.parametrize("name", list(PAGE_TYPES))
def test_no_render_blocking_script(site, name):
    blocking = [
        str(script)[:120]
        for script in parse(site, name).find_all("script")
        if not script.has_attr("defer")
        and not script.has_attr("async")
        and script.get("type", "text/javascript") not in NON_BLOCKING_TYPES
    ]
    assert not blocking, f"{name}: render-blocking script(s): {blocking}"


def test_no_web_font_in_the_stylesheets(site):
    for css in (site.output / "theme").rglob("*.css"):
        assert "@font-face" not in css.read_text(encoding="utf-8"), css


@pytest.mark.parametrize("name", list(PAGE_TYPES))
def test_loads_no_font_nothing_from_elsewhere_and_no_error(contexts, site, name):
    page = contexts(390).new_page()
    requests, failures, errors = [], [], []
    page.on("request", lambda request: requests.append(request))  # noqa: PLW0108 - Playwright needs a Python function
    page.on("response", lambda response: response.status < 400 or failures.append(response.url))
    page.on("requestfailed", lambda request: failures.append(request.url))
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(site.page_url(name), wait_until="load")
    finally:
        page.close()
    fonts = [request.url for request in requests if request.resource_type == "font"]
    assert not fonts, f"{name} loads web fonts: {fonts}"
    elsewhere = [request.url for request in requests if not request.url.startswith(site.url)]
    assert not elsewhere, f"{name} loads from other sites: {elsewhere}"
    assert not failures, f"{name}: requests that failed: {failures}"
    assert not errors, f"{name}: errors in the console: {errors}"
