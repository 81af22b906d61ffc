"""An edited document renders the pages that show it again, and only those.

Pelican logs 'Writing "<file>"' for each page it renders; a page
``bulletin.build.writer`` keeps is not rendered. Documents are keyed apart
from the site key (``bulletin.build.uptodate.document_keys``), so an edit to
one renders its page, the register and its facet pages and the article
citing it — not the news archive — and the result is still what a clean
build writes.
"""

from __future__ import annotations

import logging
import os
import shutil

from helpers import ROOT, build, copy_fixture_site, tree
from test_builds import write_article, write_document

DOCUMENT = "van-ban/2023/kh/index.html"
CITING = "tin-tuc/2024/tin-co-tep-dinh-kem/index.html"
REGISTER = {
    "van-ban/index.html",
    "van-ban/loai/ke-hoach/index.html",
    "van-ban/nam/2023/index.html",
    "van-ban/co-quan/ban-quan-ly-cac-khu-cong-nghiep-tinh-bac-kan/index.html",
}


def rendered(caplog, output) -> set[str]:
    """The HTML pages Pelican rendered in the build ``caplog`` recorded."""
    root = os.path.realpath(output)
    names = set()
    for record in caplog.records:
        if record.name == "pelican.writers" and record.getMessage().startswith("Writing"):
            path = os.path.realpath(record.args[0])
            if path.endswith(".html") and path.startswith(root + os.sep):
                names.add(os.path.relpath(path, root))
    return names


def edit(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def site_with_a_cited_document(tmp_path):
    content = copy_fixture_site(tmp_path)
    folder = write_document(content)
    write_document(
        content, name="cu", number="40/KH-BQL", title="Kế hoạch cũ", Replaced_by="45/KH-BQL"
    )
    write_article(content)
    output = tmp_path / "output"
    code, report = build(content, output)
    assert code == 0, report
    return content, folder, output


def rebuild(caplog, content, output) -> set[str]:
    """Build again; the pages rendered (not kept)."""
    caplog.clear()
    caplog.set_level(logging.INFO, logger="pelican.writers")
    code, report = build(content, output)
    assert code == 0, report
    return rendered(caplog, output)


def not_showing_it(again: set[str]) -> list[str]:
    return sorted(name for name in again if not name.startswith("van-ban/") and name != CITING)


def test_an_edited_document_renders_its_pages_and_no_unrelated_one(tmp_path, caplog):
    content, folder, output = site_with_a_cited_document(tmp_path)
    edit(folder / "kh.md", "Kế hoạch mẫu", "Kế hoạch đã sửa")
    again = rebuild(caplog, content, output)
    # Its page, the register's and the article citing it (and the document
    # it replaces, whose "replaced by" link names it).
    assert {DOCUMENT, CITING} | REGISTER <= again, again
    assert not_showing_it(again) == []
    assert "Kế hoạch đã sửa" in (output / CITING).read_text(encoding="utf-8")
    clean = tmp_path / "clean" / "output"
    assert build(content, clean)[0] == 0
    assert tree(output) == tree(clean)


def test_a_replaced_pdf_renders_the_pages_showing_its_size(tmp_path, caplog):
    content, folder, output = site_with_a_cited_document(tmp_path)
    # Another sample PDF under the same name: new bytes, new size.
    pdf = folder / "kh.pdf"
    shutil.copyfile(ROOT / "content" / "van-ban" / "2022" / "08-kh-bql.pdf", pdf)
    again = rebuild(caplog, content, output)
    assert {DOCUMENT, CITING} | REGISTER <= again, again
    assert not_showing_it(again) == []
    assert (output / "van-ban/2023/kh/kh.pdf").read_bytes() == pdf.read_bytes()


def test_a_fix_deep_in_an_article_keeps_the_register(tmp_path, caplog):
    """No listing shows that text (tests/build/test_incremental.py's edit_body):
    the document pages and the register are kept, not rendered."""
    content, _folder, output = site_with_a_cited_document(tmp_path)
    seed = content / "articles" / "2023" / "phat-dong-phong-trao-thi-dua-nam-2023.md"
    seed.write_text(seed.read_text(encoding="utf-8") + "\nĐoạn bổ sung.\n", encoding="utf-8")
    again = rebuild(caplog, content, output)
    assert "tin-tuc/2023/phat-dong-phong-trao-thi-dua-nam-2023/index.html" in again
    assert not {name for name in again if name.startswith("van-ban/")}, again


def test_a_touched_document_that_reads_the_same_writes_nothing(tmp_path, caplog):
    content, folder, output = site_with_a_cited_document(tmp_path)
    document = folder / "kh.md"
    document.write_bytes(document.read_bytes())  # new mtime, same text
    caplog.set_level(logging.INFO, logger="bulletin.build.uptodate")
    assert rebuild(caplog, content, output) == set()
    assert "Nothing to write" in caplog.text
