"""Progress bars on standard error, for work long enough that silence would worry someone.

A bar appears only when standard error is a terminal, the command was not
given ``--quiet``, and the work is big enough to take a while (each caller
says how many items that is); otherwise nothing at all is written, so pipes,
logs and scripts see only what they asked for. The bar itself is Click's
(:func:`click.progressbar`), which fits itself to the terminal's width.
"""

from __future__ import annotations

import sys
from contextlib import ExitStack, contextmanager
from typing import Callable, Iterator

import click

#: Called with how much is done of how much (see :data:`coachflow.journal.io.Progress`).
Report = Callable[[int, int], None]


def stderr_is_terminal() -> bool:
    """Whether standard error is a terminal a person watches."""
    stream = sys.stderr
    try:
        return stream is not None and stream.isatty()
    except (AttributeError, ValueError):  # no stream, or one already closed
        return False


@contextmanager
def progress(label: str, *, quiet: bool = False, minimum: int = 1) -> Iterator[Report]:
    """A :data:`Report` function that draws a bar on standard error, once the
    first report says the work has at least ``minimum`` items.

    The bar is finished (drawn full, then a new line) when the block ends.
    With ``quiet``, or when standard error is not a terminal, the function
    does nothing.
    """
    with ExitStack() as stack:
        bar = None
        shown = 0
        wanted = not quiet and stderr_is_terminal()

        def report(done: int, total: int) -> None:
            nonlocal bar, shown, wanted
            if bar is None:
                if not wanted or total < minimum:
                    wanted = False  # decided once: a bar does not appear halfway through
                    return
                bar = stack.enter_context(click.progressbar(length=total, label=label, width=0,
                                                            file=sys.stderr))
            if done > shown:
                bar.update(done - shown)
                shown = done

        yield report


__all__ = ["progress", "stderr_is_terminal", "Report"]
