"""Build the site into a fresh folder and publish it in one atomic switch.

Used by ``tasks.py``. A build that fails — a content error, a template error,
anything Pelican logs as an error, a folder it may not write — leaves the
previous ``output/`` untouched and complete, and returns a non-zero exit
code with a report, not a traceback. ``output`` is a symlink to the
published build folder, switched by one rename (:mod:`bulletin.build.publication`);
one build runs at a time (a lock beside the build record).

Each run of Pelican gets its own :class:`~bulletin.build.state.BuildState`
(the published output, check mode; what the plugins find while it runs),
and :func:`run_pelican` is the one place that learns how it ended: Pelican
lets a plugin end a run early only by an exception out of a signal
handler, so ``BuildState.stop`` raises :class:`~bulletin.build.state.BuildStopped`
(content errors, a finished check, nothing to rebuild) and
:func:`run_pelican` catches it here and nowhere else; the caller reads
``state.outcome``.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import sys
import tempfile
import time

from pelican import Pelican
from pelican.settings import read_settings

from bulletin.build import console, publication
from bulletin.build.publication import BuildLock, PublicationError, describe_error
from bulletin.build.state import BuildState, BuildStopped, Outcome, with_state
from bulletin.build.uptodate import digest_file, lock_file, record_build
from bulletin.content.model import ERROR
from bulletin.content.report import summary_line

logger = logging.getLogger(__name__)

DRAFT_SETTINGS = {
    "DRAFT_SAVE_AS": "ban-nhap/{slug}/index.html",
    "DRAFT_PAGE_SAVE_AS": "ban-nhap/trang/{slug}/index.html",
}
KEPT_NOTE = "Trang đã xuất bản trước đó được giữ nguyên."
# What to do after fixing: run the command again, or (in `invoke livereload`,
# which rebuilds on every save) just save the file again.
AGAIN = {False: "chạy lại", True: "lưu lại tệp (trang tự dựng lại)"}


def load_settings(settings_file: str, drafts: bool = False, **overrides) -> dict:
    override = dict(overrides)
    if drafts:
        override.update(DRAFT_SETTINGS)
    return read_settings(settings_file, override=override)


def run_pelican(settings: dict, state: BuildState) -> None:
    """Run Pelican with ``settings`` and ``state`` to its end or to
    ``state.stop``: afterwards ``state.outcome`` says which. Any other
    exception goes up to the caller (the outcome is then ``FAILED``).

    The one ``except BuildStopped`` of the project (see the module docstring);
    the stop may come from ``initialized`` (nothing read yet), so Pelican is
    constructed inside it too.
    """
    try:
        Pelican(with_state(settings, state)).run()
    except BuildStopped:
        return  # state.outcome was set by state.stop
    except BaseException:
        state.outcome = Outcome.FAILED
        raise
    finally:
        for end in state.on_end:
            end()
    state.outcome = Outcome.WRITTEN


def print_report(problems, stream) -> None:
    """Every problem, one per line (``path:line: …``), then the count."""
    for problem in problems:
        print(problem, file=stream)
    print(summary_line(problems), file=stream)


def build_lock(settings) -> BuildLock:
    wait = settings.get("BUILD_LOCK_WAIT", publication.DEFAULTS["BUILD_LOCK_WAIT"])
    return BuildLock(lock_file(settings), wait=float(wait))


def build_site(settings: dict, stream=None, *, live: bool = False, problems=None) -> int:
    """Run Pelican into a new build folder, then switch ``OUTPUT_PATH`` to it.

    Returns the exit code: 0 built (or nothing to build), 1 content, build
    or publishing error, or another build running. ``live``: the live
    preview's wording (save again, not run again); ``problems``: a list that
    receives the content problems of a build they stopped.
    """
    stream = stream or sys.stderr
    output = os.path.abspath(settings["OUTPUT_PATH"])
    try:
        with build_lock(settings):
            return _build(settings, output, stream, live, problems)
    except PublicationError as error:
        print(str(error), file=stream)
        return 1


def _build(settings: dict, output: str, stream, live: bool, found) -> int:
    started = time.perf_counter()
    publication.remove_stale(output)
    try:
        build = publication.new_build(output)
    except OSError as error:
        raise PublicationError(
            f"Không tạo được thư mục dựng trang: {describe_error(error)}. {KEPT_NOTE}"
        ) from None
    state = BuildState(configuration=settings, published_output=output)
    settings = dict(settings, OUTPUT_PATH=build)
    published = False
    try:
        try:
            run_pelican(settings, state)
        except Exception as error:  # noqa: BLE001 - any failure must keep output/
            print(f"Lỗi khi dựng trang: {error}", file=stream)
            print(KEPT_NOTE, file=stream)
            return 1
        if state.outcome is Outcome.UP_TO_DATE:
            logger.info("Không có gì thay đổi từ lần dựng trước của %s", output)
            return 0
        if state.outcome is Outcome.CONTENT_ERRORS:
            if found is not None:
                found.extend(state.problems)
            print_report(state.problems, stream)
            print(
                f"Chưa dựng trang: hãy sửa các lỗi trên rồi {AGAIN[live]}. {KEPT_NOTE}", file=stream
            )
            return 1
        rendered = time.perf_counter()
        try:
            # Pages rendered again with the same bytes keep the published
            # file (inode, mtime); then the pages not rendered at all.
            linked = publication.keep_unchanged(build, output)
            linked += publication.fill_in(build, output, state.kept_files)
        except OSError as error:
            # A kept page vanished from the published build: do not trust
            # the record again, the next build renders everything.
            forget_record(settings)
            print(f"Không ghép được các trang không đổi: {describe_error(error)}", file=stream)
            print(f"{KEPT_NOTE} {AGAIN[live].capitalize()} để dựng toàn bộ.", file=stream)
            return 1
        filled = time.perf_counter()
        try:
            publication.switch(output, build)
        except OSError as error:
            print(f"Không thay được trang đã xuất bản: {describe_error(error)}", file=stream)
            print(KEPT_NOTE, file=stream)
            return 1
        published = True
    finally:
        if not published:
            shutil.rmtree(build, ignore_errors=True)
    switched = time.perf_counter()
    try:
        record_build(settings, state, os.path.basename(build))
    except OSError as error:  # the site is published; the next build renders everything
        logger.warning("Không ghi được bản ghi lần dựng: %s", describe_error(error))
    publication.remove_stale(output)  # the previous build (or the folder output was)
    logger.info(
        "Đã dựng %s trong %.2f giây (%d tệp dựng lại, %d giữ nguyên; %d tệp liên kết từ bản "
        "đang xuất bản trong %.1f ms; chuyển bản %.1f ms; xóa bản cũ %.1f ms)",
        output,
        time.perf_counter() - started,
        state.rendered,
        state.reused,
        linked,
        1000 * (filled - rendered),
        1000 * (switched - filled),
        1000 * (time.perf_counter() - switched),
    )
    return 0


def forget_record(settings) -> None:
    with contextlib.suppress(OSError):
        os.remove(digest_file(settings))


def check_site(settings: dict, stream=None) -> int:
    """Read and check all content without writing anything.

    Prints every problem, one per line (``path:line: …``), then a count.
    Returns 1 if there is any error, else 0.
    """
    stream = stream or sys.stdout
    scratch = tempfile.mkdtemp(prefix=".bulletin-check-")
    state = BuildState(configuration=settings, check_only=True)
    settings = dict(settings, OUTPUT_PATH=scratch)
    try:
        with build_lock(settings):  # a check writes the reader cache a build reads
            run_pelican(settings, state)
    except PublicationError as error:
        print(str(error), file=stream)
        return 1
    except Exception as error:  # noqa: BLE001 - report, never a traceback
        print(f"Lỗi khi kiểm tra: {error}", file=stream)
        return 1
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    # CHECKED (bulletin.content.report always stops a check), or
    # CONTENT_ERRORS from code that does not know check mode.
    print_report(state.problems, stream)
    return 1 if any(p.severity == ERROR for p in state.problems) else 0


def main(argv=None) -> int:
    """``python -m bulletin.build.main [--drafts] [-s pelicanconf.py] [-o output]``."""
    import argparse  # noqa: PLC0415

    parser = argparse.ArgumentParser(description="Dựng trang bản tin.")
    parser.add_argument("-s", "--settings", default="pelicanconf.py")
    parser.add_argument("-o", "--output", default=None)
    parser.add_argument("--drafts", action="store_true")
    parser.add_argument("--check", action="store_true", help="chỉ kiểm tra, không dựng trang")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)
    # Pelican's own errors (a template that fails, a link it cannot resolve)
    # stop the build instead of publishing a broken site; its messages are
    # shown in Vietnamese (bulletin.build.console).
    level = logging.INFO if args.verbose else logging.WARNING
    # A check prints its own report; Pelican's warnings would only repeat it.
    console.init(level=logging.ERROR if args.check else level)
    overrides = {"OUTPUT_PATH": args.output} if args.output else {}
    settings = load_settings(args.settings, drafts=args.drafts, **overrides)
    try:
        if args.check:
            return check_site(settings)
        return build_site(settings)
    except KeyboardInterrupt:  # Ctrl+C: output/ is still one whole build, old or new
        print("Đã dừng. Thư mục trang đã xuất bản vẫn trọn vẹn.", file=sys.stderr)
        return 130


__all__ = ["build_site", "check_site", "load_settings", "main", "summary_line"]

if __name__ == "__main__":
    sys.exit(main())
