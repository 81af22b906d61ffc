"""The content model's rules: dates, movements, registry — input → expected."""

from datetime import datetime

import pytest

from bulletin.content.dates import DateError, parse_date
from bulletin.content.model import check_keys, header_lines, read_header
from bulletin.content.placeholders import PLACEHOLDERS, check_placeholders, find_placeholders
from bulletin.content.registry import load_registry

REGISTRY_TOML = """
[van-hoa-cong-so]
name = "Cán bộ, công chức, viên chức thi đua thực hiện văn hóa công sở"
start = 2021

[bac-kan-day-manh-chuyen-doi-so]
name = "Bắc Kạn đẩy mạnh chuyển đổi số"
start = 2022
end = 2025

[cong-chuc]
name = "Công chức"
start = 2020
"""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2023-03-09 14:59:04", datetime(2023, 3, 9, 14, 59, 4)),
        ("2023-03-09 14:59", datetime(2023, 3, 9, 14, 59)),
        ("2023-03-09T14:59", datetime(2023, 3, 9, 14, 59)),
        ("2023-03-09", datetime(2023, 3, 9)),
        # Day first, never month first: 9 March, not 3 September.
        ("09/03/2023 14:59", datetime(2023, 3, 9, 14, 59)),
        ("9/3/2023 14:59:04", datetime(2023, 3, 9, 14, 59, 4)),
        ("09-03-2023 08:05", datetime(2023, 3, 9, 8, 5)),
        ("09.03.2023", datetime(2023, 3, 9)),
        ("13/03/2023 7h30", datetime(2023, 3, 13, 7, 30)),
    ],
)
def test_parse_date(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("31/02/2023 10:00", "không tồn tại"),
        ("2023-13-01", "không tồn tại"),
        ("09/03/23 14:59", "4 chữ số"),
        ("tháng 3 năm 2023", "không đọc được"),
        ("", "để trống"),
        ("2023-03-09 25:00", "không tồn tại"),
    ],
)
def test_impossible_or_ambiguous_dates_are_errors(text, reason):
    with pytest.raises(DateError, match=reason):
        parse_date(text)


@pytest.fixture
def registry():
    registry, problems = load_registry(REGISTRY_TOML, "content/movements.toml")
    assert problems == []
    return registry


@pytest.mark.parametrize(
    ("value", "slugs", "unknown"),
    [
        ("bac-kan-day-manh-chuyen-doi-so", ["bac-kan-day-manh-chuyen-doi-so"], []),
        ("Bắc Kạn đẩy mạnh chuyển đổi số", ["bac-kan-day-manh-chuyen-doi-so"], []),
        # A name with commas is matched whole before the value is split.
        (
            "Cán bộ, công chức, viên chức thi đua thực hiện văn hóa công sở, cong-chuc",
            ["van-hoa-cong-so", "cong-chuc"],
            [],
        ),
        (
            "Công chức, bac-kan-day-manh-chuyen-doi-so",
            ["cong-chuc", "bac-kan-day-manh-chuyen-doi-so"],
            [],
        ),
        ("chuyen doi so, Công chức", ["cong-chuc"], ["chuyen doi so"]),
        ("  bắc kạn ĐẨY mạnh   chuyển đổi số ", ["bac-kan-day-manh-chuyen-doi-so"], []),
    ],
)
def test_movement_field_splits_on_known_names(registry, value, slugs, unknown):
    found, missing = registry.split(value)
    assert [entry.slug for entry in found] == slugs
    assert missing == unknown


def test_unknown_movement_gets_nearest_suggestions(registry):
    assert registry.suggestions("chuyen doi so")[0].startswith('"bac-kan-day-manh-chuyen-doi-so"')


@pytest.mark.parametrize(
    ("toml", "line", "fragment"),
    [
        ('[a]\nname = "A"\nstart = 2020\n[b\n', 4, "cú pháp TOML"),
        ("[a]\nstart = 2020\n", 1, 'thiếu khóa "name"'),
        ('[a]\nname = "A"\n', 1, '"start"'),
        ('[a]\nname = "A"\nstart = "2020"\n', 1, "không hợp lệ"),
        ('[a]\nname = "A"\nstart = 2023\nend = 2021\n', 1, "trước năm bắt đầu"),
        ('\n[Chuyển-Đổi]\nname = "A"\nstart = 2020\n', 2, "slug"),
        ('[a]\nname = "A"\nstart = 2020\nstrat = 2021\n', 1, 'có phải ý bạn là "start"'),
    ],
)
def test_registry_problems_name_table_and_key(toml, line, fragment):
    _registry, problems = load_registry(toml, "content/movements.toml")
    assert problems, "expected a problem"
    assert problems[0].line == line
    assert fragment in str(problems[0])
    assert str(problems[0]).startswith(f"content/movements.toml:{line}: lỗi:")


def test_registry_reports_every_problem_not_the_first():
    toml = '[a]\nstart = 2020\n\n[b]\nname = "B"\n\n[c]\nname = "C"\nstart = 1\n'
    _registry, problems = load_registry(toml, "m.toml")
    assert [p.line for p in problems] == [1, 4, 7]


def test_header_lines_and_unknown_keys():
    text = "Title: A\nDate: 2023-03-09\nMovment: x\nTác giả: B\n\nBody: not metadata\n"
    lines = header_lines(text)
    assert lines == {"title": 1, "date": 2, "movment": 3, "tác giả": 4}
    problems = check_keys("a.md", lines)
    assert [str(p) for p in problems] == [
        'a.md:3: lỗi: Trường "movment" không được hỗ trợ — có phải ý bạn là "Movement"?'
        + BODY_HINT,
        'a.md:4: lỗi: Trường "tác giả" không được hỗ trợ — có phải ý bạn là "Author"?' + BODY_HINT,
    ]


BODY_HINT = "; nếu dòng này là nội dung bài, thêm một dòng trống phía trên nó"


def test_header_is_read_whole_past_an_unknown_key():
    header = read_header("Title: A\nTác giả: B\nMovement: m\n  tiếp\nDate: 2023-03-09\nBody\n")
    assert header.meta == {"title": ["A"], "tác giả": ["B"], "movement": ["m", "tiếp"],
                           "date": ["2023-03-09"]}  # fmt: skip
    assert header.lines == {"title": 1, "tác giả": 2, "movement": 3, "date": 5}
    assert header.size == 5
    fenced = read_header("---\nTitle: A\n---\nBody: not metadata\n")
    assert fenced.meta == {"title": ["A"]} and fenced.size == 3


def test_every_placeholder_invoke_new_writes_is_found():
    from bulletin.editor.scaffold import article_text  # noqa: PLC0415

    text = article_text("Tin", datetime(2024, 9, 2, 8, 15), "Thu Hà", "dan-van-kheo", "tin")
    found = {p for _line, on_line in find_placeholders(text) for p in on_line}
    assert found == set(PLACEHOLDERS)
    # One problem per line, at the line, naming what is left.
    problems = check_placeholders("content/articles/2024/tin.md", text)
    assert [p.line for p in problems] == [10, 12, 14]
    assert problems[1].message.startswith('Còn văn bản mẫu của lệnh "invoke new": ảnh mẫu')
    assert "xóa cả dòng ảnh" in problems[1].hint


@pytest.mark.parametrize(
    "line",
    [
        "viết tiếp nội dung ở đây…",  # ellipsis and lower case
        "Viết  đoạn mở đầu   ở đây",  # spacing
        "![Ảnh hội nghị](anh/tin/ten-anh.jpg)",
        '![Hội nghị](anh/tin/hoi-nghi.jpg "Chú thích hiển thị dưới ảnh")',
    ],
)
def test_placeholders_edited_a_little_are_still_found(line):
    assert find_placeholders("Title: x\n\n" + line)[0][0] == 3


def test_real_text_is_not_a_placeholder():
    text = 'Viết bài về hội nghị.\n\n![Hội nghị](anh/tin/hoi-nghi.jpg "Hội nghị tổng kết")'
    assert find_placeholders(text) == []
