"""Where each key of a TOML text is: the line of every key path, for error messages.

``tomllib`` gives values without positions, so a problem found after parsing
(an unknown key, a bad date) would otherwise be reported without a line.
This module reads a text that ``tomllib`` has already parsed and records,
for every key path, the line on which it is written: a table header
(``[[cases]]``), a key (``due = "+1d"``), or an item of an array, inline
tables included (``given = [ { type = "rejection", ... }, ... ]``).

Paths are tuples of keys and 0-based array positions, as the parsed data
holds them: ``("cases", 1, "expect", 0, "due")``. The scan never fails: on
text it does not follow it returns what it has found so far, and callers
fall back to the nearest enclosing key that has a line.
"""

from __future__ import annotations

import bisect
import re
from typing import Union

Path = tuple[Union[str, int], ...]

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_SPACES = re.compile(r"[ \t]*")
#: Spaces, line breaks and comments, which may sit between the items of an array.
_BLANKS = re.compile(r"(?:[ \t\r\n]+|#[^\n]*)*")
_SCALAR = re.compile(r"[^,\]}#\r\n]*")
#: TOML's strings by their first character, the multi-line form first. A multi-line
#: string may end with up to two quotes of its own right before the closing three.
_STRINGS = {
    '"': (re.compile(r'"""(?:\\.|[^\\])*?"""("{0,2})', re.S), re.compile(r'"(?:\\.|[^"\\\n])*"')),
    "'": (re.compile(r"'''.*?'''('{0,2})", re.S), re.compile(r"'[^'\n]*'")),
}


class _Scan:
    """One pass over the text, recording the line of each key path it meets."""

    def __init__(self, text: str):
        self.text = text
        self.i = 0
        self.found: dict[Path, int] = {}
        self._newlines = [match.start() for match in re.finditer("\n", text)]
        #: arrays of tables seen so far (their path without the position) -> how many items
        self._tables: dict[Path, int] = {}

    def line(self, index: int | None = None) -> int:
        return bisect.bisect_left(self._newlines, self.i if index is None else index) + 1

    def note(self, path: Path, index: int | None = None) -> None:
        self.found.setdefault(path, self.line(index))

    def peek(self, length: int = 1) -> str:
        return self.text[self.i:self.i + length]

    # --- layout ------------------------------------------------------------

    def skip_blanks(self, *, newlines: bool) -> None:
        """Skip spaces (and line breaks and comments, when ``newlines``)."""
        self.i = (_BLANKS if newlines else _SPACES).match(self.text, self.i).end()

    def skip_to_line_end(self) -> None:
        end = self.text.find("\n", self.i)
        self.i = len(self.text) if end < 0 else end + 1

    # --- pieces --------------------------------------------------------------

    def key(self) -> list[str]:
        """A dotted key (``a.b``, ``"quoted key".c``) as its parts."""
        parts = []
        while True:
            self.skip_blanks(newlines=False)
            char = self.peek()
            if char in ('"', "'"):
                start = self.i
                self.string()
                raw = self.text[start + 1:self.i - 1]
                parts.append(_unquote(raw) if char == '"' else raw)
            else:
                match = _BARE_KEY.match(self.text, self.i)
                if match is None:
                    raise ValueError("no key here")
                parts.append(match.group())
                self.i = match.end()
            self.skip_blanks(newlines=False)
            if self.peek() != ".":
                return parts
            self.i += 1

    def string(self) -> None:
        """Skip a string of any of TOML's four kinds, quotes included."""
        for pattern in _STRINGS[self.peek()]:
            match = pattern.match(self.text, self.i)
            if match is not None:
                self.i = match.end()
                return
        self.skip_to_line_end()  # not a string TOML accepts: give up on this line

    def value(self, path: Path) -> None:
        """Skip a value, noting the lines of the keys and items inside it."""
        self.skip_blanks(newlines=False)
        char = self.peek()
        if char in ('"', "'"):
            self.string()
        elif char == "[":
            self.array(path)
        elif char == "{":
            self.inline_table(path)
        else:
            self.i = _SCALAR.match(self.text, self.i).end()

    def array(self, path: Path) -> None:
        self.i += 1
        position = 0
        while self.i < len(self.text):
            self.skip_blanks(newlines=True)
            if self.peek() == "]":
                self.i += 1
                return
            self.note(path + (position,))
            self.value(path + (position,))
            self.skip_blanks(newlines=True)
            if self.peek() == ",":
                self.i += 1
                position += 1
            elif self.peek() == "]":
                self.i += 1
                return
            else:
                raise ValueError("not an array")

    def inline_table(self, path: Path) -> None:
        self.i += 1
        while self.i < len(self.text):
            self.skip_blanks(newlines=True)  # TOML 1.1 allows line breaks; tolerate them
            if self.peek() == "}":
                self.i += 1
                return
            self.key_value(path)
            self.skip_blanks(newlines=True)
            if self.peek() == ",":
                self.i += 1
            elif self.peek() == "}":
                self.i += 1
                return
            else:
                raise ValueError("not an inline table")

    def key_value(self, table: Path) -> None:
        start = self.i
        parts = self.key()
        for depth in range(1, len(parts) + 1):
            self.note(table + tuple(parts[:depth]), start)
        if self.peek() != "=":
            raise ValueError("no '=' after a key")
        self.i += 1
        self.value(table + tuple(parts))

    # --- tables ----------------------------------------------------------------

    def resolve(self, parts: list[str]) -> Path:
        """A header's dotted name as a path: an array of tables it passes through
        stands for its latest item."""
        path: Path = ()
        for part in parts:
            path += (part,)
            if path in self._tables:
                path += (self._tables[path] - 1,)
        return path

    def header(self) -> Path:
        start = self.i
        double = self.peek(2) == "[["
        self.i += 2 if double else 1
        parts = self.key()
        self.i += 2 if double else 1
        if double:
            container = self.resolve(parts[:-1]) + (parts[-1],)
            count = self._tables.get(container, 0)
            self._tables[container] = count + 1
            self.note(container, start)
            path = container + (count,)
        else:
            path = self.resolve(parts)
        self.note(path, start)
        return path

    def document(self) -> None:
        table: Path = ()
        while self.i < len(self.text):
            self.skip_blanks(newlines=True)
            if self.i >= len(self.text):
                return
            if self.peek() == "[":
                table = self.header()
            else:
                self.key_value(table)
            self.skip_blanks(newlines=False)
            if self.peek() == "#" or self.peek() in ("\r", "\n"):
                self.skip_to_line_end()


def _unquote(raw: str) -> str:
    """A basic string's text, for the escapes a key may plausibly hold."""
    if "\\" not in raw:
        return raw
    import json

    try:
        return json.loads(f'"{raw}"')
    except ValueError:
        return raw


def key_lines(text: str) -> dict[Path, int]:
    """The line (from 1) of every key path in a TOML text that ``tomllib`` parsed."""
    scan = _Scan(text)
    try:
        scan.document()
    except (ValueError, IndexError):
        pass  # text this scan does not follow: keep the lines found so far
    return scan.found


def line_of(lines: dict[Path, int], path: Path) -> int | None:
    """The line of ``path``, or of the nearest enclosing key that has one."""
    for end in range(len(path), 0, -1):
        line = lines.get(path[:end])
        if line is not None:
            return line
    return None


def show_path(path: Path) -> str:
    """A path as messages write it: ``cases[2].expect[1].due`` (items counted from 1)."""
    shown = ""
    for part in path:
        if isinstance(part, int):
            shown += f"[{part + 1}]"
        else:
            shown += f".{part}" if shown else part
    return shown
