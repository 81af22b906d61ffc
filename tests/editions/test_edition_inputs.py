"""An issue's own inputs are in the build digest by content
(bulletin.editions.keys): a ``Cover:`` photo no article shows, replaced in
place (same path, new bytes), publishes a new PDF; touched but unchanged, it
writes nothing."""

from __future__ import annotations

import hashlib

from helpers import build, copy_fixture_site, make_photo

from bulletin.build import uptodate

ISSUE = """Number: 1
Date: 2024-06-30
Cover: bia.jpg
Articles:
    phat-dong-phong-trao-thi-dua-nam-2023
    canh-giac-lua-dao

Lời tòa soạn.
"""
PDF = "ban-tin/2024/so-1/ban-tin-so-1-2024.pdf"


def sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def pdf_files(cache) -> set:
    return set((cache / "pdf").rglob("*.pdf"))


def test_a_cover_replaced_in_place_publishes_a_new_pdf(tmp_path, monkeypatch):
    # The digest's code part held still: other work on plugins/ while the
    # test runs must not make an unchanged build look changed.
    monkeypatch.setattr(uptodate, "fingerprint", lambda settings: "code")
    content = copy_fixture_site(tmp_path)
    folder = content / "ban-tin" / "2024"
    cover = make_photo(folder / "bia.jpg", size=(1600, 1200), color=(20, 60, 160))
    (folder / "so-1.md").write_text(ISSUE, encoding="utf-8")
    output, cache = tmp_path / "output", tmp_path / "cache" / "editions"

    def run() -> str:
        code, report = build(content, output, EDITION_CACHE_PATH=str(cache))
        assert code == 0, report
        return str(output.resolve())

    first = run()
    published, laid_out = sha(output / PDF), pdf_files(cache)
    # The same bytes written again (new mtime and ctime: past the first layer):
    # nothing laid out, nothing written.
    cover.write_bytes(cover.read_bytes())
    assert run() == first
    assert pdf_files(cache) == laid_out and sha(output / PDF) == published
    # New bytes at the same path: laid out again, published.
    make_photo(cover, size=(1600, 1200), color=(200, 160, 20))
    assert run() != first
    assert len(pdf_files(cache) - laid_out) == 1
    assert sha(output / PDF) != published
    # And a clean build of the same content publishes that very PDF.
    clean = tmp_path / "clean" / "output"
    code, report = build(content, clean, EDITION_CACHE_PATH=str(tmp_path / "clean" / "cache"))
    assert code == 0, report
    assert sha(clean / PDF) == sha(output / PDF)
