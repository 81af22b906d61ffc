"""What a build prints in the editor's terminal: Vietnamese, one line a message.

:func:`init` sets Pelican's logging up through its public ``pelican.log.init``
with :class:`EditorLogHandler` instead of Pelican's English rich handler:

- Pelican's messages an editor can cause are translated, each naming the
  file (``content/…``) like the check's report; those the check already
  reports in its own words (a missing field, an unknown status, a file it
  could not read, a Markdown photo without description) are dropped;
- every other warning or error is shown with a Vietnamese label
  (``cảnh báo:`` / ``lỗi:``) instead of ``WARNING``, without timestamps,
  source lines of Pelican or tracebacks;
- Pelican's closing "Done: Processed 21 articles…" (printed, not logged) is
  not shown: Pelican's console is set ``quiet``, and the tasks say what was
  built in Vietnamese;
- the web servers' access lines (tornado, a 404 for ``favicon.ico``) are not
  warnings for an editor; their errors are one line, never a traceback, and
  never "fatal" (:class:`ServerLogFilter`).

Used by ``bulletin.build.main.main`` (``invoke build``, ``invoke check``) and the
``livereload`` / ``serve`` tasks.
"""

from __future__ import annotations

import logging
import os
import re
import sys

from pelican import log as pelican_log


def shown_path(path: str) -> str:
    """``/…/project/content/articles/x.md`` → ``content/articles/x.md``."""
    path = str(path).replace(os.sep, "/")
    marker = path.rfind("/content/")
    return path[marker + 1 :] if marker >= 0 else path


def _markdown_image_without_alt(path: str, src: str) -> bool:
    """``![](…src)`` in the file: the check reports it as an error already."""
    try:
        with open(path, encoding="utf-8-sig", errors="replace") as handle:
            text = handle.read()
    except OSError:
        return False
    return re.search(r"!\[\s*\]\([^)\n]*" + re.escape(src), text) is not None


def translate(record: logging.LogRecord) -> str | None:
    """The record as an editor should read it; None to drop it."""
    template, args = str(record.msg), record.args if isinstance(record.args, tuple) else ()
    if template == "Empty alt attribute for image %s in %s" and len(args) == 2:
        src, path = args
        if _markdown_image_without_alt(str(path), os.path.basename(str(src))):
            return None
        return (
            f'{shown_path(path)}: cảnh báo: Ảnh "{src}" có mô tả (alt) để trống — viết mô tả '
            'nội dung ảnh cho người khiếm thị trong thuộc tính alt="…"'
        )
    if template == "Unable to find '%s', skipping url replacement." and args:
        return (
            f'cảnh báo: Không tìm thấy tệp "{args[0]}" mà một bài liên kết tới — kiểm tra tên tệp '
            "(phân biệt chữ hoa, chữ thường) và đường dẫn"
        )
    if template.startswith(("Skipping %s: could not find information", "Unknown status")):
        return None  # the check names the missing field or the status
    if template.startswith("Could not process"):
        return None  # reported as "Không đọc được tệp này …" with its reason
    message = record.getMessage()
    if record.levelno < logging.WARNING or re.search(r"\b(lỗi|cảnh báo): ", message):
        return message  # our own messages are Vietnamese already
    label = "lỗi" if record.levelno >= logging.ERROR else "cảnh báo"
    return f"{label}: {message}"


class EditorLogHandler(logging.Handler):
    """Writes :func:`translate`'s lines to ``stream`` (stderr by default)."""

    def __init__(self, stream=None):
        super().__init__()
        self.stream = stream

    def emit(self, record: logging.LogRecord) -> None:
        try:
            text = translate(record)
            if text is None:
                return
            stream = self.stream or sys.stderr
            stream.write(text + "\n")
            stream.flush()
        except Exception:  # noqa: BLE001 - logging must never raise
            self.handleError(record)

    def handleError(self, record) -> None:  # noqa: N802 - logging's name
        pass  # never print a traceback from logging


# The web servers' loggers. Pelican makes every logger's error() raise (its
# "fatal" errors); in a server that would break the request being answered
# and the servers' own error handling.
SERVER_LOGGERS = ("tornado.access", "tornado.application", "tornado.general", "livereload")


class ServerLogFilter(logging.Filter):
    """A server's errors as one Vietnamese line, never fatal, never a
    traceback; its access lines and information not at all."""

    def __init__(self, stream=None):
        super().__init__()
        self.stream = stream

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno >= logging.ERROR and not record.name.startswith("tornado.access"):
            try:
                first = record.getMessage().splitlines()[0]
            except Exception:  # noqa: BLE001 - logging must never raise
                first = str(record.msg)
            stream = self.stream or sys.stderr
            stream.write(f"lỗi: máy chủ xem trước: {first}\n")
            stream.flush()
        return False  # handled here: not emitted again, and not "fatal"


def init(level: int = logging.WARNING, stream=None) -> None:
    """Pelican's logging (``fatal="errors"``: an error stops the build) to
    :class:`EditorLogHandler`; Pelican's "Done" line silenced."""
    root = logging.getLogger()
    for handler in list(root.handlers):  # a second init (cms → livereload) replaces the first
        if isinstance(handler, EditorLogHandler):
            root.removeHandler(handler)
    pelican_log.init(level=level, fatal="errors", handler=None)
    root.addHandler(EditorLogHandler(stream))
    root.setLevel(level)
    pelican_log.console.quiet = True
    for name in SERVER_LOGGERS:
        logger = logging.getLogger(name)
        for old in [f for f in logger.filters if isinstance(f, ServerLogFilter)]:
            logger.removeFilter(old)
        logger.addFilter(ServerLogFilter(stream))
