"""The ``coachflow`` command: a thin shell over the Python API.

Commands live in modules imported only when they run, so ``coachflow
--help`` and simple commands start fast. Every error a user can cause is one
line on stderr with exit code 2.
"""

from __future__ import annotations

import importlib
import inspect
import os
import sys
from typing import Any, Callable, Iterable, NamedTuple, TypeVar

import click

from coachflow import __version__
from coachflow.errors import CoachflowError, one_line
from coachflow.output.help import Context as HelpContext, adopt
from coachflow.terminal import echo

T = TypeVar("T")


class BuiltinCommand(NamedTuple):
    """Where a built-in command lives, and the summary ``coachflow --help`` lists it with."""

    #: ``"module:attribute"``, imported the first time the command is used.
    target: str
    #: The first paragraph of the command's help (see :func:`builtin_command`).
    summary: str


#: Built-in commands: name -> where it lives and its summary. ``coachflow --help``
#: lists them from here, so that listing them imports no command module.
BUILTIN_COMMANDS: dict[str, BuiltinCommand] = {
    "run": BuiltinCommand(
        "coachflow.cli.workflow_commands:run",
        "Record an event and get next steps from a workflow."),
    "validate": BuiltinCommand(
        "coachflow.cli.workflow_commands:validate",
        "Check workflow files without running them; report every problem."),
    "init": BuiltinCommand(
        "coachflow.cli.workflow_commands:init",
        "Write a starter workflow (default: ./coachflow.toml) to edit."),
    "steps": BuiltinCommand(
        "coachflow.cli.workflow_commands:steps",
        "List the step types workflows can use, or explain one with its options."),
    "test": BuiltinCommand(
        "coachflow.cli.testing_commands:workflow_tests",
        "Run workflow test files: each case's event through the workflow, checked against what it expects."),
    "preview": BuiltinCommand(
        "coachflow.cli.testing_commands:preview",
        "Show every text a client would read, for sample situations or for the events given."),
    "plugins": BuiltinCommand(
        "coachflow.cli.plugin_commands:plugins",
        "List the plugins: where each came from, whether it loaded, what it offers."),
    "kinds": BuiltinCommand(
        "coachflow.cli.plugin_commands:kinds",
        "List the milestone kinds 'coachflow run milestone --kind' takes, with what each means."),
    "schema": BuiltinCommand(
        "coachflow.cli.plugin_commands:schema",
        "Print a JSON Schema for workflow files, including every installed step's options."),
    "history": BuiltinCommand(
        "coachflow.cli.journal_commands:history",
        "List what you recorded, oldest first."),
    "status": BuiltinCommand(
        "coachflow.cli.journal_commands:status",
        "Where your search stands: open applications, recent rejections and wins, feedback, what is due."),
    "due": BuiltinCommand(
        "coachflow.cli.journal_commands:due",
        "Reminders and tasks that are due or overdue; mark one done with 'coachflow done ID'."),
    "done": BuiltinCommand(
        "coachflow.cli.journal_commands:done",
        "Mark reminders or tasks done, by the ids 'coachflow due' shows."),
    "export": BuiltinCommand(
        "coachflow.cli.journal_commands:export",
        "Write your events to JSONL or CSV, to keep, share with a coach, or import elsewhere."),
    "import": BuiltinCommand(
        "coachflow.cli.journal_commands:import_command",
        "Add events from a JSONL or CSV file (what export writes, or your own spreadsheet)."),
    "path": BuiltinCommand(
        "coachflow.cli.journal_commands:path",
        "Show where coachflow keeps things: the journal, the data directory, client profiles, the workflow."),
    "journal": BuiltinCommand(
        "coachflow.cli.store_commands:journal_group",
        "Set up and move journals: migrate a practice store, copy journals between files and PostgreSQL."),
    "report": BuiltinCommand(
        "coachflow.cli.report_commands:report",
        "Look back over your search: applications, how far they got, wins, themes, what is due."),
    "calendar": BuiltinCommand(
        "coachflow.cli.report_commands:calendar",
        "Export open reminders and follow-ups as an iCalendar (.ics) file."),
    "client": BuiltinCommand(
        "coachflow.cli.client_commands:client",
        "Keep a client's settings: their name, your name, support contacts, targets and variables."),
    "clients": BuiltinCommand(
        "coachflow.cli.client_commands:clients",
        "Look across your clients: who needs you this week, and why."),
    "digest": BuiltinCommand(
        "coachflow.cli.client_commands:digest",
        "A client's week: what happened (wins first), themes, what is due next week, and your note."),
    "note": BuiltinCommand(
        "coachflow.cli.client_commands:note",
        "Keep a note about a client's week in their journal; their digest for that week shows it."),
}


def builtin_command(name: str, **settings: Any) -> Callable[[Callable[..., Any]], click.Command]:
    """Click's ``command`` decorator for the built-in command ``name``.

    The command's help is its summary from :data:`BUILTIN_COMMANDS`, then
    the function's docstring, so the summary is written once and ``coachflow
    --help`` shows what ``coachflow NAME --help`` starts with.
    """
    summary = BUILTIN_COMMANDS[name].summary

    def decorate(function: Callable[..., Any]) -> click.Command:
        details = inspect.getdoc(function)
        return click.command(name, help=f"{summary}\n\n{details}" if details else summary, **settings)(function)

    return decorate


class State:
    """Shared by the commands of one invocation (``ctx.obj``): loads plugins once.

    :param extra_plugins: ``(name, plugin object)`` pairs to load besides the
        others, for tests and programs that embed the command line.
    """

    def __init__(self, *, extra_plugins: Iterable[tuple[str, Any]] = ()) -> None:
        self.extra_plugins = tuple(extra_plugins)
        #: Set by a command that writes JSON to standard output before it loads plugins or runs
        #: steps: what plugins print then goes to standard error, marked with their names.
        self.protect_stdout = False
        self.plugin_flags: dict[str, Any] = {}
        self.configured = False
        self._options: Any = None
        self._host: Any = None
        self._builtin_host: Any = None
        self._warned: set[str] = set()
        self._commands: dict[str, click.Command] | None = None
        self._without_installed: Any = None
        self._declared_commands: dict[str, str] | None = None
        self._found: dict[str, click.Command] = {}
        self._command_plugins: dict[str, str] = {}
        self._collected: dict[int, tuple[Any, dict[str, click.Command]]] = {}

    def configure(self, *, plugins: Iterable[str] = (), disabled_plugins: Iterable[str] = (),
                  no_plugins: bool = False, trace: bool = False) -> None:
        """Take the plugin options of the ``coachflow`` group (before any plugin is loaded)."""
        self.plugin_flags = {"plugins": tuple(plugins), "disabled": tuple(disabled_plugins),
                             "no_plugins": no_plugins, "trace": trace}
        self.configured = True
        self._options = None

    def plugin_options(self) -> Any:
        """The command-line plugin options combined with the environment (a ``PluginOptions``)."""
        if self._options is None:
            from coachflow.plugin.discovery import PluginOptions

            self._options = PluginOptions.from_environment(**self.plugin_flags)
        return self._options

    @property
    def tracer(self) -> Callable[[str], None] | None:
        """Where ``--trace`` lines go (standard error), or ``None`` when tracing is off.

        Pass it on: ``WorkflowRunner(workflow, trace=state.tracer)``.
        """
        return _write_trace if self.plugin_options().trace else None

    def host(self) -> Any:
        """The plugin host with every plugin, built on first use; its warnings go to stderr once."""
        if self._host is None:
            from coachflow.plugin.host import build_host

            self._host = build_host(self.plugin_options(), extra_plugins=self.extra_plugins, trace=self.tracer,
                                    protect_stdout=self.protect_stdout)
            self._show(self._host)
        return self._host

    def with_plugins(self, use: Callable[[Any], T]) -> T:
        """``use(registry)``, importing installed plugins only if it needs one of theirs.

        ``use`` is first given the registry of the built-in plugins alone. A
        built-in step's name and a built-in milestone kind belong to
        coachflow, so what that registry accepts means the same whatever
        else is installed. Only when ``use`` raises a :class:`CoachflowError`
        (a step type or kind it did not find, say) are the other plugins
        loaded, and ``use`` is given the registry of every plugin. So a slow
        or broken installed plugin costs only the commands that use it. With
        ``--plugin``, ``--disable-plugin`` or ``--trace`` every plugin is
        loaded from the start, as asked.
        """
        options = self.plugin_options()
        if self._host is None and not (options.local or options.disabled or options.trace or self.extra_plugins):
            from coachflow.plugin.host import build_host

            if self._builtin_host is None:
                self._builtin_host = build_host(options, load_entry_points=False, protect_stdout=self.protect_stdout)
                self._show(self._builtin_host)
            try:
                return use(self._builtin_host.registry)
            except CoachflowError:
                pass  # perhaps an installed plugin offers what was missing: try again with them
        registry = self.host().registry
        return with_switched_off_note(registry, lambda: use(registry))

    def warn(self, warning: str) -> None:
        """Print ``Warning: ...`` on stderr, once per invocation however often it is said."""
        self._warn([warning])

    def _warn(self, warnings: Iterable[str], *, label: str = "Warning") -> None:
        for warning in warnings:
            if warning not in self._warned:
                self._warned.add(warning)
                echo(f"{label}: {warning}", err=True)

    def plugin_commands(self) -> dict[str, click.Command]:
        """Every subcommand plugins add (``register_commands``), each plugin's hook called on its own.

        This loads every plugin; ``coachflow plugins`` uses it to attribute
        commands to plugins. To list or run commands, see
        :meth:`listed_plugin_commands` and :meth:`plugin_command`, which load less.
        """
        if self._commands is None:
            self._commands = self._collect(self.host())
        return self._commands

    def listed_plugin_commands(self) -> dict[str, click.Command]:
        """The plugin commands ``coachflow --help`` lists, importing no installed plugin.

        Installed plugins' commands are the ones their distributions declare
        (entry-point group ``coachflow.commands``), listed with a stand-in
        that names the plugin; plugins given with ``--plugin`` (and objects a
        program passes) are imported, as they were asked for.
        """
        if self._commands is not None:
            return self._commands
        listed = {name: click.Command(name, help=f"A command of the plugin {plugin} (see 'coachflow {name} --help').")
                  for name, plugin in self._declared().items()}
        options = self.plugin_options()
        if options.local or self.extra_plugins:
            listed.update(self._collect(self._host_without_installed()))
        return dict(sorted(listed.items()))

    def plugin_command(self, name: str) -> click.Command | None:
        """The plugin command ``name``, importing only the plugins that may add it.

        A command an installed plugin declares imports that plugin alone; a
        name nobody declares imports the plugins given with ``--plugin``,
        then, if none has it, every plugin (an installed plugin may add
        commands it does not declare).
        """
        if self._commands is not None:
            return self._commands.get(name)
        if name in self._found:
            return self._found[name]
        plugin = self._declared().get(name)
        if plugin is not None:
            from coachflow.plugin.host import build_host

            host = build_host(self.plugin_options(), extra_plugins=self.extra_plugins, trace=self.tracer,
                              only_installed=[plugin])
            self._show(host)
            self._found.update(self._collect(host))
            if name in self._found:
                return self._found[name]
        options = self.plugin_options()
        if options.local or self.extra_plugins:
            self._found.update(self._collect(self._host_without_installed()))
            if name in self._found:
                return self._found[name]
        if not options.installed:
            return None
        return self.plugin_commands().get(name)

    def plugin_of_command(self, name: str | None) -> str | None:
        """The plugin that added the subcommand ``name``, or ``None`` for coachflow's own commands."""
        if name is None or name in BUILTIN_COMMANDS:
            return None
        return self._command_plugins.get(name)

    def _declared(self) -> dict[str, str]:
        """Command name -> installed plugin, for the commands installed plugins declare and may load."""
        options = self.plugin_options()
        if self._declared_commands is None:
            self._declared_commands = {}
            if options.installed:
                from coachflow.plugin.discovery import declared_commands

                for plugin, names in declared_commands().items():
                    if plugin in options.disabled or (options.load_only is not None
                                                      and plugin not in options.load_only):
                        continue
                    for name in names:
                        if name not in BUILTIN_COMMANDS:
                            self._declared_commands.setdefault(name, plugin)
        return self._declared_commands

    def _host_without_installed(self) -> Any:
        if self._without_installed is None:
            from coachflow.plugin.host import build_host

            self._without_installed = build_host(self.plugin_options(), load_entry_points=False,
                                                 extra_plugins=self.extra_plugins, trace=self.tracer)
            self._show(self._without_installed)
        return self._without_installed

    def _collect(self, host: Any) -> dict[str, click.Command]:
        """The commands the plugins of ``host`` add, each plugin's hook called once per host."""
        if id(host) not in self._collected:
            from coachflow.plugin.host import collect_plugin_commands

            commands, warnings = collect_plugin_commands(host, {*BUILTIN_COMMANDS, *cli.commands},
                                                         help_option_names=HELP_OPTION_NAMES)
            self._warn(warnings)
            for info in host.plugins:
                for name in info.commands:
                    self._command_plugins.setdefault(name, info.name)
            self._collected[id(host)] = (host, commands)
        return self._collected[id(host)][1]

    def _show(self, host: Any) -> None:
        self._warn(host.warnings)
        self._warn(host.notes, label="Note")


def describe_kinds(registry: Any, workflow: Any = None) -> list[tuple[str, str]]:
    """Each milestone kind with what it means, whether it is a win and which plugin adds it, for help texts.

    :param workflow: a loaded workflow whose ``[milestones]`` kinds follow the registry's,
        each saying which file declares it; its answer to which kinds are wins is used.
    """
    rows = []
    declared = workflow.milestone_kinds if workflow is not None else {}
    kinds = workflow.kinds(registry) if workflow is not None else registry.milestone_kinds
    is_win = workflow.is_win if workflow is not None else registry.is_win
    for kind, description in kinds.items():
        where = (f"from plugin {registry.kind_plugins[kind]}" if kind in registry.kind_plugins
                 else f"declared in {workflow.source}" if kind in declared else "")
        notes = [note for note in ("a win" if is_win(kind) else "", where) if note]
        rows.append((kind, (description or "(no description)") + (f" ({'; '.join(notes)})" if notes else "")))
    return rows


def with_switched_off_note(registry: Any, use: Callable[[], T]) -> T:
    """``use()``; a milestone kind it did not find gets a note naming the plugins switched off."""
    from coachflow.errors import UnknownKindError

    try:
        return use()
    except UnknownKindError as exc:
        note = registry.switched_off_note()
        if not note:
            raise
        # the note goes with each unknown kind; the other problems stay as they were
        raise UnknownKindError(problems=[line + note if "is not a milestone kind" in line else line
                                         for line in exc.lines()]) from None


def _write_trace(line: str) -> None:
    echo(line, err=True)


def state_of(ctx: click.Context) -> State:
    """The invocation's :class:`State`, configured from the group's plugin options.

    Click resolves a subcommand before it runs the group's callback, so a
    plugin command lookup may be the first to need it.
    """
    root = ctx.find_root()
    if not isinstance(root.obj, State):
        root.obj = State()
    state: State = root.obj
    if not state.configured:
        params = root.params
        state.configure(plugins=params.get("plugins") or (), disabled_plugins=params.get("disabled_plugins") or (),
                        no_plugins=bool(params.get("no_plugins")), trace=bool(params.get("trace")))
    return state


class CoachflowGroup(click.Group):
    """A group that imports its commands lazily and reports user errors in one line.

    It and every command it runs lay out ``--help`` with coachflow's formatter
    (:mod:`coachflow.output.help`), which never splits a word or an option name.
    """

    context_class = HelpContext

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*BUILTIN_COMMANDS, *super().list_commands(ctx), *self._listed_plugin_commands(ctx)})

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """List the commands with their summaries; built-in ones come from
        :data:`BUILTIN_COMMANDS`, installed plugins' from what their
        distributions declare, so that no command module and no installed
        plugin is imported for it."""
        group = click.Group(name=self.name)
        plugin_commands = self._listed_plugin_commands(ctx)
        for name in self.list_commands(ctx):
            if name in BUILTIN_COMMANDS:
                group.add_command(click.Command(name, help=BUILTIN_COMMANDS[name].summary))
            else:
                command = super().get_command(ctx, name) or plugin_commands.get(name)
                if command is not None:
                    group.add_command(command, name)
        click.Group.format_commands(group, ctx, formatter)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        found = self._find_command(ctx, name)
        return adopt(found) if found is not None else None

    def _find_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in BUILTIN_COMMANDS:
            module_name, attribute = BUILTIN_COMMANDS[name].target.split(":")
            return getattr(importlib.import_module(module_name), attribute)
        found = super().get_command(ctx, name)
        if found is not None:
            return found
        try:
            return state_of(ctx).plugin_command(name)
        except CoachflowError as exc:  # e.g. a bad COACHFLOW_TRACE value
            echo(f"Warning: plugin commands are not available: {exc}", err=True)
            return None

    @staticmethod
    def _listed_plugin_commands(ctx: click.Context) -> dict[str, click.Command]:
        """Plugin commands to list; never loads a plugin for a built-in command."""
        try:
            return state_of(ctx).listed_plugin_commands()
        except CoachflowError as exc:  # e.g. a bad COACHFLOW_TRACE value: --help must still work
            echo(f"Warning: plugin commands are not available: {exc}", err=True)
            return {}

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (CoachflowError, click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except Exception as exc:
            # A plugin command's bug is the plugin's, not the user's: one line that says whose it is.
            # coachflow's own commands keep their traceback, which is a bug report for coachflow.
            name = ctx.invoked_subcommand
            plugin = state_of(ctx).plugin_of_command(name)
            if plugin is None:
                raise
            from coachflow.plugin.host import describe_error

            message = f"command '{name}' (from plugin {plugin}) failed: {describe_error(exc)}"
            echo(f"Error: {one_line(message)}", err=True)
            raise click.exceptions.Exit(1) from exc

    def main(self, args: Any = None, prog_name: str | None = None, complete_var: str | None = None,
             standalone_mode: bool = True, **extra: Any) -> Any:
        try:
            args = list(sys.argv[1:] if args is None else args)
            check_decodable(self, args)
            result = super().main(args, prog_name=prog_name or "coachflow", complete_var=complete_var,
                                  standalone_mode=False, **extra)
        except CoachflowError as exc:
            for line in exc.lines():
                echo(f"Error: {one_line(line)}", err=True)
            code = exc.exit_code
        except _NO_ARGS_IS_HELP as exc:
            # Click 8.2 and later report a bare group as an error that holds its help; 8.1
            # printed the help. Every version gets what 8.1 did: the help, on stdout, exit 0.
            echo(exc.ctx.get_help() if exc.ctx is not None else exc.format_message())
            code = 0
        except click.UsageError as exc:
            hint = f" (see '{exc.ctx.command_path} --help')" if exc.ctx is not None else ""
            if isinstance(exc, click.BadParameter):
                from coachflow.cli.common import parameter_problem

                message = parameter_problem(exc)
            else:
                message = exc.format_message()
            echo(f"Error: {one_line(message)}{hint}", err=True)
            code = exc.exit_code
        except click.ClickException as exc:
            echo(f"Error: {one_line(exc.format_message())}", err=True)
            code = exc.exit_code
        except click.exceptions.Exit as exc:
            code = exc.exit_code
        except click.Abort:
            echo("Aborted.", err=True)
            code = 1
        else:
            code = result if isinstance(result, int) else 0
        if standalone_mode:
            sys.exit(code)
        return code


#: The environment variables coachflow reads besides its own COACHFLOW_ ones: where the data folder is.
_PATH_VARIABLES = ("HOME", "XDG_DATA_HOME")


def _is_text(value: str) -> bool:
    # Python hands over bytes of argv and the environment that are not UTF-8 as lone
    # surrogates (\udcff); they cannot be printed, stored or compared with what a file holds.
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def check_decodable(group: click.Group, args: list[str]) -> None:
    """Refuse, in one line naming it, an argument or environment value that is not UTF-8 text.

    ``history --company $'\\xff'`` used to end in a traceback, and ``init
    $'init_\\xff.toml'`` in a traceback and an empty file.

    :raises CoachflowError: naming the option (``--company``), the argument
        (``PATH``) or the variable (``COACHFLOW_JOURNAL``).
    """
    import os

    for name, value in os.environ.items():
        if (name.startswith("COACHFLOW_") or name in _PATH_VARIABLES) and not _is_text(value):
            raise CoachflowError(f"{name}: holds bytes that are not UTF-8 text; set it again from a UTF-8 terminal")
    for index, token in enumerate(args):
        if not _is_text(token):
            raise CoachflowError(f"{_argument_name(group, args, index)}: holds bytes that are not UTF-8 text; "
                                 "check the terminal's encoding")


def _argument_name(group: click.Group, args: list[str], index: int) -> str:
    """What the person would call ``args[index]``: its option, or the argument's name."""
    token = args[index]
    if token.startswith("--") and "=" in token and _is_text(token.partition("=")[0]):
        return token.partition("=")[0]
    if token.startswith("-") and len(token) > 1 and "--" not in args[:index]:
        return token[:2] if _is_text(token[:2]) and not token.startswith("--") else "an option's name"
    command: click.Command = group
    for earlier in args[:index]:  # the subcommand is the first word that names one
        if command is group and earlier in BUILTIN_COMMANDS:
            module_name, attribute = BUILTIN_COMMANDS[earlier].target.split(":")
            command = getattr(importlib.import_module(module_name), attribute)
    previous = args[index - 1] if index else ""
    if previous.startswith("-") and previous != "--" and "=" not in previous:
        option = next((p for p in command.params + group.params
                       if isinstance(p, click.Option) and previous in (*p.opts, *p.secondary_opts)), None)
        if option is None or not (option.is_flag or option.count):
            return previous
    if command is group:
        return "the command's name"
    arguments = [p for p in command.params if isinstance(p, click.Argument)]
    return arguments[0].human_readable_name if arguments else "an argument"

#: What Click 8.2 and later raise for a group called without a command (8.1 has no such error).
_NO_ARGS_IS_HELP: Any = getattr(click.exceptions, "NoArgsIsHelpError", ())

#: The options that show a command's help, on every command and group, plugins' included.
HELP_OPTION_NAMES = ["-h", "--help"]


# The plugin options are eager so that they are read before --help lists plugin commands.
@click.group(name="coachflow", cls=CoachflowGroup, context_settings={"help_option_names": HELP_OPTION_NAMES})
@click.version_option(__version__, "--version", prog_name="coachflow")
@click.option("--plugin", "plugins", multiple=True, metavar="MODULE_OR_FILE", is_eager=True,
              help="Also load this plugin: a .py file or an importable module (repeatable). "
                   "Env: COACHFLOW_PLUGINS, comma-separated.")
@click.option("--disable-plugin", "disabled_plugins", multiple=True, metavar="NAME", is_eager=True,
              help="Do not load the plugin with this name, as 'coachflow plugins' shows it (repeatable). "
                   "Env: COACHFLOW_DISABLE_PLUGINS, comma-separated.")
@click.option("--no-plugins", is_flag=True, is_eager=True,
              help="Load no installed plugins and ignore COACHFLOW_PLUGINS; built-in steps and --plugin "
                   "still load. Env: COACHFLOW_NO_PLUGINS=1.")
@click.option("--trace", is_flag=True, is_eager=True,
              help="Show every hook call (which plugins and steps ran, in order, with their results) "
                   "on stderr. Env: COACHFLOW_TRACE=1.")
@click.pass_context
def cli(ctx: click.Context, **plugin_options: Any) -> None:
    """Record what happens in your job search and get kind, concrete, dated next steps.

    Try it without writing to your journal (--dry-run records nothing):

    \b
      coachflow run rejection --company Acme --role "Data Analyst" --stage interview --dry-run
    """
    if os.environ.get("NO_COLOR"):  # https://no-color.org: any value but an empty one
        ctx.color = False  # inherited by the subcommand, so nothing it prints is styled
    state_of(ctx)


def main() -> None:
    """Entry point of the ``coachflow`` console script."""
    cli.main(prog_name="coachflow", auto_envvar_prefix=None)


def __getattr__(name: str) -> Any:
    """``user_options`` and ``UserSetup``, for plugin commands, imported on first use (see :mod:`coachflow.cli.setup`)."""
    if name in ("user_options", "UserSetup"):
        from coachflow.cli import setup

        return getattr(setup, name)
    raise AttributeError(f"module 'coachflow.cli' has no attribute {name!r}")


__all__ = ["cli", "main", "user_options", "UserSetup", "BUILTIN_COMMANDS", "BuiltinCommand", "builtin_command", "describe_kinds", "State",
           "state_of"]
