"""The journal's Python API: the file, its schema and migrations, and the questions steps ask."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
import sqlite3
import stat
from pathlib import Path

import attrs
import hypothesis
import pytest
from hypothesis import strategies as st

from coachflow.errors import JournalError
from coachflow.journal import Journal, check_profile_name, default_journal_path, open_journal, resolve_journal_path
from coachflow.applications import fold
from coachflow.journal.sqlite import MIGRATIONS, SCHEMA_VERSION, fingerprint
from coachflow.models import STAGES, Action, Feedback, Milestone, Rejection, event_to_dict

DAY = dt.date(2026, 3, 2)


def day(n: int) -> dt.date:
    return DAY + dt.timedelta(days=n)


def applied(company: str, role: str = "Analyst", on: int = 0) -> Milestone:
    return Milestone(kind="applied", company=company, role=role, date=day(on))


def rejected(company: str, role: str = "Analyst", on: int = 1) -> Rejection:
    return Rejection(company=company, role=role, stage="screen", date=day(on))


def milestone(kind: str, company: str, role: str = "Analyst", on: int = 1) -> Milestone:
    return Milestone(kind=kind, company=company, role=role, date=day(on))


@pytest.fixture
def journal(tmp_path):
    with open_journal(tmp_path / "journal.sqlite3") as opened:
        yield opened


def record(journal: Journal, *events) -> list[int]:
    with journal.transaction():
        return [journal.add_event(event) for event in events]


def pipeline(journal: Journal, **kwargs) -> list[tuple[str, str, dt.date]]:
    return [(a.company, a.role, a.applied) for a in journal.reader.open_applications(**kwargs)]


def holds(journal: Journal, event) -> bool:
    """True when the journal holds an event with exactly this content."""
    return journal.reader.entry_like(event) is not None


def build_version(path, version: int) -> None:
    """A journal file as coachflow's schema ``version`` wrote it, from the migration texts."""
    connection = sqlite3.connect(path)
    connection.create_function("coachflow_fold", 1, fold, deterministic=True)
    for target in range(1, version + 1):
        connection.executescript(MIGRATIONS[target])
        connection.execute(f"PRAGMA user_version = {target}")
    connection.commit()
    connection.close()


# --- the file -------------------------------------------------------------------


def test_new_journal_file_is_readable_by_its_owner_only(tmp_path):
    path = tmp_path / "private" / "journal.sqlite3"
    with open_journal(path) as journal:
        record(journal, applied("Acme"))
        wal = path.with_name(path.name + "-wal")
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert wal.exists() and stat.S_IMODE(wal.stat().st_mode) == 0o600


def test_new_journal_is_at_the_current_schema_in_wal_mode(journal):
    assert journal.schema_version == SCHEMA_VERSION
    assert journal._db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert journal.integrity_check() == "ok"


def test_a_file_that_is_not_a_journal_is_refused_in_one_line(tmp_path):
    path = tmp_path / "notes.sqlite3"
    path.write_text("my notes, not a database\n" * 100)
    with pytest.raises(JournalError) as error:
        open_journal(path)
    assert str(error.value) == f"{path}: not a coachflow journal (file is not a database)"


def test_a_journal_from_a_newer_coachflow_is_refused(tmp_path):
    path = tmp_path / "journal.sqlite3"
    build_version(path, SCHEMA_VERSION)
    connection = sqlite3.connect(path)
    connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    connection.close()
    newer = rf"written by a newer coachflow \(schema {SCHEMA_VERSION + 1}\); upgrade coachflow"
    with pytest.raises(JournalError, match=newer):
        open_journal(path)


@pytest.mark.parametrize("version", range(1, SCHEMA_VERSION))
def test_every_earlier_schema_migrates_to_the_current_one(tmp_path, version):
    path = tmp_path / "old.sqlite3"
    build_version(path, version)
    connection = sqlite3.connect(path)
    connection.execute(
        "INSERT INTO events (type, date, company, role, kind, fingerprint, recorded_at) "
        "VALUES ('milestone', '2026-03-02', 'Acme', 'Analyst', 'applied', 'x', '2026-03-02T10:00:00')"
    )
    if version >= 5:  # from schema 5 on, coachflow writes each event's application key with it
        connection.execute("UPDATE events SET company_key = 'acme', role_key = 'analyst'")
    connection.commit()
    connection.close()
    with open_journal(path) as journal:
        assert journal.schema_version == SCHEMA_VERSION
        assert journal.integrity_check() == "ok"
        assert pipeline(journal) == [("Acme", "Analyst", DAY)]


def test_migrating_a_schema_6_journal_adds_the_verdict_and_its_rejections_read_as_unclassified(tmp_path):
    path = tmp_path / "v6.sqlite3"
    build_version(path, 6)
    connection = sqlite3.connect(path)
    connection.execute(
        "INSERT INTO events (type, date, company, role, stage, reason, fingerprint, recorded_at, workflow, "
        "company_key, role_key) VALUES ('rejection', '2026-03-02', 'Acme', 'Analyst', 'screen', 'hiring freeze', "
        "'', '2026-03-02T18:00:00', 'Bounce back', 'acme', 'analyst')")
    connection.commit()
    connection.close()
    with open_journal(path) as journal:
        assert journal.schema_version == SCHEMA_VERSION
        (entry,) = journal.reader.entries()
        assert (entry.event.reason, entry.workflows, entry.verdict) == ("hiring freeze", ("Bounce back",), None)


def test_migration_from_schema_1_keeps_events_and_actions_and_records_runs(tmp_path):
    path = tmp_path / "v1.sqlite3"
    build_version(path, 1)
    connection = sqlite3.connect(path)
    connection.executescript("""
        INSERT INTO events (id, type, date, company, role, stage, fingerprint, recorded_at)
            VALUES (1, 'rejection', '2026-03-05', 'Beta', 'Analyst', 'screen', 'f1', '2026-03-05T18:00:00');
        INSERT INTO events (id, type, date, company, kind, fingerprint, recorded_at)
            VALUES (2, 'milestone', '2026-03-06', 'Gamma', 'applied', 'f2', '2026-03-06T09:00:00');
        INSERT INTO actions (event_id, workflow, step, kind, title, due, key, status, created_at) VALUES
            (1, 'Bounce back', 'allow-disappointment', 'message', 'It is all right', NULL, NULL, 'open',
             '2026-03-05T18:00:00'),
            (1, 'Bounce back', 'allow-disappointment', 'reminder', 'Check in', '2026-03-06T18:00', 'check-in:beta',
             'done', '2026-03-05T18:00:00');
    """)
    connection.commit()
    connection.close()

    with open_journal(path) as journal:
        assert journal.schema_version == SCHEMA_VERSION
        assert [e.company for e in journal.reader.events()] == ["Beta", "Gamma"]
        actions = journal.reader.actions()
        assert [(a.action.title, a.status, a.done_at) for a in actions] == [
            ("It is all right", "open", None),
            ("Check in", "done", None),
        ]
        entries = list(journal.reader.entries())
        assert [e.workflows for e in entries] == [("Bounce back",), ()]
        indexes = {row[0] for row in journal._db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
        assert "events_by_type_kind_date" in indexes
        assert journal.integrity_check() == "ok"


def test_migration_from_schema_2_drops_the_fingerprint_index_and_still_finds_copies(tmp_path):
    path = tmp_path / "v2.sqlite3"
    build_version(path, 2)
    connection = sqlite3.connect(path)
    acme, beta = applied("Acme"), rejected("Beta")
    # Rows as schema 2 wrote them: columns and fingerprint from the same content.
    for event_id, event in enumerate((acme, acme, beta), start=1):
        data = event_to_dict(event)
        connection.execute(
            "INSERT INTO events (id, type, date, company, role, stage, kind, fingerprint, recorded_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, '2026-03-05T18:00:00')",
            (event_id, data["type"], data["date"], data["company"], data["role"], data.get("stage", ""),
             data.get("kind", ""), fingerprint(event)),
        )
    connection.commit()
    connection.close()

    with open_journal(path) as journal:
        assert journal.schema_version == SCHEMA_VERSION
        indexes = {row[0] for row in journal._db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
        assert "events_by_fingerprint" not in indexes
        assert {"events_by_company", "events_by_type_kind_date", "actions_by_key_status"} <= indexes
        assert [row[2] for row in journal._db.execute("PRAGMA index_info(events_by_company)")] == ["company_key", "type", "kind", "date"]
        assert holds(journal, acme) and holds(journal, beta)
        assert not holds(journal, applied("Acme", role="Engineer"))
        assert journal.reader.entry_like(acme).id == 2  # the latest copy
        assert journal.reader.not_yet_recorded([acme, acme, acme, beta, beta]) == [acme, beta]
        assert journal.integrity_check() == "ok"
        # Calendar UIDs carry the journal's identity, which schema 2 derived from the
        # first event's stored fingerprint: re-exported calendars keep their UIDs.
        seed = f"{fingerprint(acme)}|2026-03-05T18:00:00"
        assert journal.reader.identity() == hashlib.sha256(seed.encode()).hexdigest()[:16]


def test_fingerprints_stay_what_earlier_versions_stored():
    # Journals already hold fingerprints: a change to how they are computed
    # would make import add every event again.
    feedback = Feedback(company="Café Ünïon", role="Data Analyst", source="recruiter",
                        text='They said: "more SQL"\\ \n\tnext time ✓ 𝄞', date=DAY)
    assert fingerprint(feedback) == "cf949d10ed6d06f0366df1cec10c8097be6a6dde4f3c0ecac063d146b2f2e1a9"


def test_an_event_is_a_copy_only_when_every_field_matches(journal):
    acme = Rejection(company="Acme", role="Analyst", stage="screen", date=DAY, reason="closed", notes="a")
    record(journal, acme, Rejection(company="Acme", role="Analyst", stage="screen", date=DAY, reason="closed"))
    assert holds(journal, acme)
    near_misses = [
        attrs.evolve(acme, notes="b"),
        attrs.evolve(acme, date=day(1)),
        attrs.evolve(acme, company="ACME"),
        attrs.evolve(acme, stage="final"),
        Milestone(kind="applied", company="Acme", role="Analyst", date=DAY, notes="a"),
    ]
    for other in near_misses:
        assert not holds(journal, other), other
        assert journal.reader.entry_like(other) is None
    assert journal.reader.not_yet_recorded([acme, *near_misses]) == near_misses


def test_opening_a_current_journal_does_not_wait_for_another_writer(tmp_path):
    path = tmp_path / "journal.sqlite3"
    open_journal(path).close()
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("INSERT INTO events (type, date, fingerprint, recorded_at) VALUES ('milestone', '2026-03-01', 'x', 'y')")
    try:
        with open_journal(path) as reader_side:
            assert reader_side.reader.count() == 0  # the other write is not committed yet
    finally:
        writer.execute("ROLLBACK")
        writer.close()


# --- where it lives ---------------------------------------------------------------


def test_profiles_keep_one_journal_each_in_the_data_directory(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv("COACHFLOW_JOURNAL", raising=False)
    monkeypatch.delenv("COACHFLOW_PROFILE", raising=False)
    assert default_journal_path() == tmp_path / "data" / "coachflow" / "journal.sqlite3"
    assert resolve_journal_path(profile="alex_2") == tmp_path / "data" / "coachflow" / "profiles" / "alex_2.sqlite3"
    monkeypatch.setenv("COACHFLOW_PROFILE", "sam")
    assert resolve_journal_path().name == "sam.sqlite3"
    assert resolve_journal_path("mine.sqlite3").name == "mine.sqlite3"


@pytest.mark.parametrize("name", ["../escape", "a/b", "", "with space", "dot.name", "x" * 65, "tab\there"])
def test_profile_names_that_could_leave_the_directory_are_refused(name):
    with pytest.raises(JournalError) as error:
        check_profile_name(name)
    assert str(error.value).startswith(f"profile {name!r}: use 1 to 64 letters, digits, '-' or '_'")
    assert "\n" not in str(error.value)


@pytest.mark.parametrize("name", ["alex", "Alex-Smith", "client_42", "x" * 64])
def test_ordinary_profile_names_are_accepted(name):
    assert check_profile_name(name) == name


# --- the pipeline -------------------------------------------------------------------


def test_an_application_stays_open_until_a_rejection_withdrawal_or_acceptance(journal):
    record(
        journal,
        applied("Acme", "Data Analyst", 0),
        applied("Beta", "Analyst", 1),
        applied("Gamma", "Engineer", 2),
        applied("Delta", "Analyst", 3),
        rejected("Beta", "Analyst", 5),
        milestone("withdrawn", "Gamma", "Engineer", 6),
        milestone("accepted", "Delta", "Analyst", 7),
        milestone("interview-invitation", "Acme", "Data Analyst", 8),
    )
    assert pipeline(journal) == [("Acme", "Data Analyst", day(0))]


def test_companies_and_roles_match_whatever_their_case(journal):
    record(journal, applied("Acme", "Data Analyst", 0), rejected("ACME", "data analyst", 4))
    assert pipeline(journal) == []


def test_a_rejection_without_a_role_closes_every_application_at_that_company(journal):
    record(journal, applied("Acme", "Analyst", 0), applied("Acme", "Engineer", 1), applied("Beta", "Analyst", 1),
           rejected("Acme", "", 3))
    assert pipeline(journal) == [("Beta", "Analyst", day(1))]


def test_an_application_without_a_role_is_closed_by_any_no_from_its_company(journal):
    record(journal, applied("Acme", "", 0), rejected("Acme", "Engineer", 2))
    assert pipeline(journal) == []


def test_a_rejection_for_one_role_leaves_the_other_roles_open(journal):
    record(journal, applied("Acme", "Analyst", 0), applied("Acme", "Engineer", 1), rejected("Acme", "Analyst", 2))
    assert pipeline(journal) == [("Acme", "Engineer", day(1))]


def test_applying_twice_to_an_open_position_counts_once_from_the_first_date(journal):
    record(journal, applied("Acme", "Analyst", 0), applied("acme", "analyst", 3))
    assert pipeline(journal) == [("Acme", "Analyst", day(0))]


def test_applying_again_after_a_no_opens_the_position_again(journal):
    record(journal, applied("Acme", "Analyst", 0), rejected("Acme", "Analyst", 2), applied("Acme", "Analyst", 9))
    assert pipeline(journal) == [("Acme", "Analyst", day(9))]


def test_a_no_recorded_on_the_same_day_as_the_application_closes_it(journal):
    record(journal, applied("Acme", "Analyst", 0), rejected("Acme", "Analyst", 0))
    assert pipeline(journal) == []


def test_as_of_shows_the_pipeline_on_an_earlier_day(journal):
    record(journal, applied("Acme", "Analyst", 0), applied("Beta", "Analyst", 4), rejected("Acme", "Analyst", 6))
    assert pipeline(journal, as_of=day(3)) == [("Acme", "Analyst", day(0))]
    assert pipeline(journal, as_of=day(5)) == [("Acme", "Analyst", day(0)), ("Beta", "Analyst", day(4))]
    assert pipeline(journal, as_of=day(6)) == [("Beta", "Analyst", day(4))]


def reference_pipeline(events: list) -> list[tuple[str, str, dt.date]]:
    """The pipeline rules, followed one event at a time in date order (ties: recording order)."""
    open_now: dict[tuple[str, str], tuple[str, str, dt.date, int]] = {}
    ordered = sorted(enumerate(events), key=lambda pair: (pair[1].date, pair[0]))
    for index, event in ordered:
        company, role = event.company.casefold(), event.role.casefold()
        if event.type == "milestone" and event.kind == "applied":
            open_now.setdefault((company, role), (event.company, event.role, event.date, index))
        elif event.type == "rejection" or (event.type == "milestone" and event.kind in ("withdrawn", "accepted")):
            for key in list(open_now):
                if key[0] == company and (key[1] == role or not role or not key[1]):
                    del open_now[key]
    found = sorted(open_now.values(), key=lambda item: (item[2], item[3]))
    return [(c, r, d) for c, r, d, _ in found]


@pytest.mark.parametrize("seed", range(8))
def test_the_pipeline_query_agrees_with_the_rules_on_random_histories(tmp_path, seed):
    chooser = random.Random(seed)
    events = []
    for _ in range(300):
        company = chooser.choice(["Acme", "acme", "Beta", "Gamma", "Delta"])
        role = chooser.choice(["Analyst", "analyst", "Engineer", ""])
        on = chooser.randrange(40)
        roll = chooser.random()
        if roll < 0.5:
            events.append(applied(company, role, on))
        elif roll < 0.75:
            events.append(rejected(company, role, on))
        elif roll < 0.85:
            events.append(milestone(chooser.choice(["withdrawn", "accepted"]), company, role, on))
        else:
            events.append(milestone("interview-invitation", company, role, on))
    with open_journal(tmp_path / "random.sqlite3") as journal:
        record(journal, *events)
        got = [(c.casefold(), r.casefold(), d) for c, r, d in pipeline(journal)]
    expected = [(c.casefold(), r.casefold(), d) for c, r, d in reference_pipeline(events)]
    assert got == expected


# --- counts and other questions ------------------------------------------------------


def test_tally_counts_a_window_and_sorts_out_the_wins(journal):
    record(
        journal,
        applied("Acme", on=0), applied("Beta", on=1), applied("Old", on=-40),
        rejected("Beta", on=3), rejected("Old", on=-35),
        milestone("interview-invitation", "Acme", on=4), milestone("good-conversation", "Acme", on=5),
        milestone("good-conversation", "Beta", on=6), milestone("withdrawn", "Gamma", on=6),
        Feedback(company="Beta", text="More depth on SQL", date=day(7)),
    )
    tally = journal.reader.tally(since=day(0), until=day(7))
    assert (tally.applications, tally.rejections, tally.feedback) == (2, 1, 1)
    assert tally.wins == {"good-conversation": 2, "interview-invitation": 1}
    assert tally.win_count == 3
    assert journal.reader.tally().applications == 3


def test_feedback_requested_counts_request_actions_that_were_not_cancelled(journal):
    first, second, third = record(journal, rejected("Acme", on=1), rejected("Beta", on=2), rejected("Old", on=-50))
    with journal.transaction():
        journal.add_actions(first, "w", [Action(kind="draft", title="Ask Acme", key="feedback-request:acme:analyst")])
        journal.add_actions(second, "w", [Action(kind="draft", title="Ask Beta", key="feedback-request:beta:analyst"),
                                          Action(kind="reminder", title="Follow up", key="follow-up:beta:analyst")])
        journal.add_actions(third, "w", [Action(kind="draft", title="Ask Old", key="feedback-request:old:analyst")])
        journal.cancel_actions(["feedback-request:acme:analyst"])
    assert journal.reader.feedback_requested() == 2
    assert journal.reader.feedback_requested(since=day(0)) == 1


def test_not_yet_recorded_counts_copies_so_a_second_import_adds_nothing(journal):
    acme, beta = applied("Acme"), applied("Beta")
    record(journal, acme)
    new = journal.reader.not_yet_recorded([acme, acme, beta])
    assert new == [acme, beta]
    record(journal, *new)
    assert journal.reader.not_yet_recorded([acme, acme, beta]) == []


def test_marking_an_action_done_keeps_when(journal):
    (event_id,) = record(journal, rejected("Acme"))
    with journal.transaction():
        (action_id,) = journal.add_actions(event_id, "w", [Action(kind="task", title="Write it down")])
    moment = dt.datetime(2026, 3, 4, 17, 30)
    done = journal.set_action_status(action_id, "done", at=moment)
    assert (done.status, done.done_at) == ("done", moment)
    reopened = journal.set_action_status(action_id, "open")
    assert (reopened.status, reopened.done_at) == ("open", None)
    with pytest.raises(JournalError, match="there is no action with id 99"):
        journal.set_action_status(99, "done")
    with pytest.raises(JournalError, match="an action can be marked open, done or missed, not 'cancelled'"):
        journal.set_action_status(action_id, "cancelled")


def test_marking_twice_keeps_the_first_time_and_a_cancelled_action_cannot_be_done(journal):
    (event_id,) = record(journal, rejected("Acme"))
    with journal.transaction():
        first, second = journal.add_actions(event_id, "w", [Action(kind="task", title="Write it down"),
                                                            Action(kind="reminder", title="Follow up", key="f")])
        journal.cancel_actions(["f"])
    monday, tuesday = dt.datetime(2026, 3, 9, 9, 0), dt.datetime(2026, 3, 10, 9, 0)
    journal.set_action_status(first, "done", at=monday)
    assert journal.set_action_status(first, "done", at=tuesday).done_at == monday
    with pytest.raises(JournalError, match=f"action {second} was cancelled by a later run, so there is nothing to do"):
        journal.set_action_status(second, "done")
    assert journal.set_action_status(second, "open").status == "open"


def test_entries_say_which_workflows_ran(journal):
    first, second = record(journal, rejected("Acme", on=1), applied("Beta", on=2))
    with journal.transaction():
        journal.add_actions(first, "Bounce back", [])
        journal.add_actions(first, "Coach Kim's", [Action(kind="task", title="Call Kim")])
    entries = list(journal.reader.entries())
    assert [(e.id, e.workflows) for e in entries] == [(first, ("Bounce back", "Coach Kim's")), (second, ())]


def test_a_run_recorded_with_its_event_comes_before_later_runs(journal):
    # A replay records the event, its run and its actions in one transaction,
    # so the run is kept in the event's row rather than in a runs row.
    with journal.transaction():
        event_id = journal.add_event(rejected("Acme"), workflow="Bounce back")
        journal.add_actions(event_id, "Bounce back", [], run_recorded=True)
    assert journal._db.execute("SELECT count(*) FROM runs").fetchone()[0] == 0
    with journal.transaction():
        journal.add_actions(event_id, "Coach Kim's", [])
    (entry,) = journal.reader.entries()
    assert entry.workflows == ("Bounce back", "Coach Kim's")
    assert journal.reader.entry_like(rejected("Acme")).workflows == ("Bounce back", "Coach Kim's")


def test_due_actions_and_the_next_one(journal):
    (event_id,) = record(journal, rejected("Acme"))
    now = dt.datetime(2026, 3, 10, 12, 0)
    with journal.transaction():
        journal.add_actions(event_id, "w", [
            Action(kind="reminder", title="Past", due=now - dt.timedelta(days=1)),
            Action(kind="reminder", title="Later", due=now + dt.timedelta(days=2)),
            Action(kind="reminder", title="Soon", due=now + dt.timedelta(hours=1)),
            Action(kind="message", title="Read this"),
        ])
    reader = journal.reader
    assert [a.action.title for a in reader.actions(status="open", due_before=now)] == ["Past"]
    assert reader.count_actions(status="open", due_before=now) == 1
    assert reader.next_due(now).action.title == "Soon"
    assert [a.action.title for a in reader.actions(kinds=("message",))] == ["Read this"]


_ANY_TEXT = st.text(st.characters(codec="utf-8"), max_size=12) | st.sampled_from(["", "Acme", 'a "quote"\\', "\x00\n\u2028"])


@st.composite
def _events(draw):
    date = draw(st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)))
    kind = draw(st.sampled_from(["rejection", "feedback", "milestone"]))
    company = draw(_ANY_TEXT.filter(str.strip))
    if kind == "rejection":
        return Rejection(company=company, role=draw(_ANY_TEXT), stage=draw(st.sampled_from(STAGES)), date=date,
                         reason=draw(_ANY_TEXT), notes=draw(_ANY_TEXT))
    if kind == "feedback":
        return Feedback(company=company, role=draw(_ANY_TEXT), source=draw(_ANY_TEXT),
                        text=draw(_ANY_TEXT.filter(str.strip)), date=date)
    return Milestone(kind=draw(st.sampled_from(["applied", "offer", "custom-kind"])), company=draw(_ANY_TEXT),
                     role=draw(_ANY_TEXT), date=date, notes=draw(_ANY_TEXT))


@hypothesis.settings(max_examples=300, deadline=None)
@hypothesis.given(event=_events())
def test_the_journal_stores_each_event_as_event_to_dict_says_and_finds_it_again(tmp_path_factory, event):
    data = event_to_dict(event)
    assert fingerprint(event) == hashlib.sha256(
        json.dumps(data, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()
    with open_journal(tmp_path_factory.mktemp("j") / "journal.sqlite3") as journal:
        event_id = record(journal, event)[0]
        row = journal._db.execute("SELECT * FROM events WHERE id = ?", (event_id,)).fetchone()
        assert {name: row[name] for name in data} == data
        assert journal.reader.event(event_id) == event and holds(journal, event)
        assert journal.reader.not_yet_recorded([event, event]) == [event]


def test_a_field_that_is_not_text_is_stored_and_found_as_the_journal_reads_it_back(journal):
    odd = Milestone(kind="applied", company="Acme", role=None, date=DAY, notes="")  # not checked by the class
    (event_id,) = record(journal, odd)
    assert journal.reader.event(event_id) == attrs.evolve(odd, role="")
    assert holds(journal, odd) and holds(journal, attrs.evolve(odd, role=""))
    assert not holds(journal, attrs.evolve(odd, role="Analyst"))


_ODD_VALUES = ["none", "role None", "datetime", "text date", "notes datetime", "role date", "role number",
               "subclass", "subclass attribute", "subclass property"]


def _plan(journal, sql, params):
    return " ".join(row[3] for row in journal._db.execute(f"EXPLAIN QUERY PLAN {sql}", params))


@pytest.mark.parametrize("ask, index", [
    (lambda reader: reader.events("rejection", company="Acme"), "events_by_company (company_key=? AND type=? AND kind=?)"),
    (lambda reader: reader.events("feedback", since=dt.date(2026, 1, 1)),
     "events_by_type_kind_date (type=? AND kind=? AND date>?)"),
    (lambda reader: reader.events("milestone", kind="offer"), "events_by_type_kind_date (type=? AND kind=?)"),
])
def test_each_kind_of_event_question_is_answered_through_an_index(ask, index):
    # No timings in tests: what keeps these questions fast on a long journal is
    # which index SQLite picks, so that is what is checked.
    with open_journal(":memory:") as journal:
        statements = []
        journal._db.set_trace_callback(statements.append)
        ask(journal.reader)
        journal._db.set_trace_callback(None)
        (sql,) = [s for s in statements if s.startswith("SELECT")]
        assert f"USING INDEX {index}" in " ".join(
            row[3] for row in journal._db.execute(f"EXPLAIN QUERY PLAN {sql}"))


def test_open_actions_and_copies_of_an_event_are_found_through_an_index():
    with open_journal(":memory:") as journal:
        assert "USING INDEX actions_by_key_status" in _plan(
            journal, "SELECT * FROM actions WHERE status = ? AND key = ?", ("open", "k"))
        assert "USING INDEX actions_by_key_status" in _plan(
            journal, "UPDATE actions SET status = 'cancelled' WHERE key = ? AND status = 'open'", ("k",))
        assert "USING INDEX events_by_type_kind_date" in _plan(
            journal, "SELECT 1 FROM events WHERE type = ? AND kind = ? AND date = ? AND fingerprint = ?",
            ("milestone", "applied", "2026-01-01", "f"))


def test_the_default_journal_is_in_the_data_folder_platformdirs_gives(monkeypatch, tmp_path):
    import platformdirs

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    expected = Path(platformdirs.user_data_dir("coachflow", appauthor=False))
    assert expected == tmp_path / "data" / "coachflow"
    assert default_journal_path() == expected / "journal.sqlite3"
    assert default_journal_path("client-a") == expected / "profiles" / "client-a.sqlite3"
