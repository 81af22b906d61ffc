"""Runs builds for tests/security/test_crash.py, and kills them mid-way.

A fork server: it imports the build once (Pelican, the plugins), then for
each request on stdin (a JSON line) forks a child that runs
``bulletin.build.main.main(argv)`` — the entry ``invoke build`` uses — in
``cwd``, and answers on stdout (a JSON line) how the child ended. Each
build is a real process of its own, for the price of its build alone.

With ``kill_at`` = N the child installs an audit hook (``sys.addaudithook``:
no hook in the production code) that counts the operations that change the
file system under ``watch`` — ``open`` for writing, ``os.rename`` (and
``os.replace``), ``os.link``, ``os.symlink``, ``os.remove``, ``os.rmdir``,
``os.mkdir``, ``shutil.rmtree``, ``os.chmod``, ``os.utime``,
``os.truncate`` — and sends itself SIGKILL just before the N-th: what a
power cut, an OOM kill or a CI timeout does at that point. With
``events`` the child writes the list of those operations to that file
when it ends (for the counting run).
"""

from __future__ import annotations

import json
import os
import signal
import sys
import traceback

WRITING = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
# Event name → positions of its path arguments, then of its dir_fd arguments.
EVENTS = {
    "os.rename": ((0, 1), (2, 3)),
    "os.link": ((0, 1), (2, 3)),
    "os.symlink": ((1,), (2,)),
    "os.remove": ((0,), (1,)),
    "os.rmdir": ((0,), (1,)),
    "os.mkdir": ((0,), (2,)),
    "shutil.rmtree": ((0,), (1,)),
    "os.chmod": ((0,), (2,)),
    "os.utime": ((0,), (3,)),
    "os.truncate": ((0,), ()),
}


def _path(value, dir_fd) -> str | None:
    if isinstance(value, int) or value is None:
        return None
    path = os.fsdecode(value)
    if not os.path.isabs(path) and isinstance(dir_fd, int) and dir_fd >= 0:
        try:
            base = os.readlink(f"/proc/self/fd/{dir_fd}")
        except OSError:
            return None
        path = os.path.join(base, path)
    return os.path.abspath(path)


def install(watch: str, kill_at: int | None, log: list) -> dict:
    root = os.path.abspath(watch) + os.sep
    me = os.getpid()
    state = {"on": True}

    def hook(event, args):
        if not state["on"] or os.getpid() != me:  # not in worker processes
            return
        if event == "open":
            flags = args[2] if len(args) > 2 and isinstance(args[2], int) else 0
            if not flags & WRITING:
                return
            paths = [_path(args[0], None)]
        elif event in EVENTS:
            positions, fds = EVENTS[event]
            fd = args[fds[0]] if fds and len(args) > fds[0] else None
            paths = [_path(args[p], fd) for p in positions if p < len(args)]
        else:
            return
        paths = [p for p in paths if p and (p + os.sep).startswith(root)]
        if not paths:
            return
        log.append([event, *(os.path.relpath(p, watch) for p in paths)])
        if kill_at is not None and len(log) == kill_at:
            os.kill(me, signal.SIGKILL)

    sys.addaudithook(hook)
    return state


def child(request: dict) -> int:
    from bulletin.build.main import main  # noqa: PLC0415 - imported by the server already

    os.chdir(request["cwd"])
    output = os.open(request["stdio"], os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    os.dup2(output, 1)
    os.dup2(output, 2)
    log: list = []
    state = install(request["watch"], request.get("kill_at"), log)
    try:
        code = main(request["argv"])
    except BaseException:  # noqa: BLE001 - reported to the test
        traceback.print_exc()
        code = 99
    state["on"] = False
    if request.get("events"):
        with open(request["events"], "w", encoding="utf-8") as handle:
            json.dump(log, handle)
    sys.stdout.flush()
    sys.stderr.flush()
    return code


def serve() -> None:
    import importlib  # noqa: PLC0415

    import bulletin.build.main  # noqa: F401, PLC0415 - the fork server's whole point
    import pelicanconf  # noqa: PLC0415

    for plugin in pelicanconf.PLUGINS:
        importlib.import_module(plugin)
    replies = sys.stdout
    for line in sys.stdin:
        request = json.loads(line)
        pid = os.fork()
        if pid == 0:
            code = 99
            try:
                code = child(request)
            finally:
                os._exit(code)
        _, status = os.waitpid(pid, 0)
        if os.WIFSIGNALED(status):
            reply = {"killed": os.WTERMSIG(status)}
        else:
            reply = {"code": os.WEXITSTATUS(status)}
        replies.write(json.dumps(reply) + "\n")
        replies.flush()


if __name__ == "__main__":
    serve()
