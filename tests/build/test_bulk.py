"""bulletin.build.bulk: a build folder removed, and kept pages linked in, with
many file-system calls at once — the same result as one at a time."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bulletin.build import bulk
from bulletin.build.publication import fill_in, remove


def a_build(root: Path, pages: int = 120) -> Path:
    for number in range(pages):
        page = root / "tin-tuc" / str(2016 + number % 10) / f"bai-{number}" / "index.html"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(f"<p>Bài {number}</p>", encoding="utf-8")
    (root / "index.html").write_text("<p>Trang chủ</p>", encoding="utf-8")
    (root / "rong" / "hon" / "nua").mkdir(parents=True)  # empty folders too
    return root


def test_remove_tree_removes_every_file_and_folder(tmp_path):
    build = a_build(tmp_path / "build")
    remove(str(build))
    assert not build.exists()
    assert list(tmp_path.iterdir()) == []


def test_remove_tree_raises_when_a_folder_cannot_be_removed(tmp_path):
    build = a_build(tmp_path / "build")
    locked = build / "tin-tuc" / "2016"
    os.chmod(locked, 0o500)
    if os.access(locked, os.W_OK):  # root: every permission is granted
        os.chmod(locked, 0o700)
        pytest.skip("running as a user every permission is granted to")
    try:
        with pytest.raises(OSError):
            bulk.remove_tree(str(build))
    finally:
        os.chmod(locked, 0o700)


def test_fill_in_links_what_the_build_did_not_write(tmp_path):
    published = a_build(tmp_path / "published")
    build = tmp_path / "build"
    written = build / "tin-tuc" / "2016" / "bai-0" / "index.html"
    written.parent.mkdir(parents=True)
    written.write_text("<p>Bài 0, sửa</p>", encoding="utf-8")
    relatives = [p.relative_to(published).as_posix() for p in published.rglob("*") if p.is_file()]
    assert fill_in(str(build), str(published), relatives) == len(relatives) - 1
    assert written.read_text(encoding="utf-8") == "<p>Bài 0, sửa</p>"  # never touched
    for relative in relatives:
        if relative != "tin-tuc/2016/bai-0/index.html":
            new, old = os.stat(build / relative), os.stat(published / relative)
            assert (new.st_ino, new.st_dev) == (old.st_ino, old.st_dev)  # one file, linked
