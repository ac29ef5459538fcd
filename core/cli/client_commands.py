"""Commands for a coach's practice: client (add, list, show, set, edit, remove), clients board, digest, note."""

from __future__ import annotations

import functools
from typing import Any

import click

from coachflow.cli import builtin_command
from coachflow.cli.completion import complete_profiles
from coachflow.cli.common import (
    WholeNumber,
    check_output,
    force_option,
    hard_run_settings,
    lapse_rule,
    load_shared_workflow,
    now_from_environment,
    open_practice_for,
    parse_day,
    practice_option,
    win_judge,
    workflow_option,
    workflow_target,
)
from coachflow.cli import display
from coachflow.cli.display import display_options, format_option, show
from coachflow.output import render
from coachflow.terminal import echo



@builtin_command("client", cls=click.Group)
def client() -> None:
    """Each client has settings and a journal of their own (files in your data
    directory, or rows of a practice store with --journal URL); run any
    command for them with --client NAME.

    \b
      coachflow client add alex-smith --name "Alex Smith" --coach "Sam Rivera"
      coachflow client set alex-smith support_contacts "Priya, Jordan"
      coachflow run rejection --company Acme --client alex-smith
    """


_STEPS_WORKFLOW_HELP = ("The workflow whose steps the client's [steps.ID] option values are checked against "
                        "before they are saved. Default: COACHFLOW_WORKFLOW, ./coachflow.toml, or the built-in "
                        "workflow.")


def _check_steps(state: Any, workflow_option: str | None, changed: Any) -> None:
    """Refuse settings whose [steps.ID] values the workflow's steps would not take (they are not saved)."""
    from coachflow.clients import check_client_steps

    if changed.steps:  # only then is a workflow, with its plugins, worth loading
        check_client_steps(load_shared_workflow(state, workflow_option), changed)


@client.command("add")
@display_options("Also say where the files it reads and writes are.")
@click.argument("client_id", metavar="NAME")
@click.option("--name", "display_name", default="", help="How texts name the client (default: NAME).")
@click.option("--coach", default="", help="How texts name you, the coach.")
@click.option("--contact", "contacts", multiple=True, help="A person who supports the client (repeat for more).")
@click.option("--target", type=WholeNumber(1, 100, noun="applications"), help="How many applications the client aims to keep open.")
@practice_option
def add(client_id: str, display_name: str, coach: str, contacts: tuple[str, ...], target: int | None,
        journal_path: str | None) -> None:
    """Add a client: their settings and, from their first event, a journal of their own."""
    from coachflow.clients import Client, ClientError, check_client_name

    check_client_name(client_id)
    try:
        # as 'client set' reads "Priya, Jordan": a blank one given on the command line is dropped
        new = Client(id=client_id, name=display_name, coach=coach,
                     support_contacts=[name.strip() for name in contacts if name.strip()],
                     pipeline_target=target)
    except (ValueError, TypeError) as exc:
        raise ClientError(str(exc)) from None
    with open_practice_for(journal_path) as practice:
        where = practice.save_client(new, new=True)
    display.note(f"Added {new.display_name} ({client_id}); settings in {where}.")


@client.command("list")
@display_options("Also say where the files it reads and writes are.")
@format_option("clients")
@practice_option
def list_clients(output_format: str, journal_path: str | None) -> None:
    """List the clients of your practice. A client whose settings cannot be read is named
    on stderr with the problem, and the exit code is 1."""
    from coachflow.report.views import ClientListing

    unreadable: list[tuple[str, Any]] = []
    with open_practice_for(journal_path, mode="read") as practice:
        display.detail(f"Reading the clients in {practice.location}")
        found = [ClientListing(client=each, has_settings=practice.settings_text(each.id) is not None)
                 for each in practice.clients(on_problem=lambda name, error: unreadable.append((name, error)))]
    show("clients", found, output_format)
    _report_unreadable(unreadable)


def _report_unreadable(unreadable: list[tuple[str, Any]]) -> None:
    """One warning per client whose settings cannot be read, with how to fix them; then exit code 1."""
    for name, error in unreadable:
        echo(f"Warning: {error}; fix it with: coachflow client edit {name}", err=True)
    if unreadable:
        click.get_current_context().exit(1)


@client.command("show")
@display_options("Also say where the files it reads and writes are.")
@click.argument("client_id", metavar="NAME", shell_complete=complete_profiles)
@format_option("client")
@practice_option
def show_client(client_id: str, output_format: str, journal_path: str | None) -> None:
    """Show one client's settings and where they and their journal are kept."""
    from coachflow.clients import client_to_toml
    from coachflow.report.views import ClientCard

    with open_practice_for(journal_path, mode="read") as practice:
        found = practice.client(client_id)
        settings, journal = practice.where(client_id)
    show("client", ClientCard(client=found, settings_file=settings, journal=journal,
                              settings_text=client_to_toml(found)), output_format)


@client.command("set")
@display_options("Also say where the files it reads and writes are.")
@click.argument("client_id", metavar="NAME", shell_complete=complete_profiles)
@click.argument("key")
@click.argument("value")
@functools.partial(workflow_option, help=_STEPS_WORKFLOW_HELP)
@practice_option
@click.pass_obj
def set_command(state: Any, client_id: str, key: str, value: str, workflow_option: str | None,
                journal_path: str | None) -> None:
    """Change one setting: name, coach, support_contacts (comma-separated), pipeline_target,
    timezone, quiet_hours (21:00-08:00), open_task_budget, or variables.NAME. An empty VALUE clears it."""
    from coachflow.clients import set_setting

    with open_practice_for(journal_path) as practice:
        changed = set_setting(practice.client(client_id), key, value)
        _check_steps(state, workflow_option, changed)
        where = practice.save_client(changed)
    display.detail(f"Settings: {where}")
    display.note(f"{changed.display_name}: {key} {'cleared' if not value else 'set'}.")


@client.command("edit")
@display_options("Also say where the files it reads and writes are.")
@click.argument("client_id", metavar="NAME", shell_complete=complete_profiles)
@functools.partial(workflow_option, help=_STEPS_WORKFLOW_HELP)
@practice_option
@click.pass_obj
def edit(state: Any, client_id: str, workflow_option: str | None, journal_path: str | None) -> None:
    """Open a client's settings in your editor ($EDITOR); they are checked before they are saved
    ([steps.ID] tables against the workflow's steps, as 'coachflow run' checks them)."""
    from coachflow.clients import client_to_toml, parse_client

    with open_practice_for(journal_path) as practice:
        text = practice.settings_text(client_id)
        if text is None:  # a profile a run started: their settings begin here
            text = client_to_toml(practice.client(client_id))
        edited = click.edit(text, extension=".toml", require_save=True)
        if edited is None:
            display.note("No changes.")
            return
        changed = parse_client(client_id, edited, f"{client_id}.toml (edited)")
        _check_steps(state, workflow_option, changed)
        where = practice.save_client(changed)
    display.detail(f"Settings: {where}")
    display.note(f"Saved {client_id}'s settings.")


def _client_even_if_broken(practice: Any, client_id: str) -> Any:
    """The client, or one with the default settings when theirs cannot be read (so they can
    still be removed); an unknown client is an error."""
    from coachflow.clients import Client, ClientError

    try:
        return practice.client(client_id)
    except ClientError:
        if client_id not in practice.client_names():
            raise
        return Client(id=client_id)


@client.command("remove")
@display_options("Also say where the files it reads and writes are.")
@click.argument("client_id", metavar="NAME", shell_complete=complete_profiles)
@click.option("--yes", is_flag=True, help="Do not ask first.")
@practice_option
def remove(client_id: str, yes: bool, journal_path: str | None) -> None:
    """Remove a client: their settings and their journal (asks first)."""
    with open_practice_for(journal_path) as practice:
        found = _client_even_if_broken(practice, client_id)
        if not yes:
            click.confirm(f"Remove {found.display_name} ({client_id}) with their settings and journal? "
                          "This cannot be undone", abort=True)
        removed = practice.remove_client(client_id)
    for where in removed:
        display.detail(f"Removed {where}")
    display.note(f"Removed {found.display_name}: their settings and journal.")


@builtin_command("clients", cls=click.Group)
def clients() -> None:
    """'coachflow clients board' lists every client with what needs attention."""


@clients.command("board")
@display_options("Also say where the files it reads and writes are.")
@click.option("--attention", is_flag=True, help="Only the clients who need attention.")
@format_option("board")
@click.option("-o", "--output", metavar="FILE", help="Write to FILE instead of the screen ('-': the screen).")
@force_option
@functools.partial(workflow_option, help="The workflow whose [settings] say what a hard run of noes is "
                   "(rejection_run in rejection_run_days) and whose maintain-momentum target a client without "
                   "their own has, as 'coachflow run' counts them ('-': standard input). "
                   "Default: COACHFLOW_WORKFLOW, ./coachflow.toml, or the built-in workflow.")
@practice_option
@click.pass_obj
def board(state: Any, attention: bool, output_format: str, output: str | None, force: bool,
          workflow_option: str | None, journal_path: str | None) -> None:
    """One row per client: last activity, pipeline against target, noes this week, overdue items,
    themes, and why they need attention. Who needs you most comes first."""
    from coachflow.practice import DEFAULT_TARGET, practice_board
    from coachflow.report.views import Board

    now = now_from_environment()
    hard_run = hard_run_settings(workflow_option)
    lapse = lapse_rule(workflow_option)
    target = workflow_target(state, workflow_option)
    if output and output != "-":
        check_output(output, force=force)
    unreadable: list[tuple[str, Any]] = []
    with open_practice_for(journal_path, mode="read") as practice:
        display.detail(f"Reading the clients in {practice.location}")
        rows = practice_board(practice, now, attention_only=attention, hard_run=hard_run,
                              default_target=target or DEFAULT_TARGET, missed_after_days=lapse.after_days,
                              on_problem=lambda name, error: unreadable.append((name, error)))
    _emit(render("board", Board(rows=rows, now=now), output_format), output)
    _report_unreadable(unreadable)


@builtin_command("digest")
@display_options("Also say where the files it reads and writes are.")
@click.option("--client", "--profile", "client_id", metavar="NAME", required=True, shell_complete=complete_profiles,
              envvar=["COACHFLOW_CLIENT", "COACHFLOW_PROFILE"], help="The client.")
@click.option("--week", metavar="DATE", help="A day of the week to tell (default: this week).")
@format_option("digest")
@click.option("-o", "--output", metavar="FILE", help="Write to FILE instead of the screen ('-': the screen).")
@force_option
@functools.partial(workflow_option, help="The workflow whose milestone kinds count as wins, as 'coachflow run' "
                   "counts them ('-': standard input). Default: COACHFLOW_WORKFLOW, ./coachflow.toml, or the "
                   "built-in workflow.")
@practice_option
@click.pass_obj
def digest(state: Any, client_id: str, week: str | None, output_format: str, output: str | None, force: bool,
           workflow_option: str | None, journal_path: str | None) -> None:
    """It covers the week of --week (default: this week), on the screen or in -o FILE."""
    from coachflow.practice import build_digest

    with open_practice_for(journal_path, mode="read") as practice:
        found = practice.client(client_id)
        if output and output != "-":
            check_output(output, force=force)
        now = now_from_environment(client_id, journal_path)
        day = parse_day(week, "--week") or now.date()
        display.detail(f"Reading the journal {practice.where(client_id)[1]}")
        with practice.open_client(client_id, mode="read", missing_ok=True) as journal:
            result = build_digest(found, journal.reader, day, is_win=win_judge(state, workflow_option), now=now,
                                  missed_after_days=lapse_rule(workflow_option).after_days)
    _emit(render("digest", result, output_format), output)


@builtin_command("note")
@display_options("Also say where the files it reads and writes are.")
@click.argument("text")
@click.option("--client", "--profile", "client_id", metavar="NAME", required=True, shell_complete=complete_profiles,
              envvar=["COACHFLOW_CLIENT", "COACHFLOW_PROFILE"], help="The client.")
@click.option("--week", metavar="DATE", help="A day of the week the note is about (default: today).")
@practice_option
def note(text: str, client_id: str, week: str | None, journal_path: str | None) -> None:
    """The note belongs to the week of --week (default: this week)."""
    from coachflow.clients import ClientError
    from coachflow.practice import week_of
    from coachflow.wording import human_date

    with open_practice_for(journal_path) as practice:
        found = practice.client(client_id)
        cleaned = " ".join(text.split())
        if not cleaned:
            raise ClientError("the note is empty")
        now = now_from_environment(client_id, journal_path)
        day = parse_day(week, "--week") or now.date()
        display.detail(f"Journal: {practice.where(client_id)[1]}")
        with practice.open_client(client_id) as journal:
            journal.add_note(cleaned, day=day, written_at=now)
    display.note(f"Noted for {found.display_name}, the week of {human_date(week_of(day)[0])}.")


def _emit(text: str, output: str | None) -> None:
    if not output or output == "-":
        echo(text, nl=not text.endswith("\n"))
        return
    from coachflow.files import write_whole

    with write_whole(output) as stream:
        stream.write(text)
    display.note(f"Wrote {output}.")
