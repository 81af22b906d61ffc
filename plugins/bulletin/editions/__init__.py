"""The printed bulletin (bản tin in): numbered issues laid out as print-ready PDFs.

``model`` (pure: keys, the law's limits, identity settings, page geometry,
photo placement, checks), ``print_photos`` (each photo again from its
original, at print resolution, cached), ``printing`` (the print HTML's
bodies, the URL fetcher that fetches nothing from outside, WeasyPrint, the
PDF cache), ``layout`` (what overflows the page: WeasyPrint's boxes, behind
one function), ``generator`` (reads ``content/ban-tin/``, checks, lays out)
and ``pages`` (``/ban-tin/``, each issue's page, its PDF and cover).
"""
