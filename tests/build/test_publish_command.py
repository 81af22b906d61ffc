"""`invoke publish`: its rsync command and its refusals."""

import shlex
import shutil
import subprocess
import sys

import pytest
from helpers import ROOT

from bulletin.build.publish import PublishError, rsync_command

ENV = {"PUBLISH_HOST": "web.example.gov.vn", "PUBLISH_PATH": "/var/www/bantin/", "SITEURL": "x"}


def test_rsync_command_deletes_after_and_can_dry_run():
    command = rsync_command(ENV | {"PUBLISH_USER": "bantin", "PUBLISH_PORT": "2222"}, "output")
    assert command[0] == "rsync"
    assert "--delete-after" in command and "--dry-run" not in command
    assert command[-2:] == ["output/", "bantin@web.example.gov.vn:/var/www/bantin/"]
    assert "'ssh -p 2222'" in command
    assert "--dry-run" in rsync_command(ENV, "output", dry_run=True)


@pytest.mark.parametrize("missing", ["PUBLISH_HOST", "PUBLISH_PATH", "SITEURL"])
def test_missing_variable_is_named(missing):
    env = {k: v for k, v in ENV.items() if k != missing}
    with pytest.raises(PublishError, match=missing):
        rsync_command(env, "output")


def test_publish_task_refuses_without_configuration():
    result = subprocess.run(
        [sys.executable, "-m", "invoke", "publish", "--dry-run"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin"},
        check=False,
    )
    assert result.returncode == 2
    assert "thiếu biến môi trường PUBLISH_HOST, PUBLISH_PATH, SITEURL" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.skipif(not shutil.which("rsync"), reason="rsync is not installed")
def test_rsync_sends_the_files_of_the_build_output_points_at(tmp_path):
    """output is a link to its build folder: "output/" (with the slash) makes
    rsync send that folder's files, not the link."""
    build = tmp_path / ".builds" / "output" / "20260101-000000-abcd1234"
    (build / "tin-tuc").mkdir(parents=True)
    (build / "index.html").write_text("trang chủ", encoding="utf-8")
    (build / "tin-tuc" / "index.html").write_text("tin", encoding="utf-8")
    (tmp_path / "output").symlink_to(build.relative_to(tmp_path))
    command = [shlex.split(part)[0] for part in rsync_command(ENV, str(tmp_path / "output"))]
    options = [part for part in command[1:-2] if part.startswith("--") and part != "--compress"]
    served = tmp_path / "www"
    subprocess.run(["rsync", *options, command[-2], f"{served}/"], check=True, capture_output=True)
    assert not served.is_symlink()
    assert (served / "index.html").read_text(encoding="utf-8") == "trang chủ"
    assert (served / "tin-tuc" / "index.html").is_file() and not (served / "tin-tuc").is_symlink()
