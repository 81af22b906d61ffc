"""The search index: folded "đ" words and the Pagefind bundle in the output."""

import pytest
from helpers import page

from bulletin.documents.index import PageText
from bulletin.site.search import TEXT_HOOK, fold, folded_words, partition_digest, with_text
from bulletin.site.search_pages import Page

SEED_URL = "tin-tuc/2023/phat-dong-phong-trao-thi-dua-nam-2023/"


@pytest.mark.parametrize(
    ("word", "folded"),
    [("Đoàn", "doan"), ("đăng", "dang"), ("Đảng", "dang"), ("ĐỔI", "doi"), ("Hương", "huong")],
)
def test_fold(word, folded):
    assert fold(word) == folded


def test_folded_words_keep_only_words_with_d_stroke():
    text = "<p>Đoàn thanh niên <b>đăng ký</b> thi đua; Đoàn ra quân</p>"
    assert folded_words("Phát động", text) == "dong doan dang dua"


def test_a_page_is_given_text_only_in_its_hook_escaped_and_folded():
    page = f"<article data-pagefind-body><h1>Quyết định</h1>{TEXT_HOOK}</article>"
    filled = with_text(page, "Điều 1. <script>x</script> & đăng ký")
    assert filled == (
        "<article data-pagefind-body><h1>Quyết định</h1><div hidden data-search-text "
        'data-pagefind-weight="0.5"><p>Điều 1. &lt;script&gt;x&lt;/script&gt; &amp; đăng ký</p>'
        "<p>dieu dang</p></div></article>"
    )
    assert with_text("<article data-pagefind-body></article>", "chữ") is None


def test_the_index_is_built_again_when_a_documents_text_changes():
    pages = [Page("van-ban/a/index.html", "/x", "ab" * 32, True)]
    text = PageText("van-ban/a/index.html", "nội dung cũ")
    before = partition_digest(pages, {text.path: text.text})
    assert before == partition_digest(pages, {text.path: text.text})
    assert partition_digest(pages, {text.path: "nội dung mới"}) != before
    assert partition_digest(pages, {}) != before


def test_article_carries_folded_words_for_the_index(fixture_site):
    soup = page(fixture_site, SEED_URL)
    body = soup.find(attrs={"data-pagefind-body": True})
    assert body is not None and body.name == "article"
    # The folded "đ" words are metadata (partials/search_meta.html), not text.
    assert body.find("p", attrs={"hidden": True}) is None
    words = " ".join(
        body.find(attrs={"data-pagefind-meta": key}).get_text()
        for key in ("title_folded", "tags_folded", "words")
    ).split()
    assert {"dong", "dua", "dang", "doan"} <= set(words)
    assert soup.find(attrs={"data-pagefind-meta": "title"}).get_text().startswith("Phát động")
    # Listings are not indexed: only articles and pages have a search body.
    assert page(fixture_site, "").find(attrs={"data-pagefind-body": True}) is None


def test_pagefind_bundle_is_built_into_the_output(fixture_site):
    bundle = fixture_site / "pagefind"
    assert (bundle / "pagefind.js").is_file()
    assert (bundle / "pagefind-entry.json").is_file()
    assert any((bundle / "index").iterdir())
    soup = page(fixture_site, "tim-kiem/")
    assert soup.find("p", attrs={"data-search-nojs": True}).find("a")["href"].endswith("nam/")
    assert soup.find("input", attrs={"name": "q"})


def test_unchanged_pages_reuse_the_search_index(tmp_path):
    from helpers import build, copy_fixture_site  # noqa: PLC0415

    def cached():  # one bundle per year of articles and one of the other pages
        return sorted(p for p in (tmp_path / "cache" / "search").iterdir() if p.is_dir())

    content = copy_fixture_site(tmp_path)
    output = tmp_path / "output"
    assert build(content, output)[0] == 0
    first = cached()
    assert len(first) == 3  # 2023, 2024 and the pages
    bundle = {
        p.relative_to(output): p.read_bytes()
        for p in (output / "pagefind").rglob("*")
        if p.is_file()
    }
    assert build(content, output)[0] == 0
    assert cached() == first
    again = {
        p.relative_to(output): p.read_bytes()
        for p in (output / "pagefind").rglob("*")
        if p.is_file()
    }
    assert again == bundle
    # A changed page means a new bundle for its year, and its old one is dropped.
    article = content / "articles" / "2023" / "tin-ngay-viet-kieu-viet-nam.md"
    article.write_text(article.read_text(encoding="utf-8") + "\nTừ khóa mới.\n", encoding="utf-8")
    assert build(content, output)[0] == 0
    after = cached()
    assert len(after) == 3 and len(set(after) - set(first)) == 1


def test_deferred_search_keeps_the_old_bundle_then_refreshes_it(tmp_path):
    """The live preview: the build keeps the previous bundle (search works at
    once), refresh_index then swaps in the bundle a full build would make."""
    from helpers import ROOT, build, copy_fixture_site  # noqa: PLC0415

    from bulletin.build.main import load_settings  # noqa: PLC0415
    from bulletin.site.search import refresh_index  # noqa: PLC0415

    def bundle(output):
        # Its pages as stored (fragments, one file per page): Pagefind writes
        # the filters of one bundle in a random order (a Rust HashMap), so
        # two runs over the same pages may differ in the filter and meta files.
        folder = output / "pagefind"
        return {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*.pf_fragment")}

    content = copy_fixture_site(tmp_path)
    output = tmp_path / "output"
    assert build(content, output)[0] == 0
    before = bundle(output)
    article = content / "articles" / "2023" / "tin-ngay-viet-kieu-viet-nam.md"
    article.write_text(article.read_text(encoding="utf-8") + "\nTừ khóa mới.\n", encoding="utf-8")
    assert build(content, output, SEARCH_DEFERRED=True)[0] == 0
    assert "Từ khóa" in (
        output / "tin-tuc/2023/hoi-nghi-tong-ket-cong-tac-nam-2023/index.html"
    ).read_text(encoding="utf-8")
    assert bundle(output) == before
    settings = load_settings(
        str(ROOT / "pelicanconf.py"),
        PATH=str(content),
        SEARCH_CACHE_PATH=str(tmp_path / "cache" / "search"),
    )
    refresh_index(settings, str(output))
    clean = tmp_path / "clean" / "output"
    assert build(content, clean, SEARCH_CACHE_PATH=str(tmp_path / "clean-search"))[0] == 0
    assert bundle(output) == bundle(clean) != before
    assert [p.name for p in tmp_path.iterdir() if "search-" in p.name] == []
