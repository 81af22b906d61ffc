"""Document files on disk: where they are, whether they open, what text they carry.

I/O without Pelican. :func:`resolve` applies the project's one rule for files
an editor names (as ``validation.check_linked_files`` and the photo checks
do): the real path, symlinks followed, must lie inside ``content/``.
:class:`Inspector` opens each file once per content — a PDF with pypdf
(encrypted? corrupt? its text layer), an Office or OpenDocument file as the
ZIP it is — and keeps what it found in ``DOCUMENT_CACHE_PATH`` keyed by the
file's SHA-256, so a ten-year register is not opened again on every build.
The extracted text (NFC) is kept there too: :meth:`Inspector.text` is what a
search index of the documents' contents reads.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
import unicodedata
import zipfile
from dataclasses import dataclass
from importlib import metadata
from xml.etree import ElementTree

from bulletin.content.model import ERROR, WARNING

logger = logging.getLogger(__name__)

# Bump when what inspect() finds changes: the cache is keyed by it.
INSPECTION_VERSION = 1
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # DOC, XLS, and encrypted DOCX/XLSX
ZIP_FORMATS = {"docx", "xlsx", "odt", "ods", "zip"}
ZIP_MAX_UNPACKED = 1024 * 1024 * 1024  # more than 1 GB unpacked: a zip bomb, not a document
TEXT_PARTS = {"docx": "word/document.xml", "odt": "content.xml"}
TEXT_PART_MAX = 50 * 1024 * 1024
# An AES-encrypted PDF without the optional cryptography package: often only
# restricted (printing, copying) and opening fine, so a warning, not an error.
AES_UNCHECKED = (
    WARNING,
    "được mã hóa AES: không kiểm tra được người đọc có cần mật khẩu để mở không",
    "mở thử tệp; nếu phải nhập mật khẩu, xin bản không đặt mật khẩu",
)


def _inside(path: str, folder: str) -> bool:
    return os.path.commonpath([path, folder]) == folder


def resolve(content_root: str, document_dir: str, written: str) -> str | None:
    """The real path of a file named in a document, or None when it lies
    outside ``content/`` (``../..``, an absolute path, a symlink leading out).

    A path starting with ``/`` is relative to ``content/``, as in ``{static}``
    links; any other is relative to the document's own folder.
    """
    root = os.path.realpath(content_root)
    base = root if written.startswith("/") else os.path.realpath(document_dir)
    target = os.path.realpath(os.path.join(base, written.lstrip("/")))
    return target if _inside(target, root) else None


@dataclass(frozen=True)
class FileFacts:
    """What one file is, as far as publishing it goes."""

    sha256: str
    size: int
    pages: int | None = None  # a PDF's page count
    has_text: bool = False  # a text layer (False for a scanned PDF)
    problem: tuple[str, str, str] | None = None  # (severity, what is wrong, fix)


def sha256_of(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


def clean_text(text: str) -> str:
    """Extracted text as the site stores all text: NFC, single spaces."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def inspect_pdf(path: str) -> tuple[int | None, str, tuple[str, str, str] | None]:
    """(pages, text, problem) of a PDF."""
    with open(path, "rb") as handle:
        head = handle.read(1024)
    if b"%PDF-" not in head:
        return None, "", (ERROR, "không phải tệp PDF (có thể bị đổi đuôi)", "chọn lại đúng tệp PDF")
    from pypdf import PasswordType, PdfReader  # noqa: PLC0415
    from pypdf.errors import DependencyError  # noqa: PLC0415

    try:
        reader = PdfReader(path, strict=False)
        try:
            opened = not reader.is_encrypted or reader.decrypt("") != PasswordType.NOT_DECRYPTED
        except DependencyError:  # AES needs the cryptography package: cannot tell
            return None, "", AES_UNCHECKED
        if not opened:
            return (
                None,
                "",
                (
                    ERROR,
                    "được đặt mật khẩu, người đọc không mở được",
                    "xin bản không đặt mật khẩu (chữ ký số vẫn giữ nguyên khi bỏ mật khẩu mở tệp)",
                ),
            )
        pages = [page.extract_text() or "" for page in reader.pages]
    except Exception as error:  # noqa: BLE001 - pypdf raises many kinds on a damaged file
        return (
            None,
            "",
            (
                ERROR,
                f"bị hỏng, không đọc được ({type(error).__name__})",
                "chép lại tệp gốc (tệp có thể chép chưa hết)",
            ),
        )
    if not pages:
        return 0, "", (ERROR, "không có trang nào", "chép lại tệp gốc")
    return len(pages), clean_text("\n".join(pages)), None


def _xml_text(data: bytes) -> str:
    """The text of a DOCX or ODT body part: its paragraphs (``w:p``,
    ``text:p``, ``text:h``), one a line."""
    root = ElementTree.fromstring(data)
    lines = [
        "".join(element.itertext())
        for element in root.iter()
        if element.tag.rsplit("}", 1)[-1] in ("p", "h")
    ]
    return clean_text("\n".join(lines))


def inspect_zip(path: str, extension: str) -> tuple[str, tuple[str, str, str] | None]:
    """(text, problem) of a DOCX, XLSX, ODT, ODS or ZIP."""
    with open(path, "rb") as handle:
        head = handle.read(8)
    if head == OLE_MAGIC:
        return "", (
            ERROR,
            "được đặt mật khẩu hoặc là tệp Office đời cũ đổi đuôi",
            f"lưu lại thành .{extension} không đặt mật khẩu, hoặc xuất sang PDF",
        )
    broken = (ERROR, f"bị hỏng hoặc không phải tệp {extension.upper()}", "chép lại tệp gốc")
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            if sum(m.file_size for m in members) > ZIP_MAX_UNPACKED:
                return "", (
                    ERROR,
                    "giải nén ra quá lớn (trên 1 GB), có thể là tệp độc hại",
                    "đăng từng tệp, không nén",
                )
            if archive.testzip() is not None:
                return "", broken
            part = TEXT_PARTS.get(extension)
            if part and part in archive.namelist():
                info = archive.getinfo(part)
                if info.file_size <= TEXT_PART_MAX:
                    return _xml_text(archive.read(part)), None
    except (zipfile.BadZipFile, ElementTree.ParseError, OSError, EOFError):
        return "", broken
    return "", None


def inspect(path: str, extension: str) -> tuple[int | None, str, tuple[str, str, str] | None]:
    """(pages, text, problem) of one file, by its format."""
    if extension == "pdf":
        return inspect_pdf(path)
    if extension in ZIP_FORMATS:
        return (None, *inspect_zip(path, extension))
    with open(path, "rb") as handle:  # doc, xls: an OLE compound file
        if handle.read(8) != OLE_MAGIC:
            return (
                None,
                "",
                (
                    ERROR,
                    f"bị hỏng hoặc không phải tệp {extension.upper()}",
                    "chép lại tệp gốc hoặc xuất sang PDF",
                ),
            )
    return None, "", None


class Inspector:
    """Files inspected once per content, remembered in ``folder`` by SHA-256."""

    def __init__(self, folder: str):
        self.folder = folder
        try:
            library = metadata.version("pypdf")
        except metadata.PackageNotFoundError:
            library = "none"
        self.version = f"{INSPECTION_VERSION}-pypdf{library}"

    def _entry(self, sha256: str, extension: str) -> str:
        return os.path.join(self.folder, sha256[:2], f"{sha256}.{extension}.json")

    def facts(self, path: str, extension: str) -> FileFacts:
        """What ``path`` is; raises OSError when it cannot be read at all."""
        size = os.path.getsize(path)
        sha256 = sha256_of(path)
        entry = self._entry(sha256, extension)
        record = self._load(entry)
        if record is None:
            pages, text, problem = inspect(path, extension)
            record = {"version": self.version, "pages": pages, "text": text, "problem": problem}
            self._store(entry, record)
        problem = tuple(record["problem"]) if record["problem"] else None
        return FileFacts(sha256, size, record["pages"], bool(record["text"]), problem)

    def text(self, facts: FileFacts, extension: str) -> str:
        """The file's text layer (NFC, single spaces), empty for a scan."""
        record = self._load(self._entry(facts.sha256, extension))
        return record["text"] if record else ""

    def text_of(self, path: str, extension: str, sha256: str = "") -> str:
        """The text layer of the file at ``path``: from the cache when
        ``sha256`` (as the build recorded it) is there, else inspected now
        (a cache emptied since the build). Empty when it cannot be read."""
        record = self._load(self._entry(sha256, extension)) if sha256 else None
        if record is not None:
            return record["text"]
        try:
            return self.text(self.facts(path, extension), extension)
        except OSError:
            return ""

    def _load(self, entry: str) -> dict | None:
        try:
            with open(entry, encoding="utf-8") as handle:
                record = json.load(handle)
        except (OSError, ValueError):
            return None
        return (
            record if isinstance(record, dict) and record.get("version") == self.version else None
        )

    def _store(self, entry: str, record: dict) -> None:
        """Written whole or not at all: a killed build leaves no torn entry."""
        try:
            os.makedirs(os.path.dirname(entry), exist_ok=True)
            descriptor, temporary = tempfile.mkstemp(dir=os.path.dirname(entry), suffix=".tmp")
            with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
                json.dump(record, handle, ensure_ascii=False)
            os.replace(temporary, entry)
        except OSError as error:  # a read-only cache costs time, not correctness
            logger.debug("Document cache %s not written: %s", entry, error)


def scan_note(facts: FileFacts, extension: str) -> str:
    """A reader's note for a PDF without a text layer (a scan)."""
    if extension == "pdf" and facts.pages and not facts.has_text:
        return "bản quét dạng ảnh, không chọn hay tìm được chữ"
    return ""
