"""The movements registry, ``content/movements.toml`` (pure): its tables,
their rules, and the problems of a registry an editor wrote."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field

from bulletin.content.model import SLUG_RE, Problem, suggest
from bulletin.content.vietnamese import nfc, slugify

MOVEMENT_KEYS = ("name", "start", "end", "launched_by", "description")


@dataclass(frozen=True)
class MovementEntry:
    """One table of ``content/movements.toml``."""

    slug: str
    name: str
    start: int
    end: int | None = None
    launched_by: str = ""
    description: str = ""


@dataclass
class Registry:
    """The movements registry: entries by slug, and how to find them by name."""

    entries: dict[str, MovementEntry] = field(default_factory=dict)

    def lookup(self, word: str) -> MovementEntry | None:
        """A movement by its slug or its exact name (case and spaces aside)."""
        word = " ".join(nfc(word).split())
        if word in self.entries:
            return self.entries[word]
        folded = word.casefold()
        for entry in self.entries.values():
            if " ".join(entry.name.split()).casefold() == folded:
                return entry
        return None

    def split(self, value: str) -> tuple[list[MovementEntry], list[str]]:
        """Split a ``Movement:`` value into known movements and unknown words.

        Names may contain commas ("Cán bộ, công chức, viên chức thi đua …"),
        so the longest run of comma-separated parts that is a known name or
        slug wins before the value is split further.
        """
        parts = [part.strip() for part in nfc(value).split(",")]
        found, unknown = [], []
        start = 0
        while start < len(parts):
            for stop in range(len(parts), start, -1):
                entry = self.lookup(", ".join(parts[start:stop]))
                if entry:
                    if entry not in found:
                        found.append(entry)
                    start = stop
                    break
            else:
                if parts[start]:
                    unknown.append(parts[start])
                start += 1
        return found, unknown

    def suggestions(self, word: str) -> list[str]:
        names = {entry.name: entry.slug for entry in self.entries.values()}
        near = suggest(word, list(names) + list(self.entries))
        out = []
        for item in near:
            slug = names.get(item, item)
            label = f'"{slug}" ({self.entries[slug].name})'
            if label not in out:
                out.append(label)
        return out


def _toml_error_line(error: tomllib.TOMLDecodeError) -> int:
    match = re.search(r"line (\d+)", str(error))
    return int(match.group(1)) if match else 0


def load_registry(text: str, path: str) -> tuple[Registry, list[Problem]]:
    """Parse and check the movements registry; report every problem."""
    registry, problems = Registry(), []
    try:
        data = tomllib.loads(nfc(text))
    except tomllib.TOMLDecodeError as error:
        problems.append(
            Problem(
                path,
                _toml_error_line(error),
                f"Tệp danh mục phong trào không đúng cú pháp TOML ({error})",
                'mỗi phong trào bắt đầu bằng "[slug]", mỗi dòng "khóa = giá trị", '
                'chuỗi đặt trong dấu ngoặc kép "…"',
            )
        )
        return registry, problems

    lines = table_lines(text)
    for slug, table in data.items():
        line = lines.get(slug, 0)
        reported = len(problems)
        where = f'Phong trào "[{slug}]"'
        if not isinstance(table, dict):
            problems.append(
                Problem(
                    path,
                    line,
                    f'"{slug}" phải là một bảng [{slug}], không phải một giá trị',
                    f'viết "[{slug}]" rồi các dòng name = "…", start = 2023',
                )
            )
            continue
        if not SLUG_RE.match(slug):
            problems.append(
                Problem(
                    path,
                    line,
                    f'{where}: tên bảng phải là slug chữ thường không dấu, nối bằng "-"',
                    f'đổi thành "[{slugify(slug)}]"',
                )
            )
        for key in table:
            if key not in MOVEMENT_KEYS:
                near = suggest(key, MOVEMENT_KEYS, n=1)
                problems.append(
                    Problem(
                        path,
                        line,
                        f'{where}: khóa "{key}" không được hỗ trợ',
                        f'có phải ý bạn là "{near[0]}"?'
                        if near
                        else "các khóa hợp lệ: " + ", ".join(MOVEMENT_KEYS),
                    )
                )
        name = table.get("name")
        if not isinstance(name, str) or not name.strip():
            problems.append(
                Problem(
                    path,
                    line,
                    f'{where}: thiếu khóa "name" (tên phong trào)',
                    'thêm dòng name = "Tên đầy đủ của phong trào"',
                )
            )
        start, end = table.get("start"), table.get("end")
        if not _is_year(start):
            problems.append(
                Problem(
                    path,
                    line,
                    f'{where}: khóa "start" (năm bắt đầu) '
                    + ("bị thiếu" if start is None else f"không hợp lệ: {start!r}"),
                    "viết năm là số, không có ngoặc kép, ví dụ start = 2022",
                )
            )
        if end is not None and not _is_year(end):
            problems.append(
                Problem(
                    path,
                    line,
                    f'{where}: khóa "end" (năm kết thúc) không hợp lệ: {end!r}',
                    "viết năm là số, ví dụ end = 2025, hoặc bỏ dòng này",
                )
            )
        elif _is_year(start) and end is not None and end < start:
            problems.append(
                Problem(
                    path,
                    line,
                    f"{where}: năm kết thúc {end} trước năm bắt đầu {start}",
                    "kiểm tra lại start và end",
                )
            )
        for key in ("launched_by", "description"):
            if key in table and not isinstance(table[key], str):
                problems.append(
                    Problem(
                        path,
                        line,
                        f'{where}: khóa "{key}" phải là chuỗi văn bản',
                        f'đặt giá trị trong ngoặc kép: {key} = "…"',
                    )
                )
        if len(problems) > reported:
            continue
        registry.entries[slug] = MovementEntry(
            slug=slug,
            name=" ".join(name.split()),
            start=start,
            end=end,
            launched_by=table.get("launched_by", "").strip(),
            description=table.get("description", "").strip(),
        )
    return registry, problems


def _is_year(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 1900 <= value <= 2100


def table_lines(text: str) -> dict[str, int]:
    lines = {}
    for number, line in enumerate(text.splitlines(), start=1):
        match = re.match(r'^\s*\[\s*"?([^\]"]+)"?\s*\]', line)
        if match:
            lines.setdefault(match.group(1).strip(), number)
    return lines
