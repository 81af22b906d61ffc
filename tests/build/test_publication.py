"""Publishing a build (bulletin.build.publication): one atomic switch of the
``output`` link, one build at a time, clear refusals, nothing left over.

The crash tests (a build killed at every stage) are in tests/security/test_crash.py.
"""

from __future__ import annotations

import io
import json
import logging
import os
import re
import shutil
import subprocess
import sys
import threading
import urllib.request
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from helpers import FIXTURE_SETTINGS, ROOT, build, copy_fixture_site, settings_for, tree

from bulletin.build import publication
from bulletin.build.publication import BuildLock, builds_folder, exchange

SEED = "articles/2023/phat-dong-phong-trao-thi-dua-nam-2023.md"
SEED_PAGE = "tin-tuc/2023/phat-dong-phong-trao-thi-dua-nam-2023/index.html"
ABOUT_PAGE = "gioi-thieu/index.html"
NO_SEARCH = {"SEARCH_INDEX": False}


def edit_body(content: Path, words: str = "Đoạn bổ sung.") -> None:
    seed = content / SEED
    seed.write_text(seed.read_text(encoding="utf-8") + f"\n{words}\n", encoding="utf-8")


def text(path: Path) -> str:
    """A page's text with typogrify's tied last words untied."""
    return path.read_text(encoding="utf-8").replace("&nbsp;", " ").replace("\xa0", " ")


def builds_of(output: Path) -> list[str]:
    return sorted(os.listdir(builds_folder(str(output))))


def stats(caplog) -> tuple[int, int]:
    found = re.search(r"(\d+) tệp dựng lại, (\d+) giữ nguyên", caplog.text)
    return int(found.group(1)), int(found.group(2))


def test_output_is_a_link_to_one_complete_build(tmp_path):
    content = copy_fixture_site(tmp_path)
    output = tmp_path / "output"
    assert build(content, output, **NO_SEARCH)[0] == 0
    first = os.readlink(output)
    assert first.startswith(os.path.join(".builds", "output", ""))  # relative: the site can move
    assert builds_of(output) == [os.path.basename(first)]
    about = os.stat(output / ABOUT_PAGE)
    edit_body(content)
    assert build(content, output, **NO_SEARCH)[0] == 0
    second = os.readlink(output)
    assert second != first
    assert builds_of(output) == [os.path.basename(second)]  # the old build is gone
    # An unchanged page is the published file itself, linked into the new build.
    assert (os.stat(output / ABOUT_PAGE).st_ino, os.stat(output / ABOUT_PAGE).st_mtime_ns) == (
        about.st_ino,
        about.st_mtime_ns,
    )
    assert "Đoạn bổ sung." in text(output / SEED_PAGE)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == [".builds"]


@pytest.mark.parametrize("atomic", [True, False], ids=["renameat2", "two-renames"])
def test_a_real_output_folder_becomes_the_link(tmp_path, monkeypatch, atomic):
    """The layout before this one: output/ was a folder, written in place."""
    if not atomic:
        monkeypatch.setattr(publication, "_LIBC", None)
    content = copy_fixture_site(tmp_path)
    output = tmp_path / "output"
    (output / "tin-tuc").mkdir(parents=True)
    (output / "tin-tuc" / "trang-cu.html").write_text("cũ", encoding="utf-8")
    (output / "index.html").write_text("cũ", encoding="utf-8")
    assert build(content, output, **NO_SEARCH)[0] == 0
    assert output.is_symlink()
    assert not (output / "tin-tuc" / "trang-cu.html").exists()
    assert len(builds_of(output)) == 1
    clean = tmp_path / "clean" / "output"
    assert build(content, clean, **NO_SEARCH)[0] == 0
    assert tree(output) == tree(clean)


@pytest.mark.parametrize("atomic", [True, False], ids=["renameat2", "two-renames"])
def test_exchange_swaps_two_paths(tmp_path, monkeypatch, atomic):
    if not atomic:
        monkeypatch.setattr(publication, "_LIBC", None)
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "x").write_text("a")
    (tmp_path / "b").symlink_to("a")
    exchange(str(tmp_path / "a"), str(tmp_path / "b"))
    assert (tmp_path / "a").is_symlink() and os.readlink(tmp_path / "a") == "a"
    assert (tmp_path / "b" / "x").read_text() == "a"
    assert sorted(os.listdir(tmp_path)) == ["a", "b"]


def test_a_second_build_waits_then_refuses_with_a_message(tmp_path):
    content = copy_fixture_site(tmp_path)
    output = tmp_path / "output"
    assert build(content, output, **NO_SEARCH)[0] == 0
    before = tree(output)
    edit_body(content)
    lock = tmp_path / "cache" / "build.lock"
    with BuildLock(str(lock)):
        code, report = build(content, output, BUILD_LOCK_WAIT=0.3, **NO_SEARCH)
    assert code == 1
    assert report.startswith(f"Một lần dựng trang khác đang chạy (tiến trình {os.getpid()})")
    assert str(lock) in report and "Traceback" not in report
    assert tree(output) == before
    # Released within the wait: the second build runs after the first.
    held = BuildLock(str(lock)).__enter__()
    threading.Timer(0.3, held.__exit__, (None, None, None)).start()
    assert build(content, output, BUILD_LOCK_WAIT=10, **NO_SEARCH)[0] == 0
    assert "Đoạn bổ sung." in text(output / SEED_PAGE)


SITE = """import sys
sys.path.insert(0, {root!r})
from pelicanconf import *  # noqa: F403
THEME = {theme!r}
BUILD_LOCK_WAIT = {wait!r}
"""


def site_settings(folder: Path, wait: float) -> Path:
    """A settings file for ``python -m bulletin.build.main`` in ``folder``."""
    text = SITE.format(root=str(ROOT), theme=str(ROOT / "theme"), wait=wait)
    text += "".join(f"{key} = {value!r}\n" for key, value in FIXTURE_SETTINGS.items())
    (folder / "site.py").write_text(text, encoding="utf-8")
    return folder / "site.py"


def run_build(folder: Path, output: str = "output") -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "plugins"))
    return subprocess.Popen(
        [sys.executable, "-m", "bulletin.build.main", "-s", "site.py", "-o", output],
        cwd=folder,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_the_command_refuses_without_a_traceback_while_another_build_runs(tmp_path):
    copy_fixture_site(tmp_path)
    site_settings(tmp_path, wait=0.2)
    with BuildLock(str(tmp_path / "cache" / "build.lock")):
        process = run_build(tmp_path)
        out, err = process.communicate(timeout=120)
    assert process.returncode == 1
    assert "Một lần dựng trang khác đang chạy" in err and "Traceback" not in err, out + err
    assert not (tmp_path / "output").exists()


def test_two_builds_at_once_share_the_caches(tmp_path):
    """Two outputs of one project, built together with the search index: the
    second waits for the first (one lock beside the caches), both succeed."""
    copy_fixture_site(tmp_path)
    site_settings(tmp_path, wait=120)
    first, second = run_build(tmp_path, "output"), run_build(tmp_path, "output-2")
    for process in (first, second):
        out, err = process.communicate(timeout=300)
        assert process.returncode == 0, out + err
    assert tree(tmp_path / "output") == tree(tmp_path / "output-2")
    assert (tmp_path / "output" / "pagefind" / "pagefind.js").is_file()


def test_a_failed_switch_keeps_the_old_site_and_says_where(tmp_path, monkeypatch):
    content = copy_fixture_site(tmp_path)
    output = tmp_path / "output"
    assert build(content, output, **NO_SEARCH)[0] == 0
    before, published = tree(output), os.readlink(output)
    edit_body(content)
    replace = os.replace

    def refused(source, target, *args, **kwargs):
        if os.fspath(target) == str(output):
            raise PermissionError(13, "Permission denied", str(output))
        return replace(source, target, *args, **kwargs)

    monkeypatch.setattr(os, "replace", refused)
    code, report = build(content, output, **NO_SEARCH)
    assert code == 1
    assert report == (
        f"Không thay được trang đã xuất bản: Permission denied ({output})\n"
        "Trang đã xuất bản trước đó được giữ nguyên.\n"
    )
    assert os.readlink(output) == published and tree(output) == before
    assert builds_of(output) == [os.path.basename(published)]  # the new build is removed
    monkeypatch.undo()
    assert build(content, output, **NO_SEARCH)[0] == 0
    assert "Đoạn bổ sung." in text(output / SEED_PAGE)


def test_a_kept_page_that_vanished_fails_then_the_next_build_renders_all(
    tmp_path, monkeypatch, caplog
):
    content = copy_fixture_site(tmp_path)
    output = tmp_path / "output"
    assert build(content, output, **NO_SEARCH)[0] == 0
    before = tree(output)
    edit_body(content)

    def gone(source, target):
        raise FileNotFoundError(2, "No such file or directory", source)

    monkeypatch.setattr(publication, "link_or_copy", gone)
    code, report = build(content, output, **NO_SEARCH)
    assert code == 1 and "Không ghép được các trang không đổi" in report, report
    assert tree(output) == before
    monkeypatch.undo()
    caplog.set_level(logging.INFO, logger="bulletin.build.main")
    assert build(content, output, **NO_SEARCH)[0] == 0
    assert stats(caplog)[1] == 0  # nothing trusted: every page rendered


def test_the_record_is_trusted_only_while_output_shows_its_build(tmp_path, caplog):
    content = copy_fixture_site(tmp_path)
    output = tmp_path / "output"
    record = tmp_path / "cache" / "build-record.json"
    assert build(content, output, **NO_SEARCH)[0] == 0
    assert json.loads(record.read_text(encoding="utf-8"))["build"] == os.path.basename(
        os.readlink(output)
    )
    caplog.set_level(logging.INFO, logger="bulletin.build.main")
    edit_body(content, "Lần một.")
    assert build(content, output, **NO_SEARCH)[0] == 0
    assert stats(caplog)[1] > 20  # trusted: unchanged pages reused
    # Killed between the switch and the record: the record names another build.
    data = json.loads(record.read_text(encoding="utf-8"))
    record.write_text(json.dumps(dict(data, build="20000101-000000-khac")), encoding="utf-8")
    caplog.clear()
    edit_body(content, "Lần hai.")
    assert build(content, output, **NO_SEARCH)[0] == 0
    assert stats(caplog)[1] == 0
    # Output pointed by hand at a copy of the build: not the recorded build.
    copy = Path(builds_folder(str(output))) / "ban-sao"
    shutil.copytree(output, copy)
    output.unlink()
    output.symlink_to(os.path.relpath(copy, tmp_path))
    caplog.clear()
    edit_body(content, "Lần ba.")
    assert build(content, output, **NO_SEARCH)[0] == 0
    assert stats(caplog)[1] == 0
    clean = tmp_path / "clean" / "output"
    assert build(content, clean, **NO_SEARCH)[0] == 0
    assert tree(output) == tree(clean)


def test_what_killed_builds_left_is_removed_and_ignored_by_git(tmp_path):
    content = copy_fixture_site(tmp_path)
    output = tmp_path / "output"
    assert build(content, output, **NO_SEARCH)[0] == 0
    builds = Path(builds_folder(str(output)))
    stale = [
        builds / "20200101-000000-chetgiua",  # a build killed before its switch
        builds / "tmp-999999999-abcd",  # a preview's scratch folder, process gone
        tmp_path / ".output-abcd1234",  # the staging folder of an older version
        tmp_path / ".preview-abcd1234",
    ]
    for folder in stale:
        (folder / "tin-tuc").mkdir(parents=True)
        (folder / "tin-tuc" / "index.html").write_text("dở dang", encoding="utf-8")
    (builds / "link-abcd").symlink_to("20200101-000000-chetgiua")
    alive = builds / f"tmp-{os.getpid()}-abcd"  # a running preview's scratch
    alive.mkdir()

    git = shutil.which("git")
    if git:  # `invoke cms --git` commits with `git add .`: none of this may go in
        shutil.copy(ROOT / ".gitignore", tmp_path / ".gitignore")
        subprocess.run([git, "init", "-q", str(tmp_path)], check=True)
        paths = ["output", *(str(p.relative_to(tmp_path)) for p in [*stale, builds, alive])]
        ignored = subprocess.run(
            [git, "check-ignore", *paths], cwd=tmp_path, capture_output=True, text=True, check=True
        )
        assert sorted(ignored.stdout.split()) == sorted(paths)
        status = subprocess.run(
            [git, "status", "--porcelain", "--untracked-files=all", "--", ".builds", "output"],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            check=True,
        )
        assert status.stdout == ""

    edit_body(content)
    assert build(content, output, **NO_SEARCH)[0] == 0
    assert not any(os.path.lexists(p) for p in [*stale, builds / "link-abcd"])
    assert builds_of(output) == sorted([os.path.basename(os.readlink(output)), alive.name])
    publication.remove_output(str(output))  # invoke clean
    assert not os.path.lexists(output) and not (tmp_path / ".builds").exists()
    assert content.is_dir()


def test_the_preview_replaces_pages_and_bundles_never_writes_into_them(tmp_path):
    """A published file may be a hard link of the previous build's or a
    cache's: the preview's page swap and search refresh rename, never write."""
    from bulletin.build.preview import Preview  # noqa: PLC0415

    content = copy_fixture_site(tmp_path)
    output = tmp_path / "output"

    def settings():
        return settings_for(content, output)

    preview = Preview(settings, str(output), stream=io.StringIO())
    assert preview.build() == 0
    preview._index(settings())  # the background refresh, here in the foreground
    page, bundle = output / SEED_PAGE, output / "pagefind" / "pagefind.js"
    witnesses = {page: tmp_path / "page-link", bundle: tmp_path / "bundle-link"}
    for path, witness in witnesses.items():
        os.link(path, witness)
    old = {path: path.read_bytes() for path in witnesses}
    edit_body(content, "Đoạn xem trước.")
    assert preview.show_first(str(content / SEED))
    assert "Đoạn xem trước." in text(page)
    assert witnesses[page].read_bytes() == old[page]  # the old inode is untouched
    assert os.stat(page).st_ino != os.stat(witnesses[page]).st_ino
    os.link(output / "pagefind" / "pagefind-entry.json", tmp_path / "entry-link")
    entry = (tmp_path / "entry-link").read_bytes()
    preview._index(settings())
    assert (tmp_path / "entry-link").read_bytes() == entry
    assert witnesses[bundle].read_bytes() == old[bundle]
    assert [p.name for p in Path(builds_folder(str(output))).iterdir()] == [
        os.path.basename(os.readlink(output))
    ]


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def test_a_server_of_output_follows_each_switch(tmp_path):
    """`invoke serve` (http.server --directory output) serves the build the
    link points at when each request arrives."""
    content = copy_fixture_site(tmp_path)
    output = tmp_path / "output"
    assert build(content, output, **NO_SEARCH)[0] == 0
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(Quiet, directory=str(output)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/{SEED_PAGE}"
    try:
        assert "Đoạn bổ" not in urllib.request.urlopen(url).read().decode()
        edit_body(content)
        assert build(content, output, **NO_SEARCH)[0] == 0
        assert "Đoạn bổ" in urllib.request.urlopen(url).read().decode()
    finally:
        server.shutdown()
        server.server_close()


def test_without_symlinks_the_build_folder_becomes_output(tmp_path, monkeypatch):
    """Windows without the symlink privilege, a FAT disk: two renames, and
    each build renders every page (a real folder is never a trusted build)."""

    def refused(*args, **kwargs):
        raise OSError(1, "Operation not permitted")

    monkeypatch.setattr(os, "symlink", refused)
    content = copy_fixture_site(tmp_path)
    output = tmp_path / "output"
    for words in ("Lần một.", "Lần hai."):
        edit_body(content, words)
        assert build(content, output, **NO_SEARCH)[0] == 0
        assert output.is_dir() and not output.is_symlink()
        assert words in text(output / SEED_PAGE)
        assert builds_of(output) == []
