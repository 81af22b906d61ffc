"""Pure Vietnamese text functions: input → expected pairs."""

from datetime import UTC, datetime

import pytest

from bulletin.content.vietnamese import (
    SLUG_MAX,
    bound_slug,
    bounded_slug,
    collation_key,
    iso_datetime,
    nfc,
    plain,
    slugify,
    unique_slug,
    vi_date,
    vi_datetime,
)


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Phát động phong trào thi đua năm 2023", "phat-dong-phong-trao-thi-dua-nam-2023"),
        ("Đảng bộ Ban Quản lý", "dang-bo-ban-quan-ly"),
        ("Đoàn thanh niên – Công đoàn", "doan-thanh-nien-cong-doan"),
        ("“Học tập và làm theo” tư tưởng, đạo đức", "hoc-tap-va-lam-theo-tu-tuong-dao-duc"),
        ("KCN Thanh Bình: 100% doanh nghiệp!", "kcn-thanh-binh-100-doanh-nghiep"),
        ("  Nhiều   khoảng   trắng  ", "nhieu-khoang-trang"),
        # Decomposed (NFD) input gives the same slug as composed text.
        ("Ðảng".replace("Ð", "Đ"), "dang"),
    ],
)
def test_slugify(text, slug):
    assert slugify(text) == slug


@pytest.mark.parametrize(
    ("text", "limit", "slug"),
    [
        ("Tin ngắn", 80, "tin-ngan"),
        # Exactly at the limit: kept whole.
        ("aaaa bbbb", 9, "aaaa-bbbb"),
        # The cut falls right after a word: that word is kept.
        ("aaaa bbbb cccc", 9, "aaaa-bbbb"),
        # The cut falls inside a word: the whole word goes, and its "-".
        ("aaaa bbbb cccc", 11, "aaaa-bbbb"),
        ("aaaa bbbb cccc", 8, "aaaa"),
        # One word longer than the limit: no boundary, cut at the limit.
        ("a" * 100, 80, "a" * 80),
        ("Đoàn thanh niên", 4, "doan"),
        ("", 80, ""),
    ],
)
def test_bounded_slug_cuts_at_a_word_boundary(text, limit, slug):
    assert bounded_slug(text, limit) == slug
    assert bound_slug(slugify(text), limit) == slug


def test_bounded_slug_of_a_300_character_title():
    title = " ".join(["Ban Quản lý các Khu công nghiệp tỉnh Bắc Kạn tổ chức hội nghị"] * 5)
    assert len(title) > 300
    slug = bounded_slug(title)
    assert len(slug) <= SLUG_MAX == 80
    assert not slug.endswith("-")
    assert slugify(title).startswith(slug + "-")  # whole words of the full slug


def test_unique_slug_adds_a_number_within_the_limit():
    assert unique_slug("tin-moi", set()) == "tin-moi"
    assert unique_slug("tin-moi", {"tin-moi"}) == "tin-moi-2"
    assert unique_slug("tin-moi", {"tin-moi", "tin-moi-2"}) == "tin-moi-3"
    long = bounded_slug(" ".join(["thi đua"] * 20))
    assert len(long) == 79
    numbered = unique_slug(long, {long})
    assert len(numbered) <= SLUG_MAX and numbered.endswith("-2")
    assert not numbered.removesuffix("-2").endswith("-")


def test_slug_of_nfd_text_equals_slug_of_nfc_text():
    import unicodedata  # noqa: PLC0415

    title = "Bắc Kạn đẩy mạnh chuyển đổi số"
    decomposed = unicodedata.normalize("NFD", title)
    assert decomposed != title
    assert slugify(decomposed) == slugify(title) == "bac-kan-day-manh-chuyen-doi-so"
    assert nfc(decomposed) == title


def test_collation_puts_d_stroke_after_d_and_before_e():
    names = ["Đỗ Văn Lâm", "Thu Hà", "Dương Anh", "Ánh Ngọc", "Bình", "Ê-đê", "Zung", "Âu Cơ"]
    assert sorted(names, key=collation_key) == [
        "Ánh Ngọc",
        "Âu Cơ",
        "Bình",
        "Dương Anh",
        "Đỗ Văn Lâm",
        "Ê-đê",
        "Thu Hà",
        "Zung",
    ]
    # Code-point order gets it wrong, which is why the key exists.
    assert sorted(names)[-1] == "Đỗ Văn Lâm"


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        (["ma", "mà", "mả", "mã", "má", "mạ"], ["ma", "mà", "mả", "mã", "má", "mạ"]),
        (["ư", "u", "ơ", "o", "ô"], ["o", "ô", "ơ", "u", "ư"]),
        (["Hà Nam", "Hà", "Hải"], ["Hà", "Hà Nam", "Hải"]),
    ],
)
def test_collation_tones_and_letters(words, expected):
    assert sorted(reversed(words), key=collation_key) == expected


def test_dates_are_vietnamese_and_in_vietnam_time():
    local = datetime(2023, 3, 9, 14, 59, 4)  # naive: Vietnam local time
    assert vi_datetime(local) == "Thứ Năm, 09/03/2023 14:59"
    assert vi_date(local) == "09/03/2023"
    assert iso_datetime(local) == "2023-03-09T14:59:04+07:00"
    # An aware UTC time is shown in Vietnam time.
    utc = datetime(2023, 3, 9, 7, 59, 4, tzinfo=UTC)
    assert vi_datetime(utc) == "Thứ Năm, 09/03/2023 14:59"
    assert vi_datetime(datetime(2023, 3, 12, 8, 0)) == "Chủ Nhật, 12/03/2023 08:00"


@pytest.mark.parametrize(
    ("html", "text"),
    [
        (
            'Tin &#8220;mới&#8221; <span class="amp">&amp;</span> năm&nbsp;2023',
            "Tin “mới” & năm 2023",
        ),
        ("Cảnh giác &lt;script&gt;", "Cảnh giác <script>"),
        ("<p>Đoạn\n  văn</p>", "Đoạn văn"),
        ("", ""),
    ],
)
def test_plain_gives_text_for_titles_and_attributes(html, text):
    assert plain(html) == text


def test_underscore_is_a_separator_in_slugs():
    """Pelican keeps "_", but a Slug may not carry it (bulletin.content.model.SLUG_RE):
    `invoke new` must never pin a slug that check then refuses."""
    from bulletin.content.model import SLUG_RE  # noqa: PLC0415
    from bulletin.content.vietnamese import bounded_slug  # noqa: PLC0415

    for title in ("Tin_mới", "a_b c", "ke_hoach__2023", "_x_"):
        slug = bounded_slug(title)
        assert SLUG_RE.match(slug), (title, slug)
    assert bounded_slug("Kế_hoạch số 45") == "ke-hoach-so-45"
