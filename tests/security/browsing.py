"""Helpers of the security tests that open pages in Chromium: a built site
served over local HTTP (with or without the Content-Security-Policy header
docs/http-headers.md asks of the web server), and a tab that records what a
page must never do: open a dialog, throw, or try something its policy blocks.

The ``browser`` fixture (Debian's Chromium through Playwright, skipped when
missing unless ``CI=true``) is the session's one, in tests/conftest.py.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from http.server import ThreadingHTTPServer
from pathlib import Path

from browser.conftest import QuietHandler

# Every Content-Security-Policy violation of the page and its frames, kept
# on the page (a violation fires an event, not an exception).
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    [event.violatedDirective, event.blockedURI, event.sample].join(" ")
  );
});
"""
_CSP_META = re.compile(rb'<meta http-equiv="Content-Security-Policy"[^>]*>\s*')


@contextmanager
def served(folder: Path, header_policy: str = "") -> Iterator[str]:
    """``folder`` at http://127.0.0.1:<free port>/; with ``header_policy``,
    every response carries it as a Content-Security-Policy header."""

    class Handler(QuietHandler):
        def end_headers(self):
            if header_policy:
                self.send_header("Content-Security-Policy", header_policy)
            super().end_headers()

    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(Handler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def without_policy(context) -> None:
    """Pages of ``context`` lose their CSP ``<meta>``: what the page's own
    code does, with no second line of defence."""

    def strip(route):
        response = route.fetch()
        body = response.body()
        if "text/html" in response.headers.get("content-type", ""):
            body = _CSP_META.sub(b"", body)
        route.fulfill(response=response, body=body)

    context.route("**/*", strip)


@dataclass
class Tab:
    """A page, and what it did that it never should."""

    page: object
    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def violations(self) -> list[str]:
        return self.page.evaluate("window.__cspViolations || []")

    def flag(self):
        """``window.xssFlag``: set by the test payloads if they ever run."""
        return self.page.evaluate("typeof window.xssFlag === 'undefined' ? null : window.xssFlag")


def open_tab(context) -> Tab:
    page = context.new_page()
    tab = Tab(page)
    page.add_init_script(RECORD_VIOLATIONS)

    def on_dialog(dialog):
        tab.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.on("pageerror", lambda error: tab.errors.append(str(error)))
    return tab
