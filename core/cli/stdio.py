"""``-`` as a file name: standard input for a file to read, standard output for ``-o``.

Every command that reads a file (``validate``, ``-w``, ``run --event``, ``import``) takes
``-`` for standard input, and every ``-o`` takes ``-`` for standard output, as people
expect from other tools (``cat``, ``jq``, ``curl -o -``), so coachflow fits in a pipe.
"""

from __future__ import annotations

from typing import Callable

import click

from coachflow.errors import CoachflowError

#: The file name that means standard input or standard output.
STDIO = "-"
#: How messages name standard input where they would name a file.
STDIN_LABEL = "standard input"


def label(name: object) -> str:
    """How a message names the file ``name``: ``standard input`` for ``-``."""
    return STDIN_LABEL if str(name) == STDIO else str(name)


def claim_stdin(option: str) -> None:
    """Note that ``option`` reads standard input in this command.

    Standard input can be read once; a second option asking for it would
    silently get nothing, so it is refused in one line instead.

    :raises click.UsageError: when another option of the command claimed it.
    """
    context = click.get_current_context()
    earlier = context.meta.setdefault("coachflow.stdin", option)
    if earlier != option:
        raise click.UsageError(f"{earlier} and {option} both ask for standard input ('-'); "
                               "only one of them can read it, so give the other a file")


def read_stdin(problem: Callable[[int, str], CoachflowError], what: str = "input") -> str:
    """All of standard input as UTF-8 text (a byte order mark, as some editors write, dropped).

    :param problem: makes the error to raise from the line (counted from 1)
        and what is wrong there, so each caller words the place its own way.
    :param what: what the input should be, for that message ("workflow", "event file").
    :raises CoachflowError: (from ``problem``) when the input is not UTF-8 text.
    """
    with click.open_file(STDIO, "rb") as stream:  # standard input, as bytes
        data = stream.read()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise problem(line, f"the {what} is not UTF-8 text (byte 0x{data[exc.start]:02x}); send it as UTF-8") from None


def stdin_problem(error: Callable[[str], CoachflowError]) -> Callable[[int, str], CoachflowError]:
    """For :func:`read_stdin`: ``error("standard input:LINE: WHAT IS WRONG")``."""
    return lambda line, reason: error(f"{STDIN_LABEL}:{line}: {reason}")
