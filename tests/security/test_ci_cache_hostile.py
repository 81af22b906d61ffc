"""A CI cache is restored into the checkout before anything checks it: what
``.ci/site_cache.py restore`` does with a hostile one (a cache written by a
compromised run, a crafted archive). It never follows a link out of the
checkout, never deletes outside it, never trusts a build it cannot verify
byte for byte, and never ends in a traceback; the run then builds everything.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import ROOT

BUILD = "20261203-101502-k3j4h5g6"


def project(tmp_path: Path) -> Path:
    """A checkout after a build and a seal: the script, a record, a build."""
    root = tmp_path / "site"
    (root / ".ci").mkdir(parents=True)
    shutil.copy2(ROOT / ".ci" / "site_cache.py", root / ".ci" / "site_cache.py")
    build = root / ".builds" / "output" / BUILD
    (build / "tin-tuc").mkdir(parents=True)
    (build / "index.html").write_text("<p>trang chủ</p>", encoding="utf-8")
    (build / "tin-tuc" / "index.html").write_text("<p>tin</p>", encoding="utf-8")
    (root / "cache").mkdir()
    record = {"output": str(root / "output"), "build": BUILD, "digest": "d"}
    (root / "cache" / "build-record.json").write_text(json.dumps(record), encoding="utf-8")
    os.symlink(os.path.join(".builds", "output", BUILD), root / "output")
    assert "changed=true" in run(root, "seal").stdout
    os.remove(root / "output")  # not persisted by the workflows
    return root


def run(root: Path, command: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}
    result = subprocess.run(
        [sys.executable, str(root / ".ci" / "site_cache.py"), command],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    return result


def refused(root: Path) -> bool:
    said = run(root, "restore").stdout
    gone = not os.path.lexists(root / "output") and not (root / "cache/build-record.json").exists()
    return "dựng toàn bộ" in said and gone


def edit_seal(root: Path, **changes) -> None:
    path = root / "cache" / "site-seal.json"
    seal = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps(seal | changes), encoding="utf-8")


def test_an_intact_cache_is_used(tmp_path):
    root = project(tmp_path)
    assert "Dùng lại" in run(root, "restore").stdout
    assert os.readlink(root / "output") == os.path.join(".builds", "output", BUILD)


@pytest.mark.parametrize(
    "name", ["../../outside", "..", "/etc", "a/b", "x\u0000y", "", 7, None, ".hidden"]
)
def test_a_build_name_leading_elsewhere_is_refused(tmp_path, name):
    root = project(tmp_path)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "index.html").write_text("giữ nguyên", encoding="utf-8")
    edit_seal(root, build=name)
    assert refused(root)
    assert (outside / "index.html").read_text(encoding="utf-8") == "giữ nguyên"


def test_a_link_inside_the_build_is_refused(tmp_path):
    root = project(tmp_path)
    secret = tmp_path / "secret.txt"
    secret.write_text("bí mật", encoding="utf-8")
    page = root / ".builds" / "output" / BUILD / "tin-tuc" / "index.html"
    page.unlink()
    os.symlink(secret, page)  # would publish a file of the runner
    assert refused(root)
    assert secret.read_text(encoding="utf-8") == "bí mật"


@pytest.mark.parametrize("folder", [".builds", ".builds/output", "cache"])
def test_a_folder_restored_as_a_link_is_never_followed(tmp_path, folder):
    root = project(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    shutil.move(root / folder, elsewhere)
    os.symlink(elsewhere, root / folder)
    before = sorted(p.relative_to(elsewhere) for p in elsewhere.rglob("*"))
    assert refused(root)
    assert not os.path.lexists(root / "output")
    assert sorted(p.relative_to(elsewhere) for p in elsewhere.rglob("*")) == before


def test_an_output_link_planted_elsewhere_is_replaced_not_followed(tmp_path):
    root = project(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "index.html").write_text("giữ nguyên", encoding="utf-8")
    os.symlink(elsewhere, root / "output")
    assert "Dùng lại" in run(root, "restore").stdout
    assert os.readlink(root / "output") == os.path.join(".builds", "output", BUILD)
    assert (elsewhere / "index.html").read_text(encoding="utf-8") == "giữ nguyên"


@pytest.mark.parametrize(
    "seal",
    [
        "không phải JSON",
        "[]",
        json.dumps({"version": 1, "build": BUILD, "files": ["index.html"]}),
        json.dumps({"version": 1, "build": BUILD, "files": {"index.html": 1}}),
        json.dumps({"version": 99, "build": BUILD, "files": {}}),
    ],
)
def test_a_malformed_seal_is_refused(tmp_path, seal):
    root = project(tmp_path)
    (root / "cache" / "site-seal.json").write_text(seal, encoding="utf-8")
    assert refused(root)


def test_a_page_swapped_for_another_of_the_same_size_is_refused(tmp_path):
    root = project(tmp_path)
    (root / ".builds" / "output" / BUILD / "index.html").write_text(
        "<p>trang giả</p>", encoding="utf-8"
    )
    assert refused(root)


def test_a_record_of_another_build_is_refused(tmp_path):
    root = project(tmp_path)
    record = root / "cache" / "build-record.json"
    record.write_text(record.read_text().replace(BUILD, "20260101-000000-aaaaaaaa"))
    assert refused(root)


def test_a_record_edited_in_place_is_refused(tmp_path):
    root = project(tmp_path)
    record = root / "cache" / "build-record.json"
    record.write_text(record.read_text().replace('"digest": "d"', '"digest": "e"'))
    assert refused(root)


def test_a_file_added_to_the_build_is_refused(tmp_path):
    root = project(tmp_path)
    (root / ".builds" / "output" / BUILD / "tin-tuc" / "la.html").write_text("<p>thêm</p>")
    assert refused(root)
