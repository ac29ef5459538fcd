"""Event fields are declared once, in coachflow.models, and the CSV columns and run's options follow."""

from __future__ import annotations

import attrs
import click
from click.testing import CliRunner

from coachflow.cli import cli
from coachflow.journal.io import CSV_COLUMNS
from coachflow.models import EVENT_CLASSES, EVENT_FIELDS, event_types_with, field_help


def test_every_field_of_every_event_class_is_declared_with_what_it_holds():
    declared = {field.name for cls in EVENT_CLASSES.values() for field in attrs.fields(cls)}
    assert declared == set(EVENT_FIELDS)
    assert all(text.endswith(".") for text in EVENT_FIELDS.values())


def test_the_csv_header_is_the_type_and_the_declared_fields():
    assert CSV_COLUMNS == ("type", *EVENT_FIELDS)
    assert ",".join(CSV_COLUMNS) == "type,date,company,role,stage,kind,reason,source,text,notes"


def test_run_has_one_option_per_field_with_its_help():
    command = cli.get_command(click.Context(cli), "run")
    options = [p.name for p in command.params if isinstance(p, click.Option)]
    assert options[:len(EVENT_FIELDS)] == list(EVENT_FIELDS)
    assert event_types_with("stage") == ("rejection",)
    assert field_help("stage") == ("Rejection: where it ended: application (the default), screen, interview, final "
                                   "or offer.")
    assert field_help("company") == "The company the event is about."
    result = CliRunner().invoke(cli, ["run", "--help"], terminal_width=200)
    assert "--text TEXT" in result.output and "Feedback: what was said." in result.output


def test_every_backend_keeps_the_declared_fields_and_a_spreadsheet_needs_those_every_event_has(tmp_path):
    import sqlite3

    from coachflow.journal import open_journal
    from coachflow.journal.base import EVENT_COLUMNS
    from coachflow.journal.io import REQUIRED_CSV_COLUMNS

    assert EVENT_COLUMNS == CSV_COLUMNS
    with open_journal(tmp_path / "j.sqlite3"):
        pass
    stored = {row[1] for row in sqlite3.connect(tmp_path / "j.sqlite3").execute("PRAGMA table_info(events)")}
    assert set(EVENT_COLUMNS) <= stored
    assert REQUIRED_CSV_COLUMNS == ("date", "type", "company", "role")
