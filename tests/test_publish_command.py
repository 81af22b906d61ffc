"""`invoke publish`: its rsync command and its refusals."""

import subprocess
import sys

import pytest
from conftest import ROOT

from bulletin.publish import PublishError, rsync_command

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
