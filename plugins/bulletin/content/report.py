"""The content report: every problem of every file, then the build goes on or stops.

Connects ``all_generators_finalized`` (after every check has run: the
checks of :mod:`bulletin.content.validation`, the movements, the photos,
the addresses) to :func:`stop_on_errors`: it collects the problems the
modules recorded on each generator (``generator.bulletin_problems``, through
:func:`bulletin.content.validation.add_problems`), names the files Pelican
skipped, softens an unfinished draft's errors to warnings, then ends the
run before a single page is written through the build's state
(:meth:`bulletin.build.state.BuildState.stop`):

- ``invoke check`` (``state.check_only``) always stops here, outcome
  ``CHECKED``, with every problem;
- any error stops the build, outcome ``CONTENT_ERRORS``, with every problem;
- otherwise the warnings are logged and the build goes on.

``bulletin.build.main`` prints the report (one line per problem, then
:func:`summary_line`); the web editor's check of one article uses
:func:`soften` and :func:`summary_line` too.
"""

from __future__ import annotations

import logging
import os

from pelican import signals

from bulletin.build.state import Outcome, state_of
from bulletin.content.model import ERROR, WARNING, Problem

logger = logging.getLogger(__name__)


def summary_line(problems: list[Problem]) -> str:
    errors = sum(1 for p in problems if p.severity == ERROR)
    warnings = len(problems) - errors
    return f"{errors} lỗi, {warnings} cảnh báo."


def explicit_drafts(generators) -> set[str]:
    """Files marked ``Status: draft`` (not merely scheduled for later)."""
    paths = set()
    for generator in generators:
        for draft in getattr(generator, "drafts", []):
            source = getattr(draft, "bulletin_source", None)
            if source and source.raw.get("status", "").strip().lower() == "draft":
                paths.add(source.path)
    return paths


def soften(problem: Problem) -> Problem:
    """An unfinished draft must not stop the news: its errors become warnings."""
    if problem.severity != ERROR:
        return problem
    return Problem(
        problem.path, problem.line, f"(bản nháp) {problem.message}", problem.hint, WARNING
    )


def skipped_files(generators) -> list[Problem]:
    """Files Pelican gave up on (it logs and goes on): never a silent skip."""
    if not generators:
        return []
    context, settings = generators[0].context, generators[0].settings
    folder = os.path.basename(os.path.normpath(settings["PATH"]))
    return [
        Problem(
            f"{folder}/{path}",
            1,
            "Không đọc được tệp này nên bài không được đăng",
            "kiểm tra phần đầu tệp (Title, Date, Author, Movement) và các thông báo phía trên",
        )
        for path, content in context.get("generated_content", {}).items()
        if content is None
    ]


def collect_problems(generators) -> list[Problem]:
    drafts = explicit_drafts(generators)
    reported = {p for g in generators for p in getattr(g, "bulletin_problems", [])}
    # A file with its own problems explains why Pelican skipped it.
    explained = {p.path for p in reported}
    reported |= {p for p in skipped_files(generators) if p.path not in explained}
    problems = {soften(p) if p.path in drafts else p for p in reported}
    return sorted(problems, key=lambda p: (p.path, p.line, p.message))


def stop_on_errors(generators) -> None:
    if not generators:
        return
    problems = collect_problems(generators)
    state = state_of(generators[0].settings)
    if state.check_only:
        state.stop(Outcome.CHECKED, problems)
    for problem in problems:
        if problem.severity == WARNING:
            logger.warning("%s", problem)
    if any(p.severity == ERROR for p in problems):
        state.stop(Outcome.CONTENT_ERRORS, problems)


def register() -> None:
    signals.all_generators_finalized.connect(stop_on_errors)
