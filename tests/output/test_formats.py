"""coachflow.output: one registry of formats, which every command's --format comes from."""

from __future__ import annotations

import importlib
import inspect
import json
import types

import click
import pytest
from click.testing import CliRunner

from coachflow import output
from coachflow.cli import BUILTIN_COMMANDS, cli

#: The kind of thing each command with --format prints.
COMMAND_KINDS = {"run": "run", "status": "status", "due": "due", "history": "history", "steps": "steps",
                 "plugins": "plugins", "report": "report", "validate": "validate", "done": "done",
                 "import": "imported", "path": "paths", "digest": "digest", "test": "tests", "preview": "preview",
                 "kinds": "kinds"}


def test_each_format_module_renders_exactly_the_kinds_the_registry_says():
    kinds = {kind for format in output.FORMATS.values() for kind in format.kinds}
    for name, format in output.FORMATS.items():
        module = importlib.import_module(f"coachflow.output.{name}")
        offered = {kind for kind in kinds if inspect.isfunction(getattr(module, kind, None))
                   and getattr(module, kind).__module__ == module.__name__}
        assert offered == set(format.kinds), name


def test_every_command_offers_the_formats_that_render_what_it_prints():
    ctx = click.Context(cli)
    for command_name, kind in COMMAND_KINDS.items():
        command = cli.get_command(ctx, command_name)
        (option,) = [p for p in command.params if p.name == "output_format"]
        if command_name == "import":  # a text option, to explain where its old '--format csv' went
            assert option.metavar == f"[{'|'.join(output.choices(kind))}]" and option.help == output.help_for(kind)
            continue
        assert tuple(option.type.choices) == output.choices(kind), command_name
    assert output.choices("run") == ("text", "markdown", "json")
    assert output.choices("report") == ("markdown", "html", "json")
    assert output.choices("status") == ("text", "json")


def test_no_other_command_has_a_format_of_its_own_making():
    ctx = click.Context(cli)
    for name in BUILTIN_COMMANDS:
        command = cli.get_command(ctx, name)
        formats = [p for p in command.params if p.name == "output_format"]
        if name not in COMMAND_KINDS:  # export and import speak file formats (jsonl, csv), not output formats
            assert not formats or set(formats[0].type.choices) <= {"jsonl", "csv", "json"}, name


def test_the_help_of_format_comes_from_the_registry():
    result = CliRunner().invoke(cli, ["status", "--help"], terminal_width=200)
    assert "text for people, json for programs." in result.output
    assert output.help_for("report") == "markdown for notes and email, html for a page to keep or send, json for programs."


@pytest.mark.parametrize(("name", "expected"), [
    ("march.html", "html"), ("March.HTM", "html"), ("notes.md", "markdown"), ("data.json", "json"),
    ("report.txt", "markdown"), ("folder.html/report", "markdown"),
])
def test_a_file_name_asks_for_a_format_by_its_extension(name, expected):
    assert output.format_for_file("report", name, "markdown") == expected


def test_a_format_that_cannot_render_a_kind_says_which_can():
    with pytest.raises(LookupError, match="'html' cannot render 'status'; use one of text, json"):
        output.render("status", None, "html")


def test_adding_a_format_is_one_module_and_one_entry(monkeypatch):
    from coachflow.output.json import status_to_dict

    module = types.ModuleType("coachflow.output.lines")
    module.status = lambda status, view: "".join(f"{key}={value}\n" for key, value in status_to_dict(status).items()
                                                 if not isinstance(value, (dict, list)))
    monkeypatch.setitem(importlib.sys.modules, "coachflow.output.lines", module)
    monkeypatch.setitem(output.FORMATS, "lines", output.Format("lines", "for grep", ("status",)))

    from coachflow.journal import IN_MEMORY, open_journal
    from coachflow.report.views import build_status
    from support import NOW

    with open_journal(IN_MEMORY) as journal:
        status = build_status(journal.reader, now=NOW)
    assert output.choices("status") == ("text", "json", "lines")
    assert output.render("status", status, "lines") == "today=2026-11-25\ndue=0\n"
    assert json.loads(output.render("status", status, "json"))["today"] == "2026-11-25"


def test_a_coachs_board_clients_and_client_offer_the_registry_s_formats():
    ctx = click.Context(cli)
    for group, name, kind in (("clients", "board", "board"), ("client", "list", "clients"), ("client", "show", "client")):
        command = cli.get_command(ctx, group).get_command(ctx, name)
        (option,) = [p for p in command.params if p.name == "output_format"]
        assert tuple(option.type.choices) == output.choices(kind), (group, name)
    assert output.choices("board") == ("text", "markdown", "html", "json")
    assert output.choices("digest") == ("text", "markdown", "html")
