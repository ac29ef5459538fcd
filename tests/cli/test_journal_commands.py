"""The journal commands as a person uses them: history, status, due, done, export, import."""

from __future__ import annotations

import json
import stat

import pytest
from click.testing import CliRunner

from coachflow.cli import cli
from coachflow.journal import open_journal
from coachflow.journal.io import CSV_COLUMNS

JOURNAL = "search.sqlite3"


# One known step, so that the actions these tests count do not change when the
# built-in workflow grows: the journal is under test here, not the method.
WORKFLOW = '[workflow]\nname = "Bounce back"\n\n[[steps]]\nuses = "allow-disappointment"\n'


@pytest.fixture(autouse=True)
def isolated(tmp_path, monkeypatch):
    """A fixed clock, an empty data directory, and a working directory with a one-step workflow."""
    for name in ("COACHFLOW_JOURNAL", "COACHFLOW_PROFILE", "COACHFLOW_WORKFLOW"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("COACHFLOW_NOW", "2026-03-14T10:00")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)
    (tmp_path / "coachflow.toml").write_text(WORKFLOW)


def coachflow(*args: str, code: int = 0, input: str | None = None):
    result = CliRunner().invoke(cli, list(args), input=input)
    assert result.exit_code == code, (result.stdout, result.stderr, result.exception)
    return result


def one_error_line(result) -> str:
    """The single line a user error prints, without its 'Error: ' prefix."""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    assert "Traceback" not in result.output
    return lines[0][len("Error: "):]


def record_week(journal: str = JOURNAL, *, with_feedback: bool = True) -> None:
    """The week of the docs: three applications, a no, an invitation, feedback (which answers
    the no's check-in and follow-up, so leave it out to keep them open)."""
    for args in (
        ["milestone", "--kind", "applied", "--company", "Acme", "--role", "Data Analyst", "--date", "2026-03-09"],
        ["milestone", "--kind", "applied", "--company", "Beta", "--role", "Analyst", "--date", "2026-03-09"],
        ["milestone", "--kind", "applied", "--company", "Gamma", "--role", "BI Developer", "--date", "2026-03-10"],
        ["rejection", "--company", "Beta", "--role", "Analyst", "--stage", "screen",
         "--reason", "They went with an internal candidate", "--date", "2026-03-11"],
        ["milestone", "--kind", "interview-invitation", "--company", "Acme", "--role", "Data Analyst",
         "--date", "2026-03-12"],
        ["feedback", "--company", "Beta", "--role", "Analyst", "--source", "recruiter",
         "--text", "Strong CV; they needed someone who already knew their tools", "--date", "2026-03-13"],
    ):
        if args[0] == "feedback" and not with_feedback:
            continue
        coachflow("run", *args, "--journal", journal)


def events_in(path) -> list[dict]:
    from coachflow.models import event_to_dict

    with open_journal(path) as journal:
        return [event_to_dict(e) for e in journal.reader.events()]


# --- status, history, due, done ------------------------------------------------------


def test_a_week_of_search_then_status(tmp_path):
    record_week()
    result = coachflow("status", "--journal", JOURNAL)
    assert result.stdout == (
        "Your search on Sat 14 Mar 2026\n"
        "\n"
        "Pipeline: 2 open applications, oldest first\n"
        "  Data Analyst at Acme   sent Mon 9 Mar 2026, 5 days ago\n"
        "  BI Developer at Gamma  sent Tue 10 Mar 2026, 4 days ago\n"
        "\n"
        "Last 30 days (since Fri 13 Feb 2026): 3 applications sent, 1 rejection, 1 win\n"
        "  (1 interview invitation)\n"  # wrapped at 78 columns, as text is when it does not go to a terminal
        "Feedback so far: 0 requested, 1 received\n"
        "Due now: nothing\n"  # recorded late, on the 14th: the check-in counts from then, not from the 11th
    )


def test_status_as_json_gives_the_same_numbers():
    record_week()
    data = json.loads(coachflow("status", "--format", "json", "--journal", JOURNAL).stdout)
    assert [(a["company"], a["age_days"]) for a in data["pipeline"]] == [("Acme", 5), ("Gamma", 4)]
    assert data["recent"] == {"days": 30, "since": "2026-02-13", "until": "2026-03-14", "applications": 3,
                              "rejections": 1, "feedback": 1, "wins": {"interview-invitation": 1}, "win_count": 1,
                              "last_win_before": None}
    assert data["feedback"] == {"requested": 0, "received": 1}
    assert data["due"] == 0


def test_status_window_can_be_shorter():
    record_week()
    result = coachflow("status", "--days", "3", "--journal", JOURNAL)
    assert "Last 3 days (since Thu 12 Mar 2026): 0 applications sent, 0 rejections, 1 win" in result.stdout


def test_status_without_a_journal_says_so_and_creates_nothing(tmp_path):
    result = coachflow("status", "--journal", "missing.sqlite3")
    assert "Pipeline: no open applications." in result.stdout
    assert "No journal at missing.sqlite3 yet" in result.stderr
    assert not (tmp_path / "missing.sqlite3").exists()


def test_history_lists_events_oldest_first():
    record_week()
    result = coachflow("history", "--journal", JOURNAL)
    assert result.stdout.splitlines() == [
        "Mon 9 Mar 2026   Applied               Data Analyst at Acme",
        "Mon 9 Mar 2026   Applied               Analyst at Beta",
        "Tue 10 Mar 2026  Applied               BI Developer at Gamma",
        "Wed 11 Mar 2026  Rejection             Analyst at Beta, screen stage: They",
        "                                       went with an internal candidate",
        "Thu 12 Mar 2026  Interview invitation  Data Analyst at Acme",
        'Fri 13 Mar 2026  Feedback              Analyst at Beta, from recruiter:',
        '                                       "Strong CV; they needed someone who',
        '                                       already knew..."',
        "",
        "6 events.",
    ]


def test_history_filters_and_json():
    record_week()
    beta = coachflow("history", "--company", "beta", "--since", "2026-03-10", "--journal", JOURNAL)
    assert [line.split()[4] for line in beta.stdout.splitlines() if line[:1].isalpha()][:2] == [
        "Rejection", "Feedback"]
    assert beta.stdout.splitlines()[-1] == "2 events matched."
    data = json.loads(coachflow("history", "--type", "milestone", "--kind", "applied", "--format", "json",
                                "--journal", JOURNAL).stdout)
    assert [(d["company"], d["workflows"]) for d in data] == [
        ("Acme", ["Bounce back"]), ("Beta", ["Bounce back"]), ("Gamma", ["Bounce back"])]
    assert data[0]["recorded_at"] == "2026-03-14T10:00:00"
    assert json.loads(coachflow("history", "--company", "Nobody", "--format", "json", "--journal", JOURNAL).stdout) == []
    assert coachflow("history", "--company", "Nobody", "--journal", JOURNAL).stdout == "No events match.\n"


def test_history_rejects_a_date_it_cannot_read():
    record_week()
    result = coachflow("history", "--since", "14/03/2026", "--journal", JOURNAL, code=2)
    assert one_error_line(result).startswith("--since: '14/03/2026' is not a date; write it as YYYY-MM-DD")


def test_due_lists_overdue_reminders_and_done_marks_them(monkeypatch):
    record_week(with_feedback=False)  # on Sat 14 Mar, 10:00: the check-in is due a day later
    monkeypatch.setenv("COACHFLOW_NOW", "2026-03-16T10:00")
    due = coachflow("due", "--journal", JOURNAL)
    with open_journal(JOURNAL) as journal:
        (reminder,) = journal.reader.actions(kinds=("reminder",))
    assert due.stdout == (
        "Due now (1)\n"
        f"  #{reminder.id}  Reminder:  Check in: ready to move on from Beta?\n"
        "                 (due Sun 15 Mar 2026, 10:00, 1 day ago)\n"  # the title's column, the date kept whole
        "\n"
        f"Mark one done with: coachflow done {reminder.id}\n"
    )
    data = json.loads(coachflow("due", "--format", "json", "--journal", JOURNAL).stdout)
    assert [(d["id"], d["kind"], d["due"], d["status"]) for d in data] == [
        (reminder.id, "reminder", "2026-03-15T10:00", "open")]

    done = coachflow("done", str(reminder.id), "--journal", JOURNAL)
    assert done.stdout == f"Done: #{reminder.id} Check in: ready to move on from Beta?\n"
    assert coachflow("due", "--journal", JOURNAL).stdout == "Nothing is due right now.\n"
    with open_journal(JOURNAL) as journal:
        stored = journal.reader.action(reminder.id)
    assert (stored.status, stored.done_at.isoformat()) == ("done", "2026-03-16T10:00:00")

    undone = coachflow("done", "--undo", str(reminder.id), "--journal", JOURNAL)
    assert undone.stdout == f"Open again: #{reminder.id} Check in: ready to move on from Beta?\n"


def test_due_says_what_comes_next_when_nothing_is_due(monkeypatch):
    monkeypatch.setenv("COACHFLOW_NOW", "2026-03-11T12:00")
    coachflow("run", "rejection", "--company", "Beta", "--date", "2026-03-11", "--journal", JOURNAL)
    result = coachflow("due", "--journal", JOURNAL)
    assert result.stdout.splitlines() == [
        "Nothing is due right now.",
        "Next: #2  Reminder:  Check in: ready to move on from Beta?",
        "                     (due Thu 12 Mar 2026, 12:00)",
    ]
    every = coachflow("due", "--all", "--journal", JOURNAL)
    assert every.stdout.splitlines()[:3] == [
        "Coming up (1)", "  #2  Reminder:  Check in: ready to move on from Beta?",
        "                 (due Thu 12 Mar 2026, 12:00)"]


def test_done_twice_says_so_and_a_cancelled_reminder_is_refused(tmp_path):
    record_week()
    with open_journal(JOURNAL) as journal:
        reminder = journal.reader.actions(kinds=("reminder",))[0]
        with journal.transaction():
            journal.cancel_actions([reminder.action.key])
    result = coachflow("done", str(reminder.id), "--journal", JOURNAL, code=2)
    assert one_error_line(result) == (
        f"action {reminder.id} was cancelled by a later run, so there is nothing to do "
        f"('coachflow done --undo {reminder.id}' opens it again)")
    coachflow("done", "--undo", str(reminder.id), "--journal", JOURNAL)
    coachflow("done", str(reminder.id), "--journal", JOURNAL)
    again = coachflow("done", str(reminder.id), "--journal", JOURNAL)
    assert again.stdout == f"#{reminder.id} was already done: Check in: ready to move on from Beta?\n"


def test_done_with_an_unknown_id_changes_nothing():
    record_week(with_feedback=False)
    with open_journal(JOURNAL) as journal:
        reminder = journal.reader.actions(kinds=("reminder",))[0]
    result = coachflow("done", str(reminder.id), "999", "--journal", JOURNAL, code=2)
    assert one_error_line(result) == f"there is no action with id 999 in {JOURNAL}"
    with open_journal(JOURNAL) as journal:
        assert journal.reader.action(reminder.id).status == "open"


def test_done_without_a_journal_is_an_error(tmp_path):
    result = coachflow("done", "3", "--journal", "none.sqlite3", code=2)
    assert one_error_line(result) == "none.sqlite3: no journal here yet, so no action 3 either"
    assert not (tmp_path / "none.sqlite3").exists()


# --- export and import ----------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_export_then_import_into_a_fresh_journal_gives_the_same_events(tmp_path, fmt):
    record_week()
    exported = tmp_path / f"search.{fmt}"
    result = coachflow("export", "--format", fmt, "-o", str(exported), "--journal", JOURNAL)
    assert result.stderr == f"Exported 6 events to {exported}\n"
    assert stat.S_IMODE(exported.stat().st_mode) == 0o600

    first = coachflow("import", str(exported), "--journal", "fresh.sqlite3")
    assert first.stdout == f"{exported}: added 6, already there 0\n"
    assert events_in("fresh.sqlite3") == events_in(JOURNAL)

    second = coachflow("import", str(exported), "--journal", "fresh.sqlite3")
    assert second.stdout == f"{exported}: added 0, already there 6\n"
    assert len(events_in("fresh.sqlite3")) == 6


def test_jsonl_export_is_one_event_to_dict_per_line():
    record_week()
    lines = coachflow("export", "--journal", JOURNAL).stdout.splitlines()
    assert json.loads(lines[3]) == {
        "type": "rejection", "company": "Beta", "role": "Analyst", "stage": "screen", "date": "2026-03-11",
        "reason": "They went with an internal candidate", "notes": ""}
    assert list(json.loads(lines[0])) == ["type", "kind", "company", "role", "date", "notes"]


def test_csv_export_has_the_agreed_header_and_format_follows_the_file_name(tmp_path):
    record_week()
    coachflow("export", "-o", "search.csv", "--type", "rejection", "--journal", JOURNAL)
    assert (tmp_path / "search.csv").read_text().splitlines() == [
        ",".join(CSV_COLUMNS),
        "rejection,2026-03-11,Beta,Analyst,screen,,They went with an internal candidate,,,",
    ]
    assert ",".join(CSV_COLUMNS) == "type,date,company,role,stage,kind,reason,source,text,notes"


def test_the_same_event_twice_in_a_file_is_kept_twice_and_only_once_more_never(tmp_path):
    line = '{"type": "milestone", "kind": "good-conversation", "company": "Acme", "date": "2026-03-02"}\n'
    (tmp_path / "twice.jsonl").write_text(line * 2)
    assert coachflow("import", "twice.jsonl", "--journal", JOURNAL).stdout == "twice.jsonl: added 2, already there 0\n"
    assert coachflow("import", "twice.jsonl", "--journal", JOURNAL).stdout == "twice.jsonl: added 0, already there 2\n"


def test_a_spreadsheet_csv_with_the_four_columns_in_any_order_imports(tmp_path):
    (tmp_path / "sheet.csv").write_bytes(
        "\ufeffCompany,Date,Role,Type,Link,\r\n"
        "Acme,2026-03-02,Data Analyst,Applied,,\r\n"
        "Beta,2026-03-03,Analyst,applied,,\r\n"
        "Beta,2026-03-06,Analyst,Rejection,,\r\n"
        "Acme,2026-03-07,Data Analyst,interview invitation,,\r\n"
        ",,,,,\r\n".encode("utf-8")
    )
    result = coachflow("import", "sheet.csv", "--journal", JOURNAL)
    assert result.stdout == "sheet.csv: added 4, already there 0\n"
    assert [(e["type"], e.get("kind"), e["company"]) for e in events_in(JOURNAL)] == [
        ("milestone", "applied", "Acme"), ("milestone", "applied", "Beta"),
        ("rejection", None, "Beta"), ("milestone", "interview-invitation", "Acme")]
    status = coachflow("status", "--journal", JOURNAL)
    assert "Pipeline: 1 open application" in status.stdout


BAD_FILES = [
    ("bad.csv", "date,type,company,role\n2026-03-02,milestone,Acme,Analyst\n",
     "bad.csv:2: kind: missing; a milestone needs a kind"),
    ("bad.csv", "date,type,company,role\n2026-03-02,applied,Acme,Analyst\n2026-13-02,applied,Beta,Analyst\n",
     "bad.csv:3: date: '2026-13-02' is not a date; write it as YYYY-MM-DD (e.g. 2026-03-14), today or yesterday"),
    ("bad.csv", "date,type,company,role\n2026-03-02,applied,Acme,Analyst\n,rejection,Acme,Analyst\n",
     "bad.csv:3: date: missing; every imported event needs its date, as YYYY-MM-DD"),
    ("bad.csv", "date,type,company,role\n2026-03-02,aplied,Acme,Analyst\n",
     "bad.csv:2: type: 'aplied' is neither an event type (rejection, feedback, milestone) nor a milestone kind "
     "(applied, good-conversation, interview-invitation, positive-feedback, offer, accepted, withdrawn) "
     "(did you mean 'applied'?)"),
    ("bad.csv", 'date,type,company,role,text\n2026-03-02,applied,Acme,Analyst,\n'
                '2026-03-03,feedback,Acme,Analyst,"two\nlines"\n2026-03-04,rejection,,Analyst,\n',
     "bad.csv:5: company: missing; a rejection needs a company"),
    ("bad.csv", "date,type,company\n2026-03-02,applied,Acme\n",
     "bad.csv:1: the first line must name the columns date, type, company, role; missing: role "
     "(found 3 columns separated by commas: 'date', 'type', 'company')"),
    ("bad.csv", "date,type,company,role\n2026-03-02,rejection,Acme,Analyst,extra\n",
     "bad.csv:2: 5 cells but the header names 4 columns"),
    ("bad.csv", "type,date,company,role,stage,kind,reason,source,text,notes\n"
                "rejection,2026-03-02,Acme,Analyst,onsite,,,,,\n",
     "bad.csv:2: stage: 'onsite' is not a stage; use one of application, screen, interview, final, offer"),
    ("bad.csv", "", "bad.csv:1: the file is empty; the first line names the columns: "
                    "type,date,company,role,stage,kind,reason,source,text,notes"),
    ("bad.jsonl", '{"type": "rejection", "company": "Acme", "date": "2026-03-02"}\n\n{"type": "rejection", "date": "2026-03-03"}\n',
     "bad.jsonl:3: company: missing; a rejection needs a company"),
    ("bad.jsonl", '{"type": "rejection", "company": "Acme", "date": "2026-03-02"\n',
     "bad.jsonl:1: not valid JSON: Expecting ',' delimiter (column 62)"),
    ("bad.jsonl", '["rejection", "Acme"]\n', "bad.jsonl:1: expected one JSON object per line, got list"),
    ("bad.jsonl", '{"type": "feedback", "company": "Acme", "text": 5, "date": "2026-03-02"}\n',
     "bad.jsonl:1: text: expected text, got 5"),
    ("bad.jsonl", '{"type": "rejection", "company": "Acme", "salary": "low", "date": "2026-03-02"}\n',
     "bad.jsonl:1: salary: a rejection has no such field; it has company, role, stage, date, reason, notes"),
]


@pytest.mark.parametrize(("name", "content", "message"), BAD_FILES)
def test_a_bad_row_is_named_by_line_and_field_and_nothing_is_written(tmp_path, name, content, message):
    record_week()
    before = events_in(JOURNAL)
    (tmp_path / name).write_text(content)
    result = coachflow("import", name, "--journal", JOURNAL, code=2)
    assert one_error_line(result) == message
    assert events_in(JOURNAL) == before


def test_a_bad_file_does_not_create_a_journal(tmp_path):
    (tmp_path / "bad.csv").write_bytes(b"date,type,company,role\n2026-03-02,applied,\xff\xfeAcme,Analyst\n")
    result = coachflow("import", "bad.csv", "--journal", "new.sqlite3", code=2)
    assert one_error_line(result) == "bad.csv:2: the file is not UTF-8 text; save it as UTF-8 (CSV UTF-8 in a spreadsheet)"
    assert not (tmp_path / "new.sqlite3").exists()


def test_import_of_a_missing_file_is_one_line():
    result = coachflow("import", "nowhere.csv", "--journal", JOURNAL, code=2)
    assert one_error_line(result) == "nowhere.csv: cannot read the file: No such file or directory"


def test_import_reads_standard_input_with_a_format():
    result = coachflow("import", "-", "--input-format", "csv", "--journal", JOURNAL,
                       input="date,type,company,role\n2026-03-02,applied,Acme,Analyst\n")
    assert result.stdout == "standard input: added 1, already there 0\n"


def test_import_run_replays_new_events_through_the_workflow_in_date_order(tmp_path):
    (tmp_path / "later-first.jsonl").write_text(
        '{"type": "rejection", "company": "Beta", "role": "Analyst", "stage": "interview", "date": "2026-03-12"}\n'
        '{"type": "milestone", "kind": "applied", "company": "Beta", "role": "Analyst", "date": "2026-03-02"}\n'
        '{"type": "rejection", "company": "Acme", "stage": "screen", "date": "2026-03-05"}\n'
    )
    result = coachflow("import", "later-first.jsonl", "--run", "--journal", JOURNAL)
    assert result.stdout == (
        "later-first.jsonl: added 3, already there 0\n"
        "Ran 'Bounce back' on 3 new events: 4 suggestions, 1 due now\n"
        "  (see them with: coachflow due)\n"
    )
    with open_journal(JOURNAL) as journal:
        entries = list(journal.reader.entries())
        assert [(e.id, e.event.date.isoformat(), e.workflows) for e in entries] == [
            (1, "2026-03-02", ("Bounce back",)), (2, "2026-03-05", ("Bounce back",)),
            (3, "2026-03-12", ("Bounce back",))]
        reminders = journal.reader.actions(kinds=("reminder",))
        # Acme's check-in had long passed when the replay reached 12 March: it lapsed then
        assert [(r.event_id, r.action.due.isoformat(), r.status) for r in reminders] == [
            (2, "2026-03-06T09:00:00", "missed"), (3, "2026-03-13T09:00:00", "open")]
    again = coachflow("import", "later-first.jsonl", "--run", "--journal", JOURNAL)
    assert again.stdout.splitlines()[0] == "later-first.jsonl: added 0, already there 3"
    assert "on 0 new events: 0 suggestions" in again.stdout


# --- where the journal lives --------------------------------------------------------


def test_profiles_keep_separate_journals_readable_by_their_owner_only(tmp_path, monkeypatch):
    coachflow("run", "milestone", "--kind", "applied", "--company", "Acme", "--profile", "alex")
    monkeypatch.setenv("COACHFLOW_PROFILE", "sam")
    coachflow("run", "milestone", "--kind", "applied", "--company", "Beta")
    profiles = tmp_path / "data" / "coachflow" / "profiles"
    assert sorted(p.name for p in profiles.glob("*.sqlite3")) == ["alex.sqlite3", "sam.sqlite3"]
    assert stat.S_IMODE((profiles / "alex.sqlite3").stat().st_mode) == 0o600
    assert "Acme" not in coachflow("history").stdout
    assert "Acme" in coachflow("history", "--profile", "alex").stdout


@pytest.mark.parametrize("command", ["history", "status", "due", "export"])
def test_a_profile_name_with_a_path_in_it_is_refused(tmp_path, command):
    result = coachflow(command, "--profile", "../other", code=2)
    assert one_error_line(result).startswith("profile '../other': use 1 to 64 letters, digits, '-' or '_'")
    assert not (tmp_path / "data").exists()


def test_reading_commands_use_the_journal_the_workflow_settings_name(tmp_path, monkeypatch):
    (tmp_path / "coachflow.toml").write_text(
        '[workflow]\nname = "Mine"\n\n[settings]\njournal = "kept/mine.sqlite3"\n\n'
        '[[steps]]\nuses = "allow-disappointment"\n'
    )
    coachflow("run", "rejection", "--company", "Acme", "--date", "2026-03-13")
    assert (tmp_path / "kept" / "mine.sqlite3").is_file()
    assert "Rejection             Acme, application stage" in coachflow("history").stdout
    monkeypatch.setenv("COACHFLOW_NOW", "2026-03-16T10:00")  # after the check-in's time
    assert json.loads(coachflow("status", "--format", "json").stdout)["due"] == 1


# --- found by a new user's review ----------------------------------------------------------


def test_done_with_an_id_too_large_for_sqlite_says_there_is_no_such_action():
    record_week()
    result = coachflow("done", "99999999999999999999999", "--journal", JOURNAL, code=2)
    assert one_error_line(result) == f"there is no action with id 99999999999999999999999 in {JOURNAL}"


def test_history_and_export_refuse_a_period_that_ends_before_it_starts():
    record_week()
    for command in ("history", "export"):
        result = coachflow(command, "--since", "2026-03-12", "--until", "2026-03-10", "--journal", JOURNAL, code=2)
        assert one_error_line(result) == "--since 2026-03-12 is after --until 2026-03-10; swap them"


def test_since_today_counts_from_coachflow_now():
    record_week()
    result = coachflow("history", "--since", "yesterday", "--journal", JOURNAL)
    assert result.stdout.splitlines()[0].startswith("Fri 13 Mar 2026  Feedback")


def test_export_refuses_a_file_name_it_would_not_write_and_honours_format(tmp_path):
    record_week()
    result = coachflow("export", "-o", "out.xlsx", "--journal", JOURNAL, code=2)
    assert one_error_line(result) == ("-o out.xlsx: export writes .csv or .jsonl files; name the file so, "
                                      "or give --format csv or --format jsonl")
    assert not (tmp_path / "out.xlsx").exists()
    coachflow("export", "-o", "out.xlsx", "--format", "csv", "--journal", JOURNAL)
    assert (tmp_path / "out.xlsx").read_text().startswith(",".join(CSV_COLUMNS))
    coachflow("export", "-o", "out.JSONL", "--journal", JOURNAL)
    assert json.loads((tmp_path / "out.JSONL").read_text().splitlines()[0])["type"] == "milestone"


def test_import_refuses_an_event_dated_after_today(tmp_path):
    (tmp_path / "future.jsonl").write_text('{"type": "rejection", "date": "2026-03-15", "company": "Acme"}\n')
    result = coachflow("import", "future.jsonl", "--journal", JOURNAL, code=2)
    assert one_error_line(result) == ("future.jsonl:1: date: 2026-03-15 is in the future; "
                                      "record events when they have happened")


@pytest.mark.parametrize("command", ["status", "history", "due", "export", "report", "calendar"])
def test_reading_commands_on_a_folder_say_so_in_one_line(tmp_path, command):
    result = coachflow(command, "--journal", str(tmp_path), code=2)
    assert one_error_line(result) == f"{tmp_path}: is a folder, not a journal file"


READING_COMMANDS = [("status",), ("history",), ("due",), ("export",), ("report",), ("calendar",),
                    ("run", "rejection", "--company", "Zeta", "--dry-run")]


@pytest.mark.parametrize("args", READING_COMMANDS, ids=lambda a: " ".join(a[:1] + a[-1:]))
def test_reading_commands_open_the_journal_read_only_and_leave_it_as_it_was(tmp_path, args):
    record_week()
    before = (tmp_path / JOURNAL).read_bytes()
    result = coachflow(*args, "--journal", JOURNAL)
    assert "Traceback" not in result.output
    assert (tmp_path / JOURNAL).read_bytes() == before


def test_a_journal_opened_read_only_refuses_writes(tmp_path):
    from coachflow.errors import JournalError
    from coachflow.models import Rejection

    record_week()
    with open_journal(tmp_path / JOURNAL, mode="read") as journal:
        assert journal.reader.count() == 6
        with pytest.raises(JournalError, match="read-only"):
            journal.add_event(Rejection(company="Zeta", date=journal.reader.events()[0].date))


def test_reading_commands_work_on_a_read_only_file_system(tmp_path):
    """A real read-only mount: SQLite cannot create its shared-memory file beside the journal there."""
    import os
    import shutil
    import subprocess
    import sys
    from pathlib import Path

    if os.geteuid() != 0 or shutil.which("unshare") is None:
        pytest.skip("mounting a read-only folder needs root and unshare")
    record_week()
    (tmp_path / "ro").mkdir()
    script = (f"mount --bind -o ro {tmp_path} {tmp_path / 'ro'} && "
              f"{Path(sys.executable).parent / 'coachflow'} status --journal {tmp_path / 'ro' / JOURNAL}")
    done = subprocess.run(["unshare", "-m", "sh", "-c", script], capture_output=True, text=True,
                          env={**os.environ, "COACHFLOW_NOW": "2026-03-14T10:00"})
    if "mount" in done.stderr and done.returncode != 0 and "Error" not in done.stderr:
        pytest.skip(f"cannot mount here: {done.stderr.strip()}")
    assert done.returncode == 0, done.stderr
    assert "Pipeline: 2 open applications" in done.stdout
