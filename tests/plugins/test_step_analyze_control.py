"""analyze-control: what was outside the person's control, what was inside, and tasks for the latter."""

from __future__ import annotations

import datetime as dt

import pytest

from coachflow.engine import WorkflowRunner
from coachflow.models import event_from_dict
from coachflow.themes import tag_text
from support import NOW, actions_of, only, open_journal, rejection, run, workflow

STEP = "analyze-control"


def analyse(tmp_path, toml=None, **fields):
    tmp_path.mkdir(exist_ok=True)
    with open_journal(tmp_path) as journal:
        return actions_of(run(journal, rejection("2026-11-25", "Acme", **fields), toml), STEP)


@pytest.mark.parametrize(
    ("reason", "named"),
    [
        ("We decided to go with an internal candidate", "an internal candidate"),
        ("The budget for the role was cut", "a budget decision"),
        ("There is a hiring freeze until spring", "a hiring freeze"),
        ("We went with someone with more experience", "someone with more experience"),
        ("The position has been filled", "the role being cancelled or no longer open"),
        ("The role was cancelled after the reorg", "the role being cancelled or no longer open and a reorganisation"),
        ("Your salary expectations are above our range", "a salary band"),
    ],
)
def test_reasons_outside_the_persons_control_get_the_honest_answer_nothing_here(tmp_path, reason, named):
    (answer,) = analyse(tmp_path, reason=reason)
    assert answer.kind == "message"
    assert answer.title == "Likely nothing you could have done differently at Acme"
    assert answer.body.startswith(f'Acme said: "{reason}". That points to {named}, which is outside your control')
    assert 'the honest answer to "what could I have done differently?" is: nothing here' in answer.body
    # a freeze or a budget is not a question of fit: nothing is added that the company didn't say
    assert "fit" not in answer.body


def test_a_reason_inside_the_persons_control_becomes_the_question_and_dated_tasks(tmp_path):
    prompt, *tasks = analyse(tmp_path, reason="Your CV didn't show SQL skills and you seemed unprepared")
    assert prompt.kind == "prompt"
    assert prompt.title == "What could you have done differently at Acme?"
    assert "points to application quality, skills and interview preparation, which you can work on" in prompt.body
    assert [task.title for task in tasks] == [
        "Work on application quality (from Acme)",
        "Work on SQL (from Acme)",
        "Work on interview preparation (from Acme)",
    ]
    assert {task.due for task in tasks} == {dt.datetime(2026, 12, 2, 17, 30)}
    assert "not the right fit" not in prompt.body


def test_a_mixed_reason_lets_go_of_one_part_and_works_on_the_other(tmp_path):
    prompt, task = analyse(tmp_path, reason="An internal candidate, and you could have used a referral")
    assert prompt.body.startswith("Part of this was outside your control (an internal candidate): let that part go. "
                                  "Part of it you can work on: networking.")
    assert task.title == "Work on networking (from Acme)"


def test_the_persons_own_notes_count_too(tmp_path):
    prompt, task = analyse(tmp_path, notes="I was nervous and rambled in the case study")
    assert task.title == "Work on interview preparation (from Acme)"


@pytest.mark.parametrize(
    ("stage", "hint"),
    [
        ("application", "the part most worth checking is how closely your CV speaks to this kind of ad"),
        ("final", "Reaching the final round means they saw you as a real option"),
    ],
)
def test_no_reason_asks_the_question_and_allows_that_it_was_not_the_right_fit(tmp_path, stage, hint):
    (prompt,) = analyse(tmp_path, stage=stage)
    assert prompt.title == "What could you have done differently at Acme?"
    assert prompt.body.startswith("Acme didn't say why, which is common.")
    assert "sometimes it simply was not the right fit" in prompt.body
    assert hint in prompt.body


def test_an_unrecognised_reason_is_quoted(tmp_path):
    (prompt,) = analyse(tmp_path, reason="We are not moving forward at this time")
    assert prompt.body.startswith('Acme said: "We are not moving forward at this time", which doesn\'t show what '
                                  "tipped it.")


def test_a_coach_adds_reasons_and_tasks_and_keeps_the_defaults(tmp_path):
    options = (
        '[steps.with.extra_outside_reasons]\n"a visa they could not sponsor" = ["visa", "sponsor*"]\n'
        '[steps.with.extra_inside_reasons]\n"case studies" = ["case studies"]\n'
        '[steps.with.practice_tasks]\n"case studies" = "Write up one project as a one-page case study."\n'
    )
    toml = only(STEP) + "\n" + options
    (answer,) = analyse(tmp_path / "1", toml, reason="We can't sponsor a visa for this role")
    assert "points to a visa they could not sponsor" in answer.body
    (answer,) = analyse(tmp_path / "2", toml, reason="An internal candidate got it")
    assert "points to an internal candidate" in answer.body
    _, cases, skills = analyse(tmp_path / "3", toml, reason="Not enough case studies, and weak skills")
    assert (cases.title, cases.body) == ("Work on case studies (from Acme)", "Write up one project as a one-page case study.")
    assert skills.body.startswith("Name the one skill this process showed you need most")


def test_setting_the_outside_reasons_replaces_the_defaults(tmp_path):
    toml = only(STEP) + '\n[steps.with.outside_reasons]\n"a visa they could not sponsor" = ["visa"]\n'
    (prompt,) = analyse(tmp_path, toml, reason="An internal candidate got it")
    assert prompt.kind == "prompt"


def only_step(tmp_path, reason):
    """What analyze-control alone says, as `coachflow run --dry-run` shows it."""
    with open_journal(tmp_path) as journal:
        result = WorkflowRunner(workflow(only(STEP))).run(
            event_from_dict(rejection("2026-11-25", "Acme", reason=reason)), journal=journal, now=NOW, dry_run=True)
        assert journal.reader.count() == 0
    return actions_of(result, STEP)


def test_how_answers_came_across_is_interview_preparation_as_feedback_patterns_sees_communication(tmp_path):
    reason = "Your answers were too long and unclear"
    assert tag_text(reason) == ["communication"]
    prompt, task = only_step(tmp_path, reason)
    assert prompt.body.startswith("The reason Acme gave points to interview preparation, which you can work on.")
    assert task.title == "Work on interview preparation (from Acme)"


def test_a_denied_cause_is_not_something_to_work_on(tmp_path):
    (answer,) = only_step(tmp_path, "Nothing to do with your skills, we hired internally")
    assert answer.kind == "message"
    assert "That points to an internal candidate, which is outside your control" in answer.body


@pytest.mark.parametrize("reason", ["we needed more experience with Tableau", "You need more experience in Python"])
def test_more_experience_with_a_tool_is_a_skill_to_build_not_a_rival(tmp_path, reason):
    prompt, task = only_step(tmp_path, reason)
    assert prompt.body.startswith("The reason Acme gave points to skills, which you can work on.")
    assert "outside your control" not in prompt.body
    tool = reason.split()[-1]
    assert task.title == f"Work on {tool} (from Acme)"
    assert f"This process showed you need more {tool}." in task.body


@pytest.mark.parametrize("reason, field", [
    ("We are looking for someone with more experience in publishing data", "publishing data"),
    ("They chose a candidate with more experience in the games industry", "games industry"),
    ("You'd need more experience with enterprise clients for this role", "enterprise clients"),
])
def test_more_experience_in_a_field_is_outside_control_and_named_as_background_not_practice(tmp_path, reason, field):
    (answer,) = only_step(tmp_path, reason)
    assert answer.kind == "message"
    assert answer.title == "Likely nothing you could have done differently at Acme"
    assert "That points to someone with more experience, which is outside your control" in answer.body
    assert (f"Experience in {field} is background that builds over time, through the work you take on; "
            "it isn't something to practise this week.") in answer.body
    assert "practice sessions" not in answer.body


def test_a_field_and_a_skill_in_one_reason_give_the_skill_as_the_task_and_the_field_as_background(tmp_path):
    prompt, task = only_step(tmp_path, "We wanted more experience in the travel industry and your SQL was weak")
    assert prompt.body.startswith("Part of this was outside your control (someone with more experience)")
    assert "Experience in travel industry is background" in prompt.body
    assert task.title == "Work on SQL (from Acme)"


@pytest.mark.parametrize("reason", ["The position was filled internally", "We filled the role internally",
                                    "The role has been filled by an internal candidate"])
def test_a_role_filled_internally_is_named_once(tmp_path, reason):
    (answer,) = only_step(tmp_path, reason)
    assert "That points to an internal candidate, which is outside your control" in answer.body


def test_a_long_unrecognised_reason_is_quoted_shortened(tmp_path):
    reason = "We are not moving forward at this time. " + "Thank you for your time with the team. " * 250
    (prompt,) = only_step(tmp_path, reason)
    assert prompt.body.startswith('Acme said: "We are not moving forward at this time. ...", which doesn\'t show')
    unbroken = "x" * 10_000
    (prompt,) = only_step(tmp_path, unbroken)
    quoted = prompt.body.split('"')[1]
    assert quoted.endswith("...") and len(quoted) < 120
