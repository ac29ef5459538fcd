"""Commands that read and move the journal: history, status, due, done, export, import.

Each one finds the journal the way ``coachflow run`` does (``--journal``,
``COACHFLOW_JOURNAL``, the workflow's ``[settings] journal``, then the data
directory per ``--profile``) and leaves the work to :mod:`coachflow.journal`
and :mod:`coachflow.journal.io`.
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path
from typing import Any, Iterable

import click

from coachflow.cli import builtin_command, with_switched_off_note
from coachflow.cli.common import (
    WholeNumber,
    check_output,
    client_of,
    force_option,
    journal_location,
    journal_options,
    load_workflow_for,
    locate_journal,
    now_from_environment,
    open_for_reading,
    parse_day,
    lapse_rule,
    momentum_settings,
    parse_period,
    win_judge,
    workflow_option,
)
from coachflow.cli.completion import complete_date_formats, complete_files, complete_milestone_kinds
from coachflow.cli.stdio import STDIN_LABEL, STDIO, claim_stdin, read_stdin, stdin_problem
from coachflow.cli.display import current, display_options, format_option, note, show
from coachflow.errors import CoachflowError, JournalError
from coachflow.models import EVENT_TYPES
from coachflow.output import choices, help_for
from coachflow.terminal import PrintableStream, echo
from coachflow.wording import join_words, plural


@builtin_command("history")
@click.option("--type", "event_type", type=click.Choice(EVENT_TYPES), help="Only events of this type.")
@click.option("--kind", shell_complete=complete_milestone_kinds,
              help="Only milestones of this kind (applied, interview-invitation, ...).")
@click.option("--company", help="Only events about this company (any case).")
@click.option("--role", help="Only events about this role (any case).")
@click.option("--since", metavar="DATE", help="Only events on or after this date (YYYY-MM-DD).")
@click.option("--until", metavar="DATE", help="Only events on or before this date (YYYY-MM-DD).")
@format_option("history")
@display_options("Also show each event's id, and reasons, feedback and notes in full.")
@workflow_option
@journal_options
def history(event_type: str | None, kind: str | None, company: str | None, role: str | None, since: str | None,
            until: str | None, output_format: str, workflow_option: str | None, journal_path: str | None,
            profile: str | None) -> None:
    """\b
      coachflow history --journal search.sqlite3
      coachflow history --company Acme --since 2026-03-01 --journal search.sqlite3
    """
    from coachflow.report.views import History

    first, last = parse_period(since, until)
    filters = dict(type=event_type, company=company, role=role, kind=kind.lower() if kind else None,
                   since=first, until=last)
    if filters["kind"] and event_type not in (None, "milestone"):
        raise click.UsageError("--kind applies to milestones; drop --type or use --type milestone")
    filtered = any(value is not None for value in filters.values())
    with open_for_reading(journal_path, profile, workflow_option) as journal:
        show("history", History(entries=journal.reader.entries(**filters), filtered=filtered), output_format)


@builtin_command("status")
@click.option("--days", default=30, show_default=True, type=WholeNumber(1, 3660, noun="days"),
              help="How many days back the recent counts look, today included.")
@format_option("status")
@display_options("Also say which journal file was read.")
@functools.partial(workflow_option, help="The workflow whose milestone kinds count as wins (as 'coachflow run' "
                   "counts them), and whose [settings] journal it reads ('-': standard input). "
                   "Default: COACHFLOW_WORKFLOW or ./coachflow.toml.")
@journal_options
@click.pass_obj
def status(state: Any, days: int, output_format: str, workflow_option: str | None, journal_path: str | None,
           profile: str | None) -> None:
    """\b
      coachflow status --journal search.sqlite3
    """

    from coachflow.report.views import build_status

    now = now_from_environment(profile, journal_path)
    with open_for_reading(journal_path, profile, workflow_option) as journal:
        # wins as the run counts them: a kind the workflow declares in [milestones] counts as it says
        result = build_status(journal.reader, now=now, days=days, is_win=win_judge(state, workflow_option),
                              lapse=lapse_rule(workflow_option), momentum=momentum_settings(state, workflow_option))
    show("status", result, output_format)


@builtin_command("due")
@click.option("--all", "show_all", is_flag=True,
              help="Every open reminder, task and draft to send, with a date or not, due or not.")
@format_option("due")
@display_options("Also show each action's details and the step it came from.")
@workflow_option
@journal_options
def due(show_all: bool, output_format: str, workflow_option: str | None, journal_path: str | None,
        profile: str | None) -> None:
    """\b
      coachflow due --journal search.sqlite3
      coachflow due --all --format json --journal search.sqlite3
    """
    from coachflow.report.views import build_due_list

    now = now_from_environment(profile, journal_path)
    with open_for_reading(journal_path, profile, workflow_option) as journal:
        # A client sees at most their budget of open items at once; the rest wait their turn.
        client = client_of(profile, locate_journal(journal_path, profile, workflow_option))
        due_list = build_due_list(journal.reader, now=now, everything=show_all,
                                  limit=client.open_task_budget if client is not None else None,
                                  lapse=lapse_rule(workflow_option))
    show("due", due_list, output_format)


@builtin_command("done")
@click.argument("action_ids", nargs=-1, required=True, metavar="ACTION_ID...",
                type=WholeNumber(1, wanted="the number of a reminder or task as 'coachflow due' shows it (#3 is 3)"))
@click.option("--undo", is_flag=True, help="Open the actions again instead.")
@format_option("done", help=help_for("done") + " The json is a list of the actions as 'coachflow due' gives them, "
               "each with 'changed': false when it already had that status.")
@display_options("Also show each action's details.")
@workflow_option
@journal_options
def done(action_ids: tuple[int, ...], undo: bool, output_format: str, workflow_option: str | None,
         journal_path: str | None, profile: str | None) -> None:
    """\b
      coachflow done 12 --journal search.sqlite3
    """
    from coachflow.journal import is_server_url, open_journal

    location = locate_journal(journal_path, profile, workflow_option)
    if not is_server_url(location) and not location.is_file():
        raise JournalError(f"{location}: no journal here yet, so no action {action_ids[0]} either")
    now = now_from_environment(profile, journal_path)
    wanted = "open" if undo else "done"
    with open_journal(location, client=profile) as journal, journal.transaction():
        before = {action_id: journal.reader.action(action_id) for action_id in dict.fromkeys(action_ids)}
        changed = [journal.set_action_status(action_id, wanted, at=now) for action_id in before]
    from coachflow.report.views import Marked

    unchanged = frozenset(stored.id for stored in changed
                          if before[stored.id] is not None and before[stored.id].status == wanted)
    show("done", Marked(actions=changed, unchanged=unchanged, undo=undo), output_format)


@builtin_command("export")
@click.option("--format", "output_format", type=click.Choice(["jsonl", "csv"]),
              help="jsonl (one event per line) or csv. Default: from the -o file's extension (.csv or .jsonl), "
                   "else jsonl.")
@click.option("-o", "--output", metavar="FILE",
              help="Write to FILE (readable by you only); without -o, or with '-', it goes to standard output.")
@click.option("--type", "event_type", type=click.Choice(EVENT_TYPES), help="Only events of this type.")
@click.option("--since", metavar="DATE", help="Only events on or after this date (YYYY-MM-DD).")
@click.option("--until", metavar="DATE", help="Only events on or before this date (YYYY-MM-DD).")
@display_options("Also say which journal file was read.")
@force_option
@workflow_option
@journal_options
def export(output_format: str | None, output: str | None, event_type: str | None, since: str | None,
           until: str | None, force: bool, workflow_option: str | None, journal_path: str | None,
           profile: str | None) -> None:
    """In CSV, a text a spreadsheet would take for a formula (=, +, -, @ first)
    gets a ' in front; 'coachflow import' takes it off again.

    \b
      coachflow export --format csv -o search.csv --journal search.sqlite3
    """
    from coachflow.cli.progress import progress, stderr_is_terminal
    from coachflow.journal.io import write_events

    if output == STDIO:  # standard output, as when -o is left out
        output = None
    quiet = current().quiet
    chosen = output_format or export_format_for(output)
    first, last = parse_period(since, until)
    filters = dict(type=event_type, since=first, until=last)
    # Lines on the screen and a bar below them would mix: the bar is for writing to a file or a pipe.
    bar_wanted = not quiet and stderr_is_terminal() and (output is not None or not sys.stdout.isatty())
    with open_for_reading(journal_path, profile, workflow_option) as journal, \
            progress("Exporting", quiet=not bar_wanted, minimum=EXPORT_PROGRESS_FROM) as exporting:
        total = journal.reader.count(**filters) if bar_wanted else 0
        events = _counted((entry.event for entry in journal.reader.entries(**filters, with_workflows=False)), total,
                          exporting)
        if output is None:  # the screen, or a pipe that may end on one
            write_events(events, PrintableStream(sys.stdout), chosen)
            return
        check_output(output, force=force, journal=getattr(journal, "path", None))
        from coachflow.files import write_whole

        with write_whole(output) as stream:
            count = write_events(events, stream, chosen)
    note(f"Exported {plural(count, 'event')} to {output}", err=True)


#: Events an export writes before it shows a progress bar (100,000 take about a second).
EXPORT_PROGRESS_FROM = 10_000


def _counted(items: Iterable[Any], total: int, report: Any) -> Iterable[Any]:
    """``items`` as they are, reporting every thousandth one to ``report``."""
    count = 0
    for item in items:
        yield item
        count += 1
        if count % 1000 == 0:
            report(count, total)
    report(count, total)


#: File extensions ``export -o`` knows, and the format each one means.
EXPORT_SUFFIXES = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl"}


def export_format_for(output: str | None) -> str:
    """The export format an ``-o`` file name asks for (standard output: jsonl).

    :raises CoachflowError: for an extension that names another format
        (``.xlsx``, ``.json``), rather than write JSONL under that name.
    """
    if output is None:
        return "jsonl"
    suffix = Path(output).suffix.lower()
    if suffix not in EXPORT_SUFFIXES:
        raise CoachflowError(f"-o {output}: export writes .csv or .jsonl files; name the file so, "
                             "or give --format csv or --format jsonl")
    return EXPORT_SUFFIXES[suffix]


#: Work big enough for a progress bar: lines read, events imported, events run through a
#: workflow. Reading and importing 100,000 spreadsheet rows takes about six seconds, and
#: running a workflow on an event about five milliseconds.
READ_PROGRESS_FROM = 10_000
IMPORT_PROGRESS_FROM = 10_000
RUN_PROGRESS_FROM = 100


def _input_format_moved(ctx: click.Context, param: click.Parameter, value: str) -> str:
    """Say where ``--format jsonl`` went: it now names the output, as on every other command."""
    if value in ("jsonl", "csv"):
        raise click.BadParameter(f"the file's format is --input-format {value}; --format says what import "
                                 "prints: text or json", ctx=ctx, param=param)
    if value not in choices("imported"):
        raise click.BadParameter(f"'{value}' is not one of {', '.join(choices('imported'))}", ctx=ctx, param=param)
    return value


@builtin_command("import")
@click.argument("file", metavar="FILE", shell_complete=complete_files)
@click.option("--input-format", type=click.Choice(["jsonl", "csv"]),
              help="The file's format. Default: from its extension, else from its first line.")
@click.option("--date-format", metavar="FORMAT", shell_complete=complete_date_formats,
              help="How the CSV writes dates in numbers only: day-first (14/03/2026, 14.03.2026), month-first "
                   "(03/14/2026), or a pattern such as %d/%m/%y. Dates as YYYY-MM-DD or with the month's name "
                   "(14 Mar 2026) are always read.")
@click.option("--extra-columns", type=click.Choice(["skip", "notes"]), default="skip", show_default=True,
              help="What to do with the CSV's own columns (such as Salary): leave them out with a warning, or "
                   "keep them in each event's notes as 'Salary: 50000'.")
@click.option("--run", "run_workflow", is_flag=True,
              help="Also run the workflow on each new event, in date order, as if recorded with 'coachflow run'.")
@click.option("--dry-run", is_flag=True, help="Check the file and show what would be added; write nothing.")
@click.option("--format", "output_format", default="text", show_default=True,
              metavar=f"[{'|'.join(choices('imported'))}]", callback=_input_format_moved, help=help_for("imported"))
@display_options("Also list each event added.")
@functools.partial(workflow_option, help="The workflow to run with --run, whose [settings] journal is used. "
                   "Default: COACHFLOW_WORKFLOW, ./coachflow.toml, or the built-in workflow.")
@journal_options
@click.pass_obj
def import_command(state: Any, file: str, input_format: str | None, date_format: str | None, extra_columns: str,
                   run_workflow: bool, dry_run: bool, output_format: str, workflow_option: str | None,
                   journal_path: str | None, profile: str | None) -> None:
    """The whole file is checked first; a bad row stops the import and nothing
    is written. Events already in the journal are skipped, so importing the
    same file twice adds nothing. A spreadsheet needs at least the columns
    date, type, company and role, separated by commas, semicolons or tabs;
    its type column may say 'applied'. A FILE of '-' is read from standard
    input.

    \b
      coachflow import search.csv --journal search.sqlite3
      coachflow import sheet.csv --date-format day-first --dry-run --journal search.sqlite3
      coachflow import search.jsonl --run --journal search.sqlite3
    """
    from coachflow.cli.progress import progress
    from coachflow.journal.io import guess_format, import_events, read_events, read_text

    from coachflow.errors import EventError

    quiet = current().quiet
    source = STDIN_LABEL if file == STDIO else file
    if file == STDIO:
        claim_stdin("the file to import")
    text = read_stdin(stdin_problem(EventError), "file to import") if file == STDIO else read_text(file)
    if (input_format or guess_format(source, text)) == "jsonl" and (date_format or extra_columns != "skip"):
        option = "--date-format" if date_format else "--extra-columns"
        raise click.UsageError(f"{option} is for CSV files; {source} is JSONL, whose dates are always YYYY-MM-DD "
                               "and whose fields are coachflow's own")
    registry = state.host().registry
    now = now_from_environment(profile, journal_path)
    workflow = load_workflow_for(state, workflow_option, profile, journal_path) if run_workflow else None
    kinds = workflow.kinds(registry) if workflow is not None else registry.milestone_kinds
    with progress("Reading", quiet=quiet, minimum=READ_PROGRESS_FROM) as reading:
        parsed = with_switched_off_note(registry, lambda: read_events(
            text, source, format=input_format, milestone_kinds=kinds, today=now.date(),
            date_format=date_format, extra_columns=extra_columns, progress=reading))
    _warn_about_columns(source, parsed)
    runner = None
    if workflow is not None:
        from coachflow.engine import WorkflowRunner

        runner = WorkflowRunner(workflow)
        location = journal_location(journal_path, profile, workflow)
    else:
        location = locate_journal(journal_path, profile, workflow_option)
    journal = _journal_for_import(location, dry_run, profile)
    label, minimum = ("Running", RUN_PROGRESS_FROM) if runner else ("Importing", IMPORT_PROGRESS_FROM)
    with journal, progress(label, quiet=quiet, minimum=minimum) as importing:
        result = import_events(journal, [item.event for item in parsed.events], runner=runner, now=now,
                               progress=importing)
        due_now = 0
        if runner is not None:
            from coachflow.upkeep import Lapse

            # what a run would mark missed now is not due (the replay lapses as of each event's day)
            settings = runner.workflow.settings
            due_now = Lapse(settings.missed_after_days, settings.undated_missed_after_days).count_due(journal.reader, now)
    from coachflow.report.views import Imported

    summary = Imported(source=source, parsed=parsed, result=result, dry_run=dry_run, due_now=due_now,
                       workflow=runner.workflow.name if runner is not None else None)
    show("imported", summary, output_format)
    _report_failures(result.results)


def _journal_for_import(location: Path | str, dry_run: bool, profile: str | None) -> Any:
    """The journal to import into; for a dry run, a copy in memory (or an empty one), so the file is never touched.

    A copy rather than ``open_journal(mode="dry-run")``, whose writes the engine rolls back:
    an import commits, as a replay does once it has run every event.
    """
    from coachflow.journal import open_journal

    if not dry_run:
        return open_journal(location, client=profile)
    journal = open_journal(location, mode="read", missing_ok=True, client=profile)
    try:
        return journal.scratch_copy()
    finally:
        journal.close()


def _warn_about_columns(source: str, parsed: Any) -> None:
    """One warning for the spreadsheet's own columns that were left out."""
    left_out = [f"'{name}'" for name in parsed.columns_left_out]
    if not left_out:
        return
    names = join_words(left_out)
    if parsed.columns_in_notes or parsed.feedback_rows_left_out:
        echo(f"Warning: {source}: feedback has no notes, so {names} "
             f"{'was' if len(left_out) == 1 else 'were'} left out of "
             f"{plural(parsed.feedback_rows_left_out, 'feedback row')}", err=True)
        return
    one = len(left_out) == 1
    echo(f"Warning: {source}: left out the column{'' if one else 's'} {names}, which coachflow does not "
         f"keep; add --extra-columns notes to keep {'it' if one else 'them'} in each event's notes", err=True)


def _report_failures(results: Iterable[Any]) -> None:
    """One warning per failing step, then exit code 1, as 'coachflow run' does."""
    failures: dict[str, tuple[int, str]] = {}
    for result in results:
        for error in result.errors:
            count, first = failures.get(error.step, (0, error.error))
            failures[error.step] = (count + 1, first)
    for step, (count, first) in failures.items():
        echo(f"Warning: step {step} failed on {plural(count, 'event')}; first: {first}", err=True)
    if failures:
        click.get_current_context().exit(1)


#: What ``coachflow path NAME`` can print.
PATH_NAMES = ("journal", "data", "profiles", "workflow")


@builtin_command("path")
@click.argument("name", required=False, type=click.Choice(PATH_NAMES))
@format_option("paths")
@display_options("Also list each client profile with its journal.")
@workflow_option
@journal_options
def path(name: str | None, output_format: str, workflow_option: str | None, journal_path: str | None,
         profile: str | None) -> None:
    """With a NAME (journal, data, profiles or workflow), print only that path,
    for scripts: sqlite3 "$(coachflow path journal)". The options are the
    ones other commands take, so 'coachflow path journal --profile alex'
    is the journal 'coachflow status --profile alex' reads.

    \b
      coachflow path
      coachflow path journal --profile alex
    """
    from coachflow.journal import default_journal_path, profile_journals
    from coachflow.workflow import find_workflow_file

    journal = locate_journal(journal_path, profile, workflow_option)
    data = default_journal_path().parent
    profiles = profile_journals()
    workflow = find_workflow_file(workflow_option)
    built_in = workflow is None
    if built_in:
        import coachflow.workflow

        workflow = Path(coachflow.workflow.__file__).with_name("default_workflow.toml")
    from coachflow.journal import _without_password, is_server_url
    from coachflow.report.views import Paths

    # A practice store is a URL, shown without its password; whether the client has a journal
    # there is not looked up (that would mean connecting), so its "exists" is None.
    on_server = is_server_url(journal)
    show("paths", Paths(name=name, journal=journal, data=data, profiles=profiles, workflow=workflow,
                        built_in=built_in, on_server=on_server,
                        journal_shown=_without_password(journal) if on_server else str(journal.resolve()),
                        journal_exists=None if on_server else journal.is_file()), output_format)
