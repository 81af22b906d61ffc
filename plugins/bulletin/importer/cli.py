"""``invoke import`` and ``python -m bulletin.importer``: options in, report out.

:func:`command` checks every option before anything is fetched (a movement
not in the registry, a date that cannot be read, a pattern that is not a
regular expression, a rules file with mistakes: a Vietnamese message and
exit code 2), runs the import with a progress line on a terminal, prints the
report and saves it to ``cache/import-report.md`` (not on ``--dry-run``,
which writes nothing). Exit code 1 when a SOURCE could not be read at all.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

from bulletin.content.dates import DateError, parse_date
from bulletin.content.registry import load_registry
from bulletin.importer.fetch import Fetcher
from bulletin.importer.rules import Rules, RulesError, load_rules
from bulletin.importer.run import Options, run_import

REPORT_FILE = Path("cache") / "import-report.md"


class UsageError(Exception):
    """A bad option, in Vietnamese, with what to write instead."""


def split_sources(value: str) -> list[str]:
    """``invoke import`` takes one quoted SOURCE argument: several are
    separated by spaces (a path with spaces that exists is one)."""
    value = value.strip()
    if not value:
        return []
    return [value] if Path(value).expanduser().exists() else value.split()


def build_options(
    sources: list[str],
    settings: dict,
    *,
    movement: str = "",
    since: str = "",
    limit: int | str = 0,
    dry_run: bool = False,
    follow: str = "",
    rules: str = "",
) -> Options:
    if not sources:
        raise UsageError(
            "Thiếu nguồn cần nhập: địa chỉ sitemap.xml, RSS, trang danh sách (với --follow), "
            "một trang bài, thư mục trang đã lưu hoặc tệp xuất WordPress (.xml)"
        )
    content = Path(settings["PATH"])
    registry_file = content / "movements.toml"
    try:
        registry, problems = load_registry(
            registry_file.read_text(encoding="utf-8-sig"), "content/movements.toml"
        )
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"Không đọc được content/movements.toml ({error})") from None
    if problems:
        raise UsageError(f"Danh mục phong trào có lỗi: {problems[0]} (chạy invoke check)")
    slug = ""
    if movement.strip():
        entry = registry.lookup(movement)
        if entry is None:
            near = registry.suggestions(movement)
            hint = f" Có phải ý bạn là: {', '.join(near)}?" if near else ""
            raise UsageError(
                f'--movement "{movement}" không có trong content/movements.toml.{hint}'
            )
        slug = entry.slug
    try:
        since_date = parse_date(since) if since.strip() else None
    except DateError as error:
        raise UsageError(f"--since: {error}; viết ví dụ --since 2023-01-01") from None
    try:
        limit = int(limit or 0)
        if limit < 0:
            raise ValueError
    except ValueError:
        raise UsageError(f'--limit "{limit}" phải là số bài, ví dụ --limit 20') from None
    try:
        pattern = re.compile(follow) if follow else None
    except re.error as error:
        raise UsageError(f'--follow "{follow}" không phải biểu thức chính quy ({error})') from None
    try:
        loaded = load_rules(Path(rules), registry) if rules else Rules()
    except RulesError as error:
        raise UsageError(f"Tệp quy tắc có lỗi:\n{error}") from None
    return Options(
        sources=sources,
        content=content,
        settings=settings,
        rules=loaded,
        movement=slug,
        since=since_date,
        limit=limit,
        dry_run=dry_run,
        follow=pattern,
    )


def parse_rate(rate) -> float:
    try:
        value = float(str(rate).replace(",", "."))
        if value < 0:
            raise ValueError
    except ValueError:
        raise UsageError(
            f'--rate "{rate}" phải là số yêu cầu mỗi giây, ví dụ --rate 0.5 (0: không giới hạn)'
        ) from None
    return value


def progress_line(stream):
    """A one-line progress bar on a terminal; nothing when piped or in CI."""
    if not getattr(stream, "isatty", lambda: False)():
        return None

    def show(number: int, total: int, what: str) -> None:
        width = 20
        filled = width * number // max(total, 1)
        bar = "█" * filled + "·" * (width - filled)
        print(f"\r[{bar}] {number}/{total} {what[-50:]:<50}", end="", file=stream, flush=True)
        if number == total:
            print(file=stream)

    return show


def command(
    sources: list[str],
    settings: dict,
    *,
    rate="1",
    ignore_robots: bool = False,
    out=None,
    err=None,
    **options,
) -> int:
    out, err = out or sys.stdout, err or sys.stderr
    try:
        built = build_options(sources, settings, **options)
        fetcher = Fetcher(
            site=settings.get("SITEURL") or "http://localhost:8000",
            rate=parse_rate(rate),
            ignore_robots=ignore_robots,
        )
    except UsageError as error:
        print(f"Không nhập: {error}", file=err)
        return 2
    started = time.perf_counter()
    report = run_import(built, fetcher, progress=progress_line(err))
    report.seconds = time.perf_counter() - started
    text = report.markdown()
    print(text, file=out)
    if not built.dry_run:
        saved = built.content.parent / REPORT_FILE
        try:
            saved.parent.mkdir(parents=True, exist_ok=True)
            saved.write_text(text, encoding="utf-8")
            print(
                f"Báo cáo đã lưu ở {REPORT_FILE.as_posix()}. Kiểm tra bài: invoke check", file=out
            )
        except OSError as error:
            print(f"Không lưu được báo cáo ({error.strerror or error})", file=err)
    if report.failed_sources and not (report.imported or report.skipped):
        return 1
    return 0


def main(argv=None) -> int:
    """``python -m bulletin.importer SOURCE… [options]`` (the same as ``invoke import``)."""
    from bulletin.build.main import load_settings  # noqa: PLC0415 - Pelican only when run

    parser = _Parser(
        prog="python -m bulletin.importer", description="Nhập bài từ cổng thông tin cũ."
    )
    parser.add_argument("sources", nargs="*", metavar="SOURCE")
    parser.add_argument("--movement", default="")
    parser.add_argument("--since", default="")
    parser.add_argument("--limit", default="0")
    parser.add_argument("--dry-run", action="store_true")
    parser.add_argument("--follow", default="")
    parser.add_argument("--rules", default="")
    parser.add_argument("--rate", default="1")
    parser.add_argument("--ignore-robots", action="store_true")
    parser.add_argument("-s", "--settings", default="pelicanconf.py")
    try:
        args = parser.parse_args(argv)
    except UsageError as error:
        print(f"Không nhập: {error}", file=sys.stderr)
        return 2
    settings = load_settings(args.settings)
    return command(
        args.sources,
        settings,
        rate=args.rate,
        ignore_robots=args.ignore_robots,
        movement=args.movement,
        since=args.since,
        limit=args.limit,
        dry_run=args.dry_run,
        follow=args.follow,
        rules=args.rules,
    )


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        raise UsageError(f"{message} — xem: python -m bulletin.importer --help")
