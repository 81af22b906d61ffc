"""Text is text in every context: the Content-Security-Policy of every page,
and the one escaper for JSON inside ``<script>``.

Connects:

- ``initialized``: fills the ``CSP_*`` settings' defaults and checks
  ``SAFE_IFRAME_HOSTS`` (a policy cannot be built from a host with spaces or
  quotes in it);
- ``generator_init``: the Jinja global ``content_security_policy``, the
  policies of reader pages for their ``<meta http-equiv>`` (``base.html``,
  ``redirect.html``): ``page`` for every page, ``search`` for the search
  page (the same, plus WebAssembly).

Reader pages run only the theme's own script files (``theme/static/js/``):
no inline script, no inline event handler, no ``eval``; WebAssembly only
for Pagefind's search; styles from the site's stylesheet only, plus the three
``text-align`` values Markdown's tables write as ``style`` attributes (by
hash: ``'unsafe-hashes'`` allows exactly those); frames only from the hosts
of ``SAFE_IFRAME_HOSTS``, the same list the sanitiser lets through.

A ``<meta>`` policy cannot say ``frame-ancestors`` (browsers ignore it
there): :func:`header_policy` is the same policy plus ``frame-ancestors
'none'``, for a web server that can send headers (docs/http-headers.md;
GitHub and GitLab Pages cannot); ``python -m bulletin.site.security`` prints it.
The web editor at ``/admin/`` has its own policy
(:func:`bulletin.editor.cms.admin_policy`): Decap CMS needs ``eval`` and inline styles.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import sys
from collections.abc import Iterable, Mapping

from markupsafe import Markup
from pelican import signals

DEFAULTS = {
    # The live preview (`invoke livereload`) injects one inline script that
    # loads livereload.js; the development build allows it by its hash
    # (pelicanconf.py), the published site never (publishconf.py).
    "CSP_ALLOW_LIVERELOAD": False,
}

# The livereload package's injected snippet (livereload/server.py,
# Server.application, when no separate live port is given), byte for byte:
# CSP allows an inline script by the hash of its text.
# tests/security/test_policy.py breaks if an upgrade changes it.
LIVERELOAD_SCRIPT = (
    "(function(){"
    'var s=document.createElement("script");'
    "var port=(window.location.port || (window.location.protocol == 'https:' ? 443: 80));"
    's.src="//"+window.location.hostname+":"+port'
    '+ "/livereload.js?port=" + port;'
    "document.head.appendChild(s);"
    "})();"
)

# The only inline styles a page carries: Markdown's tables align a column
# with style="text-align: …;", which the sanitiser re-serialises without the
# space and semicolon. Both spellings, by hash; nothing else of a style.
TABLE_ALIGN_STYLES = tuple(
    style
    for side in ("left", "center", "right")
    for style in (f"text-align: {side};", f"text-align:{side}")
)

# A host of SAFE_IFRAME_HOSTS, as the sanitiser compares them (the iframe's
# URL's host name, exactly): letters, digits, hyphens and dots, nothing else.
_LABEL = r"[a-z0-9]([a-z0-9-]*[a-z0-9])?"
_HOST = re.compile(rf"^{_LABEL}(\.{_LABEL})*$")


# --- JSON inside <script> -------------------------------------------------------
_SCRIPT_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}
_SCRIPT_UNSAFE = re.compile("[<>&\u2028\u2029]")


def script_json(data) -> Markup:
    """JSON that is still JSON, and nothing else, inside any ``<script>`` block.

    ``<`` is escaped, so neither ``</script>`` nor ``<!--`` (which, followed by
    ``<script``, makes the HTML parser swallow every following script) can
    appear; ``>`` and ``&`` too, for good measure; U+2028 and U+2029, which
    end a line in JavaScript before ES2019. JSON.parse reads it back exactly.
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return Markup(_SCRIPT_UNSAFE.sub(lambda match: _SCRIPT_ESCAPES[match.group()], text))


# --- Content-Security-Policy ----------------------------------------------------
def source_hash(text: str) -> str:
    """``'sha256-…'``: a source that allows exactly this inline text."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def frame_sources(hosts: Iterable[str]) -> list[str]:
    """``frame-src`` sources of ``SAFE_IFRAME_HOSTS``: HTTPS only, as the
    sanitiser allows; ``'none'`` when the list is empty."""
    sources = []
    for host in hosts:
        name = str(host).strip().lower()
        if not _HOST.match(name):
            raise ValueError(
                f"SAFE_IFRAME_HOSTS: {host!r} is not a host name (e.g. www.youtube-nocookie.com)"
            )
        sources.append(f"https://{name}")
    return sorted(set(sources)) or ["'none'"]


def format_policy(directives: Mapping[str, Iterable[str]]) -> str:
    """``{"default-src": ["'self'"], …}`` → ``"default-src 'self'; …"``."""
    return "; ".join(" ".join([name, *sources]) for name, sources in directives.items())


def reader_directives(settings, webassembly: bool = True) -> dict[str, list[str]]:
    """The policy of reader pages, directive by directive.

    Pagefind runs WebAssembly (``'wasm-unsafe-eval'``) in its worker, which a
    ``<meta>`` policy does not govern and a header does, or in the page itself
    where workers fail: the header allows it everywhere, a page's ``<meta>``
    only on the search page (``webassembly``), the one page that searches.
    """
    scripts = ["'self'", "'wasm-unsafe-eval'"] if webassembly else ["'self'"]
    if settings.get("CSP_ALLOW_LIVERELOAD", DEFAULTS["CSP_ALLOW_LIVERELOAD"]):
        scripts.append(source_hash(LIVERELOAD_SCRIPT))
    return {
        "default-src": ["'self'"],
        "script-src": scripts,
        "style-src": ["'self'", "'unsafe-hashes'", *map(source_hash, TABLE_ALIGN_STYLES)],
        "img-src": ["'self'"],
        "frame-src": frame_sources(settings.get("SAFE_IFRAME_HOSTS", ())),
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
    }


def meta_policy(settings, webassembly: bool = False) -> str:
    """For ``<meta http-equiv="Content-Security-Policy">`` in a page;
    ``webassembly`` for the search page."""
    return format_policy(reader_directives(settings, webassembly))


def header_policy(settings) -> str:
    """For the web server's ``Content-Security-Policy`` header, one for the
    whole site (it also governs Pagefind's worker): the search page's policy
    plus what only a header can say (no framing by other sites)."""
    return format_policy({**reader_directives(settings), "frame-ancestors": ["'none'"]})


# --- Pelican ----------------------------------------------------------------------
def set_defaults(pelican) -> None:
    for key, value in DEFAULTS.items():
        pelican.settings.setdefault(key, value)
    frame_sources(pelican.settings.get("SAFE_IFRAME_HOSTS", ()))  # fails early on a bad host


def add_globals(generator) -> None:
    generator.env.globals["content_security_policy"] = {
        "page": meta_policy(generator.settings),
        "search": meta_policy(generator.settings, webassembly=True),
    }


def register() -> None:
    signals.initialized.connect(set_defaults)
    signals.generator_init.connect(add_globals)


def main(argv: list[str] | None = None) -> None:
    """``python -m bulletin.site.security [pelicanconf.py]``: the header policy of
    the published site, for the web server (docs/http-headers.md)."""
    from pelican.settings import read_settings  # noqa: PLC0415

    args = sys.argv[1:] if argv is None else argv
    settings = read_settings(args[0] if args else "pelicanconf.py")
    print(header_policy({**settings, "CSP_ALLOW_LIVERELOAD": False}))


if __name__ == "__main__":
    main()
