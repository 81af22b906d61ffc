"""bootstrap.py trusts .venv/ only when its installed versions match requirements.txt."""

import os
import sys
from importlib import metadata
from pathlib import Path

import pytest
from helpers import ROOT

import bootstrap

REQUIREMENTS = """\
# Exact versions (pip freeze).
Jinja2==3.1.6
markdown-it-py==4.3.0   # inline comment
typing_extensions==4.16.0
pagefind[extended]==1.5.2
requests>=2
tomli==2.0.1; python_version < "3.11"
--index-url https://packages.example/simple
"""

MATCHING = {
    "jinja2": "3.1.6",
    "Markdown_It.Py": "4.3.0",
    "typing-extensions": "4.16.0",
    "pagefind": "1.5.2",
    "requests": "2.99.0",
    "pip": "24.0",  # installed beyond the requirements: not reported
}


@pytest.mark.parametrize(
    ("installed", "expected"),
    [
        (MATCHING, []),
        ({**MATCHING, "jinja2": "3.1.5"}, ["jinja2 3.1.5 ≠ 3.1.6"]),
        (
            {k: v for k, v in MATCHING.items() if k != "typing-extensions"},
            ["typing-extensions: chưa cài (missing)"],
        ),
        ({**MATCHING, "requests": "1.0"}, []),  # not pinned: present is enough
        (
            {k: v for k, v in MATCHING.items() if k != "requests"},
            ["requests: chưa cài (missing)"],
        ),
        ({**MATCHING, "pagefind": "1.5.2 + 1.5.1"}, ["pagefind 1.5.2 + 1.5.1 ≠ 1.5.2"]),
        (
            {},
            [
                "jinja2: chưa cài (missing)",
                "markdown-it-py: chưa cài (missing)",
                "typing-extensions: chưa cài (missing)",
                "pagefind: chưa cài (missing)",
                "requests: chưa cài (missing)",
            ],
        ),
    ],
)
def test_venv_mismatches(installed, expected):
    assert bootstrap.venv_mismatches(REQUIREMENTS, installed) == expected


def test_pinned_requirements_leaves_out_comments_options_and_markers():
    assert bootstrap.pinned_requirements(REQUIREMENTS) == {
        "jinja2": "3.1.6",
        "markdown-it-py": "4.3.0",
        "typing-extensions": "4.16.0",
        "pagefind": "1.5.2",
        "requests": None,
    }


def test_installed_versions_reads_the_metadata_files(tmp_path):
    site = tmp_path / "lib" / "python3.11" / "site-packages"
    for folder, name, version in [
        ("Jinja2-3.1.6.dist-info", "Jinja2", "3.1.6"),
        ("typing_extensions-4.16.0.dist-info", "typing_extensions", "4.16.0"),
        ("pagefind-1.5.1.dist-info", "pagefind", "1.5.1"),
        ("pagefind-1.5.2.dist-info", "pagefind", "1.5.2"),
    ]:
        (site / folder).mkdir(parents=True)
        (site / folder / "METADATA").write_text(
            f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n\nName: not a header\n",
            encoding="utf-8",
        )
    (site / "broken-1.0.dist-info").mkdir()
    (site / "broken-1.0.dist-info" / "METADATA").write_text("Name: broken\n", encoding="utf-8")
    # A stale site-packages of another Python beside the venv's own is not read.
    (tmp_path / "lib" / "python3.10" / "site-packages" / "old-1.dist-info").mkdir(parents=True)
    (tmp_path / "pyvenv.cfg").write_text("home = /usr/bin\nversion = 3.11.7\n", encoding="utf-8")
    assert bootstrap.installed_versions(tmp_path) == {
        "jinja2": "3.1.6",
        "typing-extensions": "4.16.0",
        "pagefind": "1.5.1 + 1.5.2",
    }


def test_the_projects_venv_matches_requirements():
    """The real check, on the .venv/ these tests run in (bootstrap.py made it)."""
    venv = ROOT / ".venv"
    if not (venv / "pyvenv.cfg").exists() and not os.environ.get("CI"):
        pytest.skip("no .venv/ here (python3 bootstrap.py test makes it)")
    installed = bootstrap.installed_versions(venv)
    requirements = (ROOT / "requirements.txt").read_text(encoding="utf-8")
    assert bootstrap.venv_mismatches(requirements, installed) == []
    # The light metadata reader agrees with importlib.metadata in that venv.
    if Path(sys.prefix).resolve() == venv.resolve():
        expected = {
            bootstrap.normalize_name(d.metadata["Name"]): d.version
            for d in metadata.distributions()
            if d.metadata["Name"]
        }
        assert installed == expected


@pytest.fixture
def fake_venv(tmp_path, monkeypatch):
    """bootstrap.py pointed at a throwaway folder; pip and the metadata reader faked."""
    requirements = tmp_path / "requirements.txt"
    requirements.write_text("Jinja2==3.1.6\n", encoding="utf-8")
    venv = tmp_path / ".venv"
    monkeypatch.setattr(bootstrap, "VENV", venv)
    monkeypatch.setattr(bootstrap, "REQUIREMENTS", requirements)
    monkeypatch.setattr(bootstrap, "STAMP", venv / ".requirements.sha256")
    python = bootstrap.venv_bin("python")
    python.parent.mkdir(parents=True)
    python.write_text("")
    state = {"installed": {}, "pip_runs": 0, "after_pip": {"jinja2": "3.1.6"}}

    def run(command, **kwargs):
        assert command[-3:] == ["install", "-r", str(requirements)]
        state["pip_runs"] += 1
        state["installed"] = state["after_pip"]

    monkeypatch.setattr(bootstrap.subprocess, "run", run)
    monkeypatch.setattr(bootstrap, "installed_versions", lambda: state["installed"])
    return state


def test_a_stamped_venv_that_matches_is_kept(fake_venv):
    bootstrap.ensure_environment()
    assert fake_venv["pip_runs"] == 1 and bootstrap.STAMP.exists()
    bootstrap.ensure_environment()
    assert fake_venv["pip_runs"] == 1


def test_a_stamped_venv_with_other_versions_is_reinstalled(fake_venv, capsys):
    bootstrap.ensure_environment()
    fake_venv["installed"] = {"jinja2": "3.0.0"}  # e.g. restored from another cache
    bootstrap.ensure_environment()
    assert fake_venv["pip_runs"] == 2
    assert "không khớp requirements.txt" in capsys.readouterr().out
    assert fake_venv["installed"] == {"jinja2": "3.1.6"} and bootstrap.STAMP.exists()


def test_a_venv_still_wrong_after_install_is_refused_and_unstamped(fake_venv):
    fake_venv["after_pip"] = {"jinja2": "3.0.0"}
    with pytest.raises(bootstrap.SetupError, match="vẫn không khớp"):
        bootstrap.ensure_environment()
    assert not bootstrap.STAMP.exists()
