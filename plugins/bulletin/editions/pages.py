"""The printed bulletin on the site: what :class:`EditionsGenerator` writes.

Called by the generator's ``generate_output`` (no signals):

- ``/ban-tin/``: every issue, newest first — cover, number, date, the PDF
  and its size;
- ``/ban-tin/<year>/so-<n>/``: one issue — cover, contents linking each
  article on the site, the editorial, the PDF download;
- ``/ban-tin/<year>/so-<n>/ban-tin-so-<n>-<year>.pdf``: the PDF, a hard
  link of the cached file (``EDITION_CACHE_PATH``; copied across file
  systems), never rendered here;
- the cover's crops in the issue's own ``anh/`` folder, made by the photo
  room's pipeline (:func:`bulletin.photos.process.process`) when its cache
  lacks them (a ``Cover:`` no article shows).
"""

from __future__ import annotations

import os
import shutil
from functools import partial

from pelican.utils import sanitised_join

from bulletin.documents.model import format_size
from bulletin.photos.covers import photo_folder
from bulletin.photos.library import LIBRARY_KEY
from bulletin.photos.process import process


def write_editions(generator, writer) -> None:
    settings, context = generator.settings, generator.context
    write = partial(writer.write_file, relative_urls=settings["RELATIVE_URLS"])
    for edition in generator.editions:
        rendered = edition.rendered
        edition.pdf_size = format_size(rendered.size) if rendered else ""
        edition.pdf_pages = rendered.pages if rendered else 0
    write(
        settings["EDITIONS_SAVE_AS"],
        generator.get_template("editions"),
        context,
        editions=generator.editions,
        template_name="editions",
        url=settings["EDITIONS_URL"],
    )
    page = generator.get_template("edition")
    for edition in generator.editions:
        write(edition.save_as, page, context, edition=edition, url=edition.url)
        place(edition.rendered.path, sanitised_join(writer.output_path, edition.pdf_url), settings)
        place_cover(generator, edition, writer.output_path)


def place(source: str, target: str, settings) -> None:
    """A cached file into the output: a hard link (the cache's files are
    read-only and nothing edits output/ in place), else a copy."""
    os.makedirs(os.path.dirname(target), exist_ok=True)
    if settings.get("PHOTO_HARDLINKS", True):
        try:
            os.link(source, target)
            return
        except OSError:
            pass  # another file system
    shutil.copyfile(source, target)


def place_cover(generator, edition, output_path: str) -> None:
    use = edition.bulletin_cover
    library = generator.context.get(LIBRARY_KEY)
    if use is None or library is None or edition.cover_photo is None:
        return
    entry = os.path.join(library.entry(use.plan), "cover")
    if not os.path.isdir(entry):
        result = process(library.job(use.path, use.plan, ["cover"]))
        if result.error is not None:  # the checks read it a moment ago: report, skip
            return
    folder = sanitised_join(output_path, photo_folder(edition, library.folder))
    for derivative in use.plan.derivatives("cover"):
        target = os.path.join(folder, use.file_name(derivative))
        if not os.path.exists(target):
            place(os.path.join(entry, derivative.name), target, generator.settings)
