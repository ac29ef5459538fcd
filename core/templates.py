"""Safe text templates for step options: ``"Thanks for considering me, {company}"``.

A workflow file is shared between people, so its templates must never reach
into Python objects. Unlike :meth:`str.format`, a placeholder here is a bare
name (``{company}``), filled from a mapping of plain strings: there is no
attribute access (``{event.__class__}``), no indexing (``{x[0]}``), no
conversion (``{x!r}``) and no format spec (``{x:>10}``). ``{{`` and ``}}``
stand for literal braces. Templates are checked when the workflow loads, so
an unknown placeholder is reported before anything runs.
"""

from __future__ import annotations

import re
from typing import Iterable, Mapping

from coachflow.errors import TemplateError, did_you_mean

_TOKEN = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")
_NAME = re.compile(r"^[a-z_][a-z0-9_]*$")


class Template(str):
    """Marks an option as a template. Its value is an ordinary string."""


def _scan(text: str) -> tuple[dict[str, int], list[tuple[int, str]]]:
    """The plain placeholder names of a template, each with where it first comes, and what
    is wrong in it, each with where."""
    names: dict[str, int] = {}
    wrong: list[tuple[int, str]] = []
    for match in _TOKEN.finditer(text):
        token = match.group(0)
        if token in ("{{", "}}"):
            continue
        if token in ("{", "}"):
            wrong.append((match.start(), f"a lone '{token}' at character {match.start() + 1}; write "
                                         f"'{token}{token}' for a literal brace"))
            continue
        name = match.group(1).strip()
        if not _NAME.match(name):
            wrong.append((match.start(), f"'{token}' is not a placeholder: use a plain name such as {{company}}, "
                                         "with no dots, brackets, '!' or ':'"))
        else:
            names.setdefault(name, match.start())
    return names, wrong


def placeholders(text: str) -> list[str]:
    """The placeholder names a template uses, in order, each once.

    :raises TemplateError: on a lone brace or a placeholder that is not a
        plain lower-case name (the first one; :func:`problems` gives them all).
    """
    names, wrong = _scan(text)
    if wrong:
        raise TemplateError(wrong[0][1])
    return list(names)


#: Placeholders every template may use: a client's values, filled in before a workflow runs
#: for them (coachflow.clients): their name, the coach's, and ``client_VAR`` for their variables.
CLIENT_PLACEHOLDERS: tuple[str, ...] = ("client_name", "coach_name")
CLIENT_VARIABLE_PREFIX = "client_"


def problems(text: str, allowed: Iterable[str]) -> list[str]:
    """Everything wrong with the template ``text``, in the order it comes, one message each:
    lone braces, placeholders that are not plain names, and names that are neither in
    ``allowed`` nor a client's value (:data:`CLIENT_PLACEHOLDERS`, ``client_VAR``)."""
    allowed = tuple(allowed)
    names, wrong = _scan(text)
    for name, start in names.items():
        if name not in allowed and name not in CLIENT_PLACEHOLDERS and not name.startswith(CLIENT_VARIABLE_PREFIX):
            wrong.append((start, f"unknown placeholder {{{name}}}{did_you_mean(name, allowed)}; "
                                 f"this text can use {', '.join('{' + a + '}' for a in allowed)}"))
    return [message for _, message in sorted(wrong)]


def check(text: str, allowed: Iterable[str]) -> None:
    """Raise :class:`TemplateError` unless every placeholder in ``text`` is in ``allowed``
    or is a client's value (:data:`CLIENT_PLACEHOLDERS`, ``client_VAR``); it names the
    first problem, :func:`problems` gives them all."""
    wrong = problems(text, allowed)
    if wrong:
        raise TemplateError(wrong[0])


def fill(text: str, values: Mapping[str, str]) -> str:
    """Fill only the placeholders named in ``values``, leaving the others for :func:`render`.

    A filled value's own braces are doubled, so it stays literal text.
    """

    def replace(match: re.Match[str]) -> str:
        name = (match.group(1) or "").strip()
        if match.group(1) is not None and name in values:
            return values[name].replace("{", "{{").replace("}", "}}")
        return match.group(0)

    return _TOKEN.sub(replace, text)


def render(text: str, values: Mapping[str, object]) -> str:
    """Fill a template's placeholders from ``values``.

    Values are turned into text with :func:`str`; a missing value is an
    error (templates are checked at load time, so this means a step passed
    fewer values than it declared).

    :raises TemplateError: on bad syntax or a placeholder with no value.
    """

    def replace(match: re.Match[str]) -> str:
        token = match.group(0)
        if token == "{{":
            return "{"
        if token == "}}":
            return "}"
        if token in ("{", "}") or not _NAME.match(match.group(1).strip()):
            placeholders(text)  # raises the precise error
        name = match.group(1).strip()
        if name not in values:
            raise TemplateError(f"no value for placeholder {{{name}}}")
        return str(values[name])

    return _TOKEN.sub(replace, text)
