"""Hook-call tracing for ``--trace``: which implementations ran, in which order, with what result.

Tracing is installed on a plugin manager only when asked for, through
pluggy's hook-call monitoring, so a manager without it pays nothing.
"""

from __future__ import annotations

import datetime as dt
import inspect
from typing import Any, Callable, Mapping, Sequence

import attrs
import pluggy

#: Longest text a traced value is shown with; longer ones are cut with "...".
MAX_VALUE_WIDTH = 160

TraceWriter = Callable[[str], None]


def trace_hook_calls(plugin_manager: pluggy.PluginManager, write: TraceWriter, *, label: str = "") -> Callable[[], None]:
    """Report every hook call of ``plugin_manager`` through ``write``, one line at a time.

    Each call gives a line naming the hook and its arguments, one line per
    implementation in the order pluggy calls them, and a line with the
    result or the exception.

    :param write: receives each line (without a newline).
    :param label: put before the hook name, e.g. ``"workflow 'Bounce back'"``.
    :return: a function that removes the tracing again.
    """
    prefix = f"trace: {label}: " if label else "trace: "

    def before(hook_name: str, implementations: Sequence[Any], kwargs: Mapping[str, object]) -> None:
        arguments = ", ".join(f"{name}={describe_value(value)}" for name, value in kwargs.items())
        write(f"{prefix}{hook_name}({arguments})")
        # pluggy calls the implementations from the end of the list to the start.
        for number, implementation in enumerate(reversed(implementations), start=1):
            write(f"{prefix}  {number}. {describe_implementation(implementation)}")
        if not implementations:
            write(f"{prefix}  (no implementation)")

    def after(outcome: Any, hook_name: str, implementations: Sequence[Any], kwargs: Mapping[str, object]) -> None:
        if outcome.exception is not None:
            from coachflow.plugin.host import describe_error

            write(f"{prefix}  {hook_name} raised {describe_error(outcome.exception, where=True)}")
        else:
            result = outcome.get_result()
            if len(implementations) == 1 and isinstance(result, list):
                # pluggy leaves out None results; with one implementation the list holds at most its own.
                result = result[0] if result else None
            write(f"{prefix}  {hook_name} returned {describe_value(result)}")

    return plugin_manager.add_hookcall_monitoring(before, after)


def describe_implementation(implementation: Any) -> str:
    """``plugin-name: module.function`` for a pluggy ``HookImpl``."""
    function = implementation.function
    module = getattr(function, "__module__", None) or "?"
    qualname = getattr(function, "__qualname__", None) or getattr(function, "__name__", repr(function))
    return f"{implementation.plugin_name}: {module}.{qualname}"


def describe_value(value: Any) -> str:
    """A short, stable description of a hook argument or result (no memory addresses)."""
    text = _describe(value)
    return text if len(text) <= MAX_VALUE_WIDTH else text[: MAX_VALUE_WIDTH - 3] + "..."


def _describe(value: Any) -> str:
    if inspect.isroutine(value):
        qualname = getattr(value, "__qualname__", "") or getattr(value, "__name__", "?")
        return f"<function {value.__name__ if '<locals>' in qualname else qualname}>"
    if inspect.isclass(value):
        return f"<class {value.__module__}.{value.__qualname__}>"
    type_name = type(value).__name__
    if type_name in ("Group", "Command") and hasattr(value, "name"):
        return f"<click {type_name.lower()} {value.name!r}>"
    if type_name == "StepContext":
        return f"<step context {value.step_id!r} at {value.now.isoformat(timespec='minutes')}>"
    if type_name == "Action" and attrs.has(type(value)):
        return f"{value.kind} {value.title!r}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_describe(item) for item in value) + "]"
    if attrs.has(type(value)):
        fields = [(f.name, getattr(value, f.name)) for f in attrs.fields(type(value))]
        shown = [f"{name}={item.isoformat() if isinstance(item, (dt.date, dt.time)) else repr(item)}"
                 for name, item in fields if item not in ("", None, [], ())]
        return f"{type_name}({', '.join(shown)})"
    text = repr(value)
    return f"<{type_name}>" if " object at 0x" in text else text
