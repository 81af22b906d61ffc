"""Removing an old build never follows a link out of it (bulletin.build.bulk):
a symlink planted in a build folder — to the content, to the home folder —
is removed as a name; what it points at stays whole."""

from __future__ import annotations

import os

from bulletin.build.publication import remove


def test_links_in_a_removed_build_are_removed_not_followed(tmp_path):
    precious = tmp_path / "content"
    (precious / "articles").mkdir(parents=True)
    (precious / "articles" / "bai.md").write_text("Title: Bài\n", encoding="utf-8")
    build = tmp_path / ".builds" / "output" / "20260101-000000-abcd1234"
    for number in range(40):  # enough names for the threaded path
        page = build / "tin-tuc" / f"bai-{number}" / "index.html"
        page.parent.mkdir(parents=True)
        page.write_text("<p>x</p>", encoding="utf-8")
    os.symlink(precious, build / "tin-tuc" / "bai-3" / "content")  # a folder link
    os.symlink(precious / "articles" / "bai.md", build / "bai.md")  # a file link
    os.symlink(tmp_path / "nowhere", build / "dangling")
    remove(str(build))
    assert not build.exists()
    assert (precious / "articles" / "bai.md").read_text(encoding="utf-8") == "Title: Bài\n"
