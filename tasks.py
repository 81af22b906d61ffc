"""Project tasks. ``invoke --list`` is the manual; ``invoke --help TASK`` for one."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from invoke import Exit, task

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT / "plugins"))
OUTPUT = "output"


@task(
    help={
        "drafts": "also write drafts and scheduled articles to /ban-nhap/ (preview)",
        "output": "output folder (default: output)",
        "verbose": "show every file written",
    }
)
def build(c, drafts=False, output=OUTPUT, verbose=False):
    """Build the site with the development settings into output/."""
    from bulletin import build as builder  # noqa: PLC0415 - needs plugins/ on sys.path

    args = ["-s", str(ROOT / "pelicanconf.py"), "-o", output]
    args += ["--drafts"] if drafts else []
    args += ["--verbose"] if verbose else []
    code = builder.main(args)
    if code:
        raise Exit(code=code)
    print(f"Đã dựng trang vào {output}/ (xem bằng: invoke serve)")


@task(help={"port": "port to listen on (default 8000)"})
def serve(c, port=8000):
    """Serve output/ at http://localhost:8000 (build first)."""
    c.run(
        f"{sys.executable} -m http.server {port} --bind 127.0.0.1 --directory {OUTPUT}", pty=False
    )


@task(help={"args": "extra pytest arguments, e.g. -k movements"})
def test(c, args=""):
    """Run the whole test suite."""
    c.run(f"{sys.executable} -m pytest {args}", pty=False)


@task
def lint(c):
    """Lint and check formatting with ruff."""
    c.run(f"{sys.executable} -m ruff check .")
    c.run(f"{sys.executable} -m ruff format --check .")


@task
def clean(c):
    """Remove output/ and caches (never touches content/)."""
    import shutil  # noqa: PLC0415

    for folder in (OUTPUT, "cache", ".pytest_cache"):
        shutil.rmtree(ROOT / folder, ignore_errors=True)


os.environ.setdefault("PYTHONPATH", str(ROOT / "plugins"))
