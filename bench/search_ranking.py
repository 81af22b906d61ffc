"""Merged bundles against one index, in Chromium, on the site's own search page.

For ``bench/search_bench.py --browser``. The built site is opened at its
public address from its files (the browser answers every request itself:
nothing on the network); a second copy of it (hard links) has one Pagefind
index of the whole site instead of the bundles, and nothing to merge. The
same queries are typed into both; printed: the bytes of the first query
(index files fetched before the results show) and how often the first
result, and the first ten, are the same.
"""

from __future__ import annotations

import re
import shutil
import statistics
import sys
from pathlib import Path
from urllib.parse import urljoin

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests")]

DONE = (
    "() => /^(Tìm thấy|Không tìm)/.test(document.querySelector('[data-search-status]').textContent)"
)

# Pagefind's own results for a query, with their scores: the module the
# page's script imported (the same URL: the same, merged, instance).
HITS = """async (query) => {
  const root = document.querySelector("[data-search]");
  const bundle = new URL(root.getAttribute("data-pagefind-path"), document.baseURI).href;
  const pagefind = await import(bundle + "pagefind.js");
  const search = await pagefind.search(query);
  return Promise.all(search.results.slice(0, 10).map(
    async (hit) => [(await hit.data()).url, hit.score]));
}"""
CLEAR = "() => { document.querySelector('[data-search-status]').textContent = ''; }"


def single_copy(output: Path, bundle: Path, target: Path) -> Path:
    """``output`` hard-linked into ``target``, its bundles replaced by ``bundle``."""
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(output.resolve(), target, copy_function=_link)
    shutil.rmtree(target / "pagefind")
    shutil.copytree(bundle, target / "pagefind", copy_function=_link)
    page = target / "tim-kiem" / "index.html"
    html = page.read_text(encoding="utf-8")
    page.unlink()  # a hard link of the built page: never written into
    page.write_text(re.sub(r'data-pagefind-merge="[^"]*"', 'data-pagefind-merge=""', html))
    return target


def _link(source, target):
    import os  # noqa: PLC0415

    os.link(source, target)


def public_root(output: Path) -> str:
    """The site's address (a relative one is opened at a made-up host)."""
    html = (output / "tim-kiem" / "index.html").read_text(encoding="utf-8")
    root = re.search(r'data-site-root="([^"]+)"', html).group(1)
    return urljoin("http://bulletin.test/tim-kiem/", root)


class Tab:
    """A fresh browser context answering the site from ``output``; counts the
    bytes of the index's files it serves."""

    def __init__(self, browser, output: Path, public: str):
        self.bytes = 0
        self.files = 0
        self.public = public
        self.context = browser.new_context(locale="vi-VN")
        self.context.route("**/*", lambda route: self.answer(route, output))
        self.page = self.context.new_page()
        self.page.goto(public + "tim-kiem/")

    def answer(self, route, output: Path) -> None:
        url = route.request.url
        path = url.removeprefix(self.public).split("?")[0]
        file = output / (path + "index.html" if path.endswith("/") or not path else path)
        if url.startswith(self.public) and file.is_file():
            if "/pagefind/" in url:
                self.bytes += file.stat().st_size
                self.files += 1
            route.fulfill(path=str(file))
        else:
            route.abort()

    def search(self, query: str) -> list[str]:
        field = self.page.locator("#tu-khoa")
        self.page.evaluate(
            "() => { document.querySelector('[data-search-status]').textContent = ''; }"
        )
        field.fill("")
        field.press_sequentially(query, delay=5)
        field.press("Enter")
        self.page.wait_for_function(DONE, timeout=30_000)
        links = self.page.eval_on_selector_all(".search-result__title a", "a => a.map(x => x.href)")
        return [link.removeprefix(self.public) for link in links]

    def hits(self, query: str) -> list[tuple[str, float]]:
        """Pagefind's first ten for ``query`` (after :meth:`search` loaded it)."""
        return [(url, score) for url, score in self.page.evaluate(HITS, query)]

    def close(self) -> None:
        self.context.close()


def queries(content: Path, count: int = 30) -> list[str]:
    """What a reader would type for an article: its subject and year as the
    title says them ("…về cải cách hành chính năm 2019"), else the title's
    first words; each with and without marks."""
    from bulletin.content.vietnamese import plain  # noqa: PLC0415

    articles = sorted(content.rglob("*.md"))
    chosen = []
    for path in articles[:: max(1, len(articles) // (count // 2))][: count // 2]:
        match = re.search(r"^Title: (.+)$", path.read_text(encoding="utf-8"), re.MULTILINE)
        if match:
            title = re.sub(r"\(.*?\)", " ", match.group(1))
            subject = title.split(" về ", 1)[-1] if " về " in title else title
            chosen.append(" ".join(re.sub(r"[^\w\s]", " ", subject).split()[:6]))
    return chosen + [plain(text).lower() for text in chosen]


def compare(output: Path, single_bundle: Path, content: Path) -> None:
    from browser.pages import CHROMIUM, CHROMIUM_ARGS  # noqa: PLC0415
    from playwright.sync_api import sync_playwright  # noqa: PLC0415

    single = single_copy(output, single_bundle, output.parent / "single-site")
    public = public_root(output)
    asked = queries(content)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        first = {}
        for name, site in (("merged", output), ("single", single)):
            sizes = []
            for query in asked[:3]:
                tab = Tab(browser, site, public)
                tab.search(query)
                sizes.append((tab.bytes, tab.files))
                tab.close()
            first[name] = sizes
        results, scored = {}, {}
        for name, site in (("merged", output), ("single", single)):
            tab = Tab(browser, site, public)
            results[name] = [tab.search(query) for query in asked]
            scored[name] = [tab.hits(query) for query in asked]
            tab.close()
        browser.close()
    for name, sizes in first.items():
        print(
            f"  first query, {name:6} {statistics.median(b for b, _ in sizes) / 1e3:6.0f} KB"
            f" in {statistics.median(f for _, f in sizes):.0f} files of the index"
            " (median of 3 queries, files as served: the index's are gzipped already)"
        )
    same_first = sum(
        bool(m) and bool(s) and m[0] == s[0]
        for m, s in zip(results["merged"], results["single"], strict=True)
    )
    overlap = [
        len(set(m[:10]) & set(s[:10])) / max(1, min(10, len(s)))
        for m, s in zip(results["merged"], results["single"], strict=True)
    ]
    # The first result up to ties: the merged first is one of the pages the
    # single index scores best (many of the corpus's titles are alike).
    tied = sum(
        bool(m) and bool(s) and m[0][0] in {u for u, score in s if score >= s[0][1] - 1e-6}
        for m, s in zip(scored["merged"], scored["single"], strict=True)
    )
    print(
        f"  ranking, Pagefind    its first result is one the single index ranks first (ties"
        f" included) for {tied} of {len(asked)} queries"
    )
    print(
        f"  ranking, page        same first result for {same_first} of {len(asked)} queries;"
        f" first ten shared {100 * statistics.mean(overlap):.0f} % (merged bundles vs one index)"
    )
