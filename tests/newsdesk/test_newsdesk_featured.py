"""Featured news (issue 16, item 5): the "Tin tiêu điểm" block of the home
page, Featured_until, the warning past four; the selection as pure pairs."""

from __future__ import annotations

from datetime import datetime
from types import SimpleNamespace

import pytest
from helpers import page

from bulletin.content.desk import featured_flag, featured_until
from bulletin.content.vietnamese import localize
from bulletin.site.featured import featured_block

FEATURED = [
    "tin-tuc/2024/toa-dam-nu-cong-chuc-voi-chuyen-doi-so-nhan-ngay-quoc-te-phu-nu/",
    "tin-tuc/2024/tong-ket-cong-tac-thi-dua-khen-thuong-nam-2023/",
]


def hrefs(nodes):
    return [a["href"].removeprefix("./") for a in nodes]


def test_home_starts_with_the_featured_block(sample_site):
    home = page(sample_site, "")
    block = home.select_one("main section.featured")
    assert block is home.select_one("main section")  # the first section of the page
    heading = block.find(id=block["aria-labelledby"])
    assert (heading.name, heading.get_text(strip=True)) == ("h2", "Tin tiêu điểm")
    cards = block.select("article.card")
    assert len(cards) == 4
    assert "card--lead" in cards[0]["class"] and cards[0].h3
    assert all("card--lead" not in c["class"] for c in cards[1:])
    links = hrefs(block.select(".card__title a"))
    # The featured ones first (newest first), then the newest others.
    assert links[:2] == FEATURED
    newest = hrefs(home.select(".home__news .card__title a"))
    assert links[2:] == [u for u in newest if u not in FEATURED][:2]


def test_later_home_pages_have_no_block(sample_site):
    assert page(sample_site, "trang/2/").select_one("section.featured") is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("yes", True),
        ("Có", True),
        ("true", True),
        ("no", False),
        ("không", False),
        ("", False),
        ("nổi bật", None),
        ("yes please", None),
    ],
)
def test_featured_flag(value, expected):
    assert featured_flag(value) is expected


def test_featured_until_a_date_means_the_whole_day():
    assert featured_until("31/03/2024") == datetime(2024, 4, 1)
    assert featured_until("2024-03-31 12:00") == datetime(2024, 3, 31, 12)


def article(slug, day, **metadata):
    return SimpleNamespace(slug=slug, date=datetime(2024, 3, day), metadata=metadata)


NOW = localize(datetime(2024, 3, 20, 9, 0))


def test_block_featured_then_newest_and_expiry():
    articles = [  # newest first, as the generator lists them
        article("e", 15),
        article("d", 14, featured="yes", featured_until="19/03/2024"),  # expired
        article("c", 13, featured="yes", featured_until="20/03/2024"),  # today: still on
        article("b", 12),
        article("a", 11, featured="yes"),
    ]
    block, left_out = featured_block(articles, NOW)
    assert [a.slug for a in block] == ["c", "a", "e", "d"]
    assert left_out == []


def test_none_featured_is_the_newest():
    articles = [article(s, d) for s, d in (("c", 3), ("b", 2), ("a", 1))]
    assert [a.slug for a in featured_block(articles, NOW)[0]] == ["c", "b", "a"]


def test_more_than_four_leaves_the_oldest_out():
    articles = [article(str(day), day, featured="yes") for day in range(9, 3, -1)]
    block, left_out = featured_block(articles, NOW)
    assert [a.slug for a in block] == ["9", "8", "7", "6"]
    assert [a.slug for a in left_out] == ["5", "4"]
