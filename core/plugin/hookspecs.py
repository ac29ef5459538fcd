"""The hook specifications of coachflow: every hook a plugin can implement.

Hooks are always called with keyword arguments, and an implementation may
accept any subset of a hook's arguments (pluggy matches them by name). Hooks
evolve only by gaining arguments; none is ever renamed or removed.

There are two families:

* **Registration hooks** (``register_*``) are called once when coachflow
  starts a command that needs plugins. A plugin module implements them to
  contribute step types, milestone kinds and subcommands.
* **Workflow hooks** (``on_rejection``, ``on_feedback``, ``on_milestone``) are
  implemented by *step classes*. A workflow file lists steps; the engine
  creates one instance per listed step, with that step's options, and calls
  the hook matching the event on each instance, in the order of the file.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

import pluggy

if TYPE_CHECKING:  # imported for annotations only: keeps start-up light
    import click

    from coachflow.context import StepContext
    from coachflow.models import Action, Feedback, Milestone, Rejection

PROJECT_NAME = "coachflow"

hookspec = pluggy.HookspecMarker(PROJECT_NAME)


@hookspec
def register_steps(register: Callable[[type], None]) -> None:
    """Contribute step types that workflow files can use.

    Called once per plugin when coachflow loads plugins.

    :param register: call ``register(StepClass)`` once for each step type.
        A step class has a ``name`` (the ``uses`` value in a workflow file),
        an ``Options`` attrs class describing its ``with`` table, a
        docstring whose first line summarises it, and implements one or more
        workflow hooks as methods marked with ``@coachflow.hookimpl``.
    :return: nothing; the return value is ignored.
    """


@hookspec
def register_milestone_kinds(register: Callable[..., None]) -> None:
    """Contribute milestone kinds beyond the built-in ones.

    Called once per plugin when coachflow loads plugins. A coach can then
    record ``coachflow run milestone --kind YOUR-KIND``; ``coachflow kinds``
    and ``coachflow run --help`` show each kind with its description.

    :param register: call ``register(kind, description, win=False)``;
        ``kind`` is a lower-case word or hyphenated words such as
        ``"portfolio-published"``, the description one short phrase, and
        ``win=True`` makes it good news that wins count. A built-in kind
        cannot be registered again: it is refused with a warning.
    :return: nothing; the return value is ignored.
    """


@hookspec
def register_commands(cli: "click.Group") -> None:
    """Add subcommands to the ``coachflow`` command line.

    Called when coachflow looks up a command it does not ship itself, when
    it lists commands for ``--help``, and by ``coachflow plugins``; never
    for a built-in command such as ``coachflow run``.

    :param cli: a Click group standing for ``coachflow``; call
        ``cli.command()``, ``cli.group()`` or ``cli.add_command()`` on it.
        Each plugin gets its own, so that a command is known to come from
        it; a command named like a built-in one is left out.
    :return: nothing; the return value is ignored.
    """


@hookspec
def on_rejection(
    event: "Rejection", ctx: "StepContext"
) -> "Action | list[Action] | None":
    """React to a rejection: an application that ended at some stage.

    Called on each step instance of the running workflow whose ``on`` and
    ``when`` match the event, in the order the workflow lists the steps. By
    the time it is called the event has been written to the journal.

    :param event: the rejection (company, role, stage, date, reason, notes).
    :param ctx: the step's context: ``ctx.options`` (this step's options),
        ``ctx.journal`` (read-only history), ``ctx.now``, ``ctx.render()``
        for templates and ``ctx.cancel()`` for earlier reminders.
    :return: an :class:`~coachflow.models.Action`, a list of them, or
        ``None`` when the step has nothing to say about this event.
    """


@hookspec
def on_feedback(event: "Feedback", ctx: "StepContext") -> "Action | list[Action] | None":
    """React to feedback someone gave about an application or interview.

    Called like :func:`on_rejection`, for feedback events.

    :param event: the feedback (company, role, source, text, date).
    :param ctx: the step's context, as for :func:`on_rejection`.
    :return: an action, a list of actions, or ``None``.
    """


@hookspec
def on_milestone(
    event: "Milestone", ctx: "StepContext"
) -> "Action | list[Action] | None":
    """React to a milestone: an application sent, a good conversation, an offer.

    Called like :func:`on_rejection`, for milestone events.

    :param event: the milestone (kind, company, role, date, notes).
    :param ctx: the step's context, as for :func:`on_rejection`.
    :return: an action, a list of actions, or ``None``.
    """


#: Workflow hook name for each event type.
WORKFLOW_HOOKS: dict[str, str] = {
    "rejection": "on_rejection",
    "feedback": "on_feedback",
    "milestone": "on_milestone",
}

__all__ = [
    "hookspec",
    "register_steps",
    "register_milestone_kinds",
    "register_commands",
    "on_rejection",
    "on_feedback",
    "on_milestone",
    "WORKFLOW_HOOKS",
]

