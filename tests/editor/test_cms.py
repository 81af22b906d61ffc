"""The web editor's build side: config.yml generated from the content model and
the movements registry (bulletin.editor.form, .config), backend settings from the
environment (.backend), the admin page (.page, .cms), and the vendored Decap
bundle (pinned, verified, never fetched by the build; optional for a
development build, required for a production one).
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import re
import shutil
import tarfile
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from helpers import FIXTURE_SETTINGS, ROOT, build, copy_fixture_site

from bulletin.build.main import build_site, load_settings
from bulletin.content.model import ARTICLE_KEYS, REQUIRED_ARTICLE_KEYS
from bulletin.content.registry import load_registry
from bulletin.editor import backend, form, page, vendor
from bulletin.editor.config import cms_config, config_yaml

NO_ENV = {key: "" for key in backend.ENVIRONMENT}
ARTICLE_URL = load_settings(str(ROOT / "pelicanconf.py"))["ARTICLE_URL"]
BEFORE_SPLIT = ROOT / "tests" / "fixtures" / "admin" / "config-before-split.json"


def registry(content: Path = ROOT / "content"):
    found, problems = load_registry(
        (content / "movements.toml").read_text(encoding="utf-8"), "movements.toml"
    )
    assert not problems
    return found


def config_for(environ=None, settings=None, site_url="https://bantin.example.gov.vn"):
    values = backend.backend_values(dict(settings or {}), dict(environ or {}))
    return cms_config(registry(), values, site_url, ARTICLE_URL)


# Fields added after the split (issue 16's news desk): the config before the
# split is compared without them.
NEWSDESK_FIELDS = [
    "cover",
    "modified",
    "correction",
    "photo_credit",
    "featured",
    "featured_until",
    "video_poster",
]


def without_newsdesk_fields(config: dict) -> dict:
    for collection in config.get("collections", []):
        names = [field["name"] for field in collection["fields"]]
        assert [n for n in names if n in NEWSDESK_FIELDS] == NEWSDESK_FIELDS
        collection["fields"] = [f for f in collection["fields"] if f["name"] not in NEWSDESK_FIELDS]
    return config


def fields_by_name(config) -> dict[str, dict]:
    (collection,) = [c for c in config["collections"] if c["name"] == "articles"]
    return {field["name"]: field for field in collection["fields"]}


def without_documents(config: dict) -> dict:
    """A built config without the "Văn bản" collection (issue 14, added after
    the split; tests/documents/test_cms_documents.py checks it)."""
    config["collections"] = [c for c in config["collections"] if c["name"] != "documents"]
    return config


# --- the form is the content model -----------------------------------------------
def test_required_fields_are_invoke_checks():
    fields = fields_by_name(config_for()[0])
    required = {name for name, field in fields.items() if field.get("required", True)}
    assert required == set(REQUIRED_ARTICLE_KEYS)


def test_every_field_writes_a_key_of_the_content_model():
    fields = fields_by_name(config_for()[0])
    written = {"status" if name == "draft" else name for name in fields} - {"body"}
    assert written <= set(ARTICLE_KEYS)
    # Everything `invoke new` writes is in the form, in the same order.
    order = [key for key in ARTICLE_KEYS if key in written]
    form = ["status" if name == "draft" else name for name in fields if name != "body"]
    assert form == order
    assert form[:8] == ["title", "date", "author", "movement", "tags", "summary", "slug", "status"]
    assert form[8:] == NEWSDESK_FIELDS


def test_movement_is_a_select_of_the_registry():
    movement = fields_by_name(config_for()[0])["movement"]
    assert movement["widget"] == "select" and movement["multiple"] and movement["min"] == 1
    entries = registry().entries
    assert {o["value"]: o["label"] for o in movement["options"]} == {
        slug: entry.name for slug, entry in entries.items()
    }
    # Vietnamese order: "Đẩy mạnh…" after "Doanh nghiệp…", not after "Xanh…".
    labels = [o["label"] for o in movement["options"]]
    assert labels.index("Đẩy mạnh cải cách hành chính và cải thiện môi trường đầu tư") == (
        labels.index("Doanh nghiệp Việt Nam hội nhập và phát triển") + 1
    )


def test_paths_slugs_and_photos_follow_the_content_model():
    config, _ = config_for()
    (collection,) = config["collections"]
    assert collection["folder"] == "content/articles"
    assert collection["path"] == "{{path_year}}/{{slug}}"
    assert collection["slug"] == "{{fields.slug}}"
    assert collection["media_folder"] == collection["public_folder"] == "anh/{{filename}}"
    assert collection["format"] == "pelican" and collection["extension"] == "md"
    assert collection["delete"] is False
    assert config["slug"] == {
        "encoding": "ascii",
        "clean_accents": True,
        "sanitize_replacement": "-",
    }
    assert config["publish_mode"] == "editorial_workflow"
    assert config["locale"] == "vi"


def test_bylines_and_tags_are_typed_and_the_date_starts_at_now():
    """Decap's list widget trims its value on every keystroke (decap-cms
    #4646): "Hồng Nhung, Minh Đức" typed key by key became
    "HồngNhungMinhĐức". Text fields, split when the file is written."""
    fields = fields_by_name(config_for()[0])
    assert fields["author"]["widget"] == fields["tags"]["widget"] == "string"
    assert "list" not in {field["widget"] for field in fields.values()}
    assert fields["date"]["default"] == "{{now}}"


def test_limits_in_the_form_are_the_checks():
    from bulletin.content.placeholders import PLACEHOLDERS  # noqa: PLC0415
    from bulletin.content.validation import SUMMARY_MAX, TITLE_MAX  # noqa: PLC0415
    from bulletin.content.vietnamese import SLUG_MAX  # noqa: PLC0415

    rules = form.form_rules(registry())
    assert (rules["titleMax"], rules["summaryMax"], rules["slugMax"]) == (
        TITLE_MAX,
        SUMMARY_MAX,
        SLUG_MAX,
    )
    assert rules["required"] == list(REQUIRED_ARTICLE_KEYS)
    assert rules["keys"] == list(ARTICLE_KEYS)
    assert [p["marker"] for p in rules["placeholders"]] == [p.marker for p in PLACEHOLDERS]
    assert set(rules["hints"]) == set(REQUIRED_ARTICLE_KEYS)
    fields = fields_by_name(config_for()[0])
    assert f"{TITLE_MAX} ký tự" in fields["title"]["hint"]
    assert f"{SUMMARY_MAX} ký tự" in fields["summary"]["hint"]
    assert f"{SLUG_MAX} ký tự" in fields["slug"]["hint"]
    assert rules["labels"]["author"] == fields["author"]["label"] == "Tác giả"


def test_view_live_opens_the_article_and_local_mode_speaks_of_no_review():
    config, _ = config_for(NO_ENV)
    (collection,) = config["collections"]
    # "Xem bản hoàn chỉnh": the article's own address (ARTICLE_URL), not the home page.
    assert collection["preview_path"] == (
        ARTICLE_URL.replace("{date:%Y}", "{{year}}").replace("{slug}", "{{filename}}")
    )
    assert "{{year}}" in collection["preview_path"] and "{{filename}}" in collection["preview_path"]
    assert collection["preview_path_date_field"] == "date"
    assert "duyệt" not in collection["description"]
    assert "content/articles/" in collection["description"]
    remote, _ = config_for(
        {"CMS_BACKEND": "gitlab", "CMS_REPO": "a/b", "CMS_BASE_URL": "https://g", "CMS_APP_ID": "1"}
    )
    assert "chờ duyệt" in remote["collections"][0]["description"]


def test_the_agencys_emblem_on_the_login_page(admin):
    _, folder = admin
    config = yaml.safe_load((folder / "config.yml").read_text(encoding="utf-8"))
    assert config["logo"] == {"src": "../theme/img/favicon.svg", "show_in_header": True}
    assert (folder.parent / "theme" / "img" / "favicon.svg").is_file()


@pytest.mark.parametrize(
    ("environ", "url"),
    [
        (NO_ENV, ""),
        (
            {"CMS_BACKEND": "github", "CMS_REPO": "bql/ban-tin"},
            "https://github.com/bql/ban-tin/actions?query=branch%3A{branch}",
        ),
        (
            {
                "CMS_BACKEND": "github",
                "CMS_REPO": "bql/ban-tin",
                "CMS_API_ROOT": "https://git.backan.gov.vn/api/v3",
            },
            "https://git.backan.gov.vn/bql/ban-tin/actions?query=branch%3A{branch}",
        ),
        (
            {
                "CMS_BACKEND": "gitlab",
                "CMS_REPO": "bql/ban-tin",
                "CMS_BASE_URL": "https://gitlab.backan.gov.vn/",
            },
            "https://gitlab.backan.gov.vn/bql/ban-tin/-/pipelines?ref={branch}",
        ),
    ],
)
def test_remote_mode_links_the_ci_runs(environ, url):
    assert backend.ci_url(backend.backend_values({}, environ)) == url


# --- backends ------------------------------------------------------------------------
def test_without_a_backend_only_local_mode_works():
    config, reason = config_for(NO_ENV)
    assert reason == "chưa đặt CMS_BACKEND (github hoặc gitlab)"
    assert config["backend"]["name"] == "proxy"
    assert config["local_backend"] == {}  # decap-server on the page's host, port 8081


def test_github_through_an_oauth_proxy():
    environ = {
        "CMS_BACKEND": "github",
        "CMS_REPO": "bqlkcn/ban-tin",
        "CMS_BASE_URL": "https://oauth.backan.gov.vn/",
    }
    config, reason = config_for(environ)
    assert reason == ""
    backend = config["backend"]
    assert backend["name"] == "github" and backend["repo"] == "bqlkcn/ban-tin"
    assert backend["branch"] == "main"
    assert backend["base_url"] == "https://oauth.backan.gov.vn"
    assert backend["auth_endpoint"] == "auth"
    # GitHub Actions names the repository itself.
    config, reason = config_for({**environ, "CMS_REPO": "", "GITHUB_REPOSITORY": "a/b"})
    assert config["backend"]["repo"] == "a/b" and reason == ""


def test_github_without_a_proxy_is_refused_not_sent_through_netlify():
    config, reason = config_for({"CMS_BACKEND": "github", "CMS_REPO": "a/b"})
    assert "CMS_BASE_URL" in reason
    assert "netlify" not in json.dumps(config).lower()


def test_self_hosted_gitlab_with_pkce():
    environ = {
        "CMS_BACKEND": "gitlab",
        "CMS_REPO": "bqlkcn/ban-tin",
        "CMS_BRANCH": "chinh",
        "CMS_BASE_URL": "https://git.backan.gov.vn",
        "CMS_APP_ID": "abc123",
    }
    config, reason = config_for(environ)
    assert reason == ""
    assert config["backend"] == {
        "name": "gitlab",
        "repo": "bqlkcn/ban-tin",
        "branch": "chinh",
        "auth_type": "pkce",
        "app_id": "abc123",
        "base_url": "https://git.backan.gov.vn",
        "auth_endpoint": "oauth/authorize",
        "api_root": "https://git.backan.gov.vn/api/v4",
        "squash_merges": True,
        "commit_messages": backend.COMMIT_MESSAGES,
    }
    _, reason = config_for({**environ, "CMS_APP_ID": ""})
    assert "CMS_APP_ID" in reason
    # GitLab CI gives the project and the server.
    config, _ = config_for(
        {
            "CMS_BACKEND": "gitlab",
            "CMS_APP_ID": "x",
            "CI_PROJECT_PATH": "g/p",
            "CI_SERVER_URL": "https://git.example",
        }
    )
    assert config["backend"]["repo"] == "g/p"
    assert config["backend"]["api_root"] == "https://git.example/api/v4"


def test_a_setting_wins_over_the_environment():
    values = backend.backend_values(
        {"CMS_LOCAL_BACKEND_URL": "http://127.0.0.1:9/api/v1"},
        {"CMS_LOCAL_BACKEND_URL": "http://elsewhere/api/v1"},
    )
    assert backend.local_backend(values) == {"url": "http://127.0.0.1:9/api/v1"}


def test_yaml_is_what_decap_reads():
    config, _ = config_for()
    text = config_yaml(config)
    assert text.startswith("# Generated by plugins/bulletin/editor/config.py")
    assert yaml.safe_load(text) == config
    assert "\t" not in text
    # YAML 1.2 (Decap) and 1.1 (PyYAML) read a quoted scalar alike: every
    # string but a plain name is double-quoted, so "0o17" stays a string.
    tricky = {"branch": "0o17", "on": "yes", "n": "y", "text": "a: b # c\u2028d", "x": "1e3"}
    dumped = config_yaml(tricky)
    assert yaml.safe_load(dumped) == tricky
    assert '"0o17"' in dumped and '"1e3"' in dumped


def test_the_config_is_what_it_was_before_the_split():
    """The hand-written emitter's config.yml, parsed (captured before the
    split into backend/form/config/page): the same data for every backend."""
    before = json.loads(BEFORE_SPLIT.read_text(encoding="utf-8"))
    for name, case in before["cases"].items():
        values = backend.backend_values({}, {**NO_ENV, **case["environ"]})
        config, reason = cms_config(
            registry(), values, case["site_url"], before["article_url"], logo=case["logo"]
        )
        expected = dict(case["config"])
        expected["collections"] = [before["collections"][kind] for kind in expected["collections"]]
        assert without_newsdesk_fields(yaml.safe_load(config_yaml(config))) == expected, name
        assert reason == case["reason"], name
        assert page.admin_policy(config) == case["policy"], name


def test_the_built_config_is_what_it_was_before_the_split(admin):
    _, folder = admin
    before = json.loads(BEFORE_SPLIT.read_text(encoding="utf-8"))["fixture build"]
    built = yaml.safe_load((folder / "config.yml").read_text(encoding="utf-8"))
    assert without_newsdesk_fields(without_documents(built)) == before["config"]
    soup = BeautifulSoup((folder / "index.html").read_text(encoding="utf-8"), "html.parser")
    policy = soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
    assert policy == before["policy"]
    assert soup.title.string == before["title"]


# --- the built admin page ---------------------------------------------------------------
@pytest.fixture(scope="module")
def admin(tmp_path_factory):
    root = tmp_path_factory.mktemp("admin-site")
    content = copy_fixture_site(root)
    code, report = build(content, root / "output", **NO_ENV)
    assert code == 0, report
    return content, root / "output" / "admin"


def test_the_build_writes_the_admin_page(admin):
    content, folder = admin
    config = yaml.safe_load((folder / "config.yml").read_text(encoding="utf-8"))
    options = fields_by_name(config)["movement"]["options"]
    assert sorted(o["value"] for o in options) == sorted(registry(content).entries)
    soup = BeautifulSoup((folder / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert soup.html["lang"] == "vi"
    assert soup.find("meta", attrs={"name": "robots"})["content"] == "noindex, nofollow"
    settings = json.loads(soup.find(id="bulletin-cms-settings").string)
    assert settings["keys"] == list(ARTICLE_KEYS)
    assert settings["configured"] is False
    scripts = [tag["src"].split("?")[0] for tag in soup.find_all("script", src=True)]
    assert scripts == ["pelican-format.js", "bulletin-rules.js", "bulletin-cms.js"]
    for name in scripts:
        assert (folder / name).read_bytes() == (page.ASSETS / name).read_bytes()
    bundle = folder / settings["decap"]
    assert bundle.is_file() and bundle.stat().st_size > 1_000_000
    # Every lazily loaded chunk is there, no source maps.
    chunks = set(re.findall(rb"\b(\d+)\.decap-cms\.js\b", bundle.read_bytes()))
    names = {p.name for p in bundle.parent.iterdir()}
    assert not [p for p in names if p.endswith(".map")]
    assert len([n for n in names if n.endswith(".decap-cms.js")]) >= 80
    assert chunks <= {n.split(".")[0].encode() for n in names}


def test_nothing_is_loaded_from_elsewhere(admin):
    _, folder = admin
    for name in ("index.html", "config.yml", *page.SCRIPTS):
        text = (folder / name).read_text(encoding="utf-8")
        assert not re.search(r"https?://(?!localhost|127\.0\.0\.1)", text), name


def test_without_the_bundle_a_development_build_writes_a_notice(tmp_path, caplog):
    """A writer who only wants a preview needs no web editor: the build
    succeeds, warns in Vietnamese and /admin/ says what to run."""
    content = copy_fixture_site(tmp_path)
    output = tmp_path / "output"
    with caplog.at_level("WARNING", logger="bulletin.editor.cms"):
        code, report = build(content, output, CMS_VENDOR_DIR=str(tmp_path / "none"), **NO_ENV)
    assert code == 0, report
    (warning,) = [r.getMessage() for r in caplog.records if r.name == "bulletin.editor.cms"]
    assert f"Chưa có Decap CMS {vendor.DECAP_VERSION}" in warning
    assert vendor.SETUP_COMMAND in warning and str(tmp_path / "none") in warning
    admin = output / "admin"
    assert sorted(p.name for p in admin.iterdir()) == ["index.html"]
    notice = BeautifulSoup((admin / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert notice.html["lang"] == "vi"
    assert notice.find("meta", attrs={"name": "robots"})["content"] == "noindex, nofollow"
    assert notice.h1.string == "Trình soạn thảo web chưa được cài trên máy này"
    assert notice.find("code").string == vendor.SETUP_COMMAND == "python3 bootstrap.py cms"
    assert notice.find_all("script") == []  # nothing runs
    policy = notice.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
    assert policy.startswith("default-src 'none'; ")
    assert [link["href"] for link in notice.find_all("link")] == ["../theme/css/site.css"]
    assert (output / "theme" / "css" / "site.css").is_file()
    # The rest of the site is the whole site.
    assert (output / "index.html").is_file() and (output / "tin-tuc").is_dir()


def test_without_the_bundle_a_production_build_fails(tmp_path, monkeypatch):
    content = copy_fixture_site(tmp_path)
    monkeypatch.setenv("SITEURL", "https://bantin.example.gov.vn")
    settings = load_settings(
        str(ROOT / "publishconf.py"),
        PATH=str(content),
        OUTPUT_PATH=str(tmp_path / "output"),
        CMS_VENDOR_DIR=str(tmp_path / "none"),
        CACHE_PATH=str(tmp_path / "cache" / "pelican"),
        SEARCH_CACHE_PATH=str(tmp_path / "cache" / "search"),
        PHOTO_CACHE_PATH=str(tmp_path / "cache" / "photos"),
        BUILD_DIGEST_FILE=str(tmp_path / "cache" / "build-record.json"),
        **FIXTURE_SETTINGS,
        **NO_ENV,
    )
    assert settings["CMS_REQUIRED"] is True
    report = io.StringIO()
    assert build_site(settings, stream=report) == 1
    text = report.getvalue()
    assert f"Thiếu Decap CMS {vendor.DECAP_VERSION}" in text
    assert "python3 bootstrap.py build --production" in text
    assert "Traceback" not in text
    assert not (tmp_path / "output").exists()


def test_vendoring_after_a_build_without_the_bundle_writes_the_editor(tmp_path):
    """The next build after set-up is not "nothing changed": /admin/ gets the editor."""
    if not vendor.is_vendored():
        pytest.skip("Decap is not vendored here (python3 bootstrap.py test does it)")
    content = copy_fixture_site(tmp_path)
    output, vendored = tmp_path / "output", tmp_path / "vendor"
    code, report = build(content, output, CMS_VENDOR_DIR=str(vendored), **NO_ENV)
    assert code == 0, report
    assert not (output / "admin" / "config.yml").exists()
    shutil.copytree(vendor.decap_folder(), vendor.decap_folder(vendored))
    code, report = build(content, output, CMS_VENDOR_DIR=str(vendored), **NO_ENV)
    assert code == 0, report
    assert (output / "admin" / "config.yml").is_file()
    assert (output / "admin" / vendor.BUNDLE_NAME / "decap-cms.js").is_file()


# --- vendoring -------------------------------------------------------------------------
def fake_tarball() -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, data in {
            "package/package.json": b"{}",
            "package/dist/decap-cms.js": b"/* bundle */",
            "package/dist/decap-cms.js.map": b"{}",
            "package/dist/123.decap-cms.js": b"/* chunk */",
            "package/dist/123.cms.js": b"/* other build */",
            "package/dist/0123456789abcdef0123.wasm": b"\0asm",
            "package/../../escape.js": b"evil",
        }.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def integrity(data: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()


def test_the_pins_are_an_npm_integrity_and_its_tarball():
    assert re.fullmatch(r"\d+\.\d+\.\d+", vendor.DECAP_VERSION)
    assert vendor.DECAP_TARBALL == (
        f"https://registry.npmjs.org/decap-cms/-/decap-cms-{vendor.DECAP_VERSION}.tgz"
    )
    assert re.fullmatch(r"sha512-[A-Za-z0-9+/]{86}==", vendor.DECAP_INTEGRITY)


def test_a_tarball_that_does_not_match_the_pin_is_never_unpacked(tmp_path):
    with pytest.raises(vendor.VendorError, match="không khớp mã kiểm tra"):
        vendor.vendor_decap(tmp_path, fetch=lambda url: fake_tarball())
    assert not any(tmp_path.iterdir())


def test_only_the_browser_bundle_is_unpacked(tmp_path, monkeypatch):
    data = fake_tarball()
    monkeypatch.setattr(vendor, "DECAP_INTEGRITY", integrity(data))
    members = vendor.bundle_members(data)
    unpacked = hashlib.sha256()
    for name, content in sorted(members.items()):
        unpacked.update(name.encode() + b"\0" + hashlib.sha256(content).digest())
    monkeypatch.setattr(vendor, "DECAP_FILES_DIGEST", unpacked.hexdigest())
    fetched = []
    folder = vendor.vendor_decap(tmp_path, fetch=lambda url: fetched.append(url) or data)
    assert fetched == [vendor.DECAP_TARBALL]
    assert sorted(p.name for p in folder.iterdir()) == [
        ".vendored.json",
        "0123456789abcdef0123.wasm",
        "123.decap-cms.js",
        "decap-cms.js",
    ]
    assert not (tmp_path.parent / "escape.js").exists()
    assert vendor.is_vendored(tmp_path)
    # Set-up again: nothing is downloaded.
    vendor.vendor_decap(tmp_path, fetch=lambda url: pytest.fail("downloaded twice"))
    # A file changed in place (a poisoned CI cache, a hand edit) is not trusted
    # by the stamp beside it: the files are checked against the pinned digest.
    (folder / "decap-cms.js").write_bytes(b"/* tampered */")
    assert not vendor.is_vendored(tmp_path)
    vendor.vendor_decap(tmp_path, fetch=lambda url: data)
    assert (folder / "decap-cms.js").read_bytes() == b"/* bundle */"


def test_the_vendored_bundle_is_the_pinned_one():
    if not vendor.is_vendored():
        pytest.skip("Decap is not vendored here (python3 bootstrap.py test does it)")
    stamp = json.loads((vendor.decap_folder() / vendor.STAMP).read_text(encoding="utf-8"))
    assert stamp["integrity"] == vendor.DECAP_INTEGRITY
    assert stamp["version"] == vendor.DECAP_VERSION


def test_the_bundle_and_decap_server_are_never_committed():
    ignored = (ROOT / ".gitignore").read_text(encoding="utf-8").split()
    assert "vendor/" in ignored
    assert "tools/decap-server/node_modules/" in ignored
    lock = json.loads((ROOT / "tools" / "decap-server" / "package-lock.json").read_text())
    server = lock["packages"]["node_modules/decap-server"]
    assert server["version"] == "3.11.3" and server["integrity"].startswith("sha512-")
