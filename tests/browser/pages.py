"""The pages and viewports the site-quality tests visit, and how they skip."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from helpers import ROOT

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
# As root Chromium needs --no-sandbox; the rest keep it off the network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
ARTIFACTS = ROOT / "test-artifacts"

# One page of each type of the sample site (built with 4 items a page, so
# listings have a page 2).
PAGE_TYPES = {
    "home": "",
    "home-page-2": "trang/2/",
    "article": "tin-tuc/2023/phat-dong-phong-trao-thi-dua-nam-2023/",
    "article-video": "tin-tuc/2023/nhieu-nha-dau-tu-den-tim-hieu-co-hoi-dau-tu-vao-kcn-thanh-binh/",
    # An article with a photo gallery (phóng sự ảnh) and its lightbox script.
    "article-gallery": (
        "tin-tuc/2025/hoi-nghi-can-bo-cong-chuc-vien-chuc-va-nguoi-lao-dong-nam-2025/"
    ),
    "movements": "phong-trao/",
    "movement": "phong-trao/thi-dua-phat-trien-kinh-te-xa-hoi/",
    "movement-year": "phong-trao/thi-dua-phat-trien-kinh-te-xa-hoi/2023/",
    "years": "nam/",
    "year": "nam/2023/",
    "author": "tac-gia/hong-nhung/",
    "authors": "tac-gia/",
    "tag": "chu-de/thi-dua/",
    "tags": "chu-de/",
    "about": "gioi-thieu/",
    "contact": "lien-he/",
    "site-map": "so-do-trang/",
    "accessibility": "tuyen-bo-tiep-can/",
    "search": "tim-kiem/",
    "documents": "van-ban/",
    "documents-type": "van-ban/loai/ke-hoach/",
    "document": "van-ban/2023/ke-hoach-phat-dong-thi-dua-nam-2023/",
    "editions": "ban-tin/",
    "edition": "ban-tin/2023/so-1/",
    "not-found": "404.html",
}
# Phone and desktop viewports, CSS pixels.
VIEWPORTS = {390: {"width": 390, "height": 844}, 1280: {"width": 1280, "height": 900}}


def unavailable(reason: str):
    """Skip for a missing tool, but fail in CI, where the tools must be installed."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} — CI=true: the browser tests must run, install it in .ci/run")
    pytest.skip(reason)
