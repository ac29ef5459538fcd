"""The plugin host: finds plugins, registers them, and collects what they offer.

Built-in plugins (``coachflow.plugins``) are registered first, then installed
plugins from the ``coachflow`` entry-point group, one at a time and in name
order, so that the result never depends on installation order. A plugin
that fails to import or to register is reported and left out; it never
stops coachflow from starting.
"""

from __future__ import annotations

import importlib
from typing import Any, Callable, Iterable

import attrs
import pluggy

from coachflow import hookspecs
from coachflow.hookspecs import PROJECT_NAME, WORKFLOW_HOOKS
from coachflow.models import BUILTIN_MILESTONE_KINDS, is_valid_kind_name
from coachflow.steps import StepRegistry, step_type_from_class

ENTRY_POINT_GROUP = "coachflow"


@attrs.define
class PluginInfo:
    """What coachflow knows about one plugin, for ``coachflow plugins``."""

    name: str
    source: str  # "built-in" or "entry point"
    location: str
    version: str | None = None
    status: str = "ok"  # "ok" or "failed"
    error: str | None = None
    hooks: list[str] = attrs.Factory(list)
    steps: list[str] = attrs.Factory(list)


@attrs.define
class Host:
    """The loaded plugins and what they contribute."""

    plugin_manager: pluggy.PluginManager
    registry: StepRegistry
    plugins: list[PluginInfo]
    warnings: list[str]


def create_plugin_manager() -> pluggy.PluginManager:
    """A plugin manager that knows coachflow's hook specifications and nothing else."""
    pm = pluggy.PluginManager(PROJECT_NAME)
    pm.add_hookspecs(hookspecs)
    return pm


def _describe_error(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__


def build_host(*, load_entry_points: bool = True, extra_plugins: Iterable[tuple[str, Any]] = ()) -> Host:
    """Load every plugin and collect their step types and milestone kinds.

    :param load_entry_points: also load installed plugins (the ``coachflow``
        entry-point group); built-in plugins are always loaded.
    :param extra_plugins: ``(name, plugin object)`` pairs to register too,
        as tests and embedding programs do.
    """
    from coachflow.plugins import BUILTIN_PLUGINS

    pm = create_plugin_manager()
    infos: list[PluginInfo] = []
    warnings: list[str] = []

    def fail(info: PluginInfo, reason: str) -> None:
        info.status, info.error = "failed", reason
        warnings.append(f"plugin '{info.name}' was left out: {reason}")
        if pm.has_plugin(info.name):
            pm.unregister(name=info.name)

    def add(info: PluginInfo, load: Callable[[], Any]) -> None:
        infos.append(info)
        try:
            plugin = load()
        except Exception as exc:  # a broken plugin must not stop coachflow
            fail(info, f"it failed to import ({_describe_error(exc)})")
            return
        try:
            pm.register(plugin, name=info.name)
        except (pluggy.PluginValidationError, ValueError) as exc:
            fail(info, f"its hooks do not match coachflow's ({_describe_error(exc)})")
            return
        info.hooks = sorted(c.name for c in pm.get_hookcallers(plugin) or ())
        misplaced = sorted(set(info.hooks) & set(WORKFLOW_HOOKS.values()))
        if misplaced:
            warnings.append(
                f"plugin '{info.name}' implements {', '.join(misplaced)} at module level, where it is never "
                "called; workflow hooks belong on a step class passed to register()"
            )

    for module_name in BUILTIN_PLUGINS:
        add(PluginInfo(name=module_name, source="built-in", location=module_name),
            lambda m=module_name: importlib.import_module(m))
    if load_entry_points:
        from coachflow.entry_points import entry_points  # faster than importlib.metadata

        for ep in sorted(entry_points(ENTRY_POINT_GROUP), key=lambda e: e.name):
            add(PluginInfo(name=ep.name, source="entry point", location=ep.value, version=ep.version), ep.load)
    for name, plugin in extra_plugins:
        add(PluginInfo(name=name, source="object", location=repr(plugin)), lambda p=plugin: p)

    registry = StepRegistry(milestone_kinds=dict(BUILTIN_MILESTONE_KINDS))
    for info in infos:
        if info.status == "ok":
            _collect(pm, info, registry, fail)
    return Host(plugin_manager=pm, registry=registry, plugins=infos, warnings=warnings)


def _collect(pm: pluggy.PluginManager, info: PluginInfo, registry: StepRegistry, fail: Callable) -> None:
    """Call one plugin's registration hooks, attributing what it offers to it."""
    plugin = pm.get_plugin(info.name)
    others = [p for p in pm.get_plugins() if p is not plugin]
    offered_steps: list[Any] = []
    offered_kinds: list[tuple[str, str]] = []

    def register_step(step_class: type) -> None:
        offered_steps.append(step_type_from_class(step_class, info.name))

    def register_kind(kind: str, description: str = "") -> None:
        if not isinstance(kind, str) or not is_valid_kind_name(kind):
            raise TypeError(f"milestone kind {kind!r} must be lower-case words joined by hyphens")
        offered_kinds.append((kind, description))

    try:
        pm.subset_hook_caller("register_steps", remove_plugins=others)(register=register_step)
        pm.subset_hook_caller("register_milestone_kinds", remove_plugins=others)(register=register_kind)
    except Exception as exc:  # a plugin's registration code is not ours to trust
        fail(info, f"its registration failed ({_describe_error(exc)})")
        return
    for step_type in offered_steps:
        registry.add_step(step_type)
        info.steps.append(step_type.name)
    for kind, description in offered_kinds:
        registry.milestone_kinds.setdefault(kind, description)
