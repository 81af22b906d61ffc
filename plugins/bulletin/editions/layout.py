"""What would not fit the page: the one place that reads WeasyPrint's layout boxes.

WeasyPrint's public ``Page`` gives sizes, links and anchors, not the boxes;
whether a table, a long address or a photo runs past the text area is only
in the box tree, ``Page._page_box`` (a private attribute, like those
:mod:`bulletin.build.pelican_adapter` names for Pelican).
``tests/editions/test_edition_layout.py`` renders a too-wide box and fails
loudly if an upgrade moves it. No Pelican here.
"""

from __future__ import annotations

# Half a CSS pixel: rounding, never a visible overflow.
TOLERANCE_PX = 0.5


def _page_box(page):
    return page._page_box


def overflowing(document) -> list[str]:
    """``"page 3: <table>"`` for each box (beyond the page margins' own)
    whose border box ends right of the page's content area."""
    found = []
    for number, page in enumerate(document.pages, start=1):
        page_box = _page_box(page)
        right = page_box.content_box_x() + page_box.width + TOLERANCE_PX
        for child in page_box.children:
            if type(child).__name__ == "MarginBox":
                continue
            for box in child.descendants():
                tag = getattr(box, "element_tag", None)
                if not tag or not hasattr(box, "border_box_x"):
                    continue
                if box.border_box_x() + box.border_width() > right:
                    found.append(f"trang {number}: <{tag}>")
                    break
    return sorted(set(found), key=found.index)
