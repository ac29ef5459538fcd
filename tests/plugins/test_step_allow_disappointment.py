"""allow-disappointment: name the setback, give it a bounded window, check in at its end."""

from __future__ import annotations

import datetime as dt

from support import NOW, actions_of, only, open_journal, rejection, run, stored, workflow

from coachflow.engine import WorkflowRunner
from coachflow.models import event_from_dict

STEP = "allow-disappointment"


def test_the_window_is_a_day_and_ends_with_a_check_in(tmp_path):
    with open_journal(tmp_path) as journal:
        result = run(journal, rejection("2026-11-25", "Acme", stage="final"))
        (check_in,) = stored(journal, key="check-in:acme:data analyst")
    note, reminder = actions_of(result, STEP)
    assert note.title == "It's all right to be disappointed about Acme"
    assert note.body.startswith("A no from Acme at the final stage hurts.")
    assert "give it room until Thu 26 Nov 2026, 17:30" in note.body
    assert reminder.due == check_in.action.due == dt.datetime(2026, 11, 26, 17, 30)
    assert check_in.status == "open"


def test_support_contacts_and_a_shorter_window(tmp_path):
    options = 'window_hours = 4\nsupport_contacts = ["Sam", "Priya", "your coach"]\n'
    with open_journal(tmp_path) as journal:
        result = run(journal, rejection("2026-11-25", "Acme"), only(STEP, options))
    note, talk, reminder = actions_of(result, STEP)
    assert talk.title == "Talk to Sam, Priya or your coach"
    assert talk.body.startswith("Tell Sam, Priya or your coach about Acme today")
    # 21:30 is after the person's day (08:00 to 21:00): the check-in moves to the next morning
    assert reminder.due == dt.datetime(2026, 11, 26, 8, 0)


def test_an_old_rejection_is_scheduled_from_its_own_day_when_history_is_replayed(tmp_path):
    # A live run schedules a late event from now instead (see test_engine.py).
    with open_journal(tmp_path) as journal:
        (result,) = WorkflowRunner(workflow()).replay([event_from_dict(rejection("2026-11-20", "Acme"))], journal,
                                                      now=NOW)
    assert actions_of(result, STEP)[-1].due == dt.datetime(2026, 11, 21, 9, 0)
