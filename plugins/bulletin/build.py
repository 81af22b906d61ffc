"""Build the site into a fresh folder and replace ``output/`` only on success.

Used by ``tasks.py``. A build that fails — a content error, a template error,
anything Pelican logs as an error — leaves the previous ``output/`` untouched
and complete, and returns a non-zero exit code with a report, not a
traceback.
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
import tempfile
import time

from pelican import Pelican
from pelican.log import init as init_logging
from pelican.settings import read_settings

from bulletin.content_model import ERROR
from bulletin.uptodate import UpToDate, record_digest
from bulletin.validation import CheckComplete, ContentError, summary_line
from bulletin.writer import KEPT_SETTING, STATS_SETTING

logger = logging.getLogger(__name__)

DRAFT_SETTINGS = {
    "DRAFT_SAVE_AS": "ban-nhap/{slug}/index.html",
    "DRAFT_PAGE_SAVE_AS": "ban-nhap/trang/{slug}/index.html",
}


def load_settings(settings_file: str, drafts: bool = False, **overrides) -> dict:
    override = dict(overrides)
    if drafts:
        override.update(DRAFT_SETTINGS)
    return read_settings(settings_file, override=override)


def build_site(settings: dict, stream=None) -> int:
    """Run Pelican into a staging folder beside OUTPUT_PATH, then swap it in.

    Returns the exit code: 0 built, 1 content or build error.
    """
    stream = stream or sys.stderr
    output = os.path.abspath(settings["OUTPUT_PATH"])
    parent = os.path.dirname(output)
    os.makedirs(parent, exist_ok=True)
    staging = tempfile.mkdtemp(prefix=f".{os.path.basename(output)}-", dir=parent)
    settings = dict(settings, OUTPUT_PATH=staging, BULLETIN_PUBLISHED_OUTPUT=output)
    started = time.perf_counter()
    try:
        Pelican(settings).run()
    except UpToDate:
        shutil.rmtree(staging, ignore_errors=True)
        logger.info("Nothing changed since the last build of %s", output)
        return 0
    except ContentError as error:
        shutil.rmtree(staging, ignore_errors=True)
        print(str(error), file=stream)
        print(
            "Chưa dựng trang: hãy sửa các lỗi trên rồi chạy lại. "
            "Trang đã xuất bản trước đó được giữ nguyên.",
            file=stream,
        )
        return 1
    except Exception as error:  # noqa: BLE001 - any failure must keep output/
        shutil.rmtree(staging, ignore_errors=True)
        print(f"Lỗi khi dựng trang: {error}", file=stream)
        print("Trang đã xuất bản trước đó được giữ nguyên.", file=stream)
        return 1
    replace_folder(staging, output, keep=settings.get(KEPT_SETTING) or ())
    record_digest(settings, output)
    stats = settings.get(STATS_SETTING) or {}
    logger.info(
        "Built %s in %.2f s (%d writes rendered, %d reused)",
        output,
        time.perf_counter() - started,
        stats.get("rendered", 0),
        stats.get("reused", 0),
    )
    return 0


def check_site(settings: dict, stream=None) -> int:
    """Read and check all content without writing anything.

    Prints every problem, one per line (``path:line: …``), then a count.
    Returns 1 if there is any error, else 0.
    """
    stream = stream or sys.stdout
    scratch = tempfile.mkdtemp(prefix=".bulletin-check-")
    settings = dict(settings, OUTPUT_PATH=scratch, BULLETIN_CHECK_ONLY=True)
    try:
        Pelican(settings).run()
    except CheckComplete as done:
        problems = done.problems
    except ContentError as error:  # raised by code that does not know check mode
        problems = error.problems
    except Exception as error:  # noqa: BLE001 - report, never a traceback
        print(f"Lỗi khi kiểm tra: {error}", file=stream)
        return 1
    else:  # pragma: no cover - the validation plugin always stops a check
        problems = []
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    for problem in problems:
        print(problem, file=stream)
    print(summary_line(problems), file=stream)
    return 1 if any(p.severity == ERROR for p in problems) else 0


def replace_folder(new: str, target: str, keep=()) -> None:
    """Make ``target`` identical to ``new`` plus the files of ``keep``,
    touching only what changed.

    ``keep``: paths (relative to ``target``) this build left as published
    (:mod:`bulletin.writer`'s unchanged pages). Files with the same bytes are
    left alone (their mtimes stay, so rsync and CI caches move only what
    changed); changed files are swapped in one by one with ``os.replace``
    (never half-written); files that are gone are removed last. ``new`` is
    consumed.
    """
    os.chmod(new, 0o755)  # mkdtemp makes 0700; published files are world-readable
    if not os.path.exists(target):
        os.rename(new, target)
        return
    wanted = set()
    for relative in keep:
        path = os.path.normpath(relative)
        while path not in wanted and path not in ("", "."):
            wanted.add(path)
            path = os.path.dirname(path)
    for folder, dirs, files in os.walk(new):
        relative = os.path.relpath(folder, new)
        destination = os.path.normpath(os.path.join(target, relative))
        if os.path.isfile(destination) or os.path.islink(destination):
            os.remove(destination)
        os.makedirs(destination, exist_ok=True)
        wanted.add(os.path.normpath(relative))
        for name in dirs:
            wanted.add(os.path.normpath(os.path.join(relative, name)))
        for name in files:
            wanted.add(os.path.normpath(os.path.join(relative, name)))
            source, existing = os.path.join(folder, name), os.path.join(destination, name)
            if os.path.isdir(existing):
                shutil.rmtree(existing)
            elif same_file_content(source, existing):
                continue
            os.replace(source, existing)
    for folder, dirs, files in os.walk(target, topdown=False):
        relative = os.path.relpath(folder, target)
        for name in files + dirs:
            path = os.path.join(folder, name)
            if os.path.normpath(os.path.join(relative, name)) not in wanted:
                if os.path.isdir(path) and not os.path.islink(path):
                    shutil.rmtree(path)
                else:
                    os.remove(path)
    shutil.rmtree(new, ignore_errors=True)


def same_file_content(one: str, other: str) -> bool:
    try:
        first, second = os.stat(one), os.stat(other)
    except OSError:
        return False
    if (first.st_ino, first.st_dev) == (second.st_ino, second.st_dev):
        return True  # one file twice: photo derivatives linked from their cache,
        # pages and the search bundle linked from the published output
    if first.st_size != second.st_size:
        return False
    with open(one, "rb") as first, open(other, "rb") as second:
        while True:
            chunk = first.read(1 << 16)
            if chunk != second.read(1 << 16):
                return False
            if not chunk:
                return True


def main(argv=None) -> int:
    """``python -m bulletin.build [--drafts] [-s pelicanconf.py] [-o output]``."""
    import argparse  # noqa: PLC0415

    parser = argparse.ArgumentParser(description="Dựng trang bản tin.")
    parser.add_argument("-s", "--settings", default="pelicanconf.py")
    parser.add_argument("-o", "--output", default=None)
    parser.add_argument("--drafts", action="store_true")
    parser.add_argument("--check", action="store_true", help="chỉ kiểm tra, không dựng trang")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)
    # Pelican's own errors (a template that fails, a link it cannot resolve)
    # stop the build instead of publishing a broken site.
    level = logging.INFO if args.verbose else logging.WARNING
    # A check prints its own report; Pelican's warnings would only repeat it.
    init_logging(level=logging.ERROR if args.check else level, fatal="errors")
    overrides = {"OUTPUT_PATH": args.output} if args.output else {}
    settings = load_settings(args.settings, drafts=args.drafts, **overrides)
    if args.check:
        return check_site(settings)
    return build_site(settings)


__all__ = ["build_site", "check_site", "load_settings", "main", "summary_line"]

if __name__ == "__main__":
    sys.exit(main())
