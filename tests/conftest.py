"""Shared fixtures: build a small site (or the sample site) into tmp_path."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from PIL import Image

from bulletin.build import build_site, load_settings

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_SITE = Path(__file__).resolve().parent / "fixtures" / "site"
# The fixture site schedules an article for 2099 to prove scheduling; the
# site's own horizon (a year: later is a typo) is tested on its own
# (tests/bad_inputs/ngay-qua-xa).
FIXTURE_SETTINGS = {"SCHEDULE_HORIZON_DAYS": 100 * 366}


def make_photo(path: Path, size=(1200, 900), color=(180, 40, 40)) -> Path:
    """A real JPEG made in the test, so no binary fixture is committed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", size, color).save(path, "JPEG", quality=80)
    return path


def copy_fixture_site(target: Path) -> Path:
    """The fixture content in ``target/content``, with its photos made."""
    shutil.copytree(FIXTURE_SITE / "content", target / "content")
    articles = target / "content" / "articles"
    make_photo(articles / "2023" / "anh" / "phat-dong" / "nhung-11.jpg")
    make_photo(articles / "2024" / "anh" / "ban-nhap" / "rieng.jpg", color=(0, 90, 0))
    return target / "content"


def build(content: Path, output: Path, **overrides) -> tuple[int, str]:
    """Build ``content`` into ``output`` with the project's settings."""
    import io  # noqa: PLC0415

    # Each test site keeps its caches beside its output, never in the checkout.
    overrides.setdefault("CACHE_PATH", str(output.parent / "cache" / "pelican"))
    overrides.setdefault("SEARCH_CACHE_PATH", str(output.parent / "cache" / "search"))
    overrides.setdefault("BUILD_DIGEST_FILE", str(output.parent / "cache" / "build-record.json"))
    for key, value in FIXTURE_SETTINGS.items():
        overrides.setdefault(key, value)
    settings = load_settings(
        str(ROOT / "pelicanconf.py"), PATH=str(content), OUTPUT_PATH=str(output), **overrides
    )
    stream = io.StringIO()
    code = build_site(settings, stream=stream)
    return code, stream.getvalue()


def page(output: Path, url: str) -> BeautifulSoup:
    """Parse the page at a site URL such as ``phong-trao/x/``."""
    path = output / url
    if url.endswith("/") or url == "":
        path = path / "index.html"
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


@pytest.fixture(scope="session")
def fixture_site(tmp_path_factory):
    """The fixture site, built once: (output folder, build log text)."""
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
        unavailable("Playwright is not installed (pip install -r requirements.txt)")
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
