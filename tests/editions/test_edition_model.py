"""The printed bulletin's pure rules: input → expected pairs."""

from __future__ import annotations

import pytest

from bulletin.content.model import ERROR, WARNING
from bulletin.editions import model

SETTINGS = {
    "EDITION_NAME": "Khu công nghiệp Bắc Kạn",
    "SITE_ORGANIZATION": "Ban Quản lý",
    "EDITION_LICENCE": {"number": "01/GP-XBBT", "date": "15/01/2023", "issuer": "Sở"},
    "SITE_RESPONSIBLE": "Trưởng ban",
    "EDITION_PRINTER": "Công ty In",
    "EDITION_PRINT_RUN": 300,
    "EDITION_FREQUENCY": "6 tháng/số",
    "EDITION_PAGE_MM": (190, 270),
}


@pytest.mark.parametrize(
    ("written", "number"),
    [("3", 3), ("03", 3), ("Số 3", 3), ("số 12", 12), ("3/2024", 3), ("0", None), ("ba", None)],
)
def test_number(written, number):
    found, problems = model.read_number("f.md", 1, written)
    assert found == number
    assert bool(problems) == (number is None)


def test_default_title_and_pdf_name():
    assert model.default_title("KCN Bắc Kạn", 3, 2024) == "Bản tin KCN Bắc Kạn số 3/2024"
    assert model.pdf_name(3, 2024) == "ban-tin-so-3-2024.pdf"


@pytest.mark.parametrize(
    ("reference", "keys"),
    [
        ("phat-dong", ("", "phat-dong")),
        ("articles/2023/x.md", ("articles/2023/x.md", "")),
        ("content/articles/2023/x.md", ("articles/2023/x.md", "")),
        ("./articles/2023/x.md", ("articles/2023/x.md", "")),
        ("tin-tuc/2023/phat-dong/", ("", "phat-dong")),
    ],
)
def test_reference_keys(reference, keys):
    assert model.reference_keys(reference) == keys


def test_articles_split_on_lines_and_commas():
    assert model.split_articles("a, b\n  c;d\n\n") == ["a", "b", "c", "d"]


def test_identity_complete():
    identity, problems = model.read_identity(SETTINGS, "f.md")
    assert problems == []
    assert identity.licence_number == "01/GP-XBBT" and identity.print_run == 300


@pytest.mark.parametrize(
    ("override", "key"),
    [
        ({"EDITION_LICENCE": {}}, "EDITION_LICENCE"),
        ({"EDITION_LICENCE": {"number": "1", "date": "31/02/2023"}}, "EDITION_LICENCE"),
        ({"EDITION_PRINT_RUN": 0}, "EDITION_PRINT_RUN"),
        ({"EDITION_PRINT_RUN": "300"}, "EDITION_PRINT_RUN"),
        ({"SITE_RESPONSIBLE": " "}, "SITE_RESPONSIBLE"),
        ({"SITE_ORGANIZATION": ""}, "SITE_ORGANIZATION"),
        ({"EDITION_PAGE_MM": (210, 297)}, "EDITION_PAGE_MM"),
    ],
)
def test_identity_problems_name_the_setting_and_the_law(override, key):
    identity, problems = model.read_identity({**SETTINGS, **override}, "content/ban-tin/x.md")
    assert identity is None
    assert [p.severity for p in problems] == [ERROR]
    assert problems[0].message.startswith(key) and "Điều 34" in problems[0].hint


def test_the_publisher_and_the_responsible_person_are_the_sites_identity():
    """One place (issue 17): the masthead's publishing body is SITE_ORGANIZATION,
    the colophon's person responsible SITE_RESPONSIBLE; a missing one is named
    with the section of pelicanconf.py it belongs to."""
    identity, _ = model.read_identity(SETTINGS, "f.md")
    assert (identity.publisher, identity.responsible) == ("Ban Quản lý", "Trưởng ban")
    _, problems = model.read_identity({**SETTINGS, "SITE_ORGANIZATION": ""}, "f.md")
    assert '"The site"' in problems[0].hint


@pytest.mark.parametrize(("old", "new"), sorted(model.MOVED_SETTINGS.items()))
def test_a_moved_setting_still_set_is_a_warning_naming_where_it_went(old, new):
    identity, problems = model.read_identity({**SETTINGS, old: "Ai khác"}, "f.md")
    assert identity is not None  # the issue still prints, with the identity's value
    assert [p.severity for p in problems] == [WARNING]
    assert problems[0].message.startswith(f"{old} không còn được dùng: bản tin in ghi {new}")
    assert f"xóa dòng {old}" in problems[0].hint
    # The same value as the identity's (a copy left in place): nothing to say.
    assert model.read_identity({**SETTINGS, old: SETTINGS[new]}, "f.md")[1] == []


def test_every_missing_identity_setting_is_reported_at_once():
    _identity, problems = model.read_identity({}, "f.md")
    named = {p.message.split(" ")[0] for p in problems}
    assert named == set(model.IDENTITY_SETTINGS) - {"EDITION_PAGE_MM"}


def test_duplicate_numbers_are_per_year():
    entries = [("a.md", 1, 2024, 1), ("b.md", 1, 2024, 1), ("c.md", 1, 2023, 1)]
    problems = model.duplicate_numbers(entries)
    assert sorted(p.path for p in problems) == ["a.md", "b.md"]


@pytest.mark.parametrize(
    ("pixels", "frame", "width", "dpi_at_least"),
    [
        ((4000, 3000), 155, 155, 250),  # a phone photo fills the frame
        ((1000, 750), 155, 101.6, 250),  # shrunk to stay at 250 dpi
        ((640, 480), 74.5, 65.02, 250),
        ((320, 240), 155, 60, 135),  # the minimum width: 135 dpi
        ((300, 3000), 155, 12, 250),  # a tall strip: its height decides
    ],
)
def test_place_photo(pixels, frame, width, dpi_at_least):
    placement = model.place_photo(pixels, frame, 120)
    assert placement.width_mm == pytest.approx(width, abs=0.05)
    assert placement.height_mm <= 120.01
    assert placement.dpi >= dpi_at_least - 0.5
    assert placement.embed_dpi <= model.EMBED_DPI + 1.5  # a pixel of rounding
    assert placement.embed[0] <= pixels[0]


def test_low_resolution_warns_under_150_dpi_only():
    assert model.low_resolution("f.md", 3, "a.jpg", model.place_photo((640, 480), 155, 120)) == []
    (problem,) = model.low_resolution("f.md", 3, "a.jpg", model.place_photo((320, 240), 155, 120))
    assert problem.severity == WARNING and '"a.jpg"' in problem.message


def test_page_limit():
    assert model.too_many_pages("f.md", 3, 64) == []
    (problem,) = model.too_many_pages("f.md", 3, 65)
    assert "65 trang, quá 64" in problem.message and problem.severity == ERROR


def test_vietnamese_keys_are_named_with_the_key_they_mean():
    problems = model.check_edition_keys("f.md", {"số": 1, "date": 2, "ảnh bìa": 3, "xyz": 4})
    messages = [(p.line, p.hint.split("?")[0]) for p in problems]
    assert (1, 'có phải ý bạn là "Number"') in messages
    assert (3, 'có phải ý bạn là "Cover"') in messages
    assert any(p.line == 4 for p in problems)
