"""The Content-Security-Policy of reader pages (bulletin.site.security).

Every page of the built sample site carries it, first in ``<head>``, and
runs no inline script (JSON-LD is data and stays inline, escaped); the
policy is built from the settings (frames from ``SAFE_IFRAME_HOSTS``); the
docs' web-server snippets say the same policy; the live preview's one
injected script is allowed by hash in development only, and still works.
"""

from __future__ import annotations

import ast
import inspect
import json
import re
import shutil
import socket
import subprocess
import sys
import textwrap
import time

import pytest
from bs4 import BeautifulSoup
from helpers import ROOT, build

from bulletin.build.main import load_settings
from bulletin.site import security
from security.browsing import open_tab

POLICY_META = {"http-equiv": "Content-Security-Policy"}
RENAMED = "tin-tuc/2023/ten-cu-cua-bai/"  # a redirect page, written from Redirect_from
SEARCH_PAGE = "tim-kiem/index.html"


@pytest.fixture(scope="module")
def sample_site(tmp_path_factory):
    """The sample site, one article with an old address: (output, settings)."""
    root = tmp_path_factory.mktemp("csp-sample")
    content = root / "content"
    shutil.copytree(ROOT / "content", content)
    article = content / "articles" / "2023" / "phat-dong-phong-trao-thi-dua-nam-2023.md"
    text = article.read_text(encoding="utf-8")
    article.write_text(text.replace("\n\n", f"\nRedirect_from: /{RENAMED}\n\n", 1), "utf-8")
    output = root / "output"
    code, report = build(content, output)
    assert code == 0, report
    return output, load_settings(str(ROOT / "pelicanconf.py"), PATH=str(content))


def reader_pages(output):
    pages = sorted(p for p in output.rglob("*.html") if p.relative_to(output).parts[0] != "admin")
    assert len(pages) > 40 and output / RENAMED / "index.html" in pages
    return pages


def test_every_reader_page_has_the_policy_first_and_no_inline_script(sample_site):
    output, settings = sample_site
    for path in reader_pages(output):
        name = str(path.relative_to(output))
        # WebAssembly (Pagefind) only where the reader searches.
        expected = security.meta_policy(settings, webassembly=name == SEARCH_PAGE)
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        head = [tag for tag in soup.head.children if tag.name]
        # Before anything it could govern: right after the character set.
        assert head[0].get("charset") == "utf-8", name
        assert head[1].attrs == {**POLICY_META, "content": expected}, name
        assert head[2].attrs == {"name": "referrer", "content": "strict-origin-when-cross-origin"}
        for script in soup.find_all("script"):
            if script.get("type") == "application/ld+json":
                assert "<" not in script.string and json.loads(script.string), name
            else:
                assert script.get("src") and not script.string, (name, script)
                assert re.search(r"/theme/js/[a-z-]+\.js$", script["src"]), (name, script)
        assert not soup.find("style"), name
        for tag in soup.find_all(True):
            handlers = [a for a in tag.attrs if a.lower().startswith("on")]
            assert not handlers, (name, tag.name, handlers)
            style = tag.get("style")
            assert style is None or style in security.TABLE_ALIGN_STYLES, (name, tag)
            assert not str(tag.get("href", "")).lower().startswith("javascript:"), (name, tag)


def test_the_policy(sample_site):
    _, settings = sample_site
    directives = security.reader_directives(settings)
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"][:2] == ["'self'", "'wasm-unsafe-eval'"]
    assert "wasm" not in security.meta_policy(settings)
    assert "'wasm-unsafe-eval'" in security.meta_policy(settings, webassembly=True)
    assert not {"'unsafe-inline'", "'unsafe-eval'"} & set(directives["script-src"])
    assert "'unsafe-inline'" not in directives["style-src"]
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == directives["form-action"] == ["'self'"]
    assert directives["frame-src"] == sorted(
        f"https://{host}" for host in settings["SAFE_IFRAME_HOSTS"]
    )
    # A <meta> policy cannot say frame-ancestors (browsers ignore it, and
    # warn); the header does.
    assert "frame-ancestors" not in security.meta_policy(settings)
    # One header for the whole site: it also governs Pagefind's worker.
    assert security.header_policy(settings) == (
        security.meta_policy(settings, webassembly=True) + "; frame-ancestors 'none'"
    )


@pytest.mark.parametrize(
    ("hosts", "sources"),
    [
        ([], ["'none'"]),
        (["www.youtube-nocookie.com"], ["https://www.youtube-nocookie.com"]),
        (["WWW.YouTube.com", "www.youtube.com"], ["https://www.youtube.com"]),
    ],
)
def test_frames_come_from_safe_iframe_hosts(hosts, sources):
    assert security.frame_sources(hosts) == sources
    policy = security.meta_policy({"SAFE_IFRAME_HOSTS": hosts})
    assert f"frame-src {' '.join(sources)};" in policy


@pytest.mark.parametrize(
    "host", ["x; script-src *", "https://www.youtube.com", "'self'", "*", "a b", "*.example.com"]
)
def test_a_host_that_would_change_the_policy_is_refused(host):
    with pytest.raises(ValueError, match="SAFE_IFRAME_HOSTS"):
        security.frame_sources([host])


def test_publishing_never_allows_the_live_preview(monkeypatch):
    monkeypatch.setenv("SITEURL", "https://bantin.example.gov.vn")
    settings = load_settings(str(ROOT / "publishconf.py"))
    assert settings["CSP_ALLOW_LIVERELOAD"] is False
    assert "sha256" not in " ".join(security.reader_directives(settings)["script-src"])
    development = load_settings(str(ROOT / "pelicanconf.py"))
    assert security.source_hash(security.LIVERELOAD_SCRIPT) in security.meta_policy(development)


def test_the_docs_give_the_server_the_same_policy():
    """docs/http-headers.md: the header policy of the published site, as
    publishconf.py builds it, in the nginx and the Apache snippet."""
    settings = load_settings(str(ROOT / "pelicanconf.py"), CSP_ALLOW_LIVERELOAD=False)
    policy = security.header_policy(settings)
    docs = (ROOT / "docs" / "http-headers.md").read_text(encoding="utf-8")
    assert f'add_header Content-Security-Policy "{policy}" always;' in docs
    assert f'Header always set Content-Security-Policy "{policy}"' in docs
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "docs/http-headers.md" in readme


def livereload_snippet() -> str:
    """The script livereload injects into every page it serves (no separate
    live port), read from the installed package's source."""
    from livereload.server import Server  # noqa: PLC0415

    tree = ast.parse(textwrap.dedent(inspect.getsource(Server.application)))
    template = port = None
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "live_script":
            if isinstance(node.value, ast.Constant):
                template = node.value.value
            elif isinstance(node.value.args[0].right, ast.Constant):
                port = node.value.args[0].right.value
    assert template and port, "livereload's injected script moved: see bulletin.site.security"
    script = template % port
    return script.removeprefix('<script type="text/javascript">').removesuffix("</script>")


def test_the_livereload_hash_is_of_the_installed_livereload():
    assert livereload_snippet() == security.LIVERELOAD_SCRIPT


@pytest.mark.browser
def test_the_live_preview_still_reloads_under_the_policy(browser, sample_site, tmp_path):
    """livereload (as `invoke livereload` serves the development build):
    its injected script runs, livereload.js loads and connects."""
    output, _ = sample_site
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    code = (
        "from livereload import Server; "
        f"Server().serve(root={str(output)!r}, port={port}, host='127.0.0.1')"
    )
    server = subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, "no livereload"
                time.sleep(0.1)
        context = browser.new_context()
        tab = open_tab(context)
        tab.page.goto(f"http://127.0.0.1:{port}/gioi-thieu/")
        tab.page.wait_for_function("() => typeof window.LiveReload === 'object'", timeout=10_000)
        assert tab.violations() == [] and tab.errors == []
        context.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
