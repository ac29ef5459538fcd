"""How the commands show what they produce: the ``--format`` option and the view of the terminal.

A command's ``--format`` choices come from :mod:`coachflow.output` for the
kind of thing it prints, so every format that can render it is offered.
"""

from __future__ import annotations

from typing import Any, Callable

import click

from coachflow import output
from coachflow.terminal import echo


def format_option(kind: str, *, default: str | None = "text", help: str | None = None) -> Callable[[Any], Any]:
    """Add ``--format`` with the formats that render ``kind`` (see :func:`coachflow.output.choices`)."""
    text = help or output.help_for(kind)
    return click.option("--format", "output_format", type=click.Choice(output.choices(kind)), default=default,
                        show_default=default is not None, help=text)


def terminal_view(*, verbose: bool = False) -> output.View:
    """The view for standard output: 78 columns, labels styled (Click leaves the styles out off a terminal)."""
    return output.View(width=78, style=click.style, verbose=verbose)


def show(kind: str, value: Any, output_format: str, view: output.View | None = None) -> None:
    """Render ``value`` and write it to standard output as it is rendered.

    Each piece goes through :func:`coachflow.terminal.echo`, which makes what
    the renderer did not already make printable so.
    """
    for piece in output.pieces(kind, value, output_format, view or terminal_view()):
        echo(piece, nl=False)
