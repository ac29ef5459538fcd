"""What the shell offers on Tab: step names, milestone kinds, stages, profiles, files.

Click does the shell side (``_COACHFLOW_COMPLETE=bash_source coachflow``
and its zsh and fish forms, see the README); these functions answer for
the options whose values coachflow knows. They never fail: a completion
that cannot be worked out offers nothing rather than print an error into
the middle of what the person is typing.
"""

from __future__ import annotations

import contextlib
import io
from typing import TYPE_CHECKING, Any, Iterable

import click

from coachflow.errors import CoachflowError

if TYPE_CHECKING:  # imported when the shell asks, so that commands start as fast without it
    from click.shell_completion import CompletionItem


def _matching(choices: Iterable[tuple[str, str | None]], incomplete: str) -> list["CompletionItem"]:
    from click.shell_completion import CompletionItem

    return [CompletionItem(value, help=help) for value, help in choices if value.startswith(incomplete)]


def _registry(ctx: click.Context) -> Any:
    """The step registry, with the plugins the command line names; warnings are not printed."""
    from coachflow.cli import state_of

    with contextlib.redirect_stderr(io.StringIO()):
        return state_of(ctx).host().registry


def complete_files(ctx: click.Context, param: click.Parameter, incomplete: str) -> list["CompletionItem"]:
    """Let the shell complete a file name."""
    from click.shell_completion import CompletionItem

    return [CompletionItem(incomplete, type="file")]


def complete_step_names(ctx: click.Context, param: click.Parameter, incomplete: str) -> list["CompletionItem"]:
    """The step types installed plugins offer, each with its summary."""
    try:
        steps = _registry(ctx).steps
    except (CoachflowError, click.ClickException, OSError):
        return []
    return _matching(((name, steps[name].summary) for name in sorted(steps)), incomplete)


def complete_milestone_kinds(ctx: click.Context, param: click.Parameter, incomplete: str) -> list["CompletionItem"]:
    """The milestone kinds: coachflow's own and those plugins add."""
    try:
        kinds = _registry(ctx).milestone_kinds
    except (CoachflowError, click.ClickException, OSError):
        from coachflow.models import BUILTIN_MILESTONE_KINDS as kinds
    return _matching(kinds.items(), incomplete)


def complete_stages(ctx: click.Context, param: click.Parameter, incomplete: str) -> list["CompletionItem"]:
    """The stages a rejection can come at, in the order a search goes through them."""
    from coachflow.models import STAGES

    return _matching(((stage, None) for stage in STAGES), incomplete)


def complete_profiles(ctx: click.Context, param: click.Parameter, incomplete: str) -> list["CompletionItem"]:
    """The clients (profiles): those with a journal in the data directory, and those a coach
    added with ``coachflow client add`` who have no journal yet."""
    from coachflow.clients import client_file, client_ids
    from coachflow.journal import profile_journals

    try:
        found = {name: str(path) for name, path in profile_journals().items()}
        for name in client_ids():
            found.setdefault(name, str(client_file(name)))
    except (CoachflowError, OSError):
        return []
    return _matching(sorted(found.items()), incomplete)


def complete_date_formats(ctx: click.Context, param: click.Parameter, incomplete: str) -> list["CompletionItem"]:
    """The words ``--date-format`` knows; a pattern of % codes is the person's to type."""
    return _matching([("day-first", "14/03/2026, 14.03.2026"), ("month-first", "03/14/2026")], incomplete)


__all__ = [
    "complete_date_formats",
    "complete_files",
    "complete_milestone_kinds",
    "complete_profiles",
    "complete_stages",
    "complete_step_names",
]
