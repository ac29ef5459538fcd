"""The ``coachflow`` command's entry point, also run by ``python -m coachflow``.

It sets up the process for a short command, then hands over to
:func:`coachflow.cli.main`. Programs that embed coachflow import
:mod:`coachflow.cli` instead and keep their own process settings.
"""

from __future__ import annotations

import gc

#: How many new container objects start a collection of the youngest generation (Python's default: 700).
COLLECT_EVERY = 50_000


def main() -> None:
    """Run the ``coachflow`` command line in this process, then end it.

    A command starts by creating many objects that live as long as it does
    (modules, classes, the plugins), and Python's cyclic garbage collector
    goes over all of them again and again: while they are created, with the
    default threshold, and once more as the process ends. Together that is
    about 15 milliseconds of a 75 millisecond command. Here the collector
    runs every :data:`COLLECT_EVERY` new objects, which still frees
    unreachable cycles as a long command (a replay, a report) goes on, so its
    memory stays bounded; and what is left when the command is done is
    frozen, so the final collection skips it (the operating system frees the
    memory of the whole process at once).
    """
    gc.set_threshold(COLLECT_EVERY, *gc.get_threshold()[1:])
    from coachflow.cli import main as run_command_line

    try:
        run_command_line()
    finally:
        gc.freeze()


if __name__ == "__main__":
    main()
