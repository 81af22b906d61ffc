"""A build killed at any moment never publishes a mix, and the next build heals.

The fixture site is built (content A, published), one article is edited
(content B), and the build of B is killed with SIGKILL just before its
N-th file-system operation under the site's folder (output, build folders,
caches, build record), for N spread over the whole build — the first and
last operations, the switch of ``output`` and the build record's write
included. Each time ``output`` must be, byte for byte, the site of A or the
site of B (as clean builds make them); then normal builds of B and of A (in
both orders) must give exactly a clean build's site, leaving no stale
folder. Two edits: a body edit (the kept pages are linked from the
published build; the search index is on) and a title edit (every page is
rendered again).

The builds run in a fork server (``crash_build.py``): one import of
Pelican and the plugins, a real process per build, killed by an audit hook
(no test hook in the production code).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import FIXTURE_SETTINGS, ROOT, copy_fixture_site

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(sys.platform != "linux", reason="fork, SIGKILL and /proc: Linux"),
]

SERVER = Path(__file__).with_name("crash_build.py")
SEED = "articles/2023/phat-dong-phong-trao-thi-dua-nam-2023.md"
KILL_POINTS = 16  # per scenario, spread evenly; plus the first and last few, the switch, the record
# The project's settings, with the fixture's content. Templates are compiled
# once for all these builds (a Jinja bytecode cache outside the site's
# folder, with a stable repr for the build digest): compiling them is most
# of a build of so small a site, and nothing this test is about.
SETTINGS = """import sys
sys.path.insert(0, {root!r})
from jinja2 import FileSystemBytecodeCache
from pelicanconf import *  # noqa: F403


class Compiled(FileSystemBytecodeCache):
    def __repr__(self):
        return "Compiled()"


JINJA_ENVIRONMENT = {{**JINJA_ENVIRONMENT, "bytecode_cache": Compiled({templates!r})}}
THEME = {theme!r}
SEARCH_INDEX = {search!r}
"""


def edit_body(content: Path) -> None:
    seed = content / SEED
    seed.write_text(seed.read_text(encoding="utf-8") + "\nĐoạn bổ sung sau khi đăng.\n", "utf-8")


def edit_title(content: Path) -> None:
    seed = content / SEED
    text = seed.read_text(encoding="utf-8")
    seed.write_text(text.replace("Title: Phát động", "Title: Lễ phát động", 1), "utf-8")


SCENARIOS = {"body-edit-search": (edit_body, True), "title-edit": (edit_title, False)}


class Builds:
    """The fork server: ``run(cwd, kill_at=…)`` → {"code": c} or {"killed": 9}."""

    def __init__(self, log: Path):
        env = dict(
            os.environ,
            PYTHONPATH=os.pathsep.join([str(ROOT / "plugins"), str(ROOT)]),
            SOURCE_DATE_EPOCH="1764000000",  # the same "now" for every build
        )
        self.log = log
        self.process = subprocess.Popen(
            [sys.executable, str(SERVER)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
            text=True,
        )

    def run(self, site: Path, kill_at: int | None = None, events: Path | None = None) -> dict:
        request = {
            "cwd": str(site),
            "argv": ["-s", "site.py", "-o", "output"],
            "watch": str(site),
            "kill_at": kill_at,
            "events": str(events) if events else None,
            "stdio": str(self.log),
        }
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        assert line, "the build server stopped: " + self.log.read_text(encoding="utf-8")
        return json.loads(line)

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=30)


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    server = Builds(tmp_path_factory.mktemp("crash-log") / "builds.log")
    yield server
    server.close()


@pytest.fixture(scope="module")
def compiled_templates(tmp_path_factory):
    return tmp_path_factory.mktemp("jinja-bytecode")


def manifest(output: Path) -> dict[str, str]:
    """Relative path → SHA-256 of every file of the site (through the link)."""
    files = {}
    for folder, _dirs, names in os.walk(output):
        for name in names:
            path = os.path.join(folder, name)
            with open(path, "rb") as handle:
                files[os.path.relpath(path, output)] = hashlib.sha256(handle.read()).hexdigest()
    return files


def make_site(folder: Path, search: bool, templates: Path) -> Path:
    copy_fixture_site(folder)
    settings = SETTINGS.format(
        root=str(ROOT), theme=str(ROOT / "theme"), search=search, templates=str(templates)
    )
    settings += "".join(f"{key} = {value!r}\n" for key, value in FIXTURE_SETTINGS.items())
    (folder / "site.py").write_text(settings, encoding="utf-8")
    return folder


def texts(content: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in content.rglob("*.md")}


def put(files: dict[Path, bytes]) -> None:
    for path, data in files.items():
        if path.read_bytes() != data:
            path.write_bytes(data)


def built(builds: Builds, site: Path, expected: dict, label: str) -> None:
    result = builds.run(site)
    assert result == {"code": 0}, f"{label}: {result}\n" + builds.log.read_text("utf-8")[-3000:]
    output = site / "output"
    assert output.is_symlink(), label
    got = manifest(output)
    assert sorted(got) == sorted(expected), label
    assert [name for name in expected if got[name] != expected[name]] == [], label
    # Nothing left over: one build folder (the published one), no staging.
    assert len(os.listdir(site / ".builds" / "output")) == 1, label
    assert not [p for p in site.iterdir() if p.name.startswith((".output", ".preview"))], label


def kill_points(events: list, wanted: int = KILL_POINTS) -> list[int]:
    """1-based operation numbers to kill before: the first and last few, the
    switch and the build record's write (before and after each), the rest
    spread evenly."""
    total = len(events)
    points = {1, 2, 3, total - 2, total - 1, total}
    for number, (event, *paths) in enumerate(events, start=1):
        if event == "os.rename" and (
            paths[-1] == "output" or paths[-1].endswith("build-record.json")
        ):
            points |= {number, number + 1}
    points |= {1 + round(i * (total - 1) / (wanted - 1)) for i in range(wanted)}
    return sorted(p for p in points if 1 <= p <= total + 1)


@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_a_killed_build_publishes_all_or_nothing_and_the_next_one_heals(
    tmp_path, builds, compiled_templates, scenario
):
    change, search = SCENARIOS[scenario]
    templates = compiled_templates
    # Clean builds of A and B, elsewhere: what the site must be, byte for byte.
    references = {}
    for name in ("a", "b"):
        reference = make_site(tmp_path / f"clean-{name}", search, templates)
        if name == "b":
            change(reference / "content")
        assert builds.run(reference) == {"code": 0}, builds.log.read_text("utf-8")[-3000:]
        references[name] = manifest(reference / "output")
    site_a, site_b = references["a"], references["b"]
    assert site_a != site_b

    # A is published; this state is restored before every killed build.
    site = make_site(tmp_path / "site", search, templates)
    built(builds, site, site_a, "A")
    content_a = texts(site / "content")
    change(site / "content")
    content_b = texts(site / "content")
    template = tmp_path / "published-a"
    subprocess.run(["cp", "-a", str(site), str(template)], check=True)

    def restore() -> None:
        shutil.rmtree(site)
        subprocess.run(["cp", "-a", str(template), str(site)], check=True)

    # Counting run: every operation of the build of B, in order.
    events_file = tmp_path / "events.json"
    assert builds.run(site, kill_at=0, events=events_file) == {"code": 0}
    events = json.loads(events_file.read_text(encoding="utf-8"))
    assert manifest(site / "output") == site_b
    assert any(e[0] == "os.rename" and e[-1] == "output" for e in events), events
    assert any(e[0] == "os.rename" and e[-1].endswith("build-record.json") for e in events)
    points = kill_points(events)

    outcomes = {"A": 0, "B": 0}
    for number in points:
        restore()
        where = events[number - 1] if number <= len(events) else ["(after the last one)"]
        label = f"{scenario}: killed before operation {number}/{len(events)} {where}"
        result = builds.run(site, kill_at=number)
        assert result in ({"killed": 9}, {"code": 0}), label
        got = manifest(site / "output")
        assert got in (site_a, site_b), label + ": output is a mix of the old and new sites"
        outcomes["A" if got == site_a else "B"] += 1
        # The next builds put everything right: of B then A, or of A then B.
        order = [("B", content_b, site_b), ("A", content_a, site_a)]
        for name, content, expected in order if number % 2 else order[::-1]:
            put(content)
            built(builds, site, expected, f"{label}, then a build of {name}")
    # Both outcomes happen: killed before the switch (A) and after it (B).
    assert outcomes["A"] and outcomes["B"], outcomes
    print(f"{scenario}: {len(events)} operations, killed at {len(points)} points: {outcomes}")
