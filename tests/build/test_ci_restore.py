"""A CI run starts from the cache the workflows persist and publishes the bytes
of a clean build.

Each run here is what CI does: a fresh ``git clone`` of a repository holding
the project and the sample content, at the same path every time (a runner's
workspace), then the paths the workflows persist — read from
``.github/workflows/publish.yml`` and ``.gitlab-ci.yml`` — put back as the
cache actions restore them (a tar with hard links and links, as GitHub's; a
plain copy, as GitLab's zip), ``python3 .ci/site_cache.py restore``, the
production build as a separate process, ``python3 .ci/site_cache.py seal``.
Every output file is compared with a clean build of the same commit.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tarfile
import time
from pathlib import Path

import pytest
import yaml
from helpers import ROOT

sys.path.insert(0, str(ROOT / "bench"))
from manifest import NOW, manifest

pytestmark = pytest.mark.slow

SITEURL = "https://example.invalid/preview"
ARTICLE = "content/articles/2025/so-ket-phong-trao-thi-dua-6-thang-dau-nam-2025.md"


def persisted_paths() -> list[str]:
    """What both workflows carry between runs (they must agree)."""
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "publish.yml").read_text())
    step = next(s for s in workflow["jobs"]["build"]["steps"] if s.get("id") == "site-cache")
    github = [line.strip().rstrip("/") for line in step["with"]["path"].splitlines()]
    pipeline = yaml.safe_load((ROOT / ".gitlab-ci.yml").read_text())
    gitlab = [path.rstrip("/") for path in pipeline[".site-cache"]["paths"]]
    assert sorted(filter(None, github)) == sorted(gitlab)
    return sorted(gitlab)


def git(*args, cwd: Path) -> str:
    result = subprocess.run(
        ["git", "-c", "user.name=CI", "-c", "user.email=ci@example.invalid", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


@pytest.fixture(scope="module")
def origin(tmp_path_factory) -> Path:
    """A repository with the project as it is in this working tree."""
    repository = tmp_path_factory.mktemp("origin") / "repo"
    repository.mkdir()
    listed = git("ls-files", "-z", "--cached", "--others", "--exclude-standard", cwd=ROOT)
    for relative in filter(None, listed.split("\0")):
        source = ROOT / relative
        if source.is_file() and not relative.startswith(("tests/", "bench/", "docs/")):
            (repository / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, repository / relative)
    git("init", "-q", "-b", "main", cwd=repository)
    git("add", "-A", cwd=repository)
    git("commit", "-q", "-m", "site", cwd=repository)
    return repository


def commit_edit(origin: Path, relative: str, old: str, new: str) -> None:
    path = origin / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{relative} no longer has {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    git("commit", "-q", "-am", f"edit {relative}", cwd=origin)


def fresh_clone(origin: Path, workspace: Path) -> Path:
    if workspace.exists():
        shutil.rmtree(workspace)
    workspace.parent.mkdir(parents=True, exist_ok=True)
    git("clone", "-q", str(origin), str(workspace), cwd=workspace.parent)
    if (ROOT / "vendor").is_dir():  # the web editor, restored by its own CI cache
        shutil.copytree(ROOT / "vendor", workspace / "vendor", symlinks=True)
    return workspace


def settings_file(workspace: Path) -> str:
    # The production build needs the web editor (publishconf.CMS_REQUIRED).
    return "publishconf.py" if (workspace / "vendor").is_dir() else "pelicanconf.py"


def run(workspace: Path, *command: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, SITEURL=SITEURL, SOURCE_DATE_EPOCH=str(NOW))
    env["PYTHONPATH"] = str(workspace / "plugins")
    env.pop("GITHUB_ACTIONS", None)
    env.pop("GITHUB_OUTPUT", None)
    return subprocess.run(
        command, cwd=workspace, env=env, capture_output=True, text=True, check=False
    )


def build(workspace: Path) -> tuple[float, int]:
    """The build step as a separate process: (seconds, pages Pelican wrote)."""
    started = time.perf_counter()
    result = run(
        workspace,
        sys.executable, "-m", "bulletin.build.main",
        "-s", settings_file(workspace), "-o", "output", "--verbose",
    )  # fmt: skip
    seconds = time.perf_counter() - started
    assert result.returncode == 0, result.stdout + result.stderr
    written = len(re.findall(r"(?m)^.*(?:Writing|Đang ghi|Ghi) .*\.html", result.stderr))
    return seconds, written


def site_cache(workspace: Path, command: str) -> str:
    result = run(workspace, "python3", ".ci/site_cache.py", command)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def save_cache(workspace: Path, into: Path) -> Path:
    """The persisted paths as actions/cache stores them: one tar (links and
    hard links kept)."""
    archive = into / "cache.tar"
    into.mkdir(parents=True, exist_ok=True)
    with tarfile.open(archive, "w") as tar:
        for relative in persisted_paths():
            tar.add(workspace / relative, arcname=relative)
    return archive


def restore_cache(archive: Path, workspace: Path, hard_links: bool = True) -> None:
    with tarfile.open(archive) as tar:
        if hard_links:
            tar.extractall(workspace, filter="tar")
            return
        # GitLab's zip: every file its own copy, no hard link.
        scratch = workspace.parent / "unzipped"
        shutil.rmtree(scratch, ignore_errors=True)
        tar.extractall(scratch, filter="tar")
    for relative in persisted_paths():
        shutil.copytree(scratch / relative, workspace / relative, dirs_exist_ok=True)
    shutil.rmtree(scratch)


def inodes(folder: Path) -> set[tuple[int, int]]:
    found = set()
    for path in folder.rglob("*"):
        if path.is_file():
            stat = path.stat()
            found.add((stat.st_dev, stat.st_ino))
    return found


def shared_files(output: Path, restored: set) -> int:
    return sum(
        1
        for path in output.rglob("*")
        if path.is_file() and (path.stat().st_dev, path.stat().st_ino) in restored
    )


def assert_same_site(output: dict, expected: dict) -> None:
    """Every file of ``output`` is ``expected``'s, byte for byte — the search
    index included (Pagefind's random filter order is put right by
    bulletin.site.search_stable)."""
    differing = sorted(p for p in set(output) | set(expected) if output.get(p) != expected.get(p))
    assert not differing, differing


def pages(files: dict) -> dict:
    """The files outside the search index (what an edit must visibly change)."""
    return {path: digest for path, digest in files.items() if not path.startswith("pagefind/")}


@pytest.fixture(scope="module")
def first_run(origin, tmp_path_factory):
    """Main's first CI run: cold, then its cache saved."""
    scratch = tmp_path_factory.mktemp("ci")
    workspace = fresh_clone(origin, scratch / "work" / "site")
    cold, cold_written = build(workspace)
    assert "changed=true" in site_cache(workspace, "seal")
    archive = save_cache(workspace, scratch / "saved")
    first = manifest(workspace / "output")
    # One article's body: a sentence added at its end.
    text = (origin / ARTICLE).read_text(encoding="utf-8")
    commit_edit(origin, ARTICLE, text, text.rstrip() + " Kết quả được báo cáo lên tỉnh.\n")
    clean = fresh_clone(origin, scratch / "clean" / "site")
    build(clean)
    return {
        "scratch": scratch,
        "workspace": workspace,
        "archive": archive,
        "first": first,
        "clean": manifest(clean / "output"),
        "cold": (cold, cold_written),
    }


def ci_run(origin, run_data, hard_links=True, damage=None):
    """The next CI run: fresh clone, cache restored, restore, build, seal."""
    workspace = fresh_clone(origin, run_data["workspace"])
    restore_cache(run_data["archive"], workspace, hard_links=hard_links)
    if damage:
        damage(workspace)
    said = site_cache(workspace, "restore")
    restored = inodes(workspace / "output") if (workspace / "output").exists() else set()
    seconds, written = build(workspace)
    sealed = site_cache(workspace, "seal")
    return workspace, said, restored, seconds, written, sealed


def test_a_ci_run_from_the_cache_writes_the_bytes_of_a_clean_build(origin, first_run):
    workspace, said, restored, seconds, written, sealed = ci_run(origin, first_run)
    assert "Dùng lại bản dựng" in said, said
    output = manifest(workspace / "output")
    assert_same_site(output, first_run["clean"])
    assert pages(output) != pages(first_run["first"])  # the edit is published
    # It reused the restored build: nearly every file is a hard link of it,
    # and Pelican wrote a handful of pages, not the site.
    assert shared_files(workspace / "output", restored) >= 0.9 * len(output)
    cold_seconds, cold_written = first_run["cold"]
    assert written < cold_written / 4, (written, cold_written)
    assert "changed=true" in sealed
    print(f"cold {cold_seconds:.2f}s ({cold_written} pages), CI run {seconds:.2f}s ({written})")


def test_an_unchanged_commit_publishes_the_restored_build_and_saves_nothing(
    origin, first_run, tmp_path
):
    data = dict(first_run, archive=first_run["archive"])
    workspace, said, restored, _seconds, written, sealed = ci_run(origin, data)
    # Save this run's cache, run again on the same commit: nothing to write.
    data["archive"] = save_cache(workspace, tmp_path / "saved")
    workspace, said, restored, _seconds, written, sealed = ci_run(origin, data)
    assert "Dùng lại bản dựng" in said
    assert written == 0
    assert shared_files(workspace / "output", restored) == len(manifest(workspace / "output"))
    assert "changed=false" in sealed
    assert_same_site(manifest(workspace / "output"), first_run["clean"])


def test_a_cache_restored_without_hard_links_is_reused_too(origin, first_run):
    workspace, said, _restored, _seconds, written, _sealed = ci_run(
        origin, first_run, hard_links=False
    )
    assert "Dùng lại bản dựng" in said, said
    assert_same_site(manifest(workspace / "output"), first_run["clean"])
    assert written < first_run["cold"][1] / 4


def published_build(workspace: Path) -> Path:
    builds = sorted((workspace / ".builds" / "output").iterdir())
    assert len(builds) == 1
    return builds[0]


def tamper(workspace: Path) -> None:
    """A kept page edited in the restored build (same size: only bytes differ)."""
    page = published_build(workspace) / "gioi-thieu" / "index.html"
    text = page.read_bytes()
    page.unlink()  # a new file: the cache's other links keep their bytes
    page.write_bytes(text.replace(b"<main", b"<mAin", 1))


def truncate(workspace: Path) -> None:
    """A partial restore: a page and a search chunk missing."""
    build = published_build(workspace)
    (build / "lien-he" / "index.html").unlink()
    next((build / "pagefind").rglob("*.pf_fragment")).unlink()


# A record of another build, a file added: tests/security/test_ci_cache_hostile.py (no build).
@pytest.mark.parametrize("damage", [tamper, truncate])
def test_a_damaged_restore_falls_back_to_a_clean_build(origin, first_run, damage):
    workspace, said, restored, _seconds, written, _sealed = ci_run(origin, first_run, damage=damage)
    assert "dựng toàn bộ" in said and not restored, said
    assert_same_site(manifest(workspace / "output"), first_run["clean"])
    assert written >= first_run["cold"][1] * 0.9  # every page rendered again


def test_without_the_restore_check_a_tampered_page_would_be_published(origin, first_run):
    """Why ``restore`` hashes the build: the record alone trusts any bytes."""
    workspace = fresh_clone(origin, first_run["workspace"])
    restore_cache(first_run["archive"], workspace)
    tamper(workspace)
    os.symlink(os.path.relpath(published_build(workspace), workspace), workspace / "output")
    build(workspace)
    page = (workspace / "output" / "gioi-thieu" / "index.html").read_bytes()
    assert b"<mAin" in page


def test_a_cache_of_another_code_version_still_builds_correctly(origin, first_run, tmp_path):
    """The key changes with plugins/, but restore-keys hand the run the
    previous code's cache: the reader cache and the build digest are keyed by
    the code's fingerprint, so nothing stale is published."""
    commit_edit(
        origin,
        "plugins/bulletin/content/figures.py",
        "figcaption.text = text\n",
        "figcaption.text = text.upper()\n",
    )
    commit_edit(
        origin,
        "plugins/bulletin/content/figures.py",
        'figcaption.text = text + " "\n',
        'figcaption.text = text.upper() + " "\n',
    )
    clean = fresh_clone(origin, tmp_path / "clean" / "site")
    build(clean)
    expected = manifest(clean / "output")
    assert pages(expected) != pages(first_run["clean"])  # the code change shows in the pages
    workspace, said, _restored, _seconds, _written, _sealed = ci_run(origin, first_run)
    assert "Dùng lại bản dựng" in said
    try:
        assert_same_site(manifest(workspace / "output"), expected)
    finally:
        git("reset", "-q", "--hard", "HEAD~2", cwd=origin)
