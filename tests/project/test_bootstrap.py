"""bootstrap.py installs what a task needs — requirements.txt (the site) or
requirements-dev.txt (that plus tests and tools) — and the web editor only for
the tasks that need it; it trusts .venv/ only when its installed versions match.
"""

import os
import re
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from helpers import ROOT
from packaging.markers import default_environment
from packaging.requirements import Requirement

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
    """The real check, on the .venv/ these tests run in (bootstrap.py made it
    with requirements-dev.txt, which includes requirements.txt)."""
    venv = ROOT / ".venv"
    if not (venv / "pyvenv.cfg").exists() and not os.environ.get("CI"):
        pytest.skip("no .venv/ here (python3 bootstrap.py test makes it)")
    installed = bootstrap.installed_versions(venv)
    requirements = bootstrap.requirements_text(bootstrap.DEV_REQUIREMENTS)
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
    dev = tmp_path / "requirements-dev.txt"
    dev.write_text("-r requirements.txt\npytest==9.2.0\n", encoding="utf-8")
    venv = tmp_path / ".venv"
    monkeypatch.setattr(bootstrap, "VENV", venv)
    monkeypatch.setattr(bootstrap, "REQUIREMENTS", requirements)
    monkeypatch.setattr(bootstrap, "DEV_REQUIREMENTS", dev)
    python = bootstrap.venv_bin("python")
    python.parent.mkdir(parents=True)
    python.write_text("")
    state = {
        "installed": {},
        "pip": [],
        "after_pip": {requirements.name: {"jinja2": "3.1.6"}},
        "vendored": 0,
        "ran": [],
    }
    state["after_pip"][dev.name] = {"jinja2": "3.1.6", "pytest": "9.2.0"}

    def run(command, **kwargs):
        if command[-2:] == ["-m", "bulletin.editor.vendor"]:
            state["vendored"] += 1
            return
        assert command[-3:-1] == ["install", "-r"]
        name = Path(command[-1]).name
        state["pip"].append(name)
        state["installed"] = {**state["installed"], **state["after_pip"][name]}

    def call(command, **kwargs):  # the task itself, by the venv's invoke
        state["ran"].append(command[1:])
        return 0

    monkeypatch.setattr(bootstrap.subprocess, "run", run)
    monkeypatch.setattr(bootstrap.subprocess, "call", call)
    monkeypatch.setattr(bootstrap, "installed_versions", lambda: state["installed"])
    return state


def test_a_stamped_venv_that_matches_is_kept(fake_venv):
    bootstrap.ensure_environment()
    stamp = bootstrap.stamp_for(bootstrap.REQUIREMENTS)
    assert fake_venv["pip"] == ["requirements.txt"] and stamp.exists()
    bootstrap.ensure_environment()
    assert fake_venv["pip"] == ["requirements.txt"]


def test_a_stamped_venv_with_other_versions_is_reinstalled(fake_venv, capsys):
    bootstrap.ensure_environment()
    fake_venv["installed"] = {"jinja2": "3.0.0"}  # e.g. restored from another cache
    bootstrap.ensure_environment()
    assert fake_venv["pip"] == ["requirements.txt"] * 2
    assert "không khớp requirements.txt" in capsys.readouterr().out
    assert fake_venv["installed"] == {"jinja2": "3.1.6"}
    assert bootstrap.stamp_for(bootstrap.REQUIREMENTS).exists()


def test_a_venv_still_wrong_after_install_is_refused_and_unstamped(fake_venv):
    fake_venv["after_pip"]["requirements.txt"] = {"jinja2": "3.0.0"}
    with pytest.raises(bootstrap.SetupError, match="vẫn không khớp"):
        bootstrap.ensure_environment()
    assert not bootstrap.stamp_for(bootstrap.REQUIREMENTS).exists()


def test_a_build_gets_the_site_set_and_no_web_editor(fake_venv):
    assert bootstrap.main(["build"]) == 0
    assert fake_venv["pip"] == ["requirements.txt"] and fake_venv["vendored"] == 0
    assert fake_venv["installed"] == {"jinja2": "3.1.6"}
    assert fake_venv["ran"] == [["build"]]


def test_the_tests_get_the_dev_set_and_the_web_editor(fake_venv):
    assert bootstrap.main(["test"]) == 0
    assert fake_venv["pip"] == ["requirements-dev.txt"] and fake_venv["vendored"] == 1
    # A build afterwards needs nothing more: the dev set holds the site set.
    assert bootstrap.main(["build"]) == 0
    assert fake_venv["pip"] == ["requirements-dev.txt", "requirements.txt"]
    assert bootstrap.main(["build"]) == 0 and bootstrap.main(["test"]) == 0
    assert len(fake_venv["pip"]) == 2  # both stamped and matching: no pip at all
    # A change to requirements.txt is a change to the dev set too.
    bootstrap.REQUIREMENTS.write_text("Jinja2==3.1.6\nMarkupSafe==3.0.4\n", encoding="utf-8")
    fake_venv["after_pip"]["requirements-dev.txt"]["markupsafe"] = "3.0.4"
    assert bootstrap.main(["test"]) == 0
    assert fake_venv["pip"][-1] == "requirements-dev.txt"


@pytest.mark.parametrize(
    ("argv", "dev", "editor"),
    [
        (["build"], False, False),
        (["build", "--drafts"], False, False),
        (["check"], False, False),
        (["lint"], True, False),
        (["livereload"], False, False),
        (["serve", "-p", "8001"], False, False),
        (["linkcheck"], False, False),
        (["--list"], False, False),
        (["test"], True, True),
        (["test", "--args", "-k cms"], True, True),
        (["cms", "--git"], False, True),
        (["build", "--production"], False, True),
        (["build", "-p"], False, True),
        (["build", "-dp"], False, True),
        (["preview"], False, True),
        (["publish", "--dry-run"], False, True),
        (["lighthouse"], True, True),
        (["bench", "--quick"], True, False),
    ],
)
def test_each_task_gets_what_it_needs(argv, dev, editor):
    expected = bootstrap.DEV_REQUIREMENTS if dev else bootstrap.REQUIREMENTS
    assert bootstrap.requirements_for(argv) == expected
    assert bootstrap.needs_web_editor(argv) is editor


def test_every_task_named_is_a_task():
    text = (ROOT / "tasks.py").read_text(encoding="utf-8")
    names = set(re.findall(r"^def (\w+)\(", text, re.MULTILINE))
    names |= set(re.findall(r'^    name="(\w+)",', text, re.MULTILINE))  # @task(name="import")
    assert bootstrap.DEV_TASKS | bootstrap.EDITOR_TASKS <= names


def test_requirements_text_puts_included_files_in_line(tmp_path):
    (tmp_path / "a.txt").write_text("x==1\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("# dev\n-r a.txt\ny==2\n", encoding="utf-8")
    text = bootstrap.requirements_text(tmp_path / "b.txt")
    assert bootstrap.pinned_requirements(text) == {"x": "1", "y": "2"}


# --- the two sets ----------------------------------------------------------------------
def pins(path: Path) -> dict[str, str | None]:
    return bootstrap.pinned_requirements(path.read_text(encoding="utf-8"))


def test_the_sets_are_pinned_and_apart():
    site, dev = pins(bootstrap.REQUIREMENTS), pins(bootstrap.DEV_REQUIREMENTS)
    text = bootstrap.DEV_REQUIREMENTS.read_text(encoding="utf-8")
    assert "-r requirements.txt" in text.splitlines()
    assert None not in site.values() and None not in dev.values()  # every line ==
    assert not set(site) & set(dev), "pinned in both files"
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    for wanted, file in (
        (project["dependencies"], site),
        (project["optional-dependencies"]["dev"], dev),
    ):
        for line in wanted:
            requirement = Requirement(line)
            version = str(requirement.specifier).removeprefix("==")
            assert file.get(bootstrap.normalize_name(requirement.name)) == version, line


def test_the_site_set_is_closed():
    """Every package a package of requirements.txt needs is in requirements.txt
    (read from the installed packages' metadata): a fresh install of that file
    alone is exactly it, and the publishing machine gets no test tool."""
    site = pins(bootstrap.REQUIREMENTS)
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extras = {}
    for line in project["dependencies"]:
        requirement = Requirement(line)
        extras[bootstrap.normalize_name(requirement.name)] = set(requirement.extras)
    missing = []
    for name in site:
        for line in metadata.requires(name) or []:
            requirement = Requirement(line)
            wanted = requirement.marker is None or any(
                requirement.marker.evaluate({**default_environment(), "extra": extra})
                for extra in ["", *extras.get(name, ())]
            )
            if wanted and bootstrap.normalize_name(requirement.name) not in site:
                missing.append(f"{name} → {requirement}")
    assert missing == []
