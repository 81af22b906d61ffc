"""Fixtures of the site-quality tests: the sample site built once, served over
local HTTP, and Debian's Chromium driven by Playwright (the session's
``browser``, in tests/conftest.py, shared with tests/security).

Every test in this folder is marked ``browser``. Without Chromium (or Java for
the HTML checker, or Playwright) they skip with the reason — except when
``CI=true``: there a missing tool fails the run, so CI cannot go green without
the browser tests having run.
"""

from __future__ import annotations

import shutil
import threading
from dataclasses import dataclass
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from helpers import ROOT, build

from browser.pages import PAGE_TYPES, VIEWPORTS, unavailable


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.browser)


class QuietHandler(SimpleHTTPRequestHandler):
    """Serves the built site; logs nothing (pytest shows failures, not requests)."""

    def end_headers(self):
        # LinkChecker throttles every host to a few requests a second unless
        # the server answers with this header.
        self.send_header("LinkChecker", "local test server")
        super().end_headers()

    def log_message(self, format, *args):
        pass


@dataclass(frozen=True)
class Site:
    url: str  # "http://127.0.0.1:PORT/", with the trailing slash
    output: Path

    def page_url(self, name: str) -> str:
        return self.url + PAGE_TYPES[name]

    def file(self, name: str) -> Path:
        path = self.output / PAGE_TYPES[name]
        return path / "index.html" if path.is_dir() else path


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    """The sample site, built once and served at http://127.0.0.1:<free port>/.

    The site's absolute addresses (share links, feeds, JSON-LD) point at the
    local server, so the link check follows them too.
    """
    output = tmp_path_factory.mktemp("served-site") / "output"
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(QuietHandler, directory=str(output)))
    base = f"http://127.0.0.1:{server.server_address[1]}"
    code, report = build(
        ROOT / "content",
        output,
        DEFAULT_PAGINATION=4,
        SITEURL=base,
        SITE_URL_ABSOLUTE=base,
        FEED_DOMAIN=base,
    )
    assert code == 0, report
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield Site(base + "/", output)
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def contexts(browser):
    """One browser context per viewport width, shared by the tests."""
    opened = {}

    def get(width: int):
        if width not in opened:
            viewport = VIEWPORTS.get(width, {"width": width, "height": 900})
            opened[width] = browser.new_context(viewport=viewport, locale="vi-VN")
        return opened[width]

    yield get
    for context in opened.values():
        context.close()


@pytest.fixture
def open_page(contexts, site):
    """open_page(name, width) → a new tab with that page type loaded."""
    pages = []

    def open_(name: str, width: int = 1280):
        page = contexts(width).new_page()
        pages.append(page)
        response = page.goto(site.page_url(name), wait_until="load")
        assert response.ok, f"{name}: HTTP {response.status}"
        return page

    yield open_
    for page in pages:
        page.close()


@pytest.fixture(scope="session")
def java():
    if not shutil.which("java"):
        unavailable(
            "Java not found: the Nu HTML checker needs it (apt-get install default-jre-headless)"
        )
    return shutil.which("java")
