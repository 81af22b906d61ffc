"""What pages show of the documents: their part of the build's render keys.

Pure (no I/O). ``bulletin.build.uptodate`` hashes articles and pages into
the *site key*, which every page's key contains; documents stay out of it.
Each document has a *name* in lists — its URL and a hash of
:func:`shown_record` — and its page a *key*; a register or facet page is
keyed by the names of the documents it lists, an article by the names of
the documents it cites (``bulletin.build.writer`` describes them). An edited
document, a replaced PDF, renders its page, the register and facet pages,
the articles citing it and its ``Replaced_by`` neighbours again, and no
other page; the build digest contains every key, so any change is seen.
"""

from __future__ import annotations

import hashlib

from bulletin.documents.generator import DocumentsGenerator


def registers(generators) -> list[DocumentsGenerator]:
    """The generators of the register among a build's generators."""
    return [g for g in generators if isinstance(g, DocumentsGenerator)]


def shown_record(document) -> str:
    """Everything a page can show of a document but its note and its links
    to other contents: a register row, an article's "Văn bản liên quan" box,
    a "replaced by" link, its own page's fields and files (size, hash, scan).

    A document's file is there by its SHA-256: a PDF replaced in place
    changes the record even at the same size.
    """
    kind = document.kind
    return repr(
        (
            document.url,
            document.save_as,
            document.status,
            sorted((k, str(v)) for k, v in document.metadata.items() if k != "bulletin_source"),
            document.title,
            document.number,
            (kind.name, kind.slug, kind.code) if kind else None,
            str(document.date),
            document.issuer,
            document.signer,
            document.field,
            str(document.effective),
            str(document.expires),
            [movement.slug for movement in document.movements],
            [
                (
                    file.name,
                    file.url,
                    file.save_as,
                    file.label,
                    file.media_type,
                    file.facts.size,
                    file.facts.sha256,
                    file.facts.pages,
                    file.facts.has_text,
                )
                for file in document.files
            ],
        )
    )


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def document_names(generators) -> tuple[list, dict[int, str], dict[int, str]]:
    """The register's documents (published, then drafts), what each shows
    (:func:`shown_record`), and each one's name in
    a list — its URL and a hash of that record.

    Documents stay out of the site key: only the pages that show one are
    keyed by it (its page, the register and facet pages, the articles citing
    it, its ``Replaced_by`` neighbours), so an edited document does not
    render every page again.
    """
    documents = [d for g in registers(generators) for d in g.documents + g.drafts]
    shown = {id(d): shown_record(d) for d in documents}
    names = {
        id(d): f"document{number}:{d.url}:{_sha(shown[id(d)])}"
        for number, d in enumerate(documents)
    }
    return documents, shown, names


def document_keys(site: str, documents, shown, names) -> dict[int, str]:
    """Each document page's key: the site key, what the document shows, its
    note, and the contents it links (citing articles, replaced and replacing
    documents) by name."""
    keys = {}
    for document in documents:
        body = hashlib.sha256(site.encode())
        body.update(shown[id(document)].encode())
        body.update(getattr(document, "_content", "").encode())
        replaced_by = getattr(document, "replaced_by", None)
        linked = [*document.articles, *([replaced_by] if replaced_by else []), *document.replaces]
        for other in linked:
            body.update(names.get(id(other), repr(other.url)).encode() + b"\0")
        keys[id(document)] = body.hexdigest()
    return keys
