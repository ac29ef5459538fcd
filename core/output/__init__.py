"""Output formats: one registry that every command's ``--format`` comes from.

A *format* (text, markdown, html, json) is one module of this package whose
functions are named after the *kinds* of thing it renders: a run result
(``run``), the status (``status``), the due list (``due``), the history
(``history``), the step types (``steps``), the plugins (``plugins``), the
report (``report``), the milestone kinds (``kinds``), what ``validate``, ``done``, ``import``
(``imported``) and ``path`` (``paths``) did or found, and a coach's clients
(``clients``, ``client``), practice board (``board``) and weekly digest
(``digest``), and a workflow's test results (``tests``) and preview (``preview``). :data:`FORMATS` says which kinds each format renders;
a command's ``--format`` choices and help are :func:`choices` and
:func:`help_for` of its kind, so a format added here shows up in every
command that can use it.

Every renderer takes the value and a :class:`View` (how wide, how
colourful, how much to say) and returns the text, or an iterator of pieces
of it for output that streams (a long history). What a person, a coach's
workflow, a plugin or another program wrote is made printable on the way
(:func:`coachflow.terminal.printable`), so escape sequences in it are
shown, never obeyed; the text renderers return :class:`~coachflow.terminal.Shown`
text, whose only escapes are the styles of the view::

    from coachflow.output import View, render

    print(render("report", report, "html"))
    print(render("run", result, "text", View(width=60)))

To add a format: write ``coachflow/output/NAME.py`` with one function per
kind it renders, and add its :class:`Format` to :data:`FORMATS` (a test
checks the two agree).
"""

from __future__ import annotations

import importlib
import os
from typing import Any, Callable, Iterable, Iterator, NamedTuple

from coachflow.terminal import Shown, printable


class Format(NamedTuple):
    """One output format.

    :ivar name: what ``--format`` says, and the name of its module here.
    :ivar summary: what it is for, completing "NAME ...": ``for people``.
    :ivar kinds: the kinds of thing it renders, each a function of its module.
    :ivar suffixes: file extensions that ask for it (``report -o march.html``).
    """

    name: str
    summary: str
    kinds: tuple[str, ...]
    suffixes: tuple[str, ...] = ()


#: The formats, in the order commands offer them.
FORMATS: dict[str, Format] = {
    format.name: format
    for format in (
        Format("text", "for people", ("run", "status", "due", "history", "steps", "plugins", "validate", "done",
                                      "imported", "paths", "clients", "client", "board", "digest", "tests",
                                      "preview", "kinds")),
        Format("markdown", "for notes and email", ("run", "report", "board", "digest", "preview"),
               (".md", ".markdown")),
        Format("html", "for a page to keep or send", ("report", "board", "digest", "preview"), (".html", ".htm")),
        Format("json", "for programs", ("run", "status", "due", "history", "steps", "plugins", "validate", "done",
                                        "imported", "paths", "clients", "client", "board", "tests", "kinds", "report"),
               (".json",)),
    )
}


class View(NamedTuple):
    """How to present a value: what the reader's screen and wishes allow.

    :ivar width: the columns text may fill (78 when it goes to a file or a pipe).
    :ivar style: ``click.style`` (or a function with its signature) to colour
        and embolden labels; ``None`` for plain text.
    :ivar verbose: also say what is usually left out (skipped steps, details).
    :ivar quiet: leave out hints and counts; only what was asked for.
    """

    width: int = 78
    style: Callable[..., str] | None = None
    verbose: bool = False
    quiet: bool = False

    def paint(self, text: str, **styles: Any) -> str:
        """``text`` with ``styles`` (``bold=True``, ``fg="cyan"``) when this view has colour.

        The text is made printable first (:func:`coachflow.terminal.printable`),
        so that only the styles added here reach the terminal as escapes.
        """
        if self.style is None:
            return text
        return Shown(self.style(printable(text), **styles))


class StepList(NamedTuple):
    """What ``coachflow steps`` shows (the ``steps`` kind).

    :ivar steps: the step types, in name order.
    :ivar conflicts: step names two plugins both offer -> those plugins.
    :ivar explain: explain the one step type in ``steps`` with its options,
        rather than list them.
    """

    steps: list[Any]
    conflicts: dict[str, list[str]]
    explain: bool = False


class PluginList(NamedTuple):
    """What ``coachflow plugins`` shows (the ``plugins`` kind).

    :ivar host: the plugin host, for the registry and each plugin's conflicts.
    :ivar plugins: the plugins to show.
    :ivar one: the one plugin ``coachflow plugins NAME`` asked for: each of its
        steps and kinds with what it is, and in JSON one object, not a list.
    """

    host: Any
    plugins: list[Any]
    one: bool = False


class KindList(NamedTuple):
    """What ``coachflow kinds`` shows (the ``kinds`` kind).

    :ivar registry: the step registry, with the milestone kinds and which are wins.
    :ivar rows: each kind with what it means, as the help texts say it.
    :ivar workflow: the workflow whose ``[milestones]`` kinds are listed too (``-w``), else ``None``.
    """

    registry: Any
    rows: list[tuple[str, str]]
    workflow: Any = None


def choices(kind: str) -> tuple[str, ...]:
    """The formats that render ``kind``, in the order commands offer them."""
    found = tuple(name for name, format in FORMATS.items() if kind in format.kinds)
    if not found:
        raise LookupError(f"no output format renders {kind!r}")
    return found


def help_for(kind: str) -> str:
    """The help of a ``--format`` option for ``kind``: ``text for people, json for programs.``"""
    return ", ".join(f"{name} {FORMATS[name].summary}" for name in choices(kind)) + "."


def format_for_file(kind: str, path: str, default: str) -> str:
    """The format a file name asks for by its extension (``march.html``: html), else ``default``."""
    suffix = os.path.splitext(path)[1].lower()
    for name in choices(kind):
        if suffix in FORMATS[name].suffixes:
            return name
    return default


def renderer(kind: str, format: str) -> Callable[[Any, View], str | Iterable[str]]:
    """The function that renders ``kind`` in ``format``.

    :raises LookupError: when ``format`` does not render ``kind``.
    """
    if format not in FORMATS or kind not in FORMATS[format].kinds:
        raise LookupError(f"{format!r} cannot render {kind!r}; use one of {', '.join(choices(kind))}")
    module = importlib.import_module(f"coachflow.output.{format}")
    return getattr(module, kind)


def pieces(kind: str, value: Any, format: str, view: View | None = None) -> Iterator[str]:
    """The rendered text in pieces, as the renderer produces them (for output that streams)."""
    rendered = renderer(kind, format)(value, view or View())
    if isinstance(rendered, str):
        yield rendered
    else:
        yield from rendered


def render(kind: str, value: Any, format: str, view: View | None = None) -> str:
    """``value``, a thing of ``kind``, rendered in ``format`` as one text."""
    return "".join(pieces(kind, value, format, view))


__all__ = ["FORMATS", "Format", "KindList", "PluginList", "StepList", "View", "choices", "format_for_file", "help_for", "pieces", "render", "renderer"]
