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

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    import pluggy

    from coachflow.models import ACTION_KINDS, STAGES, Action, Event, Feedback, Milestone, Rejection, RunResult
    from coachflow.steps import NoOptions, Step, option
    from coachflow.templates import Template

    #: Marks a function or method as an implementation of a coachflow hook.
    hookimpl: pluggy.HookimplMarker

# The public names are imported on first use, not here: every command imports this
# package, and `coachflow --help` needs none of them (models and steps define attrs
# classes, and the hook marker imports pluggy, all of which costs start-up time).
_LAZY: dict[str, str] = {
    "ACTION_KINDS": "coachflow.models",
    "STAGES": "coachflow.models",
    "Action": "coachflow.models",
    "Event": "coachflow.models",
    "Feedback": "coachflow.models",
    "Milestone": "coachflow.models",
    "Rejection": "coachflow.models",
    "RunResult": "coachflow.models",
    "NoOptions": "coachflow.steps",
    "Step": "coachflow.steps",
    "option": "coachflow.steps",
    "Template": "coachflow.templates",
}


def __getattr__(name: str) -> Any:
    """Import a public name on first use and keep it, so later uses cost nothing."""
    if name == "hookimpl":
        import pluggy

        from coachflow.plugin.hookspecs import PROJECT_NAME

        value: Any = pluggy.HookimplMarker(PROJECT_NAME)
    elif name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(_LAZY[name]), name)
    else:
        raise AttributeError(f"module 'coachflow' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


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
