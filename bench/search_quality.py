"""Search quality, measured as a reader meets it: the labelled queries of
``tests/site/search_queries.toml`` typed key by key into ``/tim-kiem/`` of the
sample site in Chromium, and the results the page shows read back.

Prints success@1, success@3 and MRR against the issue's targets (success@1
≥ 0.95, MRR ≥ 0.95), every miss, and the bytes the first query transfers
(every response body from the search box's focus to the first results shown;
target < 150 KB). A query whose page answers "Không tìm thấy" with a
"Có phải bạn muốn tìm …" suggestion is judged on the suggestion's results (a
reader clicks it); a query nothing answers (``expect = []``) is right when the
page says "Không tìm thấy".

``python bench/search_quality.py`` (``invoke bench`` runs it); the browser
test ``tests/browser/test_search_quality.py`` runs the same code and asserts
the targets.
"""

from __future__ import annotations

import argparse
import gzip
import socket
import sys
import tempfile
import threading
import tomllib
from dataclasses import dataclass, field
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "plugins"), str(ROOT / "tests"), str(ROOT)]

QUERIES = ROOT / "tests" / "site" / "search_queries.toml"
TARGET_SUCCESS_AT_1 = 0.95
TARGET_MRR = 0.95
TARGET_FIRST_QUERY_BYTES = 150 * 1024
FIRST_QUERY = "thi dua khen thuong"
# Chromium as the tests launch it (tests/conftest.py): no connection attempts.
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-gpu",
]
DONE = (
    "query => { const s = document.querySelector('[data-search-status]').textContent;"
    " return /^(Tìm thấy|Không tìm)/.test(s) && s.includes('“' + query.trim() + '”'); }"
)


@dataclass
class Outcome:
    query: str
    kind: str
    expect: list[str]
    shown: list[str]  # the result URLs shown, site-relative, in order
    suggestion: str = ""  # the suggestion clicked, if any
    rank: int = 0  # of the first expected page (1-based); 0: not shown

    @property
    def reciprocal(self) -> float:
        return 1 / self.rank if self.rank else 0.0


@dataclass
class Figures:
    outcomes: list[Outcome] = field(default_factory=list)
    first_query_bytes: int = 0
    first_query_files: int = 0
    first_query_kinds: dict[str, int] = field(default_factory=dict)  # bytes by kind of file
    first_query_gzip: int = 0  # the same bodies as a gzip-serving web server sends them

    def share(self, best: int) -> float:
        return sum(1 for o in self.outcomes if 0 < o.rank <= best) / len(self.outcomes)

    @property
    def mrr(self) -> float:
        return sum(o.reciprocal for o in self.outcomes) / len(self.outcomes)

    @property
    def misses(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.rank != 1]


def load_queries(path: Path = QUERIES) -> list[dict]:
    with open(path, "rb") as handle:
        return tomllib.load(handle)["query"]


def rank_of(expect: list[str], shown: list[str]) -> int:
    if not expect:  # nothing answers it: right when nothing is shown
        return 0 if shown else 1
    for number, url in enumerate(shown, start=1):
        if url in expect:
            return number
    return 0


def shown_results(page, site_url: str) -> list[str]:
    hrefs = page.eval_on_selector_all(
        ".search-result__title a", "links => links.map(a => a.getAttribute('href'))"
    )
    return [href.removeprefix(site_url) for href in hrefs]


def wait_for(page, query: str) -> None:
    page.wait_for_function(DONE, arg=query, timeout=20_000)


def ask(page, site_url: str, query: dict, delay: int = 10) -> Outcome:
    """Type one query key by key, press Enter, read the results (after the
    suggestion, when the page offers one)."""
    box = page.locator("#tu-khoa")
    box.fill("")
    box.press_sequentially(query["q"], delay=delay)
    box.press("Enter")
    wait_for(page, query["q"])
    outcome = Outcome(query["q"], query["kind"], query["expect"], shown_results(page, site_url))
    offer = page.locator("[data-search-suggestion]")
    if not outcome.shown and query["expect"] and offer.is_visible():
        suggested = page.locator("[data-search-suggested]")
        outcome.suggestion = suggested.inner_text()
        suggested.click()
        wait_for(page, outcome.suggestion)
        outcome.shown = shown_results(page, site_url)
    outcome.rank = rank_of(query["expect"], outcome.shown)
    return outcome


def kind_of(url: str) -> str:
    """ "pagefind.js", "wasm", "index", "fragment"… of a response's URL."""
    name = url.split("?", maxsplit=1)[0].rstrip("/").rsplit("/", 1)[-1]
    for kind in ("fragment", "pf_index", "pf_filter", "pf_meta", "wasm", "entry"):
        if kind in name:
            return kind
    return name


def first_query_bytes(context, site_url: str) -> tuple[int, int, dict[str, int], int]:
    """Bytes of every response from the box's focus to the first results,
    their count, their bytes by kind of file, and their size gzipped (the
    test server sends bodies as they are; Pagefind's chunks are gzip already)."""
    page = context.new_page()
    page.goto(site_url + "tim-kiem/", wait_until="load")
    responses = []

    def keep(response):  # Playwright cannot wrap a bound builtin (list.append)
        responses.append(response)

    page.on("response", keep)
    box = page.locator("#tu-khoa")
    box.click()
    box.press_sequentially(FIRST_QUERY, delay=30)
    box.press("Enter")
    wait_for(page, FIRST_QUERY)
    page.wait_for_load_state("networkidle")
    kinds, zipped = {}, 0
    for response in responses:
        body = response.body()
        kind = kind_of(response.url)
        kinds[kind] = kinds.get(kind, 0) + len(body)
        zipped += min(len(body), len(gzip.compress(body, compresslevel=6)))
    page.close()
    return sum(kinds.values()), len(responses), kinds, zipped


def measure(browser, site_url: str, queries: list[dict]) -> Figures:
    context = browser.new_context(locale="vi-VN")
    try:
        figures = Figures()
        (
            figures.first_query_bytes,
            figures.first_query_files,
            figures.first_query_kinds,
            figures.first_query_gzip,
        ) = first_query_bytes(context, site_url)
        page = context.new_page()
        page.goto(site_url + "tim-kiem/", wait_until="load")
        figures.outcomes = [ask(page, site_url, query) for query in queries]
        return figures
    finally:
        context.close()


def report(figures: Figures) -> str:
    lines = [
        f"Search quality: {len(figures.outcomes)} labelled queries typed into /tim-kiem/ "
        "(sample site, Chromium)",
        f"  success@1  {figures.share(1):.3f}   (target ≥ {TARGET_SUCCESS_AT_1})",
        f"  success@3  {figures.share(3):.3f}",
        f"  MRR        {figures.mrr:.3f}   (target ≥ {TARGET_MRR})",
        f"  first query ({FIRST_QUERY!r}, from focus to results): "
        f"{figures.first_query_bytes / 1024:.1f} KB in {figures.first_query_files} responses "
        f"(target < {TARGET_FIRST_QUERY_BYTES // 1024} KB); "
        f"{figures.first_query_gzip / 1024:.1f} KB gzipped by the server; by kind (KB): "
        + ", ".join(
            f"{kind} {size / 1024:.1f}"
            for kind, size in sorted(figures.first_query_kinds.items(), key=lambda i: -i[1])
        ),
    ]
    by_kind = {}
    for outcome in figures.outcomes:
        by_kind.setdefault(outcome.kind, []).append(outcome.rank == 1)
    lines.append(
        "  by kind: "
        + ", ".join(f"{kind} {sum(ok)}/{len(ok)}" for kind, ok in sorted(by_kind.items()))
    )
    for miss in figures.misses:
        via = f" (via suggestion {miss.suggestion!r})" if miss.suggestion else ""
        lines.append(
            f"  miss [{miss.kind}] {miss.query!r}{via}: rank {miss.rank or '-'}, "
            f"shown {miss.shown[:3]}"
        )
    return "\n".join(lines)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.parse_args()
    from helpers import build  # noqa: PLC0415
    from playwright.sync_api import sync_playwright  # noqa: PLC0415

    with tempfile.TemporaryDirectory() as work:
        output = Path(work) / "output"
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        code, log = build(
            ROOT / "content", output, SITEURL=base, SITE_URL_ABSOLUTE=base, FEED_DOMAIN=base
        )
        if code != 0:
            print(log)
            return 1
        server = ThreadingHTTPServer(
            ("127.0.0.1", port), partial(QuietHandler, directory=str(output))
        )
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                try:
                    figures = measure(browser, base + "/", load_queries())
                finally:
                    browser.close()
        finally:
            server.shutdown()
            server.server_close()
    print(report(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
