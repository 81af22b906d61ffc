"""``invoke import``: an old portal's archive as articles of this site.

Not a Pelican plugin (nothing here is in ``PLUGINS``): an editor's tool
that writes ``content/``. Its modules, in the order an item meets them:
``sources`` (what a SOURCE lists; ``wordpress`` for WXR exports), ``fetch``
(polite HTTP, robots.txt, charsets), ``extract`` (trafilatura and the
optional site selectors of ``rules``), ``blocks`` (the body as blocks and as
Markdown), ``conventions`` (Vietnamese portal conventions: leaked file names,
captions, bylines, dates), ``rules`` (the rules file: selectors, movements),
``writer`` (the article files, photos, documents), ``report``, ``run`` (one
import, item by item) and ``cli`` (options, progress, exit codes).
Old addresses with a query string are served by :mod:`bulletin.site.old_links`.
"""
