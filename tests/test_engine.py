"""The engine: step order, on/when skipping, error isolation, journal writes."""

from __future__ import annotations

import datetime as dt

import pytest

from coachflow.engine import WorkflowRunner, run_workflow
from coachflow.journal import Journal
from coachflow.models import Feedback, Milestone, Rejection

from helpers import workflow

NOW = dt.datetime(2026, 11, 25, 17, 30)
REJECTION = Rejection(company="Acme", role="Data Analyst", stage="interview", date=NOW.date())


def test_steps_run_in_the_order_of_the_file():
    flow = workflow("""
[workflow]
name = "order"
[[steps]]
uses = "echo"
id = "third-listed-first"
with.label = "one"
[[steps]]
uses = "echo"
id = "second"
with.label = "two"
[[steps]]
uses = "echo"
id = "alpha"
with.label = "three"
""")
    result = run_workflow(flow, REJECTION, now=NOW)
    assert [a.title for a in result.actions] == ["one: rejection", "two: rejection", "three: rejection"]
    assert [a.step for a in result.actions] == ["third-listed-first", "second", "alpha"]
    assert result.ran == ["third-listed-first", "second", "alpha"]


def test_on_and_when_skip_steps_and_say_why():
    flow = workflow("""
[workflow]
name = "skips"
[[steps]]
uses = "echo"
id = "feedback-only"
on = ["feedback"]
[[steps]]
uses = "echo"
id = "late-stages"
when = { stage = ["final", "offer"] }
[[steps]]
uses = "echo"
id = "acme-interviews"
when = { stage = "interview", company = "ACME" }
""")
    result = run_workflow(flow, REJECTION, now=NOW)
    assert result.ran == ["acme-interviews"]
    skipped = {s.step: (s.reason, s.detail) for s in result.skipped}
    assert skipped["feedback-only"] == ("on", "runs on feedback, not rejection")
    assert skipped["late-stages"] == ("when", "stage is interview, not final or offer")


def test_a_failing_step_does_not_stop_the_others():
    flow = workflow("""
[workflow]
name = "isolation"
[[steps]]
uses = "explode"
[[steps]]
uses = "garbage"
[[steps]]
uses = "echo"
""")
    result = run_workflow(flow, REJECTION, now=NOW)
    assert [a.step for a in result.actions] == ["echo"]
    errors = {e.step: e.error for e in result.errors}
    assert errors["explode"] == "RuntimeError: the step broke"
    assert errors["garbage"] == "returned 42, which is not an action (coachflow.Action)"
    assert not result.ok


def test_on_error_stop_ends_the_run_at_the_first_failure():
    flow = workflow("""
[workflow]
name = "fail fast"
[settings]
on_error = "stop"
[[steps]]
uses = "explode"
[[steps]]
uses = "echo"
""")
    result = run_workflow(flow, REJECTION, now=NOW)
    assert result.actions == []
    assert [e.step for e in result.errors] == ["explode"]
    assert result.ran == []


def test_a_step_past_its_time_limit_is_reported_and_left_behind():
    flow = workflow("""
[workflow]
name = "slow"
[settings]
step_timeout = 0.2
[[steps]]
uses = "sleepy"
[[steps]]
uses = "echo"
""")
    result = run_workflow(flow, REJECTION, now=NOW)
    assert [e.step for e in result.errors] == ["sleepy"]
    assert "took longer than 0.2 seconds" in result.errors[0].error
    assert [a.step for a in result.actions] == ["echo"]


def test_event_is_in_the_journal_before_steps_run_and_actions_after(tmp_path):
    flow = workflow("""
[workflow]
name = "journal"
[[steps]]
uses = "count-rejections"
""")
    with Journal.open(tmp_path / "j.sqlite3") as journal:
        runner = WorkflowRunner(flow)
        first = runner.run(REJECTION, journal=journal, now=NOW)
        second = runner.run(REJECTION, journal=journal, now=NOW)
        assert first.actions[0].title == "1 rejections so far"
        assert second.actions[0].title == "2 rejections so far"
        stored = journal.reader.actions()
        assert [(s.event_id, s.action.step, s.workflow) for s in stored] == [
            (first.event_id, "count-rejections", "journal"),
            (second.event_id, "count-rejections", "journal"),
        ]


def test_dry_run_sees_the_event_but_keeps_nothing(tmp_path):
    flow = workflow("""
[workflow]
name = "dry"
[[steps]]
uses = "count-rejections"
""")
    with Journal.open(tmp_path / "j.sqlite3") as journal:
        result = WorkflowRunner(flow).run(REJECTION, journal=journal, now=NOW, dry_run=True)
        assert result.actions[0].title == "1 rejections so far"
        assert journal.reader.count() == 0
        assert journal.reader.actions() == []


def test_replay_records_every_event_and_its_actions(tmp_path):
    flow = workflow("""
[workflow]
name = "replay"
[[steps]]
uses = "echo"
""")
    events = [
        Milestone(kind="applied", company=f"Company {i}", role="Analyst", date=dt.date(2026, 1, 1) + dt.timedelta(days=i))
        for i in range(25)
    ]
    with Journal.open(tmp_path / "j.sqlite3") as journal:
        results = list(WorkflowRunner(flow).replay(events, journal, now=NOW, batch_size=10))
        assert len(results) == 25
        assert journal.reader.count("milestone", kind="applied") == 25
        assert len(journal.reader.actions()) == 25
        assert len(journal.reader.open_applications()) == 25


@pytest.mark.parametrize(
    "event",
    [
        Feedback(company="Acme", text="Answers lacked depth", date=NOW.date()),
        Milestone(kind="interview-invitation", company="Beta", date=NOW.date()),
    ],
)
def test_each_event_type_reaches_its_hook(event):
    flow = workflow("""
[workflow]
name = "all"
[[steps]]
uses = "echo"
""")
    result = run_workflow(flow, event, now=NOW)
    assert [a.title for a in result.actions] == [f"echo: {event.type}"]
    assert result.actions[0].body == f"Hello {event.company}"
