"""The report model: the numbers a known history must give, and the journal's own answers."""

from __future__ import annotations

import datetime as dt

import pytest

from coachflow.errors import CoachflowError
from coachflow.journal import open_journal
from coachflow.models import event_from_dict
from coachflow.report.build import build_report
from support.report_history import EXPECTED, NOW, SINCE, UNTIL, build_journal


@pytest.fixture
def journal(tmp_path):
    journal = build_journal(tmp_path / "journal.sqlite3")
    yield journal
    journal.close()


@pytest.fixture
def report(journal):
    return build_report(journal.reader, since=SINCE, until=UNTIL, now=NOW)


def test_the_period_and_its_headline_numbers(report):
    assert (report.start, report.end, report.generated_at) == (SINCE, UNTIL, NOW)
    assert report.applications_sent == EXPECTED["applications_sent"]
    assert report.open_at_start == EXPECTED["open_at_start"]
    assert report.open_at_end == EXPECTED["open_at_end"]
    assert report.feedback_requested == EXPECTED["feedback_requested"]
    assert report.feedback_received == EXPECTED["feedback_received"]


def test_the_funnel_follows_each_application_sent_in_the_period(report):
    assert {s.stage: (s.reached, s.rejected) for s in report.funnel} == EXPECTED["funnel"]
    assert [s.label for s in report.funnel] == ["Sent", "Screen", "Interview", "Final round", "Offer"]
    outcomes = report.outcomes
    assert (outcomes.open, outcomes.rejected, outcomes.withdrawn, outcomes.accepted) == tuple(
        EXPECTED["outcomes"].values()
    )
    assert outcomes.open + outcomes.rejected + outcomes.withdrawn + outcomes.accepted == report.applications_sent


def test_rejections_and_wins_are_counted_by_stage_and_kind(report):
    assert report.rejections_by_stage == EXPECTED["rejections_by_stage"]
    assert report.rejections == EXPECTED["rejections"]
    assert report.wins_by_kind == EXPECTED["wins_by_kind"]
    assert list(report.wins_by_kind) == list(EXPECTED["wins_by_kind"])  # most frequent first
    assert report.wins == EXPECTED["wins"]
    assert [(w.date.isoformat(), w.kind, w.company) for w in report.recent_wins][:2] == [
        ("2026-10-28", "offer", "Zeta"),
        ("2026-10-27", "interview-invitation", "Zeta"),
    ]


def test_the_pipeline_has_one_row_per_week(report):
    assert [(w.week_start.isoformat(), w.open, w.applied, w.closed, w.wins) for w in report.pipeline] == EXPECTED[
        "pipeline"
    ]


def test_what_is_due_next_leaves_out_done_and_cancelled_actions(report):
    assert report.overdue == EXPECTED["overdue"]
    assert [item.title for item in report.due_next] == EXPECTED["due_next"]
    assert report.due_next[0].due == dt.datetime(2026, 11, 26, 9, 0)


def test_recurring_themes_come_with_their_evidence(report):
    themes = {theme.theme: theme for theme in report.themes}
    assert {name: theme.applications for name, theme in themes.items()} == EXPECTED["themes"]
    communication = themes["communication"]
    assert communication.mentions == EXPECTED["theme_mentions"]["communication"]
    assert [(day.isoformat(), company) for day, company, _, _ in communication.evidence] == [
        ("2026-10-13", "Delta"), ("2026-10-15", "Delta"), ("2026-10-21", "Gamma"),
    ]
    assert "communication" in communication.evidence[-1][3]


def test_the_numbers_agree_with_the_journals_own_queries(journal, report):
    reader = journal.reader
    assert report.open_at_end == len(reader.open_applications(as_of=UNTIL))
    assert report.open_at_start == len(reader.open_applications(as_of=SINCE - dt.timedelta(days=1)))
    for week in report.pipeline:
        week_end = min(week.week_start + dt.timedelta(days=6), UNTIL)
        assert week.open == len(reader.open_applications(as_of=week_end)), week
    for stage, count in report.rejections_by_stage.items():
        assert count == reader.count("rejection", stage=stage, since=SINCE, until=UNTIL)
    tally = reader.tally(since=SINCE, until=UNTIL)
    assert report.rejections == tally.rejections
    assert report.feedback_received == tally.feedback
    assert report.wins_by_kind == tally.wins and report.wins == tally.win_count
    assert report.applications_sent == tally.applications - 1  # one applied repeats an open application
    assert report.feedback_requested == reader.feedback_requested(since=SINCE, until=UNTIL)


def test_the_whole_history_runs_from_the_first_event_to_today(journal):
    report = build_report(journal.reader, now=NOW)
    assert report.start == dt.date(2026, 9, 21)
    assert report.end == NOW.date()
    assert report.open_at_start == 0
    assert report.applications_sent == 8  # Acme, Beta, Gamma, Delta, Epsilon, Zeta, Eta, Theta
    assert report.outcomes.accepted == 1  # Zeta, after the four weeks
    assert report.open_at_end == len(journal.reader.open_applications(as_of=NOW.date())) == 2  # Epsilon, Theta
    assert report.pipeline[0].week_start == dt.date(2026, 9, 21)
    assert report.pipeline[-1].week_start == dt.date(2026, 11, 23)
    assert len(report.pipeline) == 10


def test_a_period_with_nothing_in_it_still_has_its_weeks(journal):
    report = build_report(journal.reader, since=dt.date(2027, 1, 4), until=dt.date(2027, 1, 17), now=NOW)
    assert report.applications_sent == 0
    assert report.open_at_start == report.open_at_end == 2
    assert [(w.week_start.isoformat(), w.open) for w in report.pipeline] == [("2027-01-04", 2), ("2027-01-11", 2)]
    assert report.funnel[0].reached == 0
    assert report.themes == ()


def test_an_empty_journal_gives_an_empty_report():
    journal = open_journal(":memory:")
    report = build_report(journal.reader, now=NOW)
    assert (report.start, report.end) == (NOW.date(), NOW.date())
    assert report.applications_sent == report.wins == report.rejections == 0
    assert [w.week_start for w in report.pipeline] == [dt.date(2026, 11, 23)]
    assert report.due_next == ()


def test_a_rejection_without_a_role_closes_every_application_at_that_company():
    journal = open_journal(":memory:")
    with journal.transaction():
        for data in (
            dict(type="milestone", kind="applied", company="Acme", role="Analyst", date="2026-10-01"),
            dict(type="milestone", kind="applied", company="ACME", role="Engineer", date="2026-10-02"),
            dict(type="milestone", kind="applied", company="Beta", date="2026-10-02"),
            dict(type="rejection", company="acme", stage="screen", date="2026-10-05"),
            dict(type="rejection", company="Beta", role="Analyst", stage="interview", date="2026-10-06"),
        ):
            journal.add_event(event_from_dict(data))
    report = build_report(journal.reader, now=NOW)
    assert report.open_at_end == 0 == len(journal.reader.open_applications())
    assert {s.stage: s.rejected for s in report.funnel if s.rejected} == {"screen": 2, "interview": 1}


def test_since_after_until_is_refused(journal):
    with pytest.raises(CoachflowError, match="--since 2026-11-02 is after --until 2026-11-01"):
        build_report(journal.reader, since=dt.date(2026, 11, 2), until=UNTIL, now=NOW)


def test_a_coach_can_pass_their_own_themes(journal):
    report = build_report(journal.reader, since=SINCE, until=UNTIL, now=NOW,
                          themes={"conciseness": ("concise", "hard to follow")}, min_applications=1)
    assert [(t.theme, t.applications) for t in report.themes] == [
        ("conciseness", (("Delta", "Data Analyst"), ("Gamma", "BI Developer")))
    ]
