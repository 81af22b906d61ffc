"""Publishing a build: ``output`` is a symlink switched in one rename.

Not a Pelican plugin (no signals): :mod:`bulletin.build.main` calls it around
Pelican's run, :mod:`bulletin.build.preview` and :mod:`bulletin.site.search` for the
live preview's in-place swaps. The layout, beside the output folder::

    output -> .builds/output/20261201-101502-k3j4h5g6   a relative symlink
    .builds/output/20261201-101502-k3j4h5g6/             the published build
    .builds/output/20261201-103011-a8b7c6d5/             a build in progress
    .builds/output/tmp-<pid>-…/                          a preview's scratch folder
    cache/build.lock                                     held while a build runs
    cache/build-record.json                              names the published build

A build writes into a new folder (:func:`new_build`); a page it rendered
again with the same bytes is replaced by a hard link of the published one
(:func:`keep_unchanged`), and the pages :mod:`bulletin.build.writer` kept are
linked in where the build wrote nothing (:func:`fill_in`): unchanged files
keep their inode and mtime, so rsync and CI caches move only what
changed. Then :func:`switch` points
``output`` at the new folder by renaming a new symlink over it, which
``rename(2)`` does atomically. At every instant ``output`` is the complete
old site or the complete new one. A build killed at any point leaves at
worst an unfinished folder, which the next build removes
(:func:`remove_stale`) under the build lock (:class:`BuildLock`).

Nothing ever writes *into* a published file: it may be a hard link shared
with the previous build or the photo and search caches. A published file is
only replaced, by a rename (the preview's one-page swap, its search-bundle
refresh).
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import logging
import os
import re
import secrets
import shutil
import sys
import tempfile
import time

from bulletin.build.bulk import link_all, make_folders, remove_tree

try:
    import fcntl
except ImportError:  # Windows: no flock (see BuildLock)
    fcntl = None

logger = logging.getLogger(__name__)

BUILDS = ".builds"  # beside the output folder; git-ignored
SCRATCH = "tmp-"  # a folder a running process works in: "tmp-<pid>-…"
DEFAULTS = {"BUILD_LOCK_WAIT": 10.0}  # seconds a build waits for another to finish
LOCK_POLL = 0.1


class PublicationError(Exception):
    """A failure to publish, in Vietnamese, naming the path."""


class BuildLockedError(PublicationError):
    """Another build holds the lock."""


def describe_error(error: OSError) -> str:
    """ "Permission denied (/srv/site/output)": the reason and the path(s)."""
    paths = [p for p in (error.filename, error.filename2) if p is not None]
    where = " → ".join(os.fsdecode(p) for p in paths)
    reason = error.strerror or str(error)
    return f"{reason} ({where})" if where else reason


# -- the layout ---------------------------------------------------------------------


def builds_folder(output: str) -> str:
    """``.builds/<name>`` beside ``output``: one folder per output name."""
    output = os.path.abspath(output)
    return os.path.join(os.path.dirname(output), BUILDS, os.path.basename(output))


def current_build(output: str) -> str | None:
    """The name of the build folder ``output`` points at; None when it is
    missing, a real folder or a link to anywhere else."""
    try:
        target = os.readlink(output)
    except OSError:
        return None
    output = os.path.abspath(output)
    resolved = os.path.normpath(os.path.join(os.path.dirname(output), target))
    if os.path.dirname(resolved) != builds_folder(output) or not os.path.isdir(resolved):
        return None
    return os.path.basename(resolved)


def new_build(output: str) -> str:
    """A new, empty, world-readable build folder (its name sorts by time)."""
    folder = builds_folder(output)
    os.makedirs(folder, exist_ok=True)
    path = tempfile.mkdtemp(prefix=time.strftime("%Y%m%d-%H%M%S-"), dir=folder)
    os.chmod(path, 0o755)  # mkdtemp makes 0700; published files are world-readable
    return path


def scratch_folder(output: str) -> str:
    """A folder for work outside the build lock (the preview's page render,
    its search index). :func:`remove_stale` leaves it while this process lives."""
    folder = builds_folder(output)
    os.makedirs(folder, exist_ok=True)
    return tempfile.mkdtemp(prefix=f"{SCRATCH}{os.getpid()}-", dir=folder)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if os.name != "posix":  # os.kill(pid, 0) would *terminate* it on Windows
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # PermissionError: someone else's process
        return True
    return True


def in_use(name: str) -> bool:
    """A scratch folder ("tmp-<pid>-…") of a process that still runs."""
    match = re.match(rf"{SCRATCH}(\d+)-", name)
    return bool(match) and _alive(int(match.group(1)))


def remove(path: str) -> None:
    """Remove a file, a link (never what it points at) or a folder."""
    if os.path.isdir(path) and not os.path.islink(path):
        remove_tree(path)  # many removals at once (bulletin.build.bulk)
    elif os.path.lexists(path):
        os.remove(path)


def remove_stale(output: str) -> list[str]:
    """Remove what earlier builds left beside ``output``: every build folder
    but the published one (killed builds, replaced builds), and the staging
    folders of the layout before this one (``.output-XXXXXXXX``). Scratch
    folders of running processes stay. Call under the build lock. A folder
    that cannot be removed is only logged: it is not published."""
    folder = builds_folder(output)
    keep = current_build(output)
    stale = []
    with contextlib.suppress(FileNotFoundError):
        stale += [
            os.path.join(folder, name)
            for name in sorted(os.listdir(folder))
            if name != keep and not in_use(name)
        ]
    parent, name = os.path.split(os.path.abspath(output))
    legacy = re.compile(rf"\.(?:{re.escape(name)}(?:-search)?|preview)-[a-z0-9_]{{8}}")
    with contextlib.suppress(FileNotFoundError):
        stale += [
            os.path.join(parent, entry)
            for entry in sorted(os.listdir(parent))
            if legacy.fullmatch(entry) and os.path.isdir(os.path.join(parent, entry))
        ]
    for path in stale:
        try:
            remove(path)
        except OSError as error:
            logger.warning("Không xóa được thư mục cũ %s: %s", path, describe_error(error))
    return stale


# -- filling in and switching -------------------------------------------------------


def link_or_copy(source: str, target: str) -> None:
    """A new hard link of ``source`` at ``target``; a copy across file systems."""
    try:
        os.link(source, target)
    except OSError:  # another file system, or hard links not allowed here
        shutil.copy2(source, target)


def fill_in(build: str, published: str, relatives) -> int:
    """Link each file of ``published`` named in ``relatives`` into ``build``,
    where the build wrote nothing: a file the build wrote is never touched,
    and nothing is written into a linked one. The folders, then the links,
    are made several at a time (:mod:`bulletin.build.bulk`)."""
    pairs = []
    for relative in sorted(relatives):
        target = os.path.join(build, relative)
        if not os.path.lexists(target):
            pairs.append((os.path.join(published, relative), target))
    make_folders({os.path.dirname(target) for _source, target in pairs})
    link_all(pairs, link_or_copy)
    return len(pairs)


def same_bytes(one: str, other: str, first: os.stat_result, second: os.stat_result) -> bool:
    if first.st_size != second.st_size:
        return False
    with open(one, "rb") as left, open(other, "rb") as right:
        while True:
            chunk = left.read(1 << 16)
            if chunk != right.read(1 << 16):
                return False
            if not chunk:
                return True


def keep_unchanged(build: str, published: str) -> int:
    """Replace each file of ``build`` whose bytes equal the published one at
    the same path by a hard link of that published file, so it keeps its
    inode and mtime (a title edit renders every page again; most come out
    the same). The build's own file is unlinked first, never written into.
    Returns how many files were replaced."""
    if not os.path.isdir(published):
        return 0
    count = 0
    for folder, _dirs, files in os.walk(build):
        relative = os.path.relpath(folder, build)
        for name in files:
            new = os.path.join(folder, name)
            old = os.path.normpath(os.path.join(published, relative, name))
            try:
                first, second = os.lstat(new), os.stat(old)
            except OSError:
                continue
            if (first.st_ino, first.st_dev) == (second.st_ino, second.st_dev):
                continue  # already one file (photos and search bundles, linked from caches)
            if not os.path.isfile(old) or not same_bytes(new, old, first, second):
                continue
            temporary = f"{new}.{secrets.token_hex(4)}"
            try:
                os.link(old, temporary)
            except OSError:  # another file system: keep the new file
                continue
            os.replace(temporary, new)
            count += 1
    return count


def _libc():
    if sys.platform != "linux":
        return None
    try:  # the interpreter's own symbols: libc's, without searching for it
        return ctypes.CDLL(None, use_errno=True)
    except OSError:
        return None


_LIBC = _libc()
AT_FDCWD = -100
RENAME_EXCHANGE = 1 << 1


def exchange(one: str, other: str) -> None:
    """Swap two paths atomically: ``renameat2(RENAME_EXCHANGE)`` (Linux 3.15+,
    glibc 2.28+, most local file systems)."""
    call = getattr(_LIBC, "renameat2", None)
    if call is not None:
        call.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p]
        call.argtypes += [ctypes.c_uint]
        if call(AT_FDCWD, os.fsencode(one), AT_FDCWD, os.fsencode(other), RENAME_EXCHANGE) == 0:
            return
        code = ctypes.get_errno()
        if code not in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):
            raise OSError(code, os.strerror(code), other, None, one)
    # No atomic exchange here: two renames. For a moment ``other`` does not
    # exist (a reader gets "not found"), but it is never a mix of both.
    aside = f"{other}.{secrets.token_hex(4)}"
    os.rename(other, aside)
    try:
        os.rename(one, other)
    except OSError:
        os.rename(aside, other)
        raise
    os.rename(aside, one)


def _sync(folder: str) -> None:
    """Put the new build's files on disk before a name points at them: after
    a power cut the switched link must not lead to empty files. ``syncfs``
    flushes the one file system (a single call, not one per file)."""
    call = getattr(_LIBC, "syncfs", None)
    if call is not None:
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            if call(descriptor) == 0:
                return
        finally:
            os.close(descriptor)
    if hasattr(os, "sync"):
        os.sync()


def sync_folder(folder: str) -> None:
    """Make a rename in ``folder`` durable (POSIX; nothing to do elsewhere)."""
    if os.name != "posix":
        return
    try:
        descriptor = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def switch(output: str, build: str) -> None:
    """Point ``output`` at ``build`` in one atomic step.

    A new relative symlink is made in the builds folder and renamed over
    ``output``. A real folder at ``output`` (the layout before this one)
    is exchanged with the link instead, atomically where the system can,
    and so lands in the builds folder, for :func:`remove_stale`. Raises
    ``OSError``; ``output`` is then as it was.
    """
    output = os.path.abspath(output)
    parent = os.path.dirname(output)
    _sync(build)
    link = os.path.join(builds_folder(output), f"link-{secrets.token_hex(4)}")
    try:
        os.symlink(os.path.relpath(build, parent), link)
    except OSError as error:
        if error.errno not in NO_SYMLINKS and getattr(error, "winerror", None) != 1314:
            raise
        _move_into_place(output, build)
        return
    try:
        if os.path.isdir(output) and not os.path.islink(output):
            exchange(link, output)
        else:
            os.replace(link, output)
    except OSError:
        with contextlib.suppress(OSError):
            os.remove(link)
        raise
    sync_folder(parent)


NO_SYMLINKS = (errno.EPERM, errno.ENOTSUP, errno.ENOSYS)  # FAT, some network shares


def _move_into_place(output: str, build: str) -> None:
    """Where no symlink can be made (Windows without the privilege, FAT): the
    build folder itself becomes ``output``, by two renames — for a moment
    ``output`` does not exist, but it is never a mix. A real folder is never
    a trusted build (:func:`current_build`): every build there renders all."""
    aside = None
    if os.path.lexists(output):
        aside = os.path.join(builds_folder(output), f"old-{secrets.token_hex(4)}")
        os.rename(output, aside)
    try:
        os.rename(build, output)
    except OSError:
        if aside is not None:
            os.rename(aside, output)
        raise
    sync_folder(os.path.dirname(output))


def remove_output(output: str) -> None:
    """``invoke clean``: the link (or a real folder) and every build of it."""
    with contextlib.suppress(FileNotFoundError):
        remove(output)
    shutil.rmtree(builds_folder(output), ignore_errors=True)
    with contextlib.suppress(OSError):
        os.rmdir(os.path.dirname(builds_folder(output)))  # .builds/, when empty


# -- one build at a time --------------------------------------------------------------


class BuildLock:
    """An exclusive ``flock`` on ``path``, held while a build runs.

    Waits up to ``wait`` seconds for another build, then raises
    :class:`BuildLockedError`. The lock dies with its process (a killed build
    never leaves it held) and the file is never removed (removing a lock
    file lets two processes each lock a different one). Windows has no
    ``flock``: there the lock does nothing (one build at a time is then
    the editor's business).
    """

    def __init__(self, path: str, wait: float = DEFAULTS["BUILD_LOCK_WAIT"]):
        self.path = path
        self.wait = wait
        self._descriptor: int | None = None

    def __enter__(self) -> BuildLock:
        try:
            os.makedirs(os.path.dirname(self.path), exist_ok=True)
            descriptor = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as error:
            raise PublicationError(
                f"Không tạo được khóa dựng trang: {describe_error(error)}"
            ) from None
        if fcntl is None:
            self._descriptor = descriptor
            return self
        deadline = time.monotonic() + self.wait
        while True:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = self._holder(descriptor)
                    os.close(descriptor)
                    raise BuildLockedError(
                        f"Một lần dựng trang khác đang chạy{holder} (khóa {self.path}): "
                        "hãy chờ nó xong rồi chạy lại. Trang đã xuất bản được giữ nguyên."
                    ) from None
                time.sleep(LOCK_POLL)
        with contextlib.suppress(OSError):  # who holds it, for the next one's message
            os.ftruncate(descriptor, 0)
            os.pwrite(descriptor, f"{os.getpid()}\n".encode(), 0)
        self._descriptor = descriptor
        return self

    @staticmethod
    def _holder(descriptor: int) -> str:
        try:
            pid = os.pread(descriptor, 32, 0).decode().strip()
        except (OSError, UnicodeDecodeError):
            return ""
        return f" (tiến trình {pid})" if pid.isdigit() else ""

    def __exit__(self, *_exc) -> None:
        if self._descriptor is not None:
            if fcntl is not None:
                fcntl.flock(self._descriptor, fcntl.LOCK_UN)
            os.close(self._descriptor)
            self._descriptor = None
