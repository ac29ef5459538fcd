"""Commands that run and manage workflows: run, validate, init, steps."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

import click

from coachflow.cli import builtin_command
from coachflow.cli.common import (
    check_output,
    journal_options,
    load_workflow_for,
    now_from_environment,
    open_for_dry_run,
    open_for_writing,
    read_workflow_stdin,
)
from coachflow.cli.completion import complete_files, complete_milestone_kinds, complete_stages, complete_step_names
from coachflow.cli.stdio import STDIN_LABEL, STDIO, claim_stdin, label, read_stdin, stdin_problem
from coachflow.cli.display import current, display_options, format_option, note, say_then_run, show
from coachflow.errors import CoachflowError, EventError, WorkflowError
from coachflow.models import EVENT_TYPES, event_fields
from coachflow.output import help_for
from coachflow.terminal import echo
from coachflow.wording import human_date


def event_options(command: Any) -> Any:
    """Add an option to ``coachflow run`` for each event field (``--company``, ``--stage``, ...), from the models."""
    from coachflow.models import EVENT_FIELDS, field_help

    completers = {"stage": complete_stages, "kind": complete_milestone_kinds}
    for name in reversed(EVENT_FIELDS):  # Click lists options in the order they are added, last decorator first
        command = click.option(f"--{name}", help=field_help(name), shell_complete=completers.get(name))(command)
    return command


def read_event_file(name: str) -> dict[str, Any]:
    """Read an event from a TOML or JSON file (``-`` is standard input)."""
    import json
    import tomllib

    where = label(name)
    if name == STDIO:
        claim_stdin("--event")
        text = read_stdin(stdin_problem(EventError), "event file")
    else:
        try:
            text = Path(name).read_bytes().decode("utf-8-sig")  # a byte order mark, as editors write, is fine
        except OSError as exc:
            raise EventError(f"{name}: cannot read the event file: {exc.strerror or exc}") from None
        except UnicodeDecodeError:
            raise EventError(f"{where}: the event file is not UTF-8 text") from None
    as_json = name.endswith(".json") or (name == STDIO and text.lstrip().startswith("{"))
    if not as_json:
        from coachflow.workflow import toml_shape_problem

        # tomllib's time grows with the square of a dotted key's parts; the text itself may be long
        problem = toml_shape_problem(text, "an event file", max_bytes=None)
        if problem is not None:
            line, message = problem
            raise EventError(f"{where}:{line}: {message}" if line else f"{where}: {message}")
    try:
        data = json.loads(text) if as_json else tomllib.loads(text)
    except json.JSONDecodeError as exc:
        raise EventError(f"{where}:{exc.lineno}:{exc.colno}: not valid JSON: {exc.msg}") from None
    except tomllib.TOMLDecodeError as exc:
        raise EventError(f"{where}: not valid TOML or JSON: {exc}") from None
    except RecursionError:
        raise EventError(f"{where}: nested too deeply to be an event") from None
    if not isinstance(data, dict):
        raise EventError(f"{where}: an event file holds one table (TOML) or object (JSON) of fields")
    if isinstance(data.get("event"), dict) and len(data) == 1:
        data = data["event"]
    return data


class _RunCommand(click.Command):
    """``run``, whose help ends with the milestone kinds and what each means (plugins' included)."""

    def format_epilog(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        from coachflow.cli import describe_kinds, state_of

        super().format_epilog(ctx, formatter)
        with formatter.section("Milestone kinds (--kind)"):
            formatter.write_dl(describe_kinds(state_of(ctx).host().registry))


@builtin_command("run", cls=_RunCommand)
@click.argument("event_type", required=False, type=click.Choice(EVENT_TYPES), metavar="EVENT_TYPE")
@event_options
@click.option("--event", "event_file", metavar="FILE", shell_complete=complete_files,
              help="Read the event from a TOML or JSON file ('-': standard input).")
@click.option("-w", "--workflow", "workflow_option", metavar="FILE", shell_complete=complete_files,
              help="The workflow file ('-': standard input). Default: COACHFLOW_WORKFLOW, ./coachflow.toml, "
                   "or the built-in workflow.")
@format_option("run")
@click.option("--dry-run", is_flag=True, help="Show what would happen; write nothing to the journal.")
@click.option("--again", is_flag=True,
              help="Record the event even though the same one is already in the journal (it happened twice).")
@display_options("Also show which steps did not run and why, and which earlier actions were cancelled.")
@journal_options
@click.pass_obj
def run(state: Any, event_type: str | None, event_file: str | None, workflow_option: str | None,
        output_format: str, dry_run: bool, again: bool, journal_path: str | None, profile: str | None,
        **fields: Any) -> None:
    """EVENT_TYPE is rejection, feedback or milestone. Examples:

    \b
      coachflow run rejection --company Acme --role "Data Analyst" --stage interview
      coachflow run feedback --company Acme --text "Answers lacked depth" --source recruiter
      coachflow run milestone --kind applied --company Beta --role "Analyst"
    """
    from coachflow.engine import WorkflowRunner
    from coachflow.models import event_from_dict
    from coachflow.recording import record_event

    state.protect_stdout = output_format == "json"
    data: dict[str, Any] = read_event_file(event_file) if event_file else {}
    file_type = data.pop("type", None)
    if event_type and file_type and file_type != event_type:
        raise EventError(f"{label(event_file)}: holds a {file_type} event, but the command says {event_type}")
    event_type = event_type or file_type
    if event_type is None:
        raise click.UsageError("say which event: rejection, feedback or milestone (or give --event FILE with a type)")
    if event_type not in EVENT_TYPES:
        raise EventError(f"{label(event_file)}: type: {event_type!r} is not an event type; "
                         f"use one of {', '.join(EVENT_TYPES)}")
    for name, value in fields.items():
        if value is None:
            continue
        if name not in event_fields(event_type):
            raise click.UsageError(f"--{name} does not apply to {'' if event_type == 'feedback' else 'a '}{event_type}; it takes "
                                   + ", ".join(f"--{f}" for f in event_fields(event_type)))
        data[name] = value
    now = now_from_environment(profile, journal_path)
    # The workflow first: the milestone kinds it declares are kinds an event may have.
    workflow = load_workflow_for(state, workflow_option, profile, journal_path)
    declared = {kind: found.description for kind, found in workflow.milestone_kinds.items()}
    event = state.with_plugins(lambda registry: event_from_dict(
        data, event_type=event_type, today=now.date(), milestone_kinds={**registry.milestone_kinds, **declared},
        where=f"{label(event_file)}: " if event_file else "", label=str if event_file else (lambda name: f"--{name}")))
    runner = WorkflowRunner(workflow, trace=state.tracer, protect_stdout=state.protect_stdout)
    # A dry run reads the journal if there is one, but never creates or changes it.
    journal = (open_for_dry_run if dry_run else open_for_writing)(journal_path, profile, workflow)
    try:
        recorded = record_event(runner, event, journal, now=now, dry_run=dry_run, again=again)
    except KeyboardInterrupt:
        echo(f"Stopped: nothing was recorded; run the same command again to record the {event.type}.", err=True)
        click.get_current_context().exit(130)
    finally:
        journal.close()
    result = recorded.result
    if recorded.completed is not None:
        note(f"This {event.type} was already in your journal (recorded "
             f"{human_date(recorded.completed.recorded_at.date())}) without its next steps; here they are.", err=True)
    if current().verbose or state.tracer is not None:
        show_step_tracebacks(result)
    show("run", result, output_format)
    if dry_run and output_format == "markdown" and not current().quiet:
        echo("\n*Dry run: nothing was written to the journal.*")
    elif dry_run and output_format == "text":
        note("\nDry run: nothing was written to the journal.")
    if result.errors:
        click.get_current_context().exit(1)


def show_step_tracebacks(result: Any) -> None:
    """On stderr, where each step that raised went wrong: its traceback, the plugin's frames only."""
    from coachflow.plugin.host import plugin_traceback

    for failure in result.errors:
        if failure.exception is not None:
            echo(f"Step {failure.step} ({failure.uses}) raised:\n{plugin_traceback(failure.exception)}",
                 err=True, nl=False)


@builtin_command("validate")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, allow_dash=True))
@format_option("validate", help=help_for("validate") + " The json gives each problem with its line, its key path "
               "(steps counted from 1) and its JSON Pointer (counted from 0, as JSON Schema validators do).")
@display_options("Also list each valid workflow's steps: id, step type and the events it runs on.")
@click.pass_obj
def validate(state: Any, files: tuple[str, ...], output_format: str) -> None:
    """A test file (NAME.test.toml) is checked as 'coachflow test' reads it,
    without running its cases. Exit code 0 when all are valid, 2 when any
    is not. A FILE of '-' is read from standard input.
    """
    from coachflow.workflow import load_workflow, parse_workflow

    if files.count(STDIO) > 1:
        raise click.UsageError("'-' (standard input) can be given once; it can be read only once")
    from coachflow.report.views import Checked

    problems: list[str] = []
    checked: list[Checked] = []
    for name in files:
        test_file = name.endswith(".test.toml")
        try:
            if test_file:
                from coachflow.testing import load_test_file

                tests = state.with_plugins(lambda registry: load_test_file(name, registry))
                checked.append(Checked(file=name, workflow=tests.workflow, cases=len(tests.cases)))
                continue
            # a workflow of built-in steps is checked without importing installed plugins
            if name == STDIO:
                name = STDIN_LABEL
                text = read_workflow_stdin("validate -")
                workflow = state.with_plugins(lambda registry: parse_workflow(text, registry, source=name))
            else:
                workflow = state.with_plugins(lambda registry: load_workflow(name, registry))
            checked.append(Checked(file=name, workflow=workflow))
        except WorkflowError as exc:  # a TestFileError is one too
            problems.extend(exc.lines())
            checked.append(Checked(file=name, problems=tuple(exc.details), cases=0 if test_file else None))
    show("validate", checked, output_format)
    if problems and output_format == "json":
        click.get_current_context().exit(2)  # the problems are in the JSON; stderr stays for people
    if problems:
        raise CoachflowError("\n".join(problems))


#: The ``[settings]`` that ``init`` writes out, at their defaults.
STARTER_SETTINGS = ("on_error", "step_timeout", "day_starts", "day_ends", "missed_after_days",
                    "undated_missed_after_days", "rejection_run", "rejection_run_days")


def starter_workflow(registry: Any) -> dict[str, Any]:
    """The default workflow as a dict, each step with every option at its default."""
    from coachflow.workflow import converter, load_default_workflow

    workflow = load_default_workflow(registry)
    steps = []
    for step in workflow.steps:
        options = converter().unstructure(step.options)
        table: dict[str, Any] = {"uses": step.uses}
        if options:
            table["with"] = options
        steps.append(table)
    return {
        "workflow": {"name": workflow.name, "description": workflow.description},
        # the person's day, what lapses and what makes a hard run: what a coach most often tunes
        "settings": {name: getattr(workflow.settings, name) for name in STARTER_SETTINGS},
        "steps": steps,
    }


#: The schema file ``init`` writes next to the workflow, which its ``#:schema`` line names.
SCHEMA_FILE_NAME = "coachflow.schema.json"
#: Where ``init --with-tests`` writes the JSON Schema of test files, beside the workflow.
TESTS_SCHEMA_FILE_NAME = "coachflow-tests.schema.json"


@builtin_command("init")
@click.argument("path", required=False, default="coachflow.toml", type=click.Path(allow_dash=True))
@click.option("--force", is_flag=True, help="Replace the file (and its test file) if it exists (never a journal or another database).")
@click.option("--no-schema", is_flag=True,
              help=f"Write neither {SCHEMA_FILE_NAME} nor the '#:schema' line that points editors to it.")
@click.option("--with-tests", is_flag=True,
              help="Also write a test file beside it (coachflow.test.toml) for 'coachflow test'.")
@display_options("Also list the steps the file holds.")
@click.pass_obj
def init(state: Any, path: str, force: bool, no_schema: bool, with_tests: bool) -> None:
    """It is the built-in workflow with every option written out at its default.
    Next to it goes coachflow.schema.json, the JSON Schema of workflows
    with the steps installed now, and the workflow's first line,
    '#:schema ./coachflow.schema.json', points editors to it (taplo, and
    Even Better TOML in VS Code), so they check and complete it as you type.
    With --with-tests, also the built-in workflow's tests, pointed at it
    (and coachflow-tests.schema.json for them).

    A PATH of '-' prints the workflow to standard output instead and writes
    no file, so it has no '#:schema' line (there is no schema beside it).
    """
    import json

    import tomli_w

    to_stdout = path == STDIO
    if to_stdout and with_tests:
        raise click.UsageError("--with-tests writes a test file beside the workflow, and '-' has no folder; "
                               "give init a file name")
    no_schema = no_schema or to_stdout
    target = Path("coachflow.toml" if to_stdout else path)  # stdout: name the file it is usually saved as
    if target.is_dir() and not to_stdout:
        target = target / "coachflow.toml"
    tests_target = None
    if with_tests:
        from coachflow.testing import default_tests_path

        tests_target = default_tests_path(target)
    if not to_stdout:
        for named in (target, tests_target):
            if named is not None:
                check_output(named, force=force, named_by="")
        if not no_schema:  # rewritten on every init, as it describes the steps installed now; never a database
            for schema_file in (SCHEMA_FILE_NAME, *([TESTS_SCHEMA_FILE_NAME] if with_tests else [])):
                check_output(target.with_name(schema_file), force=True, named_by="")
    registry = state.host().registry
    workflow = starter_workflow(registry)
    # Every text is made before any file exists, and the schemas are written before the
    # files that name them: a failure must not leave an empty or dangling file behind.
    files: dict[Path, bytes] = {}
    if not no_schema:
        from coachflow.schema import workflow_schema, workflow_tests_schema

        files[target.with_name(SCHEMA_FILE_NAME)] = (json.dumps(workflow_schema(registry), indent=2,
                                                                ensure_ascii=False) + "\n").encode("utf-8")
        if tests_target is not None:
            files[target.with_name(TESTS_SCHEMA_FILE_NAME)] = (json.dumps(
                workflow_tests_schema(registry), indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    files[target] = (
        ("" if no_schema else f"#:schema ./{SCHEMA_FILE_NAME}\n")
        + "# A coachflow workflow. Check it with: coachflow validate " + str(target) + "\n"
        "# Every option is shown with its default; 'coachflow steps NAME' explains each one.\n"
        "# step_timeout: the seconds one step may take before it is stopped and the run moves on\n"
        "# (0: no limit). day_starts and day_ends: the person's day, which every reminder falls in.\n"
        "# missed_after_days: open reminders and tasks this long past their time are marked missed.\n"
        "# rejection_run noes within rejection_run_days make a hard run: gentler, fewer tasks.\n\n"
        + tomli_w.dumps(workflow, multiline_strings=True)
    ).encode("utf-8")
    if to_stdout:
        echo(files[target].decode("utf-8"), nl=False)
        return
    if tests_target is not None:
        from coachflow.testing.files import starter_tests

        files[tests_target] = (("" if no_schema else f"#:schema ./{TESTS_SCHEMA_FILE_NAME}\n")
                               + starter_tests(target.name, tests_target.name)).encode("utf-8")
    new = [destination for destination in (target, tests_target) if destination is not None
           and not destination.exists()]
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        for destination, data in files.items():
            destination.write_bytes(data)
    except OSError as exc:
        for destination in new:
            with contextlib.suppress(OSError):
                destination.unlink(missing_ok=True)  # a half-written file would say 'already exists' next time
        raise CoachflowError(f"{exc.filename or target}: cannot write the file: {exc.strerror or exc}") from None
    if tests_target is not None and not current().quiet:
        beside = "" if no_schema else " (and the schemas beside them, for editors that check TOML)"
        say_then_run(f"Wrote {target} and its tests, {tests_target}{beside}. Edit the workflow, then check it "
                     "still does what the tests say:", f"coachflow test {tests_target}")
    elif not current().quiet:
        beside = "" if no_schema else f" (and {SCHEMA_FILE_NAME} beside it, for editors that check TOML)"
        say_then_run(f"Wrote {target}{beside}. Edit it, then try it without writing to your journal:",
                     f"coachflow run rejection --company Acme --stage interview -w {target} --dry-run")
    if current().verbose:
        echo("Its steps: " + ", ".join(step["uses"] for step in workflow["steps"]))


@builtin_command("steps")
@click.argument("name", required=False, shell_complete=complete_step_names)
@format_option("steps")
@display_options("Also say which plugin offers each step.")
@click.pass_obj
def steps(state: Any, name: str | None, output_format: str) -> None:
    """With NAME, what that step does, the events it runs on and each option with its type, default and help."""
    from coachflow.errors import did_you_mean
    from coachflow.output import StepList

    state.protect_stdout = output_format == "json"
    registry = state.host().registry
    if name is not None and name in registry.conflicts:
        plugins = registry.conflicts[name]
        raise CoachflowError(f"step '{name}' is offered by more than one plugin ({' and '.join(plugins)}), so no "
                             f"workflow can use it; switch one off with --disable-plugin {plugins[-1]}")
    if name is not None and name not in registry.steps:
        raise CoachflowError(f"unknown step type '{name}'{did_you_mean(name, registry.known_names())}")
    chosen = [registry.steps[name]] if name else [registry.steps[n] for n in sorted(registry.steps)]
    show("steps", StepList(steps=chosen, conflicts=registry.conflicts, explain=name is not None), output_format)
