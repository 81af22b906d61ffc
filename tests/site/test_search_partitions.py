"""The search index in bundles: one per year of articles, one of the other pages.

A build runs Pagefind only for the bundles whose pages changed; the others
are hard links of the cached ones (the same inodes). The search page lists
the merged bundles, and the browser finds articles across them.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from helpers import FIXTURE_PUBLISHED, build, copy_fixture_site, page

from bulletin.site import search
from bulletin.site.search_partitions import (
    article_pattern,
    bundle_urls,
    group_of,
    layout,
    newest_first,
    partitions,
    safe_name,
)

PUBLIC = "http://localhost:8000/"  # the fixture site's SITEURL
MERGED = "../pagefind/"  # as the search page (tim-kiem/) links them: RELATIVE_URLS
PATTERN = article_pattern("tin-tuc/{date:%Y}/{slug}/index.html")


def article(content: Path, year: int, slug: str, body: str) -> Path:
    path = content / "articles" / str(year) / f"{slug}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        f"Title: {body.split('.', maxsplit=1)[0]}\nDate: {year}-03-04 08:00\nAuthor: Thu Hà\n"
        f"Movement: bac-kan-day-manh-chuyen-doi-so\nSlug: {slug}\n\n{body}\n",
        encoding="utf-8",
    )
    return path


def bundles(output: Path) -> dict[str, dict[str, int]]:
    """{bundle folder ("" the primary): {file below it: inode}}."""
    root = output / "pagefind"
    folders = {""} | {p.parent.name for p in root.glob("*/pagefind-entry.json")}
    return {
        name: {
            p.relative_to(root / name).as_posix(): p.stat().st_ino
            for p in (root / name).rglob("*")
            if p.is_file() and (name or p.relative_to(root).parts[0] not in folders)
        }
        for name in folders
    }


def pages_in(output: Path, folder: str) -> int:
    entry = output / "pagefind" / folder / "pagefind-entry.json"
    languages = json.loads(entry.read_text(encoding="utf-8"))["languages"]
    return sum(language["page_count"] for language in languages.values())


def merged(output: Path) -> list[str]:
    element = page(output, "tim-kiem/").find(attrs={"data-search": True})
    return element["data-pagefind-merge"].split()


@pytest.fixture
def counted(monkeypatch):
    """The sites Pagefind is run on in this test, by the pages they hold."""
    runs = []
    real = search.run_pagefind

    def run(site, target):
        runs.append(sorted(p.relative_to(site).as_posix() for p in Path(site).rglob("*.html")))
        return real(site, target)

    monkeypatch.setattr(search, "run_pagefind", run)
    return runs


# The pure plan.


def test_an_articles_year_comes_from_its_address():
    assert group_of("tin-tuc/2023/hoi-nghi/index.html", PATTERN) == "2023"
    assert group_of("gioi-thieu/index.html", PATTERN) is None
    assert group_of("tin-tuc/2023/index.html", PATTERN) is None
    assert group_of("van-ban/2023/quy-che/index.html", PATTERN) is None
    no_year = article_pattern("bai/{slug}.html")
    assert group_of("bai/tin-moi.html", no_year) == "bai"


def test_a_large_year_is_split_and_each_page_stays_in_its_part():
    paths = [f"tin-tuc/2024/bai-{n}/index.html" for n in range(50)]
    others, named = partitions([*paths, "gioi-thieu/index.html"], PATTERN, 20)
    assert others == ["gioi-thieu/index.html"]
    assert sorted(named) == ["2024-1", "2024-2", "2024-3"]
    assert sorted(p for part in named.values() for p in part) == sorted(paths)
    assert max(len(part) for part in named.values()) < 30
    # One more article (still three parts): every other page keeps its part.
    _, again = partitions([*paths, "tin-tuc/2024/moi/index.html"], PATTERN, 20)
    where = {p: name for name, part in named.items() for p in part}
    assert all(where[p] == name for name, part in again.items() for p in part if p in where)


def test_bundles_are_merged_newest_first_and_the_primary_is_the_other_pages():
    names = ["2019", "2024-2", "2024-1", "2021"]
    assert newest_first(names) == ["2024-1", "2024-2", "2021", "2019"]
    assert layout(True, names) == (None, ["2024-1", "2024-2", "2021", "2019"])
    assert layout(False, names) == ("2024-1", ["2024-2", "2021", "2019"])  # no other pages
    assert bundle_urls("https://x.vn/", "pagefind", ["2021"]) == ["https://x.vn/pagefind/2021/"]


@pytest.mark.parametrize("name", ["", "..", "../2023", "2023/..", "/tmp", "2023/x", "x2023"])
def test_a_bundle_name_is_a_year_never_a_path(name):
    with pytest.raises(ValueError, match="bundle"):
        safe_name(name)


# Builds.


def test_a_build_makes_one_bundle_per_year_and_one_of_the_other_pages(tmp_path):
    content = copy_fixture_site(tmp_path)
    output = tmp_path / "output"
    assert build(content, output)[0] == 0
    assert sorted(bundles(output)) == ["", "2023", "2024"]
    assert merged(output) == [f"{MERGED}2024/", f"{MERGED}2023/"]
    years = {url.split("/")[1] for url in FIXTURE_PUBLISHED}
    for year in years:
        count = sum(url.split("/")[1] == year for url in FIXTURE_PUBLISHED)
        assert pages_in(output, year) == count
        # A merged bundle is data only: the browser runs the primary's code.
        assert not list((output / "pagefind" / year).glob("*.js"))
    assert pages_in(output, "") == 2  # gioi-thieu/, lien-he/
    assert (output / "pagefind" / "pagefind.js").is_file()


def test_an_edit_indexes_only_its_year_again(tmp_path, counted):
    content = copy_fixture_site(tmp_path)
    output = tmp_path / "output"
    assert build(content, output)[0] == 0
    assert len(counted) == 3
    before = bundles(output)
    counted.clear()
    edited = content / "articles" / "2023" / "tin-ngay-viet-kieu-viet-nam.md"
    edited.write_text(edited.read_text(encoding="utf-8") + "\nĐoạn thêm.\n", encoding="utf-8")
    assert build(content, output)[0] == 0
    assert counted == [
        [
            "tin-tuc/2023/hoi-nghi-tong-ket-cong-tac-nam-2023/index.html",
            "tin-tuc/2023/phat-dong-phong-trao-thi-dua-nam-2023/index.html",
        ]
    ]
    after = bundles(output)
    assert after[""] == before[""] and after["2024"] == before["2024"]  # the same inodes
    assert after["2023"]["pagefind-entry.json"] != before["2023"]["pagefind-entry.json"]
    cached = [p for p in (tmp_path / "cache" / "search").iterdir() if p.is_dir()]
    assert len(cached) == 3  # the old 2023 bundle is gone from the cache


def test_a_new_year_makes_a_new_bundle_and_a_removal_updates_its_own(tmp_path, counted):
    content = copy_fixture_site(tmp_path)
    output = tmp_path / "output"
    assert build(content, output)[0] == 0
    before = bundles(output)
    counted.clear()
    article(content, 2021, "che-shan-tuyet", "Hợp tác xã chè Shan tuyết mở rộng vùng trồng.")
    assert build(content, output)[0] == 0
    assert counted == [["tin-tuc/2021/che-shan-tuyet/index.html"]]
    assert merged(output)[-1] == f"{MERGED}2021/"
    assert all(bundles(output)[name] == before[name] for name in before)
    counted.clear()
    (content / "articles" / "2023" / "tin-ngay-viet-kieu-viet-nam.md").unlink()
    assert build(content, output)[0] == 0
    assert counted == [["tin-tuc/2023/phat-dong-phong-trao-thi-dua-nam-2023/index.html"]]
    assert pages_in(output, "2023") == 1
    # Its whole year gone: the bundle is gone, and the search page no longer merges it.
    (content / "articles" / "2021" / "che-shan-tuyet.md").unlink()
    assert build(content, output)[0] == 0
    assert not (output / "pagefind" / "2021").exists()
    assert f"{MERGED}2021/" not in merged(output)


def test_a_site_of_articles_only_has_its_newest_year_as_the_primary_bundle(tmp_path):
    content = copy_fixture_site(tmp_path)
    for page_file in (content / "pages").glob("*.md"):
        page_file.unlink()
    output = tmp_path / "output"
    code, report = build(content, output)
    assert code == 0, report
    assert sorted(bundles(output)) == ["", "2023"]
    assert pages_in(output, "") == 1  # 2024's one article
    assert merged(output) == [f"{MERGED}2023/"]


def test_the_search_page_lists_exactly_the_bundles_written(fixture_site):
    listed = [url.removeprefix("../") for url in merged(fixture_site)]
    written = sorted(
        f"{p.parent.relative_to(fixture_site).as_posix()}/"
        for p in (fixture_site / "pagefind").glob("*/pagefind-entry.json")
    )
    assert sorted(listed) == written and listed


# In the browser.


def from_disk(context, output: Path) -> None:
    """Answer the site's public address from the built files (nothing on the network)."""

    def answer(route):
        path = route.request.url.removeprefix(PUBLIC).split("?")[0]
        file = output / (path + "index.html" if path.endswith("/") or not path else path)
        if route.request.url.startswith(PUBLIC) and file.is_file():
            route.fulfill(path=str(file))
        else:
            route.abort()

    context.route("**/*", answer)


@pytest.mark.browser
def test_the_browser_finds_articles_of_two_bundles(browser, tmp_path):
    content = copy_fixture_site(tmp_path)
    article(content, 2021, "che-shan-tuyet", "Hợp tác xã chè Shan tuyết mở rộng vùng trồng.")
    article(content, 2024, "shan-tuyet-xuat-khau", "Chè Shan tuyết Bắc Kạn được xuất khẩu.")
    output = tmp_path / "output"
    assert build(content, output)[0] == 0
    context = browser.new_context(locale="vi-VN")
    from_disk(context, output)
    tab = context.new_page()
    tab.goto(PUBLIC + "tim-kiem/")
    field = tab.get_by_label(re.compile("Từ khóa"))
    field.click()
    field.press_sequentially("che shan tuyet", delay=20)
    field.press("Enter")
    tab.wait_for_function(
        "() => /^(Tìm thấy|Không tìm)/.test("
        "document.querySelector('[data-search-status]').textContent)",
        timeout=20_000,
    )
    found = tab.eval_on_selector_all(".search-result__title a", "a => a.map(x => x.href)")
    context.close()
    assert f"{PUBLIC}tin-tuc/2021/che-shan-tuyet/" in found, found
    assert f"{PUBLIC}tin-tuc/2024/shan-tuyet-xuat-khau/" in found, found


def test_a_bundle_depends_on_the_article_not_on_the_lists_after_it():
    from bulletin.site.search_pages import what_pagefind_reads  # noqa: PLC0415

    page = (
        b'<html lang="vi"><head><title>T</title></head><body><main>'
        b"<article data-pagefind-body><h1>A</h1><article>inner</article></article>"
        b'<aside><ul class="headlines"><li>Tin moi</li></ul>'
        b'<span data-pagefind-filter="year">2024</span></aside></main></body></html>'
    )
    read, body = what_pagefind_reads(page)
    assert body and read.endswith(b'</article></article><span data-pagefind-filter="year">2024')
    assert what_pagefind_reads(page.replace(b"Tin moi", b"Tin khac")) == (read, True)
    assert what_pagefind_reads(b"<p>no body</p>") == (b"<p>no body</p>", False)
