"""bulletin.editions.layout reads WeasyPrint's private box tree: this test
fails loudly if an upgrade moves it."""

from __future__ import annotations

import weasyprint

from bulletin.editions.layout import overflowing


def test_a_box_wider_than_the_page_is_found_and_a_fitting_one_is_not():
    html = (
        "<style>@page { size: 100mm 100mm; margin: 10mm }</style>"
        '<p>vừa</p><pre style="white-space: pre">' + "x" * 400 + "</pre>"
    )
    document = weasyprint.HTML(string=html).render()
    assert overflowing(document) == ["trang 1: <pre>"]
    fitting = weasyprint.HTML(string="<p>Chữ Việt vừa trang.</p>").render()
    assert overflowing(fitting) == []
