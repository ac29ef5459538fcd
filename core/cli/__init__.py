"""The ``coachflow`` command: a thin shell over the Python API.

Commands live in modules imported only when they run, so ``coachflow
--help`` and simple commands start fast. Every error a user can cause is one
line on stderr with exit code 2.
"""

from __future__ import annotations

import importlib
import sys
from typing import Any

import click

from coachflow import __version__
from coachflow.errors import CoachflowError

#: Built-in commands: name -> "module:attribute", imported on first use.
BUILTIN_COMMANDS: dict[str, str] = {
    "run": "coachflow.cli.workflow_commands:run",
    "validate": "coachflow.cli.workflow_commands:validate",
    "init": "coachflow.cli.workflow_commands:init",
    "steps": "coachflow.cli.workflow_commands:steps",
    "history": "coachflow.cli.journal_commands:history",
    "status": "coachflow.cli.journal_commands:status",
    "due": "coachflow.cli.journal_commands:due",
    "done": "coachflow.cli.journal_commands:done",
    "export": "coachflow.cli.journal_commands:export",
    "import": "coachflow.cli.journal_commands:import_command",
    "report": "coachflow.cli.report_commands:report",
    "calendar": "coachflow.cli.report_commands:calendar",
}


class State:
    """Shared by the commands of one invocation (``ctx.obj``): loads plugins once."""

    def __init__(self) -> None:
        self._host: Any = None

    def host(self) -> Any:
        """The plugin host, built on first use; its warnings go to stderr once."""
        if self._host is None:
            from coachflow.host import build_host

            self._host = build_host()
            for warning in self._host.warnings:
                click.echo(f"Warning: {warning}", err=True)
        return self._host


class CoachflowGroup(click.Group):
    """A group that imports its commands lazily and reports user errors in one line."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*BUILTIN_COMMANDS, *super().list_commands(ctx)})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in BUILTIN_COMMANDS:
            module_name, attribute = BUILTIN_COMMANDS[name].split(":")
            return getattr(importlib.import_module(module_name), attribute)
        return super().get_command(ctx, name)

    def main(self, args: Any = None, prog_name: str | None = None, complete_var: str | None = None,
             standalone_mode: bool = True, **extra: Any) -> Any:
        try:
            result = super().main(args, prog_name=prog_name or "coachflow", complete_var=complete_var,
                                  standalone_mode=False, **extra)
        except CoachflowError as exc:
            for line in exc.lines():
                click.echo(f"Error: {line}", err=True)
            code = exc.exit_code
        except click.UsageError as exc:
            hint = f" (see '{exc.ctx.command_path} --help')" if exc.ctx is not None else ""
            click.echo(f"Error: {exc.format_message()}{hint}", err=True)
            code = exc.exit_code
        except click.ClickException as exc:
            click.echo(f"Error: {exc.format_message()}", err=True)
            code = exc.exit_code
        except click.exceptions.Exit as exc:
            code = exc.exit_code
        except click.Abort:
            click.echo("Aborted.", err=True)
            code = 1
        else:
            code = result if isinstance(result, int) else 0
        if standalone_mode:
            sys.exit(code)
        return code


@click.group(name="coachflow", cls=CoachflowGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="coachflow")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Record what happens in your job search and get kind, concrete, dated next steps.

    Start with:  coachflow run rejection --company Acme --role "Data Analyst" --stage interview
    """
    ctx.obj = State()


def main() -> None:
    """Entry point of the ``coachflow`` console script."""
    cli.main(prog_name="coachflow", auto_envvar_prefix=None)


__all__ = ["cli", "main", "BUILTIN_COMMANDS", "State"]
