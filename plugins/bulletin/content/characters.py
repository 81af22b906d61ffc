"""Invisible and control characters pasted from Word and the web (pure)."""

from __future__ import annotations

import re

# --- invisible and control characters --------------------------------------
# Word and web pages leave characters no one can see. Control characters make
# feeds invalid XML (the build died on them with no file or line); zero-width
# and bidi-override characters make two "different" names of one person, or
# reorder a title on screen while search and slugs read it in another order.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Word writes a manual line break (Shift+Enter) as a vertical tab.
LINE_BREAKING_CONTROLS = {"\x0b", "\x0c"}
INVISIBLE_CHARACTERS = re.compile(
    r"[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"
)
BIDI_CONTROLS = re.compile(r"[\u202a-\u202e\u2066-\u2069]")


def character_name(char: str) -> str:
    """'U+200B (ZERO WIDTH SPACE)': what to look for in an editor's search box."""
    import unicodedata  # noqa: PLC0415 - only for messages

    return f"U+{ord(char):04X} ({unicodedata.name(char, 'CONTROL')})"


def clean_controls(text: str) -> tuple[str, dict[int, set[str]]]:
    """Control characters out of a whole file: (text, {line: characters}).

    In the body, a vertical tab or form feed becomes a Markdown line break
    (two spaces, newline); in the metadata header (before the first blank
    line) a space, so a value never spills onto a line of its own. Every
    other control character is removed; tab and newline are kept.
    """
    found: dict[int, set[str]] = {}
    if not CONTROL_CHARACTERS.search(text):
        return text, found
    lines, in_header = [], True
    for number, line in enumerate(text.split("\n"), start=1):
        in_header = in_header and bool(line.strip())
        for char in CONTROL_CHARACTERS.findall(line):
            found.setdefault(number, set()).add(char)
        breaking = " " if in_header else "  \n"
        lines.append(
            CONTROL_CHARACTERS.sub(
                lambda m, b=breaking: b if m.group() in LINE_BREAKING_CONTROLS else "", line
            )
        )
    return "\n".join(lines), found


def strip_invisible(value: str, pattern=INVISIBLE_CHARACTERS) -> tuple[str, set[str]]:
    """``value`` without zero-width and bidi-override characters, and which."""
    found = set(pattern.findall(value))
    return (pattern.sub("", value) if found else value), found
