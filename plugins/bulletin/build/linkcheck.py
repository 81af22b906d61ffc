"""Offline check of a built site's internal links and images.

Reads every HTML file of an output folder, resolves each ``href``, ``src``
and ``srcset`` URL against the page's own address, maps URLs of the site
(relative, root-relative, or absolute under ``SITEURL``) to files, and lists
the ones that do not exist. External links are not followed: the check runs
in CI with no network, on the very files about to be published.

``python -m bulletin.build.linkcheck output [--siteurl https://…]``
"""

from __future__ import annotations

import argparse
import os
import sys
from html.parser import HTMLParser
from urllib.parse import unquote, urljoin, urlparse

URL_ATTRIBUTES = {"href", "src"}
LOCAL_HOST = "site.invalid"  # stands for "this site" while resolving URLs


class _Links(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "link" and values.get("rel") not in (
            "stylesheet",
            "icon",
            "alternate",
            "prev",
            "next",
        ):
            return  # canonical and the like point at the public address
        if tag == "meta":
            return
        for name, value in attrs:
            if value and name in URL_ATTRIBUTES:
                self.urls.append(value)
            elif value and name == "srcset":
                self.urls.extend(
                    part.strip().split(" ")[0] for part in value.split(",") if part.strip()
                )


def page_url(output: str, path: str) -> str:
    relative = os.path.relpath(path, output).replace(os.sep, "/")
    return f"http://{LOCAL_HOST}/{relative}"


def target_file(output: str, url: str) -> str | None:
    """The file a site URL points at, or None for URLs outside the site."""
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or parsed.hostname != LOCAL_HOST:
        return None
    path = unquote(parsed.path).lstrip("/")
    candidate = os.path.join(output, *path.split("/"))
    if path == "" or path.endswith("/"):
        candidate = os.path.join(candidate, "index.html")
    return candidate


def broken_links(output: str, siteurl: str = "") -> list[tuple[str, str]]:
    """(page, URL) pairs whose target is missing, in a stable order."""
    output = os.path.abspath(output)
    base = siteurl.rstrip("/") + "/" if siteurl else None
    broken = []
    for folder, _dirs, files in sorted(os.walk(output)):
        for name in sorted(files):
            if not name.endswith(".html"):
                continue
            path = os.path.join(folder, name)
            parser = _Links()
            with open(path, encoding="utf-8") as handle:
                parser.feed(handle.read())
            here = page_url(output, path)
            for url in parser.urls:
                if url.startswith(("mailto:", "tel:", "#", "javascript:", "data:")):
                    continue
                local = url
                if base and url.startswith(base):
                    local = f"http://{LOCAL_HOST}/" + url[len(base) :]
                resolved = urljoin(here, local)
                target = target_file(output, resolved)
                if target is not None and not os.path.isfile(target):
                    broken.append((os.path.relpath(path, output), url))
    return broken


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Kiểm tra liên kết nội bộ của trang đã dựng.")
    parser.add_argument("output", nargs="?", default="output")
    parser.add_argument("--siteurl", default=os.environ.get("SITEURL", ""))
    args = parser.parse_args(argv)
    if not os.path.isfile(os.path.join(args.output, "index.html")):
        print(f"Không có trang đã dựng trong {args.output}/ (chạy invoke build trước).")
        return 2
    broken = broken_links(args.output, args.siteurl)
    for page, url in broken:
        print(f"{page}: liên kết hỏng {url}")
    print(f"{len(broken)} liên kết hỏng.")
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
