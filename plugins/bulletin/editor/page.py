"""The ``/admin/`` page: its settings for the page's own scripts, its policy, its HTML.

Pure (no Pelican; reads only its own template): :func:`page_settings` is the
JSON the scripts in ``assets/`` read, :func:`admin_policy` the page's
Content-Security-Policy, :func:`render_page` the HTML from
``templates/admin.html`` with Jinja's autoescaping — the JSON block is the one
value printed as it is, escaped for ``<script>`` by
:func:`bulletin.site.security.script_json`. Without the vendored Decap bundle
the same template says how to get it (:func:`render_notice`).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from bulletin.content.model import ARTICLE_KEYS
from bulletin.editor import vendor
from bulletin.editor.backend import LOCAL_PORT, origin
from bulletin.editor.form import form_rules
from bulletin.site import security

ASSETS = Path(__file__).resolve().parent / "assets"
TEMPLATES = Path(__file__).resolve().parent / "templates"
SCRIPTS = ("pelican-format.js", "bulletin-rules.js", "bulletin-cms.js")
STYLES = ("bulletin-cms.css",)
# The local server of /admin/ (bulletin.editor.server, `invoke cms`), relative to /admin/.
LOCAL_API = {
    "check": "api/kiem-tra",
    "status": "api/trang-thai",
    "slugs": "api/duong-dan",
    "photo": "api/anh",
}
# The notice runs nothing and loads nothing but the site's stylesheet.
NOTICE_POLICY = {
    "default-src": ["'none'"],
    "style-src": ["'self'"],
    "base-uri": ["'self'"],
    "form-action": ["'none'"],
}


def page_settings(registry, reason: str, site_css: str, article_url: str, **extra) -> dict:
    """What the page's own scripts need: the content model, in JSON.

    ``reason``: why the remote backend is unusable ("" when it is);
    ``site_css``: the site's stylesheet for the preview, relative to /admin/
    ("" for none); ``article_url``: ``ARTICLE_URL``. ``extra``: ``siteName``,
    ``ciUrl`` (:func:`bulletin.editor.backend.ci_url`), ``articlesJson`` (the
    site's list of published articles, relative to /admin/), ``branch``,
    ``documentFormat``, ``documentRules`` and ``documentsJson`` (the "Văn bản"
    collection: :mod:`bulletin.editor.documents`).
    """
    return {
        "keys": list(ARTICLE_KEYS),
        "movements": [
            {"slug": entry.slug, "name": entry.name} for entry in registry.entries.values()
        ],
        # Shown under the Slug field: "/tin-tuc/2025/<slug>/".
        "articleUrl": article_url.replace("{date:%Y}", "{year}"),
        "decap": f"{vendor.BUNDLE_NAME}/decap-cms.js",
        "siteCss": site_css,
        "configured": not reason,
        "notConfigured": reason,
        "rules": form_rules(registry),
        "localApi": dict(LOCAL_API),
        "siteName": "",
        "ciUrl": "",
        "articlesJson": "",
        "branch": "main",
        # The register's header for pelican-format.js (bulletin.editor.documents)
        # and its published list (api/documents.json, relative to /admin/).
        "documentFormat": None,
        "documentRules": None,
        "documentsJson": "",
    } | extra


def admin_policy(config: dict) -> str:
    """The Content-Security-Policy of ``/admin/``, from Decap's own config.

    Stricter than nothing, looser than a reader page, because Decap 3.16
    needs it (measured in Chromium, tests/security/test_admin_page.py):
    ``'unsafe-eval'`` (Ajv compiles the schema that checks config.yml with
    ``new Function``: without it the editor never starts) and inline styles
    (Emotion writes every component's CSS into ``<style>`` elements; our
    preview adds one too). Scripts still come only from this site: no inline
    script runs. Requests go only to this site and the backend's servers:
    the local decap-server, the GitHub API (and its status page, which Decap
    polls) or the agency's GitLab. Logging in opens the OAuth proxy or GitLab
    in a window or a redirect, which connect-src does not govern.
    """
    backend = config["backend"]
    # A photo chosen but not yet committed is a blob: URL: shown, then read
    # back with fetch() when the article is saved.
    connect = ["'self'", "blob:"]
    images = ["'self'", "data:", "blob:"]
    if backend["name"] == "proxy":
        connect.append(origin(backend["proxy_url"]))
    local = config.get("local_backend")
    if local is not None:
        # Decap asks decap-server on port 8081 of the page's own host when
        # local_backend has no url.
        connect += (
            [origin(local["url"])]
            if local.get("url")
            else [f"http://{host}:{LOCAL_PORT}" for host in ("localhost", "127.0.0.1")]
        )
    if backend["name"] == "github":
        connect += [origin(backend.get("api_root") or "https://api.github.com")]
        connect.append("https://www.githubstatus.com")
        images.append("https://avatars.githubusercontent.com")
    elif backend["name"] == "gitlab":
        # The API, and the PKCE token exchange on GitLab itself.
        connect += [origin(backend["api_root"]), origin(backend["base_url"])]
        images += [origin(backend["base_url"]), "https://secure.gravatar.com"]
    return security.format_policy(
        {
            "default-src": ["'self'"],
            "script-src": ["'self'", "'unsafe-eval'"],
            "style-src": ["'self'", "'unsafe-inline'"],
            "img-src": list(dict.fromkeys(source for source in images if source)),
            "connect-src": list(dict.fromkeys(source for source in connect if source)),
            # The preview pane is an about:blank frame, never a network one.
            "frame-src": ["'self'"],
            "object-src": ["'none'"],
            "base-uri": ["'self'"],
            "form-action": ["'self'"],
        }
    )


def fingerprint(data: bytes) -> str:
    """A file's version in its address (``?v=``): a new script is never a cached old one."""
    return hashlib.sha256(data).hexdigest()[:12]


_ENVIRONMENT = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=True,
    undefined=StrictUndefined,
    keep_trailing_newline=True,
)


def _render(**values) -> str:
    return _ENVIRONMENT.get_template("admin.html").render(**values)


def render_page(settings: dict, versions: dict[str, str], site_name: str, policy: str) -> str:
    """``/admin/index.html``: Decap and the project's scripts, with their settings.

    ``versions``: :func:`fingerprint` of each file of :data:`SCRIPTS` and
    :data:`STYLES`.
    """
    return _render(
        policy=policy,
        site_name=site_name,
        styles=[f"{name}?v={versions[name]}" for name in STYLES],
        scripts=[f"{name}?v={versions[name]}" for name in SCRIPTS],
        settings=security.script_json(settings),
        notice=None,
    )


def render_notice(site_name: str, site_css: str, command: str) -> str:
    """``/admin/index.html`` of a build without the Decap bundle: what to run."""
    return _render(
        policy=security.format_policy(NOTICE_POLICY),
        site_name=site_name,
        styles=[site_css] if site_css else [],
        scripts=[],
        settings="",
        notice={"command": command, "bundle": vendor.BUNDLE_NAME},
    )
