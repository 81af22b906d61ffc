"""No place turns text into markup by accident.

Our JavaScript (the theme's and the web editor's) builds the page from DOM
nodes and ``textContent``: nothing assigns ``innerHTML``/``outerHTML``, calls
``insertAdjacentHTML``, ``document.write`` or another HTML parser, or
evaluates strings. Templates (the theme's and the web editor's page) print
with autoescaping; ``|safe`` only for the sanitised bodies.
"""

from __future__ import annotations

import re

import pytest
from helpers import ROOT

from bulletin.editor import page

SCRIPT_FOLDERS = [ROOT / "theme" / "static" / "js", page.ASSETS]
HTML_SINKS = re.compile(
    r"\.(?:inner|outer)HTML\b"
    r"|\binsertAdjacentHTML\b"
    r"|\bdocument\s*\.\s*write(?:ln)?\b"
    r"|\bcreateContextualFragment\b"
    r"|\b(?:set|parse)HTMLUnsafe\b"
    r"|\bsrcdoc\b"
    r"|\bdangerouslySetInnerHTML\b"
    r"|\beval\s*\("
    r"|\bnew\s+Function\b"
    r"|\bset(?:Timeout|Interval)\s*\(\s*[\"'`]"
)
# Where a template may print HTML as it is: the article and page bodies,
# which the reader has passed through the allow-list sanitiser.
# The bodies the reader sanitised (bulletin.content.sanitize): articles', pages'
# and official documents' notes (bulletin.documents, read by the same reader).
SAFE_IN_TEMPLATES = {
    ("article.html", "article.content"),
    ("page.html", "page.content"),
    ("document.html", "document.content"),
    # A printed issue's editorial: read by the same reader, so sanitised.
    ("edition.html", "edition.content"),
}


def scripts():
    found = sorted(path for folder in SCRIPT_FOLDERS for path in folder.glob("*.js"))
    assert len(found) >= 4, found
    return found


@pytest.mark.parametrize("path", scripts(), ids=lambda path: path.name)
def test_no_script_parses_or_evaluates_strings(path):
    text = path.read_text(encoding="utf-8")
    sinks = [
        f"{path.name}:{number}: {line.strip()}"
        for number, line in enumerate(text.splitlines(), 1)
        if HTML_SINKS.search(line)
    ]
    assert sinks == []


def test_only_the_sanitised_bodies_are_printed_unescaped():
    # The theme's templates, and the web editor's own page (its JSON block is
    # Markup from bulletin.site.security.script_json, never |safe).
    found = set()
    for templates in (ROOT / "theme" / "templates", page.TEMPLATES):
        for path in sorted(templates.rglob("*.html")):
            text = path.read_text(encoding="utf-8")
            found |= {(path.name, value) for value in re.findall(r"([\w.]+)\s*\|\s*safe\b", text)}
            assert "autoescape false" not in text, path.name
    assert found == SAFE_IN_TEMPLATES


def test_the_editor_page_escapes_what_it_prints():
    html = page.render_notice('<b>"Bản tin"</b> & <script>', "", "python3 bootstrap.py cms")
    assert "<b>" not in html and "<script>" not in html
    assert "&lt;b&gt;&#34;Bản tin&#34;&lt;/b&gt; &amp; &lt;script&gt;" in html
