"""The registry of what plugins contribute: step types and milestone kinds.

A step type is a class (see :class:`coachflow.Step`). Registering one
through ``register_steps`` checks its shape and describes it as a
:class:`StepType`: its name, the events it handles (the workflow hooks it
marks with ``@coachflow.hookimpl``) and its options. The
:class:`StepRegistry` holds every step type and milestone kind the loaded
plugins offered, and the rules for names two plugins both claim.
"""

from __future__ import annotations

import types
import typing
from typing import Any

import attrs

from coachflow.models import DERIVED_PLACEHOLDERS, event_fields, is_valid_kind_name
from coachflow.plugin.hookspecs import WORKFLOW_HOOKS
from coachflow.steps import NoOptions
from coachflow.templates import Template

_HOOK_EVENTS = {hook: event for event, hook in WORKFLOW_HOOKS.items()}


@attrs.frozen
class OptionSpec:
    """One option of a step type, as ``coachflow steps`` and the schema show it."""

    name: str
    type: Any
    type_label: str
    default: Any  # attrs.NOTHING when required
    help: str
    placeholders: tuple[str, ...]

    @property
    def required(self) -> bool:
        """True when a workflow must set this option."""
        return self.default is attrs.NOTHING


@attrs.frozen
class StepType:
    """A step type as registered by a plugin."""

    name: str
    step_class: type
    plugin: str
    events: tuple[str, ...]

    @property
    def options_class(self) -> type:
        """The attrs class describing this step's ``with`` table."""
        return getattr(self.step_class, "Options", NoOptions)

    @property
    def summary(self) -> str:
        """The first line of the step class's docstring."""
        return (self.description.splitlines() or [""])[0]

    @property
    def description(self) -> str:
        """The step class's docstring, dedented."""
        import inspect

        return inspect.getdoc(self.step_class) or ""

    def options(self) -> list[OptionSpec]:
        """Every option with its type, default, help and placeholders."""
        hints = typing.get_type_hints(self.options_class)
        specs = []
        for field in attrs.fields(self.options_class):
            if isinstance(field.default, attrs.Factory):  # type: ignore[arg-type]
                default = field.default.factory()
            else:
                default = field.default
            field_type = hints.get(field.name, field.type)
            specs.append(
                OptionSpec(
                    name=field.name,
                    type=field_type,
                    type_label=type_label(field_type),
                    default=default,
                    help=field.metadata.get("help", ""),
                    placeholders=self.placeholders_for(field),
                )
            )
        return specs

    def placeholders_for(self, field: attrs.Attribute) -> tuple[str, ...]:
        """The placeholder names a template option may use."""
        common: set[str] | None = None
        for event in self.events:
            names = set(event_fields(event))
            common = names if common is None else common & names
        extra = set(field.metadata.get("placeholders", ()))
        return tuple(sorted((common or set()) | set(DERIVED_PLACEHOLDERS) | extra))


def type_label(tp: Any) -> str:
    """A coach-readable name for an option type: text, integer, list of text..."""
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if tp is Template:
        return "text template"
    if tp is str:
        return "text"
    if tp is bool:
        return "true/false"
    if tp is int:
        return "integer"
    if tp is float:
        return "number"
    if origin in (list, tuple):
        return f"list of {type_label(args[0])}" if args else "list"
    if origin is dict:
        return f"table of {type_label(args[1])}" if len(args) == 2 else "table"
    if origin is typing.Literal:
        return " | ".join(repr(a) for a in args)
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in args if a is not type(None)]
        label = " or ".join(type_label(a) for a in inner)
        return f"{label} (optional)" if len(inner) < len(args) else label
    return getattr(tp, "__name__", str(tp))


def step_type_from_class(step_class: Any, plugin: str) -> StepType:
    """Check a class registered through ``register_steps`` and describe it.

    :raises TypeError: with a message naming what the class lacks.
    """
    if not isinstance(step_class, type):
        raise TypeError(f"register() takes a step class, got {step_class!r}")
    name = getattr(step_class, "name", None)
    if not isinstance(name, str) or not is_valid_kind_name(name):
        raise TypeError(
            f"step class {step_class.__name__} needs a 'name' of lower-case words joined by "
            f"hyphens, such as 'ask-a-friend'; it has {name!r}"
        )
    options_class = getattr(step_class, "Options", NoOptions)
    if not attrs.has(options_class):
        raise TypeError(f"step '{name}': Options must be an attrs class, got {options_class!r}")
    events = tuple(
        event
        for hook, event in _HOOK_EVENTS.items()
        if hasattr(getattr(step_class, hook, None), "coachflow_impl")
    )
    if not events:
        raise TypeError(
            f"step '{name}' implements no workflow hook; mark a method such as "
            "on_rejection with @coachflow.hookimpl"
        )
    return StepType(name=name, step_class=step_class, plugin=plugin, events=events)


@attrs.define
class StepRegistry:
    """The step types and milestone kinds that the loaded plugins contributed.

    A built-in step's name is reserved: a third-party plugin offering it is
    refused and the built-in step is used, whichever loads first. Two
    third-party plugins offering the same name make a conflict instead, and
    neither is used, because coachflow cannot know which one the coach meant.
    """

    steps: dict[str, StepType] = attrs.Factory(dict)
    #: milestone kind -> its description, the built-in kinds first.
    milestone_kinds: dict[str, str] = attrs.Factory(dict)
    #: the milestone kinds plugins registered as wins (``register(kind, description, win=True)``).
    win_kinds: set[str] = attrs.Factory(set)
    #: plugin milestone kind -> the plugin that registered it.
    kind_plugins: dict[str, str] = attrs.Factory(dict)
    #: step name -> the plugins that each offered it; such a step is unusable.
    conflicts: dict[str, list[str]] = attrs.Factory(dict)
    #: built-in step name -> the third-party plugins whose step of that name was refused.
    refused: dict[str, list[str]] = attrs.Factory(dict)
    #: the names of the built-in steps.
    builtin_names: set[str] = attrs.Factory(set)
    #: plugins that were switched off -> how (``--disable-plugin``, ``COACHFLOW_LOAD_PLUGINS``);
    #: what they would offer is unknown, as they are never imported.
    disabled: dict[str, str] = attrs.Factory(dict)

    def add_step(self, step_type: StepType, *, builtin: bool = False) -> bool:
        """Add a step type that a plugin offers.

        :param builtin: the step comes with coachflow; its name is reserved.
        :return: ``False`` when the step was refused because a built-in step has its name.
        """
        name = step_type.name
        if builtin and name not in self.builtin_names:
            # Third-party steps that came first with this name give way to the built-in one.
            displaced = self.conflicts.pop(name, [])
            if name in self.steps:
                displaced.append(self.steps.pop(name).plugin)
            if displaced:
                self.refused[name] = sorted([*self.refused.get(name, []), *displaced])
            self.builtin_names.add(name)
            self.steps[name] = step_type
        elif name in self.builtin_names and not builtin:
            self.refused[name] = sorted([*self.refused.get(name, []), step_type.plugin])
            return False
        elif name in self.conflicts:
            self.conflicts[name] = sorted([*self.conflicts[name], step_type.plugin])
        elif name in self.steps:
            self.conflicts[name] = sorted([self.steps.pop(name).plugin, step_type.plugin])
        else:
            self.steps[name] = step_type
        return True

    def is_win(self, kind: str) -> bool:
        """Whether a milestone of this kind is good news: a built-in win, or a plugin's kind registered as one."""
        from coachflow.applications import is_win

        return kind in self.win_kinds or (kind not in self.kind_plugins and is_win(kind))

    def switched_off_note(self) -> str:
        """``"; plugin 'x' is switched off ..."`` for an error about a step or kind nobody offered, or ``""``.

        A plugin that is switched off is never imported, so what it offers is
        unknown; the note names it, as the one that may offer what is missing.
        """
        if not self.disabled:
            return ""
        names = sorted(self.disabled)
        how = sorted(set(self.disabled.values()))
        which = f"plugin '{names[0]}' is" if len(names) == 1 else f"plugins {', '.join(repr(n) for n in names)} are"
        return (f"; {which} {' or '.join(how)}, and may offer it: 'coachflow plugins' lists "
                f"{'it' if len(names) == 1 else 'them'}; switch it back on to use it")

    def known_names(self) -> list[str]:
        """Every step name a workflow could mention, conflicting ones included."""
        return sorted([*self.steps, *self.conflicts])
