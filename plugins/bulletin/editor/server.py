"""The web editor's local server (``invoke cms``): ``/admin/`` as the build
wrote it, and the small API its page calls before saving.

Not a Pelican plugin: nothing is connected to a signal. ``invoke cms`` runs
it on 127.0.0.1 beside decap-server and the live preview:

- ``GET /admin/…``: the files of ``<output>/admin/``, never through
  livereload (its script, injected into the editor page, reloaded it after
  each save and lost what was typed since);
- ``POST /admin/api/kiem-tra`` ``{"path", "text", "pending"}``: the checks
  ``invoke check`` runs on one article (:func:`bulletin.editor.checks.check_article_text`), on the
  text the editor is about to save → ``{"problems": […], "summary"}``;
- ``GET /admin/api/trang-thai``: the last build (the live preview's result
  included) and the current check of ``content/`` (:class:`bulletin.editor.status.StatusCache`),
  for the line at the foot of the page;
- ``GET /admin/api/duong-dan?nam=2025``: the slugs a new article of that
  year may not take (:func:`bulletin.editor.checks.taken_slugs`);
- ``GET /admin/api/anh?path=content/articles/…/anh/…/x.jpg``: a saved photo,
  for the editor's preview;
- the site's files the editor loads (its CSS, the logo) as they are, and a
  redirect to the live preview for its pages ("Xem bản hoàn chỉnh").

The editor's folder is ``CMS_ADMIN_DIR`` (``/admin/`` by default), as the
build wrote it. Requests naming another host are refused (a page elsewhere cannot reach
this server by DNS rebinding) and the API takes JSON only (a cross-site
form cannot post JSON; a script would need CORS, which is never granted).
"""

from __future__ import annotations

import json
import logging
import os
import threading
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar
from urllib.parse import parse_qs, urlsplit

from bulletin.editor.checks import (
    CheckRequestError,
    articles_folder,
    check_article_text,
    problems_json,
    taken_slugs,
)
from bulletin.editor.cms import DEFAULTS
from bulletin.editor.page import LOCAL_API
from bulletin.editor.status import StatusCache

logger = logging.getLogger(__name__)

PHOTO_TYPES = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".webp": "image/webp",
}
MAX_BODY = 5 * 1024 * 1024  # an article's text; photos never come here


def admin_prefix(settings) -> str:
    """``/admin/``: where the build wrote the editor (``CMS_ADMIN_DIR``)."""
    return "/" + str(settings.get("CMS_ADMIN_DIR") or DEFAULTS["CMS_ADMIN_DIR"]).strip("/") + "/"


def is_page(path: str, admin: str) -> bool:
    """A page of the site (``/``, ``/tin-tuc/2025/x/``, ``…/index.html``),
    which the live preview shows; not the editor (under ``admin``) and not a
    file it loads."""
    if path.startswith(admin):
        return False
    return path.endswith(("/", ".html")) or "." not in path.rsplit("/", 1)[-1]


class EditorHandler(SimpleHTTPRequestHandler):
    """``/admin/`` from the built site, the API, the site's files; its pages
    are redirected to the preview."""

    server_version = "BanTinEditor"
    extensions_map: ClassVar = {**SimpleHTTPRequestHandler.extensions_map, ".yml": "text/yaml"}
    editor: EditorServer  # set by EditorServer on a subclass

    def log_message(self, format, *args):  # the terminal is the editor's: no request log
        logger.debug("%s " + format, self.address_string(), *args)

    def end_headers(self):
        if self.path.startswith(self.editor.admin):
            self.send_header("Cache-Control", "no-cache")
            self.send_header("X-Content-Type-Options", "nosniff")
        super().end_headers()

    def host_allowed(self) -> bool:
        port = self.server.server_address[1]
        host = (self.headers.get("Host") or "").strip().lower()
        return host in {f"localhost:{port}", f"127.0.0.1:{port}", f"[::1]:{port}"}

    def refuse(self, status: HTTPStatus, message: str) -> None:
        self.reply_json({"error": message}, status)

    def reply_json(self, data: dict, status: HTTPStatus = HTTPStatus.OK) -> None:
        body = json.dumps(data, ensure_ascii=False).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        if not self.host_allowed():
            return self.refuse(HTTPStatus.FORBIDDEN, "Chỉ mở được từ máy này (localhost)")
        parts, admin = urlsplit(self.path), self.editor.admin
        if parts.path == admin.rstrip("/"):
            return self.redirect(admin)
        name = self.editor.api.get(parts.path)
        if name == "status":
            return self.reply_json(self.editor.status.status())
        if name == "slugs":
            year = (parse_qs(parts.query).get("nam") or [""])[0]
            try:
                return self.reply_json({"taken": taken_slugs(self.editor.settings(), year)})
            except CheckRequestError as error:
                return self.refuse(HTTPStatus.BAD_REQUEST, str(error))
        if name == "photo":
            return self.send_photo((parse_qs(parts.query).get("path") or [""])[0])
        if name or parts.path.startswith(admin + "api/"):
            return self.refuse(HTTPStatus.METHOD_NOT_ALLOWED, "Dùng POST")
        if parts.path.startswith(admin) or not is_page(parts.path, admin):
            return super().do_GET()  # the editor, and the site's files it uses (CSS, logo)
        return self.redirect(self.editor.preview_url.rstrip("/") + self.path)

    def do_HEAD(self):
        if self.host_allowed() and not is_page(urlsplit(self.path).path, self.editor.admin):
            return super().do_HEAD()
        self.send_error(HTTPStatus.NOT_FOUND)

    def do_POST(self):
        if not self.host_allowed():
            return self.refuse(HTTPStatus.FORBIDDEN, "Chỉ mở được từ máy này (localhost)")
        if self.editor.api.get(urlsplit(self.path).path) != "check":
            return self.refuse(HTTPStatus.NOT_FOUND, "Không có địa chỉ này")
        kind = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if kind != "application/json":
            return self.refuse(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, "Chỉ nhận JSON")
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if not 0 < length <= MAX_BODY:
            return self.refuse(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "Bài quá dài để kiểm tra")
        try:
            job = json.loads(self.rfile.read(length).decode("utf-8"))
            text = job["text"]
            if not isinstance(text, str):
                raise TypeError
            problems = check_article_text(
                self.editor.settings(), job["path"], text, job.get("pending") or ()
            )
        except CheckRequestError as error:
            return self.refuse(HTTPStatus.BAD_REQUEST, str(error))
        except (ValueError, KeyError, TypeError):
            return self.refuse(HTTPStatus.BAD_REQUEST, "Yêu cầu kiểm tra không đúng dạng")
        return self.reply_json(problems_json(problems, text))

    def send_photo(self, path: str) -> None:
        """A photo of an article as it is in content/ (the editor's preview)."""
        settings = self.editor.settings()
        root = os.path.dirname(os.path.abspath(settings["PATH"]))
        target = os.path.realpath(os.path.join(root, path.replace("\\", "/").lstrip("/")))
        folder = os.path.realpath(articles_folder(settings))
        kind = PHOTO_TYPES.get(os.path.splitext(target)[1].lower())
        if not kind or os.path.commonpath([target, folder]) != folder or not os.path.isfile(target):
            return self.refuse(HTTPStatus.NOT_FOUND, "Không có ảnh này")
        with open(target, "rb") as handle:
            data = handle.read()
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def redirect(self, location: str) -> None:
        self.send_response(HTTPStatus.FOUND)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()


class EditorServer:
    """The server of ``/admin/`` for ``invoke cms``, in a thread of its own.

    ``load_settings()`` returns the site's settings (read once); ``output``
    is the built site; ``preview_url`` the live preview that every other
    address goes to.
    """

    def __init__(self, load_settings, output: str, preview_url: str, port: int = 8000):
        self.load_settings = load_settings
        self.output = os.path.abspath(output)
        self.preview_url = preview_url
        self._settings = None
        self.status = StatusCache(self.settings, output, preview_url)
        handler = type("Handler", (EditorHandler,), {"editor": self})
        # Raises OSError (EADDRINUSE) when the port is taken: the caller says so.
        self.httpd = ThreadingHTTPServer(
            ("127.0.0.1", port), partial(handler, directory=self.output)
        )
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://localhost:{self.httpd.server_address[1]}{self.admin}"

    @property
    def admin(self) -> str:
        return admin_prefix(self.settings())

    @property
    def api(self) -> dict[str, str]:
        """{address: name} of :data:`bulletin.editor.page.LOCAL_API` under :attr:`admin`."""
        return {self.admin + path: name for name, path in LOCAL_API.items()}

    def settings(self) -> dict:
        if self._settings is None:
            self._settings = self.load_settings()
        return self._settings

    def start(self) -> EditorServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        if self.thread.is_alive():  # shutdown() waits for a serve_forever that runs
            self.httpd.shutdown()
        self.httpd.server_close()
