"""Where the web editor saves: Decap's ``backend`` from settings and the environment.

Pure (no Pelican, no I/O): the values come in as dicts. GitHub goes through
an OAuth proxy the agency runs, a self-hosted GitLab through PKCE; without
either the page works only in local mode (``invoke cms``: decap-server on
this machine) and says why (:func:`backend_config`'s reason).
"""

from __future__ import annotations

from urllib.parse import urlsplit

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


def backend_values(settings, environ) -> dict[str, str]:
    """Every key of :data:`ENVIRONMENT`, as text, from ``settings`` or ``environ``."""
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


def origin(url: str) -> str:
    """``https://gitlab.example.gov.vn/api/v4`` → ``https://gitlab.example.gov.vn``;
    "" for what is not an http(s) address (nothing is added to a policy)."""
    parts = urlsplit(url or "")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return ""
    if any(c in url for c in " ;,'\"\\"):
        return ""
    return f"{parts.scheme}://{parts.netloc.rsplit('@', 1)[-1]}"
