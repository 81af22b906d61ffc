"""JSON inside ``<script>`` is JSON and nothing else: a movement whose name
holds ``<!--<script>``, ``</script>`` and U+2028 leaves every script of
``/admin/`` (and the articles' JSON-LD) whole — read back from the built
page with an HTML5 parser (Lexbor, as browsers tokenise), and run in
Chromium under the editor's own Content-Security-Policy.
"""

from __future__ import annotations

import json

import pytest
from helpers import build, copy_fixture_site
from selectolax.lexbor import LexborHTMLParser

from bulletin.content.registry import load_registry
from bulletin.editor import page
from bulletin.editor.backend import ENVIRONMENT, backend_values
from bulletin.editor.config import cms_config
from bulletin.site import security
from security.browsing import open_tab, served

SLUG = "phong-trao-thu"
NAME = "Phong trào <!--<script> thử </script> và\u2028dòng mới & <b>đậm</b> \u2029"
# In TOML's own escapes, so the file holds exactly these characters.
ENTRY = f"\n[{SLUG}]\nname = {json.dumps(NAME)}\nstart = 2024\n"
ARTICLE = "tin-tuc/2024/canh-giac-lua-dao/"  # the fixture's article, put in the movement
NO_ENV = {key: "" for key in ENVIRONMENT}


@pytest.fixture(scope="module")
def hostile_movement(tmp_path_factory):
    """(output folder, the name as the registry reads it)."""
    root = tmp_path_factory.mktemp("hostile-movement")
    content = copy_fixture_site(root)
    registry_file = content / "movements.toml"
    with registry_file.open("a", encoding="utf-8") as handle:
        handle.write(ENTRY)
    article = content / "articles" / "2024" / "tieu-de-co-script.md"
    text = article.read_text(encoding="utf-8")
    article.write_text(
        text.replace("Movement: bac-kan-day-manh-chuyen-doi-so", f"Movement: {SLUG}"),
        encoding="utf-8",
    )
    output = root / "output"
    code, report = build(content, output, **NO_ENV)
    assert code == 0, report
    registry, problems = load_registry(registry_file.read_text(encoding="utf-8"), "m.toml")
    assert not problems
    return output, registry.entries[SLUG].name


def scripts(path) -> list:
    return LexborHTMLParser(path.read_text(encoding="utf-8")).css("script")


def assert_inert(raw: str) -> None:
    for dangerous in ("<!--", "<script", "</", "\u2028", "\u2029"):
        assert dangerous not in raw, dangerous


def test_admin_settings_block_reads_back_and_every_script_is_there(hostile_movement):
    output, name = hostile_movement
    assert "<!--<script>" in name and "</script>" in name
    found = scripts(output / "admin" / "index.html")
    # The settings block, then the two scripts: none swallowed by the other.
    assert [tag.attributes.get("src", "").split("?")[0] for tag in found] == [
        "",
        *page.SCRIPTS,
    ]
    block = found[0]
    assert block.attributes == {"type": "application/json", "id": "bulletin-cms-settings"}
    raw = block.text()
    assert_inert(raw)
    settings = json.loads(raw)
    assert {"slug": SLUG, "name": name} in settings["movements"]


def test_article_json_ld_reads_back(hostile_movement):
    output, name = hostile_movement
    found = scripts(output / ARTICLE / "index.html")
    data = [tag for tag in found if tag.attributes.get("type") == "application/ld+json"]
    # The article's NewsArticle, then the agency's (bulletin.site.identity).
    assert len(data) == 2 and "GovernmentOrganization" in data[1].text()
    assert_inert(data[1].text())
    assert_inert(data[0].text())
    assert name in json.loads(data[0].text())["articleSection"]
    # The page's own script is still a script after it.
    assert [tag.attributes.get("src", "") for tag in found][-1].endswith("/js/article.js")


@pytest.mark.parametrize("text", [NAME, "</script><script>alert(1)</script>", "a\u2028b\u2029c&<>"])
def test_script_json_is_inert_and_exact(text):
    raw = str(security.script_json({"name": text, "list": [text]}))
    assert_inert(raw)
    assert json.loads(raw) == {"name": text, "list": [text]}


def test_the_admin_page_escapes_what_the_registry_would_let_through():
    """U+2028 is cleaned from movements.toml on reading; the page escapes it
    all the same (one escaper for every JSON in a script)."""
    html = page.render_page(
        {"movements": [{"name": NAME}]}, {n: "1" for n in page.SCRIPTS + page.STYLES}, "", ""
    )
    raw = LexborHTMLParser(html).css_first("#bulletin-cms-settings").text()
    assert_inert(raw)
    assert json.loads(raw) == {"movements": [{"name": NAME}]}


@pytest.mark.browser
def test_the_editor_starts_under_its_policy(browser, hostile_movement):
    """On 127.0.0.1 (local mode, no decap-server needed to start): the page's
    scripts ran, read the settings, loaded Decap, and Decap drew its login
    screen — with no script error and no blocked request or style."""
    output, name = hostile_movement
    with served(output) as url:
        context = browser.new_context(locale="vi-VN")
        tab = open_tab(context)
        tab.page.goto(url + "admin/")
        tab.page.get_by_role("button", name="Đăng nhập").wait_for(timeout=20_000)
        movements = tab.page.evaluate("window.BulletinCMS.settings.movements")
        assert {"slug": SLUG, "name": name} in movements
        assert tab.page.evaluate("typeof window.CMS") == "object"
        assert tab.errors == [] and tab.dialogs == []
        assert tab.violations() == []
        policy = tab.page.get_attribute("meta[http-equiv=Content-Security-Policy]", "content")
        assert "script-src 'self' 'unsafe-eval';" in policy
        context.close()


def directives(policy: str) -> dict[str, list[str]]:
    return {name: sources for name, *sources in (part.split() for part in policy.split("; "))}


@pytest.mark.parametrize(
    ("environ", "connect"),
    [
        ({}, ["'self'", "blob:", "http://localhost:8081", "http://127.0.0.1:8081"]),
        (
            {"CMS_BACKEND": "github", "CMS_REPO": "so/bantin", "CMS_BASE_URL": "https://oauth.x.vn"},
            ["https://api.github.com", "https://www.githubstatus.com"],
        ),
        (
            {"CMS_BACKEND": "gitlab", "CMS_REPO": "so/bantin", "CMS_APP_ID": "abc",
             "CMS_BASE_URL": "https://git.backan.gov.vn/"},
            ["https://git.backan.gov.vn"],
        ),
        (
            # A backend address cannot add sources or directives to the policy.
            {"CMS_BACKEND": "gitlab", "CMS_REPO": "so/bantin", "CMS_APP_ID": "abc",
             "CMS_BASE_URL": "https://git.vn; script-src *"},
            ["'self'", "blob:", "http://localhost:8081", "http://127.0.0.1:8081"],
        ),
    ],
)  # fmt: skip
def test_the_editor_talks_only_to_the_site_and_its_backend(environ, connect):
    values = backend_values({}, environ)
    config, _ = cms_config(
        load_registry("", "m.toml")[0], values, "https://bantin.vn", "tin-tuc/{date:%Y}/{slug}/"
    )
    policy = directives(page.admin_policy(config))
    assert policy["script-src"] == ["'self'", "'unsafe-eval'"]
    assert policy["object-src"] == ["'none'"] and policy["base-uri"] == ["'self'"]
    base = ["'self'", "blob:", "http://localhost:8081", "http://127.0.0.1:8081"]
    assert sorted(policy["connect-src"]) == sorted(set(base + connect))
    assert len(policy) == 9
