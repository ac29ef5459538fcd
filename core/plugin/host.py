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
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable

import attrs
import pluggy

from coachflow.plugin import hookspecs
from coachflow.errors import did_you_mean
from coachflow.plugin.discovery import PluginOptions, declared_commands, installed_entry_points
from coachflow.plugin.hookspecs import PROJECT_NAME, WORKFLOW_HOOKS

if TYPE_CHECKING:
    import click

    from importlib.metadata import EntryPoint
    from coachflow.plugin.registry import StepRegistry, StepType
    from coachflow.tracing import TraceWriter

# The step and model modules are imported where plugins are loaded, not here. What the
# command line needs before it loads any plugin (its plugin options, the commands
# installed plugins declare) is in coachflow.plugin.discovery, which imports neither
# pluggy nor attrs: `coachflow --help` loads no plugin.

#: A plugin whose import takes longer than this many seconds gets a note saying so.
SLOW_IMPORT_SECONDS = 0.5

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
    #: the commands its distribution declares (entry-point group ``coachflow.commands``)
    declared_commands: list[str] = attrs.Factory(list)
    #: seconds its import took (``None`` when it was not imported)
    import_seconds: float | None = None
    #: the milestone kinds it offered that are built-in ones, so were left out
    refused_kinds: list[str] = attrs.Factory(list)


@attrs.define
class Host:
    """The loaded plugins and what they contribute."""

    plugin_manager: pluggy.PluginManager
    registry: StepRegistry
    plugins: list[PluginInfo]
    warnings: list[str]
    #: things worth knowing that are not problems, such as a slow plugin import
    notes: list[str] = attrs.Factory(list)
    #: whether plugin code run for this host prints to standard error instead of standard output
    protect_stdout: bool = False

    def plugin(self, name: str) -> PluginInfo | None:
        """The plugin with this name, whatever its status."""
        return next((info for info in self.plugins if info.name == name), None)

    def conflicts_of(self, name: str) -> dict[str, list[str]]:
        """The step names this plugin offers that another plugin offers too."""
        return {step: plugins for step, plugins in self.registry.conflicts.items() if name in plugins}

    def refused_of(self, name: str) -> list[str]:
        """The step names this plugin offered that belong to built-in steps, so were left out."""
        return sorted(step for step, plugins in self.registry.refused.items() if name in plugins)


def create_plugin_manager() -> pluggy.PluginManager:
    """A plugin manager that knows coachflow's hook specifications and nothing else."""
    pm = pluggy.PluginManager(PROJECT_NAME)
    pm.add_hookspecs(hookspecs)
    return pm


def build_host(
    options: PluginOptions | None = None,
    *,
    load_entry_points: bool = True,
    extra_plugins: Iterable[tuple[str, Any]] = (),
    trace: TraceWriter | None = None,
    only_installed: Iterable[str] | None = None,
    protect_stdout: bool = False,
) -> Host:
    """Load every plugin and collect their step types and milestone kinds.

    :param options: local plugins, disabled plugins, whether to load
        installed ones; default: installed and built-in plugins only.
    :param load_entry_points: ``False`` skips installed plugins whatever
        ``options`` say (tests and embedding programs use it).
    :param extra_plugins: ``(name, plugin object)`` pairs to register too.
    :param trace: receives a line for every hook call (``--trace``), and
        one for each plugin's import with the time it took.
    :param only_installed: the names of the installed plugins to consider
        (a plugin command needs its own plugin only); ``None``: all of them.
    :param protect_stdout: what plugins print while they load goes to
        standard error (see :func:`output_to_stderr`).
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
    loader = _Loader(pm, trace=trace, protect_stdout=protect_stdout)

    for module_name in BUILTIN_PLUGINS:
        loader.add(PluginInfo(name=module_name, source="built-in", location=module_name,
                              version=_coachflow_version()),
                   lambda m=module_name: importlib.import_module(m))
    if load_entry_points and options.installed:
        wanted = None if only_installed is None else set(only_installed)
        commands = declared_commands(loader.warnings)
        for ep in sorted(_entry_points(loader), key=lambda e: (e.name, e.value)):
            if wanted is not None and ep.name not in wanted:
                continue
            if options.load_only is not None and ep.name not in options.load_only:
                continue  # an allow-list: the others are left alone, as if they were not installed
            dist = ep.dist
            info = PluginInfo(name=ep.name, source="entry point", location=ep.value,
                              version=dist.version if dist is not None else None,
                              distribution=dist.name if dist is not None else None,
                              declared_commands=commands.get(ep.name, []))
            loader.add(info, ep.load)
    for spec in options.local:
        loader.add(*_local_plugin(spec))
    for name, plugin in extra_plugins:
        loader.add(PluginInfo(name=name, source="object", location=_object_location(plugin)), lambda p=plugin: p)

    known = {info.name for info in loader.infos}
    for name in options.disabled:
        if name not in known and only_installed is None:
            loader.warnings.append(f"--disable-plugin {name}: there is no plugin with that name"
                                   f"{did_you_mean(name, sorted(known))}; 'coachflow plugins' lists them")

    registry = StepRegistry(milestone_kinds=dict(BUILTIN_MILESTONE_KINDS))
    for info in loader.infos:
        if info.status == "ok":
            loader.collect(info, registry)
        elif info.status == "disabled":
            registry.disabled[info.name] = info.error or "--disable-plugin"
    for step, plugins in sorted(registry.conflicts.items()):
        loader.warnings.append(
            f"step '{step}' is offered by more than one plugin ({' and '.join(plugins)}), so no workflow "
            f"can use it; switch one off with --disable-plugin {plugins[-1]}"
        )
    return Host(plugin_manager=pm, registry=registry, plugins=loader.infos, warnings=loader.warnings,
                notes=loader.notes, protect_stdout=protect_stdout)


def _coachflow_version() -> str:
    from coachflow import __version__

    return __version__


def _entry_points(loader: "_Loader") -> list["EntryPoint"]:
    try:
        return installed_entry_points()
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


class _ToStderr:
    """A stand-in for standard output that writes to standard error, each line marked with whose it is."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._at_line_start = True

    def write(self, text: str) -> int:
        marked = []
        for line in text.splitlines(keepends=True):
            marked.append(f"{self.name}: {line}" if self._at_line_start else line)
            self._at_line_start = line.endswith("\n")
        import click

        # through Click, which knows where standard error is (a test runner replaces it its own way)
        click.echo("".join(marked), err=True, nl=False)
        return len(text)

    def flush(self) -> None:
        pass  # click.echo flushes

    def isatty(self) -> bool:
        return False


def output_to_stderr(name: str) -> Any:
    """While it is entered, what plugin code prints goes to standard error as ``NAME: line``.

    Used while a command writes JSON (or other machine-readable output) to
    standard output, so that a plugin's ``print()`` cannot corrupt it.
    """
    import contextlib

    return contextlib.redirect_stdout(_ToStderr(name))  # type: ignore[type-var]


def plugin_frames(exc: BaseException) -> list[Any]:
    """The frames of ``exc``'s traceback that are in the plugin's code, outermost first.

    importlib's, pluggy's and coachflow's own frames say nothing about where
    a plugin went wrong, so they are left out.
    """
    import traceback

    machinery = (Path(importlib.__file__).parent, Path(pluggy.__file__).parent, Path(__file__).parents[1])
    return [f for f in traceback.extract_tb(exc.__traceback__) if not f.filename.startswith("<")
            and not any(Path(f.filename).is_relative_to(folder) for folder in machinery)]


def plugin_traceback(exc: BaseException) -> str:
    """The traceback of an exception a plugin raised, its own frames only, as Python prints it."""
    import traceback

    frames = plugin_frames(exc) or traceback.extract_tb(exc.__traceback__)
    lines = ["Traceback (most recent call last):\n", *traceback.format_list(frames),
             *traceback.format_exception_only(type(exc), exc)]
    return "".join(lines)


def describe_error(exc: BaseException, *, where: bool = False) -> str:
    """One line for an exception: ``Type: message``, with ``file:line`` of its origin when asked."""
    text = str(exc).strip().splitlines()
    line = f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__
    if where and not isinstance(exc, SyntaxError):  # a SyntaxError names its place itself
        frames = plugin_frames(exc)
        if frames:
            path = Path(frames[-1].filename)
            shown = f"{path.parent.name}/{path.name}" if path.name == "__init__.py" else path.name
            line = f"{shown}:{frames[-1].lineno}: {line}"
    return line


class _Loader:
    """Loads plugins one at a time into a plugin manager, keeping a record of each."""

    def __init__(self, pm: pluggy.PluginManager, *, trace: TraceWriter | None = None, protect_stdout: bool = False):
        self.pm = pm
        self.trace = trace
        self.protect_stdout = protect_stdout
        self.infos: list[PluginInfo] = []
        self.warnings: list[str] = []
        self.notes: list[str] = []

    def fail(self, info: PluginInfo, reason: str) -> None:
        info.status, info.error = "failed", reason
        self.warnings.append(f"plugin '{info.name}' was left out: {reason}")
        if self.pm.get_plugin(info.name) is not None:
            self.pm.unregister(name=info.name)

    def loaded_as(self, path: Path) -> PluginInfo | None:
        """The loaded plugin whose module is the file ``path``, if any."""
        try:
            wanted = path.resolve()
        except OSError:
            return None
        for info in self.infos:
            plugin = self.pm.get_plugin(info.name) if info.status == "ok" else None
            where = getattr(plugin, "__file__", None) if inspect.ismodule(plugin) else None
            if where and Path(where).resolve() == wanted:
                return info
        return None

    def add(self, info: PluginInfo, load: Callable[[], Any]) -> None:
        if info.source == "file" and self.loaded_as(Path(info.location)) is not None:
            return  # an installed plugin given by its file too: the same plugin, loaded once
        self.infos.append(info)
        if self.pm.is_blocked(info.name):
            info.status, info.error = "disabled", "switched off with --disable-plugin or COACHFLOW_DISABLE_PLUGINS"
            return
        if self.pm.get_plugin(info.name) is not None:
            self.fail(info, f"another plugin is already called '{info.name}'")
            return
        started = time.perf_counter()
        try:
            with self.output(info.name):
                plugin = load()
        except (Exception, SystemExit) as exc:  # a broken plugin must not stop coachflow
            self.fail(info, f"it failed to import ({describe_error(exc, where=True)})")
            return
        finally:
            info.import_seconds = time.perf_counter() - started
            self._timed(info)
        if info.source in ("file", "module"):
            info.location = getattr(plugin, "__file__", None) or info.location
            version = getattr(plugin, "__version__", None)
            info.version = version if isinstance(version, str) else None
        other_name = self.pm.get_name(plugin)
        if other_name is not None:
            if info.source == "module":  # an installed plugin named by its module too: the same plugin
                self.infos.remove(info)
                return
            self.fail(info, f"it is the same code as plugin '{other_name}', which is already loaded")
            return
        try:
            self.pm.register(plugin, name=info.name)
        except pluggy.PluginValidationError as exc:
            self.fail(info, _argument_problem(self.pm, plugin)
                      or f"its hooks do not match coachflow's ({describe_error(exc)})")
            return
        except Exception as exc:  # reading a plugin's attributes runs its code
            self.fail(info, f"it could not be registered ({describe_error(exc, where=True)})")
            return
        problem = unknown_hook(self.pm, plugin, allowed=None)
        if problem:
            self.fail(info, problem)
            return
        info.hooks = sorted(c.name for c in self.pm.get_hookcallers(plugin) or ())
        misplaced = sorted(set(info.hooks) & set(WORKFLOW_HOOKS.values()))
        if misplaced:
            self.warnings.append(
                f"plugin '{info.name}' implements {', '.join(misplaced)} at module level, where it is never "
                "called; workflow hooks belong on a step class passed to register()"
            )

    def output(self, name: str) -> Any:
        """Where plugin ``name``'s printing goes while its code runs: stderr when stdout is protected."""
        import contextlib

        return output_to_stderr(f"plugin {name}") if self.protect_stdout else contextlib.nullcontext()

    def _timed(self, info: PluginInfo) -> None:
        seconds = info.import_seconds or 0.0
        if self.trace is not None:
            self.trace(f"trace: plugins: imported {info.name} in {seconds:.3f} s")
        if seconds > SLOW_IMPORT_SECONDS and info.source != "built-in":
            self.notes.append(
                f"plugin '{info.name}' took {seconds:.1f} s to import, and every command that loads it waits "
                "for that; its author can import heavy libraries inside the functions that use them "
                "(see 'Import lazily' in docs/plugin-tutorial.md)")

    def collect(self, info: PluginInfo, registry: StepRegistry) -> None:
        """Call one plugin's registration hooks, attributing what it offers to it."""
        from coachflow.models import BUILTIN_MILESTONE_KINDS, is_valid_kind_name
        from coachflow.plugin.registry import step_type_from_class

        pm = self.pm
        plugin = pm.get_plugin(info.name)
        offered_steps: list[StepType] = []
        offered_kinds: list[tuple[str, str, bool]] = []

        def register_step(step_class: Any) -> None:
            problem = hook_problem(pm, step_class, allowed=tuple(WORKFLOW_HOOKS.values())) if isinstance(
                step_class, type) else None
            if problem:
                raise TypeError(f"step class {step_class.__name__}: {problem}")
            step_type = step_type_from_class(step_class, info.name)
            if any(s.name == step_type.name for s in offered_steps):
                raise TypeError(f"step '{step_type.name}' is registered twice")
            offered_steps.append(step_type)

        def register_kind(kind: str, description: str = "", *, win: bool = False) -> None:
            if not isinstance(kind, str) or not is_valid_kind_name(kind):
                raise TypeError(f"milestone kind {kind!r} must be lower-case words joined by hyphens")
            if not isinstance(description, str) or not isinstance(win, bool):
                raise TypeError(f"milestone kind '{kind}': the description is text and win is True or False")
            offered_kinds.append((kind, description, win))

        for hook_name, register in (("register_steps", register_step), ("register_milestone_kinds", register_kind)):
            if hook_name not in info.hooks:
                continue
            try:
                with self.output(info.name):
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
        for kind, description, win in offered_kinds:
            if kind in BUILTIN_MILESTONE_KINDS:
                info.refused_kinds.append(kind)
                self.warnings.append(f"plugin '{info.name}' registers the milestone kind '{kind}', which is "
                                     "built in; the built-in one is kept and the plugin's is left out")
                continue
            if kind not in registry.milestone_kinds:
                registry.milestone_kinds[kind] = description
                registry.kind_plugins[kind] = info.name
                if win:
                    registry.win_kinds.add(kind)
            info.milestone_kinds.append(kind)


def only_this(pm: pluggy.PluginManager, hook_name: str, plugin: Any) -> pluggy.HookCaller:
    """A caller of ``hook_name`` that calls ``plugin``'s implementation and no other."""
    others = [p for p in pm.get_plugins() if p is not plugin and p is not None]
    return pm.subset_hook_caller(hook_name, remove_plugins=others)


def hook_problem(pm: pluggy.PluginManager, plugin: Any, *, allowed: tuple[str, ...] | None) -> str | None:
    """Why ``plugin``'s hook implementations do not fit coachflow's hooks, or ``None``.

    pluggy finds the hook implementations and checks their arguments against
    the specifications when it registers ``plugin``; this registers it for a
    moment, under a name of its own, puts what pluggy found in words for a
    plugin author, and adds the check pluggy leaves for later: a hook name
    that coachflow does not have (see :func:`unknown_hook`). ``pm`` must not
    know ``plugin`` yet, and does not afterwards.
    """
    try:
        pm.register(plugin, name=_CHECKED)
    except pluggy.PluginValidationError as exc:
        return _argument_problem(pm, plugin) or f"its hooks do not match coachflow's ({describe_error(exc)})"
    try:
        return unknown_hook(pm, plugin, allowed=allowed)
    finally:
        pm.unregister(plugin)


def unknown_hook(pm: pluggy.PluginManager, plugin: Any, *, allowed: tuple[str, ...] | None) -> str | None:
    """Why a registered ``plugin`` implements a hook coachflow does not have, or ``None``.

    pluggy registers an implementation of a hook without a specification and
    complains only in :meth:`~pluggy.PluginManager.check_pending`, for every
    plugin at once. ``allowed`` limits the hooks (a step class implements
    workflow hooks only); ``None`` allows every hook, and then an
    implementation marked ``optionalhook`` may name a hook that is not there.
    """
    known = [name for name in vars(hookspecs) if getattr(getattr(pm.hook, name, None), "spec", None)]
    choices = list(allowed) if allowed is not None else known
    for caller in pm.get_hookcallers(plugin) or ():
        if caller.name in choices:
            continue
        optional = all(impl.optionalhook for impl in caller.get_hookimpls() if impl.plugin is plugin)
        if optional and allowed is None:
            continue
        hint = did_you_mean(caller.name, choices)
        what = "a step can implement" if allowed is not None else "coachflow has"
        return (f"'{caller.name}' is marked as a hook implementation, but it is not a hook {what}"
                f"{hint or '; the hooks are ' + ', '.join(choices)}")
    return None


#: The name a plugin is registered under while :func:`hook_problem` looks at it.
_CHECKED = "coachflow-checking"


def _argument_problem(pm: pluggy.PluginManager, plugin: Any) -> str | None:
    """The first hook implementation of ``plugin`` that asks for an argument its hook does not pass.

    Only called once pluggy has refused the plugin, to say which hook and
    argument it was in words a plugin author can act on.
    """
    for attribute in dir(plugin):
        try:
            opts = pm.parse_hookimpl_opts(plugin, attribute)
        except Exception:  # an attribute that cannot even be read is not a hook
            continue
        if opts is None:
            continue
        hook_name = opts.get("specname") or attribute
        spec = getattr(getattr(pm.hook, hook_name, None), "spec", None)
        if spec is None:
            continue
        impl = pluggy.HookImpl(plugin, _CHECKED, getattr(plugin, attribute), opts)
        offered = (*spec.argnames, *spec.kwargnames)
        unknown = [name for name in impl.argnames if name not in offered]
        if unknown:
            return (f"its {hook_name}() asks for {', '.join(repr(n) for n in unknown)}, which coachflow does not "
                    f"pass; the hook passes {', '.join(offered)} (take any of them, by name)")
    return None


def collect_plugin_commands(host: Host, reserved: Iterable[str], *, help_option_names: Iterable[str] = ("--help",)
                            ) -> tuple[dict[str, "click.Command"], list[str]]:
    """Call each plugin's ``register_commands`` hook on its own and gather the commands.

    Each plugin gets a fresh Click group to add to, so commands are
    attributed to plugins and one plugin's failure leaves the others'
    commands available.

    :param reserved: names coachflow's own commands use; a plugin command
        with one of them is left out.
    :param help_option_names: the options that show help on the command line
        (Click keeps a command's help option once it has made it).
    :return: ``(name -> command, warnings)``.
    """
    import contextlib

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
            with output_to_stderr(f"plugin {info.name}") if host.protect_stdout else contextlib.nullcontext():
                only_this(pm, "register_commands", plugin)(cli=collector)
        except Exception as exc:  # a plugin's command code must not break the command line
            info.command_error = f"its register_commands hook failed ({describe_error(exc, where=True)})"
            warnings.append(f"plugin '{info.name}': {info.command_error}; its commands are left out")
            continue
        for name, command in sorted(collector.commands.items()):
            problem = command_problem(name, command, help_option_names=list(help_option_names))
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


def command_problem(name: Any, command: Any, *, help_option_names: list[str] | None = None) -> str | None:
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
        with click.Context(command, info_name=name, help_option_names=help_option_names) as ctx:
            command.get_help(ctx)
    except Exception as exc:  # a plugin's help code is not ours to trust
        return f"its help text cannot be shown ({describe_error(exc, where=True)})"
    return None
