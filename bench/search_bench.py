"""The search index at CI scale: Pagefind in bundles (bulletin.site.search).

On the generated Vietnamese archive (``bench/archive_corpus.py``), each
build a process of its own as CI runs it, the index step timed inside it:

- the index cold (empty caches: every bundle made, several at once) and
  after a one-article body edit (one year's bundle made, the others hard
  links), against one Pagefind run over the whole site (what the index was
  before the bundles) in the same run;
- Pagefind's peak memory: the largest bundle's, and the single run's;
- the bundles' number and sizes;
- with ``--browser``: in Chromium, the bytes the first query transfers
  (merged bundles vs one index) and whether the same queries give the same
  first results both ways (the site's own search page, typed in).

``python bench/search_bench.py [--articles 2000] [--large 20000] [--runs 3] [--browser]``
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "bench"), str(ROOT / "plugins"), str(ROOT / "tests")]
from archive_corpus import write_corpus  # noqa: E402

# One build in its own process; the index step timed; figures as JSON.
BUILD = """
import json, logging, resource, sys, time
sys.path.insert(0, {plugins!r})
from pelican.log import init
init(level=logging.ERROR, fatal="errors")
from bulletin.build.main import build_site, load_settings
from bulletin.site import search
timed = {{}}
real = search.index_site
def index_site(*args, **kwargs):
    started = time.perf_counter()
    peaks = real(*args, **kwargs)
    timed["seconds"], timed["peaks"] = time.perf_counter() - started, peaks
    return peaks
search.index_site = index_site
settings = load_settings({conf!r}, PATH={content!r}, OUTPUT_PATH={output!r},
                         CACHE_PATH={cache!r}, PHOTO_CACHE_PATH={cache!r} + "/photos",
                         SEARCH_CACHE_PATH={cache!r} + "/search",
                         BUILD_DIGEST_FILE={cache!r} + "/build-record.json")
started = time.perf_counter()
code = build_site(settings)
print(json.dumps({{"code": code, "build": time.perf_counter() - started, **timed,
                  "children_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}}))
sys.exit(code)
"""


def build(site: Path) -> dict:
    code = BUILD.format(
        plugins=str(ROOT / "plugins"),
        conf=str(ROOT / "pelicanconf.py"),
        content=str(site / "content"),
        output=str(site / "output"),
        cache=str(site / "cache"),
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise SystemExit(f"build failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def single_index(site: Path, target: Path) -> tuple[float, int]:
    """One Pagefind run over the whole built site (the index before bundles):
    seconds, peak KB."""
    shutil.rmtree(target, ignore_errors=True)
    command = [sys.executable, "-m", "pagefind", "--site", str(site / "output"), "--silent"]
    command += ["--output-path", str(target)]
    started = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _pid, status, usage = os.wait4(child.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit("Pagefind failed on the whole site")
    return time.perf_counter() - started, usage.ru_maxrss


def bundle_sizes(output: Path) -> list[int]:
    root = output / "pagefind"
    folders = [p.parent for p in root.rglob("pagefind-entry.json")]
    nested = {f for f in folders if f != root}
    sizes = []
    for folder in folders:
        files = [p for p in folder.rglob("*") if p.is_file()]
        if folder == root:
            files = [p for p in files if not any(n in p.parents for n in nested)]
        sizes.append(sum(p.stat().st_size for p in files))
    return sizes


def victim(content: Path) -> Path:
    articles = sorted((content / "articles").rglob("*.md"))
    return articles[len(articles) // 2]


def measure(site: Path, runs: int) -> dict:
    cold, edited, warm, made, peaks = [], [], [], [], []
    for run in range(runs):
        shutil.rmtree(site / "cache", ignore_errors=True)
        shutil.rmtree(site / "output", ignore_errors=True)
        shutil.rmtree(site / ".builds", ignore_errors=True)
        first = build(site)
        cold.append(first["seconds"])
        peaks.append(max(first["peaks"].values()))
        warm.append(build(site).get("seconds", 0.0))  # up to date: no index step
        path = victim(site / "content")
        text = path.read_text(encoding="utf-8")
        path.write_text(text + f"\nĐoạn sửa lần {run}.\n", encoding="utf-8")
        after = build(site)
        edited.append(after["seconds"])
        made.append(len(after["peaks"]))
        path.write_text(text, encoding="utf-8")
    single = [single_index(site, site / "single") for _ in range(runs)]
    sizes = bundle_sizes(site / "output")
    return {
        "cold": statistics.median(cold),
        "warm": statistics.median(warm),
        "edit": statistics.median(edited),
        "made": statistics.median(made),
        "peak_mb": max(peaks) / 1024,
        "single": statistics.median(s for s, _ in single),
        "single_mb": max(kb for _, kb in single) / 1024,
        "bundles": len(sizes),
        "sizes": sizes,
    }


def report(n: int, figures: dict, runs: int) -> None:
    sizes = sorted(figures["sizes"])
    print(f"Search index, {n} articles, medians of {runs} (2 shared, noisy cores)")
    print(
        f"  cold                 {figures['cold']:6.2f} s for {figures['bundles']} bundles"
        f"   (one Pagefind run over the whole site: {figures['single']:.2f} s)"
    )
    print(
        f"  one-article edit     {figures['edit']:6.2f} s, {figures['made']:.0f} bundle made"
        f" ({figures['edit'] / figures['single']:.2f}× the whole-site run; target: its year only)"
    )
    print(
        f"  no change            {figures['warm']:6.2f} s (the build is up to date: no index step)"
    )
    print(
        f"  Pagefind peak        {figures['peak_mb']:.0f} MB for the largest bundle"
        f" (whole site in one run: {figures['single_mb']:.0f} MB; target ≤ 500 MB)"
    )
    print(
        f"  bundles              {len(sizes)}: {sum(sizes) / 1e6:.1f} MB in all, each"
        f" {sizes[0] / 1e3:.0f}–{sizes[-1] / 1e3:.0f} KB (median"
        f" {statistics.median(sizes) / 1e3:.0f} KB)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--large", type=int, default=0, help="also this many (e.g. 20000), once")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--browser", action="store_true", help="transfer and ranking in Chromium")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-search-") as folder:
        site = Path(folder) / "archive"
        write_corpus(site, args.articles)
        figures = measure(site, args.runs)
        report(args.articles, figures, args.runs)
        if args.browser:
            from search_ranking import compare  # noqa: PLC0415

            compare(site / "output", site / "single", site / "content")
            sample = Path(folder) / "sample"
            sample.mkdir()
            (sample / "content").symlink_to(ROOT / "content")
            build(sample)
            single_index(sample, sample / "single")
            print("The sample site (content/), the same comparison:")
            compare(sample / "output", sample / "single", ROOT / "content" / "articles")
        if args.large:
            shutil.rmtree(site, ignore_errors=True)
            big = Path(folder) / "large"
            write_corpus(big, args.large)
            report(args.large, measure(big, 1), 1)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
