"""Whole-build benchmark on a generated archive, against plain Pelican.

Prints medians of several runs (this machine: 2 shared, noisy cores):

- plain Pelican 4.12 (no plugins, its default theme, its content cache) on
  the same articles: cold, warm;
- this site's build: cold (empty caches), warm (no change), after a
  one-article edit; peak memory;
- time per article at two archive sizes (linear growth, no quadratic code).

``python bench/build_bench.py [--articles 2000] [--large 20000] [--runs 3]``
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from archive_corpus import write_corpus  # noqa: E402

BASELINE_SETTINGS = """
PATH = "content"
ARTICLE_PATHS = ["articles"]
PAGE_PATHS = ["pages"]
READERS = {"rst": None}
TIMEZONE = "Asia/Ho_Chi_Minh"
DEFAULT_LANG = "vi"
SITEURL = "http://localhost:8000"
FEED_DOMAIN = SITEURL
CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
CHECK_MODIFIED_METHOD = "md5"
CACHE_PATH = "cache-baseline"
PLUGINS = []
"""

OURS = """
import sys, time
sys.path.insert(0, {plugins!r})
from bulletin.build import build_site, load_settings
settings = load_settings({conf!r}, PATH={content!r}, OUTPUT_PATH={output!r},
                         CACHE_PATH={cache!r}, PHOTO_CACHE_PATH={cache!r} + "/photos",
                         SEARCH_CACHE_PATH={cache!r} + "/search",
                         SEARCH_INDEX={search!r})
sys.exit(build_site(settings))
"""


def timed(command, cwd) -> tuple[float, int]:
    """Wall seconds and peak resident memory (KB) of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"build failed: {' '.join(command)}\n{result.stdout}\n{result.stderr}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return elapsed, max(peak, before)


def plain_pelican(site: Path, runs: int) -> dict:
    (site / "baseline.py").write_text(BASELINE_SETTINGS, encoding="utf-8")
    command = [
        sys.executable,
        "-m",
        "pelican",
        "content",
        "-s",
        "baseline.py",
        "-o",
        "out-baseline",
        "-q",
    ]
    cold, warm = [], []
    for _ in range(runs):
        shutil.rmtree(site / "cache-baseline", ignore_errors=True)
        cold.append(timed(command, site)[0])
        warm.append(timed(command, site)[0])
    return {"cold": statistics.median(cold), "warm": statistics.median(warm)}


def ours(site: Path, runs: int, search: bool) -> dict:
    content, output, cache = site / "content", site / "out-ours", site / "cache-ours"
    script = OURS.format(
        plugins=str(ROOT / "plugins"),
        conf=str(ROOT / "pelicanconf.py"),
        content=str(content),
        output=str(output),
        cache=str(cache),
        search=search,
    )
    command = [sys.executable, "-c", script]
    victim = sorted((content / "articles").rglob("*.md"))[
        len(list((content / "articles").rglob("*.md"))) // 2
    ]
    cold, warm, edit, peak = [], [], [], 0
    for run in range(runs):
        shutil.rmtree(cache, ignore_errors=True)
        shutil.rmtree(output, ignore_errors=True)
        seconds, memory = timed(command, site)
        cold.append(seconds)
        peak = max(peak, memory)
        warm.append(timed(command, site)[0])
        text = victim.read_text(encoding="utf-8")
        victim.write_text(text + f"\nĐoạn sửa lần {run}.\n", encoding="utf-8")
        edit.append(timed(command, site)[0])
        victim.write_text(text, encoding="utf-8")
    return {
        "cold": statistics.median(cold),
        "warm": statistics.median(warm),
        "edit": statistics.median(edit),
        "peak_mb": peak / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--large", type=int, default=0, help="also time this many (e.g. 20000)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--search", action="store_true", help="include the Pagefind index")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-build-") as folder:
        site = Path(folder)
        write_corpus(site, args.articles)
        base = plain_pelican(site, args.runs)
        mine = ours(site, args.runs, args.search)
        print(f"Archive: {args.articles} articles, no photos; medians of {args.runs} runs")
        print(f"  plain Pelican 4.12   cold {base['cold']:6.2f} s   warm {base['warm']:6.2f} s")
        print(
            f"  this site            cold {mine['cold']:6.2f} s   warm {mine['warm']:6.2f} s"
            f"   one-article edit {mine['edit']:6.2f} s   peak {mine['peak_mb']:.0f} MB"
        )
        print(
            f"  ratios               warm/plain-warm {mine['warm'] / base['warm']:.2f}"
            f"   (target ≤ 0.40)   cold/plain-cold {mine['cold'] / base['cold']:.2f}"
        )
        print(f"  per article          {1000 * mine['cold'] / args.articles:.2f} ms (cold)")
        if args.large:
            big = Path(folder) / "large"
            big.mkdir()
            write_corpus(big, args.large)
            large = ours(big, 1, args.search)
            print(
                f"  {args.large} articles     cold {large['cold']:6.2f} s"
                f" = {1000 * large['cold'] / args.large:.2f} ms per article;"
                f" peak {large['peak_mb']:.0f} MB"
            )


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
