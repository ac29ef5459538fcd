"""coachflow: career-coaching workflows built from plugins.

A plugin imports what it needs from here::

    import coachflow

    class AskAFriend(coachflow.Step):
        name = "ask-a-friend"

        @coachflow.hookimpl
        def on_rejection(self, event, ctx):
            return coachflow.Action(kind="message", title=f"Tell a friend about {event.company}")

    @coachflow.hookimpl
    def register_steps(register):
        register(AskAFriend)
"""

from __future__ import annotations

import pluggy

from coachflow.hookspecs import PROJECT_NAME
from coachflow.models import (
    ACTION_KINDS,
    STAGES,
    Action,
    Event,
    Feedback,
    Milestone,
    Rejection,
    RunResult,
)
from coachflow.steps import NoOptions, Step, option
from coachflow.templates import Template

__version__ = "0.1.0"

#: Marks a function or method as an implementation of a coachflow hook.
hookimpl = pluggy.HookimplMarker(PROJECT_NAME)

__all__ = [
    "ACTION_KINDS",
    "STAGES",
    "Action",
    "Event",
    "Feedback",
    "Milestone",
    "NoOptions",
    "Rejection",
    "RunResult",
    "Step",
    "Template",
    "hookimpl",
    "option",
    "__version__",
]
