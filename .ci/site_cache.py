#!/usr/bin/env python3
"""The last published build, carried from one CI run to the next and trusted only whole.

The workflows (.github/workflows/publish.yml, .gitlab-ci.yml) persist two paths
between runs: ``cache/`` (the reader cache, photos, search bundles, documents'
texts, editions' PDFs, the build record) and ``.builds/output/`` (the last
published build, see bulletin.build.publication). The ``output`` symlink
itself is not persisted (GitLab's zip caches and tar differ on links): this
script makes it again. Both commands run with the system's python3, no
virtualenv, standard library only.

``python3 .ci/site_cache.py seal`` — after a successful build, before the cache
is saved: writes ``cache/site-seal.json`` naming the build folder ``output``
points at (the one the build record names), the record's own hash and the
SHA-256 of every file in that folder. Prints ``changed=true|false`` (to
``$GITHUB_OUTPUT`` too): false when the build is the one restored, so a
scheduled run that changed nothing saves no new cache.

``python3 .ci/site_cache.py restore`` — after the cache is restored, before
the first build step: the restored build is trusted only if the seal, the
build record and the folder agree exactly (every file with its bytes, nothing
more, no link): then ``output`` points at it again and the build reuses its
pages (bulletin.build.uptodate, bulletin.build.writer). Anything else — a
partial or damaged restore, a file edited, added or removed, a record of
another build — removes the restored build, ``output`` and the record: that
run renders every page, from the caches that remain (each keyed by content
and by the code's fingerprint, so a cache of another code version is not
reused wrongly). Either way it exits 0: a full build is always correct.

The build record's own check (``output`` is the same absolute path and points
at the folder it names) still applies: a checkout in another folder builds
everything. tests/build/test_ci_restore.py runs both commands as CI does.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = "output"
BUILDS = Path(".builds") / OUTPUT  # bulletin.build.publication.builds_folder
RECORD = Path("cache") / "build-record.json"  # bulletin.build.uptodate's BUILD_DIGEST_FILE
SEAL = Path("cache") / "site-seal.json"
VERSION = 1


def file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def listing(folder: Path) -> tuple[dict[str, str], list[str]]:
    """{posix path: sha256} of every regular file below ``folder``, and what is
    not a regular file or folder (links, devices): a build has none."""
    files, odd, seen = {}, [], {}
    for current, dirs, names in os.walk(folder):
        for name in sorted(dirs + names):
            path = Path(current) / name
            relative = path.relative_to(folder).as_posix()
            stat = path.lstat()
            if path.is_symlink() or not (path.is_dir() or path.is_file()):
                odd.append(relative)
            elif path.is_file():
                # Hard links (photos, search bundles) are read once.
                identity = (stat.st_dev, stat.st_ino)
                files[relative] = seen.get(identity) or seen.setdefault(identity, file_hash(path))
        dirs[:] = [d for d in dirs if not (Path(current) / d).is_symlink()]
    return dict(sorted(files.items())), odd


def disagreements(seal: dict, record_hash: str | None, files: dict, odd: list) -> list[str]:
    """Why a restored build is not the sealed one (pure: no I/O); [] when it is."""
    if seal.get("version") != VERSION:
        return ["dấu niêm phong không đúng phiên bản"]
    found = []
    if seal.get("record") != record_hash:
        found.append("bản ghi lần dựng (cache/build-record.json) không khớp dấu niêm phong")
    sealed = seal.get("files")
    if not isinstance(sealed, dict) or not all(isinstance(v, str) for v in sealed.values()):
        return ["dấu niêm phong không có danh sách tệp"]
    missing = sorted(set(sealed) - set(files))
    extra = sorted(set(files) - set(sealed))
    changed = sorted(p for p in set(sealed) & set(files) if sealed[p] != files[p])
    for label, paths in (("thiếu", missing), ("thừa", extra), ("bị sửa", changed), ("lạ", odd)):
        if paths:
            found.append(f"{len(paths)} tệp {label} (ví dụ {paths[0]})")
    return found


def read_json(path: Path) -> dict:
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}


def record_hash(root: Path) -> str | None:
    path = root / RECORD
    return file_hash(path) if path.is_file() else None


def linked_build(root: Path) -> str | None:
    """The build folder's name ``output`` points at, if it is one of ours."""
    link = root / OUTPUT
    if not link.is_symlink():
        return None
    target = (root / os.readlink(link)).resolve()
    builds = (root / BUILDS).resolve()
    return target.name if target.parent == builds and target.is_dir() else None


def say(message: str, warning: bool = False) -> None:
    prefix = "::warning::" if warning and os.environ.get("GITHUB_ACTIONS") else ""
    print(f"{prefix}{message}", flush=True)


def seal(root: Path) -> int:
    """Describe the published build for the next run's :func:`restore`."""
    previous = read_json(root / SEAL)
    (root / SEAL).unlink(missing_ok=True)
    build = linked_build(root)
    record = read_json(root / RECORD)
    if not build or record.get("build") != build:
        say("Không niêm phong: output/ không trỏ tới bản dựng trong bản ghi.", warning=True)
        return emit_changed(True)
    for other in sorted((root / BUILDS).iterdir()):  # a killed run's folders: not persisted
        if other.name != build:
            remove(other)
    files, odd = listing(root / BUILDS / build)
    if odd:
        say(f"Không niêm phong: bản dựng có tệp lạ ({odd[0]}).", warning=True)
        return emit_changed(True)
    value = {"version": VERSION, "build": build, "record": record_hash(root), "files": files}
    (root / SEAL).write_text(json.dumps(value, sort_keys=True), encoding="utf-8")
    say(f"Đã niêm phong bản dựng {build}: {len(files)} tệp.")
    return emit_changed(
        previous.get("restored") != build or previous.get("record") != value["record"]
    )


def emit_changed(changed: bool) -> int:
    line = f"changed={'true' if changed else 'false'}"
    print(line)
    if os.environ.get("GITHUB_OUTPUT"):
        with open(os.environ["GITHUB_OUTPUT"], "a", encoding="utf-8") as handle:
            handle.write(line + "\n")
    return 0


def remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.is_symlink() or path.exists():
        path.unlink()


def linked_parent(root: Path, relative: Path) -> Path | None:
    """The first folder on the way to ``relative`` that is a link, if any:
    whatever a cache put there, nothing here goes through it."""
    path = root
    for part in relative.parts[:-1]:
        path = path / part
        if path.is_symlink():
            return path
    return None


def forget(root: Path, why: str) -> int:
    """Drop the restored build: this run renders every page."""
    for relative in (Path(OUTPUT), BUILDS, RECORD, SEAL):
        remove(linked_parent(root, relative) or root / relative)
    say(f"Không dùng bản dựng khôi phục từ cache ({why}): lần này dựng toàn bộ.", warning=True)
    return 0


def restore(root: Path) -> int:
    """Point ``output`` at the restored build only if it is exactly the sealed one."""
    linked = [p for p in (linked_parent(root, BUILDS / "x"), linked_parent(root, SEAL)) if p]
    if linked:
        return forget(root, f"{linked[0].relative_to(root)} là một liên kết")
    sealed = read_json(root / SEAL)
    if not sealed and not (root / BUILDS).exists() and not (root / RECORD).exists():
        say("Không có bản dựng trước trong cache: lần này dựng toàn bộ.")
        return 0
    build = sealed.get("build")
    if not isinstance(build, str) or not re.fullmatch(r"\w[\w.-]*", build, re.ASCII):
        return forget(root, "không có dấu niêm phong hợp lệ")
    folder = root / BUILDS / build
    if folder.is_symlink() or not folder.is_dir():
        return forget(root, f"thiếu thư mục {BUILDS / build}")
    record = read_json(root / RECORD)
    if record.get("build") != build:
        return forget(root, "bản ghi lần dựng nói tới bản dựng khác")
    if record.get("output") != str(root / OUTPUT):
        # bulletin.build.uptodate trusts a record only for the output it names.
        say(
            f"Bản dựng trong cache là của thư mục {record.get('output')}, không phải "
            f"{root / OUTPUT}: lần này dựng toàn bộ (hãy để CI tải mã về cùng một thư mục).",
            warning=True,
        )
    files, odd = listing(folder)
    problems = disagreements(sealed, record_hash(root), files, odd)
    if problems:
        return forget(root, "; ".join(problems))
    for other in sorted((root / BUILDS).iterdir()):
        if other.name != build:
            remove(other)
    remove(root / OUTPUT)
    os.symlink(os.path.relpath(folder, root), root / OUTPUT)
    # Kept for seal(): a run that publishes this same build saves no new cache.
    sealed["restored"] = build
    (root / SEAL).write_text(json.dumps(sealed, sort_keys=True), encoding="utf-8")
    say(f"Dùng lại bản dựng {build} từ cache: {len(files)} tệp, đúng từng byte.")
    return 0


def main(argv: list[str]) -> int:
    commands = {"seal": seal, "restore": restore}
    if len(argv) != 1 or argv[0] not in commands:
        print("Cách dùng: python3 .ci/site_cache.py seal|restore", file=sys.stderr)
        return 2
    return commands[argv[0]](ROOT)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
