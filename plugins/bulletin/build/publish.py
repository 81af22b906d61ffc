"""``invoke publish``: the rsync command for the agency's own web server.

Configured by environment variables, so no host or path is committed:

- ``PUBLISH_HOST`` (required): the server, e.g. ``web.backan.gov.vn``;
- ``PUBLISH_PATH`` (required): the web root on it, e.g. ``/var/www/bantin``;
- ``PUBLISH_USER`` (optional): the SSH user; ``PUBLISH_PORT`` (optional, 22);
- ``SITEURL`` (required by publishconf.py): the public address.
"""

from __future__ import annotations

import shlex


class PublishError(Exception):
    """What is missing, in Vietnamese."""


def rsync_command(env, output: str, dry_run: bool = False) -> list[str]:
    missing = [name for name in ("PUBLISH_HOST", "PUBLISH_PATH", "SITEURL") if not env.get(name)]
    if missing:
        raise PublishError(
            "thiếu biến môi trường " + ", ".join(missing) + " (xem README, mục Xuất bản)"
        )
    port = env.get("PUBLISH_PORT", "22")
    if not port.isdigit():
        raise PublishError(f"PUBLISH_PORT phải là số, không phải {port!r}")
    user = env.get("PUBLISH_USER")
    host = f"{user}@{env['PUBLISH_HOST']}" if user else env["PUBLISH_HOST"]
    target = env["PUBLISH_PATH"].rstrip("/") + "/"
    command = [
        "rsync",
        "--recursive",
        "--links",
        "--times",
        "--compress",
        "--checksum",  # a fresh CI checkout has new mtimes: compare contents
        "--delete-after",  # remove old files only once the new ones are in place
        "--itemize-changes",
        "-e",
        f"ssh -p {port}",
    ]
    if dry_run:
        command.append("--dry-run")
    command += [output.rstrip("/") + "/", f"{host}:{target}"]
    return [shlex.quote(part) for part in command]
