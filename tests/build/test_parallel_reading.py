"""Articles read in worker processes (bulletin.build.parallel) build the same
bytes as articles read one by one, and a worker that fails — a file whose
reading raises, a worker killed — changes nothing but the time it takes.
Bad inputs read by workers give the editor the same report, file and line."""

from __future__ import annotations

import io
import os
import shutil
from pathlib import Path

import pytest
from helpers import FIXTURE_SETTINGS, ROOT, build, copy_fixture_site, tree

from bulletin.build import parallel
from bulletin.build.main import check_site, load_settings
from bulletin.content.reader import BulletinMarkdownReader

CASES = ROOT / "tests" / "bad_inputs"
# Without the search index (bulletin.site.search, built from the pages compared here).
SERIAL = {"BUILD_WORKERS": 1, "SEARCH_INDEX": False}
WORKERS = {"BUILD_WORKERS": 2, "BUILD_WORKERS_FROM": 1, "SEARCH_INDEX": False}
NOW = "1751302800"  # 2025-07-01 in Vietnam, as bench/manifest.py: both builds see one clock

# Every test here counts workers: none may be kept from forking.
pytestmark = pytest.mark.usefixtures("no_other_threads")


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", NOW)


@pytest.fixture
def reads(monkeypatch):
    """How many files each pool read (recorded when it closes)."""
    counts = []
    close = parallel.ParallelReading.close

    def spy(self):
        if self.pool is not None:
            counts.append(self.count)
        close(self)

    monkeypatch.setattr(parallel.ParallelReading, "close", spy)
    return counts


def site(tmp_path: Path, name: str) -> Path:
    return copy_fixture_site(tmp_path / name)


def test_workers_build_the_bytes_of_a_serial_build(tmp_path, reads):
    code, log = build(site(tmp_path, "a"), tmp_path / "a" / "output", **SERIAL)
    assert code == 0, log
    assert reads == []
    code, log = build(site(tmp_path, "b"), tmp_path / "b" / "output", **WORKERS)
    assert code == 0, log
    assert reads == [5]  # the fixture's five articles, every one by a worker
    serial, parallel_ = tree(tmp_path / "a" / "output"), tree(tmp_path / "b" / "output")
    assert serial.keys() == parallel_.keys()
    assert [p for p in serial if serial[p] != parallel_[p]] == []


def test_an_edit_build_reads_its_one_file_in_the_build_itself(tmp_path, reads):
    content = site(tmp_path, "s")
    output = tmp_path / "s" / "output"
    assert build(content, output, BUILD_WORKERS=2, BUILD_WORKERS_FROM=2)[0] == 0
    assert reads == [5]
    article = content / "articles" / "2023" / "phat-dong-phong-trao-thi-dua-nam-2023.md"
    article.write_text(article.read_text(encoding="utf-8") + "\nĐoạnsửathử\n", "utf-8")
    assert build(content, output, BUILD_WORKERS=2, BUILD_WORKERS_FROM=2)[0] == 0
    assert reads == [5]  # one file to read: no pool
    page = output / "tin-tuc" / "2023" / "phat-dong-phong-trao-thi-dua-nam-2023" / "index.html"
    assert "Đoạnsửathử" in page.read_text(encoding="utf-8")


def failing_in_workers(monkeypatch, how):
    """Make the reader fail for one file, in worker processes only."""
    parent, victim = os.getpid(), "phat-dong-phong-trao-thi-dua-nam-2023.md"
    read = BulletinMarkdownReader.read

    def flaky(self, source_path):
        if os.getpid() != parent and source_path.endswith(victim):
            how()
        return read(self, source_path)

    monkeypatch.setattr(BulletinMarkdownReader, "read", flaky)


def _raise():
    raise RuntimeError("a reader bug")


def _die():
    os._exit(9)  # as the kernel's OOM killer would leave it


@pytest.mark.parametrize("how", [_raise, _die], ids=["raises", "killed"])
def test_a_failing_worker_changes_nothing_but_time(tmp_path, monkeypatch, how, caplog):
    code, log = build(site(tmp_path, "a"), tmp_path / "a" / "output", **SERIAL)
    assert code == 0, log
    failing_in_workers(monkeypatch, how)
    code, log = build(site(tmp_path, "b"), tmp_path / "b" / "output", **WORKERS)
    assert code == 0, log
    assert "Traceback" not in log
    assert tree(tmp_path / "a" / "output") == tree(tmp_path / "b" / "output")
    if how is _die:
        warned = [r.getMessage() for r in caplog.records if r.name == "bulletin.build.parallel"]
        assert any("dừng bất thường" in message for message in warned), warned


def check(content: Path, **overrides) -> tuple[int, str]:
    settings = load_settings(
        str(ROOT / "pelicanconf.py"),
        PATH=str(content),
        CACHE_PATH=str(content.parent / "cache"),
        **{**FIXTURE_SETTINGS, **overrides},
    )
    stream = io.StringIO()
    return check_site(settings, stream=stream), stream.getvalue()


# The cases whose problems the reader and the text checks find.
READ_CASES = [
    "ma-hoa-windows-1258",
    "ma-hoa-utf16",
    "ky-tu-dieu-khien",
    "ky-tu-vo-hinh",
    "html-khong-an-toan",
    "ngay-mo-ho",
    "thieu-truong-bat-buoc",
    "tieu-de-qua-dai",
    "slug-co-dau",
    "ten-khong-co-chu",
    "tieu-diem-sai",
    "dinh-chinh-khong-ngay",
    "cap-nhat-truoc-ngay-dang",
]


@pytest.mark.parametrize("case", READ_CASES)
def test_bad_inputs_read_by_workers_get_the_same_report(tmp_path, case, reads):
    serial = site(tmp_path, "a")
    shutil.copytree(CASES / case / "content", serial, dirs_exist_ok=True)
    workers = site(tmp_path, "b")
    shutil.copytree(CASES / case / "content", workers, dirs_exist_ok=True)
    expected = check(serial, **SERIAL)
    assert expected[0] == 1 or "cảnh báo" in expected[1]
    assert check(workers, **WORKERS) == expected
    assert reads, "the workers read nothing"
    # Again from the reader cache: the text checks are not run again, and
    # their problems are still reported.
    assert check(workers, **WORKERS) == expected
    code, log = build(workers, tmp_path / "b" / "output", **WORKERS)
    assert code == expected[0]
    assert "Traceback" not in log


def test_a_process_running_other_threads_reads_without_forking(tmp_path, reads):
    # The live preview serves and indexes from threads while it builds.
    import threading  # noqa: PLC0415

    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        code, log = build(site(tmp_path, "a"), tmp_path / "a" / "output", **WORKERS)
    finally:
        stop.set()
        other.join()
    assert code == 0, log
    assert reads == []
