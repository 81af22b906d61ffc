#!/usr/bin/env python3
"""Set up the project on a fresh machine, then run one of its tasks.

    python3 bootstrap.py build      # install, then build the sample site
    python3 bootstrap.py test       # install, then run the whole test suite

Needs only Python 3.11+ (standard library). Creates ``.venv/``, installs the
pinned ``requirements.txt`` into it when that file changed since the last
install, downloads the web editor (Decap CMS, pinned and checked) into
``vendor/`` once, then runs ``invoke <task> [args…]`` inside it
(``invoke --list`` shows every task).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
REQUIREMENTS = ROOT / "requirements.txt"
STAMP = VENV / ".requirements.sha256"


def venv_bin(name: str) -> Path:
    folder = "Scripts" if os.name == "nt" else "bin"
    suffix = ".exe" if os.name == "nt" else ""
    return VENV / folder / f"{name}{suffix}"


def ensure_environment() -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 - the point is to say so clearly
        sys.exit("Cần Python 3.11 trở lên (Python 3.11+ is required).")
    if not venv_bin("python").exists():
        print("• Tạo môi trường ảo .venv/ (creating .venv/)", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    wanted = hashlib.sha256(REQUIREMENTS.read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text().strip() == wanted:
        return
    print("• Cài đặt thư viện từ requirements.txt (installing dependencies)", flush=True)
    pip = [str(venv_bin("python")), "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "install", "-r", str(REQUIREMENTS)], check=True, cwd=ROOT)
    STAMP.write_text(wanted)


def ensure_web_editor() -> None:
    """Download the pinned Decap CMS once (plugins/bulletin/vendor.py) for /admin/."""
    env = dict(os.environ, PYTHONPATH=str(ROOT / "plugins"))
    subprocess.run(
        [str(venv_bin("python")), "-m", "bulletin.vendor"], check=True, cwd=ROOT, env=env
    )


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__)
        return 2
    try:
        ensure_environment()
        ensure_web_editor()
    except subprocess.CalledProcessError as error:
        print(f"Cài đặt thất bại (installation failed): {error}", file=sys.stderr)
        return 1
    return subprocess.call([str(venv_bin("invoke")), *argv], cwd=ROOT)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
