"""The journal contract: what every backend of coachflow.journal.base must do, tested on each.

Each test gets a fresh, empty journal from the ``journal`` fixture (or makes
and reopens journals with ``journal_factory``), once per backend in
:data:`BACKENDS`. A new backend adds itself there and passes this file
unchanged; nothing here knows which backend it talks to. The PostgreSQL
runs need a server: ``COACHFLOW_TEST_POSTGRES`` (see ``tests/support/postgres.py``);
without one they skip, saying how to run them, and under ``CI=true`` they fail.
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
from support.postgres import new_client, practice_server

NOW = dt.datetime(2026, 3, 20, 9, 30)


def _sqlite(request, tmp_path_factory) -> tuple[str, None]:
    return str(tmp_path_factory.mktemp("journal") / "journal.sqlite3"), None


def _postgresql(request, tmp_path_factory) -> tuple[str, str]:
    return request.getfixturevalue("_practice").admin_url, new_client()  # one database, a client per journal


#: backend name -> where a fresh, empty journal of it is: (what open_journal takes, the client).
BACKENDS = {"sqlite": _sqlite, "postgresql": _postgresql}


@pytest.fixture(scope="module")
def _practice():
    """A practice store on the test server, for the PostgreSQL runs."""
    yield from practice_server()


class JournalFactory:
    """Fresh journals of one backend (and the same journals opened again), closed at the end of the test."""

    def __init__(self, backend: str, request, tmp_path_factory):
        self.backend = backend
        self._request = request
        self._tmp_path_factory = tmp_path_factory
        self._opened: list[tuple[Journal, tuple]] = []

    def new(self) -> Journal:
        """A fresh, empty journal."""
        where = BACKENDS[self.backend](self._request, self._tmp_path_factory)
        return self._open(where)

    def reopen(self, journal: Journal, mode: str = "write") -> Journal:
        """The journal ``journal`` is, opened again (as another process would)."""
        where = next(where for opened, where in self._opened if opened is journal)
        return self._open(where, mode)

    def _open(self, where: tuple, mode: str = "write") -> Journal:
        journal = open_journal(where[0], client=where[1], mode=mode)
        self._opened.append((journal, where))
        return journal

    def close(self) -> None:
        for journal, _ in self._opened:
            journal.close()


@pytest.fixture(params=sorted(BACKENDS))
def journal_factory(request, tmp_path_factory):
    factory = JournalFactory(request.param, request, tmp_path_factory)
    yield factory
    factory.close()


@pytest.fixture
def journal(journal_factory):
    return journal_factory.new()


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


#: A verdict as the engine stores it (coachflow.reasons.Verdict.to_json).
FREEZE = '{"outside":["a hiring freeze"],"inside":[],"skills":[],"given":true}'
SQL = '{"outside":[],"inside":["skills"],"skills":["SQL"],"given":true}'


def test_a_rejections_verdict_is_kept_with_it_and_set_later_for_one_recorded_without(journal):
    frozen = Rejection(company="Acme", role="Analyst", stage="screen", reason="There is a hiring freeze", date=day(2))
    later = Rejection(company="Beta", role="Analyst", stage="interview", reason="Not enough SQL", date=day(3))
    with journal.transaction():
        first = journal.add_event(frozen, recorded_at=NOW, workflow="Search", verdict=FREEZE)
        second = journal.add_event(later, recorded_at=NOW)
        journal.add_event(applied("Gamma", on=1), recorded_at=NOW)
    assert [entry.verdict for entry in journal.reader.entries()] == [None, FREEZE, None]
    before = journal.reader.period_summary(until=day(10))  # a backend that keeps counts keeps them now
    assert [(group.company, group.verdict) for group in before.rejections] == [("Acme", FREEZE), ("Beta", None)]
    journal.set_verdict(second, SQL)
    assert [(entry.id, entry.verdict) for entry in journal.reader.entries("rejection")] == [(first, FREEZE),
                                                                                            (second, SQL)]
    assert journal.reader.entry_like(later).verdict == SQL
    for since in (day(0), None):
        summary = journal.reader.period_summary(since=since, until=day(10))
        assert [(group.company, group.verdict, group.count) for group in summary.rejections] == [
            ("Acme", FREEZE, 1), ("Beta", SQL, 1)]


def test_rejections_with_the_same_reason_but_different_verdicts_are_counted_apart(journal):
    no = Rejection(company="Acme", role="Analyst", stage="screen", reason="budget", date=day(2))
    with journal.transaction():
        journal.add_event(no, recorded_at=NOW, verdict=FREEZE)
        journal.add_event(no, recorded_at=NOW, verdict=FREEZE)
        journal.add_event(no, recorded_at=NOW)
    summary = journal.reader.period_summary(since=day(0), until=day(10))
    assert sorted(((group.verdict or ""), group.count) for group in summary.rejections) == [("", 1), (FREEZE, 2)]


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


# --- more of the interface: ids, streams, runs, actions, reopening, copying between backends ------

AT = dt.datetime(2026, 3, 10, 12, 0)


def rejected(company: str, role: str = "Analyst", on: int = 1, stage: str = "screen") -> Rejection:
    return Rejection(company=company, role=role, stage=stage, date=day(on))


def milestone(kind: str, company: str, role: str = "Analyst", on: int = 1) -> Milestone:
    return Milestone(kind=kind, company=company, role=role, date=day(on))


def pipeline(journal: Journal, **kwargs) -> list[tuple[str, str, dt.date]]:
    return [(a.company, a.role, a.applied) for a in journal.reader.open_applications(**kwargs)]


def test_an_empty_journal_holds_nothing(journal):
    reader = journal.reader
    assert reader.last_event_id() == 0 and reader.events() == [] and list(reader.entries()) == []
    assert reader.count() == 0 and reader.open_applications() == [] and reader.tally().win_count == 0
    assert reader.actions() == [] and reader.count_actions() == 0 and reader.next_due(AT) is None
    assert reader.event(1) is None and reader.action(1) is None and reader.entry_like(applied("Acme")) is None
    assert journal.integrity_check() == "ok"


def test_ids_count_from_one_and_each_event_reads_back_as_written(journal):
    events = [applied("Acme"), rejected("Beta", stage="final"),
              Feedback(company="Beta", role="Analyst", source="Recruiter", text="More SQL", date=day(2)),
              Milestone(kind="offer", company="Gamma", role="", date=day(3), notes="Line one\nline two")]
    ids = record(journal, *events)
    assert ids == [1, 2, 3, 4] and journal.reader.last_event_id() == 4
    assert [journal.reader.event(i) for i in ids] == events
    assert journal.reader.event(0) is None and journal.reader.event(2**70) is None


def test_events_are_filtered_and_come_by_date_then_as_recorded(journal):
    record(journal, applied("Acme", on=5), applied("Beta", on=1), rejected("Acme", on=5), applied("Gamma", on=1),
           milestone("offer", "Beta", on=9))
    assert [(e.company, e.date) for e in journal.reader.events()] == [
        ("Beta", day(1)), ("Gamma", day(1)), ("Acme", day(5)), ("Acme", day(5)), ("Beta", day(9))]
    assert [e.type for e in journal.reader.events(company="acme")] == ["milestone", "rejection"]
    assert journal.reader.events("milestone", kind="offer") == [milestone("offer", "Beta", on=9)]
    assert [e.company for e in journal.reader.events(since=day(2), until=day(5))] == ["Acme", "Acme"]
    assert journal.reader.count("rejection", stage="screen") == 1 and journal.reader.count("milestone") == 4
    assert journal.reader.count(company="BETA", role="analyst") == 2


def test_recorded_after_streams_in_recording_order_and_by_type(journal):
    ids = record(journal, applied("Acme", on=9), rejected("Acme", on=1), applied("Beta", on=2))
    assert [i for i, _ in journal.reader.recorded_after(0, through=ids[-1])] == ids
    assert [e.type for _, e in journal.reader.recorded_after(ids[0], through=ids[-1], types=("rejection",))] == [
        "rejection"]
    assert list(journal.reader.recorded_after(0, through=ids[0])) == [(ids[0], applied("Acme", on=9))]


# --- the pipeline ---------------------------------------------------------------------------


def test_as_of_shows_the_pipeline_on_an_earlier_day(journal):
    record(journal, applied("Acme", "Analyst", 0), applied("Beta", "Analyst", 4), rejected("Acme", "Analyst", 6),
           applied("Acme", "Analyst", 9))
    assert pipeline(journal, as_of=day(3)) == [("Acme", "Analyst", day(0))]
    assert pipeline(journal, as_of=day(6)) == [("Beta", "Analyst", day(4))]
    assert pipeline(journal) == [("Beta", "Analyst", day(4)), ("Acme", "Analyst", day(9))]


def test_feedback_requested_counts_request_actions_that_were_not_cancelled(journal):
    first, second, third = record(journal, rejected("Acme", on=1), rejected("Beta", on=2), rejected("Old", on=-50))
    with journal.transaction():
        journal.add_actions(first, "w", [Action(kind="draft", title="Ask Acme", key="feedback-request:acme:analyst")])
        journal.add_actions(second, "w", [Action(kind="draft", title="Ask Beta", key="feedback-request:beta:analyst"),
                                          Action(kind="reminder", title="Follow up", key="follow-up:beta:analyst")])
        journal.add_actions(third, "w", [Action(kind="draft", title="Ask Old", key="feedback-request:old:analyst")])
        assert journal.cancel_actions(["feedback-request:acme:analyst", "nothing"]) == 1
    assert journal.reader.feedback_requested() == 2
    assert journal.reader.feedback_requested(since=day(0)) == 1


# --- copies of an event ------------------------------------------------------------------


def test_add_event_once_writes_an_event_only_the_first_time(journal):
    first_id, earlier = journal.add_event_once(applied("Acme"), recorded_at=dt.datetime(2026, 3, 2, 9, 0))
    again_id, found = journal.add_event_once(applied("Acme"))
    assert earlier is None and again_id == first_id and found.recorded_at == dt.datetime(2026, 3, 2, 9, 0)
    assert journal.reader.count() == 1


# --- runs and actions -----------------------------------------------------------------------


def test_entries_say_which_workflows_ran_the_one_recorded_with_the_event_first(journal):
    with journal.transaction():
        first = journal.add_event(rejected("Acme"), workflow="Bounce back", recorded_at=dt.datetime(2026, 3, 3, 8, 0))
        journal.add_actions(first, "Bounce back", [], run_recorded=True)
        second = journal.add_event(applied("Beta", on=2))
    with journal.transaction():
        journal.add_actions(first, "Coach Kim's", [Action(kind="task", title="Call Kim")])
    entries = list(journal.reader.entries())
    assert [(e.id, e.workflows) for e in entries] == [(first, ("Bounce back", "Coach Kim's")), (second, ())]
    assert entries[0].recorded_at == dt.datetime(2026, 3, 3, 8, 0)
    assert [e.workflows for e in journal.reader.entries(with_workflows=False)][1] == ()


def test_actions_are_filtered_ordered_and_counted(journal):
    (event_id,) = record(journal, rejected("Acme"))
    created = dt.datetime(2026, 3, 9, 8, 0)
    with journal.transaction():
        ids = journal.add_actions(event_id, "w", [
            Action(kind="reminder", title="Past", due=AT - dt.timedelta(days=1), key="a", step="s1"),
            Action(kind="reminder", title="Later", due=AT + dt.timedelta(days=2), key="b", step="s1"),
            Action(kind="task", title="Undated", key="c", step="s2"),
            Action(kind="insight", title="Soon", due=AT + dt.timedelta(hours=1), step="s2"),
        ], created_at=created)
    assert ids == [1, 2, 3, 4]
    reader = journal.reader
    assert [a.action.title for a in reader.actions()] == ["Undated", "Past", "Soon", "Later"]  # undated: by creation
    assert [a.action.title for a in reader.actions(due_before=AT)] == ["Past"]
    assert [a.action.title for a in reader.actions(kinds=["task", "insight"])] == ["Undated", "Soon"]
    assert reader.actions(kinds=[]) == [] and reader.count_actions(step="s1") == 2
    assert reader.actions(key="c")[0].created_at == created and reader.actions(key="c")[0].workflow == "w"
    assert reader.next_due(AT).action.title == "Soon"
    assert [a.action.title for a in reader.due_actions(after=AT)] == ["Soon", "Later"]
    assert [a.action.title for a in reader.due_actions()] == ["Past", "Soon", "Later"]
    assert reader.action(2).action.due == AT + dt.timedelta(days=2) and reader.action(2**70) is None


def test_marking_done_keeps_when_and_a_cancelled_action_cannot_be_done(journal):
    (event_id,) = record(journal, rejected("Acme"))
    with journal.transaction():
        first, second = journal.add_actions(event_id, "w", [Action(kind="task", title="Write it down"),
                                                            Action(kind="reminder", title="Follow up", key="f")])
        journal.cancel_actions(["f"])
    monday, tuesday = dt.datetime(2026, 3, 9, 9, 0), dt.datetime(2026, 3, 10, 9, 0)
    assert journal.set_action_status(first, "done", at=monday).done_at == monday
    assert journal.set_action_status(first, "done", at=tuesday).done_at == monday
    assert journal.reader.actions(status="done")[0].id == first
    with pytest.raises(JournalError, match=f"action {second} was cancelled by a later run"):
        journal.set_action_status(second, "done")
    with pytest.raises(JournalError, match="there is no action with id 99"):
        journal.set_action_status(99, "done")
    with pytest.raises(JournalError, match="an action can be marked open, done or missed, not 'cancelled'"):
        journal.set_action_status(first, "cancelled")
    assert (journal.set_action_status(second, "open").status, journal.set_action_status(first, "open").done_at) == (
        "open", None)


def test_an_action_whose_time_passed_is_missed_and_can_still_be_done(journal):
    (event_id,) = record(journal, rejected("Acme"))
    with journal.transaction():
        (task,) = journal.add_actions(event_id, "w", [Action(kind="task", title="Send two applications",
                                                             due=dt.datetime(2026, 3, 9, 9, 0))])
    missed = journal.set_action_status(task, "missed", at=dt.datetime(2026, 3, 12, 9, 0))
    assert (missed.status, missed.done_at) == ("missed", None)
    assert [stored.id for stored in journal.reader.actions(status="missed")] == [task]
    assert journal.reader.count_actions(status="open") == 0
    assert journal.set_action_status(task, "done", at=dt.datetime(2026, 3, 13, 9, 0)).status == "done"


# --- transactions and summaries --------------------------------------------------------------


def test_a_rolled_back_transaction_leaves_nothing_and_ids_are_given_again(journal_factory):
    journal = journal_factory.new()
    record(journal, applied("Acme"))
    with pytest.raises(RuntimeError), journal.transaction():
        event_id = journal.add_event(applied("Beta"))
        journal.add_actions(event_id, "w", [Action(kind="task", title="Gone")])
        with journal.transaction():  # nested: part of the outer one
            journal.add_event(applied("Gamma"))
        raise RuntimeError("stop")
    assert not journal.in_transaction
    assert [e.company for e in journal.reader.events()] == ["Acme"] and journal.reader.count_actions() == 0
    assert record(journal, applied("Delta")) == [2]
    assert [e.company for e in journal_factory.reopen(journal).reader.events()] == ["Acme", "Delta"]


def test_writes_in_one_journal_are_seen_by_another_opened_on_it(journal_factory):
    journal = journal_factory.new()
    other = journal_factory.reopen(journal, mode="read")
    record(journal, applied("Acme"))
    assert other.reader.last_event_id() == 1 and [a.company for a in other.reader.pipeline().open_applications()] == [
        "Acme"]


def test_a_journal_opened_for_reading_refuses_writes(journal_factory):
    journal = journal_factory.new()
    record(journal, applied("Acme"))
    with pytest.raises(JournalError):
        journal_factory.reopen(journal, mode="read").add_event(applied("Beta"))
    assert journal.reader.count() == 1


def test_a_scratch_copy_holds_the_same_and_keeps_its_writes(journal):
    record(journal, applied("Acme"))
    with journal.transaction():
        journal.add_actions(1, "w", [Action(kind="task", title="Do it")])
    scratch = journal.scratch_copy()
    try:
        assert list(scratch.reader.entries()) == list(journal.reader.entries())
        assert scratch.reader.actions() == journal.reader.actions()
        assert scratch.reader.identity() == journal.reader.identity()
        record(scratch, applied("Beta"))
    finally:
        scratch.close()
    assert journal.reader.count() == 1


# --- copying between journals (and backends) ---------------------------------------------------


def _fill(journal: Journal) -> None:
    with journal.transaction():
        first = journal.add_event(applied("Öko AG"), workflow="Search", recorded_at=dt.datetime(2026, 3, 2, 9, 0))
        journal.add_actions(first, "Search", [Action(kind="reminder", title="Follow up", due=AT, key="f:öko ag")],
                            run_recorded=True, created_at=dt.datetime(2026, 3, 2, 9, 0))
        second = journal.add_event(rejected("öko ag", on=4), recorded_at=dt.datetime(2026, 3, 6, 18, 0),
                                   verdict=FREEZE)
    with journal.transaction():
        journal.add_actions(second, "Bounce back", [Action(kind="task", title="Rest")],
                            created_at=dt.datetime(2026, 3, 7, 8, 0))
        journal.add_actions(second, "Coach", [], created_at=dt.datetime(2026, 3, 7, 8, 0))
        journal.cancel_actions(["f:öko ag"])
    journal.set_action_status(2, "done", at=dt.datetime(2026, 3, 8, 10, 0))
    record(journal, applied("Acme", on=5), applied("Acme", on=5))  # two copies of one event
    journal.add_note("A hard week, handled well", day=day(4), written_at=dt.datetime(2026, 3, 8, 18, 0))


@pytest.mark.parametrize("to", sorted(BACKENDS))
def test_copy_in_keeps_ids_times_workflows_and_statuses_and_adds_nothing_twice(journal_factory, to, request,
                                                                              tmp_path_factory):
    source = journal_factory.new()
    _fill(source)
    target_factory = journal_factory if to == journal_factory.backend else JournalFactory(
        to, request, tmp_path_factory)
    try:
        target = target_factory.new()
        entries, actions = list(source.reader.entries()), source.reader.actions()
        notes = source.reader.notes()
        assert target.copy_in(entries, actions, notes) == (4, 2, 1)
        assert target.copy_in(entries, actions, notes) == (0, 0, 0)
        assert target.reader.notes() == notes
        assert list(target.reader.entries()) == entries and target.reader.actions() == actions
        assert target.reader.identity() == source.reader.identity()
        assert target.reader.not_yet_recorded([applied("Acme", on=5)] * 3) == [applied("Acme", on=5)]
        assert record(target, applied("Beta")) == [5]  # ids go on from the copied ones
    finally:
        if target_factory is not journal_factory:
            target_factory.close()


def test_identity_depends_on_the_first_event_only(journal_factory):
    one, two = journal_factory.new(), journal_factory.new()
    assert one.reader.identity() == two.reader.identity()  # both empty
    moment = dt.datetime(2026, 3, 2, 9, 0)
    for journal in (one, two):
        journal.add_event(applied("Acme"), recorded_at=moment)
    record(two, applied("Beta"))
    assert one.reader.identity() == two.reader.identity()


# --- a period's counts (what the report says) ------------------------------------------


def test_a_periods_counts_follow_the_applications_rules_in_the_database(journal):
    record(journal,
           applied("Early", on=-5),                                              # before the period, still open
           applied("Öko AG", role="Data  Analyst", on=1),
           Rejection(company="öko ag", role="data analyst", stage="interview", date=day(3)),  # the same application
           Rejection(company="Gamma", role="Engineer", stage="screen", date=day(2)),  # never applied for: one all the same
           applied("Delta", on=4), milestone("offer", "Delta", on=5),
           rejected("Delta", on=6, stage="offer"),                               # a no after an offer
           Feedback(company="Delta", source="recruiter", text="Close call", date=day(7)),
           applied("Late", on=30))                                               # after the period
    summary = journal.reader.period_summary(since=day(0), until=day(10), win_kinds={"offer", "accepted"})

    assert (summary.start, summary.sent, summary.open_at_start, summary.open_at_end) == (day(0), 3, 1, 1)
    assert summary.outcomes == {"open": 0, "rejected": 3, "withdrawn": 0, "accepted": 0}
    counts = [*summary.outcomes.values(), *summary.furthest.values(), summary.sent, summary.numbers.applications]
    assert {type(count) for count in counts} == {int}  # plain numbers for JSON, whatever the database sums in
    assert summary.furthest == summary.rejected_at == {"application": 0, "screen": 1, "interview": 1, "final": 0,
                                                       "offer": 1}
    assert summary.rejections_by_stage == {"application": 0, "screen": 1, "interview": 1, "final": 0, "offer": 1}
    assert summary.wins_by_kind == {"offer": 1}
    assert [(win.kind, win.company, win.date) for win in summary.recent_wins] == [("offer", "Delta", day(5))]
    assert summary.feedback_received == 1
    # day(0) is a Sunday: the first week is the one before
    assert [(week.week_start, week.open, week.applied, week.closed, week.wins) for week in summary.weeks] == [
        (dt.date(2026, 2, 23), 1, 0, 0, 0), (dt.date(2026, 3, 2), 1, 3, 3, 1), (dt.date(2026, 3, 9), 1, 0, 0, 0)]
    numbers = summary.numbers
    assert (numbers.since, numbers.applications, numbers.noes, numbers.interviews, numbers.offers) == (day(1), 3, 3, 2, 1)
    assert [(group.company, group.count) for group in summary.rejections] == [("Gamma", 1), ("öko ag", 1),
                                                                             ("Delta", 1)]


def test_texts_said_are_grouped_with_every_event_that_said_them(journal):
    ids = record(journal,
                 Feedback(company="Acme", role="Analyst", source="recruiter", text="More SQL", date=day(3)),
                 Rejection(company="Acme", role="Analyst", reason="More SQL", date=day(1)),  # the same words
                 Rejection(company="acme", role="Analyst", reason="More SQL", date=day(2)),  # written otherwise
                 Rejection(company="Beta", date=day(4)),                                     # no reason: nothing said
                 Feedback(company="Beta", source="recruiter", text="Great talk", date=day(9)))
    said = sorted(journal.reader.said_texts())
    assert [(s.company, s.role, s.text, s.mentions) for s in said] == [
        ("Acme", "Analyst", "More SQL", ((day(1), ids[1]), (day(3), ids[0]))),
        ("Beta", "", "Great talk", ((day(9), ids[4]),)),
        ("acme", "Analyst", "More SQL", ((day(2), ids[2]),)),
    ]
    assert [s.mentions for s in journal.reader.said_texts(since=day(2), until=day(8)) if s.company == "Acme"] == [
        ((day(3), ids[0]),)]


def test_a_period_without_a_first_day_starts_with_the_first_event_and_an_empty_one_with_its_last(journal):
    assert journal.reader.period_summary(until=day(3)).start == day(3)
    record(journal, applied("Acme", on=2), rejected("Acme", on=3), applied("Beta", on=9))
    summary = journal.reader.period_summary(until=day(5))
    assert (summary.start, summary.sent, summary.open_at_start, summary.open_at_end) == (day(2), 1, 0, 0)
    assert summary.outcomes["rejected"] == 1 and summary.wins_by_kind == {} and summary.recent_wins == ()


def _python_counts(history, since, until):
    """The same counts made with coachflow.applications in Python, streaming the events by date."""
    from collections import Counter

    from coachflow.applications import ApplicationBook
    from coachflow.models import STAGES
    from coachflow.progress import SearchTally

    ordered = [(number, event) for number, event in sorted(enumerate(history, 1), key=lambda item: (item[1].date, item[0]))
               if event.date <= until]
    start = since or (ordered[0][1].date if ordered else until)
    book, numbers, sent = ApplicationBook(unrecorded=True), SearchTally(), []
    open_at_start = None
    week = start - dt.timedelta(days=start.weekday())
    weeks, counts = [], Counter()

    def close_week():
        nonlocal week
        weeks.append((week, book.open_count, counts["applied"], counts["closed"]))
        counts.clear()
        week += dt.timedelta(days=7)

    for number, event in ordered:
        while event.date > week + dt.timedelta(days=6):
            close_week()
        in_period = event.date >= start
        if in_period and open_at_start is None:
            open_at_start = book.open_count
        opened, closed = book.add(event)
        if opened is not None and opened.applied >= start:
            sent.append(opened)
            counts["applied"] += 1
        if in_period:
            counts["closed"] += len(closed)
            numbers.add(number, event)
    while week <= until:
        close_week()
    outcomes = Counter(application.outcome or "open" for application in sent)
    furthest = Counter(application.furthest_stage for application in sent)
    rejected_at = Counter(application.furthest_stage for application in sent if application.outcome == "rejected")
    return dict(start=start, sent=len(sent), open_at_start=book.open_count if open_at_start is None else open_at_start,
                open_at_end=book.open_count, outcomes={k: outcomes[k] for k in ("open", "rejected", "withdrawn", "accepted")},
                furthest={stage: furthest[stage] for stage in STAGES},
                rejected_at={stage: rejected_at[stage] for stage in STAGES}, weeks=weeks, numbers=numbers.numbers())


_PERIOD_COMPANIES = st.sampled_from(["Öko AG", "öko  ag", "ÖKO AG", "Beta"])
_PERIOD_ROLES = st.sampled_from(["", "Analyst", "ANALYST ", "Engineer"])
_PERIOD_EVENTS = st.one_of(
    st.builds(lambda c, r, d, k: Milestone(kind=k, company=c, role=r, date=day(d)), _PERIOD_COMPANIES, _PERIOD_ROLES,
              st.integers(0, 20), st.sampled_from(["applied", "applied", "withdrawn", "accepted", "offer",
                                                   "interview-invitation", "good-conversation"])),
    st.builds(lambda c, r, d, s, why: Rejection(company=c, role=r, date=day(d), stage=s, reason=why), _PERIOD_COMPANIES,
              _PERIOD_ROLES, st.integers(0, 20), st.sampled_from(["application", "screen", "interview", "final", "offer"]),
              st.sampled_from(["", "", "More SQL", "A hiring freeze"])),
    st.builds(lambda c, d: Feedback(company=c, source="recruiter", text="More SQL", date=day(d)), _PERIOD_COMPANIES,
              st.integers(0, 20)),
)


def _python_reasons(history, start, until) -> list[tuple[str, str, int]]:
    """The period's rejections grouped by company and reason (all without notes or verdict), in the order
    each group first came, as the report groups them."""
    groups: dict[tuple[str, str], list] = {}
    for number, event in sorted(enumerate(history), key=lambda item: (item[1].date, item[0])):
        if event.type == "rejection" and start <= event.date <= until:
            groups.setdefault((event.company, event.reason), [0])[0] += 1
    return [(company, reason, count) for (company, reason), (count,) in groups.items()]


def _python_said(history, since, until) -> list:
    said: dict[tuple[str, str, str], list] = {}
    for event in history:
        text = event.text if event.type == "feedback" else event.reason if event.type == "rejection" else ""
        if text and (since is None or event.date >= since) and event.date <= until:
            said.setdefault((event.company, event.role, text), []).append(event.date)
    return sorted((company, role, text, sorted(dates)) for (company, role, text), dates in said.items())


def _python_quiet(history, news_since, until) -> int:
    """The applications open at ``until`` with no news since ``news_since``, by coachflow.applications."""
    from coachflow.applications import Pipeline, gone_quiet, key_of

    pipeline = Pipeline()
    for number, event in enumerate(history, 1):
        if event.date <= until:
            pipeline.add(number, event)
    news = {key_of(event) for event in history if event.company and news_since <= event.date <= until}
    return gone_quiet(pipeline.open_applications(), news)


def _counts_of(summary) -> dict:
    return dict(start=summary.start, sent=summary.sent, open_at_start=summary.open_at_start,
                open_at_end=summary.open_at_end, outcomes=summary.outcomes, furthest=summary.furthest,
                rejected_at=summary.rejected_at,
                weeks=[(week.week_start, week.open, week.applied, week.closed) for week in summary.weeks],
                numbers=summary.numbers)


@hypothesis.settings(max_examples=40, deadline=None, suppress_health_check=[hypothesis.HealthCheck.function_scoped_fixture])
@hypothesis.given(first=st.lists(_PERIOD_EVENTS, max_size=10), later=st.lists(_PERIOD_EVENTS, max_size=6),
                  since=st.one_of(st.none(), st.integers(0, 20)), until=st.integers(0, 24))
def test_a_periods_counts_stay_those_of_the_applications_module_as_events_are_added(journal_factory, first, later,
                                                                                     since, until):
    # Asked between saved writes, as a report is: a backend that keeps counts (the practice store)
    # adds the new events to them, and events recorded late (dated before others) change how
    # earlier applications went.
    journal = journal_factory.new()
    since_day = None if since is None or since > until else day(since)
    for batch, history in ((first, first), (later, first + later)):
        with journal.transaction():
            for event in batch:
                journal.add_event(event, recorded_at=NOW)
        summary = journal.reader.period_summary(since=since_day, until=day(until), news_since=day(until - 5))
        assert _counts_of(summary) == _python_counts(history, since_day, day(until))
        assert journal.reader.period_summary(since=since_day, until=day(until),
                                             news_since=day(until - 5)) == summary  # asked again: the same
        assert summary.quiet_at_end == _python_quiet(history, day(until - 5), day(until))
        assert [(group.company, group.reason, group.count) for group in summary.rejections] == _python_reasons(
            history, summary.start, day(until))
        assert sorted((said.company, said.role, said.text, [when for when, _ in said.mentions])
                      for said in journal.reader.said_texts(since=since_day, until=day(until))) == _python_said(
            history, since_day, day(until))


@hypothesis.settings(max_examples=80, deadline=None, suppress_health_check=[hypothesis.HealthCheck.function_scoped_fixture])
@hypothesis.given(history=st.lists(_PERIOD_EVENTS, max_size=16), since=st.one_of(st.none(), st.integers(0, 20)),
                  until=st.integers(0, 24))
def test_a_periods_counts_in_the_database_are_those_of_the_applications_module(journal, history, since, until):
    since_day = None if since is None or since > until else day(since)
    with journal.transaction():
        for event in history:
            journal.add_event(event, recorded_at=NOW)
        summary = journal.reader.period_summary(since=since_day, until=day(until))
        journal.rollback()
    assert _counts_of(summary) == _python_counts(history, since_day, day(until))
