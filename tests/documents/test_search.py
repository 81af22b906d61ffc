"""Documents in the search index: found by what their files say, shown by type and number.

The built bundle is queried with Pagefind's own ``pagefind.js`` under Node
(as the search page does in a browser, ``tests/browser/test_documents_search.py``).
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
import textwrap
from pathlib import Path

import pytest
from helpers import ROOT, page

from bulletin.build.main import load_settings
from bulletin.documents.index import PageText
from bulletin.site import search as search_module
from bulletin.site.search import TEXT_HOOK, index_site, shadow_of
from bulletin.site.search_pages import Page

PHRASE = "sáng kiến ứng dụng công nghệ thông tin"  # only inside 08-kh-bql.pdf
PLAN = "van-ban/2022/ke-hoach-huong-ung-chuyen-doi-so/"
SCAN = "van-ban/2023/quy-che-thi-dua-khen-thuong-tinh-bac-kan/"

# Serves the bundle's folder and asks pagefind.js: [{url, meta}] of each result.
QUERY_SCRIPT = textwrap.dedent(
    """
    import http from "node:http";
    import fs from "node:fs";
    import path from "node:path";
    const [bundle, query] = process.argv.slice(2);
    const server = http.createServer((request, response) => {
      const file = path.join(bundle, decodeURIComponent(new URL(request.url, "http://x").pathname));
      fs.readFile(file, (error, data) => {
        response.writeHead(error ? 404 : 200);
        response.end(error ? "" : data);
      });
    });
    server.listen(0, "127.0.0.1", async () => {
      try {
        const pagefind = await import(path.join(bundle, "pagefind.js"));
        await pagefind.options({ basePath: `http://127.0.0.1:${server.address().port}/` });
        const search = await pagefind.search(query);
        const found = await Promise.all(search.results.map((result) => result.data()));
        console.log(JSON.stringify(found.map((d) => ({ url: d.url, meta: d.meta }))));
      } catch (error) {
        console.error(error);
        process.exitCode = 1;
      } finally {
        server.close();
      }
    });
    """
)


def search(output, query: str, tmp_path) -> list[dict]:
    """The built index's results for ``query``: [{url (site-relative), meta}]."""
    node = shutil.which("node")
    if node is None:
        if os.environ.get("CI") == "true":
            pytest.fail("Node is missing: .ci/run installs it")
        pytest.skip("Node is needed to run pagefind.js")
    script = tmp_path / "query.mjs"
    script.write_text(QUERY_SCRIPT, encoding="utf-8")
    result = subprocess.run(
        [node, str(script), str(output / "pagefind"), query],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return [{**hit, "url": hit["url"].lstrip("/")} for hit in json.loads(result.stdout)]


def fragments(output) -> list[dict]:
    """Every page of the index as Pagefind stored it (url, content, meta)."""
    records = []
    for path in (output / "pagefind" / "fragment").iterdir():
        data = gzip.decompress(path.read_bytes())
        records.append(json.loads(data.removeprefix(b"pagefind_dcd")))
    return records


@pytest.mark.parametrize("query", [PHRASE, "sang kien ung dung cong nghe thong tin"])
def test_a_phrase_only_inside_a_pdf_finds_its_document(sample_site, tmp_path, query):
    page_text = page(sample_site, PLAN).get_text(" ")
    assert "sáng kiến ứng dụng" not in page_text  # the page itself does not say it
    results = search(sample_site, query, tmp_path)
    assert results and results[0]["url"] == PLAN, results
    meta = results[0]["meta"]
    assert (meta["type"], meta["number"], meta["date"]) == ("Kế hoạch", "08/KH-BQL", "15/02/2022")
    assert meta["title"].startswith("Kế hoạch hưởng ứng phong trào thi đua")


def test_each_document_is_one_page_of_the_index(sample_site):
    records = fragments(sample_site)
    urls = [record["url"] for record in records]
    assert len(urls) == len(set(urls))
    documents = {u: r for u, r in fragments_by_url(sample_site).items() if u.startswith("van-ban/")}
    api = json.loads((sample_site / "api" / "documents.json").read_text(encoding="utf-8"))
    assert len(documents) == len(api["documents"]) == 9  # the register's pages are not indexed
    assert PHRASE in documents[PLAN]["content"]
    # A scan is indexed by its fields and note: it has no text to add.
    assert "Quy chế công tác thi đua" in documents[SCAN]["content"]
    # Articles citing a document are listed on its page, not indexed there.
    assert (
        "Tin bài liên quan"
        not in documents["van-ban/2023/ke-hoach-phat-dong-thi-dua-nam-2023/"]["content"]
    )


def test_the_published_page_does_not_carry_the_files_text(sample_site):
    html = (sample_site / PLAN / "index.html").read_text(encoding="utf-8")
    assert "<div hidden data-search-text></div>" in html
    assert "sáng kiến ứng dụng" not in html
    body = page(sample_site, PLAN).find(attrs={"data-pagefind-body": True})
    assert body.name == "article" and body.find(attrs={"data-pagefind-meta": "number"})


def test_words_with_d_stroke_are_folded_in_the_files_text(sample_site, tmp_path):
    # "điện tử" is printed only in the PDF ("ký số văn bản điện tử"): typed
    # without marks, "dien" must match it, and Pagefind keeps "đ" a letter.
    content = fragments_by_url(sample_site)[PLAN]["content"]
    assert "điện tử" in content and " dien " in f" {content} "
    urls = [hit["url"] for hit in search(sample_site, "ky so van ban dien tu", tmp_path)]
    assert PLAN in urls, urls


def fragments_by_url(output) -> dict[str, dict]:
    return {record["url"].lstrip("/"): record for record in fragments(output)}


def test_a_page_is_given_its_text_in_a_shadow_never_in_place(tmp_path, monkeypatch):
    """Pagefind reads a document page with its files' text from a shadow
    folder: the build's page and the published copy of a kept page (the same
    inode) never change, and no scratch is left, even when Pagefind fails."""
    site, published = tmp_path / "build", tmp_path / "published"
    (site / "a").mkdir(parents=True)
    published.mkdir()
    html = f"<article data-pagefind-body>{TEXT_HOOK}</article>"
    (published / "a.html").write_text(html, encoding="utf-8")
    os.link(published / "a.html", site / "a" / "index.html")
    inode = (site / "a" / "index.html").stat().st_ino
    pages = [Page("a/index.html", str(site / "a" / "index.html"), "x", True)]
    shadow = Path(shadow_of(pages, {"a/index.html": "chữ trong tệp PDF"}, str(tmp_path)))
    assert "chữ trong tệp PDF" in (shadow / "a" / "index.html").read_text(encoding="utf-8")
    shutil.rmtree(shadow)

    def fails(folder, target):
        assert "chữ" in (Path(folder) / "a" / "index.html").read_text(encoding="utf-8")
        raise search_module.SearchIndexError("Pagefind failed")

    monkeypatch.setattr(search_module, "run_pagefind", fails)
    monkeypatch.setattr(search_module, "page_texts", lambda *a: [PageText("a/index.html", "chữ")])
    settings = {"SEARCH_CACHE_PATH": str(tmp_path / "cache"), "ARTICLE_SAVE_AS": ""}
    with pytest.raises(search_module.SearchIndexError):
        index_site(str(site), settings, str(tmp_path / "bundle"))
    assert (site / "a" / "index.html").stat().st_ino == inode
    assert (published / "a.html").read_text(encoding="utf-8") == html
    assert not [p for p in tmp_path.rglob("tmp-*")]  # no scratch left


def test_a_published_site_is_indexed_again_through_a_shadow(sample_site, tmp_path):
    """The live preview's refresh (bulletin.site.search.refresh_index) reads
    the published folder: its pages are never touched, the index is the same."""
    site = os.path.realpath(sample_site)
    before = {p: p.stat().st_mtime_ns for p in Path(site).rglob("*.html")}
    settings = load_settings(str(ROOT / "pelicanconf.py"), PATH=str(ROOT / "content"))
    index_site(site, settings | {"SEARCH_CACHE_PATH": str(tmp_path / "cache")}, str(tmp_path / "b"))
    copy = tmp_path / "copy"
    shutil.copytree(tmp_path / "b", copy / "pagefind")
    assert PHRASE in fragments_by_url(copy)[PLAN]["content"]
    assert {p: p.stat().st_mtime_ns for p in Path(site).rglob("*.html")} == before
    assert not [p for p in Path(site).parent.iterdir() if p.name.startswith("tmp-")]
