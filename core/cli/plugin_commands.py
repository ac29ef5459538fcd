"""Commands for plugin authors and for finding out what is installed: plugins, schema."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

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
        "conflicts": [{"step": step, "plugins": list(plugins)} for step, plugins in sorted(conflicts.items())],
        "refused_steps": list(refused),
    }


@click.command()
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text for people, json for programs.")
@click.pass_obj
def plugins(state: Any, output_format: str) -> None:
    """List the plugins: where each came from, whether it loaded, what it offers.

    A plugin that failed to load is listed with the reason; switch it off
    with 'coachflow --disable-plugin NAME', or run with 'coachflow
    --no-plugins' to use the built-in steps only.
    """
    host = state.host()
    state.plugin_commands()  # attributes each plugin's commands to it
    if output_format == "json":
        data = [plugin_to_dict(info, host.conflicts_of(info.name), host.refused_of(info.name)) for info in host.plugins]
        echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    for info in host.plugins:
        version = f" {info.version}" if info.version else ""
        status = {"ok": style("ok", fg="green"), "failed": style("failed", fg="red", bold=True),
                  "disabled": style("disabled", fg="yellow")}[info.status]
        echo(style(info.name, bold=True), f"{version}  [", status, "]")
        origin = info.source + (f", distribution {info.distribution}" if info.distribution else "")
        echo(f"    from:     {origin}: {info.location}")
        if info.error:
            echo(f"    error:    {info.error}")
        if info.status != "ok":
            continue
        echo(f"    hooks:    {', '.join(info.hooks) or '(none)'}")
        if info.steps:
            echo(f"    steps:    {', '.join(info.steps)}")
        if info.milestone_kinds:
            echo(f"    kinds:    {', '.join(info.milestone_kinds)}")
        if info.commands:
            echo(f"    commands: {', '.join(info.commands)}")
        if info.command_error:
            echo(f"    commands: none, {info.command_error}")
        for step, others in sorted(host.conflicts_of(info.name).items()):
            echo(f"    conflict: step '{step}' is offered by both {' and '.join(others)}; neither can be used")
        for step in host.refused_of(info.name):
            echo(f"    refused:  step '{step}', a built-in step's name; the built-in one is used")


@click.command()
@click.option("-o", "--output", metavar="FILE",
              help="Write the schema to FILE; without -o, or with '-', it goes to standard output.")
@force_option
@click.option("--tests", "for_tests", is_flag=True, help="The schema of workflow test files (coachflow test) instead.")
@click.pass_obj
def schema(state: Any, output: str | None, force: bool, for_tests: bool) -> None:
    """Print a JSON Schema for workflow files, including every installed step's options.

    Editors use it to check and complete workflow files. With taplo or Even
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
