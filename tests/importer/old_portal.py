"""The fixture portal (tests/fixtures/old-portal/) served over local HTTP.

Its pages are files; a page with a query string is a file named as ``wget
--restrict-file-names=windows`` names it (``news/news@news_id=152.html`` for
``/news/news?news_id=152``), so the same folder is also a saved copy of the
portal for the saved-folder source. Photos and documents are made here, not
committed: real JPEGs of the sizes below, a PDF, and two broken "photos" (a
404, and an HTML error page served as a JPEG). ``http://portal.test`` in the
pages, sitemaps and feeds becomes the server's own address.
"""

from __future__ import annotations

import shutil
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from helpers import ROOT, make_photo

PORTAL = ROOT / "tests" / "fixtures" / "old-portal"
PLACEHOLDER = "http://portal.test"
PHOTOS = {
    "uploads/news/2023_03/nhung-11.jpg": ((1200, 900), (120, 60, 40)),
    "uploads/news/2023_03/DSC_0123.JPG": ((1024, 768), (30, 90, 160)),
    "upload/2024/05/kiem-tra-moi-truong.jpg": ((1200, 800), (40, 140, 60)),
    "upload/2024/07/IMG_2034.jpg": ((960, 640), (200, 160, 30)),
    "wp-content/uploads/2023/05/bong-chuyen.jpg": ((1000, 750), (90, 30, 120)),
}
# A CMS's "file not found" page, sent with 200 and an image's type.
NOT_AN_IMAGE = {"upload/2024/05/cay-xanh.jpg": b"<html><body>Khong tim thay tep</body></html>"}
DOCUMENTS = [
    "uploads/files/Tai lieu van hoa cong so.pdf",
    "upload/files/ke-hoach-45-KH-BQL.pdf",
    "wp-content/uploads/2023/05/the-le-giai.pdf",
]
TYPES = {
    ".html": "text/html",
    ".xml": "application/xml",
    ".txt": "text/plain",
    ".jpg": "image/jpeg",
    ".pdf": "application/pdf",
}
# The articles the fixture portal has, by old address (path and query).
ARTICLES = {
    "/news/news?news_id=152": "phat-dong-phong-trao-thi-dua-nam-2023",
    "/news/news?news_id=153": (
        "ban-quan-ly-cac-kcn-tap-huan-van-hoa-cong-so-cho-cong-chuc-vien-chuc"
    ),
    "/news/news?news_id=154": "doanh-nghiep-kcn-thanh-binh-ung-ho-quy-vi-nguoi-ngheo",
    "/tin-tuc/2024/05/kiem-tra-bao-ve-moi-truong-tai-kcn-thanh-binh-201.html": (
        "kiem-tra-cong-tac-bao-ve-moi-truong-tai-kcn-thanh-binh"
    ),
    "/tin-tuc/2024/07/day-manh-dich-vu-cong-truc-tuyen-toan-trinh-202.html": (
        "day-manh-cung-cap-dich-vu-cong-truc-tuyen-toan-trinh"
    ),
}


def make_portal(folder: Path) -> Path:
    """The fixture portal copied into ``folder``, with its photos and files."""
    shutil.copytree(PORTAL, folder)
    for name, (size, color) in PHOTOS.items():
        make_photo(folder / name, size=size, color=color)
    for name, data in NOT_AN_IMAGE.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    for name in DOCUMENTS:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(b"%PDF-1.4\n% fixture\n%%EOF\n")
    return folder


@dataclass
class Portal:
    root: Path
    url: str = ""  # "http://127.0.0.1:PORT" (no trailing slash)
    requests: list[tuple[str, str]] = field(default_factory=list)  # (path?query, User-Agent)
    failures: dict[str, int] = field(default_factory=dict)  # path → 503s to answer first
    imported: list[tuple[str, str]] = field(default_factory=list)  # a test's own requests
    any_photo: Path | None = None

    def file_for(self, target: str) -> Path | None:
        parts = urlsplit(target)
        path = unquote(parts.path).lstrip("/")
        candidates = [f"{path}@{unquote(parts.query)}.html"] if parts.query else []
        candidates += [path, path + "index.html" if path.endswith("/") or not path else ""]
        for candidate in candidates:
            file = (self.root / candidate).resolve() if candidate else None
            if file and file.is_file() and self.root.resolve() in file.parents:
                return file
        return None


def serve(root: Path):
    """Start the portal: (Portal, stop function)."""
    portal = Portal(root)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            portal.requests.append((self.path, self.headers.get("User-Agent", "")))
            path = urlsplit(self.path).path
            if portal.failures.get(path):
                portal.failures[path] -= 1
                self.send_error(503)
                return
            file = portal.file_for(self.path)
            if file is None and portal.any_photo and path.endswith(".jpg"):
                file = portal.any_photo  # a photo at any address, however it is named
            if file is None:
                self.send_error(404)
                return
            data = file.read_bytes()
            kind = TYPES.get(file.suffix.lower(), "application/octet-stream")
            if kind.startswith(("text/", "application/xml")):
                data = data.replace(PLACEHOLDER.encode(), portal.url.encode())
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            try:
                self.wfile.write(data)
            except ConnectionError:
                pass  # the importer stopped reading (a size limit): as it should

        def log_message(self, format, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    portal.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    def stop():
        server.shutdown()
        server.server_close()

    return portal, stop


def wordpress_export(portal: Portal, folder: Path) -> Path:
    """The fixture's WordPress export, its addresses pointing at ``portal``."""
    text = (PORTAL / "wordpress" / "export.xml").read_text(encoding="utf-8")
    path = folder / "export.xml"
    path.write_text(text.replace(PLACEHOLDER, portal.url), encoding="utf-8")
    return path


def new_content(folder: Path) -> Path:
    """An empty ``content/`` with the sample site's movements and pages."""
    content = folder / "content"
    (content / "articles").mkdir(parents=True)
    shutil.copy(ROOT / "content" / "movements.toml", content / "movements.toml")
    shutil.copytree(ROOT / "content" / "pages", content / "pages")
    return content


def import_into(content: Path, *sources: str, **options) -> tuple[int, str, str]:
    """``invoke import`` into ``content`` without the rate limit: (exit code,
    printed report, error stream)."""
    import io  # noqa: PLC0415

    from bulletin.build.main import load_settings  # noqa: PLC0415
    from bulletin.importer.cli import command  # noqa: PLC0415

    settings = load_settings(str(ROOT / "pelicanconf.py"), PATH=str(content))
    out, err = io.StringIO(), io.StringIO()
    options.setdefault("rate", "0")
    code = command(list(sources), settings, out=out, err=err, **options)
    return code, out.getvalue(), err.getvalue()
