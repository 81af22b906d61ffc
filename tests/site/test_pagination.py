"""The pagination window: input → expected pairs (None is an ellipsis)."""

import pytest

from bulletin.site.pagination import page_window


@pytest.mark.parametrize(
    ("current", "last", "window"),
    [
        # One page (or none): no pagination at all.
        (1, 0, []),
        (1, 1, []),
        # Two pages: both, from either end.
        (1, 2, [1, 2]),
        (2, 2, [1, 2]),
        # Three pages: all of them wherever the reader is.
        (1, 3, [1, 2, 3]),
        (2, 3, [1, 2, 3]),
        (3, 3, [1, 2, 3]),
        # Seven pages: the ends, the neighbours, an ellipsis for each gap.
        (1, 7, [1, 2, None, 7]),
        (2, 7, [1, 2, 3, None, 7]),
        (3, 7, [1, 2, 3, 4, None, 7]),
        (4, 7, [1, None, 3, 4, 5, None, 7]),
        (5, 7, [1, None, 4, 5, 6, 7]),
        (6, 7, [1, None, 5, 6, 7]),
        (7, 7, [1, None, 6, 7]),
        # A single left-out page is an ellipsis too, not a link.
        (4, 5, [1, None, 3, 4, 5]),
        # A ten-year archive: seven items wherever the reader is.
        (1, 200, [1, 2, None, 200]),
        (5, 200, [1, None, 4, 5, 6, None, 200]),
        (100, 200, [1, None, 99, 100, 101, None, 200]),
        (199, 200, [1, None, 198, 199, 200]),
        (200, 200, [1, None, 199, 200]),
    ],
)
def test_page_window(current, last, window):
    assert page_window(current, last) == window


@pytest.mark.parametrize(
    ("current", "last", "around", "window"),
    [
        (10, 20, 2, [1, None, 8, 9, 10, 11, 12, None, 20]),
        (10, 20, 0, [1, None, 10, None, 20]),
        (1, 20, 2, [1, 2, 3, None, 20]),
    ],
)
def test_page_window_around(current, last, around, window):
    assert page_window(current, last, around=around) == window


@pytest.mark.parametrize("last", [2, 7, 200])
def test_every_window_is_ordered_and_keeps_the_ends(last):
    for current in range(1, last + 1):
        window = page_window(current, last)
        numbers = [n for n in window if n is not None]
        assert numbers == sorted(set(numbers))
        assert numbers[0] == 1
        assert numbers[-1] == last
        assert current in numbers
        # An ellipsis stands only between two numbers, never twice in a row.
        for before, item, after in zip(window, window[1:], window[2:], strict=False):
            if item is None:
                assert before is not None
                assert after is not None
