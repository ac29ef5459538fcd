"""``--help`` laid out by the same rules as the rest of coachflow's text.

Click's own help formatter wraps with :mod:`textwrap`, which cuts a word
longer than the room left for it (``C`` / ``OACHFLOW_WORKFLOW``) and breaks
after hyphens (``--dry-`` / ``run``), so an option name or a variable could
not be copied from the help. :class:`HelpFormatter` wraps with
:func:`coachflow.output.layout.wrap` instead, at spaces only and without
cutting anything: a word too long for its line goes whole onto a line of its
own, and runs past the edge if it must. When a definition list (the options,
the commands) leaves too little room beside the names for its descriptions,
each description goes below its name instead of in a narrow column.

Every command gets it through :class:`Context`: the ``coachflow`` group uses
it and hands it to each command it runs, plugin commands included
(:func:`adopt`).
"""

from __future__ import annotations

import re
from typing import Iterable, Sequence

import click

from coachflow.output.layout import MIN_LAST_COLUMN, cell_width, fit, wrap

#: The notes Click adds to an option's help ("[default: text]", "[required]"): kept on one line.
_NOTES = re.compile(r"\[(?:default|env var|required)[^\]]*\]")

#: How far a description that goes below its name is indented from the name.
BELOW = 4


def _paragraphs(text: str) -> list[tuple[int, bool, list[str]]]:
    """Click's paragraphs of a help text: (their indentation, whether kept as written (``\\b``), their lines)."""
    found: list[tuple[int, bool, list[str]]] = []
    lines: list[str] = []
    indent = 0

    def flush() -> None:
        if lines:
            raw = lines[0].strip() == "\b"
            found.append((indent, raw, lines[1:] if raw else list(lines)))
            lines.clear()

    for line in text.expandtabs().splitlines():
        if not line.strip():
            flush()
            continue
        if not lines:
            indent = len(line) - len(line.lstrip())
        lines.append(line.strip() if not (lines and lines[0].strip() == "\b") else line)
    flush()
    return found


def wrap_help(text: str, width: int, indent: str = "") -> list[str]:
    """A help text as lines of ``width`` columns, each starting with ``indent``.

    Paragraphs (separated by blank lines) are wrapped on their own and keep
    their indentation; one that starts with a ``\\b`` line is kept as written,
    as Click does. No word is cut or broken at a hyphen.
    """
    out: list[str] = []
    for number, (extra, raw, lines) in enumerate(_paragraphs(text)):
        if number:
            out.append("")
        prefix = indent + " " * extra
        if raw:
            out.extend((prefix + line).rstrip() for line in lines)
        else:
            text = " ".join(lines)
            out.extend(wrap(text, width, indent=prefix, cut=False, keep=_NOTES.findall(text)))
    return out


class HelpFormatter(click.HelpFormatter):
    """Click's help formatter with coachflow's wrapping: no word or option name is ever split."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        """The usage line: the arguments beside ``Usage: PROG`` when there is room, else below it."""
        prefix = "Usage: " if prefix is None else prefix
        head = f"{prefix:>{self.current_indent}}{prog} "
        if not args:
            self.write(head.rstrip(" ") + "\n")
            return
        if self.width - self.current_indent >= cell_width(head) + 20:
            lines = wrap(args, self.width, indent=head, subsequent_indent=" " * cell_width(head), cut=False)
        else:
            self.write(head.rstrip(" ") + "\n")
            below = " " * (max(self.current_indent, cell_width(prefix)) + BELOW)
            lines = wrap(args, self.width, indent=below, cut=False)
        self.write("\n".join(lines) + "\n")

    def write_text(self, text: str) -> None:
        """A help text, wrapped to the width at the current indentation, paragraphs kept."""
        self.write("\n".join(wrap_help(text, self.width, " " * self.current_indent)) + "\n")

    def write_dl(self, rows: Iterable[tuple[str, str]], col_max: int = 30, col_spacing: int = 2) -> None:
        """A definition list: each name, with its description beside it in a column, or below it.

        The description column starts after the widest name (``col_max``
        columns at most). When it would be narrower than
        :data:`coachflow.output.layout.MIN_LAST_COLUMN`, or a word of a
        description would not fit in it, every description goes below its
        name, so that the list keeps one layout.
        """
        rows = [tuple(row) for row in rows]
        if any(len(row) != 2 for row in rows):
            raise TypeError("Expected two columns for definition list")
        indent = " " * self.current_indent
        column = min(max((cell_width(first) for first, _ in rows), default=0), col_max) + col_spacing
        room = self.width - self.current_indent - column
        beside = room >= MIN_LAST_COLUMN and all(cell_width(word) <= room for _, second in rows
                                                   for word in second.split())
        for first, second in rows:
            self.write("\n".join(self._definition(first, second, indent, column if beside else None)) + "\n")

    def _definition(self, first: str, second: str, indent: str, column: int | None) -> Sequence[str]:
        if not second:
            return [indent + first]
        if column is None:
            return [indent + first, *wrap_help(second, self.width, indent + " " * BELOW)]
        lines = wrap_help(second, self.width, indent + " " * column)
        if cell_width(first) <= column - 2 and lines:  # the description starts on the name's line
            return [indent + fit(first, column) + lines[0][len(indent) + column:], *lines[1:]]
        return [indent + first, *lines]


class Context(click.Context):
    """Click's context with :class:`HelpFormatter` for ``--help``."""

    formatter_class = HelpFormatter


def adopt(command: click.Command) -> click.Command:
    """Give ``command`` (and, for a group, each of its commands) :class:`Context`, unless it has a
    context class of its own; returns ``command``."""
    if command.context_class is click.Context:
        command.context_class = Context
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            adopt(sub)
    return command


__all__ = ["Context", "HelpFormatter", "adopt", "wrap_help"]
