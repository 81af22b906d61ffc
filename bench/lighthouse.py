"""Lighthouse (mobile) on the production build of the sample site.

Builds the site with ``publishconf.py`` for a local address, serves it over
HTTP with gzip (as any real web server does), runs npm ``lighthouse`` in its
default mobile mode (simulated slow 4G, 4× CPU slowdown) on the article, home
and movement pages, and prints the median performance / accessibility / best
practices / SEO scores with First and Largest Contentful Paint, then every
audit that is not passed.

    python bench/lighthouse.py [--runs 3] [--reports DIR]

Lighthouse is installed with npm into a cache folder outside the repository
(``~/.cache/ban-tin/lighthouse-<version>``) on first use. It needs Node and
Chromium (``CHROME_PATH``, default /usr/bin/chromium). Targets: performance
≥ 95, accessibility, best practices and SEO 100; FCP < 3 s, LCP < 4 s.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Lighthouse 13 needs Node 22; Debian 12's Node is 20.
LIGHTHOUSE_VERSION = "12.2.3"
LIGHTHOUSE_DIR = Path.home() / ".cache" / "ban-tin" / f"lighthouse-{LIGHTHOUSE_VERSION}"
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-background-networking "
    "--disable-component-update --no-first-run"
)
PAGES = {
    "article": "tin-tuc/2023/phat-dong-phong-trao-thi-dua-nam-2023/",
    "home": "",
    "movement": "phong-trao/thi-dua-phat-trien-kinh-te-xa-hoi/",
}
CATEGORIES = {
    "performance": "perf",
    "accessibility": "a11y",
    "best-practices": "best",
    "seo": "SEO",
}
TARGETS = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}
COMPRESSIBLE = (".html", ".css", ".js", ".json", ".xml", ".svg", ".txt", ".webmanifest")


class GzipHandler(SimpleHTTPRequestHandler):
    """Static files, text gzip-compressed when the browser accepts it."""

    protocol_version = "HTTP/1.1"  # keep-alive, like a real server

    def do_GET(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir() and self.path.split("?")[0].endswith("/"):
            path = path / "index.html"
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts and path.is_file() and path.suffix in COMPRESSIBLE):
            super().do_GET()
            return
        body = gzip.compress(path.read_bytes(), 6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=600")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):
        pass


class QuietServer(ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        # Chromium drops keep-alive connections when a run ends: not an error.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def lighthouse_command() -> list[str]:
    binary = LIGHTHOUSE_DIR / "node_modules" / ".bin" / "lighthouse"
    if not binary.is_file():
        if not shutil.which("npm"):
            raise SystemExit("Lighthouse needs Node and npm (Debian: apt-get install npm)")
        print(f"Installing lighthouse@{LIGHTHOUSE_VERSION} into {LIGHTHOUSE_DIR} …", flush=True)
        subprocess.run(
            [
                *("npm", "install", "--prefix", str(LIGHTHOUSE_DIR), "--no-audit", "--no-fund"),
                *("--save-exact", f"lighthouse@{LIGHTHOUSE_VERSION}"),
            ],
            check=True,
        )
    return [str(binary)]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def build(output: Path, siteurl: str) -> None:
    env = dict(os.environ, SITEURL=siteurl, PYTHONPATH=str(ROOT / "plugins"))
    command = [
        sys.executable,
        "-m",
        "bulletin.build.main",
        "-s",
        "publishconf.py",
        "-o",
        str(output),
    ]
    subprocess.run(command, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def run_lighthouse(url: str, report: Path) -> dict:
    env = dict(os.environ, CHROME_PATH=os.environ.get("CHROME_PATH", "/usr/bin/chromium"))
    command = [
        *lighthouse_command(),
        url,
        "--quiet",
        "--output=json",
        f"--output-path={report}",
        f"--chrome-flags={CHROME_FLAGS}",
        "--only-categories=" + ",".join(CATEGORIES),
    ]
    subprocess.run(command, env=env, check=True, timeout=300)
    return json.loads(report.read_text(encoding="utf-8"))


def summary(result: dict) -> dict:
    figures = {key: round(result["categories"][key]["score"] * 100) for key in CATEGORIES}
    figures["fcp"] = result["audits"]["first-contentful-paint"]["numericValue"]
    figures["lcp"] = result["audits"]["largest-contentful-paint"]["numericValue"]
    return figures


def failed_audits(result: dict) -> list[str]:
    """Audits that count towards a category and are not passed."""
    failed = []
    for key in CATEGORIES:
        for ref in result["categories"][key]["auditRefs"]:
            audit = result["audits"][ref["id"]]
            if ref.get("weight") and audit.get("score") is not None and audit["score"] < 1:
                value = audit.get("displayValue", "")
                failed.append(f"{key}: {ref['id']} ({audit['score']:.2f}) {audit['title']} {value}")
    return failed


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per page (medians printed)")
    parser.add_argument("--reports", type=Path, help="keep the JSON reports in this folder")
    args = parser.parse_args(argv)

    lighthouse_command()  # install first, so its time is not in the figures
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory(prefix="ban-tin-lighthouse-") as scratch:
        output = Path(scratch) / "output"
        reports = args.reports or Path(scratch) / "reports"
        reports.mkdir(parents=True, exist_ok=True)
        print(f"Production build for {base} …", flush=True)
        build(output, base)
        server = QuietServer(("127.0.0.1", port), partial(GzipHandler, directory=output))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        results: dict[str, list[dict]] = {name: [] for name in PAGES}
        problems: dict[str, set[str]] = {name: set() for name in PAGES}
        try:
            for run in range(1, args.runs + 1):
                for name, path in PAGES.items():
                    result = run_lighthouse(f"{base}/{path}", reports / f"{name}-{run}.json")
                    results[name].append(summary(result))
                    problems[name].update(failed_audits(result))
                    figures = results[name][-1]
                    print(
                        f"  run {run} {name}: "
                        + " ".join(f"{CATEGORIES[key]} {figures[key]}" for key in CATEGORIES)
                        + f" FCP {figures['fcp'] / 1000:.2f} s LCP {figures['lcp'] / 1000:.2f} s",
                        flush=True,
                    )
        finally:
            server.shutdown()
            server.server_close()

    print(
        f"\nLighthouse {LIGHTHOUSE_VERSION}, mobile (simulated slow 4G, 4× CPU), "
        f"median of {args.runs} run(s)"
    )
    header = f"{'page':<10}" + "".join(f"{label:>6}" for label in CATEGORIES.values())
    print(header + f"{'FCP':>9}{'LCP':>9}")
    below = 0
    for name, runs in results.items():
        median = {key: statistics.median(run[key] for run in runs) for key in runs[0]}
        row = f"{name:<10}" + "".join(f"{median[key]:>6.0f}" for key in CATEGORIES)
        print(row + f"{median['fcp'] / 1000:>8.2f}s{median['lcp'] / 1000:>8.2f}s")
        below += sum(median[key] < target for key, target in TARGETS.items())
    for name, found in problems.items():
        for line in sorted(found):
            print(f"  {name}: {line}")
    print(f"{below} score(s) below target" if below else "All scores on target.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
