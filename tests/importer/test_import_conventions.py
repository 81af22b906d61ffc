"""The Vietnamese portal conventions, as input → expected pairs (pure)."""

from __future__ import annotations

from datetime import datetime

import pytest
from lxml import etree

from bulletin.importer import conventions
from bulletin.importer.blocks import Photo, from_xml


@pytest.mark.parametrize(
    ("line", "names"),
    [
        ("Hồng Nhung!", ["Hồng Nhung"]),
        ("Tin, ảnh: Thu Hà", ["Thu Hà"]),
        ("Tin và ảnh: Thu Hà - Minh Đức", ["Thu Hà", "Minh Đức"]),
        ("Bài, ảnh: Minh Đức", ["Minh Đức"]),
        ("Bài và ảnh: Ngọc Ánh, Đỗ Văn Lâm", ["Ngọc Ánh", "Đỗ Văn Lâm"]),
        ("Theo Báo Bắc Kạn", ["Báo Bắc Kạn"]),
        ("Nguồn: Sở Công Thương", ["Sở Công Thương"]),
        ("Đỗ Văn Lâm", ["Đỗ Văn Lâm"]),
        ("Hồng Nhung (Văn phòng Ban)", ["Hồng Nhung"]),
        ("PV", ["PV"]),
        ("Theo đó, hội nghị kết thúc.", []),
        ("Xin trân trọng cảm ơn!", []),
        ("Kết thúc hội nghị", []),
        ("Ảnh: Quang cảnh hội nghị", []),
        ("Nhung", []),  # one word alone is not a byline
        ("x" * 90, []),
    ],
)
def test_bylines(line, names):
    assert conventions.parse_byline(line) == names


@pytest.mark.parametrize(
    ("text", "moment", "has_time"),
    [
        ("2023-03-09 14:59:04", datetime(2023, 3, 9, 14, 59, 4), True),
        ("09/03/2023 14:59", datetime(2023, 3, 9, 14, 59), True),
        ("09/03/2023 14:59:04", datetime(2023, 3, 9, 14, 59, 4), True),
        ("Thứ Năm, 09/03/2023", datetime(2023, 3, 9), False),
        ("Thứ Năm, 16/03/2023 08:30", datetime(2023, 3, 16, 8, 30), True),
        ("08:30 | 16/03/2023", datetime(2023, 3, 16, 8, 30), True),
        ("14h30 ngày 9/3/2023", datetime(2023, 3, 9, 14, 30), True),
        ("ngày 9 tháng 3 năm 2023", datetime(2023, 3, 9), False),
        ("Cập nhật: 23/05/2024 09:00:00", datetime(2024, 5, 23, 9), True),
    ],
)
def test_dates_are_read_day_first_with_their_time(text, moment, has_time):
    [found] = conventions.find_dates(text)
    assert (found.moment, found.has_time) == (moment, has_time)


def test_impossible_dates_are_not_dates():
    assert conventions.find_dates("31/02/2023 và 10/13/2023") == []


@pytest.mark.parametrize(
    ("line", "is_date"),
    [
        ("2023-03-09 14:59:04", True),
        ("Cập nhật: 23/05/2024 09:00:00 Lượt xem: 356", True),
        ("Thứ Năm, 16/03/2023 08:30", True),
        ("Sáng 15/3/2023, Ban Quản lý tổ chức lớp tập huấn", False),
    ],
)
def test_date_lines(line, is_date):
    assert conventions.is_date_line(line) is is_date


@pytest.mark.parametrize(
    ("title", "body", "expected"),
    [
        (
            "PHÁT ĐỘNG PHONG TRÀO THI ĐUA NĂM 2023 TẠI BẮC KẠN",
            "Năm nay, tỉnh Bắc Kạn phát động phong trào thi đua.",
            "Phát động phong trào thi đua năm 2023 tại Bắc Kạn",
        ),
        ("HỘI NGHỊ CỦA UBND VÀ HĐND", "", "Hội nghị của UBND và HĐND"),  # acronyms kept
        ("Đã viết thường", "", "Đã viết thường"),
    ],
)
def test_titles_in_capitals_become_sentences(title, body, expected):
    assert conventions.recase_title(title, body) == expected


@pytest.mark.parametrize(
    ("line", "leaked"),
    [
        ("Nhung-11", True),
        ("DSC_0123.JPG", True),
        ("IMG_2034", True),
        ("anh 1", True),  # the photo's own file name, spaces for dashes
        ("2023", False),
        ("Ảnh lưu niệm", False),
    ],
)
def test_leaked_file_names(line, leaked):
    photo = Photo("http://cu.vn/uploads/anh_1.jpg", alt="Nhung-11")
    assert conventions.is_file_name_line(line, photo) is leaked


def blocks_of(xml: str):
    return from_xml(etree.fromstring(f"<body>{xml}</body>"), "http://cu.vn/tin/1")


def test_the_seed_shape_photo_leak_caption_and_byline():
    cleaned = conventions.apply(
        blocks_of(
            "<p>2023-03-09 14:59:04</p>"
            "<p>Năm 2023 là năm thứ 3 thực hiện các Nghị quyết.</p>"
            '<p><graphic src="/uploads/nhung-11.jpg" alt="Nhung-11"/></p>'
            "<p>Nhung-11</p>"
            "<p>Ảnh lưu niệm công chức tham gia các phong trào thi đua</p>"
            "<p>Theo đó, phong trào thi đua tập trung vào các nội dung chính.</p>"
            "<p>Hồng Nhung!</p>"
        ),
        "Phát động phong trào thi đua",
    )
    assert [b.kind for b in cleaned.blocks] == ["paragraph", "photo", "paragraph"]
    photo = cleaned.blocks[1].photo
    assert photo.src == "http://cu.vn/uploads/nhung-11.jpg"
    assert photo.caption == "Ảnh lưu niệm công chức tham gia các phong trào thi đua"
    assert cleaned.authors == ["Hồng Nhung"]
    assert cleaned.dates[0].moment == datetime(2023, 3, 9, 14, 59, 4)


def test_a_body_sentence_after_a_photo_is_not_its_caption():
    cleaned = conventions.apply(
        blocks_of(
            '<p><graphic src="/a.jpg" alt="Quang cảnh"/></p>'
            "<p>Hội nghị đã thống nhất các chỉ tiêu của năm.</p>"
            "<p>Các đại biểu thảo luận sôi nổi về nhiệm vụ năm 2024.</p>"
        ),
        "Hội nghị",
    )
    assert cleaned.blocks[0].photo.caption == ""
    assert len(cleaned.blocks) == 3


def test_a_marked_caption_wins_and_the_bold_first_paragraph_is_the_sapo():
    cleaned = conventions.apply(
        blocks_of(
            '<p><hi rend="#b">Sáng nay, Ban tổ chức hội nghị tổng kết năm.</hi></p>'
            '<p><graphic src="/a.jpg" alt="Quang cảnh"/></p>'
            "<p>Quang cảnh hội nghị</p>"
            "<p>Hội nghị đã thống nhất các chỉ tiêu của năm tới.</p>"
        ),
        "Tổng kết",
        {"http://cu.vn/a.jpg": "Quang cảnh hội nghị"},
    )
    assert cleaned.summary == "Sáng nay, Ban tổ chức hội nghị tổng kết năm."
    assert [b.kind for b in cleaned.blocks] == ["photo", "paragraph"]
    assert cleaned.blocks[0].photo.caption == "Quang cảnh hội nghị"


@pytest.mark.parametrize(
    ("alt", "caption", "expected", "made_up"),
    [
        ("Đoàn kiểm tra", "", "Đoàn kiểm tra", False),
        ("Nhung-11", "Ảnh lưu niệm", "Ảnh lưu niệm", True),
        ("", "", "Ảnh minh họa: Tin", True),
    ],
)
def test_photo_alt_text(alt, caption, expected, made_up):
    photo = Photo("http://cu.vn/a.jpg", alt=alt, caption=caption)
    assert conventions.photo_alt(photo, "Tin") == (expected, made_up)
