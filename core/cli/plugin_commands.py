"""Commands for plugin authors and for finding out what is installed: plugins, schema."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

import click

from coachflow.cli import builtin_command
from coachflow.cli.common import check_output, force_option, workflow_option
from coachflow.cli.display import detail, display_options, format_option, note, show
from coachflow.errors import CoachflowError
from coachflow.output import KindList, PluginList
from coachflow.terminal import echo
from coachflow.wording import plural


class _PluginsGroup(click.Group):
    """``plugins`` lists the plugins; ``plugins NAME`` shows one; ``plugins new NAME`` writes a new one."""

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        return super().get_command(ctx, name) or _details_command(name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return ["new"]


@builtin_command("plugins", cls=_PluginsGroup, invoke_without_command=True, subcommand_metavar="[NAME | new NAME]")
@format_option("plugins")
@display_options("Also give each step and kind with what it is.")
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
    show("plugins", PluginList(host=host, plugins=list(host.plugins)), output_format)


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


def _details_command(name: str) -> click.Command:
    """``coachflow plugins NAME``: one plugin, with what each of its steps and kinds is."""

    @click.command(name=name, help=f"Show the plugin {name}: where it came from, whether it loaded, what it offers.")
    @format_option("plugins")
    @display_options("Also give each step and kind with what it is (shown here anyway).")
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
        show("plugins", PluginList(host=host, plugins=[info], one=True), output_format)

    return details


@plugins.command()
@click.argument("name")
@click.option("-d", "--directory", metavar="FOLDER", default=".", show_default=True,
              help="Where to write the plugin's folder.")
@display_options("Also list the files written.")
def new(name: str, directory: str) -> None:
    """Write a new plugin package, coachflow-NAME, ready to install and test.

    It holds a pyproject.toml with the entry point, a module with one step
    that has an option, a test using coachflow's pytest fixtures, and a
    README. NAME is lower-case words joined by hyphens, such as thank-you.
    """
    from coachflow.plugin.scaffold import write_plugin

    target = write_plugin(name, Path(directory))
    for written in sorted(path for path in target.rglob("*") if path.is_file()):
        detail(f"Wrote {written}")
    note(f"Wrote {target}. Try it: cd {target} && pip install -e '.[test]' && python -m pytest")


@builtin_command("kinds")
@format_option("kinds")
@display_options("Also say how many kinds plugins add.")
@functools.partial(workflow_option, help="Also list the kinds this workflow declares in [milestones] ('-': "
                   "standard input). Default: COACHFLOW_WORKFLOW or ./coachflow.toml, when there is one.")
@click.pass_obj
def kinds(state: Any, output_format: str, workflow_option: str | None) -> None:
    """The built-in kinds come first, then those plugins add, then those the
    workflow declares. Wins are what status, report and celebrate-wins count
    as good news; a plugin's kind is one only when its plugin says so, a
    workflow's when its [milestones] table says win = true.

    \b
      coachflow kinds -w coachflow.toml
    """
    from coachflow.cli import describe_kinds
    from coachflow.cli.common import load_shared_workflow
    from coachflow.cli.stdio import STDIO
    from coachflow.workflow import find_workflow_file

    state.protect_stdout = output_format == "json"
    registry = state.host().registry
    # the built-in workflow declares no kinds of its own: only a workflow file is read
    workflow = (load_shared_workflow(state, workflow_option)
                if workflow_option == STDIO or find_workflow_file(workflow_option) is not None else None)
    detail(f"{plural(len(registry.kind_plugins), 'kind')} from plugins"
           + (f", {len(workflow.milestone_kinds)} declared in {workflow.source}." if workflow is not None else "."))
    show("kinds", KindList(registry=registry, rows=describe_kinds(registry, workflow), workflow=workflow),
         output_format)


@builtin_command("schema")
@click.option("-o", "--output", metavar="FILE",
              help="Write the schema to FILE; without -o, or with '-', it goes to standard output.")
@force_option
@click.option("--tests", "for_tests", is_flag=True, help="The schema of workflow test files (coachflow test) instead.")
@display_options("Also say how many step types and plugins the schema covers.")
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
    registry = state.host().registry
    make = workflow_tests_schema if for_tests else workflow_schema
    text = json.dumps(make(registry), indent=2, ensure_ascii=False) + "\n"
    detail(f"The schema covers {plural(len(registry.steps), 'step type')} from "
           f"{plural(len({step.plugin for step in registry.steps.values()}), 'plugin')}.")
    if output is None:
        echo(text, nl=False)
        return
    target = Path(output)
    try:
        target.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise CoachflowError(f"{target}: cannot write the schema: {exc.strerror or exc}") from None
    kind = "test file" if for_tests else "workflow"
    note(f"Wrote {target}. Put '#:schema ./{target.name}' on the first line of a {kind} next to it.")
