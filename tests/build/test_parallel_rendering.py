"""Pages rendered in worker processes (bulletin.build.rendering) are the bytes
of pages rendered one by one; a render that fails in a worker, a worker that
dies, two calls writing one file: rendered again in the build's process,
with Pelican's own rules and errors."""

from __future__ import annotations

import os

import pytest
from helpers import ROOT, build, copy_fixture_site, tree
from jinja2 import Template
from pelican.writers import Writer

from bulletin.build import rendering

NOW = "1751302800"  # 2025-07-01 in Vietnam: every build sees one clock
# A production build's URLs (a development build's relative URLs render serially).
COMMON = {"RELATIVE_URLS": False, "SEARCH_INDEX": False}
SERIAL = {**COMMON, "BUILD_WORKERS": 1}
WORKERS = {**COMMON, "BUILD_WORKERS": 2, "BUILD_WORKERS_FROM": 1, "BUILD_RENDER_FROM": 1}

# Every test here counts workers: none may be kept from forking.
pytestmark = pytest.mark.usefixtures("no_other_threads")


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", NOW)


@pytest.fixture
def flushes(monkeypatch):
    """For each flush: (calls deferred, calls a worker rendered)."""
    seen = []
    in_workers = rendering.DeferredRendering._in_workers

    def spy(self, jobs, workers):
        results = in_workers(self, jobs, workers)
        seen.append((len(jobs), len(results)))
        return results

    monkeypatch.setattr(rendering.DeferredRendering, "_in_workers", spy)
    return seen


def built(tmp_path, name, **settings):
    content = copy_fixture_site(tmp_path / name)
    code, log = build(content, tmp_path / name / "output", **settings)
    assert code == 0, log
    assert "Traceback" not in log
    return tree(tmp_path / name / "output")


def same(a: dict, b: dict) -> None:
    assert a.keys() == b.keys()
    assert [path for path in a if a[path] != b[path]] == []


def test_workers_render_the_bytes_of_a_serial_build(tmp_path, flushes):
    serial = built(tmp_path, "a", **SERIAL)
    assert flushes == []
    parallel = built(tmp_path, "b", **WORKERS)
    assert len(flushes) == 1
    deferred, by_workers = flushes[0]
    # Articles, listings, tags, bylines, movements, pages: all by the workers.
    assert deferred >= 20
    assert by_workers == deferred
    same(serial, parallel)
    article = parallel["tin-tuc/2024/canh-giac-lua-dao/index.html"].decode()
    assert 'rel="canonical" href="http' in article  # absolute URLs: a production build


def test_a_small_build_renders_in_its_own_process(tmp_path, flushes):
    built(tmp_path, "a", **{**WORKERS, "BUILD_RENDER_FROM": 100_000})
    assert flushes == []


def test_development_builds_with_relative_urls_render_serially(tmp_path, flushes):
    serial = built(tmp_path, "a", BUILD_WORKERS=1, SEARCH_INDEX=False)
    development = {key: value for key, value in WORKERS.items() if key != "RELATIVE_URLS"}
    parallel = built(tmp_path, "b", **development)
    # Each relative render leaves its localsiteurl for the next: none deferred
    # (pages Pelican writes without relative_urls may still be).
    assert all(deferred < 10 for deferred, _ in flushes), flushes
    same(serial, parallel)


def failing_in_workers(monkeypatch, how, victim="canh-giac-lua-dao"):
    """Rendering fails for one article page, in worker processes only."""
    parent, render = os.getpid(), Template.render

    def flaky(self, *args, **kwargs):
        context = args[0] if args else kwargs
        article = context.get("article") if hasattr(context, "get") else None
        if os.getpid() != parent and article is not None and article.slug == victim:
            how()
        return render(self, *args, **kwargs)

    monkeypatch.setattr(Template, "render", flaky)


def _raise():
    raise RuntimeError("a template bug in a worker")


def _die():
    os._exit(9)  # as the kernel's OOM killer would leave it


@pytest.mark.parametrize("how", [_raise, _die], ids=["raises", "killed"])
def test_a_failing_worker_changes_nothing_but_time(tmp_path, monkeypatch, how, caplog, flushes):
    serial = built(tmp_path, "a", **SERIAL)
    failing_in_workers(monkeypatch, how)
    parallel = built(tmp_path, "b", **WORKERS)
    same(serial, parallel)
    deferred, by_workers = flushes[0]
    assert by_workers < deferred  # the victim (and, killed, its chunk's rest) rendered here
    if how is _die:
        warned = [r.getMessage() for r in caplog.records if r.name == "bulletin.build.rendering"]
        assert any("dừng bất thường" in message for message in warned), warned


def test_a_template_error_fails_the_build_as_a_serial_one_does(tmp_path, monkeypatch):
    render = Template.render

    def broken(self, *args, **kwargs):
        context = args[0] if args else kwargs
        if hasattr(context, "get") and getattr(context.get("article"), "slug", "") == (
            "canh-giac-lua-dao"
        ):
            raise RuntimeError("lỗi mẫu trang thử")
        return render(self, *args, **kwargs)

    monkeypatch.setattr(Template, "render", broken)
    results = []
    for name, settings in (("a", SERIAL), ("b", WORKERS)):
        content = copy_fixture_site(tmp_path / name)
        code, log = build(content, tmp_path / name / "output", **settings)
        results.append((code, "lỗi mẫu trang thử" in log))
        # Nothing half-written is published: no output at all for a first build.
        assert not (tmp_path / name / "output" / "index.html").exists()
    assert results[0] == results[1]
    assert results[0][0] != 0


def test_two_calls_writing_one_file_get_pelicans_error(tmp_path, monkeypatch):
    """A second write of one file is Pelican's error, in a worker build
    as in a serial one (the workers both wrote it; the build's process renders
    the two calls again, in order, and Pelican refuses the second)."""
    write_file = Writer.write_file

    def twice(self, name, *args, **kwargs):
        if name == "tin-tuc/2024/canh-giac-lua-dao/index.html":
            write_file(self, "trung-lap/index.html", *args, **kwargs)
        if name == "tin-tuc/2023/hoi-nghi-tong-ket-cong-tac-nam-2023/index.html":
            write_file(self, "trung-lap/index.html", *args, **kwargs)
        return write_file(self, name, *args, **kwargs)

    monkeypatch.setattr(Writer, "write_file", twice)
    logs = []
    for name, settings in (("a", SERIAL), ("b", WORKERS)):
        content = copy_fixture_site(tmp_path / name)
        code, log = build(content, tmp_path / name / "output", **settings)
        assert code != 0
        logs.append(log)
    for log in logs:
        assert 'trung-lap/index.html" as Pelican has already written' in log, log[-2000:]


def test_the_sample_site_renders_the_same_bytes_in_workers(tmp_path, flushes):
    """The sample content: galleries, videos, documents, printed issues."""
    import shutil  # noqa: PLC0415

    trees = []
    for name, settings in (("a", SERIAL), ("b", WORKERS)):
        shutil.copytree(ROOT / "content", tmp_path / name / "content")
        code, log = build(tmp_path / name / "content", tmp_path / name / "output", **settings)
        assert code == 0, log
        trees.append(tree(tmp_path / name / "output"))
    same(*trees)
    assert flushes and flushes[0][1] == flushes[0][0]


def test_a_process_running_other_threads_renders_without_forking(tmp_path, flushes):
    # The live preview serves and indexes from threads while it builds.
    import threading  # noqa: PLC0415

    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        parallel = built(tmp_path, "b", **WORKERS)
    finally:
        stop.set()
        other.join()
    assert flushes == []
    same(built(tmp_path, "a", **SERIAL), parallel)
