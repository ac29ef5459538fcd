"""feedback-patterns: a theme is reported only once it recurs across applications."""

from __future__ import annotations

import datetime as dt

import pytest

from coachflow.errors import WorkflowError
from support import actions_of, feedback, only, open_journal, rejection, run, seed, stored, workflow

STEP = "feedback-patterns"
SHALLOW_SQL = "Your SQL answers lacked depth on window functions."


def kinds(result):
    return [action.kind for action in actions_of(result, STEP)]


def test_a_theme_mentioned_once_is_noted_but_not_reported(tmp_path):
    with open_journal(tmp_path) as journal:
        result = run(journal, feedback("2026-11-25", "Acme", SHALLOW_SQL))
    (note,) = actions_of(result, STEP)
    assert (note.kind, note.title) == ("message", "Noted: technical depth")
    assert "If technical depth comes up in 2 different applications" in note.body


def test_a_second_comment_from_the_same_application_is_not_a_pattern(tmp_path):
    with open_journal(tmp_path) as journal:
        seed(journal, feedback("2026-11-10", "Acme", SHALLOW_SQL, source="recruiter"))
        result = run(journal, feedback("2026-11-25", "Acme", "The system design part was shallow.",
                                       source="hiring manager"))
    assert "insight" not in kinds(result)


def test_the_pattern_appears_once_a_second_application_brings_the_theme(tmp_path):
    with open_journal(tmp_path) as journal:
        seed(journal, feedback("2026-10-02", "Acme", SHALLOW_SQL))
        result = run(journal, feedback("2026-11-25", "Beta", "Data modelling felt superficial.", role="BI Analyst"))
        (task_row,) = stored(journal, key="practice:skills")
    insight, task = actions_of(result, STEP)
    assert insight.kind == "insight"
    assert insight.title == "Technical depth came up in 2 different applications"
    assert '- 25 Nov, Beta (BI Analyst): "Data modelling felt superficial."' in insight.body
    assert '- 2 Oct, Acme (Data Analyst): "Your SQL answers lacked depth on window functions."' in insight.body
    assert task.kind == "task"
    assert task.title == "Practice focus: technical depth"
    assert task.due == dt.datetime(2026, 12, 9, 17, 30)
    assert task_row.status == "open"


def test_rejection_reasons_count_as_evidence_and_a_lone_reason_says_nothing(tmp_path):
    with open_journal(tmp_path) as journal:
        first = run(journal, rejection("2026-11-02", "Acme", reason="They wanted more SQL depth"),
                    now=dt.datetime(2026, 11, 2, 18, 0))
        second = run(journal, rejection("2026-11-25", "Beta", reason="Coding round was not strong enough"))
    assert actions_of(first, STEP) == []
    assert kinds(second) == ["insight", "task"]


def test_an_open_practice_focus_is_not_doubled(tmp_path):
    with open_journal(tmp_path) as journal:
        seed(journal, feedback("2026-11-01", "Acme", SHALLOW_SQL))
        run(journal, feedback("2026-11-20", "Beta", "Shallow on architecture."), now=dt.datetime(2026, 11, 20, 9, 0))
        result = run(journal, feedback("2026-11-25", "Gamma", "Algorithms need work."))
        assert [row.status for row in stored(journal, key="practice:skills")] == ["open"]
    (insight,) = actions_of(result, STEP)
    assert insight.title == "Technical depth came up in 3 different applications"
    assert "Practising it is already on your list (due Fri 4 Dec 2026)" in insight.body


def test_an_overdue_practice_focus_is_renewed_with_the_new_evidence(tmp_path):
    with open_journal(tmp_path) as journal:
        seed(journal, feedback("2026-10-01", "Acme", SHALLOW_SQL))
        run(journal, feedback("2026-10-05", "Beta", "Shallow on architecture."), now=dt.datetime(2026, 10, 5, 9, 0))
        result = run(journal, feedback("2026-11-25", "Gamma", "Algorithms need work."))
        statuses = [row.status for row in stored(journal, key="practice:skills")]
    # the old focus was long overdue: marked missed before the steps ran, then a fresh one
    assert statuses == ["missed", "open"]
    assert kinds(result) == ["insight", "task"]


def test_coach_themes_extend_the_defaults(tmp_path):
    options = (
        'extra_themes = { "stakeholder management" = ["stakeholder*", "expectation setting"] }\n'
        "min_applications = 3\n"
    )
    with open_journal(tmp_path) as journal:
        seed(journal,
             feedback("2026-10-01", "Acme", "Stakeholders felt unheard."),
             feedback("2026-10-20", "Beta", "Work on expectation setting."))
        result = run(journal, feedback("2026-11-25", "Gamma", "Managing stakeholders was the gap."), only(STEP, options))
    insight, task = actions_of(result, STEP)
    assert insight.title == "Stakeholder management came up in 3 different applications"
    assert task.body.startswith("Choose one concrete way to practise stakeholder management and do it twice "
                                "before Wed 9 Dec 2026.")


def test_setting_themes_replaces_the_defaults(tmp_path):
    options = 'themes = { "portfolio" = ["portfolio"] }\n'
    with open_journal(tmp_path) as journal:
        seed(journal, feedback("2026-10-01", "Acme", SHALLOW_SQL))
        result = run(journal, feedback("2026-11-25", "Beta", "Your SQL depth was lacking."), only(STEP, options))
    assert actions_of(result, STEP) == []


def test_a_threshold_of_one_is_refused_because_one_comment_is_not_a_pattern():
    with pytest.raises(WorkflowError) as caught:
        workflow(only(STEP, "min_applications = 1\n"))
    assert "steps[1].with.min_applications: must be 2 or more, not 1" in caught.value.lines()[0]


def test_old_feedback_outside_the_lookback_does_not_count(tmp_path):
    with open_journal(tmp_path) as journal:
        seed(journal, feedback("2026-01-10", "Acme", SHALLOW_SQL))
        result = run(journal, feedback("2026-11-25", "Beta", "Shallow on architecture."),
                     only(STEP, "lookback_days = 180\n"))
    assert kinds(result) == ["message"]


def test_more_feedback_from_an_application_already_counted_does_not_repeat_the_report(tmp_path):
    with open_journal(tmp_path) as journal:
        seed(journal, feedback("2026-10-01", "Acme", SHALLOW_SQL), feedback("2026-10-20", "Beta", "Shallow answers."))
        result = run(journal, feedback("2026-11-25", "Beta", "Also weak on algorithms."))
    assert actions_of(result, STEP) == []


def test_a_coach_practice_idea_for_one_theme_keeps_the_defaults_for_the_others(tmp_path):
    options = '[steps.with.practice_ideas]\n"salary" = "Ask two peers what they earn."\n'
    with open_journal(tmp_path) as journal:
        seed(journal, feedback("2026-10-01", "Acme", SHALLOW_SQL))
        result = run(journal, feedback("2026-11-25", "Beta", "Shallow on architecture."), only(STEP) + "\n" + options)
    task = actions_of(result, STEP)[-1]
    assert task.body.startswith("Pick one piece of work you know well and explain it end to end")


def test_the_evidence_lists_each_application_once_with_its_latest_words(tmp_path):
    with open_journal(tmp_path) as journal:
        seed(journal,
             rejection("2026-09-29", "Acme", reason="A candidate with stronger SQL"),
             feedback("2026-09-30", "Acme", SHALLOW_SQL, role=""))
        result = run(journal, feedback("2026-11-25", "Beta", "Shallow on architecture.", role="BI Analyst"),
                     only(STEP, "max_evidence = 1\n"))
    insight = actions_of(result, STEP)[0]
    assert insight.body.splitlines()[:2] == [
        '- 25 Nov, Beta (BI Analyst): "Shallow on architecture."',
        "- and 1 earlier application",
    ]


def test_an_application_with_several_mentions_shows_how_many(tmp_path):
    with open_journal(tmp_path) as journal:
        seed(journal,
             rejection("2026-09-29", "Acme", reason="A candidate with stronger SQL"),
             feedback("2026-09-30", "Acme", SHALLOW_SQL, role=""))
        result = run(journal, feedback("2026-11-25", "Beta", "Shallow on architecture.", role="BI Analyst"))
    assert ('- 30 Sep, Acme: "Your SQL answers lacked depth on window functions." (and 1 earlier mention)'
            in actions_of(result, STEP)[0].body)
