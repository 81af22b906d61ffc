"""The web editor at ``/admin/``: Decap CMS, configured from the content model.

Connects:

- ``initialized``: fills the ``CMS_*`` settings' defaults;
- ``article_writer_finalized``: writes into ``<output>/<CMS_ADMIN_DIR>/``
  ``config.yml`` (:mod:`bulletin.editor.config`: the backend, the articles
  collection and its form, from ``content/movements.toml`` and the content
  model, so the form and ``invoke check`` cannot drift apart; the "Văn bản"
  collection from the register's model, :mod:`bulletin.editor.documents`),
  ``index.html`` (:mod:`bulletin.editor.page`), the project's own scripts
  (``assets/``) and the Decap bundle vendored by set-up
  (:mod:`bulletin.editor.vendor`) — the build never downloads anything.

Without the bundle, a development build warns and writes at ``/admin/`` a
page saying how to get it (a writer who only wants a preview needs no web
editor); a build with ``CMS_REQUIRED`` (``publishconf.py``) fails instead,
so a published site always has its editor.

The backend (GitHub through an OAuth proxy, or a self-hosted GitLab with
PKCE) comes from environment variables (:data:`bulletin.editor.backend.ENVIRONMENT`);
without them the page works only in local mode (``invoke cms``).

Must run after ``bulletin.site.movements`` (it reads ``generator.movement_registry``).
"""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path

from pelican import signals

from bulletin.build.state import state_of
from bulletin.documents.model import known_types
from bulletin.editor import vendor
from bulletin.editor.backend import backend_values, ci_url
from bulletin.editor.config import cms_config, config_yaml
from bulletin.editor.documents import document_format, document_rules
from bulletin.editor.page import (
    ASSETS,
    SCRIPTS,
    STYLES,
    admin_policy,
    fingerprint,
    page_settings,
    render_notice,
    render_page,
)

logger = logging.getLogger(__name__)

DEFAULTS = {
    "CMS_ENABLED": True,  # False: no /admin/ (a mirror of the site, say)
    "CMS_ADMIN_DIR": "admin",
    "CMS_VENDOR_DIR": str(vendor.VENDOR),
    # True (publishconf.py): a build without the Decap bundle fails instead
    # of writing a notice at /admin/.
    "CMS_REQUIRED": False,
}


class CMSError(RuntimeError):
    """The admin page cannot be written (the vendored bundle is missing)."""


def set_defaults(pelican) -> None:
    for key, value in DEFAULTS.items():
        pelican.settings.setdefault(key, value)


def missing_bundle(folder: Path, required: bool) -> str:
    """What to say when ``folder`` has no verified bundle, in Vietnamese."""
    if required:
        return (
            f"Thiếu Decap CMS {vendor.DECAP_VERSION} trong {folder}: bản xuất bản phải có trình "
            "soạn thảo web /admin/. Chạy lệnh qua bootstrap.py, ví dụ python3 bootstrap.py build "
            "--production: lệnh tải nó một lần (cần mạng) rồi mới dựng trang."
        )
    return (
        f"Chưa có Decap CMS {vendor.DECAP_VERSION} trong {folder}: /admin/ chỉ có trang hướng "
        "dẫn, trang web vẫn dựng đầy đủ. Để có trình soạn thảo web, chạy "
        f"{vendor.SETUP_COMMAND} (tải một lần, cần mạng)."
    )


def write_admin(generator, writer) -> None:
    settings = generator.settings
    if not settings.get("CMS_ENABLED", True) or state_of(settings).check_only:
        return
    registry = getattr(generator, "movement_registry", None)
    if registry is None:  # the movements plugin reported why
        return
    target = Path(generator.output_path) / settings["CMS_ADMIN_DIR"]
    theme_dir = settings.get("THEME_STATIC_DIR", "theme")
    theme_static = Path(settings["THEME"]) / "static"
    # The preview pane (and the notice) wear the site's own stylesheet, when
    # the theme has one (theme/static/css/site.css, published under THEME_STATIC_DIR).
    has_css = (theme_static / "css" / "site.css").is_file()
    site_css = f"../{theme_dir}/css/site.css" if has_css else ""
    site_name = settings.get("SITENAME", "")
    vendor_dir = Path(settings["CMS_VENDOR_DIR"])
    if not vendor.is_vendored(vendor_dir):
        message = missing_bundle(vendor.decap_folder(vendor_dir), settings.get("CMS_REQUIRED"))
        if settings.get("CMS_REQUIRED"):
            raise CMSError(message)
        logger.warning("%s", message)
        target.mkdir(parents=True, exist_ok=True)
        notice = render_notice(site_name, site_css, vendor.SETUP_COMMAND)
        (target / "index.html").write_text(notice, encoding="utf-8")
        return
    copy_bundle(vendor.decap_folder(vendor_dir), target / vendor.BUNDLE_NAME)

    values = backend_values(settings, os.environ)
    has_logo = (theme_static / "img" / "favicon.svg").is_file()
    article_url = settings["ARTICLE_URL"]
    # The register's collection, when the site has the documents plugin.
    documents = None
    if settings.get("DOCUMENT_PATHS"):
        documents = {
            "types": known_types(settings.get("DOCUMENT_EXTRA_TYPES", ())),
            "issuer": settings.get("SITE_ORGANIZATION", ""),
        }
    config, reason = cms_config(
        registry,
        values,
        settings.get("SITEURL", ""),
        article_url,
        logo=f"../{theme_dir}/img/favicon.svg" if has_logo else "",
        documents=documents,
    )
    if reason:
        logger.info("Web editor: local mode only (%s)", reason)
    (target / "config.yml").write_text(config_yaml(config), encoding="utf-8")
    versions = {}
    for name in SCRIPTS + STYLES:
        data = (ASSETS / name).read_bytes()
        (target / name).write_bytes(data)
        versions[name] = fingerprint(data)
    articles_json = settings.get("API_ARTICLES_SAVE_AS", "")
    documents_json = settings.get("API_DOCUMENTS_SAVE_AS", "")
    page = page_settings(
        registry,
        reason,
        site_css,
        article_url,
        siteName=site_name,
        ciUrl=ci_url(values),
        articlesJson=f"../{articles_json}" if articles_json else "",
        branch=values["CMS_BRANCH"],
        documentFormat=document_format() if documents else None,
        documentRules=document_rules(registry=registry, **documents) if documents else None,
        documentsJson=f"../{documents_json}" if documents and documents_json else "",
    )
    index = render_page(page, versions, site_name, admin_policy(config))
    (target / "index.html").write_text(index, encoding="utf-8")


def copy_bundle(source: Path, bundle: Path) -> None:
    """The vendored files (not its stamp) into ``/admin/decap-cms-<version>/``."""
    bundle.mkdir(parents=True, exist_ok=True)
    for path in sorted(source.iterdir()):
        if not path.name.startswith("."):
            shutil.copyfile(path, bundle / path.name)


def register() -> None:
    signals.initialized.connect(set_defaults)
    signals.article_writer_finalized.connect(write_admin)
