"""Text on its way to a terminal: control characters are shown, never obeyed.

Much of what coachflow prints was written by someone else: a workflow a
coach shared, a plugin's step, a journal another program wrote. A terminal
obeys escape sequences in what it is sent (an OSC 8 hyperlink, a cursor move,
erasing a line, a new window title) and the one-byte CSI (U+009B), so such
text could rewrite what a person sees. :func:`printable` shows every control
character but the line break and the tab as a visible ``\\u001b`` instead,
so what is left of a sequence is plain text; it does so on a terminal and in
a pipe alike, because a pipe often ends in a terminal (``| less -R``) or a
file someone prints later.

Every renderer of text for people uses it, and so does the command line's
:func:`echo`, through which each command prints. The escapes are JSON's own,
so JSON output passes through unchanged in meaning.
"""

from __future__ import annotations

import re
from typing import Any, TextIO

#: The control characters a terminal may act on: C0 (but the line break and the tab),
#: DEL and C1, of which U+009B starts a sequence as ESC [ does.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


class Shown(str):
    """Text that is safe to send to a terminal as it is: made by :func:`printable` or :func:`style`.

    :func:`echo` passes it through untouched, so that the colours coachflow
    adds itself survive; any other text it is given goes through
    :func:`printable` first.
    """

    __slots__ = ()


def _visible(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def printable(text: str) -> Shown:
    """``text`` with each control character but ``\\n`` and ``\\t`` written as an escape such as ``\\u001b``.

    An escape sequence (``ESC ] 8 ;; URL BEL``, ``ESC [ 2 K``, ``U+009B 2 K``)
    arrives as readable text and does nothing. Applying it twice changes
    nothing more.
    """
    if isinstance(text, Shown):
        return text
    return Shown(_CONTROL.sub(_visible, text) if _CONTROL.search(text) else text)


def style(text: str, **styles: Any) -> Shown:
    """``text`` made :func:`printable`, then coloured with :func:`click.style` (``fg="red"``, ``bold=True``)."""
    import click

    return Shown(click.style(printable(text), **styles))


def join(*parts: str) -> Shown:
    """The parts as one text: :class:`Shown` ones as they are, the others made :func:`printable`."""
    return Shown("".join(printable(part) for part in parts))


def echo(*parts: str, err: bool = False, nl: bool = True, **styles: Any) -> None:
    """Print the parts as one line (or block) with :func:`click.echo`, each made :func:`printable`.

    Parts made with :func:`style` keep their colour; ``styles`` colour the
    whole (``echo("Wrote it.", dim=True)``). Click drops colours when the
    output is not a terminal, as always.

    :param err: print to standard error.
    :param nl: end with a line break.
    """
    import click

    text = join(*parts)
    click.echo(click.style(text, **styles) if styles else text, err=err, nl=nl)


class PrintableStream:
    """A text stream that passes everything written to it through :func:`printable`:
    for data a command writes to standard output piece by piece (``export``).

    :param stream: where the text goes, such as ``sys.stdout``.
    """

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        """Write ``text``, made printable; return how many characters were given."""
        self._stream.write(printable(text))
        return len(text)

    def flush(self) -> None:
        """Flush the stream underneath."""
        self._stream.flush()


__all__ = ["PrintableStream", "Shown", "echo", "join", "printable", "style"]
