"""What the printed bulletin's issues add to the build digest, by content.

Pure (no I/O). ``bulletin.build.uptodate`` hashes articles and pages into
the build digest; an issue's own inputs — its fields and editorial, the
articles it prints, its ``Cover:`` photo, the settings and stylesheet its
PDF is laid out with — are named here, each by content: the cover by the
SHA-256 of its bytes (the photo library reads every photo once per build),
the PDF by its layout key (the name of its cached file: a hash of the print
HTML, with every print photo's own hash, and the stylesheet). A ``Cover:``
photo replaced in place, at the same path, changes the digest, so the build
writes the new PDF (it was a static link of the issue's file before, which
could not name a photo: a static link is published as it is).

The issues' pages are not keyed (an ``Edition`` is rendered on every build
that writes), so nothing here enters the site key: an edited issue renders
no other page again.
"""

from __future__ import annotations

import os

from bulletin.editions.generator import EditionsGenerator


def edition_record(edition) -> str:
    """Everything an issue's pages and PDF are made from, as text."""
    cover = getattr(edition, "bulletin_cover", None)
    rendered = getattr(edition, "rendered", None)
    return repr(
        (
            edition.url,
            edition.save_as,
            edition.status,
            sorted((k, str(v)) for k, v in edition.metadata.items() if k != "bulletin_source"),
            edition.title,
            getattr(edition, "number", None),
            str(getattr(edition, "date", "")),
            getattr(edition, "_content", ""),
            [article.url for article in getattr(edition, "stories", [])],
            (cover.value, cover.plan.info.sha256, cover.plan.key) if cover else None,
            [photo.key for photo in getattr(edition, "print_photos", [])],
            (
                (os.path.basename(rendered.path), rendered.pages, rendered.size)
                if rendered
                else None
            ),
        )
    )


def edition_records(generators) -> list[str]:
    """One record per issue, published then drafts, in the generators' order."""
    return [
        edition_record(edition)
        for generator in generators
        if isinstance(generator, EditionsGenerator)
        for edition in generator.editions + generator.drafts
    ]
