"""tasks.py speaks Pelican's dialect where one exists (issue 13, item 9):
`invoke preview` is the production build, `invoke rebuild` a clean build."""

from __future__ import annotations

import subprocess
import sys

from helpers import ROOT


def invoke(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "invoke", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )


def test_pelican_task_names_are_listed():
    listed = invoke("--list")
    assert listed.returncode == 0, listed.stderr
    names = {line.split()[0] for line in listed.stdout.splitlines() if line.startswith("  ")}
    assert {"build", "preview", "rebuild", "serve", "livereload", "publish", "clean"} <= names


def test_preview_is_the_production_build(monkeypatch):
    import tasks  # noqa: PLC0415

    calls = []
    monkeypatch.setattr(tasks, "build", lambda c, **kwargs: calls.append(kwargs))
    tasks.preview.body(None, output="x")
    assert calls == [{"output": "x", "production": True}]
