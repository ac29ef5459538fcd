"""Commands for plugin authors and for finding out what is installed: plugins, schema."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from coachflow.cli import builtin_command
from coachflow.cli.common import check_output, force_option
from coachflow.errors import CoachflowError
from coachflow.terminal import echo, style


def plugin_to_dict(info: Any, conflicts: dict[str, list[str]], refused: list[str] = ()) -> dict[str, Any]:
    """The JSON shape of one plugin in ``coachflow plugins --format json``.

    :param refused: the step names it offered that belong to built-in steps.
    """
    return {
        "name": info.name,
        "version": info.version,
        "source": info.source,
        "location": info.location,
        "distribution": info.distribution,
        "status": info.status,
        "error": info.error,
        "hooks": list(info.hooks),
        "steps": list(info.steps),
        "milestone_kinds": list(info.milestone_kinds),
        "commands": list(info.commands),
        "command_error": info.command_error,
        "declared_commands": list(info.declared_commands),
        "import_seconds": None if info.import_seconds is None else round(info.import_seconds, 4),
        "refused_kinds": list(info.refused_kinds),
        "conflicts": [{"step": step, "plugins": list(plugins)} for step, plugins in sorted(conflicts.items())],
        "refused_steps": list(refused),
    }


class _PluginsGroup(click.Group):
    """``plugins`` lists the plugins; ``plugins NAME`` shows one; ``plugins new NAME`` writes a new one."""

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        return super().get_command(ctx, name) or _details_command(name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return ["new"]


@builtin_command("plugins", cls=_PluginsGroup, invoke_without_command=True, subcommand_metavar="[NAME | new NAME]")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text for people, json for programs.")
@click.pass_context
def plugins(ctx: click.Context, output_format: str) -> None:
    """A plugin that failed to load is listed with the reason; switch it off
    with 'coachflow --disable-plugin NAME', or run with 'coachflow
    --no-plugins' to use the built-in steps only. 'coachflow plugins NAME'
    shows one plugin; 'coachflow plugins new NAME' writes a new one.
    """
    if ctx.invoked_subcommand is not None:
        return
    state = ctx.obj
    state.protect_stdout = output_format == "json"
    host = _loaded(state)
    if output_format == "json":
        data = [plugin_to_dict(info, host.conflicts_of(info.name), host.refused_of(info.name)) for info in host.plugins]
        echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    for info in host.plugins:
        _show(info, host)


def _loaded(state: Any) -> Any:
    """The host with every plugin, each plugin's commands attributed to it."""
    host = state.host()
    state.plugin_commands()
    for info in host.plugins:
        undeclared = [name for name in info.commands if name not in info.declared_commands]
        if info.source == "entry point" and undeclared:
            them = "them" if len(undeclared) > 1 else "it"
            state.warn(f"plugin '{info.name}' adds the command{'s' if len(undeclared) > 1 else ''} "
                       f"{', '.join(undeclared)} without declaring {them}, so 'coachflow --help' does not list "
                       f"{them}; its distribution declares commands under "
                       "[project.entry-points.\"coachflow.commands\"] (see docs/plugin-tutorial.md)")
    return host


def _show(info: Any, host: Any, *, details: bool = False) -> None:
    """One plugin as ``coachflow plugins`` lists it; with ``details``, what each step and kind is too."""
    version = f" {info.version}" if info.version else ""
    status = {"ok": style("ok", fg="green"), "failed": style("failed", fg="red", bold=True),
              "disabled": style("disabled", fg="yellow")}[info.status]
    echo(style(info.name, bold=True), f"{version}  [", status, "]")
    origin = info.source + (f", distribution {info.distribution}" if info.distribution else "")
    echo(f"    from:     {origin}: {info.location}")
    if info.import_seconds is not None:
        echo(f"    import:   {_seconds(info.import_seconds)}")
    if info.error:
        echo(f"    {'off:  ' if info.status == 'disabled' else 'error:'}    {info.error}")
    if info.status != "ok":
        return
    echo(f"    hooks:    {', '.join(info.hooks) or '(none)'}")
    registry = host.registry
    if info.steps and details:
        for name in info.steps:
            echo(f"    step:     {name}: {registry.steps[name].summary}" if name in registry.steps
                       else f"    step:     {name}")
    elif info.steps:
        echo(f"    steps:    {', '.join(info.steps)}")
    if info.milestone_kinds and details:
        for kind in info.milestone_kinds:
            echo(f"    kind:     {kind}: {registry.milestone_kinds.get(kind) or '(no description)'}")
    elif info.milestone_kinds:
        echo(f"    kinds:    {', '.join(info.milestone_kinds)}")
    if info.commands:
        echo(f"    commands: {', '.join(info.commands)}")
    if info.command_error:
        echo(f"    commands: none, {info.command_error}")
    for step, others in sorted(host.conflicts_of(info.name).items()):
        echo(f"    conflict: step '{step}' is offered by both {' and '.join(others)}; neither can be used")
    for step in host.refused_of(info.name):
        echo(f"    refused:  step '{step}', a built-in step's name; the built-in one is used")
    for kind in info.refused_kinds:
        echo(f"    refused:  milestone kind '{kind}', a built-in kind; the built-in one is used")


def _details_command(name: str) -> click.Command:
    """``coachflow plugins NAME``: one plugin, with what each of its steps and kinds is."""

    @click.command(name=name, help=f"Show the plugin {name}: where it came from, whether it loaded, what it offers.")
    @click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text",
                  show_default=True, help="text for people, json for programs.")
    @click.pass_obj
    def details(state: Any, output_format: str) -> None:
        from coachflow.errors import did_you_mean

        state.protect_stdout = output_format == "json"
        host = _loaded(state)
        info = host.plugin(name)
        if info is None:
            names = [plugin.name for plugin in host.plugins]
            raise CoachflowError(f"there is no plugin called '{name}'{did_you_mean(name, names)}; "
                                 "'coachflow plugins' lists them")
        if output_format == "json":
            echo(json.dumps(plugin_to_dict(info, host.conflicts_of(name), host.refused_of(name)), indent=2,
                                  ensure_ascii=False))
            return
        _show(info, host, details=True)

    return details


@plugins.command()
@click.argument("name")
@click.option("-d", "--directory", metavar="FOLDER", default=".", show_default=True,
              help="Where to write the plugin's folder.")
def new(name: str, directory: str) -> None:
    """Write a new plugin package, coachflow-NAME, ready to install and test.

    It holds a pyproject.toml with the entry point, a module with one step
    that has an option, a test using coachflow's pytest fixtures, and a
    README. NAME is lower-case words joined by hyphens, such as thank-you.
    """
    from coachflow.plugin.scaffold import write_plugin

    target = write_plugin(name, Path(directory))
    echo(f"Wrote {target}. Try it: cd {target} && pip install -e '.[test]' && python -m pytest")


@builtin_command("kinds")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text for people, json for programs.")
@click.pass_obj
def kinds(state: Any, output_format: str) -> None:
    """The built-in kinds come first, then those plugins add. Wins are what
    status, report and celebrate-wins count as good news; a plugin's kind is
    one only when its plugin says so.
    """
    from coachflow.cli import describe_kinds

    state.protect_stdout = output_format == "json"
    registry = state.host().registry
    if output_format == "json":
        data = [{"kind": kind, "description": description, "win": registry.is_win(kind),
                 "plugin": registry.kind_plugins.get(kind)} for kind, description in registry.milestone_kinds.items()]
        echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    rows = describe_kinds(registry)
    width = max(len(kind) for kind, _ in rows)
    for kind, text in rows:
        echo(f"{kind:<{width}}  {text}")


@builtin_command("schema")
@click.option("-o", "--output", metavar="FILE",
              help="Write the schema to FILE; without -o, or with '-', it goes to standard output.")
@force_option
@click.option("--tests", "for_tests", is_flag=True, help="The schema of workflow test files (coachflow test) instead.")
@click.pass_obj
def schema(state: Any, output: str | None, force: bool, for_tests: bool) -> None:
    """Editors use it to check and complete workflow files. With taplo or Even
    Better TOML, save it and put a first line in the workflow:

    \b
      coachflow schema -o coachflow.schema.json
      #:schema ./coachflow.schema.json

    With --tests, the schema of test files (coachflow.test.toml) instead.
    """
    from coachflow.cli.stdio import STDIO
    from coachflow.schema import workflow_schema, workflow_tests_schema

    if output == STDIO:  # standard output, as when -o is left out
        output = None
    if output is not None:
        check_output(output, force=force)
    state.protect_stdout = output is None
    make = workflow_tests_schema if for_tests else workflow_schema
    text = json.dumps(make(state.host().registry), indent=2, ensure_ascii=False) + "\n"
    if output is None:
        echo(text, nl=False)
        return
    target = Path(output)
    try:
        target.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise CoachflowError(f"{target}: cannot write the schema: {exc.strerror or exc}") from None
    kind = "test file" if for_tests else "workflow"
    echo(f"Wrote {target}. Put '#:schema ./{target.name}' on the first line of a {kind} next to it.")


def _seconds(seconds: float) -> str:
    """An import time as people read it: ``3 ms``, ``2.1 s``."""
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.1f} s"
