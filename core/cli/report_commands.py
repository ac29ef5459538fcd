"""Commands that look back and ahead: report (the search over a period) and calendar."""

from __future__ import annotations

import functools
from typing import Any

import click

from coachflow.cli import builtin_command
from coachflow.cli.common import (
    check_output,
    force_option,
    journal_options,
    client_of,
    load_workflow_for,
    locate_journal,
    now_from_environment,
    open_for_reading,
    parse_day,
    workflow_option,
)
from coachflow.cli.display import current, display_options, format_option, note
from coachflow.cli.stdio import STDIO
from coachflow.files import write_whole
from coachflow.output import format_for_file, help_for, render
from coachflow.terminal import echo, printable
from coachflow.wording import plural

#: Texts (feedback, rejection reasons) a report reads for its themes before it shows a progress bar;
#: its counts come from the database, in one go.
REPORT_PROGRESS_FROM = 10_000


@builtin_command("report")
@click.option("--since", metavar="DATE", help="The first day of the period, YYYY-MM-DD (default: your first entry).")
@click.option("--until", metavar="DATE", help="The last day of the period, YYYY-MM-DD (default: today).")
@format_option("report", default=None,
               help=help_for("report") + " Default: from the -o file's extension, else markdown.")
@click.option("-o", "--output", metavar="FILE",
              help="Write the report to FILE; without -o, or with '-', it goes to standard output.")
@display_options("Also say which journal file was read.")
@click.option("--redact", is_flag=True,
              help="A report to pass on: companies become Company A, B, ...; people's names (the client's, "
                   "the coach's, the contacts'), feedback quotes, event notes and the coach's notes are left out.")
@force_option
@functools.partial(workflow_option, help="The workflow whose themes, reasons, target and milestone kinds the "
                   "report counts with (as 'coachflow run' does), and whose [settings] journal it reads. "
                   "Default: COACHFLOW_WORKFLOW, ./coachflow.toml, or the built-in workflow.")
@journal_options
@click.pass_obj
def report(state: Any, since: str | None, until: str | None, output_format: str | None, output: str | None,
           redact: bool, force: bool,
           workflow_option: str | None, journal_path: str | None, profile: str | None) -> None:
    """For a client (--client NAME) the report carries their name and the
    coach's notes about the period ('coachflow note').

    \b
    Examples:
      coachflow report --since 2026-03-01
      coachflow report --since 2026-03-01 --until 2026-03-31 -o march.html
      coachflow report --format json
      coachflow report --client alex-smith --redact -o shared.html
    """
    from coachflow.cli.progress import progress
    from coachflow.report.build import build_report, report_settings

    now = now_from_environment(profile, journal_path)
    first, last = parse_day(since, "--since"), parse_day(until, "--until")
    if output_format is None:
        output_format = format_for_file("report", output, "markdown") if output else "markdown"
    if output == STDIO:  # standard output, as when -o is left out
        output = None
    # The same workflow as 'coachflow run', so that the report counts what the run counts.
    settings = report_settings(load_workflow_for(state, workflow_option, profile, journal_path))
    client = client_of(profile, locate_journal(journal_path, profile, workflow_option))
    journal = open_for_reading(journal_path, profile, workflow_option)
    try:
        if output:
            check_output(output, force=force, journal=getattr(journal, "path", None))
        with progress("Reading the journal", quiet=current().quiet, minimum=REPORT_PROGRESS_FROM) as reading:
            result = build_report(journal.reader, since=first, until=last, now=now, progress=reading,
                                  settings=settings, client=client)
        if redact:
            from coachflow.report.sharing import redact as redacted

            companies = (entry.event.company for entry in journal.reader.entries(with_workflows=False)
                         if getattr(entry.event, "company", ""))
            people = ([client.id, client.display_name, client.coach, *client.support_contacts]
                      if client is not None else [])
            result = redacted(result, companies, people=people)
    finally:
        journal.close()
    text = printable(render("report", result, output_format))  # a file is printed too, later; JSON's strings keep their meaning
    if output:
        with write_whole(output, binary=True) as stream:
            stream.write(text.encode("utf-8"))
        note(f"Wrote the {output_format} report for {result.start.isoformat()} to "
             f"{result.end.isoformat()} to {output}.")
    else:
        echo(text, nl=False)


@builtin_command("calendar")
@click.option("-o", "--output", metavar="FILE", help="Write the calendar to FILE (e.g. coachflow.ics); without -o, "
              "or with '-', it goes to standard output.")
@click.option("--all", "include_past", is_flag=True, help="Also export open actions due before today.")
@force_option
@display_options("Also say which journal file was read.")
@workflow_option
@journal_options
def calendar(output: str | None, include_past: bool, force: bool, workflow_option: str | None,
             journal_path: str | None, profile: str | None) -> None:
    """Open actions due today or later become events (with --all, past ones
    too). Import the file into Google Calendar, Outlook or Apple Calendar.
    Each reminder keeps its UID, so importing a newer export updates the
    events instead of adding copies.

    \b
    Example:
      coachflow calendar -o coachflow.ics
    """
    from coachflow.report.ical import write_calendar

    if output == STDIO:  # standard output, as when -o is left out
        output = None
    now = now_from_environment(profile, journal_path)
    journal = open_for_reading(journal_path, profile, workflow_option)
    try:
        if output:
            check_output(output, force=force, journal=getattr(journal, "path", None))
            with write_whole(output, binary=True) as stream:
                count = write_calendar(journal.reader, stream, now=now, include_past=include_past)
        else:
            with click.open_file("-", "wb") as stream:  # standard output, as bytes
                count = write_calendar(journal.reader, stream, now=now, include_past=include_past)
    finally:
        journal.close()
    if output:
        note(f"Wrote {plural(count, 'open reminder')} to {output}.")
    elif count == 0:
        note("No open reminders with a due time" + ("" if include_past else " from today on")
             + "; the calendar is empty.", err=True)
