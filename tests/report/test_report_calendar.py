"""coachflow calendar: open reminders as iCalendar that calendars import, and re-import, cleanly."""

from __future__ import annotations

import datetime as dt
import io
import shutil

import icalendar
import pytest
from click.testing import CliRunner

from coachflow.cli import cli
from coachflow.report.ical import write_calendar
from coachflow.journal import open_journal
from coachflow.models import Action, event_from_dict
from support.report_history import NOW, build_journal


@pytest.fixture
def journal_path(tmp_path, monkeypatch):
    path = tmp_path / "journal.sqlite3"
    build_journal(path).close()
    monkeypatch.setenv("COACHFLOW_JOURNAL", str(path))
    monkeypatch.chdir(tmp_path)
    return path


def export(*args) -> tuple[icalendar.Calendar, str]:
    result = CliRunner().invoke(cli, ["calendar", *args])
    assert result.exit_code == 0, result.output
    return icalendar.Calendar.from_ical(result.stdout_bytes), result.stdout_bytes.decode("utf-8")


def test_open_actions_with_a_due_time_become_events_with_alarms(journal_path):
    calendar, text = export("--all")
    assert str(calendar["version"]) == "2.0"
    assert str(calendar["prodid"]).startswith("-//coachflow//coachflow ")
    events = calendar.walk("VEVENT")
    assert [(str(e["summary"]), e.decoded("dtstart")) for e in events] == [
        ("Check in after Gamma", dt.datetime(2026, 11, 24, 9, 0)),
        ("Follow up with Zeta, once, kindly", dt.datetime(2026, 11, 26, 9, 0)),
        ("Prepare questions about the Zeta offer; salary, start date", dt.datetime(2026, 12, 1, 10, 0)),
    ]
    follow_up = events[1]
    assert follow_up.decoded("duration") == dt.timedelta(minutes=15)
    assert events[2].decoded("duration") == dt.timedelta(minutes=30)  # a task takes longer than a reminder
    assert follow_up.decoded("dtstamp") == dt.datetime(2026, 11, 25, 17, 30, tzinfo=dt.timezone.utc)
    assert str(follow_up["description"]).startswith("A short, friendly note; then let it go.")
    (alarm,) = follow_up.walk("VALARM")
    assert str(alarm["action"]) == "DISPLAY"
    assert alarm.decoded("trigger") == -dt.timedelta(minutes=10)
    # RFC 5545: CRLF line ends, lines folded at 75 octets, commas and semicolons escaped
    assert "\r\n" in text and all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    assert r"SUMMARY:Prepare questions about the Zeta offer\; salary\, start date" in text.replace("\r\n ", "")


def test_uids_are_stable_across_exports_and_moves(journal_path, tmp_path):
    first, _ = export("--all")
    moved = tmp_path / "elsewhere" / "renamed.sqlite3"
    moved.parent.mkdir()
    shutil.copy(journal_path, moved)
    again, _ = export("--all", "--journal", str(moved))
    uids = [str(e["uid"]) for e in first.walk("VEVENT")]
    assert uids == [str(e["uid"]) for e in again.walk("VEVENT")]
    assert len(set(uids)) == 3
    with open_journal(journal_path) as journal:
        identity = journal.reader.identity()
        ids = [stored.id for stored in journal.reader.due_actions()]
    assert uids == [f"action-{action_id}.{identity}@coachflow" for action_id in ids]


def test_a_done_reminder_leaves_the_next_export_and_the_others_keep_their_uid(journal_path):
    before, _ = export("--all")
    uids = {str(e["summary"]): str(e["uid"]) for e in before.walk("VEVENT")}
    with open_journal(journal_path) as journal:
        (check_in,) = [s for s in journal.reader.due_actions() if s.action.title == "Check in after Gamma"]
        journal.set_action_status(check_in.id, "done")
    after, _ = export("--all")
    assert {str(e["summary"]): str(e["uid"]) for e in after.walk("VEVENT")} == {
        title: uid for title, uid in uids.items() if title != "Check in after Gamma"
    }


def test_two_journals_never_share_uids(tmp_path):
    def uids(path, company):
        with open_journal(path) as journal:
            with journal.transaction():
                event_id = journal.add_event(event_from_dict({"type": "rejection", "company": company,
                                                              "date": "2026-11-20"}))
                journal.add_actions(event_id, "w", [Action(kind="reminder", title="Check in",
                                                           due=dt.datetime(2026, 11, 26, 9, 0), step="s")])
            stream = io.BytesIO()
            write_calendar(journal.reader, stream, now=NOW)
        return [str(e["uid"]) for e in icalendar.Calendar.from_ical(stream.getvalue()).walk("VEVENT")]

    first, second = uids(tmp_path / "a.sqlite3", "Acme"), uids(tmp_path / "b.sqlite3", "Beta")
    assert len(first) == len(second) == 1
    assert first != second


def test_calendar_to_a_file_holds_what_is_due_from_today_on(journal_path, tmp_path):
    target = tmp_path / "coachflow.ics"
    result = CliRunner().invoke(cli, ["calendar", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert result.output == f"Wrote 2 open reminders to {target}.\n"
    calendar = icalendar.Calendar.from_ical(target.read_bytes())
    assert [str(e["summary"]) for e in calendar.walk("VEVENT")] == [  # not the check-in due on 20 November
        "Follow up with Zeta, once, kindly", "Prepare questions about the Zeta offer; salary, start date",
    ]


def test_an_empty_calendar_is_still_a_valid_file(tmp_path):
    path = tmp_path / "journal.sqlite3"
    with open_journal(path) as journal, journal.transaction():
        journal.add_event(event_from_dict({"type": "milestone", "kind": "applied", "company": "Acme",
                                           "date": "2026-11-20"}))
    result = CliRunner().invoke(cli, ["calendar", "--journal", str(path)])
    assert result.exit_code == 0
    assert result.stderr == "No open reminders with a due time from today on; the calendar is empty.\n"
    calendar = icalendar.Calendar.from_ical(result.stdout_bytes)
    assert calendar.walk("VEVENT") == []
    assert str(calendar["x-wr-calname"]) == "coachflow reminders"


def test_calendar_without_a_journal_is_empty_and_creates_nothing(tmp_path):
    missing = tmp_path / "none.sqlite3"
    result = CliRunner().invoke(cli, ["calendar", "--journal", str(missing)])
    assert result.exit_code == 0
    assert result.stderr.startswith(f"No journal at {missing} yet")
    assert icalendar.Calendar.from_ical(result.stdout_bytes).walk("VEVENT") == []
    assert not missing.exists()


def test_icalendar_is_imported_only_when_a_calendar_is_written():
    import subprocess
    import sys

    code = ("import sys; from coachflow.cli import cli; import coachflow.cli.report_commands, coachflow.report.ical; "
            "print('icalendar' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout == "False\n"
