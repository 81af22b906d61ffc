"""Compiled templates are kept in the reader cache's folder
(bulletin.build.cache.compiled_templates): a second build compiles none and
writes the same bytes; an edited template is compiled again and shows."""

from __future__ import annotations

import shutil

import jinja2
import pytest
from helpers import ROOT, build, copy_fixture_site, tree

SETTINGS = {"SEARCH_INDEX": False, "BUILD_WORKERS": 1}


@pytest.fixture
def compiled(monkeypatch):
    """The names of the templates Jinja compiled."""
    names = []
    compile_ = jinja2.Environment.compile

    def spy(self, source, name=None, *args, **kwargs):
        names.append(name)
        return compile_(self, source, name, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "compile", spy)
    return names


def test_a_second_build_compiles_no_template(tmp_path, compiled):
    content = copy_fixture_site(tmp_path / "a")
    output = tmp_path / "a" / "output"
    assert build(content, output, **SETTINGS)[0] == 0
    assert "article.html" in compiled
    first = tree(output)
    kept = list((tmp_path / "a" / "cache" / "pelican").rglob("templates-*/*.cache"))
    assert len(kept) > 20
    compiled.clear()
    # A change every page shows (the site's name), so that every page is rendered again.
    assert build(content, output, **SETTINGS, SITENAME="Bản tin thử")[0] == 0
    assert compiled == []
    second = tree(output)
    assert second["index.html"] != first["index.html"]
    # Another clean build with the new name, without the cache: the same bytes.
    shutil.rmtree(tmp_path / "a" / "cache")
    other = copy_fixture_site(tmp_path / "b")
    assert build(other, tmp_path / "b" / "output", **SETTINGS, SITENAME="Bản tin thử")[0] == 0
    assert tree(tmp_path / "b" / "output") == second


def test_an_edited_template_is_compiled_again(tmp_path, compiled):
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    content = copy_fixture_site(tmp_path / "a")
    output = tmp_path / "a" / "output"
    assert build(content, output, THEME=str(theme), **SETTINGS)[0] == 0
    compiled.clear()
    footer = theme / "templates" / "base.html"
    text = footer.read_text(encoding="utf-8")
    assert "</footer>" in text
    text = text.replace("</footer>", "<p>Dòng thử ở chân trang</p></footer>", 1)
    footer.write_text(text, encoding="utf-8")
    assert build(content, output, THEME=str(theme), **SETTINGS)[0] == 0
    assert "base.html" in compiled
    assert "article.html" not in compiled  # unchanged: from the cache
    page = (output / "tin-tuc" / "2024" / "canh-giac-lua-dao" / "index.html").read_text("utf-8")
    assert "Dòng thử ở chân trang" in page
