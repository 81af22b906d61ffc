"""The web editor at ``/admin/``: Decap CMS, configured from the content model.

Connects:

- ``initialized``: fills the ``CMS_*`` settings' defaults;
- ``article_writer_finalized``: writes ``admin/config.yml`` (generated from
  ``content/movements.toml`` and :mod:`bulletin.content.model`, so the form
  and ``invoke check`` cannot drift apart), ``admin/index.html``, the
  project's own scripts (``assets/``) and the Decap bundle vendored by
  set-up (:mod:`bulletin.editor.vendor`) — the build never downloads anything.
  The page's settings are JSON in a ``<script>`` block, escaped by
  :func:`bulletin.site.security.script_json`; its Content-Security-Policy is
  :func:`admin_policy`.

The backend (GitHub through an OAuth proxy, or a self-hosted GitLab with
PKCE) comes from environment variables, see :data:`ENVIRONMENT`; without
them the page works only in local mode (``invoke cms``: decap-server on
this machine) and says so on the public site.

Must run after ``bulletin.site.movements`` (it reads ``generator.movement_registry``).
"""

from __future__ import annotations

import hashlib
import html
import json
import logging
import os
import shutil
from pathlib import Path
from urllib.parse import urlsplit

from pelican import signals

from bulletin.content.model import ARTICLE_KEYS, REQUIRED_ARTICLE_KEYS, VIETNAMESE_KEYS
from bulletin.content.placeholders import PLACEHOLDERS
from bulletin.content.validation import SUMMARY_MAX, TITLE_MAX
from bulletin.content.vietnamese import SLUG_MAX, collation_key
from bulletin.editor import vendor
from bulletin.site import security

logger = logging.getLogger(__name__)

ASSETS = Path(__file__).resolve().parent / "assets"
SCRIPTS = ("pelican-format.js", "bulletin-rules.js", "bulletin-cms.js")
STYLES = ("bulletin-cms.css",)
DEFAULTS = {
    "CMS_ENABLED": True,  # False: no /admin/ (a mirror of the site, say)
    "CMS_ADMIN_DIR": "admin",
    "CMS_VENDOR_DIR": str(vendor.VENDOR),
}
# Backend settings: a Pelican setting of the same name wins (tests), else the
# environment variable, else the CI system's own variable, else the default.
ENVIRONMENT = {
    "CMS_BACKEND": ((), ""),  # "github" or "gitlab"; empty: local mode only
    "CMS_REPO": (("GITHUB_REPOSITORY", "CI_PROJECT_PATH"), ""),  # owner/name
    "CMS_BRANCH": ((), "main"),
    "CMS_BASE_URL": (("CI_SERVER_URL",), ""),  # GitHub: OAuth proxy; GitLab: its address
    "CMS_AUTH_ENDPOINT": ((), ""),  # GitHub proxy path ("auth"); GitLab "oauth/authorize"
    "CMS_APP_ID": ((), ""),  # GitLab OAuth application id (PKCE, no secret)
    "CMS_API_ROOT": ((), ""),  # GitLab: <base>/api/v4; GitHub Enterprise: its API
    "CMS_LOCAL_BACKEND_URL": ((), ""),  # decap-server; default: port 8081 of the page's host
}
BACKENDS = ("github", "gitlab")
LOCAL_PORT = 8081  # decap-server's default, which Decap looks for
# Commit messages in the editors' language; {{slug}} is "<year>/<slug>".
COMMIT_MESSAGES = {
    "create": "Bài mới: {{slug}}",
    "update": "Sửa bài: {{slug}}",
    "delete": "Xóa bài: {{slug}}",
    "uploadMedia": "Thêm ảnh {{path}}",
    "deleteMedia": "Xóa ảnh {{path}}",
}


class CMSError(RuntimeError):
    """The admin page cannot be written (the vendored bundle is missing)."""


def set_defaults(pelican) -> None:
    for key, value in DEFAULTS.items():
        pelican.settings.setdefault(key, value)


# --- backend ---------------------------------------------------------------
def backend_values(settings, environ) -> dict[str, str]:
    values = {}
    for key, (fallbacks, default) in ENVIRONMENT.items():
        value = settings.get(key)
        if value is None:
            value = environ.get(key) or next(
                (environ[name] for name in fallbacks if environ.get(name)), ""
            )
        values[key] = str(value).strip() or default
    return values


def backend_config(values: dict[str, str]) -> tuple[dict, str]:
    """Decap's ``backend`` table, and why it is not usable ("" when it is).

    Never falls back on Decap's defaults that would send editors through a
    third party (its GitHub default authenticates through Netlify).
    """
    name = values["CMS_BACKEND"].lower()
    local = {
        "name": "proxy",
        "proxy_url": local_backend_url(values),
        "branch": values["CMS_BRANCH"],
        "commit_messages": dict(COMMIT_MESSAGES),
    }
    if not name:
        return local, "chưa đặt CMS_BACKEND (github hoặc gitlab)"
    if name not in BACKENDS:
        return local, f'CMS_BACKEND="{name}" không hợp lệ: dùng github hoặc gitlab'
    backend = {"name": name, "repo": values["CMS_REPO"], "branch": values["CMS_BRANCH"]}
    missing = [] if values["CMS_REPO"] else ["CMS_REPO"]
    base_url = values["CMS_BASE_URL"].rstrip("/")
    if name == "github":
        if not base_url:
            missing.append("CMS_BASE_URL (máy chủ OAuth cho GitHub)")
        backend["base_url"] = base_url
        backend["auth_endpoint"] = values["CMS_AUTH_ENDPOINT"] or "auth"
        if values["CMS_API_ROOT"]:
            backend["api_root"] = values["CMS_API_ROOT"]
    else:
        if not base_url:
            missing.append("CMS_BASE_URL (địa chỉ GitLab)")
        if not values["CMS_APP_ID"]:
            missing.append("CMS_APP_ID (Application ID của GitLab)")
        backend["auth_type"] = "pkce"
        backend["app_id"] = values["CMS_APP_ID"]
        backend["base_url"] = base_url
        backend["auth_endpoint"] = values["CMS_AUTH_ENDPOINT"] or "oauth/authorize"
        backend["api_root"] = values["CMS_API_ROOT"] or (base_url and f"{base_url}/api/v4")
    backend["squash_merges"] = True
    backend["commit_messages"] = dict(COMMIT_MESSAGES)
    reason = ("thiếu " + ", ".join(missing)) if missing else ""
    return backend, reason


def local_backend_url(values: dict[str, str]) -> str:
    return values["CMS_LOCAL_BACKEND_URL"] or f"http://localhost:{LOCAL_PORT}/api/v1"


def local_backend(values: dict[str, str]) -> dict:
    """Decap asks decap-server only when the page is on localhost/127.0.0.1;
    without a URL, on port 8081 of the page's own host (``invoke cms``)."""
    url = values["CMS_LOCAL_BACKEND_URL"]
    return {"url": url} if url else {}


# --- the collection ----------------------------------------------------------
def movement_options(registry) -> list[dict[str, str]]:
    """Select options: value is the slug, label the name, Vietnamese order."""
    entries = sorted(registry.entries.values(), key=lambda entry: collation_key(entry.name))
    return [{"label": entry.name, "value": entry.slug} for entry in entries]


def article_fields(registry) -> list[dict]:
    """The form, one field per metadata key of the content model."""
    required = set(REQUIRED_ARTICLE_KEYS)
    fields = [
        {
            "name": "title",
            "label": "Tiêu đề",
            "widget": "string",
            "hint": "Viết như tiêu đề báo (chỉ viết hoa chữ đầu và tên riêng); "
            f"nên dưới {TITLE_MAX} ký tự.",
        },
        {
            "name": "date",
            "label": "Ngày giờ đăng",
            # Day-first text and "now" in Vietnam time (bulletin-cms.js); the
            # browser's own date box is month-first in an English Windows.
            "widget": "bulletin-date",
            # A new article starts at "now" (the widget replaces this marker,
            # as Decap's own datetime widget does).
            "default": "{{now}}",
            "hint": "Giờ Việt Nam, ngày/tháng/năm giờ:phút. Ngày giờ trong tương lai là hẹn "
            "giờ: bài tự đăng ở lần dựng trang đầu tiên sau thời điểm đó.",
        },
        {
            "name": "author",
            "label": "Tác giả",
            # Text, split on save (pelican-format.js): Decap's list widget
            # trims its value on every keystroke, so "Hồng Nhung, Minh Đức"
            # typed key by key became "HồngNhungMinhĐức" (decap-cms #4646).
            "widget": "string",
            "hint": "Họ tên tác giả; nhiều tác giả cách nhau bằng dấu phẩy: Hồng Nhung, Minh Đức",
        },
        {
            "name": "movement",
            "label": "Phong trào thi đua",
            "widget": "select",
            "multiple": True,
            "min": 1,
            "options": movement_options(registry),
            "hint": "Chọn một hoặc nhiều phong trào (danh mục: content/movements.toml).",
        },
        {
            "name": "tags",
            "label": "Chủ đề",
            "widget": "string",  # text, split on save, as Author
            "hint": "Cách nhau bằng dấu phẩy: thi đua, khen thưởng",
        },
        {
            "name": "summary",
            "label": "Tóm tắt (sapo)",
            "widget": "text",
            "hint": "Hiện dưới tiêu đề và trong danh sách tin; "
            f"nên dưới {SUMMARY_MAX} ký tự. Để trống: lấy đầu bài viết.",
        },
        {
            "name": "slug",
            "label": "Đường dẫn",
            "widget": "bulletin-slug",
            "hint": "Để trống: tạo từ tiêu đề khi lưu (chữ thường không dấu, nối bằng “-”, "
            f"tối đa {SLUG_MAX} ký tự). Ghi cố định vào bài ở lần lưu đầu tiên: sửa tiêu đề "
            "sau đó không làm đổi địa chỉ bài.",
        },
        {
            "name": "draft",
            # Status: draft. Not the workflow's "Bản nháp" (an unpublished branch):
            # a published file that stays off the site.
            "label": "Ẩn bài (chưa đăng lên trang)",
            "widget": "boolean",
            "default": False,
            "hint": "Bật: bài không xuất hiện ở đâu trên trang, kể cả sau khi xuất bản "
            "(dòng Status: draft). Tắt để đăng.",
        },
        {
            "name": "body",
            "label": "Nội dung",
            # A plain text box with a "Chèn ảnh" button (bulletin-cms.js): both
            # of Decap's Markdown modes are Slate editors, which duplicate words
            # typed with the Windows built-in Vietnamese keyboard (slate #5918).
            # Decap's rich-text editor is one click away ("Soạn thảo trực quan").
            "widget": "bulletin-body",
            "modes": ["rich_text", "raw"],
            "buttons": [
                "bold",
                "italic",
                "link",
                "heading-two",
                "heading-three",
                "quote",
                "bulleted-list",
                "numbered-list",
            ],
            "editor_components": ["image"],
            "sanitize_preview": True,
            "hint": "Mỗi đoạn văn cách nhau một dòng trống. Nút “Chèn ảnh”: chọn hoặc tải "
            "ảnh lên, viết mô tả (bắt buộc) và chú thích hiện dưới ảnh.",
        },
    ]
    for field in fields:
        if field["name"] not in required:
            field["required"] = False
    return fields


DESCRIPTIONS = {
    # A backend: Decap's editorial workflow (a draft is a branch, reviewed).
    "remote": "Tin bài của bản tin. Bài mới được lưu thành bản nháp chờ duyệt; "
    "khi được duyệt (Xuất bản), trang tự dựng lại và đăng bài.",
    # No backend: only `invoke cms` on the editor's own computer, no review.
    "local": "Tin bài của bản tin, soạn trên máy này (invoke cms): Lưu là ghi bài vào thư mục "
    "content/articles/; trang xem trước tự dựng lại. Bài bật “Ẩn bài” không lên trang.",
}


def preview_path(article_url: str) -> str:
    """Decap's ``preview_path`` ("Xem bản hoàn chỉnh" opens the article, not
    the home page) from ``ARTICLE_URL``: the year of the Date field, the file
    name (the pinned slug, which the file is named by)."""
    return article_url.replace("{date:%Y}", "{{year}}").replace("{slug}", "{{filename}}")


def articles_collection(
    registry, local: bool = False, article_url: str = "tin-tuc/{date:%Y}/{slug}/"
) -> dict:
    return {
        "name": "articles",
        "label": "Bài viết",
        "label_singular": "bài",
        "description": DESCRIPTIONS["local" if local else "remote"],
        "preview_path": preview_path(article_url),
        "preview_path_date_field": "date",
        "folder": "content/articles",
        "extension": "md",
        "format": "pelican",
        "create": True,
        # Published URLs never move: an article is withdrawn by a programmer
        # (Status: draft or a redirect), never deleted from the editor.
        "delete": False,
        "identifier_field": "title",
        # Filled by bulletin-cms.js before the first save: the Slug pinned in
        # the file and the year of the article's date (Vietnam time; Decap's
        # {{year}} is the UTC year), so the file is
        # content/articles/<year>/<slug>.md as the content model says.
        "slug": "{{fields.slug}}",
        "path": "{{path_year}}/{{slug}}",
        # Photos beside the article, in anh/<file name>/; a new article has no
        # file name before its first save: Decap then moves its photos there
        # and bulletin-cms.js points the body's photo lines at them.
        "media_folder": "anh/{{filename}}",
        "public_folder": "anh/{{filename}}",
        "summary": "{{title}} — {{date | date('DD/MM/YYYY')}}",
        "sortable_fields": [{"field": "date", "default_sort": "desc"}, "title"],
        "view_groups": [{"label": "Năm", "field": "date", "pattern": r"\d{4}"}],
        "fields": article_fields(registry),
    }


def cms_config(
    registry,
    values: dict[str, str],
    site_url: str,
    article_url: str = "tin-tuc/{date:%Y}/{slug}/",
    logo: str = "",
) -> tuple[dict, str]:
    """The whole of ``config.yml``, and why the remote backend is unusable."""
    backend, reason = backend_config(values)
    config = {
        "backend": backend,
        "local_backend": local_backend(values),
        "publish_mode": "editorial_workflow",
        "locale": "vi",
        "media_folder": "content/articles/anh",
        "public_folder": "anh",
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
        "collections": [articles_collection(registry, bool(reason), article_url)],
    }
    if logo:  # the agency's emblem on the login page and in the header, not Decap's
        config["logo"] = {"src": logo, "show_in_header": True}
    if site_url.startswith(("http://", "https://")):
        config["site_url"] = site_url
        config["display_url"] = site_url
    return config, reason


# What to do about an empty required field, in the form's words (the check's
# own hints speak of lines in a file: bulletin.content.validation.REQUIRED_HINTS).
FORM_HINTS = {
    "title": "viết tiêu đề bài, như tiêu đề báo",
    "date": "bấm “Bây giờ” hoặc viết theo dạng 09/03/2023 14:59 (ngày/tháng/năm giờ:phút)",
    "author": "gõ họ tên tác giả; nhiều người cách nhau bằng dấu phẩy: Hồng Nhung, Minh Đức",
    "movement": "chọn ít nhất một phong trào trong danh sách",
}
# The local server of /admin/ (bulletin.editor.server, `invoke cms`), relative to /admin/.
LOCAL_API = {
    "check": "api/kiem-tra",
    "status": "api/trang-thai",
    "slugs": "api/duong-dan",
    "photo": "api/anh",
}


def form_rules(registry) -> dict:
    """The rules the form applies before saving (bulletin-rules.js), from the
    constants ``invoke check`` uses: one source for both."""
    return {
        "required": list(REQUIRED_ARTICLE_KEYS),
        "labels": {field["name"]: field["label"] for field in article_fields(registry)},
        "hints": dict(FORM_HINTS),
        "titleMax": TITLE_MAX,
        "summaryMax": SUMMARY_MAX,
        "slugMax": SLUG_MAX,
        "keys": list(ARTICLE_KEYS),
        "aliases": dict(VIETNAMESE_KEYS),
        "placeholders": [
            {"marker": p.marker, "label": p.label, "photo": p.photo} for p in PLACEHOLDERS
        ],
    }


def ci_url(values: dict[str, str]) -> str:
    """Where the backend shows the builds of a branch; ``{branch}`` is filled
    in by the page (the editor's draft branch, or the published one)."""
    name, repo = values["CMS_BACKEND"].lower(), values["CMS_REPO"]
    if not repo:
        return ""
    if name == "github":
        api = values["CMS_API_ROOT"]
        host = origin(api) if api and origin(api) != "https://api.github.com" else ""
        return f"{host or 'https://github.com'}/{repo}/actions?query=branch%3A{{branch}}"
    if name == "gitlab" and origin(values["CMS_BASE_URL"]):
        return f"{values['CMS_BASE_URL'].rstrip('/')}/{repo}/-/pipelines?ref={{branch}}"
    return ""


def page_settings(
    registry,
    reason: str,
    site_css: str = "",
    article_url: str = "tin-tuc/{date:%Y}/{slug}/",
    **extra,
) -> dict:
    """What the page's own scripts need: the content model, in JSON.

    ``extra``: ``siteName``, ``ciUrl`` (:func:`ci_url`), ``articlesJson``
    (the site's list of published articles, relative to /admin/).
    """
    return {
        "keys": list(ARTICLE_KEYS),
        "movements": [
            {"slug": entry.slug, "name": entry.name} for entry in registry.entries.values()
        ],
        # Shown under the Slug field: "/tin-tuc/2025/<slug>/".
        "articleUrl": article_url.replace("{date:%Y}", "{year}"),
        "decap": f"decap-cms-{vendor.DECAP_VERSION}/decap-cms.js",
        "siteCss": site_css,
        "configured": not reason,
        "notConfigured": reason,
        "rules": form_rules(registry),
        "localApi": dict(LOCAL_API),
        "siteName": "",
        "ciUrl": "",
        "articlesJson": "",
        "branch": "main",
    } | extra


# --- YAML ----------------------------------------------------------------------
def to_yaml(value, indent: int = 0) -> str:
    """Block-style YAML; strings double-quoted (JSON's escapes are YAML's)."""
    pad = " " * indent
    if isinstance(value, dict):
        if not value:
            return pad + "{}\n"
        out = []
        for key, item in value.items():
            if isinstance(item, dict | list) and item:
                out.append(f"{pad}{key}:\n{to_yaml(item, indent + 2)}")
            else:
                out.append(f"{pad}{key}: {scalar(item)}\n")
        return "".join(out)
    if isinstance(value, list):
        out = []
        for item in value:
            if isinstance(item, dict | list) and item:
                nested = to_yaml(item, indent + 2)
                out.append(f"{pad}- {nested[indent + 2 :]}")
            else:
                out.append(f"{pad}- {scalar(item)}\n")
        return "".join(out)
    return pad + scalar(value) + "\n"


def scalar(value) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return "null"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, dict | list):
        return "{}" if isinstance(value, dict) else "[]"
    return json.dumps(str(value), ensure_ascii=False)


# --- the page ------------------------------------------------------------------
def fingerprint(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:12]


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


def origin(url: str) -> str:
    """``https://gitlab.example.gov.vn/api/v4`` → ``https://gitlab.example.gov.vn``;
    "" for what is not an http(s) address (nothing is added to the policy)."""
    parts = urlsplit(url or "")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return ""
    if any(c in url for c in " ;,'\"\\"):
        return ""
    return f"{parts.scheme}://{parts.netloc.rsplit('@', 1)[-1]}"


def admin_page(settings: dict, versions: dict[str, str], site_name: str, policy: str) -> str:
    scripts = "\n".join(f'<script src="{name}?v={versions[name]}"></script>' for name in SCRIPTS)
    styles = "\n".join(
        f'<link rel="stylesheet" href="{name}?v={versions[name]}">' for name in STYLES
    )
    return f"""<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{html.escape(policy)}">
<meta name="referrer" content="strict-origin-when-cross-origin">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>Soạn bài — {html.escape(site_name)}</title>
{styles}
</head>
<body>
<noscript>Trình soạn thảo cần bật JavaScript.</noscript>
<div id="bulletin-cms-notice" role="status" hidden></div>
<script type="application/json" id="bulletin-cms-settings">{security.script_json(settings)}</script>
{scripts}
</body>
</html>
"""


def vendored_files(vendor_dir: Path) -> list[Path]:
    folder = vendor.decap_folder(vendor_dir)
    if not vendor.is_vendored(vendor_dir):
        raise CMSError(
            f"Thiếu Decap CMS {vendor.DECAP_VERSION} trong {folder} (trình soạn thảo web /admin/) "
            f"— {vendor.SETUP_HINT}"
        )
    return sorted(path for path in folder.iterdir() if not path.name.startswith("."))


def write_admin(generator, writer) -> None:
    settings = generator.settings
    if not settings.get("CMS_ENABLED", True) or settings.get("BULLETIN_CHECK_ONLY"):
        return
    registry = getattr(generator, "movement_registry", None)
    if registry is None:  # the movements plugin reported why
        return
    files = vendored_files(Path(settings["CMS_VENDOR_DIR"]))
    target = Path(generator.output_path) / settings["CMS_ADMIN_DIR"]
    bundle = target / vendor.decap_folder(Path(".")).name
    bundle.mkdir(parents=True, exist_ok=True)
    for path in files:
        shutil.copyfile(path, bundle / path.name)

    values = backend_values(settings, os.environ)
    theme_dir = settings.get("THEME_STATIC_DIR", "theme")
    has_logo = (Path(settings["THEME"]) / "static" / "img" / "favicon.svg").is_file()
    article_url = settings.get("ARTICLE_URL", "")
    config, reason = cms_config(
        registry,
        values,
        settings.get("SITEURL", ""),
        article_url,
        logo=f"../{theme_dir}/img/favicon.svg" if has_logo else "",
    )
    if reason:
        logger.info("Web editor: local mode only (%s)", reason)
    header = (
        "# Generated by plugins/bulletin/editor/cms.py at build time from content/movements.toml\n"
        "# and the content model (bulletin.content.model). Do not edit: change those.\n"
    )
    (target / "config.yml").write_text(header + to_yaml(config), encoding="utf-8")
    versions = {}
    for name in SCRIPTS + STYLES:
        data = (ASSETS / name).read_bytes()
        (target / name).write_bytes(data)
        versions[name] = fingerprint(data)
    # The preview pane wears the site's own stylesheet, when the theme has one
    # (theme/static/css/site.css, published under THEME_STATIC_DIR).
    has_css = (Path(settings["THEME"]) / "static" / "css" / "site.css").is_file()
    site_css = f"../{theme_dir}/css/site.css" if has_css else ""
    articles_json = settings.get("API_ARTICLES_SAVE_AS", "")
    page = page_settings(
        registry,
        reason,
        site_css,
        article_url,
        siteName=settings.get("SITENAME", ""),
        ciUrl=ci_url(values),
        articlesJson=f"../{articles_json}" if articles_json else "",
        branch=values["CMS_BRANCH"],
    )
    index = admin_page(page, versions, settings.get("SITENAME", ""), admin_policy(config))
    (target / "index.html").write_text(index, encoding="utf-8")


def register() -> None:
    signals.initialized.connect(set_defaults)
    signals.article_writer_finalized.connect(write_admin)


# --- the editor's slug port ------------------------------------------------------
# Unicode blocks a Vietnamese title may draw on: Latin (Vietnamese letters,
# Latin-1 and Extended-A/B), punctuation, currency, letterlike symbols and
# arrows, enclosed numbers, CJK and fullwidth punctuation (from Chinese and
# Japanese input methods).
ASCII_RANGES = (
    (0x00A0, 0x0250),
    (0x1E00, 0x1F00),
    (0x2000, 0x2070),
    (0x20A0, 0x20D0),
    (0x2100, 0x2200),
    (0x2460, 0x2500),
    (0x3000, 0x3040),
    (0xFF00, 0xFF65),
)


def ascii_table() -> dict[str, str]:
    """What unidecode (Pelican's slugify) makes of the characters of
    :data:`ASCII_RANGES` that the web editor's slug port
    (``pelican-format.js``: NFKC, "đ" → "d", NFKD, marks removed) would
    otherwise drop, reduced to what the slug keeps (letters, digits, spaces,
    "-"). Embedded in ``pelican-format.js`` as ``ASCII``;
    tests/test_cms_format.py checks it is this table.
    """
    import re  # noqa: PLC0415 - only for the table
    import unicodedata  # noqa: PLC0415

    from unidecode import unidecode  # noqa: PLC0415 - Pelican's dependency

    table = {}
    for start, stop in ASCII_RANGES:
        for point in range(start, stop):
            text = unicodedata.normalize("NFKC", chr(point)).replace("đ", "d").replace("Đ", "D")
            for char in re.sub("[\u0300-\u036f]", "", unicodedata.normalize("NFKD", text)):
                if ord(char) < 128 or char in table:
                    continue
                value = re.sub(r"[^\w\s-]", "", unidecode(char))
                if value:
                    table[char] = value
    return dict(sorted(table.items()))
