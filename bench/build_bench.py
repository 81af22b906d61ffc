"""Whole-build benchmark on a generated archive, against plain Pelican.

Prints medians of several runs (this machine: 2 shared, noisy cores), each
against its target:

- plain Pelican 4.12 (no plugins, its default theme, its content cache) on
  the same articles: cold, warm, after a one-article edit — the baseline;
- this site's build, one process per build as CI and ``invoke build`` run
  it (with the previous build's state and caches): cold (empty caches),
  warm (no change), after a one-article edit, each as a ratio to plain
  Pelican's with its target (cold ≤ 1.0×, edit ≤ 0.5×, warm ≤ 0.4×), without
  the search index and, with ``--search``, with it; the CPU seconds of each
  (the build's process and its workers: a figure the other loads of a shared
  machine disturb less than the wall clock); how many output files the edit
  rewrote; peak memory of the Python build and of its other processes
  (reading workers, Pagefind), target ≤ 500 MB each;
- the live preview (``invoke livereload``, :mod:`bulletin.build.preview`): time
  from a saved body edit to its page written, and the full build that
  follows in the background;
- time per article at two archive sizes (linear growth: ≤ 1.2× at ``--large``);
- with ``--photos N``: the archive plus N phone photos (4000×3000, EXIF
  rotations), cold, against the photo pipeline alone: the processing stage
  of a cold build of only the articles that carry those photos.

``python bench/build_bench.py [--articles 2000] [--large 20000] [--photos 300] [--runs 3]``
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
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "plugins"))
from archive_corpus import add_photos, write_corpus  # noqa: E402

from bulletin.build.publication import remove_output  # noqa: E402

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

# One build in its own process; prints its figures as JSON on the last line.
OURS = """
import json, resource, sys, time, logging
sys.path.insert(0, {plugins!r})
from pelican import signals
from pelican.log import init
init(level=logging.ERROR, fatal="errors")
from bulletin.build.main import build_site, load_settings
settings = load_settings({conf!r}, PATH={content!r}, OUTPUT_PATH={output!r},
                         CACHE_PATH={cache!r}, PHOTO_CACHE_PATH={cache!r} + "/photos",
                         SEARCH_CACHE_PATH={cache!r} + "/search",
                         BUILD_DIGEST_FILE={cache!r} + "/build-record.json",
                         SEARCH_INDEX={search!r},
                         # As CI publishes (publishconf): absolute URLs.
                         RELATIVE_URLS=False, SITEURL="http://localhost:8000")
photos = {{}}
def grab(generators):
    from bulletin.photos.generator import PhotoGenerator
    photos["generator"] = next(g for g in generators if isinstance(g, PhotoGenerator))
signals.all_generators_finalized.connect(grab)
code = build_site(settings)
stats = photos["generator"].stats if "generator" in photos else None
own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({{
    "code": code,
    "cpu": own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime,
    "self_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    "children_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
    "photo_seconds": stats.process_seconds if stats else 0.0,
    "photos_processed": stats.processed if stats else 0,
}}))
sys.exit(code)
"""

# The live preview in one process: a full build, then saved body edits.
PREVIEW = """
import json, sys, time, logging
sys.path.insert(0, {plugins!r})
from pelican.log import init
init(level=logging.ERROR, fatal="errors")
from bulletin.build.main import load_settings
from bulletin.build.preview import Preview
settings = lambda: load_settings({conf!r}, PATH={content!r}, OUTPUT_PATH={output!r},
                                 CACHE_PATH={cache!r}, PHOTO_CACHE_PATH={cache!r} + "/photos",
                                 SEARCH_CACHE_PATH={cache!r} + "/search",
                                 BUILD_DIGEST_FILE={cache!r} + "/build-record.json")
preview = Preview(settings, {output!r})
assert preview.build() == 0
victim, page = {victim!r}, {page!r}
original = open(victim, encoding="utf-8").read()
shown, followed = [], []
for run in range({runs}):
    marker = f"Đoạnsửathử{{run}}"
    with open(victim, "w", encoding="utf-8") as handle:
        handle.write(original + "\\n" + marker + " trong bản xem trước.\\n")
    started = time.perf_counter()
    preview.changed([victim])
    ready = time.perf_counter() - started
    assert marker in open(page, encoding="utf-8").read(), "page not updated"
    shown.append(ready)
    if preview.background is not None:
        preview.background.join()
    followed.append(time.perf_counter() - started)
    time.sleep(1)
with open(victim, "w", encoding="utf-8") as handle:
    handle.write(original)
print(json.dumps({{"shown": shown, "followed": followed}}))
"""


def run_child(command, cwd) -> tuple[float, dict]:
    start = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"failed: {' '.join(command[:3])}\n{result.stdout}\n{result.stderr}")
    lines = result.stdout.strip().splitlines()
    try:
        figures = json.loads(lines[-1]) if lines else {}
    except ValueError:
        figures = {}
    return elapsed, figures


def victim_of(content: Path) -> Path:
    articles = sorted((content / "articles").rglob("*.md"))
    return articles[len(articles) // 2]


def edit(path: Path, run: int) -> str:
    text = path.read_text(encoding="utf-8")
    path.write_text(text + f"\nĐoạn sửa lần {run}.\n", encoding="utf-8")
    return text


def mtimes(folder: Path) -> dict:
    return {p: p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()}


def plain_pelican(site: Path, runs: int) -> dict:
    (site / "baseline.py").write_text(BASELINE_SETTINGS, encoding="utf-8")
    command = [sys.executable, "-m", "pelican", "content", "-s", "baseline.py"]
    command += ["-o", "out-baseline", "-q"]
    victim = victim_of(site / "content")
    cold, warm, edited = [], [], []
    for run in range(runs):
        shutil.rmtree(site / "cache-baseline", ignore_errors=True)
        cold.append(run_child(command, site)[0])
        warm.append(run_child(command, site)[0])
        text = edit(victim, run)
        edited.append(run_child(command, site)[0])
        victim.write_text(text, encoding="utf-8")
    return {k: statistics.median(v) for k, v in (("cold", cold), ("warm", warm), ("edit", edited))}


def script(template: str, site: Path, search: bool, **extra) -> str:
    return template.format(
        plugins=str(ROOT / "plugins"),
        conf=str(ROOT / "pelicanconf.py"),
        content=str(site / "content"),
        output=str(site / "out-ours"),
        cache=str(site / "cache-ours"),
        search=search,
        **extra,
    )


def ours(site: Path, runs: int, search: bool, edits: bool = True) -> dict:
    output, cache = site / "out-ours", site / "cache-ours"
    command = [sys.executable, "-c", script(OURS, site, search)]
    victim = victim_of(site / "content")
    cold, warm, edited, rewritten = [], [], [], []
    cold_cpu, edit_cpu = [], []
    python_kb = pagefind_kb = 0
    photo_stage, photos = [], 0
    for run in range(runs):
        shutil.rmtree(cache, ignore_errors=True)
        remove_output(str(output))  # the link and its build folders
        seconds, figures = run_child(command, site)
        cold.append(seconds)
        cold_cpu.append(figures.get("cpu", 0.0))
        python_kb = max(python_kb, figures.get("self_kb", 0))
        pagefind_kb = max(pagefind_kb, figures.get("children_kb", 0))
        photo_stage.append(figures.get("photo_seconds", 0.0))
        photos = max(photos, figures.get("photos_processed", 0))
        if not edits:
            continue
        warm.append(run_child(command, site)[0])
        before = mtimes(output)
        text = edit(victim, run)
        seconds, figures = run_child(command, site)
        edited.append(seconds)
        edit_cpu.append(figures.get("cpu", 0.0))
        after = mtimes(output)
        rewritten.append(sum(1 for p, t in after.items() if before.get(p) != t))
        victim.write_text(text, encoding="utf-8")
    result = {
        "cold": statistics.median(cold),
        "cold_cpu": statistics.median(cold_cpu),
        "python_mb": python_kb / 1024,
        "pagefind_mb": pagefind_kb / 1024,
        "photo_stage": statistics.median(photo_stage),
        "photos": photos,
        "files": len(mtimes(output)),
    }
    if edits:
        result |= {
            "warm": statistics.median(warm),
            "edit": statistics.median(edited),
            "edit_cpu": statistics.median(edit_cpu),
            "rewritten": statistics.median(rewritten),
        }
    return result


def live_preview(site: Path, runs: int) -> dict:
    content, output = site / "content", site / "out-preview"
    victim = victim_of(content)
    slug = victim.stem
    page = next(p for p in [output / "tin-tuc" / victim.parent.name / slug / "index.html"])
    code = PREVIEW.format(
        plugins=str(ROOT / "plugins"),
        conf=str(ROOT / "pelicanconf.py"),
        content=str(content),
        output=str(output),
        cache=str(site / "cache-preview"),
        victim=str(victim),
        page=str(page),
        runs=runs,
    )
    _seconds, figures = run_child([sys.executable, "-c", code], site)
    return {k: statistics.median(v) for k, v in figures.items()}


def photo_only_site(content: Path, articles: list[Path], site: Path) -> Path:
    """The registry, the pages and only ``articles`` with their photos."""
    target = site / "content"
    shutil.copytree(content / "pages", target / "pages")
    shutil.copy(content / "movements.toml", target / "movements.toml")
    for article in articles:
        relative = article.relative_to(content)
        (target / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(article, target / relative)
        photos = article.parent / "anh" / article.stem
        shutil.copytree(
            photos, target / relative.parent / "anh" / article.stem, copy_function=os.link
        )
    return site


def ratio(label: str, seconds: float, plain: float, target: float) -> None:
    verdict = "ok" if seconds / plain <= target else "over"
    print(
        f"  {label:32} {seconds / plain:.2f}× plain Pelican's ({seconds:.2f} s vs {plain:.2f} s;"
        f" target ≤ {target:.2f}: {verdict})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--large", type=int, default=0, help="also time this many (e.g. 20000)")
    parser.add_argument("--photos", type=int, default=0, help="also a cold build with N photos")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--search", action="store_true", help="also every build with the Pagefind index"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-build-") as folder:
        site = Path(folder) / "archive"
        write_corpus(site, args.articles)
        base = plain_pelican(site, args.runs)
        mine = ours(site, args.runs, search=False)
        found = ours(site, args.runs, search=True) if args.search else None
        live = live_preview(site, args.runs)
        n = args.articles
        print(f"Archive: {n} articles, no photos; medians of {args.runs} runs (2 shared cores)")
        print(
            f"  plain Pelican 4.12   cold {base['cold']:6.2f} s   warm {base['warm']:6.2f} s"
            f"   one-article edit {base['edit']:6.2f} s"
        )
        for label, run in (("search off", mine), ("search on", found)):
            if run is not None:
                print(
                    f"  this site, {label:10} cold {run['cold']:6.2f} s   warm {run['warm']:6.2f} s"
                    f"   one-article edit {run['edit']:6.2f} s   (CPU, workers included: cold"
                    f" {run['cold_cpu']:.1f} s, edit {run['edit_cpu']:.1f} s)"
                )
        ratio("cold, text only, search off", mine["cold"], base["cold"], 1.0)
        if found is not None:
            ratio("cold, text only, search on", found["cold"], base["cold"], 1.0)
        ratio("one-article edit, search off", mine["edit"], base["edit"], 0.5)
        if found is not None:
            ratio("one-article edit, search on", found["edit"], base["edit"], 0.5)
        ratio("warm, no change", mine["warm"], base["warm"], 0.40)
        print(
            f"  live preview         edited page written {1000 * live['shown']:.0f} ms after the"
            f" save (target < 1000 ms); full build after it {live['followed']:.2f} s"
        )
        print(
            f"  one-article edit     rewrote {mine['rewritten']:.0f} of {mine['files']} output"
            " files (the rest keep their bytes and mtimes)"
        )
        memory = found or mine
        print(
            f"  peak memory          Python build {memory['python_mb']:.0f} MB, its other processes"
            f" (reading workers, Pagefind) {memory['pagefind_mb']:.0f} MB   (target ≤ 500 MB each)"
        )
        print(f"  per article          {1000 * mine['cold'] / n:.2f} ms (cold, search off, {n})")
        if args.large:
            big = Path(folder) / "large"
            write_corpus(big, args.large)
            large = ours(big, 1, args.search, edits=False)
            per_article = large["cold"] / args.large / ((found or mine)["cold"] / n)
            print(
                f"  {args.large} articles     cold {large['cold']:6.2f} s"
                f" = {1000 * large['cold'] / args.large:.2f} ms per article"
                f" = {per_article:.2f}× the per-article time at {n} (target ≤ 1.2); peak:"
                f" Python {large['python_mb']:.0f} MB, other processes"
                f" {large['pagefind_mb']:.0f} MB (target ≤ 500 MB each)"
            )
        if args.photos:
            shutil.rmtree(site, ignore_errors=True)  # room on /tmp
            pictures = Path(folder) / "photos"
            write_corpus(pictures, args.articles)
            illustrated = add_photos(
                pictures / "content", args.photos, ROOT / "cache" / "bench" / "archive"
            )
            alone = photo_only_site(pictures / "content", illustrated, Path(folder) / "alone")
            pipeline = ours(alone, args.runs, args.search, edits=False)
            photo = ours(pictures, args.runs, args.search, edits=False)
            print(
                f"Archive + {photo['photos']} phone photos (4000×3000), cold, medians of"
                f" {args.runs}: whole build {photo['cold']:.1f} s; the photo pipeline alone"
                f" {pipeline['photo_stage']:.1f} s ({len(illustrated)} articles with their photos"
                f" only) → {photo['cold'] / pipeline['photo_stage']:.2f}× (target ≤ 1.2)"
            )


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
