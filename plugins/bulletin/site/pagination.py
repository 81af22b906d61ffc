"""Which page numbers a listing's pagination links: "1 … 4 5 6 … 200".

Connects ``generator_init`` to add the Jinja filter ``page_window`` to every
generator's template environment; the ``pagination`` macro of
``theme/templates/partials/macros.html`` reads it. Needs nothing before it.

Only the first page, the last and the pages around the current one are
linked: every page of a ten-year archive would be a wall of links on a phone,
and rendering them all on every page grows with the square of the archive.
"""

from __future__ import annotations

from pelican import signals

# Pages linked on each side of the current one.
AROUND = 1


def page_window(current: int, last: int, around: int = AROUND) -> list[int | None]:
    """The page numbers to link, in order, ``None`` where pages are left out.

    ``page_window(5, 200)`` is ``[1, None, 4, 5, 6, None, 200]``. A gap of a
    single page is an ellipsis too (``[1, None, 3, 4, 5]`` for page 4 of 5):
    the current page's neighbours are the only ones ever shown besides the
    ends. One page or none: an empty list (no pagination is shown).
    """
    if last <= 1:
        return []
    nearby = range(max(current - around, 1), min(current + around, last) + 1)
    shown = sorted({1, *nearby, last})
    window: list[int | None] = []
    for number in shown:
        if window and number - window[-1] > 1:
            window.append(None)
        window.append(number)
    return window


def add_filter(generator) -> None:
    generator.env.filters["page_window"] = page_window


def register() -> None:
    signals.generator_init.connect(add_filter)
