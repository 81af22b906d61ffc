"""Vendor Decap CMS (the web editor at ``/admin/``) from the npm registry.

Set-up fetches the pinned tarball once with the standard library (no Node),
checks it against the pinned npm integrity hash *before* reading a byte of
it, and extracts only the browser bundle (``dist/decap-cms.js``, the chunks
it loads lazily, two WebAssembly files and the licence notices) into the
git-ignored ``vendor/decap-cms-<version>/``. The build copies from there and
never touches the network; nothing is loaded from a CDN at run time.

Standard library only: ``bootstrap.py`` runs it as
``python -m bulletin.editor.vendor`` before the tasks that need the editor
(``cms``, ``test``, the production build); a development build without it
writes a notice at ``/admin/`` instead (:mod:`bulletin.editor.cms`).
Upgrading Decap means changing both pins below, taken from
``npm view decap-cms@<version> dist.integrity``.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import re
import shutil
import sys
import tarfile
import tempfile
import urllib.request
from pathlib import Path

DECAP_VERSION = "3.16.3"
BUNDLE_NAME = f"decap-cms-{DECAP_VERSION}"  # the folder in vendor/ and in /admin/
DECAP_TARBALL = f"https://registry.npmjs.org/decap-cms/-/decap-cms-{DECAP_VERSION}.tgz"
DECAP_INTEGRITY = "sha512-hf+dPlCh7TJmWl8+6VRzHYOWhri5xgUknrZbDewaWe4s9B7xJ8PQugp2QHeSldMUKzav6+z0oIpwUYhUJDYtYw=="  # noqa: E501
# sha256 over the unpacked files (name, NUL, sha256 of the bytes; sorted by
# name), computed from the verified tarball: checked on every run, so a
# vendor/ folder restored from a cache or edited by hand is never trusted by
# its stamp alone (the stamp is in the folder it vouches for).
DECAP_FILES_DIGEST = "d5a95f2fa61c046bdb4c7615425ba6f4b8112f4d8e3166fd44014b4db4d07088"
ROOT = Path(__file__).resolve().parents[3]
VENDOR = ROOT / "vendor"
# What the browser needs from the tarball's package/dist/: the bundle, the
# chunks webpack loads next to it (<id>.decap-cms.js), the WebAssembly of
# the image tools, and the licence notices. Not the 25 MB source maps, not
# the duplicate "cms.js" build.
BUNDLE_FILES = re.compile(
    r"^package/dist/(decap-cms\.js|decap-cms\.js\.LICENSE\.txt|\d+\.decap-cms\.js|[0-9a-f]{20}\.wasm)$"
)
STAMP = ".vendored.json"
# What gets the bundle on an editor's machine: bootstrap.py vendors it for the
# tasks that need it (this one, the tests, the production build), never a build.
SETUP_COMMAND = "python3 bootstrap.py cms"


class VendorError(RuntimeError):
    """The bundle could not be fetched or is not the pinned one."""


def decap_folder(vendor: Path = VENDOR) -> Path:
    return vendor / BUNDLE_NAME


def matches_integrity(data: bytes, integrity: str) -> bool:
    """npm's Subresource-Integrity string: ``sha512-<base64 digest>``."""
    algorithm, _, expected = integrity.partition("-")
    if algorithm not in ("sha512", "sha384", "sha256"):
        return False
    digest = base64.b64encode(hashlib.new(algorithm, data).digest()).decode("ascii")
    return digest == expected


def bundle_members(data: bytes) -> dict[str, bytes]:
    """The browser files of a verified tarball, by file name (no folders)."""
    files = {}
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
        for member in archive.getmembers():
            if member.isfile() and BUNDLE_FILES.match(member.name):
                files[member.name.rsplit("/", 1)[1]] = archive.extractfile(member).read()
    if "decap-cms.js" not in files:
        raise VendorError("gói tải về không có dist/decap-cms.js")
    return files


def is_vendored(vendor: Path = VENDOR) -> bool:
    stamp = decap_folder(vendor) / STAMP
    try:
        recorded = json.loads(stamp.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if recorded.get("integrity") != DECAP_INTEGRITY:
        return False
    try:
        return files_digest(decap_folder(vendor), recorded.get("files", [])) == DECAP_FILES_DIGEST
    except OSError:  # a file is missing or unreadable
        return False


def bundle_stamp(vendor: Path | str | None = None) -> str:
    """The stamp of the vendored bundle, "" without one: a cheap fact for the
    build's digest (bulletin.build.uptodate), since a build without the bundle
    writes only a notice at /admin/ and the next one after set-up must not
    look unchanged. Whether the files are the pinned ones is
    :func:`is_vendored`'s job, when the build copies them."""
    try:
        return (decap_folder(Path(vendor or VENDOR)) / STAMP).read_text(encoding="utf-8")
    except OSError:
        return ""


def files_digest(folder: Path, names) -> str:
    """The digest :data:`DECAP_FILES_DIGEST` pins (~20 ms for the 6.5 MB bundle)."""
    digest = hashlib.sha256()
    for name in sorted(names):
        digest.update(name.encode() + b"\0" + hashlib.sha256((folder / name).read_bytes()).digest())
    return digest.hexdigest()


def download(url: str, timeout: float = 120) -> bytes:
    request = urllib.request.Request(url, headers={"User-Agent": "ban-tin-bootstrap"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return response.read()


def vendor_decap(vendor: Path = VENDOR, fetch=download) -> Path:
    """Fetch, verify and unpack the pinned Decap CMS; a no-op when done already."""
    target = decap_folder(vendor)
    if is_vendored(vendor):
        return target
    try:
        data = fetch(DECAP_TARBALL)
    except OSError as error:
        raise VendorError(f"không tải được {DECAP_TARBALL} ({error})") from None
    if not matches_integrity(data, DECAP_INTEGRITY):
        raise VendorError(
            f"{DECAP_TARBALL} không khớp mã kiểm tra {DECAP_INTEGRITY[:20]}… "
            "(tệp bị hỏng hoặc bị thay đổi); không dùng tệp này"
        )
    files = bundle_members(data)
    unpacked = hashlib.sha256()
    for name, content in sorted(files.items()):
        unpacked.update(name.encode() + b"\0" + hashlib.sha256(content).digest())
    if unpacked.hexdigest() != DECAP_FILES_DIGEST:
        raise VendorError(f"các tệp giải nén từ {DECAP_TARBALL} không khớp mã kiểm tra đã ghi")
    vendor.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".decap-", dir=vendor))
    staging.chmod(0o755)  # mkdtemp makes 0700; the files are copied into the site
    try:
        for name, content in sorted(files.items()):
            (staging / name).write_bytes(content)
        stamp = {
            "package": "decap-cms",
            "version": DECAP_VERSION,
            "tarball": DECAP_TARBALL,
            "integrity": DECAP_INTEGRITY,
            "files": sorted(files),
        }
        (staging / STAMP).write_text(json.dumps(stamp, indent=2) + "\n", encoding="utf-8")
        shutil.rmtree(target, ignore_errors=True)
        staging.rename(target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target


def main(argv=None) -> int:
    """``python -m bulletin.editor.vendor``: vendor Decap CMS unless already done."""
    already = is_vendored()
    if not already:
        print(f"• Tải Decap CMS {DECAP_VERSION} từ npm (downloading the web editor)", flush=True)
    try:
        folder = vendor_decap()
    except VendorError as error:
        print(f"Không cài được trình soạn thảo web: {error}", file=sys.stderr)
        return 1
    if not already:
        print(f"  đã kiểm tra {DECAP_INTEGRITY[:15]}… và giải nén vào {folder.relative_to(ROOT)}/")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
