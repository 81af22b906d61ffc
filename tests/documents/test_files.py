"""Document files: their text read back equals what was written (NFC), scans
have none, broken files are named, and each file is opened once per content."""

from __future__ import annotations

import shutil
import unicodedata
import zipfile

import pytest
from helpers import ROOT

from bulletin.content.model import ERROR
from bulletin.documents import files
from tools import sample_documents

SAMPLES = ROOT / "content" / "van-ban"


@pytest.mark.parametrize("name", sorted(sample_documents.SAMPLES))
def test_sample_pdf_text_is_the_text_written(name):
    pages, text, problem = files.inspect(str(SAMPLES / name), "pdf")
    assert problem is None and pages == 1
    assert text == sample_documents.expected_text(sample_documents.SAMPLES[name])
    assert text == unicodedata.normalize("NFC", text)
    assert "Hạnh phúc" in text and "Số:" in text  # Vietnamese marks survive the round trip


def test_sample_docx_text_is_the_text_written():
    [(name, sample)] = sample_documents.DOCX.items()
    _pages, text, problem = files.inspect(str(SAMPLES / name), "docx")
    assert problem is None
    assert text == sample_documents.expected_text(sample)


def test_the_scanned_sample_has_no_text_layer():
    [name] = sample_documents.SCANNED
    pages, text, problem = files.inspect(str(SAMPLES / name), "pdf")
    assert (pages, text, problem) == (1, "", None)
    facts = files.FileFacts("0" * 64, 10, pages=1, has_text=False)
    assert files.scan_note(facts, "pdf")


def test_files_are_inspected_once_per_content(tmp_path, monkeypatch):
    pdf = tmp_path / "a.pdf"
    shutil.copyfile(SAMPLES / "2023" / "31-tb-bql.pdf", pdf)
    inspector = files.Inspector(str(tmp_path / "cache"))
    first = inspector.facts(str(pdf), "pdf")
    assert first.has_text and first.size == pdf.stat().st_size
    assert "31/TB-BQL" in inspector.text(first, "pdf")

    def fail(*_args):
        raise AssertionError("inspected again")

    monkeypatch.setattr(files, "inspect", fail)
    copy = tmp_path / "same-bytes-other-name.pdf"
    shutil.copyfile(pdf, copy)
    assert inspector.facts(str(copy), "pdf") == first  # keyed by SHA-256, not by name


def test_a_zip_bomb_is_refused_without_unpacking(tmp_path):
    bomb = tmp_path / "bom.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        info = zipfile.ZipInfo("x")
        archive.writestr(info, b"0" * 1024)
    data = bytearray(bomb.read_bytes())
    # Claim 2 GB unpacked in both headers, as a crafted archive does.
    for header in (b"PK\x03\x04", b"PK\x01\x02"):
        at = data.find(header)
        offset = 22 if header == b"PK\x03\x04" else 24
        data[at + offset : at + offset + 4] = (2 * 1024**3).to_bytes(4, "little")
    bomb.write_bytes(bytes(data))
    _text, (severity, what, _hint) = files.inspect_zip(str(bomb), "zip")
    assert severity == ERROR and "quá lớn" in what


def test_paths_outside_content_resolve_to_none(tmp_path):
    content = tmp_path / "content"
    (content / "van-ban").mkdir(parents=True)
    folder = str(content / "van-ban")
    assert files.resolve(str(content), folder, "../../x.pdf") is None
    assert files.resolve(str(content), folder, "/../x.pdf") is None
    assert files.resolve(str(content), folder, "/van-ban/a.pdf") == str(
        content / "van-ban" / "a.pdf"
    )
