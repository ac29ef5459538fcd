"""How the commands show what they produce: formats, the terminal's width, colour, quiet and verbose.

Every command that prints takes the same display options (:func:`display_options`):

- ``-q/--quiet``: only what was asked for; no hints, counts or confirmations
  ("Wrote ...", "3 events matched."). Errors and warnings still show.
- ``-v/--verbose``: also what is usually left out (each command says what).
- ``--no-color``: no colour and no bold, as with the ``NO_COLOR`` variable
  (https://no-color.org) set to anything.

Text is wrapped to the terminal's width (the ``COLUMNS`` variable when it is
set), or to :data:`PIPED_WIDTH` columns when the output goes to a file or a
pipe, so that what a script sees does not depend on the window it ran in.
A command's ``--format`` choices come from :mod:`coachflow.output` for the
kind of thing it prints.
"""

from __future__ import annotations

import os
import shutil
import sys
from typing import Any, Callable, NamedTuple

import click

from coachflow import output
from coachflow.output.layout import wrap, wrap_text
from coachflow.terminal import echo, printable

#: The width of text written to a file or a pipe.
PIPED_WIDTH = 78

#: The narrowest width text is wrapped to, however narrow the terminal says it is.
MIN_WIDTH = 20

_META = "coachflow.display"


class Display(NamedTuple):
    """The display options of this invocation."""

    quiet: bool = False
    verbose: bool = False
    colour: bool = True


def colour_allowed() -> bool:
    """False when the ``NO_COLOR`` variable is set to anything (an empty value does not count)."""
    return not os.environ.get("NO_COLOR")


def terminal_width() -> int:
    """The columns standard output has: ``COLUMNS`` when set, else the terminal's, else :data:`PIPED_WIDTH`."""
    columns = os.environ.get("COLUMNS", "").strip()
    if columns.isdigit() and int(columns) > 0:
        return max(int(columns), MIN_WIDTH)
    stream = sys.stdout
    try:
        on_terminal = stream is not None and stream.isatty()
    except (AttributeError, ValueError):  # no stream, or a closed one
        on_terminal = False
    if not on_terminal:
        return PIPED_WIDTH
    return max(shutil.get_terminal_size((PIPED_WIDTH, 24)).columns, MIN_WIDTH)


def current() -> Display:
    """The display options of the running command (the defaults outside one)."""
    ctx = click.get_current_context(silent=True)
    found = ctx.meta.get(_META) if ctx is not None else None
    return found if found is not None else Display(colour=colour_allowed())


def _set(ctx: click.Context, **changes: Any) -> None:
    settings = ctx.meta.get(_META) or Display(colour=colour_allowed())
    settings = settings._replace(**changes)
    if settings.quiet and settings.verbose:
        raise click.UsageError("-q/--quiet and -v/--verbose ask for opposite things; give one of them")
    ctx.meta[_META] = settings
    if not settings.colour:
        ctx.color = False  # Click then leaves the styles out of everything this command prints


def _quiet(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if value:
        _set(ctx, quiet=True)


def _verbose(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if value:
        _set(ctx, verbose=True)


def _no_colour(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if value:
        _set(ctx, colour=False)


def display_options(verbose_help: str) -> Callable[[Any], Any]:
    """Add ``-q/--quiet``, ``-v/--verbose`` (with ``verbose_help``) and ``--no-color`` to a command.

    They are read with :func:`current`, not passed to the command function.
    """
    def decorate(command: Any) -> Any:
        command = click.option("--no-color", is_flag=True, expose_value=False, callback=_no_colour,
                               help="No colour or bold (as with NO_COLOR=1).")(command)
        command = click.option("-v", "--verbose", is_flag=True, expose_value=False, callback=_verbose,
                               help=verbose_help)(command)
        command = click.option("-q", "--quiet", is_flag=True, expose_value=False, callback=_quiet,
                               help="Only what was asked for: no hints, counts or confirmations. "
                                    "Errors and warnings still show.")(command)
        return command
    return decorate


def format_option(kind: str, *, default: str | None = "text", help: str | None = None) -> Callable[[Any], Any]:
    """Add ``--format`` with the formats that render ``kind`` (see :func:`coachflow.output.choices`)."""
    text = help or output.help_for(kind)
    return click.option("--format", "output_format", type=click.Choice(output.choices(kind)), default=default,
                        show_default=default is not None, help=text)


def view() -> output.View:
    """The view of standard output for the running command: its width, colour, quiet and verbose."""
    settings = current()
    return output.View(width=terminal_width(), style=click.style if settings.colour else None,
                       verbose=settings.verbose, quiet=settings.quiet)


def show(kind: str, value: Any, output_format: str) -> None:
    """Render ``value`` for the running command and write it to standard output as it is rendered."""
    for piece in output.pieces(kind, value, output_format, view()):
        echo(piece, nl=False)  # what a renderer did not make printable is made so on the way


def _on_terminal(err: bool) -> bool:
    stream = sys.stderr if err else sys.stdout
    try:
        return stream is not None and stream.isatty()
    except (AttributeError, ValueError):  # no stream, or a closed one
        return False


def say(text: str, *, err: bool = False, indent: str = "", **styles: Any) -> None:
    """Write a message for people: a confirmation, a hint, a count.

    On a terminal it is wrapped to the terminal's width; into a file or a
    pipe each line of it stays one line, as scripts that look for it expect.
    """
    settings = current()
    text = printable(text)
    lines = wrap_text(text, terminal_width(), subsequent_indent=indent) if _on_terminal(err) else text.splitlines()
    for line in lines:
        echo(line, err=err, **(styles if settings.colour else {}))


def say_then_run(text: str, command: str, *, err: bool = False) -> None:
    """A sentence ending in a command to type. On a terminal too narrow for both on one line,
    the command goes whole on a line of its own, so that it can be copied as it is."""
    joined = f"{text} {command}"
    if not _on_terminal(err) or len(wrap(joined, terminal_width())) == 1:
        echo(joined, err=err)
        return
    say(text, err=err)
    echo(f"  {command}", err=err)


def note(text: str, *, err: bool = False) -> None:
    """A hint or confirmation (dimmed on a terminal), left out with ``--quiet``."""
    if not current().quiet:
        say(text, err=err, dim=True)


def detail(text: str) -> None:
    """Something only ``--verbose`` asks for, on standard error (standard output stays the result)."""
    if current().verbose:
        say(text, err=True, dim=True)
