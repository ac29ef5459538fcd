"""The journal contract: what every backend of coachflow.journal.base must do, tested on each.

Each test gets a fresh, empty journal from the ``journal`` fixture, once per
backend in :data:`BACKENDS`. A new backend adds itself there and passes this
file unchanged; nothing here knows which backend it talks to.
"""

from __future__ import annotations

import datetime as dt

import hypothesis
import pytest
from hypothesis import strategies as st

from coachflow.applications import Pipeline
from coachflow.errors import JournalError
from coachflow.journal import Journal, open_journal
from coachflow.models import Action, Feedback, Milestone, Rejection

NOW = dt.datetime(2026, 3, 20, 9, 30)


def _sqlite(tmp_path_factory) -> Journal:
    return open_journal(tmp_path_factory.mktemp("journal") / "journal.sqlite3")


#: backend name -> a function making a fresh, empty journal of it.
BACKENDS = {"sqlite": _sqlite}


@pytest.fixture(params=sorted(BACKENDS))
def journal(request, tmp_path_factory):
    opened = BACKENDS[request.param](tmp_path_factory)
    yield opened
    opened.close()


def day(n: int) -> dt.date:
    return dt.date(2026, 3, 1) + dt.timedelta(days=n)


def applied(company: str, role: str = "Analyst", on: int = 0) -> Milestone:
    return Milestone(kind="applied", company=company, role=role, date=day(on))


def record(journal: Journal, *events) -> list[int]:
    with journal.transaction():
        return [journal.add_event(event, recorded_at=NOW) for event in events]


def open_now(journal: Journal) -> list[tuple[str, str]]:
    return [(application.company, application.role) for application in journal.reader.open_applications()]


# --- events --------------------------------------------------------------------


def test_an_event_is_read_back_as_it_was_written(journal):
    rejection = Rejection(company="Acme", role="Analyst", stage="final", reason="budget", notes="n", date=day(2))
    (event_id,) = record(journal, rejection)
    assert journal.reader.event(event_id) == rejection
    (entry,) = journal.reader.entries()
    assert (entry.id, entry.event, entry.recorded_at, entry.workflows) == (event_id, rejection, NOW, ())
    assert journal.reader.event(event_id + 1) is None
    assert journal.reader.last_event_id() == event_id


def test_events_are_filtered_and_come_by_date(journal):
    record(journal, applied("Beta", on=3), applied("Acme", on=1),
           Rejection(company="acme", role="ANALYST", date=day(5)),
           Feedback(company="Acme", role="Analyst", source="recruiter", text="More SQL", date=day(6)))
    reader = journal.reader
    assert [event.company for event in reader.events("milestone")] == ["Acme", "Beta"]
    assert [event.type for event in reader.events(company="ACME")] == ["milestone", "rejection", "feedback"]
    assert [event.type for event in reader.events(company="acme", role="analyst", since=day(5))] == [
        "rejection", "feedback"]
    assert reader.count("milestone", kind="applied") == 2
    assert reader.count(until=day(3)) == 2
    assert [event.text for event in reader.feedback_for("ACME")] == ["More SQL"]


def test_companies_and_roles_are_one_application_whatever_their_case_or_spacing(journal):
    record(journal, applied("Öko AG", role="Data  Analyst"), Rejection(company="öko ag", role="data analyst",
                                                                       date=day(2)))
    assert open_now(journal) == []
    assert journal.reader.count(company="ÖKO AG") == 2
    assert journal.reader.pipeline().open_applications() == []


def test_a_copy_is_found_by_content_and_copies_are_counted(journal):
    first = applied("Acme")
    record(journal, first, first)
    assert journal.reader.entry_like(first).id == 2  # the latest copy
    assert journal.reader.entry_like(applied("Acme", role="Engineer")) is None
    assert journal.reader.not_yet_recorded([first, first, first, applied("Beta")]) == [first, applied("Beta")]


def test_the_tally_counts_by_type_and_kind_in_a_window(journal):
    record(journal, applied("Acme", on=1), applied("Beta", on=2),
           Milestone(kind="interview-invitation", company="Acme", role="Analyst", date=day(3)),
           Rejection(company="Beta", date=day(4)),
           Feedback(company="Beta", source="recruiter", text="x", date=day(9)))
    tally = journal.reader.tally(since=day(2), until=day(8))
    assert (tally.applications, tally.rejections, tally.feedback, tally.wins) == (
        1, 1, 0, {"interview-invitation": 1})


# --- the open rule ---------------------------------------------------------------


def test_the_open_rule_closes_by_company_and_role(journal):
    record(journal, applied("Acme", "Analyst", 1), applied("Acme", "Engineer", 1), applied("Beta", "", 1),
           applied("Gamma", "Analyst", 1),
           Rejection(company="Acme", role="Analyst", date=day(2)),      # closes one role only
           Milestone(kind="withdrawn", company="Beta", role="Anything", date=day(3)),  # closes a roleless one
           Rejection(company="Gamma", role="", date=day(4)))            # closes every role there
    assert open_now(journal) == [("Acme", "Engineer")]


def test_applying_again_after_a_rejection_opens_the_application_again(journal):
    record(journal, applied("Acme", on=1), Rejection(company="Acme", role="Analyst", date=day(2)),
           applied("Acme", on=5), applied("Acme", on=6))  # the second is the same open application
    assert [(a.company, a.applied) for a in journal.reader.open_applications()] == [("Acme", day(5))]
    assert [a.applied for a in journal.reader.open_applications(as_of=day(3))] == []


_COMPANIES = st.sampled_from(["Acme", "acme", "ÖKO AG", "öko ag", "Beta"])
_ROLES = st.sampled_from(["", "Analyst", "ANALYST", "Engineer"])
_EVENTS = st.one_of(
    st.builds(lambda c, r, d: Milestone(kind="applied", company=c, role=r, date=day(d)),
              _COMPANIES, _ROLES, st.integers(0, 9)),
    st.builds(lambda c, r, d: Rejection(company=c, role=r, date=day(d)), _COMPANIES, _ROLES, st.integers(0, 9)),
    st.builds(lambda c, r, d, k: Milestone(kind=k, company=c, role=r, date=day(d)),
              _COMPANIES, _ROLES, st.integers(0, 9), st.sampled_from(["withdrawn", "accepted", "offer"])),
)


@hypothesis.settings(max_examples=60, deadline=None, suppress_health_check=[hypothesis.HealthCheck.function_scoped_fixture])
@hypothesis.given(history=st.lists(_EVENTS, max_size=12))
def test_the_journals_pipeline_query_follows_the_rules_of_the_applications_module(journal, history):
    with journal.transaction():
        ids = [journal.add_event(event, recorded_at=NOW) for event in history]
        pipeline = Pipeline()
        for event_id, event in zip(ids, history):
            pipeline.add(event_id, event)
        assert journal.reader.open_applications() == pipeline.open_applications()
        assert journal.reader.pipeline().open_applications() == pipeline.open_applications()
        journal.rollback()


# --- actions -----------------------------------------------------------------------


def test_actions_are_kept_cancelled_and_done(journal):
    (event_id,) = record(journal, Rejection(company="Acme", date=day(1)))
    due = dt.datetime(2026, 3, 21, 9, 0)
    with journal.transaction():
        ids = journal.add_actions(event_id, "flow", [
            Action(kind="reminder", title="Check in", due=due, key="check-in:acme:", step="allow"),
            Action(kind="draft", title="Ask for feedback", key="feedback-request:acme:", step="ask"),
        ], created_at=NOW)
    reader = journal.reader
    # by due date, else when they were made: the draft (made now) before the reminder (due tomorrow)
    assert [stored.action.title for stored in reader.actions(status="open")] == ["Ask for feedback", "Check in"]
    assert reader.count_actions(due_before=due) == 1
    assert reader.next_due(NOW).id == ids[0]
    assert [stored.id for stored in reader.due_actions()] == [ids[0]]
    assert reader.feedback_requested() == 1
    assert [entry.workflows for entry in reader.entries()] == [("flow",)]
    with journal.transaction():
        assert journal.cancel_actions(["check-in:acme:", "no-such-key"]) == 1
    assert reader.action(ids[0]).status == "cancelled"
    done = journal.set_action_status(ids[1], "done", at=NOW)
    assert (done.status, done.done_at) == ("done", NOW)
    assert journal.set_action_status(ids[1], "open").status == "open"
    with pytest.raises(JournalError, match="cancelled"):
        journal.set_action_status(ids[0], "done")
    with pytest.raises(JournalError, match="no action with id"):
        journal.set_action_status(ids[1] + 100, "done")


# --- transactions and summaries --------------------------------------------------------


def test_a_rolled_back_transaction_leaves_nothing_and_summaries_are_rebuilt(journal):
    record(journal, applied("Acme"))
    assert len(journal.reader.pipeline().open_applications()) == 1
    with pytest.raises(RuntimeError):
        with journal.transaction():
            journal.add_event(applied("Beta"), recorded_at=NOW)
            assert len(journal.reader.pipeline().open_applications()) == 2
            raise RuntimeError("stop")
    assert not journal.in_transaction
    assert open_now(journal) == [("Acme", "Analyst")]
    assert len(journal.reader.pipeline().open_applications()) == 1


def test_a_scratch_copy_holds_the_history_and_keeps_its_writes_to_itself(journal):
    record(journal, applied("Acme"))
    with journal.scratch_copy() as scratch:
        record(scratch, applied("Beta"))
        assert len(open_now(scratch)) == 2
    assert open_now(journal) == [("Acme", "Analyst")]


def test_the_identity_stays_the_same_for_the_same_journal(journal):
    empty = journal.reader.identity()
    record(journal, applied("Acme"))
    first = journal.reader.identity()
    record(journal, applied("Beta"))
    assert first == journal.reader.identity() != empty
    assert len(first) == 16


def test_a_coachs_notes_are_kept_by_day(journal):
    first = journal.add_note("A hard week; proud of you.", day=day(22), written_at=NOW)
    journal.add_note("Earlier week", day=day(10), written_at=NOW)
    assert [(note.text, note.day) for note in journal.reader.notes(since=day(21), until=day(27))] == [
        ("A hard week; proud of you.", day(22))]
    assert [note.id for note in journal.reader.notes()][-1] == first
    assert journal.reader.notes()[0].written_at == NOW
