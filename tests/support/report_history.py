"""A known search history for the report tests, with the numbers it must give.

Eight weeks of a search in autumn 2026. The report period the tests use is
the four weeks from Monday 5 October to Sunday 1 November; there are events
before it (an application still open when it starts) and after it (an
accepted offer that must not count). The clock is the suite's
``COACHFLOW_NOW``, Wednesday 25 November 2026, 17:30.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from coachflow.journal import Journal, open_journal
from coachflow.models import Action, event_from_dict

SINCE = dt.date(2026, 10, 5)
UNTIL = dt.date(2026, 11, 1)
NOW = dt.datetime(2026, 11, 25, 17, 30)

EVENTS = [
    # before the period
    dict(type="milestone", kind="applied", company="Acme", role="Data Analyst", date="2026-09-21"),
    dict(type="milestone", kind="applied", company="Beta", role="Analyst", date="2026-09-24"),
    dict(type="rejection", company="Beta", role="Analyst", stage="application", date="2026-09-30"),
    # week of 5 October
    dict(type="milestone", kind="applied", company="Gamma", role="BI Developer", date="2026-10-05"),
    dict(type="milestone", kind="applied", company="Delta", role="Data Analyst", date="2026-10-06"),
    dict(type="milestone", kind="applied", company="Epsilon", role="Analytics Engineer", date="2026-10-07"),
    dict(type="milestone", kind="good-conversation", company="Acme", role="Data Analyst", date="2026-10-08",
         notes="The hiring manager liked the dashboard project"),
    # week of 12 October
    dict(type="milestone", kind="interview-invitation", company="Gamma", role="BI Developer", date="2026-10-12"),
    dict(type="rejection", company="Delta", role="Data Analyst", stage="screen", date="2026-10-13",
         reason="They wanted clearer communication of results."),
    dict(type="milestone", kind="applied", company="Zeta", role="Data Analyst", date="2026-10-14"),
    dict(type="milestone", kind="applied", company="zeta", role="data analyst", date="2026-10-14",
         notes="Sent again through a referral"),  # the same application: counted once
    dict(type="feedback", company="Delta", role="Data Analyst", source="recruiter", date="2026-10-15",
         text="Your answers were hard to follow; work on communication."),
    # week of 19 October
    dict(type="milestone", kind="applied", company="Eta", role="Analyst", date="2026-10-19"),
    dict(type="rejection", company="Acme", stage="interview", date="2026-10-20",
         reason="They chose an internal candidate."),  # no role: closes Acme's application
    dict(type="rejection", company="Gamma", role="BI Developer", stage="final", date="2026-10-21",
         reason="Strong technical depth, but the communication could be more concise."),
    dict(type="milestone", kind="positive-feedback", company="Epsilon", role="Analytics Engineer",
         date="2026-10-22"),
    # week of 26 October
    dict(type="milestone", kind="withdrawn", company="Eta", role="Analyst", date="2026-10-26"),
    dict(type="milestone", kind="interview-invitation", company="Zeta", role="Data Analyst", date="2026-10-27"),
    dict(type="milestone", kind="offer", company="Zeta", role="Data Analyst", date="2026-10-28"),
    dict(type="feedback", company="Epsilon", role="Analytics Engineer", source="hiring manager",
         date="2026-10-29", text="Great enthusiasm in the call."),
    # after the period
    dict(type="milestone", kind="accepted", company="Zeta", role="Data Analyst", date="2026-11-03"),
    dict(type="milestone", kind="applied", company="Theta", role="Analyst", date="2026-11-04"),
]

#: (index of the event in EVENTS, step, action, status) for the actions of the history.
ACTIONS = [
    (2, "request-feedback", Action(kind="draft", title="Ask Beta for feedback", body="Hi,\n\nThanks.",
                                   key="feedback-request:beta:analyst"), "open"),
    (8, "request-feedback", Action(kind="draft", title="Ask Delta for feedback", body="Hi Sam",
                                   key="feedback-request:delta:data analyst"), "done"),
    (13, "request-feedback", Action(kind="draft", title="Ask Acme for feedback", key="feedback-request:acme:"), "open"),
    (14, "request-feedback", Action(kind="draft", title="Ask Gamma for feedback",
                                    key="feedback-request:gamma:bi developer"), "open"),
    (14, "request-feedback", Action(kind="draft", title="Ask Gamma again", key="feedback-request:gamma:again"),
     "cancelled"),
    (14, "thank-you-note", Action(kind="draft", title="Thank the Gamma panel"), "open"),
    (14, "allow-disappointment", Action(kind="reminder", title="Check in after Gamma",
                                        due=dt.datetime(2026, 11, 24, 9, 0)), "open"),
    (17, "request-feedback", Action(kind="reminder", title="Follow up with Zeta, once, kindly",
                                    body="A short, friendly note; then let it go.",
                                    due=dt.datetime(2026, 11, 26, 9, 0), key="feedback-follow-up:zeta:"), "open"),
    (18, "prepare", Action(kind="task", title="Prepare questions about the Zeta offer; salary, start date",
                           due=dt.datetime(2026, 12, 1, 10, 0)), "open"),
    (18, "prepare", Action(kind="reminder", title="Already handled", due=dt.datetime(2026, 11, 27, 9, 0)), "done"),
    (18, "prepare", Action(kind="reminder", title="Cancelled one", due=dt.datetime(2026, 11, 28, 9, 0),
                           key="prepare:cancelled"), "cancelled"),
]

#: What the report for SINCE..UNTIL must say.
EXPECTED = {
    "applications_sent": 5,  # Gamma, Delta, Epsilon, Zeta (once), Eta
    "open_at_start": 1,  # Acme
    "open_at_end": 2,  # Epsilon, Zeta
    "outcomes": {"open": 2, "rejected": 2, "withdrawn": 1, "accepted": 0},
    "funnel": {  # stage: (reached, rejected there)
        "application": (5, 0),
        "screen": (3, 1),
        "interview": (2, 0),
        "final": (2, 1),
        "offer": (1, 0),
    },
    "rejections_by_stage": {"application": 0, "screen": 1, "interview": 1, "final": 1, "offer": 0},
    "rejections": 3,
    "wins_by_kind": {"interview-invitation": 2, "good-conversation": 1, "offer": 1, "positive-feedback": 1},
    "wins": 5,
    "feedback_requested": 3,  # requests drafted for Delta, Acme and Gamma (one more was cancelled)
    "feedback_received": 2,
    "pipeline": [  # (week start, open at its end, sent, closed, wins)
        ("2026-10-05", 4, 3, 0, 1),
        ("2026-10-12", 4, 1, 1, 1),
        ("2026-10-19", 3, 1, 2, 1),
        ("2026-10-26", 2, 0, 1, 2),
    ],
    "overdue": 1,
    "due_next": ["Follow up with Zeta, once, kindly", "Prepare questions about the Zeta offer; salary, start date"],
    "themes": {"communication": (("Delta", "Data Analyst"), ("Gamma", "BI Developer"))},
    "theme_mentions": {"communication": 3},
}


def build_journal(path: Path) -> Journal:
    """Write the history into a new journal file at ``path`` and return it open."""
    journal = open_journal(path)
    ids = []
    with journal.transaction():
        for index, data in enumerate(EVENTS):
            event = event_from_dict(data)
            ids.append(journal.add_event(event, recorded_at=dt.datetime(2026, 9, 21, 8, 0) + dt.timedelta(minutes=index)))
        statuses = []
        for index, step, action, status in ACTIONS:
            made = Action(kind=action.kind, title=action.title, body=action.body, due=action.due, key=action.key,
                          step=step)
            (action_id,) = journal.add_actions(ids[index], "Bounce back", [made],
                                               created_at=dt.datetime.combine(event_from_dict(EVENTS[index]).date,
                                                                              dt.time(9, 0)))
            statuses.append((action_id, status))
    for (_, _, action, _), (action_id, status) in zip(ACTIONS, statuses):
        if status == "done":
            journal.set_action_status(action_id, "done", at=dt.datetime(2026, 11, 2, 12, 0))
        elif status == "cancelled":
            with journal.transaction():
                journal.cancel_actions([action.key])
    return journal
