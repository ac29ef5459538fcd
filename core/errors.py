"""Errors a user can cause, each carrying one clear line of explanation.

The command line turns these into a message on stderr and exit code 2; the
Python API raises them so that callers can do the same.
"""

from __future__ import annotations

from typing import Iterable


class CoachflowError(Exception):
    """Something the user can fix: a bad option, a bad file, a bad value."""

    exit_code = 2

    def lines(self) -> list[str]:
        """The message as the lines to print, one problem per line."""
        return str(self).splitlines() or [type(self).__name__]


class EventError(CoachflowError):
    """An event (from options, a file or an import row) is not valid."""


class WorkflowError(CoachflowError):
    """A workflow file cannot be used; lists every problem found in it."""

    def __init__(self, source: str, problems: list[str]):
        self.source = source
        self.problems = problems
        super().__init__("\n".join(problems))

    def lines(self) -> list[str]:
        return list(self.problems)


class TemplateError(CoachflowError):
    """A template text has a placeholder that cannot be filled safely."""


class JournalError(CoachflowError):
    """The journal cannot be opened, read or written."""


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """Return ``" (did you mean 'x'?)"`` for the closest choice, or ``""``."""
    import difflib  # only a command that reports a mistake pays for this import

    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""
