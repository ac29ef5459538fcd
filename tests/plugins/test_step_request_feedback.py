"""request-feedback: one polite request, honest expectations, one follow-up at most."""

from __future__ import annotations

import datetime as dt

import pytest

from coachflow.errors import WorkflowError
from support import actions_of, feedback, only, open_journal, rejection, run, stored, workflow

STEP = "request-feedback"
KEY = "feedback-follow-up:acme:data analyst"


def test_a_rejection_gets_a_draft_for_that_company_role_and_stage(tmp_path):
    with open_journal(tmp_path) as journal:
        result = run(journal, rejection("2026-11-25", "Acme", stage="interview"))
    draft, reminder = actions_of(result, STEP)
    assert draft.kind == "draft"
    assert draft.title == "Ask the recruiter at Acme for feedback"
    assert "Thank you for interviewing me for the Data Analyst role at Acme" in draft.body
    assert "Most companies don't answer these" in draft.body
    assert "remind you once, on Wed 2 Dec" in draft.body
    assert reminder.kind == "reminder"


def test_the_follow_up_is_due_seven_days_later_and_kept_open_in_the_journal(tmp_path):
    with open_journal(tmp_path) as journal:
        run(journal, rejection("2026-11-25", "Acme"))
        (follow_up,) = stored(journal, key=KEY)
    assert follow_up.status == "open"
    assert follow_up.action.due == dt.datetime(2026, 12, 2, 17, 30)
    assert follow_up.action.title == "One follow-up, if you asked Acme for feedback and heard nothing"
    # right whether or not the person sent the draft: the reminder doesn't assume they did
    assert follow_up.action.body.startswith("If you sent the feedback request and Acme hasn't answered, send one "
                                            "short follow-up to the recruiter")
    assert "my message of 25 Nov about the Data Analyst role" in follow_up.action.body


def test_a_follow_up_falling_on_a_weekend_moves_to_monday(tmp_path):
    saturday = dt.datetime(2026, 11, 28, 10, 0)
    with open_journal(tmp_path) as journal:
        run(journal, rejection("2026-11-28", "Acme"), now=saturday)
        (follow_up,) = stored(journal, key=KEY)
    assert follow_up.action.due == dt.datetime(2026, 12, 7, 10, 0)


def test_feedback_for_the_application_cancels_the_follow_up(tmp_path):
    with open_journal(tmp_path) as journal:
        run(journal, rejection("2026-11-20", "Acme"))
        result = run(journal, feedback("2026-11-25", "Acme", "Answers lacked structure."))
        (follow_up,) = stored(journal, key=KEY)
        (draft,) = stored(journal, key="feedback-request:acme:data analyst")
    assert follow_up.status == "cancelled"
    assert KEY in result.cancelled
    # the request was answered: the draft is done, and still counts as a request sent
    assert draft.status == "done"
    assert result.completed == ["feedback-request:acme:data analyst"]
    (prompt,) = actions_of(result, STEP)
    assert prompt.kind == "prompt"
    assert prompt.title == "Read the feedback from Acme without defending yourself"
    assert "Read what the recruiter said twice" in prompt.body
    assert "follow-up reminder for Acme is cancelled" in prompt.body


def test_feedback_naming_no_role_answers_the_companys_follow_up(tmp_path):
    with open_journal(tmp_path) as journal:
        run(journal, rejection("2026-11-20", "Acme"))
        run(journal, feedback("2026-11-25", "ACME", "Good energy.", role="", source="Sam"))
        assert stored(journal, key=KEY)[0].status == "cancelled"


def test_feedback_from_another_company_leaves_the_follow_up_alone(tmp_path):
    with open_journal(tmp_path) as journal:
        run(journal, rejection("2026-11-20", "Acme"))
        result = run(journal, feedback("2026-11-25", "Beta", "Great portfolio."))
        assert stored(journal, key=KEY)[0].status == "open"
    assert KEY not in result.cancelled
    assert "cancelled" not in actions_of(result, STEP)[0].body


def test_feedback_without_a_pending_follow_up_cancels_nothing(tmp_path):
    with open_journal(tmp_path) as journal:
        result = run(journal, feedback("2026-11-25", "Acme", "Nice case study."))
    assert result.cancelled == []
    (prompt,) = actions_of(result, STEP)
    assert "cancelled" not in prompt.body


def test_never_a_second_follow_up_for_the_same_application(tmp_path):
    with open_journal(tmp_path) as journal:
        run(journal, rejection("2026-11-20", "Acme"))
        again = run(journal, rejection("2026-11-25", "Acme", notes="They confirmed by phone"))
        assert len(stored(journal, key=KEY)) == 1
    (draft,) = actions_of(again, STEP)
    assert "remind you once" not in draft.body


def test_no_follow_up_when_the_coach_turns_it_off(tmp_path):
    with open_journal(tmp_path) as journal:
        result = run(journal, rejection("2026-11-25", "Acme"), only(STEP, "follow_up_days = 0\n"))
        assert stored(journal, key=KEY) == []
    (draft,) = actions_of(result, STEP)
    assert "remind you" not in draft.body


@pytest.mark.parametrize(
    ("stage", "thanks"),
    [
        ("application", "Thank you for considering my application for the Data Analyst role at Acme"),
        ("screen", "Thank you for speaking with me about the Data Analyst role at Acme"),
        ("final", "Thank you for the final-round interviews for the Data Analyst role at Acme"),
    ],
)
def test_the_draft_thanks_for_what_happened_at_that_stage(tmp_path, stage, thanks):
    with open_journal(tmp_path) as journal:
        result = run(journal, rejection("2026-11-25", "Acme", stage=stage))
    assert thanks in actions_of(result, STEP)[0].body


def test_a_coach_sets_the_contact_and_the_wording(tmp_path):
    options = (
        'contact = "the hiring manager"\n'
        'request = "Hi, thank you for {stage_phrase} {the_role}. What was {company} looking for?"\n'
        'stage_phrases = { screen = "our call about" }\n'
    )
    with open_journal(tmp_path) as journal:
        result = run(journal, rejection("2026-11-25", "Acme", stage="screen"), only(STEP, options))
    draft, reminder = actions_of(result, STEP)
    assert draft.title == "Ask the hiring manager at Acme for feedback"
    assert draft.body.endswith("Hi, thank you for our call about the Data Analyst role. What was Acme looking for?")
    assert "follow-up to the hiring manager" in reminder.body


def test_a_stage_phrase_for_an_unknown_stage_is_refused_with_its_key_path():
    with pytest.raises(WorkflowError) as caught:
        workflow(only(STEP, 'stage_phrases = { onsite = "the onsite for" }\n'))
    assert caught.value.lines() == [
        "test.toml:8: steps[1].with.stage_phrases: has no stage 'onsite'; the stages are "
        "application, screen, interview, final, offer"
    ]
