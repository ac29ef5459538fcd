"""``coachflow journal``: look after where journals are kept (migrate a schema, copy between stores).

The work is :mod:`coachflow.journal.copy`'s and the backends'; this module
parses the arguments and says what happened.
"""

from __future__ import annotations

import sys

import click

from coachflow.cli import builtin_command
from coachflow.cli.common import journal_options, locate_journal, workflow_option
from coachflow.cli.display import current, detail, display_options, note
from coachflow.wording import join_words, plural


@builtin_command("journal", cls=click.Group)
def journal_group() -> None:
    """'coachflow journal migrate' and 'coachflow journal copy' say more."""


@journal_group.command()
@display_options("Also say where the journal is.")
@workflow_option
@journal_options
def migrate(workflow_option: str | None, journal_path: str | None, profile: str | None) -> None:
    """Bring a journal's schema up to this coachflow's: a practice store on PostgreSQL, or a file.

    An empty PostgreSQL database becomes a practice store (its tables, the
    roles coachflow_coach and coachflow_admin, and the rules that let each
    coach see only their clients). Run it as the role that is to own the
    tables, the practice administrator.

    \b
      coachflow journal migrate --journal postgresql://practice_admin@localhost/practice
      coachflow journal migrate --journal search.sqlite3
    """
    from coachflow.journal import is_server_url

    location = locate_journal(journal_path, profile, workflow_option)
    detail(f"Journal: {location}" if not is_server_url(location) else "Journal: a practice store")
    if is_server_url(location):
        from coachflow.journal.postgres import SCHEMA_VERSION, PracticeStore

        store = PracticeStore(location)
        try:
            before = store.migrate()
        finally:
            store.close()
        shown = store.shown
    else:
        from coachflow.journal import open_journal

        with open_journal(location) as journal:  # opening a file for writing brings it up to date
            note(f"{journal.location}: at schema {journal.schema_version}, this coachflow's")
        return
    if before == SCHEMA_VERSION:
        note(f"{shown}: already at schema {SCHEMA_VERSION}; nothing to do")
    elif before == 0:
        note(f"{shown}: set up as a practice store at schema {SCHEMA_VERSION}")
    else:
        note(f"{shown}: upgraded from schema {before} to {SCHEMA_VERSION}")


@journal_group.command()
@click.argument("source", metavar="SOURCE")
@click.argument("destination", metavar="DEST")
@click.option("--client", "--profile", "profile", metavar="NAME", envvar=["COACHFLOW_CLIENT", "COACHFLOW_PROFILE"],
              help="Copy only this client (from a server), or copy a file as this client (to a server). "
                   "Default: every client you can see; a file's name without .sqlite3.")
@display_options("Also list each journal as it is copied.")
def copy(source: str, destination: str, profile: str | None) -> None:
    """Copy journals between SQLite files and a PostgreSQL practice store, keeping every id.

    SOURCE and DEST are each a journal file, a folder of profile journals
    (NAME.sqlite3, one per client) or a PostgreSQL URL. Copying again adds
    nothing, and completes a copy that was interrupted; at the end both
    sides are counted.

    \b
      coachflow journal copy ~/.local/share/coachflow/profiles postgresql://coach_ana@localhost/practice
      coachflow journal copy search.sqlite3 postgresql://coach_ana@localhost/practice --profile alex-smith
      coachflow journal copy postgresql://coach_ana@localhost/practice backup/
    """
    from coachflow.journal.copy import copy_journal, plan_copy, rows_to_copy

    jobs = plan_copy(source, destination, profile=profile)
    results = []
    if sys.stderr.isatty() and not current().quiet:
        total = sum(rows_to_copy(job) for job in jobs)
        with click.progressbar(length=total, label="Copying", file=sys.stderr, show_pos=True) as bar:
            for job in jobs:
                results.append(copy_journal(job, progress=bar.update))
    else:
        results = []
        for job in jobs:
            detail(f"Copying {job.name}")
            results.append(copy_journal(job))
    from coachflow.journal import _without_password

    for job, result in zip(jobs, results):
        held = [plural(result.events, "event"), plural(result.actions, "action")]
        new = [str(result.added_events), str(result.added_actions)]
        if result.notes:  # a coach's notes, when the journal has any
            held.append(plural(result.notes, "note"))
            new.append(str(result.added_notes))
        note(f"{result.name}: {join_words(held)} on both sides ({join_words(new)} new in "
             f"{_without_password(job.destination)})")
    if len(results) > 1:
        totals = [plural(sum(r.events for r in results), "event"), plural(sum(r.actions for r in results), "action")]
        if any(r.notes for r in results):
            totals.append(plural(sum(r.notes for r in results), "note"))
        note(f"Copied {len(results)} journals: {join_words(totals)}, the same on both sides.")


__all__ = ["journal_group"]
