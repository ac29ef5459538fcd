"""The plugin host: finds plugins, registers them, and collects what they offer.

Plugins come from four places, loaded in this order:

1. the built-in plugins (``coachflow.plugins``), written like any other;
2. installed distributions, through the ``coachflow`` entry-point group,
   one at a time and in name order, so that the result never depends on
   installation order;
3. local plugins named with ``--plugin`` or ``COACHFLOW_PLUGINS``: a
   ``.py`` file (a coach's own step next to the workflow) or an importable
   module;
4. plugin objects handed over by a program or a test (``extra_plugins``).

A plugin that fails to import, whose hooks do not match the specification
or whose registration raises is left out with one warning naming it and
the reason; the others keep working. A disabled plugin (``--disable-plugin``)
is blocked in pluggy and never imported.
"""

from __future__ import annotations

import importlib
import inspect
import os
import re
import sys
import types
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Mapping

import attrs
import pluggy

from coachflow.plugin import hookspecs
from coachflow.errors import CoachflowError, did_you_mean
from coachflow.plugin.hookspecs import PROJECT_NAME, WORKFLOW_HOOKS

if TYPE_CHECKING:
    import click

    from coachflow.entry_points import EntryPoint
    from coachflow.plugin.registry import StepRegistry, StepType
    from coachflow.tracing import TraceWriter

# The step and model modules are imported where plugins are loaded, not here: the
# command line imports this module for its plugin options, and `coachflow --help`
# without third-party plugins loads none (see plugins_may_add_commands).

ENTRY_POINT_GROUP = "coachflow"

#: The environment variables that control plugin loading (see :meth:`PluginOptions.from_environment`).
PLUGINS_ENV = "COACHFLOW_PLUGINS"
DISABLE_PLUGINS_ENV = "COACHFLOW_DISABLE_PLUGINS"
NO_PLUGINS_ENV = "COACHFLOW_NO_PLUGINS"
TRACE_ENV = "COACHFLOW_TRACE"

#: Where a plugin came from, as ``coachflow plugins`` shows it.
SOURCES = ("built-in", "entry point", "file", "module", "object")


@attrs.define
class PluginInfo:
    """What coachflow knows about one plugin, for ``coachflow plugins``."""

    name: str
    source: str  # one of SOURCES
    location: str
    version: str | None = None
    distribution: str | None = None
    status: str = "ok"  # "ok", "failed" or "disabled"
    error: str | None = None
    hooks: list[str] = attrs.Factory(list)
    steps: list[str] = attrs.Factory(list)
    milestone_kinds: list[str] = attrs.Factory(list)
    commands: list[str] = attrs.Factory(list)
    #: why this plugin's register_commands hook gave nothing, when it failed
    command_error: str | None = None


@attrs.frozen
class PluginOptions:
    """Which plugins to load, from the command line and the environment.

    :param local: ``.py`` files and module names to load as plugins.
    :param disabled: names of plugins to block (never imported).
    :param installed: load installed plugins (entry points) and
        ``COACHFLOW_PLUGINS``; ``False`` is ``--no-plugins``.
    :param trace: show every hook call on standard error.
    """

    local: tuple[str, ...] = ()
    disabled: tuple[str, ...] = ()
    installed: bool = True
    trace: bool = False

    @classmethod
    def from_environment(
        cls,
        environ: Mapping[str, str] | None = None,
        *,
        plugins: Iterable[str] = (),
        disabled: Iterable[str] = (),
        no_plugins: bool = False,
        trace: bool = False,
    ) -> "PluginOptions":
        """Combine command-line values with ``COACHFLOW_PLUGINS``, ``COACHFLOW_DISABLE_PLUGINS``,
        ``COACHFLOW_NO_PLUGINS`` and ``COACHFLOW_TRACE``.

        With no third-party plugins (``--no-plugins`` or ``COACHFLOW_NO_PLUGINS=1``),
        ``COACHFLOW_PLUGINS`` is ignored too, but plugins named with
        ``--plugin`` on the same command line still load: that is how an
        author tries one plugin on its own.

        :raises CoachflowError: when a switch variable is neither on nor off.
        """
        environ = os.environ if environ is None else environ
        no_plugins = no_plugins or env_flag(NO_PLUGINS_ENV, environ)
        local = list(plugins)
        if not no_plugins:
            local += env_list(PLUGINS_ENV, environ)
        return cls(
            local=tuple(dict.fromkeys(local)),
            disabled=tuple(dict.fromkeys([*disabled, *env_list(DISABLE_PLUGINS_ENV, environ)])),
            installed=not no_plugins,
            trace=trace or env_flag(TRACE_ENV, environ),
        )


def env_flag(name: str, environ: Mapping[str, str] | None = None) -> bool:
    """Read an on/off environment variable: 1/true/yes/on or 0/false/no/off (unset: off).

    :raises CoachflowError: for any other value.
    """
    value = (os.environ if environ is None else environ).get(name, "").strip().lower()
    if value in ("", "0", "false", "no", "off"):
        return False
    if value in ("1", "true", "yes", "on"):
        return True
    raise CoachflowError(f"{name}: '{value}' is not a switch; use 1 to turn it on or 0 to turn it off")


def env_list(name: str, environ: Mapping[str, str] | None = None) -> list[str]:
    """Read a comma-separated environment variable into its non-empty items."""
    value = (os.environ if environ is None else environ).get(name, "")
    return [item.strip() for item in value.split(",") if item.strip()]


@attrs.define
class Host:
    """The loaded plugins and what they contribute."""

    plugin_manager: pluggy.PluginManager
    registry: StepRegistry
    plugins: list[PluginInfo]
    warnings: list[str]

    def plugin(self, name: str) -> PluginInfo | None:
        """The plugin with this name, whatever its status."""
        return next((info for info in self.plugins if info.name == name), None)

    def conflicts_of(self, name: str) -> dict[str, list[str]]:
        """The step names this plugin offers that another plugin offers too."""
        return {step: plugins for step, plugins in self.registry.conflicts.items() if name in plugins}

    def refused_of(self, name: str) -> list[str]:
        """The step names this plugin offered that belong to built-in steps, so were left out."""
        return sorted(step for step, plugins in self.registry.refused.items() if name in plugins)


class _PluginManager(pluggy.PluginManager):
    """pluggy's plugin manager, with a quicker first look at each attribute.

    Registering a plugin looks up every name ``dir()`` gives, in pluggy's
    careful static way, which costs about 7 microseconds a name: a
    millisecond and a half for the six built-in steps, on every command.
    Most names can never be hooks (see :func:`_could_be_hook`), so they are
    ruled out first; every other name goes through pluggy's own lookup, so
    what counts as a hook implementation is pluggy's rule exactly.
    """

    def parse_hookimpl_opts(self, plugin: Any, name: str) -> Any:
        """pluggy's options for the hook implementation ``name``, or ``None``."""
        if not _could_be_hook(plugin, name, marker=f"{self.project_name}_impl"):
            return None
        return super().parse_hookimpl_opts(plugin, name)


def create_plugin_manager() -> pluggy.PluginManager:
    """A plugin manager that knows coachflow's hook specifications and nothing else."""
    pm = _PluginManager(PROJECT_NAME)
    pm.add_hookspecs(hookspecs)
    return pm


def build_host(
    options: PluginOptions | None = None,
    *,
    load_entry_points: bool = True,
    extra_plugins: Iterable[tuple[str, Any]] = (),
    trace: TraceWriter | None = None,
) -> Host:
    """Load every plugin and collect their step types and milestone kinds.

    :param options: local plugins, disabled plugins, whether to load
        installed ones; default: installed and built-in plugins only.
    :param load_entry_points: ``False`` skips installed plugins whatever
        ``options`` say (tests and embedding programs use it).
    :param extra_plugins: ``(name, plugin object)`` pairs to register too.
    :param trace: receives a line for every hook call (``--trace``).
    """
    from coachflow.models import BUILTIN_MILESTONE_KINDS
    from coachflow.plugins import BUILTIN_PLUGINS
    from coachflow.plugin.registry import StepRegistry

    options = options or PluginOptions()
    pm = create_plugin_manager()
    if trace is not None:
        from coachflow.tracing import trace_hook_calls

        trace_hook_calls(pm, trace, label="plugins")
    for name in options.disabled:
        pm.set_blocked(name)
    loader = _Loader(pm)

    for module_name in BUILTIN_PLUGINS:
        loader.add(PluginInfo(name=module_name, source="built-in", location=module_name,
                              version=_coachflow_version()),
                   lambda m=module_name: importlib.import_module(m))
    if load_entry_points and options.installed:
        for ep in sorted(_entry_points(loader), key=lambda e: (e.name, e.value)):
            loader.add(PluginInfo(name=ep.name, source="entry point", location=ep.value,
                                  version=ep.version, distribution=ep.distribution), ep.load)
    for spec in options.local:
        loader.add(*_local_plugin(spec))
    for name, plugin in extra_plugins:
        loader.add(PluginInfo(name=name, source="object", location=_object_location(plugin)), lambda p=plugin: p)

    known = {info.name for info in loader.infos}
    for name in options.disabled:
        if name not in known:
            loader.warnings.append(f"--disable-plugin {name}: there is no plugin with that name"
                                   f"{did_you_mean(name, sorted(known))}; 'coachflow plugins' lists them")

    registry = StepRegistry(milestone_kinds=dict(BUILTIN_MILESTONE_KINDS))
    for info in loader.infos:
        if info.status == "ok":
            loader.collect(info, registry)
    for step, plugins in sorted(registry.conflicts.items()):
        loader.warnings.append(
            f"step '{step}' is offered by more than one plugin ({' and '.join(plugins)}), so no workflow "
            f"can use it; switch one off with --disable-plugin {plugins[-1]}"
        )
    return Host(plugin_manager=pm, registry=registry, plugins=loader.infos, warnings=loader.warnings)


def _coachflow_version() -> str:
    from coachflow import __version__

    return __version__


def _entry_points(loader: "_Loader") -> list["EntryPoint"]:
    # Not importlib.metadata: importing it costs more than coachflow's whole start-up budget.
    from coachflow.entry_points import entry_points

    try:
        return entry_points(ENTRY_POINT_GROUP)
    except Exception as exc:  # a broken installed distribution must not stop coachflow
        loader.warnings.append(f"installed plugins could not be listed: {describe_error(exc)}")
        return []


def _object_location(plugin: Any) -> str:
    module = getattr(plugin, "__module__", None) if not inspect.ismodule(plugin) else plugin.__name__
    qualname = getattr(plugin, "__qualname__", None) or type(plugin).__qualname__
    return f"{module}.{qualname}" if module and not inspect.ismodule(plugin) else str(module or qualname)


def _local_plugin(spec: str) -> tuple[PluginInfo, Callable[[], Any]]:
    """Describe a ``--plugin`` value: a ``.py`` file when it looks like a path, else a module name."""
    if spec.endswith(".py") or "/" in spec or os.sep in spec:
        path = Path(spec).expanduser()
        return PluginInfo(name=path.stem, source="file", location=str(path)), lambda: import_plugin_file(path)
    return PluginInfo(name=spec, source="module", location=spec), lambda: importlib.import_module(spec)


def import_plugin_file(path: Path) -> Any:
    """Import a plugin from a ``.py`` file that is not on the import path.

    The module is kept in :data:`sys.modules` as ``coachflow_local_plugin_<file
    name>`` so that annotations and attrs classes in it resolve normally.

    :raises FileNotFoundError: when there is no such file.
    """
    if not path.is_file():
        raise FileNotFoundError(f"no such file: {path}")
    # One module name per file name: plugin names are file names too, so two files with the
    # same name cannot both load; loading a file again replaces the module.
    import importlib.util

    module_name = "coachflow_local_plugin_" + re.sub(r"\W", "_", path.stem)
    spec = importlib.util.spec_from_file_location(module_name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path} as a Python module")
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        sys.modules.pop(module_name, None)
        raise
    return module


def describe_error(exc: BaseException, *, where: bool = False) -> str:
    """One line for an exception: ``Type: message``, with ``file:line`` of its origin when asked."""
    text = str(exc).strip().splitlines()
    line = f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__
    if where and not isinstance(exc, SyntaxError):  # a SyntaxError names its place itself
        import traceback

        # importlib's, pluggy's and coachflow's own frames say nothing about the plugin
        machinery = (Path(importlib.__file__).parent, Path(pluggy.__file__).parent, Path(__file__).parents[1])
        frames = [f for f in traceback.extract_tb(exc.__traceback__) if not f.filename.startswith("<")
                  and not any(Path(f.filename).is_relative_to(folder) for folder in machinery)]
        if frames:
            path = Path(frames[-1].filename)
            shown = f"{path.parent.name}/{path.name}" if path.name == "__init__.py" else path.name
            line = f"{shown}:{frames[-1].lineno}: {line}"
    return line


class _Loader:
    """Loads plugins one at a time into a plugin manager, keeping a record of each."""

    def __init__(self, pm: pluggy.PluginManager):
        self.pm = pm
        self.infos: list[PluginInfo] = []
        self.warnings: list[str] = []

    def fail(self, info: PluginInfo, reason: str) -> None:
        info.status, info.error = "failed", reason
        self.warnings.append(f"plugin '{info.name}' was left out: {reason}")
        if self.pm.get_plugin(info.name) is not None:
            self.pm.unregister(name=info.name)

    def add(self, info: PluginInfo, load: Callable[[], Any]) -> None:
        self.infos.append(info)
        if self.pm.is_blocked(info.name):
            info.status = "disabled"
            return
        if self.pm.get_plugin(info.name) is not None:
            self.fail(info, f"another plugin is already called '{info.name}'")
            return
        try:
            plugin = load()
        except (Exception, SystemExit) as exc:  # a broken plugin must not stop coachflow
            self.fail(info, f"it failed to import ({describe_error(exc, where=True)})")
            return
        if info.source in ("file", "module"):
            info.location = getattr(plugin, "__file__", None) or info.location
            version = getattr(plugin, "__version__", None)
            info.version = version if isinstance(version, str) else None
        problem = hook_problem(self.pm, plugin, allowed=None)
        if problem:
            self.fail(info, problem)
            return
        other_name = self.pm.get_name(plugin)
        if other_name is not None:
            self.fail(info, f"it is the same code as plugin '{other_name}', which is already loaded")
            return
        try:
            self.pm.register(plugin, name=info.name)
        except (pluggy.PluginValidationError, ValueError) as exc:
            self.fail(info, f"its hooks do not match coachflow's ({describe_error(exc)})")
            return
        info.hooks = sorted(c.name for c in self.pm.get_hookcallers(plugin) or ())
        misplaced = sorted(set(info.hooks) & set(WORKFLOW_HOOKS.values()))
        if misplaced:
            self.warnings.append(
                f"plugin '{info.name}' implements {', '.join(misplaced)} at module level, where it is never "
                "called; workflow hooks belong on a step class passed to register()"
            )

    def collect(self, info: PluginInfo, registry: StepRegistry) -> None:
        """Call one plugin's registration hooks, attributing what it offers to it."""
        from coachflow.models import is_valid_kind_name
        from coachflow.plugin.registry import step_type_from_class

        pm = self.pm
        plugin = pm.get_plugin(info.name)
        offered_steps: list[StepType] = []
        offered_kinds: list[tuple[str, str]] = []

        def register_step(step_class: Any) -> None:
            problem = hook_problem(pm, step_class, allowed=tuple(WORKFLOW_HOOKS.values())) if isinstance(
                step_class, type) else None
            if problem:
                raise TypeError(f"step class {step_class.__name__}: {problem}")
            step_type = step_type_from_class(step_class, info.name)
            if any(s.name == step_type.name for s in offered_steps):
                raise TypeError(f"step '{step_type.name}' is registered twice")
            offered_steps.append(step_type)

        def register_kind(kind: str, description: str = "") -> None:
            if not isinstance(kind, str) or not is_valid_kind_name(kind):
                raise TypeError(f"milestone kind {kind!r} must be lower-case words joined by hyphens")
            offered_kinds.append((kind, description))

        for hook_name, register in (("register_steps", register_step), ("register_milestone_kinds", register_kind)):
            if hook_name not in info.hooks:
                continue
            try:
                only_this(pm, hook_name, plugin)(register=register)
            except Exception as exc:  # a plugin's registration code is not ours to trust
                self.fail(info, f"its {hook_name} hook failed ({describe_error(exc, where=True)})")
                return
        for step_type in offered_steps:
            if not registry.add_step(step_type, builtin=info.source == "built-in"):
                builtin = registry.steps[step_type.name].plugin
                self.warnings.append(
                    f"plugin '{info.name}' offers a step '{step_type.name}', but that name belongs to the built-in "
                    f"step from {builtin}, which is used instead; the plugin's step is left out (rename it)"
                )
                continue
            info.steps.append(step_type.name)
            info.hooks = sorted({*info.hooks, *(WORKFLOW_HOOKS[event] for event in step_type.events)})
        for kind, description in offered_kinds:
            registry.milestone_kinds.setdefault(kind, description)
            info.milestone_kinds.append(kind)


def only_this(pm: pluggy.PluginManager, hook_name: str, plugin: Any) -> pluggy.HookCaller:
    """A caller of ``hook_name`` that calls ``plugin``'s implementation and no other."""
    others = [p for p in pm.get_plugins() if p is not plugin and p is not None]
    return pm.subset_hook_caller(hook_name, remove_plugins=others)


def hook_problem(pm: pluggy.PluginManager, plugin: Any, *, allowed: tuple[str, ...] | None) -> str | None:
    """Why ``plugin``'s hook implementations do not fit coachflow's hooks, or ``None``.

    Checks what pluggy leaves for later or words for its own developers: a
    hook name that coachflow does not have, and arguments a hook does not
    pass. ``allowed`` limits the hooks (a step class implements workflow
    hooks only); ``None`` allows every hook.
    """
    known = [name for name in vars(hookspecs) if getattr(getattr(pm.hook, name, None), "spec", None)]
    for attribute in _possible_hooks(plugin):
        try:
            opts = pm.parse_hookimpl_opts(plugin, attribute)
        except Exception:  # an attribute that cannot even be read is not a hook
            continue
        if opts is None:
            continue
        hook_name = opts.get("specname") or attribute
        choices = list(allowed) if allowed is not None else known
        if hook_name not in choices:
            if opts.get("optionalhook") and allowed is None:
                continue
            hint = did_you_mean(hook_name, choices)
            what = "a step can implement" if allowed is not None else "coachflow has"
            return (f"'{hook_name}' is marked as a hook implementation, but it is not a hook {what}"
                    f"{hint or '; the hooks are ' + ', '.join(choices)}")
        spec = getattr(pm.hook, hook_name).spec
        offered = (*spec.argnames, *spec.kwargnames)
        required = _required_arguments(getattr(plugin, attribute), of_class=inspect.isclass(plugin))
        unknown = [name for name in required or () if name not in offered]
        if unknown:
            return (f"its {hook_name}() asks for {', '.join(repr(n) for n in unknown)}, which coachflow does not "
                    f"pass; the hook passes {', '.join(offered)} (take any of them, by name)")
    return None


def _required_arguments(function: Any, *, of_class: bool) -> list[str] | None:
    """The arguments a call of ``function`` must name (those without a default), or ``None`` if unknown.

    Read from the function's code object, which takes a microsecond where
    ``inspect.signature`` takes tens (this runs for every hook of every
    plugin on every command). Functions that say their signature some other
    way (``__wrapped__``, ``__signature__``, ``__text_signature__``,
    ``functools.partialmethod``) and other callables still go through
    ``inspect.signature``. The first argument of a method read from a class
    (``self`` or ``cls``) is not one a hook passes.
    """
    target = function.__func__ if type(function) is types.MethodType else function
    if type(target) is types.FunctionType and not any(
            hasattr(target, name) for name in ("__wrapped__", "__signature__", "__text_signature__", "_partialmethod")):
        code = target.__code__
        names = list(code.co_varnames[:code.co_argcount])
        if target is not function:  # bound: the first argument is given already
            names = names[1:]
        if of_class and names[:1] in (["self"], ["cls"]):
            names = names[1:]
        return names[:max(0, len(names) - len(target.__defaults__ or ()))]
    try:
        parameters = list(inspect.signature(function).parameters.values())
    except (TypeError, ValueError):
        return None
    if of_class and parameters and parameters[0].name in ("self", "cls"):
        parameters = parameters[1:]
    return [p.name for p in parameters
            if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) and p.default is p.empty]


def plugins_may_add_commands(options: PluginOptions, *, extra_plugins: Iterable[tuple[str, Any]] = ()) -> bool:
    """Whether any plugin these options would load could add a command (``register_commands``).

    The built-in plugins add none (a test holds them to it), so only
    third-party plugins can: installed ones, ``--plugin`` ones and objects a
    program hands over. Without any of those, ``coachflow --help`` lists the
    commands without loading a plugin. Disabling a plugin or tracing still
    loads them all, for the warnings and trace lines that belong to that.
    """
    if extra_plugins or options.local or options.disabled or options.trace:
        return True
    if not options.installed:
        return False
    from coachflow.entry_points import entry_points

    try:
        return bool(entry_points(ENTRY_POINT_GROUP))
    except Exception:  # build_host reports a broken installed distribution as a warning
        return True


_ROUTINES = (types.FunctionType, types.MethodType, staticmethod, classmethod)


#: What pluggy may read a hook implementation from: functions and methods, or a
#: ``__slots__`` slot of an instance, which holds any value.
_MAYBE_HOOKS = (*_ROUTINES, types.MemberDescriptorType)

#: A class's method resolution order as Python uses it, whatever its metaclass says.
_TRUE_MRO = type.__dict__["__mro__"].__get__


def _could_be_hook(plugin: Any, name: str, *, marker: str = f"{PROJECT_NAME}_impl") -> bool:
    """False when pluggy cannot take ``plugin``'s attribute ``name`` for a hook implementation.

    pluggy reads attributes statically, from the instance's or a class's
    ``__dict__``, and takes only functions and methods that carry its
    ``marker`` (set by ``@coachflow.hookimpl``). Most of what ``dir()`` gives
    is not one: a plugin module holds mostly imports, constants and helper
    functions, and every class has ``__module__``, ``__doc__``, its own
    methods and what it inherits from ``object``. A quick look at the
    ``__dict__`` entries rules those out; anything unusual (a method
    object, a static or class method, a slot) counts as a possible hook, for
    pluggy to decide.
    """
    if type(plugin) is types.ModuleType:
        found = [vars(plugin).get(name)]
    else:
        found = []
        if not isinstance(plugin, type):
            try:
                own = object.__getattribute__(plugin, "__dict__")
            except AttributeError:
                own = {}
            if isinstance(own, dict) and name in own:
                found.append(own[name])
        classes = _TRUE_MRO(plugin if isinstance(plugin, type) else type(plugin))
        if any(type(cls) is not type for cls in classes):
            return True  # a metaclass may change what a static lookup finds: pluggy decides
        found.extend(next(([vars(cls)[name]] for cls in classes if name in vars(cls)), []))
        if not found:
            return True
    # pluggy reads the marker from the function, or from what its __func__ holds
    return any(hasattr(value, marker) or hasattr(value, "__func__") if type(value) is types.FunctionType
               else isinstance(value, _MAYBE_HOOKS) for value in found)


def _possible_hooks(plugin: Any) -> list[str]:
    """The attribute names of ``plugin`` that pluggy could take for hook implementations, sorted."""
    return sorted(name for name in dir(plugin) if _could_be_hook(plugin, name))


def collect_plugin_commands(host: Host, reserved: Iterable[str]) -> tuple[dict[str, "click.Command"], list[str]]:
    """Call each plugin's ``register_commands`` hook on its own and gather the commands.

    Each plugin gets a fresh Click group to add to, so commands are
    attributed to plugins and one plugin's failure leaves the others'
    commands available.

    :param reserved: names coachflow's own commands use; a plugin command
        with one of them is left out.
    :return: ``(name -> command, warnings)``.
    """
    import click

    reserved = set(reserved)
    offered: dict[str, list[tuple[str, click.Command]]] = {}
    warnings: list[str] = []
    pm = host.plugin_manager
    for info in host.plugins:
        if info.status != "ok":
            continue
        plugin = pm.get_plugin(info.name)
        if plugin is None or "register_commands" not in info.hooks:
            continue
        collector = click.Group(name="coachflow")
        try:
            only_this(pm, "register_commands", plugin)(cli=collector)
        except Exception as exc:  # a plugin's command code must not break the command line
            info.command_error = f"its register_commands hook failed ({describe_error(exc, where=True)})"
            warnings.append(f"plugin '{info.name}': {info.command_error}; its commands are left out")
            continue
        for name, command in sorted(collector.commands.items()):
            problem = command_problem(name, command)
            if problem:
                warnings.append(f"plugin '{info.name}' adds a command '{name}' that is left out: {problem}")
                continue
            if name in reserved:
                warnings.append(f"plugin '{info.name}' adds a command '{name}', which coachflow already has; "
                                "the plugin's one is left out")
                continue
            offered.setdefault(name, []).append((info.name, command))
            info.commands.append(name)
    commands: dict[str, click.Command] = {}
    for name, offers in sorted(offered.items()):
        if len(offers) > 1:
            plugins = " and ".join(plugin_name for plugin_name, _ in offers)
            warnings.append(f"command '{name}' is offered by more than one plugin ({plugins}), so neither is "
                            f"available; switch one off with --disable-plugin {offers[-1][0]}")
            continue
        commands[name] = offers[0][1]
    return commands, warnings


def command_problem(name: Any, command: Any) -> str | None:
    """Why a command a plugin added cannot be offered, or ``None``.

    ``cli.add_command()`` accepts anything, and a command's help is only
    built when ``--help`` asks for it; both are checked now so that
    ``coachflow --help`` never fails on a plugin's account.
    """
    import click

    if not isinstance(name, str) or not name:
        return f"its name {name!r} is not text"
    if not isinstance(command, click.Command):
        return f"it is not a Click command but {type(command).__name__} {command!r:.40}"
    try:
        command.get_short_help_str()
        with click.Context(command, info_name=name) as ctx:
            command.get_help(ctx)
    except Exception as exc:  # a plugin's help code is not ours to trust
        return f"its help text cannot be shown ({describe_error(exc, where=True)})"
    return None
