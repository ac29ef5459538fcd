"""Commands for coaches checking a workflow before a client sees it: test, preview."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from coachflow.cli import builtin_command
from coachflow.cli.common import check_output, force_option, load_workflow_for, now_from_environment
from coachflow.cli.completion import complete_profiles
from coachflow.cli.stdio import STDIN_LABEL, STDIO, claim_stdin, read_stdin, stdin_problem
from coachflow.cli.display import detail, display_options, format_option, note, show
from coachflow.errors import CoachflowError, EventError, WorkflowError
from coachflow.output import render
from coachflow.wording import plural


def collect_test_files(paths: tuple[str, ...]) -> list[Path]:
    """The test files named: files as given, folders as the ``*.test.toml`` files inside them,
    ``-`` (standard input) as itself."""
    from coachflow.testing import TEST_FILE_SUFFIX

    found: list[Path] = []
    if paths.count(STDIO) > 1:
        raise click.UsageError("'-' (standard input) is given more than once; it can be read only once")
    for name in paths:
        path = Path(name)
        if name == STDIO:
            found.append(path)
        elif path.is_dir():
            inside = sorted(p for p in path.iterdir() if p.name.endswith(TEST_FILE_SUFFIX) and p.is_file())
            if not inside:
                raise CoachflowError(f"{path}: no test files (*{TEST_FILE_SUFFIX}) in this folder")
            found += inside
        elif not path.exists():
            raise CoachflowError(f"{path}: no such test file")
        else:
            found.append(path)
    return list(dict.fromkeys(found))


@builtin_command("test")
@click.argument("paths", nargs=-1, required=True, metavar="FILE...", type=click.Path())
@format_option("tests")
@display_options("Also list the actions each passing case got.")
@click.option("--junit-xml", "junit_xml", metavar="FILE",
              help="Also write the results as JUnit XML, which CI servers show as test results "
                   "(replacing the file of an earlier run; never a journal or another database).")
@click.pass_obj
def workflow_tests(state: Any, paths: tuple[str, ...], output_format: str, junit_xml: str | None) -> None:
    """FILE is a test file (coachflow.test.toml beside coachflow.toml), a
    folder of them, or '-' for one on standard input (its workflow is then
    found from the current folder). Nothing is written to any journal. Exit code 0 when
    every case passes, 1 when one fails, 2 when a test file cannot be used.
    """
    from coachflow.testing import TestFileError, load_test_file, run_tests
    from coachflow.testing.render import results_to_junit

    if junit_xml == STDIO:
        raise click.UsageError("--junit-xml -: the results already go to standard output; name a file for the XML")
    if junit_xml is not None:
        check_output(junit_xml, force=True, named_by="--junit-xml")  # a results file is rewritten on every run, as other test runners do
    registry = state.host().registry
    loaded = []
    problems: list[str] = []
    for path in collect_test_files(paths):
        try:
            if str(path) == STDIO:  # the workflow it names counts from the current folder
                claim_stdin("test -")
                text = read_stdin(stdin_problem(CoachflowError), "test file")
                loaded.append(load_test_file(STDIN_LABEL, registry, text=text))
            else:
                loaded.append(load_test_file(path, registry))
        except (TestFileError, WorkflowError) as exc:
            problems += exc.lines()
    if problems:
        raise CoachflowError("\n".join(problems))
    results = list(run_tests(loaded, trace=state.tracer))
    show("tests", results, output_format)
    if junit_xml is not None:
        _write(Path(junit_xml), results_to_junit(results), "the JUnit XML")
    if not all(result.passed for result in results):
        click.get_current_context().exit(1)


def _write(target: Path, text: str, what: str) -> None:
    try:
        target.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise CoachflowError(f"{target}: cannot write {what}: {exc.strerror or exc}") from None


@builtin_command("preview")
@click.option("-w", "--workflow", "workflow_option", metavar="FILE",
              help="The workflow file. Default: COACHFLOW_WORKFLOW, ./coachflow.toml, or the built-in workflow.")
@click.option("--events", "events_file", metavar="FILE",
              help="Preview these events instead of the sample situations, recorded in date order: a JSONL "
                   "or CSV file as 'coachflow import' reads, or a TOML file with one event or [[events]] "
                   "('-': standard input, whose format is told from what it holds).")
@format_option("preview")
@display_options("Also say which workflow and events were used.")
@click.option("--client", "client_id", metavar="NAME", envvar="COACHFLOW_CLIENT", shell_complete=complete_profiles,
              help="Read it as this client of your practice would, with their names, contacts and "
                   "settings (coachflow client list). Their journal is not read. Env: COACHFLOW_CLIENT.")
@click.option("-o", "--output", metavar="FILE", help="Write to this file instead of standard output ('-': "
              "standard output).")
@force_option
@click.pass_obj
def preview(state: Any, workflow_option: str | None, events_file: str | None, output_format: str,
            client_id: str | None, output: str | None, force: bool) -> None:
    """The samples: a first no, a run of noes, feedback that repeats a theme,
    a win and an offer, dated from today (or COACHFLOW_NOW). Nothing is
    written to any journal.
    """
    from coachflow.clients import load_client
    from coachflow.report.views import Preview
    from coachflow.testing import preview as previews

    if output == STDIO:  # standard output, as without -o
        output = None
    if output is not None:
        check_output(output, force=force)
    client = load_client(client_id) if client_id else None  # an unknown client is an error here, not a profile
    workflow = load_workflow_for(state, workflow_option, profile=client_id)
    events_name = STDIN_LABEL if events_file == STDIO else events_file
    detail(f"Workflow: {workflow.source}" + (f"; events: {events_name}" if events_name else "; the sample situations"))
    registry = state.host().registry
    now = now_from_environment()
    if events_file is None:
        scenes = previews.preview_samples(workflow, now=now, milestone_kinds=registry.milestone_kinds)
    else:
        text = None
        if events_file == STDIO:
            claim_stdin("--events")
            text = read_stdin(stdin_problem(EventError), "event file")
        events = previews.read_events(events_name, text=text,
                                      today=now.date(), milestone_kinds=registry.milestone_kinds)
        scenes = previews.preview_events(workflow, events, now=now)
    shown = Preview(scenes=scenes, workflow=workflow, now=now, events_file=events_name,
                    reader=client.display_name if client is not None else None)
    if output is None:
        # Coloured like 'coachflow run' on a terminal; Click drops the colour elsewhere.
        show("preview", shown, output_format)
        return
    _write(Path(output), render("preview", shown, output_format), "the preview")  # a file gets no colour
    note(f"Wrote {output}: {plural(len(scenes), 'situation')}.")
