"""Laying text out in terminal columns: widths as the terminal draws them, wrapping, tables.

A terminal gives most characters one column, East Asian wide characters
(``株式会社``, most emoji) two, and combining marks and colour codes none, so
``len()`` is the wrong measure for anything a person reads in columns.
:func:`cell_width` is the right one (after Unicode's East Asian Width
property), and :func:`wrap`, :func:`fit` and :func:`table` use it.

Wrapping breaks lines at spaces only, never inside a hyphenated word
("thank-you") or a link, nor inside a date as coachflow writes one (``Fri
27 Nov``, ``Wed 25 Nov 2026, 17:30``): a word is cut only when it is wider
than a whole line, so that nothing runs on forever (help texts ask for no
cut at all, so that an option name can be copied). Text without spaces in a language
written without them (Japanese, Chinese) is cut between characters, which
is where those languages break lines too.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Iterable, Sequence

#: Colour and style codes (``click.style``): they take no room on screen.
_ESCAPE = re.compile(r"\x1b\[[0-9;]*m")

#: Characters drawn with no width of their own: zero-width space, joiners, the variation selectors.
_ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff\ufe0e\ufe0f")

#: A word and the spaces before it.
_WORDS = re.compile(r"(\s*)(\S+)")

_MONTHS = "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec"
_WEEKDAYS = "Mon|Tue|Wed|Thu|Fri|Sat|Sun"

#: A date as :mod:`coachflow.wording` writes one for people, with its weekday, year and time
#: when it has them (``Fri 27 Nov``, ``12 Nov``, ``Wed 25 Nov 2026, 17:30``): kept on one line.
DATE = re.compile(rf"\b(?:(?:{_WEEKDAYS}) )?\d{{1,2}} (?:{_MONTHS})\b(?: \d{{4}}\b)?(?:, \d{{1,2}}:\d{{2}}\b)?")


def _char_width(char: str) -> int:
    if char in _ZERO_WIDTH or unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def cell_width(text: str) -> int:
    """How many terminal columns ``text`` takes (one line; colour codes take none)."""
    if "\x1b" in text:
        text = _ESCAPE.sub("", text)
    if text.isascii():
        return len(text)
    return sum(_char_width(char) for char in text)


def _pieces(text: str) -> Iterable[str]:
    """The characters of ``text``, each colour code kept whole as one piece."""
    position = 0
    for code in _ESCAPE.finditer(text):
        yield from text[position:code.start()]
        yield code.group()
        position = code.end()
    yield from text[position:]


def cut(text: str, width: int) -> tuple[str, str]:
    """``text`` split where it reaches ``width`` columns: ``(what fits, the rest)``.

    A wide character that would straddle the edge goes to the rest; at
    least one character always fits, so that cutting always makes progress.
    """
    used, taken = 0, []
    pieces = list(_pieces(text))
    for index, piece in enumerate(pieces):
        size = 0 if piece.startswith("\x1b") else _char_width(piece)
        if used + size > width and taken and size:
            return "".join(taken), "".join(pieces[index:])
        taken.append(piece)
        used += size
    return "".join(taken), ""


def fit(text: str, width: int) -> str:
    """``text`` padded with spaces to ``width`` columns (left as it is when wider)."""
    return text + " " * max(0, width - cell_width(text))


def truncate(text: str, width: int) -> str:
    """``text`` on one line of at most ``width`` columns, ending in ``...`` when it was cut."""
    flat = " ".join(text.split())
    if cell_width(flat) <= width:
        return flat
    kept, _ = cut(flat, max(1, width - 3))
    if " " in kept and not flat[len(kept):len(kept) + 1].isspace():
        at_space = kept.rstrip().rfind(" ")
        if at_space >= len(kept) // 2:
            kept = kept[:at_space]
    return kept.rstrip() + "..."


def wrap(text: str, width: int, *, indent: str = "", subsequent_indent: str | None = None,
         keep: Sequence[str] = (), cut: bool = True) -> list[str]:
    """The lines of one paragraph wrapped to ``width`` columns, each starting with an indent.

    Spaces between words are kept as written where the line does not break
    (``title  (due ...)`` keeps its two), and so is the paragraph's own
    indentation; tabs count as spaces to the next multiple of eight.

    :param indent: put before the first line.
    :param subsequent_indent: put before the others (default: ``indent``).
    :param keep: phrases of ``text`` not to break (``(due`` and its date), as
        long as each fits on a line. Dates (:data:`DATE`) are always kept whole.
    :param cut: whether a word wider than a whole line is cut to fit; when
        false it goes whole on a line of its own, wider than ``width``.
    :returns: at least one line (an empty paragraph is one empty line, without its indent).
    """
    later = indent if subsequent_indent is None else subsequent_indent
    text = text.expandtabs()
    room = width - cell_width(later)
    glued = [phrase for phrase in keep if " " in phrase and cell_width(phrase) <= room]
    for phrase in glued:  # its spaces become a character no text has, until the lines are made
        text = text.replace(phrase, phrase.replace(" ", _GLUE))
    if any(char.isdigit() for char in text):
        dates = DATE.sub(lambda found: _glue(found.group(), room), text)
        glued = glued or dates != text
        text = dates
    lines = _wrap_words(text, width, indent, later, cut)
    return [line.replace(_GLUE, " ") for line in lines] if glued else lines


def _glue(phrase: str, room: int) -> str:
    """``phrase`` held together for wrapping if it fits in ``room`` columns; a date and time that
    does not may still break after its comma, between the date and the time."""
    if cell_width(phrase) <= room:
        return phrase.replace(" ", _GLUE)
    return ", ".join(part.replace(" ", _GLUE) if cell_width(part) <= room else part for part in phrase.split(", "))


#: Holds the words of a kept phrase together while wrapping (a private-use character: never in real text).
_GLUE = "\ue000"


def _wrap_words(text: str, width: int, indent: str, later: str, cut_long: bool = True) -> list[str]:
    tokens = _WORDS.findall(text)
    if not tokens:
        return [""]
    leading, first = tokens[0]
    tokens[0] = ("", " " * len(leading) + first)  # the paragraph's own indentation stays with its first word
    lines: list[str] = []
    line, used = indent, cell_width(indent)
    room = max(width, used + 1)
    empty = True  # the current line holds no word yet
    for spaces, word in tokens:
        size, gap = cell_width(word), len(spaces)
        if not empty and used + gap + size <= room:
            line, used = line + " " * gap + word, used + gap + size
            continue
        if not empty or (used + size > room and line.strip() and cell_width(later) + size <= width):
            # a new line for a word that does not fit here, and would on a line of its own
            lines.append(line)
            line, used = later, cell_width(later)
            room = max(width, used + 1)
        while cut_long and used + size > room:  # only a word wider than a whole line is cut
            head, word = cut(word, room - used)
            lines.append(line + head)
            line, used = later, cell_width(later)
            room = max(width, used + 1)
            size = cell_width(word)
        line, used, empty = line + word, used + size, False
    lines.append(line)
    return lines


def wrap_text(text: str, width: int, *, indent: str = "", subsequent_indent: str | None = None) -> list[str]:
    """Like :func:`wrap` for text of several paragraphs: each line of ``text`` is wrapped on its own."""
    return [line for paragraph in text.splitlines() or [""]
            for line in wrap(paragraph, width, indent=indent, subsequent_indent=subsequent_indent)]


def reflow(text: str) -> str:
    """Prose written with its own line breaks (a docstring) as paragraphs of one line each,
    ready to wrap to another width. Blank lines between paragraphs stay, and so do lines
    that start a list item or are indented."""
    out: list[str] = []
    for line in text.splitlines():
        stripped = line.strip()
        joins = out and out[-1].strip() and stripped and not line[:1].isspace() and stripped[:2] not in ("- ", "* ")
        if joins:
            out[-1] = f"{out[-1]} {stripped}"
        else:
            out.append(line.rstrip())
    return "\n".join(out)


#: The fewest columns a table's last column is given beside the others; narrower, it goes below them.
MIN_LAST_COLUMN = 20


def row(cells: Sequence[str], columns: Sequence[int], width: int, *, indent: str = "", gap: str = "  ",
        keep: Sequence[str] = ()) -> list[str]:
    """One row of a table: each cell but the last padded to its column, the last wrapped to ``width``.

    A cell wider than its column is kept whole and pushes the rest of its
    row along. When fewer than :data:`MIN_LAST_COLUMN` columns are left for
    the last cell, or a word of it would not fit there (a long name), it
    goes on the lines below, indented.
    """
    *heads, last = cells
    start = cell_width(indent) + sum(columns[:len(heads)]) + cell_width(gap) * len(heads)
    head = indent + "".join(fit(cell, columns[index]) + gap for index, cell in enumerate(heads))
    room = width - start
    if not heads:
        lines = wrap(last, width, indent=indent, keep=keep)
    elif room >= MIN_LAST_COLUMN and all(cell_width(word) <= room for word in last.split()):
        lines = wrap(last, width, indent=head, subsequent_indent=" " * start, keep=keep)
    else:
        lines = [head] + (wrap(last, width, indent=indent + "    ", keep=keep) if last else [])
    return [line.rstrip() for line in lines]


def table(rows: Sequence[Sequence[str]], width: int, *, indent: str = "", gap: str = "  ",
          caps: Sequence[int | None] = ()) -> list[str]:
    """Rows of cells as aligned columns, the last column wrapped to fit ``width`` (see :func:`row`).

    Every column but the last is as wide as its widest cell, or ``caps[i]``
    columns at most when given (longer cells are truncated with ``...``), so
    that the columns line up however wide the characters in them are.
    """
    if not rows:
        return []
    count = max(len(cells) for cells in rows)
    columns: list[int] = []
    for index in range(count - 1):
        cap = caps[index] if index < len(caps) else None
        widest = max((cell_width(cells[index]) for cells in rows if index < len(cells) - 1), default=0)
        columns.append(min(widest, cap) if cap else widest)
    lines = []
    for cells in rows:
        cells = [truncate(cell, columns[i]) if i < len(cells) - 1 and cell_width(cell) > columns[i] else cell
                 for i, cell in enumerate(cells)]
        lines.extend(row(cells, columns, width, indent=indent, gap=gap))
    return lines
