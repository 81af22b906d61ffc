"""What the build writes, file by file: proof that a refactoring changed nothing.

Builds three sites from scratch, each in a temporary folder with the
project's settings and a fixed clock, and lists every output file with the
sha256 of its bytes:

- ``sample``: the embedded sample site (``content/``);
- ``fixtures``: the test fixture site (``tests/fixtures/site``, photos made
  as the tests make them);
- ``archive``: the bench's generated archive (``bench/archive_corpus.py``,
  seed 7; ``--articles`` sets its size).

``python bench/manifest.py --write before.json`` before a change, then
``python bench/manifest.py --compare before.json`` after it: it prints every
file added, removed or changed and exits 1 if there is any.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "plugins"), str(ROOT / "bench"), str(ROOT / "tests"), str(ROOT)]

# A fixed "now" (2025-07-01 00:00 in Vietnam): scheduling, footers and the
# date horizon read the same clock on every run.
NOW = 1751302800


def manifest(output: Path) -> dict[str, str]:
    files = {}
    for folder, _dirs, names in os.walk(output, followlinks=True):
        for name in names:
            path = Path(folder) / name
            relative = path.relative_to(output).as_posix()
            files[relative] = hashlib.sha256(path.read_bytes()).hexdigest()
    return dict(sorted(files.items()))


def build_into(content: Path, work: Path, **overrides) -> dict[str, str]:
    from bulletin.build.main import build_site, load_settings  # noqa: PLC0415

    output = work / "output"
    settings = load_settings(
        str(ROOT / "pelicanconf.py"),
        PATH=str(content),
        OUTPUT_PATH=str(output),
        CACHE_PATH=str(work / "cache" / "pelican"),
        SEARCH_CACHE_PATH=str(work / "cache" / "search"),
        PHOTO_CACHE_PATH=str(work / "cache" / "photos"),
        BUILD_DIGEST_FILE=str(work / "cache" / "build-record.json"),
        **overrides,
    )
    report = io.StringIO()
    if build_site(settings, stream=report) != 0:
        raise SystemExit(f"build of {content} failed:\n{report.getvalue()}")
    return manifest(output)


def all_sites(articles: int) -> dict[str, dict[str, str]]:
    from archive_corpus import write_corpus  # noqa: PLC0415
    from conftest import FIXTURE_SETTINGS, copy_fixture_site  # noqa: PLC0415

    os.environ["SOURCE_DATE_EPOCH"] = str(NOW)
    sites = {}
    with tempfile.TemporaryDirectory(prefix="manifest-") as scratch:
        work = Path(scratch)
        sites["sample"] = build_into(ROOT / "content", work / "sample")
        fixtures = copy_fixture_site(work / "fixtures")
        sites["fixtures"] = build_into(fixtures, work / "fixtures", **FIXTURE_SETTINGS)
        archive = write_corpus(work / "archive-content", articles)
        sites["archive"] = build_into(archive, work / "archive")
    return sites


def differences(before: dict, after: dict) -> list[str]:
    lines = []
    for site in sorted(set(before) | set(after)):
        old, new = before.get(site, {}), after.get(site, {})
        lines += [f"{site}: + {path}" for path in sorted(set(new) - set(old))]
        lines += [f"{site}: - {path}" for path in sorted(set(old) - set(new))]
        lines += [
            f"{site}: ≠ {path}" for path in sorted(set(old) & set(new)) if old[path] != new[path]
        ]
    return lines


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    action = parser.add_mutually_exclusive_group(required=True)
    action.add_argument("--write", type=Path, help="save the manifest to this file")
    action.add_argument("--compare", type=Path, help="compare with a saved manifest")
    parser.add_argument("--articles", type=int, default=300, help="size of the generated archive")
    args = parser.parse_args(argv)
    sites = all_sites(args.articles)
    counts = ", ".join(f"{site} {len(files)} files" for site, files in sites.items())
    if args.write:
        args.write.write_text(json.dumps(sites, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        print(f"Manifest written to {args.write}: {counts}")
        return 0
    found = differences(json.loads(args.compare.read_text(encoding="utf-8")), sites)
    for line in found:
        print(line)
    print(f"{len(found)} differences ({counts})")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
