"""What a plugin's command needs from the person running it: their journal, client and workflow.

A command a plugin adds (``register_commands``) takes the same
``--journal``, ``--profile`` and ``-w/--workflow`` options as coachflow's
own commands and gets them resolved the same way::

    import coachflow
    from coachflow.cli import user_options

    @coachflow.hookimpl
    def register_commands(cli):
        @cli.command()
        @user_options
        def nudges(setup):
            '''How many open reminders there are.'''
            with setup.open_journal("read") as journal:
                print(len(journal.reader.actions(status="open")))
"""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path
from typing import Any, Callable

import click

from coachflow.cli.common import journal_options, load_workflow_for, locate_journal, now_from_environment
from coachflow.cli.common import workflow_option as add_workflow_option


class UserSetup:
    """The person's journal, client (``--profile``) and workflow, as ``coachflow run`` finds them.

    :ivar profile: the client's name given with ``--profile`` or
        ``COACHFLOW_PROFILE`` (one journal per client), or ``None``.
    :ivar now: the time of this run (``COACHFLOW_NOW`` when it is set).
    """

    def __init__(self, state: Any, *, journal_path: str | None, profile: str | None, workflow_option: str | None):
        self._state = state
        self._journal_path = journal_path
        self._workflow_option = workflow_option
        self._workflow: Any = None
        self.profile = profile
        self.now: dt.datetime = now_from_environment(profile, journal_path)

    @property
    def workflow(self) -> Any:
        """The workflow ``coachflow run`` would use (``-w``, ``COACHFLOW_WORKFLOW``, ``./coachflow.toml`` or the
        built-in one), loaded on first use with the plugins it needs."""
        if self._workflow is None:
            self._workflow = load_workflow_for(self._state, self._workflow_option)
        return self._workflow

    @property
    def journal_path(self) -> Path:
        """The journal file: ``--journal``, ``COACHFLOW_JOURNAL``, the workflow's ``settings.journal``,
        or the client's file in the data folder."""
        return locate_journal(self._journal_path, self.profile, self._workflow_option)

    def open_journal(self, mode: str = "write") -> Any:
        """Open the journal (:func:`coachflow.journal.open_journal`): ``"write"`` creates it if needed,
        ``"read"`` never changes it and gives an empty one when there is none yet."""
        from coachflow.journal import open_journal

        return open_journal(self.journal_path, mode=mode, missing_ok=mode == "read")


def user_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Give a command ``--journal``, ``--profile`` and ``-w/--workflow``, and pass it ``setup``.

    Put it under ``@cli.command()``; the function receives a
    :class:`UserSetup` as its ``setup`` argument, next to its own options.
    """

    @functools.wraps(command)
    def with_setup(*args: Any, journal_path: str | None = None, profile: str | None = None,
                   workflow_option: str | None = None, **kwargs: Any) -> Any:
        from coachflow.cli import state_of

        state = state_of(click.get_current_context())
        setup = UserSetup(state, journal_path=journal_path, profile=profile, workflow_option=workflow_option)
        return command(*args, setup=setup, **kwargs)

    return journal_options(add_workflow_option(with_setup, help="The workflow file. Default: COACHFLOW_WORKFLOW, "
                                                                "./coachflow.toml, or the built-in workflow."))
