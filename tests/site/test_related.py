"""What to read next (bulletin.site.related): ``related_articles`` as input → expected
pairs and against a brute-force answer, ``link_articles`` on stand-in
articles, and the "Tin liên quan" box and movement neighbours of the built
fixture site."""

from __future__ import annotations

from datetime import datetime, timedelta
from types import SimpleNamespace

import pytest
from helpers import FIXTURE_PUBLISHED, page
from hypothesis import given
from hypothesis import strategies as st

from bulletin.content.ordering import newest_first
from bulletin.content.vietnamese import TIMEZONE
from bulletin.site.related import link_articles, related_articles

DAY = datetime(2024, 5, 2, 10, 0, tzinfo=TIMEZONE)


def article(slug: str, days_ago: int, tags=()):
    return SimpleNamespace(
        slug=slug, date=DAY - timedelta(days=days_ago), tags=list(tags), movements=[]
    )


def movement(slug: str, *articles):
    """A movement holding ``articles`` (newest first, as bulletin.site.movements
    leaves them), each of which lists it after its earlier movements."""
    group = SimpleNamespace(slug=slug, articles=sorted(articles, key=newest_first))
    for item in articles:
        item.movements.append(group)
    return group


def slugs(articles) -> list[str]:
    return [a.slug for a in articles]


# --- related_articles ------------------------------------------------------------------


def test_related_are_the_newest_others_of_the_movement():
    a, b, c, d = article("a", 0), article("b", 1), article("c", 2), article("d", 3)
    movement("m", a, b, c, d)
    assert slugs(related_articles(c, 5)) == ["a", "b", "d"]
    assert slugs(related_articles(a, 2)) == ["b", "c"]


def test_related_from_several_movements_are_merged_newest_first_once_each():
    a, b, c, d, e = (article(slug, days) for slug, days in zip("abcde", range(5), strict=True))
    movement("m1", a, c, e)
    movement("m2", b, c, d, e)  # e is in both: listed once
    assert slugs(related_articles(e, 5)) == ["a", "b", "c", "d"]
    assert slugs(related_articles(e, 3)) == ["a", "b", "c"]


def test_related_of_the_same_day_are_ordered_by_slug():
    b, c, a = article("b", 0), article("c", 0), article("a", 0)
    reader = article("z", 5)
    movement("m1", b, reader)
    movement("m2", c, a, reader)
    assert slugs(related_articles(reader, 5)) == ["a", "b", "c"]


def test_a_long_movement_gives_only_the_newest():
    items = [article(f"tin-{n:02}", n) for n in range(40)]
    movement("m", *items)
    assert slugs(related_articles(items[20], 5)) == [f"tin-{n:02}" for n in range(5)]
    # Itself left out, the sixth newest takes its place.
    assert slugs(related_articles(items[2], 5)) == [f"tin-{n:02}" for n in (0, 1, 3, 4, 5)]


def test_an_article_without_movement_has_no_related_even_with_shared_tags():
    """Relatedness is the movement only (the module's rule); tags play no part."""
    a, b = article("a", 0, tags=["thi đua"]), article("b", 1, tags=["thi đua"])
    movement("m", b)
    assert related_articles(a, 5) == []
    assert related_articles(b, 5) == []  # alone in its movement


def test_count_zero_gives_nothing():
    a, b = article("a", 0), article("b", 1)
    movement("m", a, b)
    assert related_articles(b, 0) == []


@st.composite
def archives(draw):
    """Up to 12 articles on a few days (ties), in up to 4 movements."""
    count = draw(st.integers(1, 12))
    items = [article(f"tin-{n:02}", draw(st.integers(0, 3))) for n in range(count)]
    names = ["m1", "m2", "m3", "m4"][: draw(st.integers(1, 4))]
    for name in names:
        members = draw(st.lists(st.sampled_from(items), unique_by=id))
        movement(name, *members)
    return items, draw(st.sampled_from(items)), draw(st.integers(1, 6))


@given(archives())
def test_related_equals_the_brute_force_answer(case):
    items, reader, count = case
    sharing = [
        other
        for other in items
        if other is not reader and any(m in other.movements for m in reader.movements)
    ]
    expected = sorted(sharing, key=newest_first)[:count]
    assert related_articles(reader, count) == expected


# --- link_articles ---------------------------------------------------------------------


def test_neighbours_come_from_the_first_movement_and_the_box_from_all():
    a, b, c, d = article("a", 0), article("b", 1), article("c", 2), article("d", 3)
    first = movement("m1", a, c)
    movement("m2", b, c, d)  # c's second movement: no neighbours from here
    generator = SimpleNamespace(
        settings={"RELATED_COUNT": 2},
        context={"movements": [first, b.movements[0]]},
        articles=[a, b, c, d],
    )
    link_articles(generator)
    assert (c.next_in_movement, c.previous_in_movement) == (a, None)
    assert (a.next_in_movement, a.previous_in_movement) == (None, c)
    assert (b.next_in_movement, b.previous_in_movement) == (None, c)
    assert (d.next_in_movement, d.previous_in_movement) == (c, None)
    assert slugs(c.related) == ["a", "b"]
    assert generator.context["latest_articles"] == [a, b, c]  # one more than shown


# --- the built fixture site ------------------------------------------------------------


def links(soup, selector: str) -> list[str]:
    box = soup.select_one(selector)
    return [a["href"].removeprefix("../../../") for a in box.find_all("a")] if box else []


@pytest.mark.parametrize(
    ("url", "related"),
    [
        (FIXTURE_PUBLISHED[0], [FIXTURE_PUBLISHED[1], FIXTURE_PUBLISHED[2]]),
        (FIXTURE_PUBLISHED[1], [FIXTURE_PUBLISHED[0], FIXTURE_PUBLISHED[2]]),
        (FIXTURE_PUBLISHED[2], [FIXTURE_PUBLISHED[0], FIXTURE_PUBLISHED[1]]),
    ],
)
def test_related_box_of_each_fixture_article(fixture_site, url, related):
    soup = page(fixture_site, url)
    assert links(soup, '[aria-labelledby="tin-lien-quan"]') == related
    # Draft and scheduled articles of the movements never appear.
    assert not [href for href in links(soup, "main") if "2099" in href or "ban-nhap" in href]


def test_movement_neighbours_of_the_fixture_articles(fixture_site):
    newest, middle, oldest = FIXTURE_PUBLISHED  # all three in bac-kan-day-manh-chuyen-doi-so
    assert links(page(fixture_site, newest), "nav.neighbours") == [middle]
    assert links(page(fixture_site, oldest), "nav.neighbours") == [middle]
    nav = page(fixture_site, middle).select_one("nav.neighbours")
    assert [(a["rel"], a["href"].removeprefix("../../../")) for a in nav.find_all("a")] == [
        (["next"], newest),
        (["prev"], oldest),
    ]
