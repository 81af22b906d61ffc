"""The web editor's local server (``invoke cms``): ``/admin/`` as the build
wrote it, and the small API its page calls before saving.

Not a Pelican plugin: nothing is connected to a signal. ``invoke cms`` runs
it on 127.0.0.1 beside decap-server and the live preview:

- ``GET /admin/…``: the files of ``<output>/admin/``, never through
  livereload (its script, injected into the editor page, reloaded it after
  each save and lost what was typed since);
- ``POST /admin/api/kiem-tra`` ``{"path", "text", "pending"}``: the checks
  ``invoke check`` runs on one article (:func:`check_article_text`), on the
  text the editor is about to save → ``{"problems": […], "summary"}``;
- ``GET /admin/api/trang-thai``: the last build (the live preview's result
  included) and the current check of ``content/`` (:class:`StatusCache`),
  for the line at the foot of the page;
- ``GET /admin/api/duong-dan?nam=2025``: the slugs a new article of that
  year may not take (:func:`taken_slugs`);
- ``GET /admin/api/anh?path=content/articles/…/anh/…/x.jpg``: a saved photo,
  for the editor's preview;
- the site's files the editor loads (its CSS, the logo) as they are, and a
  redirect to the live preview for its pages ("Xem bản hoàn chỉnh").

Requests naming another host are refused (a page elsewhere cannot reach
this server by DNS rebinding) and the API takes JSON only (a cross-site
form cannot post JSON; a script would need CORS, which is never granted).
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
import os
import re
import tempfile
import threading
import urllib.request
from dataclasses import replace
from datetime import datetime
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import SimpleNamespace
from typing import ClassVar
from urllib.parse import parse_qs, urlsplit

from bulletin.build.servers import RESULT_URL
from bulletin.build.uptodate import digest_file, input_stamp
from bulletin.content import addresses, validation
from bulletin.content.model import ARTICLE_KEYS, ERROR, Problem, field_name, read_header
from bulletin.content.reader import BulletinMarkdownReader, display_path
from bulletin.content.validation import soften, summary_line
from bulletin.content.vietnamese import TIMEZONE, build_now, localize
from bulletin.editor.cms import LOCAL_API
from bulletin.editor.scaffold import taken_slugs as folder_slugs
from bulletin.site import movements

logger = logging.getLogger(__name__)

MAX_BODY = 5 * 1024 * 1024  # an article's text; photos never come here
PHOTO_TYPES = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".webp": "image/webp",
}
ADMIN = "/admin/"
API = {ADMIN + path: name for name, path in LOCAL_API.items()}
# The receivers of ``article_generator_context`` that check one article,
# called in this order by :func:`check_article_text` (bulletin.content.reader's read
# comes first); tests/test_cms_server.py fails when a plugin connects a new one.
PER_FILE_CHECKS = (
    "bulletin.content.validation.check_article_metadata",
    "bulletin.site.movements.resolve_movements",
)


class CheckRequestError(ValueError):
    """A request the check cannot answer (its text says why, in Vietnamese)."""


def articles_folder(settings) -> str:
    return os.path.join(os.path.abspath(settings["PATH"]), "articles")


def article_target(settings, path: str) -> str:
    """The absolute path of ``content/articles/<…>.md`` (as Decap names the
    entry: relative to the repository); anything else is refused."""
    content = os.path.abspath(settings["PATH"])
    root = os.path.dirname(content)
    path = str(path or "").replace("\\", "/").lstrip("/")
    target = os.path.normpath(os.path.join(root, path))
    folder = articles_folder(settings)
    if not target.endswith(".md") or os.path.commonpath([target, folder]) != folder:
        raise CheckRequestError(f'"{path}" không phải là tệp bài viết trong content/articles/')
    return target


def check_article_text(settings, path: str, text: str, pending=()) -> list[Problem]:
    """Every problem ``invoke check`` would report in this one article if
    ``text`` were saved at ``path`` (``content/articles/<year>/<slug>.md``).

    The same code: the project's reader (decoding, header, dates, slug,
    Markdown, the sanitiser, photo references) on the text, then the
    per-file checks of :data:`PER_FILE_CHECKS` with the real ``content/``
    (photos that exist, the movements registry). ``pending`` names photos
    uploaded together with this save (not on disk yet): they are not
    reported missing. A ``Status: draft`` article's errors are warnings, as
    in ``check``. What needs the whole site (two articles with one address,
    the old addresses of ``Redirect_from``, ``{static}``/``{attach}`` files
    resolved by Pelican's static generator) is left to the build.
    """
    target = article_target(settings, path)
    content = os.path.abspath(settings["PATH"])
    settings = dict(settings, BULLETIN_CHECK_ONLY=True)  # photos decoded, as `check` does
    with tempfile.TemporaryDirectory(prefix="bulletin-check-") as scratch:
        # Outside content/ (the preview watches it); the reader opens a file.
        file = os.path.join(scratch, os.path.basename(target))
        with open(file, "wb") as handle:
            handle.write(str(text).encode("utf-8"))
        _html, metadata = BulletinMarkdownReader(settings).read(file)
        source = metadata["bulletin_source"]
        shown, scratch_shown = display_path(target, settings), source.path
        source.path, source.abspath = shown, target
        source.problems = [
            replace(p, path=shown) if p.path == scratch_shown else p for p in source.problems
        ]
        generator = SimpleNamespace(path=content, settings=settings, context={})
        movements.load_movements(generator)
        generator.bulletin_problems = []  # the registry's own problems are not this article's
        validation.check_article_metadata(generator, metadata)
        movements.resolve_movements(generator, metadata)
        validation.add_problems(generator, published_address(settings, target, file, metadata))
    uploading = {os.path.basename(str(name)) for name in pending or ()}
    not_yet = {
        f'Không tìm thấy tệp ảnh "{image.src}"'
        for image in source.images
        if os.path.basename(image.src) in uploading
    }
    problems = {
        p for p in generator.bulletin_problems if p.path == shown and p.message not in not_yet
    }
    if source.raw.get("status", "").strip().lower() == "draft":
        problems = {soften(p) for p in problems}
    return sorted(problems, key=lambda p: (p.line, p.message))


def published_address(settings, target: str, file: str, metadata: dict) -> list[Problem]:
    """:func:`bulletin.content.addresses.address_problems` for one article: would
    this text move the address the file has in ``PUBLISHED_REF``?"""
    found = addresses.published_ref(os.path.dirname(target), settings.get("PUBLISHED_REF"))
    if found is None:
        return []
    top, commit = found
    relative = os.path.relpath(os.path.realpath(target), os.path.realpath(top))
    blob = addresses.read_blobs(top, commit, [relative.replace(os.sep, "/")])
    if not blob or not isinstance(metadata.get("date"), datetime):
        return []  # a new file, or a date reported already
    article = SimpleNamespace(
        bulletin_source=metadata["bulletin_source"],
        source_path=file,
        slug=metadata.get("slug", ""),
        date=metadata["date"],
        status=metadata.get("status", "published"),
        redirect_from=metadata.get("redirect_from", ""),
    )
    return addresses.address_problems(
        article, next(iter(blob.values())), settings, build_now(settings)
    )


def problem_field(problem: Problem, text: str) -> str:
    """The form field a problem is about: a metadata key, "body", or "" for
    a header line the form does not show (an unknown key)."""
    for key in ARTICLE_KEYS:
        if problem.message.startswith(field_name(key)):
            return key
    header = read_header(text.replace("\r\n", "\n").lstrip("\ufeff"))
    if problem.line > header.size:
        return "body"
    at = [key for key, line in header.lines.items() if line <= problem.line]
    key = max(at, key=header.lines.get) if at else ""
    return key if key in ARTICLE_KEYS else ""


def problems_json(problems: list[Problem], text: str) -> dict:
    size = read_header(text.replace("\r\n", "\n").lstrip("\ufeff")).size
    return {
        "problems": [
            {
                "field": problem_field(p, text),
                "line": p.line,
                # The body's own line numbers: what the editor sees in the box.
                "bodyLine": max(p.line - size - 1, 0),
                "message": p.message,
                "hint": p.hint,
                "severity": p.severity,
                "text": str(p),
            }
            for p in problems
        ],
        "errors": sum(p.severity == ERROR for p in problems),
        "summary": summary_line(problems),
    }


_SLUG_LINE = re.compile(r"^slug\s*:\s*(\S+)\s*$", re.IGNORECASE | re.MULTILINE)


def taken_slugs(settings, year: str) -> list[str]:
    """What a new article of ``year`` may not be called: the year folder's
    files, photo folders (:func:`bulletin.editor.scaffold.taken_slugs`) and the
    ``Slug:`` lines of its articles (their addresses)."""
    if not re.fullmatch(r"\d{4}", str(year)):
        raise CheckRequestError(f'"{year}" không phải là một năm')
    folder = Path(articles_folder(settings)) / str(year)
    taken = folder_slugs(folder)
    for path in folder.glob("*.md") if folder.is_dir() else ():
        with contextlib.suppress(OSError, UnicodeDecodeError):
            head = path.read_text(encoding="utf-8-sig").split("\n\n", 1)[0]
            taken |= set(_SLUG_LINE.findall(head))
    return sorted(taken)


class StatusCache:
    """The last build's result and a check of ``content/`` as it is now,
    checked again only when a file changed (:func:`bulletin.build.uptodate.input_stamp`).

    ``build``: the last successful build (its record); ``preview``: the live
    preview's last build, failed or not (bulletin.build.servers' ``RESULT_URL``),
    when the preview answers; ``check``: ``invoke check`` now.
    """

    def __init__(self, load_settings, output: str, preview_url: str = ""):
        self.load_settings = load_settings
        self.output = os.path.abspath(output)
        self.preview_url = preview_url
        self.lock = threading.Lock()
        self.stamp = None
        self.report: dict = {}

    def status(self) -> dict:
        settings = self.load_settings()
        with self.lock:
            stamp = input_stamp(settings)
            if stamp != self.stamp:
                self.report, self.stamp = self.check(settings), stamp
            return {
                "build": self.last_build(settings),
                "preview": self.preview_result(),
                "check": self.report,
            }

    def preview_result(self) -> dict | None:
        if not self.preview_url:
            return None
        url = self.preview_url.rstrip("/") + RESULT_URL
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                result = json.loads(response.read().decode("utf-8"))
        except (OSError, ValueError):
            return None
        problems = result.get("problems") or []
        return {
            "ok": bool(result.get("ok")),
            "lines": [str(Problem(**p)) for p in problems][:50],
        }

    def check(self, settings) -> dict:
        from bulletin.build.main import check_site  # noqa: PLC0415 - imports all of Pelican's run

        stream = io.StringIO()
        code = check_site(settings, stream=stream)
        lines = [line for line in stream.getvalue().splitlines() if line.strip()]
        return {
            "ok": code == 0,
            "summary": lines[-1] if lines else "",
            "lines": lines[:-1][:50],
            "more": max(len(lines) - 51, 0),
            "at": datetime.now(TIMEZONE).isoformat(timespec="seconds"),
        }

    def last_build(self, settings) -> dict | None:
        try:
            with open(digest_file(settings), encoding="utf-8") as handle:
                record = json.load(handle)
            if record.get("output") != self.output:
                return None
            moment = localize(datetime.fromisoformat(record["built_at"]))
        except (OSError, ValueError, KeyError, TypeError):
            return None
        return {"at": moment.isoformat(timespec="seconds"), "text": f"{moment:%H:%M %d/%m/%Y}"}


def is_page(path: str) -> bool:
    """A page of the site (``/``, ``/tin-tuc/2025/x/``, ``…/index.html``),
    which the live preview shows; not the editor and not a file it loads."""
    if path.startswith(ADMIN):
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
        if self.path.startswith(ADMIN):
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
        parts = urlsplit(self.path)
        if parts.path == ADMIN.rstrip("/"):
            return self.redirect(ADMIN)
        name = API.get(parts.path)
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
        if name or parts.path.startswith(ADMIN + "api/"):
            return self.refuse(HTTPStatus.METHOD_NOT_ALLOWED, "Dùng POST")
        if parts.path.startswith(ADMIN) or not is_page(parts.path):
            return super().do_GET()  # the editor, and the site's files it uses (CSS, logo)
        return self.redirect(self.editor.preview_url.rstrip("/") + self.path)

    def do_HEAD(self):
        if self.host_allowed() and not is_page(urlsplit(self.path).path):
            return super().do_HEAD()
        self.send_error(HTTPStatus.NOT_FOUND)

    def do_POST(self):
        if not self.host_allowed():
            return self.refuse(HTTPStatus.FORBIDDEN, "Chỉ mở được từ máy này (localhost)")
        if API.get(urlsplit(self.path).path) != "check":
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
        return f"http://localhost:{self.httpd.server_address[1]}{ADMIN}"

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
