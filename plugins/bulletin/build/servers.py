"""The local web servers: ``invoke serve`` (``output/`` as built) and
``invoke livereload`` (the live preview), with Vietnamese pages and messages.

- A busy port is :class:`PortBusy`, whose message names the port and how to
  pick another (``--port``), checked before the first build starts.
- A missing page is the site's own ``404.html`` (Vietnamese), with
  ``<base href="/">`` so its relative links work at any depth — never a bare
  English "404: Not Found".
- In the live preview, every page carries livereload's script (the exact
  bytes :data:`bulletin.site.security.LIVERELOAD_SCRIPT` allows by hash), except
  under ``/admin/``: a reload there would drop what an editor is typing in
  the web editor. While the last build failed, every reader page is an error
  page naming each problem's file, line and fix (:func:`error_page`); the
  next save that fixes it reloads the browser onto the site. The result of
  the last build is also at ``/_xem-truoc/ket-qua.json`` (``ok``,
  ``problems``: path, line, severity, message, hint) for ``/admin/``.

The live server is livereload's own handlers (``/livereload``,
``/livereload.js``) and watcher in a tornado application of its own, as
``livereload.Server.application`` builds it, with this static handler.
"""

from __future__ import annotations

import errno
import html
import http.server
import json
import os
import socket
from functools import partial

from bulletin.site.security import LIVERELOAD_SCRIPT

ADMIN_PREFIX = "/admin/"
RESULT_URL = "/_xem-truoc/ket-qua.json"
LIVE_SCRIPT = f'<script type="text/javascript">{LIVERELOAD_SCRIPT}</script>'.encode()
HEAD_END = b"</head>"


class PortBusy(Exception):  # noqa: N818 - what it is, for the message
    """The port is taken; the text says so in Vietnamese, with what to do."""

    def __init__(self, port: int):
        self.port = port
        super().__init__(
            f"Cổng {port} đang được một chương trình khác dùng (có thể là một cửa sổ khác "
            "đang chạy invoke livereload, serve hoặc cms): dừng chương trình đó bằng Ctrl+C "
            f"trong cửa sổ của nó, hoặc chọn cổng khác, ví dụ --port {port + 1} "
            f"(rồi mở http://localhost:{port + 1}/)."
        )


def claim(port: int, host: str = "127.0.0.1") -> None:
    """Raise :class:`PortBusy` if nothing can listen on ``host:port`` now
    (checked as the servers bind: with ``SO_REUSEADDR`` on POSIX)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        if os.name != "nt":
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            if error.errno in (errno.EADDRINUSE, errno.EACCES, getattr(errno, "WSAEADDRINUSE", 0)):
                raise PortBusy(port) from None
            raise


def not_found_page(root: str) -> bytes:
    """The site's 404 page, readable at any address (``<base href="/">``)."""
    try:
        with open(os.path.join(root, "404.html"), "rb") as handle:
            page = handle.read()
    except OSError:
        page = (
            b'<!doctype html><html lang="vi"><head><meta charset="utf-8">'
            b"<title>Kh\xc3\xb4ng t\xc3\xacm th\xe1\xba\xa5y trang</title></head><body>"
            b"<h1>Kh\xc3\xb4ng t\xc3\xacm th\xe1\xba\xa5y trang</h1></body></html>"
        )
    head = page.find(b"<head>")
    if head >= 0:
        page = page[: head + 6] + b'<base href="/">' + page[head + 6 :]
    return page


# --- invoke serve -----------------------------------------------------------------
class _OutputHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass  # no English access lines in the editor's terminal

    def send_error(self, code, message=None, explain=None):
        if code != 404:
            super().send_error(code, message, explain)
            return
        body = not_found_page(self.directory)
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


def serve_output(root: str, port: int, host: str = "127.0.0.1", ready: str = "") -> None:
    """Serve ``root`` until Ctrl+C; :class:`PortBusy` if the port is taken;
    ``ready`` is printed once the server listens."""
    claim(port, host)
    handler = partial(_OutputHandler, directory=os.path.abspath(root))
    try:
        server = http.server.ThreadingHTTPServer((host, port), handler)
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            raise PortBusy(port) from None
        raise
    with server:
        if ready:
            print(ready, flush=True)
        server.serve_forever()


# --- invoke livereload ------------------------------------------------------------
def is_page(path: str) -> bool:
    """A request for an HTML page (a folder, ``…/``, ``….html``)."""
    name = path.rsplit("/", 1)[-1]
    return not name or name.endswith((".html", ".htm")) or "." not in name


def error_page(problems, report: str) -> str:
    """The page every reader address shows while the last build failed."""
    items = []
    for problem in problems:
        where = f"{problem.path}:{problem.line}" if problem.line else problem.path
        label = "lỗi" if problem.severity == "error" else "cảnh báo"
        hint = f'<br><span class="fix">Cách sửa: {html.escape(problem.hint)}</span>'
        items.append(
            f'<li class="{problem.severity}"><code>{html.escape(where)}</code> — '
            f"<strong>{label}</strong>: {html.escape(problem.message)}"
            f"{hint if problem.hint else ''}</li>"
        )
    details = f"<ol>{''.join(items)}</ol>" if items else f"<pre>{html.escape(report.strip())}</pre>"
    return (
        '<!doctype html>\n<html lang="vi"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<title>Chưa dựng được trang — xem trước</title>"
        "<style>body{font:1rem/1.5 system-ui,sans-serif;max-width:50rem;margin:2rem auto;"
        "padding:0 1rem;color:#1b1b1b}h1{color:#a4000f}li{margin:.75rem 0}"
        "li.error strong{color:#a4000f}.fix{color:#333}code{background:#f3f3f3;padding:0 .2em}"
        "pre{white-space:pre-wrap;background:#f3f3f3;padding:1rem}</style></head><body>"
        "<main><h1>Chưa dựng được trang</h1>"
        "<p>Lần dựng trang gần nhất gặp lỗi nên trang xem trước chưa được cập nhật. Sửa các "
        "lỗi dưới đây rồi <strong>lưu lại tệp</strong>: trang này tự tải lại khi dựng xong.</p>"
        f"{details}</main></body></html>\n"
    )


def result_json(failure) -> bytes:
    """The last build's result for ``/admin/``: ok, and its problems."""
    problems = [
        {
            "path": p.path,
            "line": p.line,
            "severity": p.severity,
            "message": p.message,
            "hint": p.hint,
        }
        for p in (failure.problems if failure else [])
    ]
    report = failure.report if failure else ""
    return json.dumps(
        {"ok": failure is None, "problems": problems, "report": report}, ensure_ascii=False
    ).encode()


def live_application(preview, root: str):
    """The tornado application of the live preview (see the module docstring)."""
    from livereload.handlers import (  # noqa: PLC0415 - only for livereload
        ForceReloadHandler,
        LiveReloadHandler,
        LiveReloadJSHandler,
        StaticFileHandler,
    )
    from tornado import web  # noqa: PLC0415

    class Inject(web.OutputTransform):
        """livereload's script before ``</head>`` of every page but /admin/'s."""

        def __init__(self, request):
            super().__init__(request)
            self.skip = request.path.startswith(ADMIN_PREFIX)

        def transform_first_chunk(self, status_code, headers, chunk, finishing):
            if not self.skip and "html" in headers.get("Content-Type", "") and HEAD_END in chunk:
                chunk = chunk.replace(HEAD_END, LIVE_SCRIPT + HEAD_END, 1)
                if "Content-Length" in headers:
                    headers["Content-Length"] = str(len(chunk))
            return status_code, headers, chunk

    class PreviewFiles(StaticFileHandler):
        """output/ as livereload serves it; an error page while the last
        build failed; the site's 404 page for a missing one."""

        def get(self, path, include_body=True):
            failure = preview.failure
            if (
                failure is not None
                and is_page(path)
                and not self.request.path.startswith(ADMIN_PREFIX)
            ):
                self.set_status(500)
                self.set_header("Content-Type", "text/html; charset=utf-8")
                self.set_header("Cache-Control", "no-store")
                return self.finish(error_page(failure.problems, failure.report))
            return super().get(path, include_body)

        def write_error(self, status_code, **kwargs):
            if status_code != 404:
                return super().write_error(status_code, **kwargs)
            self.set_header("Content-Type", "text/html; charset=utf-8")
            self.set_header("Cache-Control", "no-store")
            return self.finish(not_found_page(root))

    class Result(web.RequestHandler):
        def get(self):
            self.set_header("Content-Type", "application/json; charset=utf-8")
            self.set_header("Cache-Control", "no-store")
            self.finish(result_json(preview.failure))

    return web.Application(
        handlers=[
            (r"/livereload", LiveReloadHandler),
            (r"/forcereload", ForceReloadHandler),
            (r"/livereload.js", LiveReloadJSHandler),
            (RESULT_URL, Result),
            (r"/(.*)", PreviewFiles, {"path": root, "default_filename": "index.html"}),
        ],
        transforms=[Inject],
    )


def serve_live(
    preview, root: str, watcher, port: int, *, host: str = "127.0.0.1", ready: str = ""
) -> None:
    """Serve the live preview until Ctrl+C; ``watcher`` (livereload's, with
    its ``watch()`` calls made) runs the rebuilds and reloads the browsers;
    ``ready`` is printed once the server listens."""
    from livereload.handlers import LiveReloadHandler  # noqa: PLC0415
    from tornado.ioloop import IOLoop  # noqa: PLC0415

    application = live_application(preview, os.path.abspath(root))
    try:
        application.listen(port, address=host)
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            raise PortBusy(port) from None
        raise
    LiveReloadHandler.watcher = watcher
    LiveReloadHandler.live_css = True
    LiveReloadHandler.start_tasks()
    if ready:
        print(ready, flush=True)
    IOLoop.current().start()
