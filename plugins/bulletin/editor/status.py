"""The status line of the web editor: the last build, the live preview's, a check now.

Used by the editor's local server (:mod:`bulletin.editor.server`,
``GET /admin/api/trang-thai``); checks ``content/`` again only when a file
changed.
"""

from __future__ import annotations

import io
import json
import os
import threading
import urllib.request
from datetime import datetime

from bulletin.build.servers import RESULT_URL
from bulletin.build.uptodate import digest_file, input_stamp
from bulletin.content.model import Problem
from bulletin.content.vietnamese import TIMEZONE, localize


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
