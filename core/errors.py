"""Errors a user can cause, each carrying one clear line of explanation.

The command line turns these into a message on stderr and exit code 2; the
Python API raises them so that callers can do the same.
"""

from __future__ import annotations

from typing import Iterable, NamedTuple, Sequence

#: Error lines longer than this are shortened in the middle.
MAX_LINE_LENGTH = 2000


def one_line(text: str) -> str:
    """``text`` made safe to print as one line of an error message.

    Messages quote what the user gave (a key, a value, a file name), and a
    TOML key or a JSON value can hold a newline or a terminal control
    character: those are written as escapes (``\\n``, ``\\x1b``) so that
    every problem stays on its own line. Very long lines are shortened.
    """
    if text.isprintable():
        shown = text
    else:
        shown = "".join(char if char.isprintable() else _escape(char) for char in text)
    if len(shown) > MAX_LINE_LENGTH:
        half = MAX_LINE_LENGTH // 2
        shown = f"{shown[:half]}...{shown[-half // 2:]}"
    return shown


def _escape(char: str) -> str:
    named = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
    if char in named:
        return named[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


class CoachflowError(Exception):
    """Something the user can fix: a bad option, a bad file, a bad value."""

    exit_code = 2

    def lines(self) -> list[str]:
        """The message as the lines to print, one problem per line."""
        return str(self).splitlines() or [type(self).__name__]


class _OneLineError(CoachflowError):
    """An error whose message is always one line (see :func:`one_line`)."""

    def __init__(self, message: str = "", *args: object):
        super().__init__(one_line(str(message)), *args)


class EventError(_OneLineError):
    """An event (from options, a file or an import row) is not valid.

    :param problems: every problem found, one line each (``FILE:LINE: field: problem``),
        when there is more than one: they are its :meth:`lines`; the message is the first.
    """

    def __init__(self, message: str = "", *args: object, problems: Sequence[str] = ()):
        super().__init__(message or (problems[0] if problems else ""), *args)
        self.problems: tuple[str, ...] = tuple(one_line(problem) for problem in problems) or (str(self),)

    def lines(self) -> list[str]:
        """Each problem found, one line each."""
        return list(self.problems)


#: The most problems of one file an error lists; the count of the others follows them.
MAX_PROBLEMS_SHOWN = 20


def event_problems(problems: Sequence[str], *, kind: type[EventError] | None = None) -> EventError:
    """One :class:`EventError` for the problems of a file (at most :data:`MAX_PROBLEMS_SHOWN`
    of them, then how many more there are)."""
    shown = list(problems[:MAX_PROBLEMS_SHOWN])
    if len(problems) > len(shown):
        more = len(problems) - len(shown)
        shown.append(f"... and {more} more problem{'s' if more != 1 else ''}; fix these and try again")
    return (kind or EventError)(problems=shown)


class UnknownKindError(EventError):
    """A milestone's kind is none the loaded plugins know (a plugin that offers it may be off)."""


class Problem(NamedTuple):
    """One problem of a file, where it is and what is wrong, for programs
    (``coachflow validate --format json``); :attr:`text` is the line people read."""

    #: the file (or ``<workflow>`` for text that came from no file).
    source: str
    #: the line it is on, counted from 1, when known.
    line: int | None
    #: the key path, such as ``steps[2].with.window_hours``: list items are
    #: counted from 1, as people count them ("the second [[steps]] table");
    #: empty for a problem with the file as a whole.
    path: str
    #: what is wrong.
    message: str
    #: the column, counted from 1, when known (TOML syntax errors).
    column: int | None = None

    @property
    def text(self) -> str:
        """The problem as one line: ``FILE:LINE: PATH: MESSAGE``."""
        place = self.source + (f":{self.line}" if self.line else "") + (f":{self.column}" if self.column else "")
        return f"{place}: {self.path}: {self.message}" if self.path else f"{place}: {self.message}"


class WorkflowError(CoachflowError):
    """A workflow file cannot be used; lists every problem found in it.

    :param problems: one line per problem; given ``details``, their texts.
    :param details: the problems with their parts (see :class:`Problem`).
    """

    def __init__(self, source: str, problems: list[str] | None = None, details: list[Problem] | None = None):
        self.source = source
        if details is not None:
            problems = [problem.text for problem in details]
        self.problems = [one_line(problem) for problem in problems or ()]
        self.details = details if details is not None else [
            Problem(source, None, "", problem) for problem in self.problems]
        super().__init__("\n".join(self.problems))

    def lines(self) -> list[str]:
        return list(self.problems)


class TemplateError(_OneLineError):
    """A template text has a placeholder that cannot be filled safely."""


class JournalError(_OneLineError):
    """The journal cannot be opened, read or written."""


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """Return ``" (did you mean 'x'?)"`` for the closest choice, or ``""``."""
    import difflib  # only a command that reports a mistake pays for this import

    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""
