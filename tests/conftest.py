"""Shared fixtures: build a small site (or the sample site) into tmp_path."""

from __future__ import annotations

import logging

import pytest

# The helpers live in tests/helpers.py (import them from there); re-exported
# here only for bench/manifest.py, which still imports them from conftest.
from helpers import (  # noqa: F401
    FIXTURE_SETTINGS,
    FIXTURE_SITE,
    ROOT,
    build,
    copy_fixture_site,
    make_photo,
    page,
    tree,
)


def pytest_collection_modifyitems(config, items):
    """The browser tests last. Their session-wide browser and servers keep
    threads running in this process, and a build in a process with other
    threads never forks (bulletin.build.rendering.safe_to_fork): the tests
    of the build's worker processes must run before them."""
    items.sort(key=lambda item: item.path.parent.name == "browser")


@pytest.fixture(scope="session")
def fixture_site(tmp_path_factory):
    """The fixture site, built once: its output folder."""
    root = tmp_path_factory.mktemp("fixture-site")
    content = copy_fixture_site(root)
    output = root / "output"
    code, report = build(content, output)
    assert code == 0, report
    return output


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium through Playwright, one for the whole session (the
    browser and security tests share it: Playwright's sync API cannot run
    twice at once). Skipped when missing, except with CI=true."""
    from browser.pages import CHROMIUM, CHROMIUM_ARGS, unavailable  # noqa: PLC0415

    try:
        from playwright.sync_api import sync_playwright  # noqa: PLC0415
    except ImportError:
        unavailable("Playwright is not installed (pip install -r requirements-dev.txt)")
    if not CHROMIUM.is_file():
        unavailable(f"Chromium not found at {CHROMIUM} (Debian: apt-get install chromium)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def warnings_log(caplog):
    caplog.set_level(logging.WARNING)
    return caplog
