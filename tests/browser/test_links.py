"""No broken internal link or image: LinkChecker crawls the served sample site
from its home page (every page reachable from it, feeds and sitemap included),
and every ``srcset`` candidate of ``<source>`` — which LinkChecker does not
read — answers 200.
"""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path
from urllib.parse import urljoin

from bs4 import BeautifulSoup

from browser.pages import unavailable

# The test server sends LinkChecker's "no throttling" header; allow it to go fast.
LINKCHECKER_CONFIG = """\
[checking]
threads=4
maxrequestspersecond=200
timeout=20
"""


def linkchecker_command() -> str:
    beside_python = Path(sys.executable).with_name("linkchecker")
    if beside_python.is_file():
        return str(beside_python)
    found = shutil.which("linkchecker")
    if not found:
        unavailable("LinkChecker is not installed (pip install -r requirements-dev.txt)")
    return found


def test_linkchecker_finds_no_broken_internal_link(site, tmp_path):
    config = tmp_path / "linkcheckerrc"
    config.write_text(LINKCHECKER_CONFIG, encoding="utf-8")
    # As root, LinkChecker reads its config, then drops to "nobody": it only
    # talks HTTP to our server, which reads the files as us. --verbose lists
    # every URL checked, not only the broken ones.
    result = subprocess.run(
        [
            *(linkchecker_command(), "--config", str(config), "--no-status", "--no-robots"),
            *("--verbose", "--output", "csv", site.url),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    lines = [line for line in result.stdout.splitlines() if line and not line.startswith("#")]
    checked = list(csv.DictReader(io.StringIO("\n".join(lines)), delimiter=";"))
    broken = [
        f"{row['parentname']}: {row['urlname']} → {row['result']}"
        for row in checked
        if row["valid"] != "True"
    ]
    assert result.returncode == 0 and not broken, (
        f"LinkChecker exit {result.returncode}, broken links:\n"
        + "\n".join(broken or [result.stderr[-3000:]])
    )
    pages = list(site.output.rglob("*.html"))
    assert len(checked) > len(pages), f"LinkChecker checked only {len(checked)} URLs"


def test_every_picture_source_answers(site):
    missing = []
    for path in sorted(site.output.rglob("*.html")):
        page_url = site.url + path.relative_to(site.output).as_posix()
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        for source in soup.select("source[srcset]"):
            for candidate in source["srcset"].split(","):
                url = urljoin(page_url, candidate.split()[0])
                if not url.startswith(site.url):
                    continue
                try:
                    with urllib.request.urlopen(url, timeout=20) as response:
                        status = response.status
                except OSError as error:  # HTTPError is an OSError too
                    status = getattr(error, "code", error)
                if status != 200:
                    missing.append(f"{path.relative_to(site.output)}: {url} → {status}")
    assert not missing, "\n".join(missing)
