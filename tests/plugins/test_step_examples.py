"""The shipped examples and the default workflow: they validate, they run, they tell the story."""

from __future__ import annotations

import csv
import datetime as dt
import json
import tomllib

import pytest
from click.testing import CliRunner

from coachflow.cli import cli
from coachflow.models import event_from_dict, event_to_dict
from coachflow.plugins import BUILTIN_PLUGINS
from coachflow.themes import recurring_themes
from support import EXAMPLES, open_journal, registry, seed, workflow

#: The example workflows; their test files (NAME.test.toml) sit beside them.
WORKFLOWS = sorted(p for p in (EXAMPLES / "workflows").glob("*.toml") if not p.name.endswith(".test.toml"))
EVENTS = sorted((EXAMPLES / "events").glob("*.toml"))
METHOD_ORDER = [
    "allow-disappointment",
    "request-feedback",
    "feedback-patterns",
    "analyze-control",
    "maintain-momentum",
    "celebrate-wins",
]


def invoke(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def example_journal_rows():
    lines = (EXAMPLES / "journal" / "events.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


def test_the_examples_are_all_there():
    assert [p.name for p in WORKFLOWS] == ["custom-coach.toml", "full-method.toml", "minimal.toml"]
    assert [p.name for p in EVENTS] == ["feedback.toml", "milestone.toml", "rejection.toml"]


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_every_example_workflow_validates(path):
    from coachflow.workflow import load_workflow

    assert load_workflow(path, registry()).steps


def test_all_example_workflows_validate_with_the_command():
    result = invoke("validate", *WORKFLOWS)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        f"{WORKFLOWS[0]}: ok, workflow 'Analytics clients (Rowan's version)' with 8 steps",
        f"{WORKFLOWS[1]}: ok, workflow 'Full method' with 6 steps",
        f"{WORKFLOWS[2]}: ok, workflow 'Minimal' with 2 steps",
    ]


@pytest.mark.parametrize("path", EVENTS, ids=lambda p: p.name)
@pytest.mark.parametrize("history", [False, True], ids=["new-journal", "example-journal"])
def test_every_example_event_runs_with_the_default_workflow(tmp_path, path, history):
    if history:
        with open_journal(tmp_path) as journal:
            seed(journal, *example_journal_rows())
    result = invoke("run", "--event", path, "--journal", tmp_path / "journal.sqlite3")
    assert result.exit_code == 0, result.output
    event = tomllib.loads(path.read_text(encoding="utf-8"))
    assert result.output.startswith(f"{event['type'].capitalize()}: ")
    assert event["company"] in result.output
    assert "failed" not in result.output


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_every_example_event_runs_with_every_example_workflow(tmp_path, path):
    for event in EVENTS:
        result = invoke("run", "--event", event, "-w", path, "--journal", tmp_path / "journal.sqlite3")
        assert result.exit_code == 0, result.output


def test_the_example_rejection_on_the_example_journal_shows_pattern_momentum_and_wins(tmp_path):
    with open_journal(tmp_path) as journal:
        seed(journal, *example_journal_rows())
    result = invoke("run", "--event", EXAMPLES / "events" / "rejection.toml", "--journal", tmp_path / "journal.sqlite3")
    assert "Pattern: Technical depth came up in 3 different applications" in result.output
    # a final-round no: no demand for more applications that day
    assert "To do: Send" not in result.output
    assert "Note: Perspective: 12 noes from 17 applications" in result.output
    assert "Win: Remember your recent wins" in result.output


def test_the_example_journal_is_in_the_agreed_jsonl_format():
    for number, row in enumerate(example_journal_rows(), start=1):
        event = event_from_dict(row, where=f"events.jsonl:{number}: ")
        assert list(event_to_dict(event).items()) == list(row.items()), f"line {number}"


def test_the_csv_holds_the_same_events_as_the_jsonl():
    with (EXAMPLES / "journal" / "events.csv").open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == "type,date,company,role,stage,kind,reason,source,text,notes".split(",")
        from_csv = [event_from_dict(row) for row in reader]
    assert from_csv == [event_from_dict(row) for row in example_journal_rows()]


def test_the_example_journal_tells_a_three_month_story(tmp_path):
    rows = example_journal_rows()
    events = [event_from_dict(row) for row in rows]
    dates = [event.date for event in events]
    assert 35 <= len(events) <= 45
    assert dates == sorted(dates)
    assert (max(dates) - min(dates)) >= dt.timedelta(days=80)
    assert {e.stage for e in events if e.type == "rejection"} >= {"application", "screen", "interview", "final"}
    assert {e.kind for e in events if e.type == "milestone"} >= {
        "applied", "good-conversation", "interview-invitation", "positive-feedback"}
    with open_journal(tmp_path) as journal:
        seed(journal, *rows)
        (theme,) = recurring_themes(journal.reader)
    assert theme.theme == "technical depth"
    assert theme.companies == ["Acme Analytics", "Iris Travel"]


def test_the_default_workflow_runs_the_six_steps_in_the_order_of_the_method():
    assert [step.uses for step in workflow().steps] == METHOD_ORDER
    assert [name.rsplit(".", 1)[1].replace("_", "-") for name in BUILTIN_PLUGINS] == METHOD_ORDER


def test_init_writes_the_default_workflow_with_every_option(tmp_path):
    target = tmp_path / "coachflow.toml"
    result = invoke("init", target)
    assert result.exit_code == 0, result.output
    data = tomllib.loads(target.read_text(encoding="utf-8"))
    assert [step["uses"] for step in data["steps"]] == METHOD_ORDER
    assert data["steps"][2]["with"]["themes"]["technical depth"][:2] == ["technical depth", "depth"]
    assert invoke("validate", target).exit_code == 0
