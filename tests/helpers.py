"""Helpers shared by the tests: build a site into a folder, read what it wrote.

Plain functions and constants, imported as ``from helpers import build, page``
(pytest puts ``tests/`` on ``sys.path``). Fixtures stay in ``conftest.py``.
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path

from bs4 import BeautifulSoup
from PIL import Image

from bulletin.build.main import build_site, load_settings

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_SITE = Path(__file__).resolve().parent / "fixtures" / "site"
# The fixture site schedules an article for 2099 to prove scheduling; the
# site's own horizon (a year: later is a typo) is tested on its own
# (tests/bad_inputs/ngay-qua-xa).
FIXTURE_SETTINGS = {"SCHEDULE_HORIZON_DAYS": 100 * 366}
# The fixture site's published articles, newest first (its draft and the
# article scheduled for 2099 are not published).
FIXTURE_PUBLISHED = [
    "tin-tuc/2024/canh-giac-lua-dao/",
    "tin-tuc/2023/hoi-nghi-tong-ket-cong-tac-nam-2023/",
    "tin-tuc/2023/phat-dong-phong-trao-thi-dua-nam-2023/",
]


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


def settings_for(content: Path, output: Path, **overrides) -> dict:
    """The project's settings for ``content`` built into ``output``; each test
    site keeps its caches beside its output, never in the checkout."""
    overrides.setdefault("CACHE_PATH", str(output.parent / "cache" / "pelican"))
    overrides.setdefault("SEARCH_CACHE_PATH", str(output.parent / "cache" / "search"))
    overrides.setdefault("BUILD_DIGEST_FILE", str(output.parent / "cache" / "build-record.json"))
    for key, value in FIXTURE_SETTINGS.items():
        overrides.setdefault(key, value)
    return load_settings(
        str(ROOT / "pelicanconf.py"), PATH=str(content), OUTPUT_PATH=str(output), **overrides
    )


def build(content: Path, output: Path, **overrides) -> tuple[int, str]:
    """Build ``content`` into ``output`` with the project's settings:
    (exit code, build log text)."""
    settings = settings_for(content, output, **overrides)
    stream = io.StringIO()
    code = build_site(settings, stream=stream)
    return code, stream.getvalue()


def page(output: Path, url: str) -> BeautifulSoup:
    """Parse the page at a site URL such as ``phong-trao/x/``."""
    path = output / url
    if url.endswith("/") or url == "":
        path = path / "index.html"
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def tree(folder: Path) -> dict[str, bytes]:
    """Every file below ``folder`` (a built site, a cache): {posix path: bytes},
    in path order, to compare two builds byte for byte."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def run_node(script: str, job: dict) -> dict:
    """Run ``script`` in Node (the editor's own JavaScript files, as /admin/
    loads them) with ``job`` as JSON on stdin; its JSON answer."""
    import json  # noqa: PLC0415
    import subprocess  # noqa: PLC0415

    node = shutil.which("node")
    assert node, "Node.js is needed to test the editor's JavaScript (.ci/run installs it)"
    result = subprocess.run(
        [node, "-e", script],
        input=json.dumps(job, ensure_ascii=False),
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)
