"""Commands that read and move the journal: history, status, due, done, export, import.

Each one finds the journal the way ``coachflow run`` does (``--journal``,
``COACHFLOW_JOURNAL``, the workflow's ``[settings] journal``, then the data
directory per ``--profile``) and leaves the work to :mod:`coachflow.journal`
and :mod:`coachflow.journal.io`.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import sys
from pathlib import Path
from typing import Any, Iterable

import click

from coachflow.cli import builtin_command, with_switched_off_note
from coachflow.cli.common import (
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
    parse_period,
    workflow_option,
)
from coachflow.cli.completion import complete_date_formats, complete_files, complete_milestone_kinds
from coachflow.cli.stdio import STDIN_LABEL, STDIO, claim_stdin, read_stdin, stdin_problem
from coachflow.errors import CoachflowError, JournalError
from coachflow.models import EVENT_TYPES
from coachflow.terminal import PrintableStream, echo
from coachflow.wording import days_ago, plural

FORMAT_HELP = "text for people, json for programs."


def excerpt(text: str, width: int = 70) -> str:
    """The text on one line, cut to ``width`` characters."""
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 3].rstrip() + "..."


def event_line(event: Any) -> str:
    """One line for an event in a list: what happened and to which application."""
    from coachflow.context import human_date
    from coachflow.models import position

    what = position(event)
    if event.type == "rejection":
        label = "Rejection"
        detail = f"{what}, {event.stage} stage" + (f": {excerpt(event.reason, 50)}" if event.reason else "")
    elif event.type == "feedback":
        label = "Feedback"
        detail = what + (f", from {event.source}" if event.source else "") + f': "{excerpt(event.text, 50)}"'
    else:
        label = event.kind.replace("-", " ").capitalize()
        detail = what + (f" ({excerpt(event.notes, 50)})" if event.notes else "")
    return f"{human_date(event.date):<16} {label:<21} {detail}".rstrip()


@builtin_command("history")
@click.option("--type", "event_type", type=click.Choice(EVENT_TYPES), help="Only events of this type.")
@click.option("--kind", shell_complete=complete_milestone_kinds,
              help="Only milestones of this kind (applied, interview-invitation, ...).")
@click.option("--company", help="Only events about this company (any case).")
@click.option("--role", help="Only events about this role (any case).")
@click.option("--since", metavar="DATE", help="Only events on or after this date (YYYY-MM-DD).")
@click.option("--until", metavar="DATE", help="Only events on or before this date (YYYY-MM-DD).")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help=FORMAT_HELP)
@workflow_option
@journal_options
def history(event_type: str | None, kind: str | None, company: str | None, role: str | None, since: str | None,
            until: str | None, output_format: str, workflow_option: str | None, journal_path: str | None,
            profile: str | None) -> None:
    """\b
      coachflow history --journal search.sqlite3
      coachflow history --company Acme --since 2026-03-01 --journal search.sqlite3
    """
    from coachflow.models import event_to_dict

    first, last = parse_period(since, until)
    filters = dict(type=event_type, company=company, role=role, kind=kind.lower() if kind else None,
                   since=first, until=last)
    if filters["kind"] and event_type not in (None, "milestone"):
        raise click.UsageError("--kind applies to milestones; drop --type or use --type milestone")
    count = 0
    with open_for_reading(journal_path, profile, workflow_option) as journal:
        entries = journal.reader.entries(**filters)
        if output_format == "json":
            echo("[", nl=False)
            for entry in entries:
                item = {"id": entry.id, **event_to_dict(entry.event),
                        "recorded_at": entry.recorded_at.isoformat(), "workflows": list(entry.workflows)}
                echo(("," if count else "") + "\n  " + json.dumps(item, ensure_ascii=False), nl=False)
                count += 1
            echo("\n]" if count else "]")
            return
        for entry in entries:
            echo(event_line(entry.event))
            count += 1
    filtered = any(value is not None for value in filters.values())
    if count:
        echo(f"\n{plural(count, 'event')}{' matched' if filtered else ''}.", dim=True)
    else:
        echo("No events match." if filtered else
             "Nothing recorded yet. Start with: coachflow run milestone --kind applied --company NAME --role ROLE")


@builtin_command("status")
@click.option("--days", default=30, show_default=True, type=click.IntRange(1, 3660),
              help="How many days back the recent counts look, today included.")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help=FORMAT_HELP)
@workflow_option
@journal_options
def status(days: int, output_format: str, workflow_option: str | None, journal_path: str | None,
           profile: str | None) -> None:
    """\b
      coachflow status --journal search.sqlite3
    """
    from coachflow.context import human_date

    now = now_from_environment()
    today = now.date()
    since = today - dt.timedelta(days=days - 1)
    with open_for_reading(journal_path, profile, workflow_option) as journal:
        reader = journal.reader
        pipeline = reader.open_applications(as_of=today)
        recent = reader.tally(since=since, until=today)
        requested = reader.feedback_requested()
        received = reader.count("feedback")
        due = reader.count_actions(status="open", due_before=now)
    if output_format == "json":
        echo(json.dumps({
            "today": today.isoformat(),
            "pipeline": [{"company": a.company, "role": a.role, "applied": a.applied.isoformat(),
                          "age_days": a.age_days(today), "event_id": a.event_id} for a in pipeline],
            "recent": {"days": days, "since": since.isoformat(), "until": today.isoformat(),
                       "applications": recent.applications, "rejections": recent.rejections,
                       "feedback": recent.feedback, "wins": recent.wins, "win_count": recent.win_count},
            "feedback": {"requested": requested, "received": received},
            "due": due,
        }, indent=2, ensure_ascii=False))
        return
    from coachflow.models import position

    echo(f"Your search on {human_date(today)}", bold=True)
    echo("")
    if pipeline:
        echo(f"Pipeline: {plural(len(pipeline), 'open application')}, oldest first")
        width = min(max(len(position(a)) for a in pipeline), 40)
        for application in pipeline:
            echo(f"  {excerpt(position(application), 40):<{width}}  sent {human_date(application.applied)}, "
                 f"{days_ago(application.applied, today)}")
    else:
        echo("Pipeline: no open applications. Record one with: "
             "coachflow run milestone --kind applied --company NAME --role ROLE")
    wins = ", ".join(plural(n, kind.replace("-", " ")) for kind, n in recent.wins.items())
    echo("")
    echo(f"Last {plural(days, 'day')} (since {human_date(since)}): "
         f"{plural(recent.applications, 'application')} sent, {plural(recent.rejections, 'rejection')}, "
         + (f"{plural(recent.win_count, 'win')} ({wins})" if recent.win_count else "no wins recorded yet"))
    echo(f"Feedback so far: {requested} requested, {received} received")
    if due:
        echo(f"Due now: {plural(due, 'reminder or task', 'reminders and tasks')} (see them with: coachflow due)")
    else:
        echo("Due now: nothing")


def stored_action_to_dict(stored: Any) -> dict[str, Any]:
    """The JSON shape of an action from the journal: its id, status and event, then the action's fields."""
    from coachflow.models import action_to_dict

    return {
        "id": stored.id,
        "event_id": stored.event_id,
        "workflow": stored.workflow,
        "status": stored.status,
        "created_at": stored.created_at.isoformat(),
        "done_at": stored.done_at.isoformat() if stored.done_at else None,
        **action_to_dict(stored.action),
    }


#: Actions that are something to do (rather than to read): ``due --all`` lists these.
TO_DO_KINDS = ("task", "reminder", "draft")


def action_line(stored: Any, now: dt.datetime, id_width: int = 0) -> str:
    """One line for an action: id, kind, title and when it is due."""
    from coachflow.context import human_datetime
    from coachflow.render import KIND_LABELS

    action = stored.action
    label = KIND_LABELS.get(action.kind, action.kind.capitalize())
    when = ""
    if action.due is not None:
        late = (now.date() - action.due.date()).days
        when = f"  (due {human_datetime(action.due)}" + (f", {plural(late, 'day')} ago)" if late > 0 else ")")
    return f"  {'#' + str(stored.id):<{id_width}}  {label + ':':<10} {action.title}{when}"


@builtin_command("due")
@click.option("--all", "show_all", is_flag=True,
              help="Every open reminder, task and draft to send, with a date or not, due or not.")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help=FORMAT_HELP)
@workflow_option
@journal_options
def due(show_all: bool, output_format: str, workflow_option: str | None, journal_path: str | None,
        profile: str | None) -> None:
    """\b
      coachflow due --journal search.sqlite3
      coachflow due --all --format json --journal search.sqlite3
    """
    now = now_from_environment()
    with open_for_reading(journal_path, profile, workflow_option) as journal:
        reader = journal.reader
        if show_all:
            chosen = reader.actions(status="open", kinds=TO_DO_KINDS)
        else:
            chosen = reader.actions(status="open", due_before=now)
        upcoming = None if show_all or chosen else reader.next_due(now)
    if output_format == "json":
        echo(json.dumps([stored_action_to_dict(a) for a in chosen], indent=2, ensure_ascii=False))
        return
    if not chosen:
        echo("Nothing is due right now." if not show_all else "No open reminders or tasks.")
        if upcoming is not None:
            echo(f"Next:{action_line(upcoming, now)[1:]}")
        return
    # A client sees at most their budget of open items at once; the rest wait their turn.
    client = client_of(profile)
    held_back = 0
    if client is not None and len(chosen) > client.open_task_budget:
        held_back = len(chosen) - client.open_task_budget
        chosen = chosen[: client.open_task_budget]
    due_now = [a for a in chosen if a.action.due is not None and a.action.due <= now]
    later = [a for a in chosen if a.action.due is not None and a.action.due > now]
    undated = [a for a in chosen if a.action.due is None]
    id_width = max(len(str(a.id)) for a in chosen) + 1
    for heading, group in (("Due now", due_now), ("Coming up", later), ("Any time", undated)):
        if group:
            echo(f"{heading} ({len(group)})", bold=True)
            for stored in group:
                echo(action_line(stored, now, id_width))
    if held_back:
        echo(f"\n{held_back} more {'is' if held_back == 1 else 'are'} waiting; they appear here as you finish "
             "these (coachflow due --format json lists them all).")
    first = (due_now or later or undated)[0]
    echo(f"\nMark one done with: coachflow done {first.id}", dim=True)


@builtin_command("done")
@click.argument("action_ids", nargs=-1, required=True, type=click.IntRange(min=1), metavar="ACTION_ID...")
@click.option("--undo", is_flag=True, help="Open the actions again instead.")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help=FORMAT_HELP + " The json is a list of the actions as 'coachflow due' gives them, each with "
                   "'changed': false when it already had that status.")
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
    now = now_from_environment()
    wanted = "open" if undo else "done"
    with open_journal(location, client=profile) as journal, journal.transaction():
        before = {action_id: journal.reader.action(action_id) for action_id in dict.fromkeys(action_ids)}
        changed = [journal.set_action_status(action_id, wanted, at=now) for action_id in before]
    if output_format == "json":
        echo(json.dumps([{**stored_action_to_dict(stored), "changed": before[stored.id].status != wanted}
                               for stored in changed], indent=2, ensure_ascii=False))
        return
    for stored in changed:
        previous = before[stored.id]
        if previous is not None and previous.status == wanted:
            echo(f"#{stored.id} was already {'open' if undo else 'done'}: {stored.action.title}")
        else:
            echo(f"{'Open again' if undo else 'Done'}: #{stored.id} {stored.action.title}")


@builtin_command("export")
@click.option("--format", "output_format", type=click.Choice(["jsonl", "csv"]),
              help="jsonl (one event per line) or csv. Default: from the -o file's extension (.csv or .jsonl), "
                   "else jsonl.")
@click.option("-o", "--output", metavar="FILE",
              help="Write to FILE (readable by you only); without -o, or with '-', it goes to standard output.")
@click.option("--type", "event_type", type=click.Choice(EVENT_TYPES), help="Only events of this type.")
@click.option("--since", metavar="DATE", help="Only events on or after this date (YYYY-MM-DD).")
@click.option("--until", metavar="DATE", help="Only events on or before this date (YYYY-MM-DD).")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar and no 'Exported ...' line; errors still show.")
@force_option
@workflow_option
@journal_options
def export(output_format: str | None, output: str | None, event_type: str | None, since: str | None,
           until: str | None, quiet: bool, force: bool, workflow_option: str | None, journal_path: str | None,
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
        count = _write_privately(Path(output), lambda stream: write_events(events, stream, chosen))
    if not quiet:
        echo(f"Exported {plural(count, 'event')} to {output}", err=True)


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


def _write_privately(target: Path, write: Any) -> int:
    """Write a file readable by its owner only, replacing it whole or not at all."""
    import tempfile

    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        raise CoachflowError(f"{target}: cannot write the file: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as stream:
            count = write(stream)
        os.replace(temporary, target)
    except OSError as exc:
        os.unlink(temporary)
        raise CoachflowError(f"{target}: cannot write the file: {exc.strerror or exc}") from None
    except BaseException:
        os.unlink(temporary)
        raise
    return count


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
    if value not in ("text", "json"):
        raise click.BadParameter(f"'{value}' is not one of text, json", ctx=ctx, param=param)
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
@click.option("--format", "output_format", default="text", show_default=True, metavar="[text|json]",
              callback=_input_format_moved, help=FORMAT_HELP)
@click.option("-q", "--quiet", is_flag=True, help="No progress bar and no summary; errors and warnings still show.")
@functools.partial(workflow_option, help="The workflow to run with --run, whose [settings] journal is used. "
                   "Default: COACHFLOW_WORKFLOW, ./coachflow.toml, or the built-in workflow.")
@journal_options
@click.pass_obj
def import_command(state: Any, file: str, input_format: str | None, date_format: str | None, extra_columns: str,
                   run_workflow: bool, dry_run: bool, output_format: str, quiet: bool, workflow_option: str | None,
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

    source = STDIN_LABEL if file == STDIO else file
    if file == STDIO:
        claim_stdin("the file to import")
    text = read_stdin(stdin_problem(EventError), "file to import") if file == STDIO else read_text(file)
    if (input_format or guess_format(source, text)) == "jsonl" and (date_format or extra_columns != "skip"):
        option = "--date-format" if date_format else "--extra-columns"
        raise click.UsageError(f"{option} is for CSV files; {source} is JSONL, whose dates are always YYYY-MM-DD "
                               "and whose fields are coachflow's own")
    registry = state.host().registry
    now = now_from_environment()
    workflow = load_workflow_for(state, workflow_option, profile) if run_workflow else None
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
        due_now = journal.reader.count_actions(status="open", due_before=now) if runner else 0
    suggestions = sum(len(r.actions) for r in result.results)
    if output_format == "json":
        echo(json.dumps(_import_to_dict(source, parsed, result, runner, dry_run, suggestions, due_now),
                              indent=2, ensure_ascii=False))
    elif not quiet:
        _describe_import(source, result, runner, dry_run, suggestions, due_now)
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
    names = join_names(left_out)
    if parsed.columns_in_notes or parsed.feedback_rows_left_out:
        echo(f"Warning: {source}: feedback has no notes, so {names} "
             f"{'was' if len(left_out) == 1 else 'were'} left out of "
             f"{plural(parsed.feedback_rows_left_out, 'feedback row')}", err=True)
        return
    one = len(left_out) == 1
    echo(f"Warning: {source}: left out the column{'' if one else 's'} {names}, which coachflow does not "
         f"keep; add --extra-columns notes to keep {'it' if one else 'them'} in each event's notes", err=True)


def join_names(names: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _describe_import(source: str, result: Any, runner: Any, dry_run: bool, suggestions: int, due_now: int) -> None:
    """What an import did (or, for a dry run, would do), for people."""
    if dry_run:
        for event in result.added:
            echo(event_line(event))
        if result.added:
            echo("")
        echo(f"{source}: would add {len(result.added)}, already there {result.already}")
    else:
        echo(f"{source}: added {len(result.added)}, already there {result.already}")
    if runner is not None:
        echo(f"{'Would run' if dry_run else 'Ran'} '{runner.workflow.name}' on "
             f"{plural(len(result.results), 'new event')}: {plural(suggestions, 'suggestion')}, "
             f"{due_now} due now" + ("" if dry_run else " (see them with: coachflow due)"))
    if dry_run:
        echo("Dry run: nothing was written to the journal.", dim=True)


def _import_to_dict(source: str, parsed: Any, result: Any, runner: Any, dry_run: bool, suggestions: int,
                    due_now: int) -> dict[str, Any]:
    """The JSON shape of ``coachflow import --format json``."""
    from coachflow.models import event_to_dict

    run = None
    if runner is not None:
        run = {"workflow": runner.workflow.name, "events": len(result.results), "suggestions": suggestions,
               "due_now": due_now,
               "errors": [{"event": event_to_dict(r.event), "step": e.step, "error": e.error}
                          for r in result.results for e in r.errors]}
    return {
        "file": source,
        "format": parsed.format,
        "dry_run": dry_run,
        "added": len(result.added),
        "already_there": result.already,
        "columns_left_out": list(parsed.columns_left_out),
        "columns_in_notes": list(parsed.columns_in_notes),
        "events": [event_to_dict(event) for event in result.added],
        "run": run,
    }


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
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help=FORMAT_HELP)
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

    # A practice store is a URL, shown without its password; whether the client has a journal
    # there is not looked up (that would mean connecting), so its "exists" is null.
    on_server = is_server_url(journal)
    journal_text = _without_password(journal) if on_server else str(journal.resolve())
    journal_exists = None if on_server else journal.is_file()
    paths = {"data": data, "profiles": data / "profiles", "workflow": workflow}
    if name is not None and output_format == "text":
        echo(journal_text if name == "journal" else str(paths[name].resolve()))
        return
    if output_format == "json":
        data_out = {
            "journal": journal_text, "journal_exists": journal_exists,
            "data": str(data.resolve()),
            "profiles": {profile_name: str(file.resolve()) for profile_name, file in profiles.items()},
            "workflow": str(workflow.resolve()), "workflow_is_built_in": built_in,
        }
        keys = {"journal": ("journal", "journal_exists"), "data": ("data",), "profiles": ("profiles",),
                "workflow": ("workflow", "workflow_is_built_in")}.get(name or "", tuple(data_out))
        echo(json.dumps({key: data_out[key] for key in keys}, indent=2, ensure_ascii=False))
        return
    journal_note = ("  (a practice store; --client names the client)" if on_server else
                    "" if journal_exists else "  (not created yet; 'coachflow run' creates it)")
    profile_note = f"  ({', '.join(profiles)})" if profiles else "  (none yet; --profile NAME starts one)"
    workflow_note = "  (the built-in one; 'coachflow init' writes one to edit)" if built_in else ""
    for label, value, note in (("journal", journal_text, journal_note), ("data", str(data.resolve()), ""),
                               ("profiles", str((data / "profiles").resolve()), profile_note),
                               ("workflow", str(workflow.resolve()), workflow_note)):
        echo(f"{label + ':':<10}{value}{note}")
