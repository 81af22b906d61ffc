#!/usr/bin/env python3
"""Set up the project on a fresh machine, then run one of its tasks.

    python3 bootstrap.py build      # install, then build the sample site
    python3 bootstrap.py test       # install, then run the whole test suite

Needs only Python 3.11+ (standard library). Creates ``.venv/`` and installs
what the task needs: ``requirements.txt`` (what the site needs to build,
check, preview and publish) for most tasks, ``requirements-dev.txt`` (that
plus the tests, the linters and the tools) for those of :data:`DEV_TASKS` —
each when it changed since its last install or when the versions installed
in ``.venv/`` no longer match it (checked on every run, see
``venv_mismatches``). Downloads the web editor (Decap CMS, pinned and
checked) into ``vendor/`` once, only for the tasks that need it
(:func:`needs_web_editor`: the editor itself, the tests, the production
build) — a plain build writes a notice at ``/admin/`` without it. Then runs
``invoke <task> [args…]`` inside it (``invoke --list`` shows every task).
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
import venv
from collections.abc import Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
REQUIREMENTS = ROOT / "requirements.txt"  # build, check, preview, publish
DEV_REQUIREMENTS = ROOT / "requirements-dev.txt"  # -r requirements.txt, + tests and tools
# Tasks that need what development adds (requirements-dev.txt): the tests,
# ruff, the benchmarks, Lighthouse, and invoke import's page reader.
DEV_TASKS = {"test", "lint", "bench", "lighthouse", "import"}
# Tasks that need the web editor's bundle: the editor itself, the tests (the
# browser tests open it), and those that make a production build, which
# fails without it (publishconf.py's CMS_REQUIRED).
EDITOR_TASKS = {"cms", "test", "preview", "publish", "lighthouse"}


def venv_bin(name: str) -> Path:
    folder = "Scripts" if os.name == "nt" else "bin"
    suffix = ".exe" if os.name == "nt" else ""
    return VENV / folder / f"{name}{suffix}"


def requirements_for(argv: list[str]) -> Path:
    """The requirements file the command line's tasks need."""
    return DEV_REQUIREMENTS if DEV_TASKS & set(argv) else REQUIREMENTS


def needs_web_editor(argv: list[str]) -> bool:
    """Whether a task of the command line needs Decap CMS in ``vendor/``:
    one of :data:`EDITOR_TASKS`, or ``build --production`` (``-p``)."""
    if EDITOR_TASKS & set(argv):
        return True
    production = any(
        arg == "--production" or re.fullmatch(r"-[A-Za-z]*p[A-Za-z]*", arg) for arg in argv
    )
    return "build" in argv and production


def stamp_for(requirements: Path) -> Path:
    """Where the sha256 of a requirements set at its last install is kept."""
    return VENV / f".{requirements.stem}.sha256"


def requirements_text(path: Path) -> str:
    """A requirements file with the files it includes (``-r other.txt``) in line."""
    lines = []
    for line in path.read_text(encoding="utf-8").splitlines():
        include = re.fullmatch(r"\s*(?:-r|--requirement)[\s=]+(\S+)\s*", line)
        lines += [requirements_text(path.parent / include[1])] if include else [line]
    return "\n".join(lines) + "\n"


class SetupError(Exception):
    """Set-up cannot go on (the message says why, in Vietnamese first)."""


def normalize_name(name: str) -> str:
    """A distribution's name as pip compares it (PEP 503): ``Jinja2`` → ``jinja2``."""
    return re.sub(r"[-_.]+", "-", name).lower()


REQUIREMENT = re.compile(
    r"([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*(?:==\s*([^\s,;=*]+)\s*$)?"
)


def pinned_requirements(requirements_text: str) -> dict[str, str | None]:
    """A requirements text as {normalized name: pinned version, or None if not ``==``}.

    Comments, pip options (``-r``, ``--hash``…: :func:`requirements_text` puts
    included files in line first) and lines with an environment marker
    (``; python_version < "3.12"``, which only pip can evaluate) are left out.
    """
    wanted: dict[str, str | None] = {}
    for raw in requirements_text.splitlines():
        line = re.split(r"(?:^|\s)#", raw, maxsplit=1)[0].strip()
        if not line or line.startswith("-") or ";" in line:
            continue
        match = REQUIREMENT.match(line)
        if match:
            wanted[normalize_name(match[1])] = match[2]
    return wanted


def venv_mismatches(requirements_text: str, installed: Mapping[str, str]) -> list[str]:
    """What keeps ``installed`` ({name: version}) from matching the requirements.

    An empty list when every requirement is installed, at its pinned version for
    ``name==version`` lines. Packages installed beyond the requirements (pip,
    a developer's own tools) are not reported.
    """
    have = {normalize_name(name): version for name, version in installed.items()}
    problems = []
    for name, version in pinned_requirements(requirements_text).items():
        found = have.get(name)
        if found is None:
            problems.append(f"{name}: chưa cài (missing)")
        elif version is not None and found != version:
            problems.append(f"{name} {found} ≠ {version}")
    return problems


def venv_site_packages(venv_dir: Path = VENV) -> list[Path]:
    """The venv's site-packages, for the Python version that made it (pyvenv.cfg)."""
    if os.name == "nt":
        return [venv_dir / "Lib" / "site-packages"]
    found = sorted((venv_dir / "lib").glob("python3*/site-packages"))
    try:
        config = (venv_dir / "pyvenv.cfg").read_text(encoding="utf-8")
    except OSError:
        return found
    version = re.search(r"^version(?:_info)?\s*=\s*(\d+)\.(\d+)", config, re.MULTILINE)
    own = version and venv_dir / "lib" / f"python{version[1]}.{version[2]}" / "site-packages"
    return [own] if own and own.is_dir() else found


def metadata_headers(path: Path) -> dict[str, str]:
    """The ``Name`` and ``Version`` headers of a METADATA or PKG-INFO file."""
    headers: dict[str, str] = {}
    with path.open(encoding="utf-8", errors="replace") as lines:
        for line in lines:
            if not line.strip():
                break  # the headers end at the first blank line
            key, _, value = line.partition(":")
            if key in ("Name", "Version") and key not in headers:
                headers[key] = value.strip()
    return headers


def installed_versions(venv_dir: Path = VENV) -> dict[str, str]:
    """{normalized name: version} of what is installed in the venv.

    Read from its ``*.dist-info/METADATA`` files (``*.egg-info/PKG-INFO`` for
    old installs), as pip and importlib.metadata do, but by this interpreter
    and without the email parser: nothing of the venv is run, and 60 packages
    take a few milliseconds. A package found twice gets both versions, which
    match no pin.
    """
    versions: dict[str, str] = {}
    for site in venv_site_packages(venv_dir):
        found = [*site.glob("*.dist-info/METADATA"), *site.glob("*.egg-info/PKG-INFO")]
        for path in sorted(found):
            headers = metadata_headers(path)
            if "Name" not in headers or "Version" not in headers:
                continue
            key, version = normalize_name(headers["Name"]), headers["Version"]
            if versions.get(key, version) != version:
                version = f"{versions[key]} + {version}"
            versions[key] = version
    return versions


def ensure_environment(requirements: Path | None = None) -> None:
    """Create .venv/ and install ``requirements`` (default: requirements.txt)
    into it unless it matches already.

    The stamp (sha256 of the set, included files in line, at its last
    install; one per file: :func:`stamp_for`) is not trusted alone: every run
    also compares the name and version of every installed distribution with
    the set (its metadata files, a few ms), and reinstalls on a difference; a
    venv with more than the set (the dev set, for a build) matches it. That
    catches a venv restored from a CI cache of other requirements, a package
    a developer up- or downgraded by hand, or one replaced by another
    version. It does NOT catch a file changed inside an installed package
    whose recorded version is right, nor a .pth file or a replaced
    interpreter: a tampered venv is trusted as long as its metadata says the
    right versions. That is why CI keeps the caches of protected branches
    apart from those merge requests can write (.gitlab-ci.yml and
    .github/workflows/publish.yml say how). Hash-checking every file (pip's
    --require-hashes and RECORD files) would need a lock with hashes for
    every platform, which cannot be made reliably offline.
    """
    if sys.version_info < (3, 11):  # noqa: UP036 - the point is to say so clearly
        sys.exit("Cần Python 3.11 trở lên (Python 3.11+ is required).")
    if not venv_bin("python").exists():
        print("• Tạo môi trường ảo .venv/ (creating .venv/)", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    requirements = requirements or REQUIREMENTS
    name, stamp = requirements.name, stamp_for(requirements)
    text = requirements_text(requirements)
    wanted = hashlib.sha256(text.encode("utf-8")).hexdigest()
    if stamp.exists() and stamp.read_text().strip() == wanted:
        problems = venv_mismatches(text, installed_versions())
        if not problems:
            return
        print(
            f"• Thư viện trong .venv/ không khớp {name}, cài lại "
            f"(.venv/ does not match {name}, reinstalling): {summary(problems)}",
            flush=True,
        )
        stamp.unlink()
    else:
        print(f"• Cài đặt thư viện từ {name} (installing dependencies)", flush=True)
    pip = [str(venv_bin("python")), "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "install", "-r", str(requirements)], check=True, cwd=ROOT)
    problems = venv_mismatches(text, installed_versions())
    if problems:
        raise SetupError(
            f"sau khi cài, .venv/ vẫn không khớp {name}; xoá .venv/ rồi chạy lại "
            f"(still not matching after install; delete .venv/ and run again): {summary(problems)}"
        )
    stamp.write_text(wanted)


def summary(problems: list[str], shown: int = 5) -> str:
    more = f" … (+{len(problems) - shown})" if len(problems) > shown else ""
    return "; ".join(problems[:shown]) + more


def ensure_web_editor() -> None:
    """Download the pinned Decap CMS once (plugins/bulletin/editor/vendor.py) for /admin/;
    a no-op (a few ms) when ``vendor/`` has it already."""
    env = dict(os.environ, PYTHONPATH=str(ROOT / "plugins"))
    subprocess.run(
        [str(venv_bin("python")), "-m", "bulletin.editor.vendor"], check=True, cwd=ROOT, env=env
    )


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__)
        return 2
    try:
        ensure_environment(requirements_for(argv))
        if needs_web_editor(argv):
            ensure_web_editor()
    except (subprocess.CalledProcessError, SetupError) as error:
        print(f"Cài đặt thất bại (installation failed): {error}", file=sys.stderr)
        return 1
    return subprocess.call([str(venv_bin("invoke")), *argv], cwd=ROOT)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
