"""The project's ``invoke``: the same tasks, every message in Vietnamese, no traceback.

:class:`Program` is invoke's own :class:`invoke.Program` (its documented way
to make a command of one's tasks) with three steps wrapped:

- parsing: invoke's English ``ParseError`` (a missing argument, an unknown
  word — usually a name with a space not in quotes —, a flag without its
  value, a number that is not one) becomes a Vietnamese message with the
  task's usage, built from the task's own arguments and ``help``;
- running: an exception no task caught is one Vietnamese line, not a
  traceback (``BULLETIN_DEBUG=1`` shows the traceback);
- Ctrl+C: "Đã dừng.", exit 130.

``tasks.py`` calls :func:`take_over` last: run by ``.venv/bin/invoke`` (or
``python3 bootstrap.py``, which runs it), it hands the command line to this
program, so every way the README shows to run a task gets these messages.
"""

from __future__ import annotations

import contextlib
import difflib
import os
import re
import sys
import traceback

import invoke
from invoke.exceptions import Exit, ParseError, UnexpectedExit

RUNNING = False  # this program is running (tasks.py is loaded by it)


def flag(name: str) -> str:
    return "--" + name.replace("_", "-")


def usage(context) -> str:
    """``Cách dùng: invoke new "<title>" --movement "<movement>" …`` and one
    line per argument with its help, from the task's own definition."""
    if context is None or not getattr(context, "name", None):
        return "Xem danh sách lệnh: invoke --list"
    words = [f"invoke {context.name}"]
    for number, arg in enumerate(context.positional_args):
        words.append(f'"<{arg.name}>"' if number == 0 else f'{flag(arg.name)} "<{arg.name}>"')
    lines = ["Cách dùng: " + " ".join(words)]
    for arg in context.args.values():
        if arg.help:
            optional = "" if arg.positional else " (không bắt buộc)"
            lines.append(f"  {flag(arg.name)}: {arg.help}{optional}")
    lines.append(f"Xem thêm: invoke --help {context.name}")
    return "\n".join(lines)


def translate(message: str, context, task_names=()) -> str:
    """invoke's parse error ``message`` in Vietnamese, with what to do."""
    task = getattr(context, "name", None)
    if match := re.match(r"'(.+)' did not receive required positional arguments: (.+)$", message):
        names = re.findall(r"'([^']+)'", match.group(2))
        missing = ", ".join(flag(name) for name in names)
        return f'Lệnh "{match.group(1)}" còn thiếu: {missing}.\n{usage(context)}'
    if match := re.match(r"No idea what '(.*)' is!$", message):
        word = match.group(1)
        if task:
            return (
                f'Không hiểu "{word}" trong lệnh "{task}": giá trị có dấu cách phải đặt trong '
                f'ngoặc kép, ví dụ --author "Hồng Nhung".\n{usage(context)}'
            )
        near = difflib.get_close_matches(word, list(task_names), n=1)
        hint = f' Có phải ý bạn là "{near[0]}"?' if near else ""
        return f'Không có lệnh "{word}".{hint}\nXem danh sách lệnh: invoke --list'
    if match := re.match(r"Flag <\w+: (\w+).*> needed value and was not given one!$", message):
        name = flag(match.group(1))
        return f'Tùy chọn {name} cần một giá trị, ví dụ {name} "…".\n{usage(context)}'
    if match := re.match(r"Flag <\w+: (\w+).*> doesn't take any value!$", message):
        return f"Tùy chọn {flag(match.group(1))} không nhận giá trị.\n{usage(context)}"
    if match := re.match(r"invalid literal for int\(\) with base 10: '(.*)'$", message):
        return f'"{match.group(1)}" không phải là số.\n{usage(context)}'
    return f"Không hiểu lệnh ({message}).\n{usage(context)}"


class Program(invoke.Program):
    """invoke's program with Vietnamese messages (see the module docstring)."""

    def _parse(self, step) -> None:
        try:
            step()
        except ParseError as error:
            names = self.collection.task_names if self.collection else ()
            raise ParseError(translate(str(error), error.context, names), error.context) from None
        except ValueError as error:  # a flag's value that is not of its type
            raise ParseError(translate(str(error), self._task_context())) from None

    def _task_context(self):
        """The parser context of the last task named on the command line."""
        contexts = getattr(getattr(self, "parser", None), "contexts", {})
        named = [word for word in getattr(self.core, "unparsed", []) if word in contexts]
        return contexts[named[-1]] if named else None

    def parse_core(self, argv) -> None:
        self._parse(lambda: super(Program, self).parse_core(argv))

    def parse_tasks(self) -> None:
        self._parse(super().parse_tasks)

    def parse_cleanup(self) -> None:
        self._parse(super().parse_cleanup)

    def print_task_help(self, name: str) -> None:
        """``invoke --help new``: what the task does and its usage, in the
        same words as the error messages."""
        context = self.parser.contexts[name]
        doc = (self.collection[name].__doc__ or "").strip().splitlines()
        print(f"invoke {name}: {doc[0]}" if doc else f"invoke {name}")
        print(usage(context).rsplit("\n", 1)[0])  # without "Xem thêm: this"

    def load_collection(self) -> None:
        try:
            super().load_collection()
        except Exit as error:
            if "Can't find any collection" in str(error.message):
                raise Exit(
                    "Không tìm thấy tasks.py: chạy lệnh trong thư mục dự án bản tin.", code=1
                ) from None
            raise

    def execute(self) -> None:
        try:
            super().execute()
        except (Exit, UnexpectedExit, ParseError):
            raise
        except KeyboardInterrupt:
            print("Đã dừng.", file=sys.stderr)
            raise Exit(code=130) from None
        except Exception as error:  # noqa: BLE001 - never a traceback for an editor
            if os.environ.get("BULLETIN_DEBUG"):
                traceback.print_exc()
            raise Exit(
                f"Lỗi không mong đợi ({type(error).__name__}: {error}). Hãy báo cho người quản "
                "lý kỹ thuật, kèm dòng lệnh vừa chạy (BULLETIN_DEBUG=1 để xem chi tiết).",
                code=1,
            ) from None


def main(argv=None) -> int:
    global RUNNING  # noqa: PLW0603 - one program per process
    RUNNING = True
    program = Program(
        name="Invoke", binary="inv[oke]", binary_names=["invoke", "inv"], version=invoke.__version__
    )
    try:
        program.run(argv if argv is None else ["invoke", *argv])
    except SystemExit as done:
        return done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
    except BrokenPipeError:  # `invoke --list | head`: the reader went away
        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    return 0


def take_over(module_name: str) -> None:
    """Called at the end of ``tasks.py``: under invoke's generic program
    (``.venv/bin/invoke``, ``inv``, ``python -m invoke``), run the command
    line again through :class:`Program` and exit with its code."""
    if RUNNING or module_name == "__main__":
        return
    command = os.path.basename(sys.argv[0]).lower()
    under_invoke = command.startswith(("invoke", "inv")) or (
        command == "__main__.py" and os.path.basename(os.path.dirname(sys.argv[0])) == "invoke"
    )
    if under_invoke:
        sys.exit(main(sys.argv[1:]))


if __name__ == "__main__":
    sys.exit(main())
