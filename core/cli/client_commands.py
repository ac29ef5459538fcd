"""Commands for a coach's practice: client (add, list, show, set, edit, remove), clients board, digest, note."""

from __future__ import annotations

import functools
from typing import Any

import click

from coachflow.cli import builtin_command
from coachflow.cli.completion import complete_profiles
from coachflow.cli.common import (
    check_output,
    force_option,
    now_from_environment,
    parse_day,
    hard_run_settings,
    win_judge,
    workflow_target,
    workflow_option,
)
from coachflow.cli import display
from coachflow.cli.display import display_options, format_option, show
from coachflow.output import render
from coachflow.terminal import echo



@builtin_command("client", cls=click.Group)
def client() -> None:
    """Each client has a settings file and a journal of their own; run any
    command for them with --client NAME.

    \b
      coachflow client add alex-smith --name "Alex Smith" --coach "Sam Rivera"
      coachflow client set alex-smith support_contacts "Priya, Jordan"
      coachflow run rejection --company Acme --client alex-smith
    """


@client.command("add")
@display_options("Also say where the files it reads and writes are.")
@click.argument("client_id", metavar="NAME")
@click.option("--name", "display_name", default="", help="How texts name the client (default: NAME).")
@click.option("--coach", default="", help="How texts name you, the coach.")
@click.option("--contact", "contacts", multiple=True, help="A person who supports the client (repeat for more).")
@click.option("--target", type=click.IntRange(1, 100), help="How many applications the client aims to keep open.")
def add(client_id: str, display_name: str, coach: str, contacts: tuple[str, ...], target: int | None) -> None:
    """Add a client: a settings file and, from their first event, a journal of their own."""
    from coachflow.clients import Client, ClientError, client_file, save_client

    if client_file(client_id).exists():
        raise ClientError(f"there is a client {client_id!r} already; change it with: coachflow client set "
                          f"{client_id} KEY VALUE")
    try:
        new = Client(id=client_id, name=display_name, coach=coach, support_contacts=list(contacts),
                     pipeline_target=target)
    except (ValueError, TypeError) as exc:
        raise ClientError(str(exc)) from None
    path = save_client(new)
    display.note(f"Added {new.display_name} ({client_id}); settings in {path}.")


@client.command("list")
@display_options("Also say where the files it reads and writes are.")
@format_option("clients")
def list_clients(output_format: str) -> None:
    """List the clients of your practice."""
    from coachflow.clients import each_client

    from coachflow.clients import clients_dir

    display.detail(f"Reading the clients in {clients_dir()}")
    show("clients", list(each_client()), output_format)


@client.command("show")
@display_options("Also say where the files it reads and writes are.")
@click.argument("client_id", metavar="NAME", shell_complete=complete_profiles)
@format_option("client")
def show_client(client_id: str, output_format: str) -> None:
    """Show one client's settings and where their files are."""
    from coachflow.clients import client_file, client_to_toml, load_client
    from coachflow.journal.paths import default_journal_path
    from coachflow.report.views import ClientCard

    found = load_client(client_id)
    show("client", ClientCard(client=found, settings_file=client_file(client_id),
                              journal=default_journal_path(client_id), settings_text=client_to_toml(found)),
         output_format)


@client.command("set")
@display_options("Also say where the files it reads and writes are.")
@click.argument("client_id", metavar="NAME", shell_complete=complete_profiles)
@click.argument("key")
@click.argument("value")
def set_command(client_id: str, key: str, value: str) -> None:
    """Change one setting: name, coach, support_contacts (comma-separated), pipeline_target,
    timezone, quiet_hours (21:00-08:00), open_task_budget, or variables.NAME. An empty VALUE clears it."""
    from coachflow.clients import load_client, save_client, set_setting

    changed = set_setting(load_client(client_id), key, value)
    path = save_client(changed)
    display.detail(f"Settings: {path}")
    display.note(f"{changed.display_name}: {key} {'cleared' if not value else 'set'}.")


@client.command("edit")
@display_options("Also say where the files it reads and writes are.")
@click.argument("client_id", metavar="NAME", shell_complete=complete_profiles)
def edit(client_id: str) -> None:
    """Open a client's settings file in your editor ($EDITOR); it is checked before it is saved."""
    from coachflow.clients import client_to_toml, load_client, parse_client, save_client

    found = load_client(client_id)
    edited = click.edit(client_to_toml(found), extension=".toml", require_save=True)
    if edited is None:
        display.note("No changes.")
        return
    path = save_client(parse_client(client_id, edited, f"{client_id}.toml (edited)"))
    display.detail(f"Settings: {path}")
    display.note(f"Saved {client_id}'s settings.")


@client.command("remove")
@display_options("Also say where the files it reads and writes are.")
@click.argument("client_id", metavar="NAME", shell_complete=complete_profiles)
@click.option("--yes", is_flag=True, help="Do not ask first.")
def remove(client_id: str, yes: bool) -> None:
    """Remove a client: their settings and their journal (asks first)."""
    from coachflow.clients import load_client, remove_client

    found = load_client(client_id)
    if not yes:
        click.confirm(f"Remove {found.display_name} ({client_id}) with their settings and journal? "
                      "This cannot be undone", abort=True)
    removed = remove_client(client_id)
    for path in removed:
        display.detail(f"Removed {path}")
    display.note(f"Removed {found.display_name}: {len(removed)} file{'s' if len(removed) != 1 else ''}.")


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
@click.pass_obj
def board(state: Any, attention: bool, output_format: str, output: str | None, force: bool,
          workflow_option: str | None) -> None:
    """One row per client: last activity, pipeline against target, noes this week, overdue items,
    themes, and why they need attention. Who needs you most comes first."""
    from coachflow.clients import client_file, client_ids, clients_dir
    from coachflow.journal import open_journal
    from coachflow.journal.paths import data_dir, default_journal_path
    from coachflow.practice import DEFAULT_TARGET, NO_FACTS, FactsCache, client_facts, practice_board
    from coachflow.report.views import Board

    now = now_from_environment()
    hard_run = hard_run_settings(workflow_option)
    target = workflow_target(state, workflow_option)
    if output and output != "-":
        check_output(output, force=force)
    cache = FactsCache(clients_dir() / ".board-cache.json")
    opened: list[Any] = []
    seen: list[str] = []

    def close_opened() -> None:
        while opened:
            opened.pop().close()

    def facts_of(each: Any) -> Any:
        close_opened()
        seen.append(each.id)
        path = default_journal_path(each.id, data=data)
        stamp = FactsCache.stamp(path)
        if stamp is None:
            return NO_FACTS, None

        def reader() -> Any:
            if not opened:
                opened.append(open_journal(path, mode="read"))
            return opened[0].reader

        facts = cache.get(each.id, stamp)
        if facts is None:
            facts = client_facts(reader())
            cache.put(each.id, stamp, facts)
        return facts, reader

    data = data_dir()
    display.detail(f"Reading the clients in {clients_dir()}")
    clients_now = (cache.client(client_id, client_file(client_id, data=data)) for client_id in client_ids(data))
    try:
        rows = practice_board(clients_now, facts_of, now, attention_only=attention, hard_run=hard_run,
                              default_target=target or DEFAULT_TARGET)
    finally:
        close_opened()
    cache.keep_only(seen)
    cache.save()
    _emit(render("board", Board(rows=rows, now=now), output_format), output)


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
@click.pass_obj
def digest(state: Any, client_id: str, week: str | None, output_format: str, output: str | None, force: bool,
           workflow_option: str | None) -> None:
    """It covers the week of --week (default: this week), on the screen or in -o FILE."""
    from coachflow.clients import load_client
    from coachflow.journal import open_journal
    from coachflow.journal.paths import default_journal_path
    from coachflow.practice import build_digest

    found = load_client(client_id)
    if output and output != "-":
        check_output(output, force=force)
    day = parse_day(week, "--week") or now_from_environment(client_id).date()
    display.detail(f"Reading the journal {default_journal_path(client_id)}")
    with open_journal(default_journal_path(client_id), mode="read", missing_ok=True) as journal:
        result = build_digest(found, journal.reader, day, is_win=win_judge(state, workflow_option))
    _emit(render("digest", result, output_format), output)


@builtin_command("note")
@display_options("Also say where the files it reads and writes are.")
@click.argument("text")
@click.option("--client", "--profile", "client_id", metavar="NAME", required=True, shell_complete=complete_profiles,
              envvar=["COACHFLOW_CLIENT", "COACHFLOW_PROFILE"], help="The client.")
@click.option("--week", metavar="DATE", help="A day of the week the note is about (default: today).")
def note(text: str, client_id: str, week: str | None) -> None:
    """The note belongs to the week of --week (default: this week)."""
    from coachflow.clients import ClientError, load_client
    from coachflow.journal import open_journal
    from coachflow.journal.paths import default_journal_path

    found = load_client(client_id)
    cleaned = " ".join(text.split())
    if not cleaned:
        raise ClientError("the note is empty")
    now = now_from_environment(client_id)
    day = parse_day(week, "--week") or now.date()
    display.detail(f"Journal: {default_journal_path(client_id)}")
    with open_journal(default_journal_path(client_id)) as journal:
        journal.add_note(cleaned, day=day, written_at=now)
    from coachflow.practice import week_of
    from coachflow.wording import human_date

    display.note(f"Noted for {found.display_name}, the week of {human_date(week_of(day)[0])}.")


def _emit(text: str, output: str | None) -> None:
    if not output or output == "-":
        echo(text, nl=not text.endswith("\n"))
        return
    from coachflow.files import write_whole

    with write_whole(output) as stream:
        stream.write(text)
    display.note(f"Wrote {output}.")
