"""The content model of documents: pure rules as input → expected pairs."""

from __future__ import annotations

import pytest

from bulletin.content.model import ERROR, WARNING
from bulletin.documents import model


@pytest.mark.parametrize(
    "number",
    ["45/KH-BQL", "12/2023/QĐ-UBND", "202/2025/QH15", "112/BQL-VP", "1234/UBND-VX", "3a/TB-BQL"],
)
def test_official_numbers_are_accepted(number):
    assert model.check_number("x.md", 2, number) == []


@pytest.mark.parametrize(
    ("written", "fix"),
    [("Số 52/kh-bql", '"52/KH-BQL"'), ("45/kh-bql", '"45/KH-BQL"'), ("45-KH-BQL", None)],
)
def test_malformed_numbers_name_the_fix(written, fix):
    [problem] = model.check_number("x.md", 2, written)
    assert (problem.path, problem.line, problem.severity) == ("x.md", 2, ERROR)
    assert f'"{written}" không đúng dạng số hiệu' in problem.message
    assert (fix in problem.hint) if fix else "có phải là" not in problem.hint


def test_numbers_compare_without_case_spaces_or_dash_kind():
    assert model.number_key(" 45 / kh–bql ") == model.number_key("45/KH-BQL")
    assert model.split_numbers("45/KH-BQL, 12/2023/QĐ-UBND;\n 3/TB-BQL") == [
        "45/KH-BQL",
        "12/2023/QĐ-UBND",
        "3/TB-BQL",
    ]


def test_normative_documents_are_numbered_with_a_year():
    assert model.is_normative("12/2023/QĐ-UBND")
    assert not model.is_normative("56/QĐ-BQL")


def test_near_numbers_suggest_typos_and_missing_parts():
    register = ["45/KH-BQL", "12/2023/QĐ-UBND", "56/QĐ-BQL"]
    assert model.near_numbers("45/KH-BQ", register)[0] == "45/KH-BQL"
    assert "12/2023/QĐ-UBND" in model.near_numbers("12/2023/QD-UBND", register)


def test_types_are_known_by_name_with_or_without_marks_and_extendable():
    types = model.known_types([("Giấy chứng nhận", "GCN"), "Tờ trình"])
    kind, problems = model.read_type("x.md", 4, "ke hoach", types)
    assert (kind.name, problems) == ("Kế hoạch", [])
    assert model.read_type("x.md", 4, "Giấy chứng nhận", types)[0].code == "GCN"
    kind, [problem] = model.read_type("x.md", 4, "Quyết đinhh", types)
    assert kind is None
    assert '"Quyết định"' in problem.hint and "DOCUMENT_EXTRA_TYPES" in problem.hint


@pytest.mark.parametrize(
    ("written", "published"),
    [
        ("Kế hoạch 45-KH.PDF", "ke-hoach-45-kh.pdf"),
        ("tep/Báo cáo tổng kết thi đua 2023.pdf", "bao-cao-tong-ket-thi-dua-2023.pdf"),
        ("Đề án.docx", "de-an.docx"),
        ("!!!.pdf", "tep.pdf"),
    ],
)
def test_published_file_names_are_ascii(written, published):
    assert model.ascii_file_name(written) == published


def test_files_get_unique_names_and_refused_formats_are_errors():
    entries, problems = model.read_files("x.md", 9, "a.pdf, A.pdf\nb.exe, c")
    assert [e.published_name for e in entries] == ["a.pdf", "a-2.pdf"]
    assert [e.label for e in entries] == ["PDF", "PDF"]
    assert [p.line for p in problems] == [9, 9]
    assert '"b.exe" có đuôi ".exe"' in problems[0].message
    assert '"c" không có đuôi tệp' in problems[1].message


def test_a_file_over_30_mb_is_a_warning():
    assert model.file_size_warning("x.md", 9, "a.pdf", 30 * 1024 * 1024) == []
    [problem] = model.file_size_warning("x.md", 9, "a.pdf", 31 * 1024 * 1024)
    assert problem.severity == WARNING and "31 MB" in problem.message


def test_sizes_read_the_vietnamese_way():
    assert model.format_size(500) == "1 KB"
    assert model.format_size(30 * 1024) == "30 KB"
    assert model.format_size(int(1.25 * 1024 * 1024)) == "1,2 MB"


def test_duplicate_numbers_are_reported_at_every_file():
    problems = model.duplicate_numbers(
        [("a.md", 2, "45/KH-BQL"), ("b.md", 2, "45/kh-bql"), ("c.md", 2, "46/KH-BQL")]
    )
    assert sorted((p.path, "trùng với" in p.message) for p in problems) == [
        ("a.md", True),
        ("b.md", True),
    ]


def test_vietnamese_key_names_point_to_their_key():
    problems = model.check_document_keys("x.md", {"số hiệu": 2, "title": 1, "numbr": 3})
    hints = {p.line: p.hint for p in problems}
    assert '"Number"' in hints[2] and '"Number"' in hints[3]
