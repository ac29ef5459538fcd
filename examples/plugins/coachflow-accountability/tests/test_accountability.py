"""Tests of the accountability-nudge step, written with coachflow's pytest fixtures."""

import datetime as dt

import pytest

import coachflow_accountability
from coachflow.errors import WorkflowError
from coachflow.plugin.host import build_host

WORKFLOW = """
[workflow]
name = "Accountable"

[[steps]]
uses = "accountability-nudge"
with.partner = "Sam"
"""

REJECTION = {"type": "rejection", "company": "Acme", "role": "Data Analyst", "stage": "interview"}


@pytest.fixture
def coachflow_plugins():
    return [coachflow_accountability]


def test_a_rejection_drafts_a_message_to_the_partner_and_sets_a_check_in(run_workflow, coachflow_now):
    result = run_workflow(WORKFLOW, REJECTION)

    assert result.errors == []
    assert result.cancelled == []
    draft, reminder = result.actions
    assert draft.kind == "draft"
    assert draft.title == "Message to Sam about Acme"
    assert draft.body.startswith("Hi Sam, a quick update on my search: Data Analyst at Acme said no after "
                                 "the interview stage.")
    assert "by Thu 19 Mar 2026 I will send two new applications" in draft.body
    assert reminder.kind == "reminder"
    assert reminder.title == "Check in with Sam: did you send two new applications?"
    assert reminder.due == coachflow_now + dt.timedelta(days=3)


def test_options_change_the_promise_and_the_date(run_workflow):
    workflow = {"steps": [{"uses": "accountability-nudge",
                           "with": {"partner": "Ana", "commitment": "practise two case studies", "check_in_days": 7}}]}

    result = run_workflow(workflow, REJECTION)

    assert "by Mon 23 Mar 2026 I will practise two case studies" in result.actions[0].body
    assert result.actions[1].due.date() == dt.date(2026, 3, 23)


def test_a_second_rejection_keeps_the_check_in_already_agreed(run_workflow, coachflow_journal, coachflow_now):
    run_workflow(WORKFLOW, REJECTION)
    next_day = coachflow_now + dt.timedelta(days=1)

    result = run_workflow(WORKFLOW, {**REJECTION, "company": "Beta", "date": next_day.date().isoformat()},
                          now=next_day)

    assert [a.kind for a in result.actions] == ["draft"]
    assert "by Thu 19 Mar 2026" in result.actions[0].body
    assert len(coachflow_journal.reader.actions(status="open", key="accountability:sam")) == 1


def test_recording_the_check_in_closes_the_reminder(run_workflow, coachflow_journal):
    run_workflow(WORKFLOW, REJECTION)

    result = run_workflow(WORKFLOW, {"type": "milestone", "kind": "partner-check-in"})

    assert result.actions[0].kind == "celebration"
    assert result.cancelled == ["accountability:sam"]
    assert coachflow_journal.reader.actions(status="open", key="accountability:sam") == []


def test_other_milestones_get_nothing(run_workflow):
    result = run_workflow(WORKFLOW, {"type": "milestone", "kind": "applied", "company": "Gamma"})

    assert result.actions == []


def test_a_check_in_just_past_is_replaced_by_a_new_one(run_workflow, coachflow_journal, coachflow_now):
    run_workflow(WORKFLOW, REJECTION)
    later = coachflow_now + dt.timedelta(days=4)  # a day past the check-in: still open, so the step replaces it

    result = run_workflow(WORKFLOW, {**REJECTION, "company": "Beta", "date": later.date().isoformat()}, now=later)

    assert result.cancelled == ["accountability:sam"]
    open_check_ins = coachflow_journal.reader.actions(status="open", key="accountability:sam")
    assert [stored.action.due for stored in open_check_ins] == [later + dt.timedelta(days=3)]


def test_a_check_in_long_missed_is_marked_missed_and_a_new_one_set(run_workflow, coachflow_journal, coachflow_now):
    run_workflow(WORKFLOW, REJECTION)
    much_later = coachflow_now + dt.timedelta(days=10)

    result = run_workflow(WORKFLOW, {**REJECTION, "company": "Beta", "date": much_later.date().isoformat()},
                          now=much_later)

    # coachflow marks a reminder long past its time as missed before the steps run (the
    # workflow's missed_after_days), so the step finds nothing open to replace.
    assert result.missed == ["Check in with Sam: did you send two new applications?"]
    assert result.cancelled == []
    statuses = {stored.status: stored.action.due for stored in coachflow_journal.reader.actions(key="accountability:sam")}
    assert statuses == {"missed": coachflow_now + dt.timedelta(days=3), "open": much_later + dt.timedelta(days=3)}


def test_history_seeded_in_the_journal_is_what_the_step_sees(run_workflow, coachflow_journal):
    coachflow_journal.seed({"type": "milestone", "kind": "applied", "company": "Acme", "role": "Data Analyst",
                            "date": "2026-03-02"})

    run_workflow(WORKFLOW, REJECTION)

    assert [e.type for e in coachflow_journal.reader.events()] == ["milestone", "rejection"]


def test_the_partner_is_required(run_workflow):
    with pytest.raises(WorkflowError, match=r"steps\[1\]\.with\.partner: required, but missing"):
        run_workflow('[[steps]]\nuses = "accountability-nudge"\n', REJECTION)


def test_the_check_in_must_be_within_a_month(run_workflow):
    with pytest.raises(WorkflowError, match=r"steps\[1\]\.with\.check_in_days: must be 30 or less, not 90"):
        run_workflow(WORKFLOW + "with.check_in_days = 90\n", REJECTION)


def test_the_command_line_explains_the_step(coachflow_cli):
    result = coachflow_cli("steps", "accountability-nudge")

    assert result.exit_code == 0, result.output
    assert "accountability-nudge" in result.stdout
    assert "check_in_days" in result.stdout


def test_the_command_line_runs_it(coachflow_cli, tmp_path):
    workflow = tmp_path / "coachflow.toml"
    workflow.write_text(WORKFLOW, encoding="utf-8")

    result = coachflow_cli("run", "rejection", "--company", "Acme", "--stage", "screen", "-w", str(workflow))

    assert result.exit_code == 0, result.output
    assert "Draft: Message to Sam about Acme" in result.stdout
    assert "Reminder: Check in with Sam" in result.stdout


def test_the_installed_distribution_is_found_through_its_entry_point():
    host = build_host()

    plugin = host.plugin("accountability")
    assert plugin is not None, "install the distribution first: pip install -e ."
    assert (plugin.source, plugin.status, plugin.version) == ("entry point", "ok", "0.1.0")
    assert plugin.steps == ["accountability-nudge"]
    assert plugin.milestone_kinds == ["partner-check-in"]
