"""Hostile input against the search index's bundles (bulletin.site.search).

A bundle's folder is named by a year (or a year and a part), never by
anything an editor wrote: no slug, year or kept file's name can put a
bundle, a shadow page or a read outside the output's pagefind folder.
"""

from __future__ import annotations

import os

import pytest
from helpers import build, copy_fixture_site

from bulletin.site.search_pages import page_sources
from bulletin.site.search_partitions import article_pattern, partitions, safe_name

PATTERN = article_pattern("tin-tuc/{date:%Y}/{slug}/index.html")


@pytest.mark.parametrize(
    "path",
    [
        "tin-tuc/2023/../../../../tmp/x/index.html",
        "tin-tuc/../2023/x/index.html",
        "tin-tuc/2023/a/b/index.html",
        "tin-tuc/20230/x/index.html",
        "tin-tuc/2023/x/index.html/../../../../etc",
    ],
)
def test_an_address_that_is_not_an_articles_is_never_a_year_bundle(path):
    others, named = partitions([path], PATTERN, 100)
    assert others == [path] and named == {}


@pytest.mark.parametrize(
    "name", ["../x", "2023/../../x", "2023\x00", "2023\n", "/etc", "2023 ", "1e10", "２０２３"]
)
def test_a_bundle_name_cannot_leave_the_bundle_folder(name):
    with pytest.raises(ValueError, match="bundle"):
        safe_name(name)


def test_kept_names_outside_the_site_are_not_read(tmp_path):
    site, published = tmp_path / "build", tmp_path / "published"
    (site / "a").mkdir(parents=True)
    (site / "a" / "index.html").write_text("<p>a</p>", encoding="utf-8")
    published.mkdir()
    (tmp_path / "secret.html").write_text("<p>secret</p>", encoding="utf-8")
    kept = [
        "../secret.html",
        str(tmp_path / "secret.html"),
        "pagefind/x.html",
        "b/../../secret.html",
    ]
    found = page_sources(str(site), "pagefind", str(published), kept)
    assert sorted(found) == ["a/index.html"]


def test_hostile_slugs_put_every_bundle_inside_the_pagefind_folder(tmp_path):
    content = copy_fixture_site(tmp_path)
    for slug in ("pagefind", "index", "fragment", "2024"):
        (content / "articles" / "2024" / f"{slug}.md").write_text(
            f"Title: Bài {slug} thử tên gói\nDate: 2024-02-0{len(slug) % 9 + 1} 08:00\n"
            f"Author: Thu Hà\nMovement: bac-kan-day-manh-chuyen-doi-so\nSlug: {slug}\n\n"
            "Nội dung thử tên gói chỉ mục.\n",
            encoding="utf-8",
        )
    output = tmp_path / "output"
    code, report = build(content, output)
    assert code == 0, report
    bundle = os.path.realpath(output / "pagefind")
    entries = [os.path.realpath(p) for p in output.rglob("pagefind-entry.json")]
    assert entries and all(os.path.commonpath([e, bundle]) == bundle for e in entries)
    names = sorted(os.path.relpath(os.path.dirname(e), bundle) for e in entries)
    assert names == [".", "2023", "2024"]
    assert not [p for p in tmp_path.rglob("tmp-*")]  # no shadow left
